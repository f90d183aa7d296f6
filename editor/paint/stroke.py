"""One brush or eraser stroke on a layer's mask or pixels, live, as one undo step."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from editor.core import Document, Node, PixelEdit, Rect

from . import kernels
from .brush import Brush
from .path import DabWalk, Sample, Stabiliser
from .target import PaintRefused, PaintTarget, check_paintable, current_target
from .tiles import StrokeTiles

__all__ = ["PaintRefused", "Stroke", "check_paintable", "paint_target"]

# Kept here for the callers that imported them from the stroke; they live with the target.
paint_target = current_target


class Stroke:
    """A stroke in progress.

    target: "mask" or "pixels" (None: what `paint_target` says).
    paint: a mask value 0..255 (255 shows, also on an inverted mask), or an
        (r, g, b[, a]) colour for pixels. The
        eraser passes the background here: on a mask it paints that value,
        on an alpha-locked layer that colour; on other layers it removes alpha.
    Points are in document coordinates. `add_point` paints the dabs up to the
    point and announces their rectangle; `end` records the undo step.
    """

    def __init__(self, doc: Document, node: Node, target: str | None, brush: Brush,
                 paint: int | Sequence[int], *, eraser: bool = False) -> None:
        target = target or current_target(doc)[1]
        self.paint_target = PaintTarget(doc, node, target)  # the rules every writer shares
        self.doc, self.node, self.target, self.brush, self.eraser = doc, node, target, brush, eraser
        t = self.paint_target
        self.array = t.array
        if target == "mask":
            # White shows whatever the mask's settings: an inverted mask stores the opposite value.
            self.value = float(t.paint_value(paint))
        else:
            self.color = np.array(t.paint_value(paint), np.float64)
            self.mode = t.pixel_mode(eraser=eraser)
        self.bounds = t.bounds
        self.offset = t.offset
        self.tiles = StrokeTiles(self.array)
        self.recorder = t.recorder
        self.stabiliser = Stabiliser(brush.smoothing)
        self.walk = DabWalk(brush.step)
        self.raw: Sample | None = None  # the pen's own last position, before smoothing
        self.dirty: Rect | None = None  # everything the stroke has touched, document coordinates
        self.finished = False

    @property
    def last_point(self) -> tuple[float, float] | None:
        """Where the pen last was (document coordinates): Shift+click draws a line from here."""
        return None if self.raw is None else (self.raw.x, self.raw.y)

    def add_point(self, x: float, y: float, pressure: float = 1.0) -> Rect | None:
        """The pen moved (or touched down) here; paint up to it. Returns the document rect changed."""
        self.raw = Sample(float(x), float(y), float(pressure))
        return self._paint(self.walk.to(self.stabiliser.feed(self.raw)))

    def line_to(self, x: float, y: float, pressure: float = 1.0) -> Rect | None:
        """A straight segment from the last point, bypassing the stabiliser (Shift+click)."""
        self.raw = Sample(float(x), float(y), float(pressure))
        self.stabiliser.current = self.raw
        return self._paint(self.walk.to(self.raw))

    def end(self) -> PixelEdit | None:
        """Finish the stroke (catching up with the pen) and record it as one undo step."""
        if self.finished:
            return None
        if self.raw is not None and self.raw != self.stabiliser.current:
            self.line_to(*self.raw)
        self.finished = True
        label = "Eraser" if self.eraser else "Brush"
        cmd = self.paint_target.commit(label)
        self._release()
        return cmd

    def cancel(self) -> None:
        """Abandon the stroke, putting back what it painted (Escape while painting)."""
        if self.finished:
            return
        self.finished = True
        self.paint_target.cancel()
        self._release()

    # --- painting ---------------------------------------------------------
    def _paint(self, samples: list[Sample]) -> Rect | None:
        if self.finished:
            raise RuntimeError("the stroke has ended")
        ox, oy = self.offset
        dabs, rects, changed = [], [], None
        for s in samples:
            radius = self.brush.radius(s.pressure)
            cap = self.brush.cap(s.pressure)
            if cap <= 0.0 or self.brush.flow <= 0.0:
                continue
            cx, cy = s.x - ox, s.y - oy
            reach = radius + 1.0
            rect = Rect.from_bounds(math.floor(cx - reach), math.floor(cy - reach),
                                    math.ceil(cx + reach), math.ceil(cy + reach)).intersect(self.bounds)
            if rect.empty:
                continue
            self._keep_original(rect)
            dabs.append((cx, cy, radius, self.brush.flow, cap))
            rects.append((rect.x, rect.y, rect.right, rect.bottom))
            changed = rect.union(changed)
        if changed is None:
            return None
        self._stamp(np.array(dabs, np.float64), np.array(rects, np.int64))
        dirty = self.paint_target.changed(changed)
        self.dirty = dirty.union(self.dirty)
        return dirty

    def _stamp(self, dabs: np.ndarray, rects: np.ndarray) -> None:
        sel_data, use_sel = self.paint_target.selection_data()
        ox, oy = self.offset
        t = self.tiles
        if self.target == "mask":
            kernels.stamp_mask(self.array, t.original, t.buffer, t.slots, dabs, rects, self.brush.hardness,
                               self.value, sel_data, use_sel, ox, oy)
        else:
            kernels.stamp_pixels(self.array, t.original, t.buffer, t.slots, dabs, rects, self.brush.hardness,
                                 self.color, self.mode, sel_data, use_sel, ox, oy)

    def _keep_original(self, rect: Rect) -> None:
        """Before the first write into a tile: keep it for undo and as the stroke's base."""
        self.recorder.touch(rect)
        self.tiles.touch(rect)

    def _release(self) -> None:
        self.tiles.release()
        del self.tiles
