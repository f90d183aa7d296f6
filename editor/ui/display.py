"""What the canvas draws: the composite as a mipmap pyramid of QImages.

editor.render's MipmapPyramid keeps level 0 (the full-resolution composite,
premultiplied BGRA: the bytes of QImage.Format_ARGB32_Premultiplied) and its
halvings up to date from the document's events; dirty rectangles are
re-rendered lazily, just before the next paint, so many changes between two
frames cost one render. Here the levels are wrapped as QImages without copying.

A change over a large area (a slider's step in the Properties panel, a gradient, a bucket
fill, their undo) is previewed at the level the screen draws and only inside the viewport;
`SETTLE_MS` after the last one the full-resolution render replaces the preview and
`on_settled` (the canvas's repaint) is called. A finer level, a viewport reaching outside
what was previewed, or a pixel read settles first, so nothing stale is ever shown or read.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage

from editor.core import Document, Rect
from editor.render import MipmapPyramid, Renderer

SETTLE_MS = 180


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
        self.on_settled: Callable[[], None] | None = None
        self._settle_timer = QTimer()
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self.settle)

    def settle(self) -> None:
        """Replace a preview by the full-resolution render (and repaint)."""
        self._settle_timer.stop()
        if self.pyramid.settle() and self.on_settled is not None:
            self.on_settled()

    def close(self) -> None:
        self._settle_timer.stop()
        self.pyramid.close()
        self.renderer.close()

    def invalidate(self, rect: Rect | None = None) -> None:
        """Mark a rectangle for re-rendering (changes the pyramid did not hear about as events)."""
        r = self.doc.canvas if rect is None else rect.intersect(self.doc.canvas)
        preview = self.pyramid.preview_pending
        if preview is not None and preview.union(r) == preview:
            return  # the pyramid heard of it and previews it (the full render follows on settle)
        if not r.empty:
            self.pyramid.pending = r.union(self.pyramid.pending)

    def level_for(self, device_scale: float) -> int:
        """The smallest level still at least as detailed as the screen (device px per doc px)."""
        return self.pyramid.level_for(device_scale)

    def level_image(self, level: int, viewport: Rect | None = None) -> tuple[QImage, float]:
        """The level's image, refreshed (inside `viewport`, the document rect on screen, when
        given), and its scale relative to the document (1, 1/2, ...)."""
        pyramid = self.pyramid
        stale = pyramid.deferred is not None or pyramid.preview_pending is not None
        if stale and (level < pyramid.preview_level or (viewport is not None and not pyramid.covers(viewport))):
            pyramid.settle()  # finer than the preview, or outside it: the full render first
        pyramid.preview_level = level
        pyramid.viewport = viewport
        pyramid.refresh()
        if pyramid.deferred is not None:
            self._settle_timer.start()
        array = self.pyramid.levels[level]
        image = self._images.get(level)
        if image is None or image._keepalive is not array:
            image = self._images[level] = _qimage(array)
        return image, 1.0 / (1 << level)

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int] | None:
        """Straight RGBA of the composite at a document pixel, None outside the canvas."""
        if not (0 <= x < self.doc.width and 0 <= y < self.doc.height):
            return None
        self.settle()
        self.pyramid.refresh()
        b, g, r, a = (int(v) for v in self.pyramid.levels[0][y, x])
        if a == 0:
            return (0, 0, 0, 0)
        return (min(255, r * 255 // a), min(255, g * 255 // a), min(255, b * 255 // a), a)
