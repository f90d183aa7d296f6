"""What the canvas draws: the composite as a mipmap pyramid of QImages.

Level 0 is the full-resolution composite (premultiplied BGRA, the bytes of
QImage.Format_ARGB32_Premultiplied), level k is 1/2^k of it. Dirty
rectangles from the document's events are re-rendered lazily, just before
the next paint, so many changes between two frames cost one render.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PySide6.QtGui import QImage

from editor.core import Document, Rect

MIN_LEVEL_SIDE = 256  # no level smaller than this


def _qimage(array: np.ndarray) -> QImage:
    h, w = array.shape[:2]
    image = QImage(array.data, w, h, array.strides[0], QImage.Format.Format_ARGB32_Premultiplied)
    image._keepalive = array  # the QImage borrows the numpy buffer
    return image


class DisplaySource:
    """The document's composite at every zoom level, kept up to date per dirty rect."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.pyramid = Pyramid(doc)
        self._images: dict[int, QImage] = {}

    def close(self) -> None:
        self.pyramid.close()

    def invalidate(self, rect: Rect | None = None) -> None:
        self.pyramid.invalidate(rect)

    def level_for(self, device_scale: float) -> int:
        """The smallest level still at least as detailed as the screen (scale in device px per doc px)."""
        if device_scale >= 1.0:
            return 0
        level = int(math.floor(-math.log2(device_scale) + 1e-6))
        return max(0, min(level, self.pyramid.levels - 1))

    def level_image(self, level: int) -> tuple[QImage, float]:
        """The level's image, refreshed, and its scale relative to the document (1, 1/2, ...)."""
        changed = self.pyramid.update()
        array = self.pyramid.level(level)
        image = self._images.get(level)
        if image is None or changed or image._keepalive is not array:
            image = self._images[level] = _qimage(array)
        return image, 1.0 / (1 << level)

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int] | None:
        """Straight RGBA of the composite at a document pixel, None outside the canvas."""
        if not (0 <= x < self.doc.width and 0 <= y < self.doc.height):
            return None
        self.pyramid.update()
        b, g, r, a = (int(v) for v in self.pyramid.level(0)[y, x])
        if a == 0:
            return (0, 0, 0, 0)
        return (min(255, r * 255 // a), min(255, g * 255 // a), min(255, b * 255 // a), a)


class Pyramid:
    """Levels 1, 1/2, 1/4... of the composite, updated per dirty rectangle."""

    def __init__(self, doc: Document) -> None:
        self.renderer = _renderer_for(doc)
        self.doc = doc
        w, h = doc.width, doc.height
        self.sizes = [(w, h)]
        while min(self.sizes[-1]) > MIN_LEVEL_SIDE:
            pw, ph = self.sizes[-1]
            self.sizes.append(((pw + 1) // 2, (ph + 1) // 2))
        self._levels = [np.zeros((lh, lw, 4), np.uint8) for lw, lh in self.sizes]
        self._dirty: list[Rect] = [doc.canvas]

    @property
    def levels(self) -> int:
        return len(self._levels)

    def close(self) -> None:
        close = getattr(self.renderer, "close", None)
        if close is not None:
            close()

    def level(self, index: int) -> np.ndarray:
        return self._levels[index]

    def invalidate(self, rect: Rect | None = None) -> None:
        r = self.doc.canvas if rect is None else rect.intersect(self.doc.canvas)
        if not r.empty:
            self._dirty.append(r)

    def update(self) -> bool:
        """Render what is dirty; True when anything changed."""
        if not self._dirty:
            return False
        dirty, self._dirty = _coalesce(self._dirty), []
        for rect in dirty:
            self._levels[0][rect.slices()] = self.renderer.render(rect)
            self._propagate(rect)
        return True

    def _propagate(self, rect: Rect) -> None:
        x0, y0, x1, y1 = rect.x, rect.y, rect.right, rect.bottom
        for k in range(1, len(self._levels)):
            src, dst = self._levels[k - 1], self._levels[k]
            # Align the block to even source pixels so each output pixel averages a full 2x2.
            x0, y0 = x0 & ~1, y0 & ~1
            x1, y1 = min(src.shape[1], x1 + (x1 & 1)), min(src.shape[0], y1 + (y1 & 1))
            dx0, dy0 = x0 // 2, y0 // 2
            dx1, dy1 = (x1 + 1) // 2, (y1 + 1) // 2
            block = src[y0:y1, x0:x1]
            dst[dy0:dy1, dx0:dx1] = cv2.resize(block, (dx1 - dx0, dy1 - dy0), interpolation=cv2.INTER_AREA)
            x0, y0, x1, y1 = dx0, dy0, dx1, dy1


class _PlainRenderer:
    """render(doc, rect) without caches, until editor.render offers a Renderer."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def render(self, rect: Rect) -> np.ndarray:
        from editor.render import render

        return render(self.doc, rect)


def _renderer_for(doc: Document):
    import editor.render as render_module

    renderer_class = getattr(render_module, "Renderer", None)
    return renderer_class(doc) if renderer_class is not None else _PlainRenderer(doc)


def _coalesce(rects: list[Rect]) -> list[Rect]:
    """Merge the dirty rects into their union when that costs less than twice their area."""
    if len(rects) == 1:
        return rects
    union = rects[0]
    for r in rects[1:]:
        union = union.union(r)
    area = sum(r.w * r.h for r in rects)
    return [union] if union.w * union.h <= 2 * area else rects
