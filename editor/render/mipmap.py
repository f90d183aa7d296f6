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

# A change covering more than this (a slider's step, a gradient, a bucket fill, their undo) is
# shown first at the level the screen draws, from reduced copies of the layers, and only
# inside the viewport; the full render follows on `settle`.
PREVIEW_AREA = 1 << 21

# What previews: a node's settings, its mask's settings or content, its pixels (not the tree).
_PREVIEW_KINDS = ("property", "mask", "pixels")


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
        # The document rect the screen shows (set by the display; None: all of it). A large
        # change renders only inside it; the rest waits in `deferred`.
        self.viewport: Rect | None = None
        # Where the preview level and those above it are up to date inside `deferred`
        # (None: everywhere); a viewport reaching outside it needs `settle` first.
        self.shown: Rect | None = None
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
        self.pending = self.preview_pending = self.deferred = self.shown = None

    def _on_change(self, change: Change) -> None:
        if change.kind == "document":
            self.pending = self.renderer.doc.canvas
            return
        rect = affected_rect(self.renderer.doc, change)
        if rect is None or rect.empty:
            return
        if self.preview_level > 0 and change.kind in _PREVIEW_KINDS and rect.w * rect.h > PREVIEW_AREA:
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
            self.update(self._in_view(rect))
        preview, self.preview_pending = self.preview_pending, None
        if preview is not None:
            if not self._update_preview(preview):
                self.update(self._in_view(preview))  # a kind with no reduced proxy: the full render now
            rect = preview.union(rect)
        return rect

    def _in_view(self, rect: Rect) -> Rect:
        """The part of a change to render now: a large one only inside the viewport (the rest is
        deferred to `settle`)."""
        view = self.viewport
        if view is None or rect.w * rect.h <= PREVIEW_AREA:
            return rect
        inside = rect.intersect(view)
        if inside != rect:
            self.deferred = rect.union(self.deferred)
            self.shown = view if self.shown is None else view.intersect(self.shown)
        return inside

    def covers(self, viewport: Rect) -> bool:
        """The preview level (and those above) shows `viewport` up to date: no `settle` needed
        to draw it there."""
        if self.deferred is None or self.shown is None:
            return True
        view = viewport.intersect(self.renderer.doc.canvas)
        return view.empty or self.shown.union(view) == self.shown

    def _update_preview(self, rect: Rect) -> bool:
        """Render `rect` (level 0 coordinates) at the preview level and the levels above it,
        inside the viewport."""
        k = min(self.preview_level, len(self.levels) - 1)
        if self._preview is None:
            self._preview = PreviewRenderer(self.renderer.doc)
        level = self.levels[k]
        view = rect if self.viewport is None else rect.intersect(self.viewport)
        part = Rect.from_bounds(view.x >> k, view.y >> k, -((-view.right) >> k), -((-view.bottom) >> k))
        part = part.intersect(Rect(0, 0, level.shape[1], level.shape[0]))
        if not part.empty and self._preview.render(k, part, out=level[part.slices()]) is None:
            return False
        if not part.empty:
            self._halve_from(k, part)
        self.deferred = rect.union(self.deferred)
        if view != rect:
            self.shown = self.viewport if self.shown is None else self.viewport.intersect(self.shown)
        return True

    def settle(self) -> bool:
        """Render at full resolution what was shown as a preview; True when there was any."""
        if self.deferred is None and self.preview_pending is None:
            return False
        self.pending = self.pending.union(self.deferred) if self.pending is not None else self.deferred
        if self.preview_pending is not None:
            self.pending = self.preview_pending.union(self.pending)
        self.deferred = self.preview_pending = self.shown = None
        pending, self.pending = self.pending, None
        self.update(pending)  # all of it, the viewport or not
        self.refresh()
        return True

    def update(self, rect: Rect) -> None:
        rect = rect.intersect(self.renderer.doc.canvas)
        if rect.empty:
            return
        if self.deferred is not None:
            # Level 0 around `rect` may be stale: render whole blocks of the coarsest level,
            # so no level above is averaged from stale pixels.
            s = 1 << (len(self.levels) - 1)
            rect = Rect.from_bounds(rect.x // s * s, rect.y // s * s, -(-rect.right // s) * s,
                                    -(-rect.bottom // s) * s).intersect(self.renderer.doc.canvas)
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
