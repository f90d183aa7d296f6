"""The paint bucket's write in one pass: the wand's runs straight onto the target, undo included.

The two-step path (editor.paint.fill's fallback) paints the wand's region into a document-sized
array, finds its bounds, copies the whole rect for undo, then lays the colour over it: at 24 MP
that is four full-frame passes and a 96 MB copy before the screen can repaint. Here each row of
the region is built from the runs where it is written (softened as `magic_wand` softens it, so
the result is the same bit for bit), only the 64x64 tiles the region reaches are copied for undo
(into one tile-major block, row by row just before the row is changed, kept for undo as
a `TileBlock`: no per-tile objects), and a fully covered
stretch is one store of the colour. A preview's reduced copy of the layer is brought up to date
band by band as in `PaintTarget`'s one-colour fill.

Pixels in normal mode only (the bucket's usual case); blend modes and masks take the two-step path.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from editor.core import TILE, Rect, TileBlock
from editor.core.tileblock import new_block
from editor.masks.selection.wand import WandRuns, region_row
from editor.render.preview import held_reductions, keep_reductions

from .target import _NO_REDUCED, _ROUND, PaintTarget, _as_2d, _colour_px, _pack, _reduce_block_row

_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_NO_SELECTION = np.zeros((1, 1), np.uint8)


def fill_runs(target: PaintTarget, runs: WandRuns, rect: Rect, paint, *, opacity: float = 1.0) -> Rect | None:
    """Lay colour `paint` over the array rect `rect` (inside the array and the document) of a
    pixel target, at the region's coverage times the selection's and `opacity` (normal mode),
    keeping the original of each tile it reaches for undo (`PaintTarget.keep`); returns the
    document rect changed. The region is `runs`, in document coordinates."""
    assert not target.is_mask
    rect = rect.intersect(target.bounds)
    if rect.empty:
        return None
    ox, oy = target.offset
    h, w = target.array.shape[:2]
    aa = 1 if runs.antialias else 0
    flags = np.zeros((-(-h // TILE), -(-w // TILE)), np.bool_)
    _reached_tiles(runs.starts, runs.ends, runs.counts, runs.keep, runs.everything, aa, ox, oy,
                   rect.x, rect.y, rect.right, rect.bottom, flags)
    flat = np.flatnonzero(flags)
    slots = np.full(flags.shape, -1, np.int32)
    slots.flat[flat] = np.arange(flat.size, dtype=np.int32)
    # The undo block: often memory a dropped step handed back (no page faults), else fresh.
    pool = new_block(flat.size, (TILE, TILE, 4))
    sel, use_sel = target.selection_data()
    c = tuple(paint)
    r, g, b = (int(v) for v in c[:3])
    src_alpha = np.float32((c[3] if len(c) > 3 else 255) / 255.0 * opacity)
    held = held_reductions(target.doc, target.node)[:1]
    red = held[0] if held else None
    gy0 = rect.y // TILE * TILE
    gy1 = min(h, -(-rect.bottom // TILE) * TILE)
    _bucket_kernel(_as_2d(target.array), pool.view(np.uint32)[..., 0], slots, gy0, gy1,
                   rect.x, rect.y, rect.w, rect.h, ox, oy,
                   runs.starts, runs.ends, runs.counts, runs.keep, runs.everything, runs.antialias,
                   runs.shape[0], runs.shape[1], sel if use_sel else _NO_SELECTION, use_sel,
                   r, g, b, src_alpha, _ROUND, target.alpha_locked,
                   _NO_REDUCED if red is None else red.reduced, 0 if red is None else red.scale,
                   0 if red is None else red.dx, 0 if red is None else red.dy)
    target.keep(TileBlock(slots, pool, (h, w)))
    changed = target.changed(rect)
    keep_reductions(held)
    return changed


@njit(cache=True)
def _reached_tiles(starts, ends, counts, keep, everything, aa, ox, oy, rx0, ry0, rx1, ry1, flags):
    """flags[ty, tx] = the region (grown by `aa` px, its softened edge) reaches that tile of the
    array inside the rect [rx0, rx1) x [ry0, ry1) (array coordinates; the region's are the
    document's, the array lying at (ox, oy))."""
    for r in range(counts.shape[0]):
        y0, y1 = max(ry0, r - oy - aa), min(ry1, r - oy + aa + 1)
        if y0 >= y1:
            continue
        for k in range(counts[r]):
            if not (everything or keep[r, k]):
                continue
            x0, x1 = max(rx0, starts[r, k] - ox - aa), min(rx1, ends[r, k] - ox + aa)
            if x0 >= x1:
                continue
            for ty in range(y0 // 64, (y1 - 1) // 64 + 1):
                flags[ty, x0 // 64 : (x1 - 1) // 64 + 1] = True


@njit(inline="always")
def _keep_row(whole, pool, slots, ay):
    """Copy array row `ay` of every tile kept for undo into its slot."""
    ww = whole.shape[1]
    ty, row = ay >> 6, ay & 63
    for tx in range(slots.shape[1]):
        slot = slots[ty, tx]
        if slot >= 0:
            x0 = tx * 64
            n = min(64, ww - x0)
            pool[slot, row, :n] = whole[ay, x0 : x0 + n]


@njit(inline="always")
def _window_row(r, starts, ends, counts, keep, everything, c0, n, big_w, buf):
    """buf[0 : n + 2] = unsoftened region row r over document columns c0 - 1 .. c0 + n, the
    document's edge columns repeated beyond it (as the wand's softening does)."""
    lo, hi = max(c0 - 1, 0), min(c0 + n + 1, big_w)
    region_row(r, starts, ends, counts, keep, everything, lo, hi, buf[lo - (c0 - 1):])
    if c0 - 1 < 0:
        buf[0] = buf[1]
    if c0 + n + 1 > big_w:
        buf[n + 1] = buf[n]


@njit(inline="always")
def _write_row(dst, cov, words, n, selrow, use_sel, r, g, b, src_alpha, thr_row, tx0, keep_alpha):
    """Colour over one row at coverage cov (uint8, its words: 8 at a time), times the selection's:
    a stretch of whole words at 255 is one store of the colour, one at 0 is skipped."""
    one = np.float32(1.0)
    scale = np.float32(1.0 / 255.0)
    solid = _pack(np.uint8(r), np.uint8(g), np.uint8(b), np.uint8(255))
    rgb_only = _pack(np.uint8(r), np.uint8(g), np.uint8(b), np.uint8(0))
    alpha_bits = np.uint32(0xFF000000)
    full = src_alpha >= one and not use_sel
    x = 0
    while x < n:
        if x & 7 == 0 and x + 8 <= n:
            word = words[x >> 3]
            if word == 0:
                x += 8
                continue
            if full and word == _ALL:
                e = x + 8
                while e + 8 <= n and words[e >> 3] == _ALL:
                    e += 8
                if keep_alpha:
                    for i in range(x, e):
                        dst[i] = rgb_only | (dst[i] & alpha_bits)
                else:
                    dst[x:e] = solid
                x = e
                continue
        # As PaintTarget.composite computes it: the selection's coverage times the region's.
        if use_sel:
            a = src_alpha * ((np.float32(selrow[x]) * scale) * (np.float32(cov[x]) * scale))
        else:
            a = src_alpha * (np.float32(cov[x]) * scale)
        if a > 0.0:
            p = dst[x]
            if a >= one:
                dst[x] = (rgb_only | (p & alpha_bits)) if keep_alpha else solid
            else:
                dst[x] = _colour_px(p, a, r, g, b, thr_row[(x + tx0) & 7], keep_alpha)
        x += 1


@njit(inline="always")
def _soften_row(above, here, below, column, n, dst):
    """dst[:n] = the wand's [1 2 1] x [1 2 1] / 16 softening of three window rows (`_window_row`)."""
    for c in range(n + 2):
        column[c] = np.uint16(above[c]) + np.uint16(2) * here[c] + below[c]
    for c in range(n):
        dst[c] = np.uint8((column[c] + np.uint16(2) * column[c + 1] + column[c + 2] + np.uint16(8)) >> np.uint16(4))


@njit(inline="always")
def _same_runs(starts, ends, counts, keep, everything, r0, r1):
    """Rows r0 and r1 of the region hold the same selected runs."""
    if r0 == r1:
        return True
    j = 0
    for k in range(counts[r0]):
        if not (everything or keep[r0, k]):
            continue
        while j < counts[r1] and not (everything or keep[r1, j]):
            j += 1
        if j == counts[r1] or starts[r1, j] != starts[r0, k] or ends[r1, j] != ends[r0, k]:
            return False
        j += 1
    while j < counts[r1]:
        if everything or keep[r1, j]:
            return False
        j += 1
    return True


@njit(inline="always")
def _soft_edges(r, starts, ends, counts, keep, everything, c0, n, here, dst):
    """The softening of a row whose neighbours hold the same runs: the row itself, except the
    two pixels either side of each run's ends, (4 left + 8 centre + 4 right + 8) / 16."""
    dst[:n] = here[1:n + 1]
    for k in range(counts[r]):
        if not (everything or keep[r, k]):
            continue
        for m in range(4):
            i = (starts[r, k] - 1 + m if m < 2 else ends[r, k] - 3 + m) - c0  # s - 1, s, e - 1, e
            if 0 <= i < n:
                dst[i] = np.uint8((np.uint16(4) * here[i] + np.uint16(8) * here[i + 1] + np.uint16(4) * here[i + 2]
                                   + np.uint16(8)) >> np.uint16(4))


@njit(cache=True, parallel=True, error_model="numpy", fastmath=True)
def _bucket_kernel(whole, pool, slots, gy0, gy1, rx, ry, rw, rh, ox, oy, starts, ends, counts, keep, everything,
                   antialias, big_h, big_w, sel, use_sel, r, g, b, src_alpha, thr, keep_alpha, red, s, dx, dy):
    """See the module. whole: the array as one uint32 a pixel; pool: (slots, 64, 64) uint32,
    slots[ty, tx] >= 0 for the tiles kept for undo; rows gy0..gy1 are the kept tiles' rows;
    [rx, rx + rw) x [ry, ry + rh) the rect written. With s > 1, `red` (a preview's reduced copy
    of `whole`) is brought up to date block row by block row, as `_colour_over_kernel` does."""
    hh, ww = whole.shape
    # Rows of the kept tiles outside the rect: copied, never written.
    n_out = (ry - gy0) + (gy1 - ry - rh)
    for i in prange(n_out):
        ay = gy0 + i if i < ry - gy0 else ry + rh + (i - (ry - gy0))
        _keep_row(whole, pool, slots, ay)
    step = s if s > 1 else 1
    sdy = dy if s > 1 else 0
    by0, by1 = (ry + sdy) // step, (ry + rh - 1 + sdy) // step + 1
    per_chunk = max(1, 32 // step)  # block rows per thread chunk: the region rows roll within one
    chunks = -(-(by1 - by0) // per_chunk)
    c0 = rx + ox
    nwords = (rw + 7) // 8
    tx0, ty0 = rx + ox, ry + oy
    bx0, bx1 = (rx + dx) // step, (rx + rw - 1 + dx) // step + 1
    # A block's coverage total in whole numbers (coverage bytes, or their products with the
    # selection's): exactly 0 where untouched, exactly `full` where covered at 255 throughout.
    full = np.uint64(step * step) * (np.uint64(255 * 255) if use_sel else np.uint64(255))
    for chunk in prange(chunks):
        above = np.empty(rw + 2, np.uint8)
        here = np.empty(rw + 2, np.uint8)
        below = np.empty(rw + 2, np.uint8)
        column = np.empty(rw + 2, np.uint16)
        covbuf = np.zeros(nwords * 8, np.uint8)
        words = covbuf.view(np.uint64)
        colsum = np.zeros(rw, np.uint32)
        last = -2
        for by in range(by0 + chunk * per_chunk, min(by1, by0 + (chunk + 1) * per_chunk)):
            y0, y1 = max(0, by * step - sdy - ry), min(rh, (by + 1) * step - sdy - ry)
            if s > 1:
                colsum[:] = 0
            for y in range(y0, y1):
                ay = ry + y
                dr = ay + oy  # the region's (document) row
                _keep_row(whole, pool, slots, ay)
                if antialias:
                    if dr != last + 1:
                        _window_row(max(dr - 1, 0), starts, ends, counts, keep, everything, c0, rw, big_w, above)
                        _window_row(dr, starts, ends, counts, keep, everything, c0, rw, big_w, here)
                    else:
                        above, here, below = here, below, above
                    _window_row(min(dr + 1, big_h - 1), starts, ends, counts, keep, everything, c0, rw, big_w, below)
                    if (_same_runs(starts, ends, counts, keep, everything, max(dr - 1, 0), dr)
                            and _same_runs(starts, ends, counts, keep, everything, dr, min(dr + 1, big_h - 1))):
                        _soft_edges(dr, starts, ends, counts, keep, everything, c0, rw, here, covbuf)
                    else:
                        _soften_row(above, here, below, column, rw, covbuf)
                else:
                    region_row(dr, starts, ends, counts, keep, everything, c0, c0 + rw, covbuf)
                last = dr
                srow, scol = (dr, c0) if use_sel else (0, 0)
                selrow = sel[srow, scol:scol + rw]  # unused without a selection
                _write_row(whole[ay, rx:rx + rw], covbuf, words, rw, selrow, use_sel, r, g, b, src_alpha,
                           thr[(y + ty0) & 7], tx0, keep_alpha)
                if s > 1 and use_sel:  # two branch-free loops: they vectorise
                    for c in range(rw):
                        colsum[c] += np.uint32(covbuf[c]) * np.uint32(selrow[c])
                elif s > 1:
                    for c in range(rw):
                        colsum[c] += np.uint32(covbuf[c])
            if s <= 1:
                continue
            # As `_colour_over_kernel`: a block the colour covered fully is the colour, one it did not
            # touch keeps its average, the others are averaged again.
            whole_band = by * s - dy >= 0 and (by + 1) * s - dy <= hh and y0 == by * s - dy - ry and y1 == y0 + s
            for bx in range(bx0, bx1):
                x0 = bx * s - dx - rx
                if not (whole_band and x0 >= 0 and x0 + s <= rw and bx * s - dx + s <= ww):
                    _reduce_block_row(whole, red, by, bx, bx + 1, s, dx, dy)
                    continue
                total = np.uint64(0)
                for x in range(x0, x0 + s):
                    total += np.uint64(colsum[x])
                if total == 0 or src_alpha <= 0.0:
                    continue
                if src_alpha >= 1.0 and total == full and not keep_alpha:
                    red[by, bx, 0], red[by, bx, 1], red[by, bx, 2], red[by, bx, 3] = (np.uint8(r), np.uint8(g),
                                                                                     np.uint8(b), 255)
                    continue
                _reduce_block_row(whole, red, by, bx, bx + 1, s, dx, dy)


def warm_up() -> None:
    """Compile the one-pass write on a tiny layer (with and without softening, selection, preview)."""
    from editor.core import Document, Layer
    from editor.masks.selection.wand import wand_runs

    doc = Document(8, 8)
    layer = Layer("warm-up", np.zeros((8, 8, 4), np.uint8))
    doc.root.insert(0, layer)
    doc.set_active(layer)
    for antialias in (True, False):
        runs = wand_runs(layer.pixels, 1, 1, antialias=antialias)
        target = PaintTarget.current(doc)
        fill_runs(target, runs, Rect(0, 0, 8, 8), (1, 2, 3))
        target.cancel()
