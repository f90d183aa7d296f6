"""`MipmapPyramid`: the composite at scales 1, 1/2, 1/4 ..., updated per dirty rectangle.

The canvas draws from the level nearest its zoom instead of scaling the full image
each frame. Level k is the 2x2 area average of level k-1 (an odd last row or column
is averaged with a copy of itself), so one dirty rectangle touches a small block of
every level.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from editor.core import Change, Rect

from .renderer import Renderer, affected_rect


def _halve(block: np.ndarray) -> np.ndarray:
    h, w = block.shape[:2]
    if h % 2 or w % 2:
        block = cv2.copyMakeBorder(block, 0, h % 2, 0, w % 2, cv2.BORDER_REPLICATE)
    return cv2.resize(block, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA)


class MipmapPyramid:
    def __init__(self, renderer: Renderer, *, min_side: int = 128) -> None:
        self.renderer = renderer
        self.min_side = min_side
        self.levels: list[np.ndarray] = []
        self.pending: Rect | None = None
        renderer.doc.events.connect(self._on_change)
        self.rebuild()

    def close(self) -> None:
        self.renderer.doc.events.disconnect(self._on_change)

    def rebuild(self) -> None:
        doc = self.renderer.doc
        self.levels = [self.renderer.render(doc.canvas)]
        while max(self.levels[-1].shape[:2]) > self.min_side:
            self.levels.append(_halve(self.levels[-1]))
        self.pending = None

    def _on_change(self, change: Change) -> None:
        if change.kind == "document":
            self.pending = self.renderer.doc.canvas
            return
        rect = affected_rect(self.renderer.doc, change)
        if rect is not None and not rect.empty:
            self.pending = rect.union(self.pending)

    def refresh(self) -> Rect | None:
        """Re-render what changed since the last refresh; returns that rectangle (level 0)."""
        doc = self.renderer.doc
        if self.levels[0].shape[:2] != (doc.height, doc.width):
            self.rebuild()
            return doc.canvas
        rect, self.pending = self.pending, None
        if rect is not None:
            self.update(rect)
        return rect

    def update(self, rect: Rect) -> None:
        rect = rect.intersect(self.renderer.doc.canvas)
        if rect.empty:
            return
        self.renderer.render(rect, out=self.levels[0][rect.slices()])  # straight into level 0, no copy
        for k in range(1, len(self.levels)):
            prev_h, prev_w = self.levels[k - 1].shape[:2]
            x0, y0 = rect.x // 2, rect.y // 2
            x1, y1 = (rect.right + 1) // 2, (rect.bottom + 1) // 2
            source = Rect.from_bounds(2 * x0, 2 * y0, min(2 * x1, prev_w), min(2 * y1, prev_h))
            rect = Rect.from_bounds(x0, y0, x1, y1)
            self.levels[k][rect.slices()] = _halve(self.levels[k - 1][source.slices()])

    # --- for the canvas -----------------------------------------------------------
    def level_for(self, zoom: float) -> int:
        """The smallest level still at least as detailed as the screen at `zoom`."""
        if zoom >= 1:
            return 0
        return min(len(self.levels) - 1, int(math.floor(math.log2(1 / zoom) + 1e-9)))

    def region(self, zoom: float, rect: Rect) -> tuple[np.ndarray, Rect, float]:
        """(pixels, their rect in level coordinates, level scale) covering document `rect` at `zoom`."""
        k = self.level_for(zoom)
        scale = 1 / (1 << k)
        level = self.levels[k]
        x0, y0 = rect.x >> k, rect.y >> k
        x1, y1 = -((-rect.right) >> k), -((-rect.bottom) >> k)
        part = Rect.from_bounds(x0, y0, x1, y1).intersect(Rect(0, 0, level.shape[1], level.shape[0]))
        return level[part.slices()], part, scale
