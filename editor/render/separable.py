"""Affine warps as two 1-D passes (numba): how Free Transform commits a rotate, scale or skew.

Decision (the lead's, issue #13): affine commits resample separably. OpenCV's 2-D Lanczos-4
reads 8 x 8 = 64 taps per pixel in a scalar loop (about 145 ns a pixel for RGBA on the 2-core
VM), which kept a 24 MP commit at 1.8-2.0 s against a 1.5 s budget. Here an affine map is
applied as the Catmull-Smith two-pass decomposition instead, 8 + 8 taps:

- pass 1, along source rows: intermediate I(x, v) = S(u, v) at u = alpha x + beta v + gamma,
  one scale (alpha) for every row and an offset that moves with the row;
- pass 2, along destination columns: out(x, y) = I(x, v) at v = s x + t y + w, one scale (t)
  for every column and an offset that moves with the column.

For (u, v) = M (x, y) (destination array -> source array, integer = pixel centre) with
M = [[p, q, r], [s, t, w]]: alpha = det / t, beta = q / t, gamma = r - q w / t. t (the
vertical scale) must stay away from 0, so the caller turns the source by an exact quarter turn
first (cv2.rotate, lossless) whenever that makes |t| larger: the residual rotation stays
within +-45 degrees and the intermediate never degenerates (warp.py does this).

Each pass's 1-D kernel is the interpolation's own (OpenCV's definitions: Lanczos-4, cubic
a = -0.75, linear), widened by the map's shrink along that source axis when it shrinks: a
proper antialiasing prefilter, which OpenCV's warpAffine does not have (`shrinks`). Rotation
itself costs a little sharpness: pass 1 samples a source row every 1/cos(angle) source pixels
(1.41 at 45 degrees, the two-pass "bottleneck"), so the top of the band along rows is lost;
against a float64 2-D Lanczos of the same rotation that is about 1-2 levels mean on a detailed
picture (tests/render/test_warp.py states the bounds).

Arithmetic is integer, so it is exact and the same in every lane: colour premultiplied
(c * a, 0..65025), alpha and masks as v * 255 on the same scale; weights in 14-bit fixed
point summing to exactly 1 (a flat area stays flat, opaque stays 255); positions rounded to
1/1024 pixel and looked up in one weight table per pass; the intermediate keeps int32 at half
that scale. A mask equal to its layer's alpha lands bit-equal to it, since both take the same
integer path. Whole-pixel positions have exactly one tap of weight 1, so flips and 180-degree
turns copy pixels exactly.

Where all of a sample's taps in a pass carry one alpha (RGBA) or one value (a mask), the sum is
known: that value times the weights' sum, 1 << WEIGHT_BITS, exactly. Pass 1 finds such samples from
the runs of equal values along its row span, pass 2 from the runs down each intermediate column; an
opaque area sums three lanes instead of four, a clear one none, a flat stretch of mask none. The
results are bit-equal to summing every tap (tests/render/test_warp.py pokes one pixel to check).

Work is per destination tile: pass 1 over the source rows the tile reads (into a buffer the
calling thread keeps), then pass 2 straight into the tile. Kernels release the GIL; warp.py
runs tiles on its thread pool.
"""

from __future__ import annotations

import math

import numpy as np

from .warp_kernels import kernel_weights, njit

FRAC_BITS = 10  # positions in 1/1024 pixel
STEPS = 1 << FRAC_BITS
WEIGHT_BITS = 14
RADIUS = {"bilinear": 1, "bicubic": 2, "lanczos": 4}  # kernel half-width in pixels at scale 1
_ONE = 1 << WEIGHT_BITS


def axis_table(interpolation: str, scale: float) -> tuple[np.ndarray, int]:
    """(table, first): int32 weights table[k, i] for tap floor(pos) + first + i at fraction k / STEPS.

    `scale`: source pixels per output pixel along the pass; past 1 (a shrink) the kernel is widened
    by it. Each row is normalised and sums to exactly 1 << WEIGHT_BITS (the rounding residue goes to
    the largest tap); at fraction 0 of an unstretched kernel only the centre tap is non-zero.
    """
    fs = max(1.0, abs(scale))
    n = 2 * math.ceil(RADIUS[interpolation] * fs - 1e-9)
    first = -(n // 2 - 1)
    f = np.arange(STEPS, dtype=np.float64)[:, None] / STEPS
    d = f - (first + np.arange(n))[None, :]
    w = kernel_weights(interpolation, d / fs)
    w[np.abs(w) < 1e-12] = 0
    w /= w.sum(axis=1, keepdims=True)
    fixed = np.rint(w * _ONE).astype(np.int64)
    rows = np.arange(STEPS)
    fixed[rows, np.argmax(np.abs(w), axis=1)] += _ONE - fixed.sum(axis=1)
    return np.ascontiguousarray(fixed, dtype=np.int32), first


def shrinks(m: np.ndarray) -> tuple[float, float]:
    """Source pixels per destination pixel along the source's x and y axes under the affine array
    matrix m (destination -> source): what each pass's kernel is widened by when it is over 1.

    The map's own scale, not a pass's step: a rotation alone shrinks nothing, though pass 1 steps
    1/cos(angle) source pixels per sample (widening by that would blur every rotation)."""
    forward = np.linalg.inv(np.asarray(m, np.float64)[:2, :2])
    return 1 / float(np.hypot(*forward[:, 0])), 1 / float(np.hypot(*forward[:, 1]))


@njit(nogil=True, cache=True)
def _rows_needed(m, tx0, ty0, tw, th, first2, n2):
    """The intermediate rows [r0, r1) a destination tile's pass 2 reads (one row of margin each side)."""
    vmin = 1e300
    vmax = -1e300
    for cx in (tx0, tx0 + tw - 1):
        for cy in (ty0, ty0 + th - 1):
            v = m[1, 0] * cx + m[1, 1] * cy + m[1, 2]
            vmin = min(vmin, v)
            vmax = max(vmax, v)
    return int(math.floor(vmin)) + first2 - 1, int(math.floor(vmax)) + first2 + n2 + 2


@njit(nogil=True, cache=True, inline="always")
def _positions(a, x0, b, n, out):
    """out[i] = the position a (x0 + i) + b in 1/STEPS pixel, rounded to nearest (round half up),
    always by these operations, so every path gets the same bits, for i < n: in a loop of its own, which vectorises; the
    sample loops take whole pixel and table row from it."""
    for i in range(n):
        out[i] = int(math.floor((a * (x0 + i) + b) * STEPS + 0.5))


@njit(nogil=True, cache=True, inline="always")
def _span_runs(values, first, step, n, run):
    """run[i] = the end (exclusive) of the run of equal values values[first + step * i] that i is in,
    for i < n: a sample whose taps lie in one run sums to that value exactly, so it is not summed."""
    if n <= 0:
        return
    run[n - 1] = n
    for i in range(n - 2, -1, -1):
        run[i] = run[i + 1] if values[first + step * i] == values[first + step * (i + 1)] else i + 1


@njit(nogil=True, cache=True)
def _pass1_rgba(row, lo, hi, line, inter, base, tw, tx0, alpha, offset, t1, first1, ib, run, pos):  # pragma: no cover
    """One source row's span [lo, hi) premultiplied into `line`, then resampled at the tile's columns
    into inter[base:]: at column x, u = alpha x + offset. Sums are int32 (cast back at each step, so
    LLVM keeps 32-bit lanes; the bounds in the module docstring keep them from overflowing).
    Where a sample's taps all have one alpha (`run`: opaque or clear areas), its alpha is that
    alpha times the weights' sum, exactly, and is not summed; a clear sample is all zeros."""
    w = row.shape[0]
    n1 = t1.shape[1]
    for x in range(lo, hi):
        a = np.int32(row[x, 3])
        j = (x - lo) * 4
        line[j] = np.int32(row[x, 0]) * a
        line[j + 1] = np.int32(row[x, 1]) * a
        line[j + 2] = np.int32(row[x, 2]) * a
        line[j + 3] = a * np.int32(255)
    _span_runs(line, 3, 4, hi - lo, run)
    half = np.int32(1 << WEIGHT_BITS)
    if run[0] >= hi - lo and line[3] == 0 and lo > 0 and hi < w:
        # Clear over the whole span, away from the source's edges: so is every sample.
        for i in range(tw * 4):
            inter[base + i] = 0
        return True
    _positions(alpha, tx0, offset, tw, pos)
    for xx in range(tw):
        sx, k = (pos[xx] >> FRAC_BITS) + first1, pos[xx] & (STEPS - 1)
        o = base + xx * 4
        if sx + n1 <= 0 or sx >= w:
            for c in range(4):
                inter[o + c] = ib
            continue
        a0 = a1 = a2 = a3 = half
        if sx >= lo and sx + n1 <= hi and run[sx - lo] >= sx - lo + n1:
            j = (sx - lo) * 4
            a = line[j + 3]  # every tap's alpha
            if a == 0:  # clear: so is the colour, premultiplied
                for c in range(4):
                    inter[o + c] = 0
                continue
            for i in range(n1):
                kt = t1[k, i]
                a0 = np.int32(a0 + np.int32(line[j] * kt))
                a1 = np.int32(a1 + np.int32(line[j + 1] * kt))
                a2 = np.int32(a2 + np.int32(line[j + 2] * kt))
                j += 4
            a3 = np.int32(a3 + np.int32(a * np.int32(_ONE)))
        elif sx >= lo and sx + n1 <= hi:
            j = (sx - lo) * 4
            for i in range(n1):
                kt = t1[k, i]
                a0 = np.int32(a0 + np.int32(line[j] * kt))
                a1 = np.int32(a1 + np.int32(line[j + 1] * kt))
                a2 = np.int32(a2 + np.int32(line[j + 2] * kt))
                a3 = np.int32(a3 + np.int32(line[j + 3] * kt))
                j += 4
        else:  # the source's edge: taps outside it read the border (0 for RGBA)
            for i in range(n1):
                x = sx + i
                if lo <= x < hi:
                    kt = t1[k, i]
                    j = (x - lo) * 4
                    a0 = np.int32(a0 + np.int32(line[j] * kt))
                    a1 = np.int32(a1 + np.int32(line[j + 1] * kt))
                    a2 = np.int32(a2 + np.int32(line[j + 2] * kt))
                    a3 = np.int32(a3 + np.int32(line[j + 3] * kt))
        inter[o] = a0 >> (WEIGHT_BITS + 1)
        inter[o + 1] = a1 >> (WEIGHT_BITS + 1)
        inter[o + 2] = a2 >> (WEIGHT_BITS + 1)
        inter[o + 3] = a3 >> (WEIGHT_BITS + 1)
    return False


@njit(nogil=True, cache=True)
def _pass1_gray(row, lo, hi, line, inter, base, tw, tx0, alpha, offset, t1, first1, xb, ib, run, pos):  # pragma: no cover
    """`_pass1_rgba` for one channel (a mask, or the alpha alone): the same integer arithmetic, and
    the same shortcut where all of a sample's taps have one value."""
    w = row.shape[0]
    n1 = t1.shape[1]
    one = True  # one value over the whole span (a loop that vectorises, unlike the runs')
    for x in range(lo, hi):
        line[x - lo] = np.int32(row[x]) * np.int32(255)
        one &= row[x] == row[lo]
    half = np.int32(1 << WEIGHT_BITS)
    if one and lo > 0 and hi < w:
        # One value over the whole span, away from the source's edges: so is every sample.
        flat = np.int32(half + np.int32(line[0] * np.int32(_ONE))) >> (WEIGHT_BITS + 1)
        for xx in range(tw):
            inter[base + xx] = flat
        return True
    _span_runs(line, 0, 1, hi - lo, run)
    _positions(alpha, tx0, offset, tw, pos)
    for xx in range(tw):
        sx, k = (pos[xx] >> FRAC_BITS) + first1, pos[xx] & (STEPS - 1)
        if sx + n1 <= 0 or sx >= w:
            inter[base + xx] = ib
            continue
        acc = half
        if sx >= lo and sx + n1 <= hi and run[sx - lo] >= sx - lo + n1:
            acc = np.int32(acc + np.int32(line[sx - lo] * np.int32(_ONE)))
        elif sx >= lo and sx + n1 <= hi:
            j = sx - lo
            for i in range(n1):
                acc = np.int32(acc + np.int32(line[j + i] * t1[k, i]))
        else:
            for i in range(n1):
                x = sx + i
                if lo <= x < hi:
                    acc = np.int32(acc + np.int32(line[x - lo] * t1[k, i]))
                else:
                    acc = np.int32(acc + np.int32(xb * t1[k, i]))
        inter[base + xx] = acc >> (WEIGHT_BITS + 1)
    return False


@njit(nogil=True, cache=True)
def affine_tile(src, border, m, tx0, ty0, out, t1, first1, t2, first2, line, inter, run):  # pragma: no cover - compiled
    """One destination tile of the two-pass warp.

    src: (h, w, 4) straight RGBA or (h, w) bytes; border: the value outside the source (0 for RGBA);
    m: 3x3 destination array -> source array (affine, |m[1, 1]| well above 0); out: the tile,
    (th, tw, 4) or (th, tw) bytes, whose (0, 0) is destination pixel (tx0, ty0); t1, t2: the
    passes' tables (axis_table); line, inter, run: int32 scratch of this thread's (scratch_sizes).

    Where all of a pixel's taps in a pass have one alpha (RGBA) or one value (a mask), that pass
    does not sum what it knows: opaque, clear and flat areas cost less. The results are the sums'
    exactly (the weights of each position sum to 1 << WEIGHT_BITS).
    """
    h, w = src.shape[0], src.shape[1]
    rgba = src.ndim == 3
    ch = 4 if rgba else 1
    th, tw = out.shape[0], out.shape[1]
    n1 = t1.shape[1]
    n2 = t2.shape[1]
    p, q, r = m[0, 0], m[0, 1], m[0, 2]
    s, t, w0 = m[1, 0], m[1, 1], m[1, 2]
    alpha = (p * t - q * s) / t
    beta = q / t
    gamma = r - q * w0 / t
    r0, r1 = _rows_needed(m, tx0, ty0, tw, th, first2, n2)
    rows = r1 - r0
    xb = np.int32(border) * np.int32(255)  # the border on the input scale
    ib = np.int32((xb * _ONE + (1 << WEIGHT_BITS)) >> (WEIGHT_BITS + 1))  # ... and on the intermediate's

    pos = np.empty(tw, np.int64)  # a row's sample positions (`_positions`)
    far = np.empty(tw, np.bool_)  # pass 2: pixels whose taps all read the border

    # Pass 1: each source row the tile reads, resampled at the tile's columns.
    uniform = True
    for rr in range(rows):
        v = r0 + rr
        base = rr * tw * ch
        ua = alpha * tx0 + beta * v + gamma
        ub = alpha * (tx0 + tw - 1) + beta * v + gamma
        lo = max(0, int(math.floor(min(ua, ub))) + first1 - 1)
        hi = min(w, int(math.floor(max(ua, ub))) + first1 + n1 + 2)
        if v < 0 or v >= h or hi <= lo:
            for i in range(tw * ch):
                inter[base + i] = ib
            filled = True
        elif rgba:
            filled = _pass1_rgba(src[v], lo, hi, line, inter, base, tw, tx0, alpha, beta * v + gamma, t1, first1, ib,
                                 run, pos)
        else:
            filled = _pass1_gray(src[v], lo, hi, line, inter, base, tw, tx0, alpha, beta * v + gamma, t1, first1, xb,
                                 ib, run, pos)
        # Every row filled with one value (clear, for RGBA): so is every pixel off the border.
        uniform = uniform and filled and (rr == 0 or inter[base] == inter[0])

    if uniform and rgba:  # all clear
        for ty in range(th):
            for xx in range(tw):
                for c in range(4):
                    out[ty, xx, c] = 0
        return
    # Down each column of the intermediate, where its runs of one alpha (or value) end.
    lane = 3 if rgba else 0
    if not uniform:  # (a uniform mask's pixels off the border are all one value: pass 2 knows it)
        for xx in range(tw):
            run[(rows - 1) * tw + xx] = rows
        for rr in range(rows - 2, -1, -1):
            here = rr * tw
            for xx in range(tw):
                same = inter[(here + xx) * ch + lane] == inter[(here + tw + xx) * ch + lane]
                run[here + xx] = run[here + tw + xx] if same else rr + 1

    # Pass 2: each destination pixel from the intermediate rows around its v, in its column.
    full = np.int64(255) << (WEIGHT_BITS - 1)  # acc2 per level
    opaque = full * 255  # acc2 of alpha 255
    margin = abs(beta) * n2 + n1 + 2  # how far pass 1's taps reach from u, in source pixels
    sc_opaque = 255.0 / float(opaque)
    b = (np.int64(np.int32(inter[0] * np.int32(_ONE))) + (full >> 1)) // full  # a uniform mask's pixel
    b_uniform = np.uint8(min(np.int64(255), max(np.int64(0), b)))
    step = tw * ch
    for ty in range(th):
        y = ty0 + ty
        for xx in range(tw):  # `_positions`' operations, in a loop that vectorises
            x = tx0 + xx
            u = p * x + q * y + r
            pos[xx] = int(math.floor((s * x + t * y + w0) * STEPS + 0.5))
            sy = (pos[xx] >> FRAC_BITS) + first2
            far[xx] = u + margin < 0 or u - margin > w or sy + n2 <= -1 or sy > h
        for xx in range(tw):
            sy, k = (pos[xx] >> FRAC_BITS) + first2, pos[xx] & (STEPS - 1)
            if far[xx]:
                # Every tap reads the border: so does the pixel (what the sum would give, exactly).
                if rgba:
                    for c in range(4):
                        out[ty, xx, c] = 0
                else:
                    out[ty, xx] = border
                continue
            if uniform:
                out[ty, xx] = b_uniform
                continue
            jr = sy - r0
            j = (jr * tw + xx) * ch
            flat = run[jr * tw + xx] >= jr + n2  # every tap has one alpha (or value): inter[j + lane]
            if rgba and flat:
                d = inter[j + 3]
                if d == 0:  # clear
                    for c in range(4):
                        out[ty, xx, c] = 0
                    continue
                a0 = a1 = a2 = np.int32(0)
                for i in range(n2):
                    kt = t2[k, i]
                    a0 = np.int32(a0 + np.int32(inter[j] * kt))
                    a1 = np.int32(a1 + np.int32(inter[j + 1] * kt))
                    a2 = np.int32(a2 + np.int32(inter[j + 2] * kt))
                    j += step
                a3 = np.int32(d * np.int32(_ONE))
            elif rgba:
                a0 = a1 = a2 = a3 = np.int32(0)
                for i in range(n2):
                    kt = t2[k, i]
                    a0 = np.int32(a0 + np.int32(inter[j] * kt))
                    a1 = np.int32(a1 + np.int32(inter[j + 1] * kt))
                    a2 = np.int32(a2 + np.int32(inter[j + 2] * kt))
                    a3 = np.int32(a3 + np.int32(inter[j + 3] * kt))
                    j += step
            if rgba:
                ab = (np.int64(a3) + (full >> 1)) // full
                if ab <= 0:
                    for c in range(4):
                        out[ty, xx, c] = 0
                    continue
                # Straight colour: divided by the alpha it was summed with (capped at opaque).
                sc = sc_opaque if a3 >= opaque else 255.0 / float(a3)
                out[ty, xx, 0] = np.uint8(min(255.0, max(0.0, a0 * sc + 0.5)))
                out[ty, xx, 1] = np.uint8(min(255.0, max(0.0, a1 * sc + 0.5)))
                out[ty, xx, 2] = np.uint8(min(255.0, max(0.0, a2 * sc + 0.5)))
                out[ty, xx, 3] = np.uint8(min(np.int64(255), ab))
            else:
                acc = np.int32(0)
                if flat:
                    acc = np.int32(inter[j] * np.int32(_ONE))
                else:
                    for i in range(n2):
                        acc = np.int32(acc + np.int32(inter[j] * t2[k, i]))
                        j += step
                b = (np.int64(acc) + (full >> 1)) // full
                out[ty, xx] = np.uint8(min(np.int64(255), max(np.int64(0), b)))


def scratch_sizes(src_w: int, n1: int, tile_w: int, tile_h: int, m: np.ndarray, n2: int,
                  channels: int) -> tuple[int, int, int]:
    """Upper bounds of `line`, `inter` and `run` for tiles up to tile_w x tile_h under m."""
    span = abs(m[1, 0]) * tile_w + abs(m[1, 1]) * tile_h + n2 + 4
    rows = int(math.ceil(span))
    return (src_w + n1 + 4) * channels, rows * tile_w * channels, max(src_w + n1 + 4, rows * tile_w)


def warm_up() -> None:
    """Compile for every layout warp passes: a whole (C-contiguous) source or a window of one, into a
    whole output or a tile of one, RGBA and masks (a layout first met in a commit would compile then)."""
    m = np.array([[0.9, 0.1, 0.3], [-0.1, 0.9, 0.2], [0, 0, 1]], np.float64)
    t1, f1 = axis_table("bilinear", 1.0)
    line = np.zeros(64, np.int32)
    inter = np.zeros(1024, np.int32)
    run = np.zeros(256, np.int32)
    for shape in ((4, 6, 4), (4, 6)):
        src = np.zeros(shape, np.uint8)
        for s in (src, src[:, 1:]):
            for out in (np.zeros(shape, np.uint8), np.zeros(shape, np.uint8)[1:3, 1:4]):
                affine_tile(s, 0, m, 0, 0, out, t1, f1, t1, f1, line, inter, run)
