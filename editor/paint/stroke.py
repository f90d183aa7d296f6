"""One brush or eraser stroke on a layer's mask or pixels, live, as one undo step."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from editor.core import Document, Layer, Node, PixelEdit, Rect, TileRecorder

from . import kernels
from .brush import Brush
from .path import DabWalk, Sample, Stabiliser
from .tiles import StrokeTiles

_NO_SELECTION = np.zeros((1, 1), np.uint8)


class PaintRefused(Exception):
    """The target cannot be painted (locked, no mask, no pixels); the message says why."""


def paint_target(doc: Document) -> tuple[Node | None, str]:
    """What a brush stroke paints now: (node, "mask" or "pixels").

    The quick mask while it is on (Q), else the active layer's mask or pixels.
    """
    if doc.quick_mask is not None:
        return doc.quick_mask, "mask"
    return doc.active, "mask" if doc.edit_mask else "pixels"


def check_paintable(node: Node | None, target: str) -> None:
    """Raise PaintRefused with a message for the user when `node`'s `target` cannot be painted."""
    if node is None:
        raise PaintRefused("No layer is selected.")
    if node.locked or any(group.locked for group in node.ancestors()):
        raise PaintRefused(f"“{node.name}” is locked.")
    if not node.visible:
        raise PaintRefused(f"“{node.name}” is hidden; show it to paint on it.")
    if target == "mask" and node.mask is None:
        raise PaintRefused(f"“{node.name}” has no mask to paint.")
    if target == "pixels" and not isinstance(node, Layer):
        raise PaintRefused(f"“{node.name}” has no pixels to paint; edit its mask instead.")


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
        target = target or paint_target(doc)[1]
        if target not in ("mask", "pixels"):
            raise ValueError("target must be 'mask' or 'pixels'")
        check_paintable(node, target)
        self.doc, self.node, self.target, self.brush, self.eraser = doc, node, target, brush, eraser
        if target == "mask":
            assert node.mask is not None
            self.array = node.mask.data
            value = _mask_value(paint)
            # White shows whatever the mask's settings: an inverted mask stores the opposite value.
            self.value = float(255 - value if node.mask.inverted else value)
        else:
            assert isinstance(node, Layer)
            self.array = node.pixels
            self.color = np.array(_rgb(paint), np.float64)
            self.mode = (kernels.PAINT_KEEP_ALPHA if node.alpha_locked
                         else kernels.ERASE if eraser else kernels.PAINT)
        h, w = self.array.shape[:2]
        self.bounds = Rect(0, 0, w, h)
        self.offset = node.offset
        self.tiles = StrokeTiles(self.array)
        self.recorder = TileRecorder(self.array)
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
        delta = self.recorder.finish()
        self._release()
        if not delta:
            return None
        label = ("Eraser" if self.eraser else "Brush") + (" on mask" if self.target == "mask" else "")
        cmd = PixelEdit(self.node, self.target, delta, label)
        self.doc.record(cmd, mergeable=False)
        return cmd

    def cancel(self) -> None:
        """Abandon the stroke, putting back what it painted (Escape while painting)."""
        if self.finished:
            return
        self.finished = True
        rect = self.recorder.finish().write(self.array, "before")
        self._release()
        if rect is not None:
            self.doc.notify(self.target, self.node, rect.translated(*self.offset))

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
        dirty = changed.translated(ox, oy)
        self.dirty = dirty.union(self.dirty)
        self.doc.notify(self.target, self.node, dirty)
        return dirty

    def _stamp(self, dabs: np.ndarray, rects: np.ndarray) -> None:
        sel = self.doc.selection
        use_sel = sel is not None
        sel_data = sel.data if use_sel else _NO_SELECTION
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


def _mask_value(paint: int | Sequence[int]) -> int:
    if isinstance(paint, int | float | np.integer | np.floating):
        return int(min(255, max(0, round(float(paint)))))
    r, g, b = _rgb(paint)
    return int(round(0.299 * r + 0.587 * g + 0.114 * b))  # a colour on a mask paints its grey


def _rgb(paint: int | Sequence[int]) -> tuple[int, int, int]:
    if isinstance(paint, int | float | np.integer | np.floating):
        v = int(paint)
        return v, v, v
    r, g, b = (int(c) for c in tuple(paint)[:3])
    return r, g, b
