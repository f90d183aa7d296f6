"""What the canvas draws: the composite as a mipmap pyramid of QImages.

editor.render's MipmapPyramid keeps level 0 (the full-resolution composite,
premultiplied BGRA: the bytes of QImage.Format_ARGB32_Premultiplied) and its
halvings up to date from the document's events; dirty rectangles are
re-rendered lazily, just before the next paint, so many changes between two
frames cost one render. Here the levels are wrapped as QImages without copying.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from editor.core import Document, Rect
from editor.render import MipmapPyramid, Renderer


def _qimage(array: np.ndarray) -> QImage:
    h, w = array.shape[:2]
    image = QImage(array.data, w, h, array.strides[0], QImage.Format.Format_ARGB32_Premultiplied)
    image._keepalive = array  # the QImage borrows the numpy buffer
    return image


class DisplaySource:
    """The document's composite at every zoom level, kept up to date per dirty rect."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.renderer = Renderer(doc)
        self.pyramid = MipmapPyramid(self.renderer)
        self._images: dict[int, QImage] = {}

    def close(self) -> None:
        self.pyramid.close()
        self.renderer.close()

    def invalidate(self, rect: Rect | None = None) -> None:
        """Mark a rectangle for re-rendering (changes the pyramid did not hear about as events)."""
        r = self.doc.canvas if rect is None else rect.intersect(self.doc.canvas)
        if not r.empty:
            self.pyramid.pending = r.union(self.pyramid.pending)

    def level_for(self, device_scale: float) -> int:
        """The smallest level still at least as detailed as the screen (device px per doc px)."""
        return self.pyramid.level_for(device_scale)

    def level_image(self, level: int) -> tuple[QImage, float]:
        """The level's image, refreshed, and its scale relative to the document (1, 1/2, ...)."""
        self.pyramid.refresh()
        array = self.pyramid.levels[level]
        image = self._images.get(level)
        if image is None or image._keepalive is not array:
            image = self._images[level] = _qimage(array)
        return image, 1.0 / (1 << level)

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int] | None:
        """Straight RGBA of the composite at a document pixel, None outside the canvas."""
        if not (0 <= x < self.doc.width and 0 <= y < self.doc.height):
            return None
        self.pyramid.refresh()
        b, g, r, a = (int(v) for v in self.pyramid.levels[0][y, x])
        if a == 0:
            return (0, 0, 0, 0)
        return (min(255, r * 255 // a), min(255, g * 255 // a), min(255, b * 255 // a), a)
