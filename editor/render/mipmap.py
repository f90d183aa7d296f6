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

from .preview import PreviewRenderer
from .renderer import Renderer, affected_rect

# A change of settings (a slider's step) covering more than this previews first at the level
# the screen shows, from reduced copies of the layers; the full render follows on `settle`.
PREVIEW_AREA = 1 << 21


def _is_setting(change: Change) -> bool:
    """A property of a node or of its mask (not its pixels, not the tree)."""
    return change.kind == "property" or (change.kind == "mask" and change.name is not None)


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
        # The level the screen draws (set by the display); 0: no previews.
        self.preview_level = 0
        self.preview_pending: Rect | None = None
        self.deferred: Rect | None = None  # shown as a preview, still to render at full resolution
        self._preview: PreviewRenderer | None = None
        renderer.doc.events.connect(self._on_change)
        self.rebuild()

    def close(self) -> None:
        self.renderer.doc.events.disconnect(self._on_change)
        if self._preview is not None:
            self._preview.close()

    def rebuild(self) -> None:
        doc = self.renderer.doc
        self.levels = [self.renderer.render(doc.canvas)]
        while max(self.levels[-1].shape[:2]) > self.min_side:
            self.levels.append(_halve(self.levels[-1]))
        self.pending = self.preview_pending = self.deferred = None

    def _on_change(self, change: Change) -> None:
        if change.kind == "document":
            self.pending = self.renderer.doc.canvas
            return
        rect = affected_rect(self.renderer.doc, change)
        if rect is None or rect.empty:
            return
        if self.preview_level > 0 and _is_setting(change) and rect.w * rect.h > PREVIEW_AREA:
            self.preview_pending = rect.union(self.preview_pending)
        else:
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
        preview, self.preview_pending = self.preview_pending, None
        if preview is not None:
            if not self._update_preview(preview):
                self.update(preview)  # a kind with no reduced proxy: the full render now
            rect = preview.union(rect)
        return rect

    def _update_preview(self, rect: Rect) -> bool:
        """Render `rect` (level 0 coordinates) at the preview level and the levels above it."""
        k = min(self.preview_level, len(self.levels) - 1)
        if self._preview is None:
            self._preview = PreviewRenderer(self.renderer.doc)
        level = self.levels[k]
        part = Rect.from_bounds(rect.x >> k, rect.y >> k, -((-rect.right) >> k), -((-rect.bottom) >> k))
        part = part.intersect(Rect(0, 0, level.shape[1], level.shape[0]))
        if part.empty:
            return True
        if self._preview.render(k, part, out=level[part.slices()]) is None:
            return False
        self._halve_from(k, part)
        self.deferred = rect.union(self.deferred)
        return True

    def settle(self) -> bool:
        """Render at full resolution what was shown as a preview; True when there was any."""
        if self.deferred is None and self.preview_pending is None:
            return False
        self.pending = self.pending.union(self.deferred) if self.pending is not None else self.deferred
        if self.preview_pending is not None:
            self.pending = self.preview_pending.union(self.pending)
        self.deferred = self.preview_pending = None
        self.refresh()
        return True

    def update(self, rect: Rect) -> None:
        rect = rect.intersect(self.renderer.doc.canvas)
        if rect.empty:
            return
        self.renderer.render(rect, out=self.levels[0][rect.slices()])  # straight into level 0, no copy
        self._halve_from(0, rect)

    def _halve_from(self, start: int, rect: Rect) -> None:
        """Rebuild the levels above `start` under `rect` (coordinates of level `start`)."""
        for k in range(start + 1, len(self.levels)):
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
