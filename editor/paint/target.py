"""The paint target: the one place that knows how any pixel writer changes a layer.

Brush, eraser, gradient, paint bucket, Edit > Fill, Edit > Stroke and Clear all write
through a `PaintTarget`, so they agree on:

- what is painted: the quick mask while it is on (Q), else the active layer's mask
  while the mask is being edited, else its pixels (`PaintTarget.current(doc)`);
  a locked, hidden or mask-less target is refused with `PaintRefused`;
- the array and its offset: writers work in ARRAY coordinates (`rect`s inside
  `bounds`); `to_doc` / `from_doc` translate;
- value mapping on a mask: callers speak in SHOWN values (255 = white = reveal,
  0 = black = hide), also on an inverted mask; `stored()` turns a shown value into
  what the array keeps (255 - v on an inverted mask). Colours paint their grey
  (`mask_value`). On the quick mask 255 means selected;
- selection coverage: a soft selection confines every writer (`coverage(rect)`,
  float 0..1, or None when nothing is selected); the quick mask is never confined
  (while it is on there is no selection);
- alpha lock: on an alpha-locked layer a writer changes colour only;
- mode and opacity: `composite()` lays a source over the array with a blend mode
  (W3C formulas, `editor.render.blendmath`) and opacity, optionally dithered so a
  float ramp does not band in 8 bits;
- undo: `touch(rect)` before writing keeps the 64x64 tiles for undo
  (`TileRecorder`); `commit(label)` records one `PixelEdit` step; `cancel()` puts
  the original back.

A writer in a few lines::

    target = PaintTarget.current(doc)            # or PaintTarget(doc, node, "mask")
    rect = target.selection_rect()               # where a writer may change anything
    target.touch(rect)
    target.composite(rect, source, opacity=0.5)  # source: shown mask values or RGBA
    target.commit("Fill")                        # one undo step, the canvas repaints

Sources for `composite`: on a mask, shown values 0..255 as float (h, w) or a scalar;
on pixels, straight RGBA as float 0..255 (h, w, 4) or an (r, g, b[, a]) tuple.
`alpha` (h, w) 0..1 is the writer's own coverage (a bucket's soft edge); the
selection and opacity multiply it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit, prange

from editor.core import (
    TILE,
    BlendMode,
    Document,
    Layer,
    Node,
    PixelEdit,
    Rect,
    TileBlock,
    TileDelta,
    TileRecorder,
)
from editor.render.preview import HeldReduction, held_reductions, keep_reductions, update_reduction

from . import kernels

_NO_SELECTION = np.zeros((1, 1), np.uint8)

# 8x8 Bayer matrix: thresholds (k + 0.5) / 64 for ordered dithering of float values to uint8.
_B2 = np.array([[0, 2], [3, 1]])
_B4 = np.block([[4 * _B2, 4 * _B2 + 2], [4 * _B2 + 3, 4 * _B2 + 1]])
_B8 = np.block([[4 * _B4, 4 * _B4 + 2], [4 * _B4 + 3, 4 * _B4 + 1]])
BAYER8 = ((_B8 + 0.5) / 64.0).astype(np.float32)
_HALF = np.full((1, 1), 0.5, np.float32)  # plain rounding


class PaintRefused(Exception):
    """The target cannot be painted (locked, no mask, no pixels); the message says why."""


def current_target(doc: Document) -> tuple[Node | None, str]:
    """What a writer paints now: (node, "mask" or "pixels").

    The quick mask while it is on (Q), else the active layer's mask or pixels.
    """
    if doc.quick_mask is not None:
        return doc.quick_mask, "mask"
    return doc.active, "mask" if doc.edit_mask else "pixels"


def check_paintable(node: Node | None, kind: str) -> None:
    """Raise PaintRefused with a message for the user when `node`'s `kind` cannot be painted."""
    if node is None:
        raise PaintRefused("No layer is selected.")
    if node.locked or any(group.locked for group in node.ancestors()):
        raise PaintRefused(f"“{node.name}” is locked.")
    if not node.visible:
        raise PaintRefused(f"“{node.name}” is hidden; show it to paint on it.")
    if kind == "mask" and node.mask is None:
        raise PaintRefused(f"“{node.name}” has no mask to paint.")
    if kind == "pixels" and not isinstance(node, Layer):
        raise PaintRefused(f"“{node.name}” has no pixels to paint; edit its mask instead.")


def mask_value(paint: float | Sequence[float]) -> int:
    """A shown mask value 0..255 for a number, or the grey of an (r, g, b) colour."""
    if isinstance(paint, int | float | np.integer | np.floating):
        return int(min(255, max(0, round(float(paint)))))
    r, g, b = (float(c) for c in tuple(paint)[:3])
    return int(round(0.299 * r + 0.587 * g + 0.114 * b))


def rgb(paint: float | Sequence[float]) -> tuple[int, int, int]:
    """An (r, g, b) colour for a number (its grey) or a colour."""
    if isinstance(paint, int | float | np.integer | np.floating):
        v = int(paint)
        return v, v, v
    r, g, b = (int(c) for c in tuple(paint)[:3])
    return r, g, b


class PaintTarget:
    """A node's mask or pixels as something to paint, with every rule writers share (see the module)."""

    def __init__(self, doc: Document, node: Node | None, kind: str) -> None:
        if kind not in ("mask", "pixels"):
            raise ValueError("kind must be 'mask' or 'pixels'")
        check_paintable(node, kind)
        assert node is not None
        self.doc, self.node, self.kind = doc, node, kind
        self.quick_mask = node is doc.quick_mask
        if kind == "mask":
            assert node.mask is not None
            self.array: np.ndarray = node.mask.data
            self.inverted = bool(node.mask.inverted)
            self.alpha_locked = False
        else:
            assert isinstance(node, Layer)
            self.array = node.pixels
            self.inverted = False
            self.alpha_locked = bool(node.alpha_locked)
        h, w = self.array.shape[:2]
        self.bounds = Rect(0, 0, w, h)
        self.offset: tuple[int, int] = node.offset
        self.recorder = TileRecorder(self.array)
        self.dirty: Rect | None = None  # array rect changed so far (announced)
        self.finished = False
        self._snapshots: list[tuple[Rect, np.ndarray, np.ndarray | None]] = []  # (rect, copy, touched tiles)
        self._known: set[tuple[int, int]] = set()  # tiles whose original a writer kept itself (`keep`)
        self._blocks: list[TileBlock] = []  # blocks of originals writers kept themselves (`keep`)

    @classmethod
    def current(cls, doc: Document) -> PaintTarget:
        """The target the tools paint now (quick mask, edited mask or pixels); PaintRefused if none."""
        node, kind = current_target(doc)
        return cls(doc, node, kind)

    @property
    def is_mask(self) -> bool:
        return self.kind == "mask"

    # --- coordinates ---------------------------------------------------------------
    def to_doc(self, rect: Rect) -> Rect:
        return rect.translated(*self.offset)

    def from_doc(self, rect: Rect) -> Rect:
        """A document rect in array coordinates, clipped to the array."""
        return rect.translated(-self.offset[0], -self.offset[1]).intersect(self.bounds)

    # --- values --------------------------------------------------------------------
    def stored(self, shown: float) -> float:
        """The array value for a shown mask value (white shows, also on an inverted mask)."""
        return 255.0 - shown if self.inverted else float(shown)

    def shown(self, stored: float) -> float:
        return 255.0 - stored if self.inverted else float(stored)

    def paint_value(self, paint: float | Sequence[float]) -> float | tuple[int, int, int]:
        """What `paint` (a colour or grey) lays down here: a STORED mask value, or an RGB colour."""
        if self.is_mask:
            return self.stored(mask_value(paint))
        return rgb(paint)

    def black(self) -> float:
        """Clear on a mask: the stored value that shows black (hides)."""
        return self.stored(0.0)

    def pixel_mode(self, *, eraser: bool = False) -> int:
        """The dab kernels' mode for pixels: colour only when alpha-locked, else erase or paint."""
        if self.alpha_locked:
            return kernels.PAINT_KEEP_ALPHA
        return kernels.ERASE if eraser else kernels.PAINT

    # --- the selection ---------------------------------------------------------------
    def selection_data(self) -> tuple[np.ndarray, bool]:
        """(document-sized selection data, use it?) for kernels that read it per pixel at
        (x + offset); the quick mask is never confined."""
        sel = self.doc.selection
        if sel is None or self.quick_mask:
            return _NO_SELECTION, False
        return sel.data, True

    def coverage(self, rect: Rect) -> np.ndarray | None:
        """Selection coverage 0..1 (float32, rect-sized) over an array rect; None: no selection."""
        data, use = self.selection_data()
        if not use:
            return None
        ox, oy = self.offset
        out = np.zeros((rect.h, rect.w), np.float32)
        doc_rect = rect.translated(ox, oy)
        inside = doc_rect.intersect(Rect(0, 0, data.shape[1], data.shape[0]))
        if not inside.empty:
            part = data[inside.slices()]
            out[inside.translated(-doc_rect.x, -doc_rect.y).slices()] = part * np.float32(1.0 / 255.0)
        return out

    def selection_rect(self) -> Rect:
        """The array rect a writer may change: the selection's bounds (or the whole array)."""
        data, use = self.selection_data()
        if not use:
            return self.bounds
        sel_bounds = self.doc.selection.bounds() if self.doc.selection is not None else None
        if sel_bounds is None:
            return Rect(0, 0, 0, 0)
        return self.from_doc(sel_bounds)

    # --- undo and announcing -------------------------------------------------------------
    def touch(self, rect: Rect) -> None:
        """Before writing into `rect` (array coordinates): keep its tiles for undo."""
        self.recorder.touch(rect)

    def snapshot(self, rect: Rect, coverage: np.ndarray | None = None) -> tuple[Rect, np.ndarray]:
        """Keep the original of `rect` (grown to whole 64x64 tiles, inside the array) in one copy,
        for undo and as the base a writer redraws from (a gradient's live preview); returns
        (the grown rect, the copy). Cheaper than `touch` tile by tile on a whole 24 MP layer:
        the recorder's tiles are views of the one copy.

        coverage: the writer's own coverage over `rect` (rect-sized), when it will leave every
        pixel where it is 0 as it is (a bucket's region): the tiles it touches are then known,
        and the commit need not compare the copy with the array tile by tile."""
        touched = None
        if coverage is not None and rect.intersect(self.bounds) == rect:
            touched = coverage
        rect = rect.intersect(self.bounds)
        if rect.empty:
            return rect, self.array[0:0, 0:0].copy()
        x0, y0 = rect.x // TILE * TILE, rect.y // TILE * TILE
        grown = Rect.from_bounds(x0, y0, rect.right, rect.bottom).intersect(self.bounds)
        x1 = min(self.bounds.w, -(-grown.right // TILE) * TILE)
        y1 = min(self.bounds.h, -(-grown.bottom // TILE) * TILE)
        grown = Rect.from_bounds(x0, y0, x1, y1)
        copy = self.array[grown.slices()].copy()
        flags = None
        if touched is not None:
            flags = np.zeros((-(-grown.h // TILE), -(-grown.w // TILE)), np.bool_)
            _touched_tiles(touched, rect.x - grown.x, rect.y - grown.y, flags)
        self._snapshots.append((grown, copy, flags))
        before = self.recorder.before
        held = self.recorder.held
        for ty in range(y0 // TILE, -(-y1 // TILE)):
            for tx in range(x0 // TILE, -(-x1 // TILE)):
                if held is not None and held[ty, tx]:  # kept in a block: put its original in the copy
                    ys, xs = ty * TILE - y0, tx * TILE - x0
                    old = next(b[(ty, tx)] for b in self._blocks if (ty, tx) in b)
                    copy[ys:ys + old.shape[0], xs:xs + old.shape[1]] = old
                elif (ty, tx) not in before:
                    ys, xs = ty * TILE - y0, tx * TILE - x0
                    before[(ty, tx)] = copy[ys:ys + TILE, xs:xs + TILE]
                else:  # written before the snapshot: the copy must hold the true original
                    ys, xs = ty * TILE - y0, tx * TILE - x0
                    old = before[(ty, tx)]
                    copy[ys:ys + old.shape[0], xs:xs + old.shape[1]] = old
        return grown, copy

    def keep(self, originals: dict[tuple[int, int], np.ndarray] | TileBlock) -> None:
        """Originals of 64x64 tiles (whole tiles, clipped to the array) a writer copied itself
        just before changing them (the bucket's one-pass write): kept for undo without comparing.
        A tile already kept (touched or snapshotted earlier) keeps its earlier, true original.
        A `TileBlock` (thousands of tiles in one array) is kept as it is, not tile by tile."""
        before = self.recorder.before
        if isinstance(originals, TileBlock):
            rows, cols = originals.slots.shape
            earlier = np.zeros((rows, cols), np.bool_) if self.recorder.held is None else self.recorder.held.copy()
            for ty, tx in before:
                earlier[ty, tx] = True
            originals.discard(earlier & originals.held())
            self.recorder.held = earlier | originals.held()
            self._blocks.append(originals)
            return
        held = self.recorder.held
        for key, tile in originals.items():
            if key not in before and not (held is not None and held[key]):
                before[key] = tile
                self._known.add(key)

    def changed(self, rect: Rect | None) -> Rect | None:
        """`rect` (array coordinates) was written: announce it; return it in document coordinates."""
        if rect is None or rect.empty:
            return None
        self.dirty = rect.union(self.dirty)
        doc_rect = self.to_doc(rect)
        # A preview's reduced copy of this mask is brought up to date over `rect` only, and kept
        # through the notice that would drop it: the next preview need not reduce the whole mask.
        held = held_reductions(self.doc, self.node, "mask") if self.is_mask else []
        for h in held:
            update_reduction(h, rect)
        self.doc.notify(self.kind, self.node, doc_rect)
        keep_reductions(held)
        return doc_rect

    def commit(self, label: str) -> PixelEdit | None:
        """Record everything written since the target was made as one undo step (None: nothing
        changed); on a mask the label gains " on mask" ("Brush on mask")."""
        cmd = self.take(label)
        if cmd is not None:
            self.doc.record(cmd, mergeable=False)
        return cmd

    def take(self, label: str) -> PixelEdit | None:
        """Like `commit`, without recording: the already-applied command, for a caller that
        records it as part of a larger step (Layer via Cut: clear, new layer, deselect)."""
        if self.finished:
            return None
        self.finished = True
        delta = self._finish()
        if not delta:
            return None
        if self.is_mask and not label.endswith(" on mask"):
            label += " on mask"
        return PixelEdit(self.node, self.kind, delta, label)

    def cancel(self) -> None:
        """Put back everything written since the target was made."""
        if self.finished:
            return
        self.finished = True
        delta = self._finish()
        rect = delta.write(self.array, "before", keep_after=False)
        delta.release()  # never undone: its blocks may be reused
        if rect is not None:
            self.doc.notify(self.kind, self.node, self.to_doc(rect))

    def _finish(self) -> TileDelta:
        """The recorder's delta, with the snapshot tiles compared in one parallel pass (a whole
        24 MP layer is some 6000 tiles: comparing them one by one in Python costs more than the
        gradient that changed them); "after" stays in the array until the first undo (TileDelta)."""
        before: dict = {}
        kept = self.recorder.before
        for grown, copy, touched in self._snapshots:
            flags = touched
            if flags is None:
                flags = np.zeros((-(-grown.h // TILE), -(-grown.w // TILE)), np.bool_)
                _changed_tiles(_as_2d(copy), _as_2d(self.array[grown.slices()]), flags)
            ty0, tx0 = grown.y // TILE, grown.x // TILE
            for ty, tx in np.argwhere(flags).tolist():
                key = (ty0 + ty, tx0 + tx)
                if key in kept:  # else already taken by an earlier snapshot of the same tile
                    before[key] = kept.pop(key)
            for ty, tx in np.argwhere(~flags).tolist():
                key = (ty0 + ty, tx0 + tx)
                if key not in self._known:
                    kept.pop(key, None)
        self._snapshots = []
        for key in self._known:  # changed for sure: not compared
            if key in kept:
                before[key] = kept.pop(key)
        self._known = set()
        before.update(self.recorder.finish().before)  # tiles touched outside any snapshot
        blocks, self._blocks = self._blocks, []
        self.recorder.held = None
        return TileDelta(before, blocks=blocks)

    # --- writing ---------------------------------------------------------------------
    def composite(self, rect: Rect, source, alpha: np.ndarray | None = None, *, opacity: float = 1.0,
                  mode: BlendMode | str = BlendMode.NORMAL, dither: bool = False, erase: bool = False,
                  base: np.ndarray | None = None, preserve_alpha: bool = False, confine: bool = True) -> Rect | None:
        """Lay `source` over the array rect `rect` (already `touch`ed) and announce it.

        source: on a mask, SHOWN values (float (h, w) or a scalar); on pixels straight RGBA,
            float 0..255, (h, w, 4) / (h, w, 3) or a tuple. Ignored when `erase`.
        alpha: the writer's own coverage 0..1 (h, w) float, or uint8 0..255; the selection and
            `opacity` multiply it.
        erase: remove alpha (pixels; on an alpha-locked layer nothing) or paint black (mask).
        base: what to composite over (rect-sized), by default the array's current content;
            a live preview passes the original it keeps, so each frame restarts from it.
        preserve_alpha: keep alpha as it is, as an alpha-locked layer always does.
        confine: the selection confines (False: Edit > Stroke, whose band comes from the selection).
        Returns the document rect changed.
        """
        rect = rect.intersect(self.bounds)
        if rect.empty:
            return None
        mode = BlendMode(mode)
        if not self.is_mask and not erase and mode is BlendMode.NORMAL and np.ndim(source) == 1:
            held = self._colour_over(rect, source, alpha, opacity, base, dither, preserve_alpha, confine)
            changed = self.changed(rect)
            keep_reductions(held)
            return changed
        cov = self.coverage(rect) if confine else None
        if alpha is not None:
            a = alpha.astype(np.float32, copy=False)
            if alpha.dtype == np.uint8:
                a = a * np.float32(1.0 / 255.0)
            cov = a if cov is None else cov * a
        if cov is None:
            cov = np.ones((rect.h, rect.w), np.float32) if opacity < 1.0 else None
        if cov is not None and opacity < 1.0:
            cov = cov * np.float32(opacity)
        region = self.array[rect.slices()]
        base = region if base is None else base
        doc_origin = (rect.x + self.offset[0], rect.y + self.offset[1])
        if self.is_mask:
            value = np.float32(self.black()) if erase else None
            if value is None and mode is BlendMode.NORMAL:
                src = (255.0 - np.asarray(source, np.float32)) if self.inverted else np.asarray(source, np.float32)
            elif value is None:
                shown_base = base.astype(np.float32)
                if self.inverted:
                    shown_base = 255.0 - shown_base
                src = _blend_grey(mode, shown_base, np.asarray(source, np.float32))
                if self.inverted:
                    src = 255.0 - src
            else:
                src = value
            _mix_into(region, base, src, cov, doc_origin if dither else None)
        else:
            keep_alpha = self.alpha_locked or preserve_alpha
            out = _composite_pixels(base, source, cov, mode, keep_alpha=keep_alpha, erase=erase,
                                    thresholds=_thresholds(self.to_doc(rect)) if dither else None)
            region[...] = out
        return self.changed(rect)

    def _colour_over(self, rect: Rect, source, alpha, opacity: float, base, dither: bool, preserve_alpha: bool,
                     confine: bool) -> list[HeldReduction]:
        """One colour over pixels in normal mode (fill, bucket, stroke) in one parallel pass; `alpha`
        may stay uint8 (a bucket's region) when nothing else multiplies it."""
        src = np.asarray(source, np.float32)
        if src.shape[0] == 3:
            src = np.append(src, np.float32(255.0))
        cov = self.coverage(rect) if confine else None
        scale = np.float32(1.0)
        if alpha is not None and cov is None and alpha.dtype == np.uint8:
            cov, scale = alpha, np.float32(1.0 / 255.0)
        elif alpha is not None:
            a = alpha.astype(np.float32, copy=False)
            a = a * np.float32(1.0 / 255.0) if alpha.dtype == np.uint8 else a
            cov = a if cov is None else cov * a
        region = self.array[rect.slices()]
        base = region if base is None else base
        doc_rect = self.to_doc(rect)
        held = held_reductions(self.doc, self.node)[:1]  # a preview's reduced copy, updated as the rows are written
        red = held[0] if held else None
        _colour_over_kernel(_as_2d(region), _as_2d(base), src[0], src[1], src[2], np.float32(src[3] / 255.0 * opacity),
                            _NO_ARRAY if cov is None else cov, cov is not None, scale,
                            BAYER8 if dither else _ROUND, doc_rect.x, doc_rect.y, self.alpha_locked or preserve_alpha,
                            _as_2d(self.array), rect.x, rect.y, _NO_REDUCED if red is None else red.reduced,
                            0 if red is None else red.scale, 0 if red is None else red.dx, 0 if red is None else red.dy,
                            base is region)
        return held

    def fill(self, paint, rect: Rect | None = None, **kw) -> Rect | None:
        """Fill (a colour, a shown grey, or RGBA) over `rect` (default: the selection's rect), touching it."""
        rect = self.selection_rect() if rect is None else rect.intersect(self.bounds)
        if rect.empty:
            return None
        self.touch(rect)
        if self.is_mask:
            source: float | tuple = float(mask_value(paint))
        else:
            c = tuple(paint)
            source = (*rgb(c), c[3] if len(c) > 3 else 255)
        return self.composite(rect, source, **kw)

    def clear(self, rect: Rect | None = None) -> Rect | None:
        """Delete: transparent pixels (alpha-locked: nothing changes) or black on a mask, in the selection."""
        rect = self.selection_rect() if rect is None else rect.intersect(self.bounds)
        if rect.empty or self.alpha_locked:
            return None
        self.touch(rect)
        return self.composite(rect, None, erase=True)


@njit(inline="always")
def _pack(c0, c1, c2, c3):
    return np.uint32(c0) | (np.uint32(c1) << np.uint32(8)) | (np.uint32(c2) << np.uint32(16)) | (np.uint32(c3) << np.uint32(24))


@njit(inline="always")
def _colour_px(p, a, r, g, b, t, keep_alpha):
    """Packed straight RGBA pixel `p` with colour (r, g, b) over it at alpha 0 < a < 1, plus
    threshold t (W3C source-over, normal; colour only when keep_alpha)."""
    inv = np.float32(1.0 / 255.0)
    one, top = np.float32(1.0), np.float32(255.0)
    byte = np.uint32(255)
    b0 = np.float32(p & byte)
    b1 = np.float32((p >> np.uint32(8)) & byte)
    b2 = np.float32((p >> np.uint32(16)) & byte)
    b3 = p >> np.uint32(24)
    if keep_alpha:
        return _pack(np.uint8(min(top, b0 + (r - b0) * a + t)), np.uint8(min(top, b1 + (g - b1) * a + t)),
                     np.uint8(min(top, b2 + (b - b2) * a + t)), np.uint8(b3))
    ab = np.float32(b3) * inv
    ao = a + ab * (one - a)
    keep = ab * (one - a) / ao
    share = a / ao
    return _pack(np.uint8(min(top, r * share + b0 * keep + t)), np.uint8(min(top, g * share + b1 * keep + t)),
                 np.uint8(min(top, b * share + b2 * keep + t)), np.uint8(min(top, ao * top + t)))


@njit(inline="always")
def _colour_row(src, dst, cov_row, w, r, g, b, src_alpha, use_cov, cov_scale, thr_row, tx0, keep_alpha):
    one = np.float32(1.0)
    solid = _pack(np.uint8(r), np.uint8(g), np.uint8(b), np.uint8(255))
    rgb_only = _pack(np.uint8(r), np.uint8(g), np.uint8(b), np.uint8(0))
    alpha_bits = np.uint32(0xFF000000)
    for x in range(w):
        p = src[x]
        a = src_alpha * (np.float32(cov_row[x]) * cov_scale if use_cov else one)
        if a <= 0.0:
            dst[x] = p
            continue
        if a >= one:
            dst[x] = (rgb_only | (p & alpha_bits)) if keep_alpha else solid
            continue
        dst[x] = _colour_px(p, a, r, g, b, thr_row[(x + tx0) & 7], keep_alpha)


@njit(inline="always")
def _reduce_block_row(whole, red, by, bx0, bx1, s, dx, dy):
    """red[by, bx0:bx1] = the s x s area averages of `whole` (uint32 RGBA, shifted by (dx, dy) on
    a zero border, its last row and column repeated below and right), as the previews reduce."""
    hh, ww = whole.shape
    n = np.uint32(s * s)
    half = n // np.uint32(2)
    byte = np.uint32(255)
    for bx in range(bx0, bx1):
        a0 = a1 = a2 = a3 = np.uint32(0)
        for j in range(s):
            yy = by * s + j - dy
            if yy < 0:
                continue
            row = whole[min(yy, hh - 1)]
            for i in range(s):
                xx = bx * s + i - dx
                if xx < 0:
                    continue
                p = row[min(xx, ww - 1)]
                a0 += p & byte
                a1 += (p >> np.uint32(8)) & byte
                a2 += (p >> np.uint32(16)) & byte
                a3 += p >> np.uint32(24)
        out = red[by, bx]
        out[0] = np.uint8((a0 + half) // n)
        out[1] = np.uint8((a1 + half) // n)
        out[2] = np.uint8((a2 + half) // n)
        out[3] = np.uint8((a3 + half) // n)


@njit(cache=True, parallel=True, error_model="numpy", fastmath=True)
def _colour_over_kernel(out, base, r, g, b, src_alpha, cov, use_cov, cov_scale, thr, tx0, ty0, keep_alpha,
                        whole, rx, ry, red, s, dx, dy, in_place):
    """Straight RGBA as one uint32 a pixel (`_as_2d`): colour (r, g, b) at alpha src_alpha x cov
    over base (W3C source-over, normal), or colour only when keep_alpha; rounded or dithered (thr
    tied to document positions). Where the colour covers fully the result is the colour itself
    (r, g, b are whole numbers, thresholds lie below 1): one store, most of a bucket fill.

    out is whole[ry:, rx:] (the rect written). With s > 1, `red` (a preview's reduced copy of
    `whole`, see `_reduce_block_row`) is brought up to date band by band as the rows are written,
    while they are in cache: the preview then need not reduce the whole layer again."""
    h, w = out.shape
    if s <= 1:
        for y in prange(h):
            _colour_row(base[y], out[y], cov[y] if use_cov else cov[0], w, r, g, b, src_alpha, use_cov, cov_scale,
                        thr[(y + ty0) & 7], tx0, keep_alpha)
        return
    by0, by1 = (ry + dy) // s, (ry + h - 1 + dy) // s + 1
    bx0, bx1 = (rx + dx) // s, (rx + w - 1 + dx) // s + 1
    hh, ww = whole.shape
    n = np.float32(s * s)
    for by in prange(by0, by1):
        y0, y1 = max(0, by * s - dy - ry), min(h, (by + 1) * s - dy - ry)
        for y in range(y0, y1):
            _colour_row(base[y], out[y], cov[y] if use_cov else cov[0], w, r, g, b, src_alpha, use_cov, cov_scale,
                        thr[(y + ty0) & 7], tx0, keep_alpha)
        # A block the colour covered fully is the colour; one it did not touch keeps its average
        # (when `out` was written over itself); only the others are averaged again. Coverage is at
        # most 1, so its sum over a block tells both apart (column sums first: they vectorise).
        whole_band = by * s - dy >= 0 and (by + 1) * s - dy <= hh and y0 == by * s - dy - ry and y1 == y0 + s
        colsum = np.zeros(w, np.float32)
        if use_cov:
            for y in range(y0, y1):
                crow = cov[y]
                for x in range(w):
                    colsum[x] += np.float32(crow[x])
        for bx in range(bx0, bx1):
            x0 = bx * s - dx - rx
            if not (whole_band and x0 >= 0 and x0 + s <= w and bx * s - dx + s <= ww):
                _reduce_block_row(whole, red, by, bx, bx + 1, s, dx, dy)  # at the rect's or the layer's edge
                continue
            total = n
            if use_cov:
                total = np.float32(0.0)
                for x in range(x0, x0 + s):
                    total += colsum[x]
                total *= cov_scale
            if (total <= 0.0 or src_alpha <= 0.0) and in_place:
                continue
            if src_alpha >= 1.0 and total >= n - np.float32(1e-3) and not keep_alpha:
                red[by, bx, 0], red[by, bx, 1], red[by, bx, 2], red[by, bx, 3] = np.uint8(r), np.uint8(g), np.uint8(b), 255
                continue
            _reduce_block_row(whole, red, by, bx, bx + 1, s, dx, dy)


def _as_2d(a: np.ndarray) -> np.ndarray:
    """(h, w) of one number per pixel: RGBA as uint32 (its channels contiguous), a mask as it is."""
    if a.ndim == 2:
        return a
    return a.view(np.uint32)[..., 0]


@njit(cache=True, parallel=True)
def _changed_tiles(a, b, out):
    """out[ty, tx] = the 64x64 tile differs between a and b (same shape, one number per pixel)."""
    h, w = a.shape
    nty, ntx = out.shape
    for k in prange(nty * ntx):
        ty, tx = k // ntx, k % ntx
        differs = False
        for y in range(ty * 64, min(h, ty * 64 + 64)):
            for x in range(tx * 64, min(w, tx * 64 + 64)):
                if a[y, x] != b[y, x]:
                    differs = True
                    break
            if differs:
                break
        out[ty, tx] = differs


@njit(cache=True, parallel=True)
def _touched_tiles(cov, ox, oy, out):
    """out[ty, tx] = cov (placed at (ox, oy) in tile space) is non-zero somewhere in that tile."""
    h, w = cov.shape
    nty, ntx = out.shape
    for k in prange(nty * ntx):
        ty, tx = k // ntx, k % ntx
        y0, y1 = max(0, ty * 64 - oy), min(h, ty * 64 + 64 - oy)
        x0, x1 = max(0, tx * 64 - ox), min(w, tx * 64 + 64 - ox)
        hit = False
        for y in range(y0, y1):
            row = cov[y, x0:x1]
            top = row.dtype.type(0)
            for x in range(row.shape[0]):  # a max over the row, not a test per pixel: it vectorises
                top = max(top, row[x])
            if top > 0:
                hit = True
                break
        out[ty, tx] = hit


def _thresholds(doc_rect: Rect) -> np.ndarray:
    """Bayer thresholds for `doc_rect`, tied to document positions (a tile of 8x8 per pixel)."""
    ys = (np.arange(doc_rect.y, doc_rect.bottom) & 7)[:, None]
    xs = (np.arange(doc_rect.x, doc_rect.right) & 7)[None, :]
    return BAYER8[ys, xs]


@njit(cache=True, parallel=True, error_model="numpy", fastmath=True)
def _mix_kernel(out, base, src, src_scalar, use_src, cov, use_cov, thr, tx0, ty0):
    """out = base + (src - base) * cov + threshold, clamped to uint8 (threshold 0.5: rounding)."""
    h, w = out.shape
    for y in prange(h):
        trow = (y + ty0) & 7
        for x in range(w):
            b = np.float32(base[y, x])
            s = src[y, x] if use_src else src_scalar
            a = cov[y, x] if use_cov else np.float32(1.0)
            v = b + (s - b) * a + thr[trow, (x + tx0) & 7]
            out[y, x] = np.uint8(min(255.0, max(0.0, v)))


_ROUND = np.full((8, 8), 0.5, np.float32)
_NO_ARRAY = np.zeros((1, 1), np.float32)
_NO_REDUCED = np.zeros((1, 1, 4), np.uint8)


def _mix_into(out: np.ndarray, base: np.ndarray, src, cov: np.ndarray | None, dither_origin: tuple[int, int] | None) -> None:
    """out = base + (src - base) * cov, rounded (or dithered, Bayer thresholds tied to document
    positions from `dither_origin`) to uint8, on a 2-D uint8 target. `src`: float (h, w) or a scalar."""
    src = np.asarray(src, np.float32)
    scalar = src.ndim == 0
    tx0, ty0 = dither_origin or (0, 0)
    _mix_kernel(out, base, _NO_ARRAY if scalar else src, np.float32(src) if scalar else np.float32(0.0), not scalar,
                _NO_ARRAY if cov is None else cov, cov is not None, _ROUND if dither_origin is None else BAYER8,
                tx0, ty0)


def _blend_grey(mode: BlendMode, cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    """A blend mode on shown grey values 0..255 (a mask): the colour formula on grey."""
    from editor.render.blendmath import blend

    cb3 = np.repeat((cb / 255.0)[..., None], 3, axis=-1)
    cs3 = np.broadcast_to((np.asarray(cs, np.float32) / 255.0)[..., None], cb3.shape)
    return blend(mode, cb3, cs3)[..., 0] * np.float32(255.0)


def _composite_pixels(base: np.ndarray, source, cov: np.ndarray | None, mode: BlendMode, *, keep_alpha: bool,
                      erase: bool, thresholds: np.ndarray | None) -> np.ndarray:
    """Straight RGBA source over straight RGBA base (uint8), W3C source-over with a blend mode."""
    h, w = base.shape[:2]
    a = np.ones((h, w, 1), np.float32) if cov is None else cov[..., None]
    cb = base[..., :3].astype(np.float32) * np.float32(1.0 / 255.0)
    ab = base[..., 3:].astype(np.float32) * np.float32(1.0 / 255.0)
    if erase:
        ao = ab if keep_alpha else ab * (1.0 - a)
        co = cb
    else:
        src = np.asarray(source, np.float32) * np.float32(1.0 / 255.0)
        if src.shape[-1] == 3:
            src = np.concatenate([src, np.ones((*src.shape[:-1], 1), np.float32)], axis=-1)
        src = np.broadcast_to(src, (h, w, 4))
        cs, as_ = src[..., :3], src[..., 3:] * a
        if mode is BlendMode.NORMAL:
            mixed = cs
        else:
            from editor.render.blendmath import blend

            mixed = (1.0 - ab) * cs + ab * blend(mode, cb, np.ascontiguousarray(cs))
        if keep_alpha:
            ao = ab
            co = cb + (mixed - cb) * as_
        else:
            ao = as_ + ab * (1.0 - as_)
            with np.errstate(invalid="ignore", divide="ignore"):
                co = np.where(ao > 0.0, (as_ * mixed + ab * (1.0 - as_) * cb) / np.maximum(ao, 1e-12), 0.0)
    t = 0.5 if thresholds is None else thresholds[..., None]
    out = np.empty((h, w, 4), np.uint8)
    out[..., :3] = np.clip(co * 255.0 + t, 0.0, 255.0)
    out[..., 3:] = np.clip(ao * 255.0 + (0.5 if thresholds is None else thresholds[..., None]), 0.0, 255.0)
    if keep_alpha or erase:
        if keep_alpha:
            out[..., 3] = base[..., 3]
        if erase:
            out[..., :3] = base[..., :3]
    return out
