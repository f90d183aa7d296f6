"""The per-pixel passes around OpenCV's warp (numba): premultiply, un-premultiply, area reduction.

OpenCV does the resampling itself (its Lanczos and cubic loops are vectorised); what is
left around it, done in numpy, cost three times the warp on a translucent layer: a float
copy, a multiply, a `where`, a division, two clips and a cast, each a pass over memory.
Each kernel here is one pass. They release the GIL (`nogil`) and run single-threaded, since
the warp already runs one strip per thread.
"""

from __future__ import annotations

import numpy as np

try:
    from numba import njit, prange

    COMPILED = True
except ImportError:  # numba missing or broken: the same loops run as Python (slow, but Free Transform works)
    COMPILED = False  # the resampling kernel, as Python, would take minutes: OpenCV's warp is used instead
    prange = range

    def njit(*args, **kwargs):
        return args[0] if args and callable(args[0]) else (lambda f: f)

_INV255 = np.float32(1 / 255)
_255 = np.float32(255)
_HALF = np.float32(0.5)
_ZERO = np.float32(0)


@njit(nogil=True, cache=True)
def premultiplied(rgba):
    """Straight RGBA bytes -> premultiplied float32 (colour c * a / 255, alpha 0..255)."""
    h, w = rgba.shape[:2]
    out = np.empty((h, w, 4), np.float32)
    for y in range(h):
        for x in range(w):
            a = np.float32(rgba[y, x, 3])
            k = a * _INV255
            for c in range(3):
                out[y, x, c] = np.float32(rgba[y, x, c]) * k
            out[y, x, 3] = a
    return out


@njit(nogil=True, cache=True)
def straight_from_warped(warped, alpha, out):
    """Warped premultiplied float32 and the alpha bytes (warped on their own) -> straight RGBA in `out`.

    Colour is divided by the float alpha it was warped with (so colour and coverage agree);
    the byte alpha is what is stored; a pixel whose stored alpha is 0 carries no colour.
    """
    h, w = alpha.shape
    for y in range(h):
        for x in range(w):
            ab = alpha[y, x]
            if ab == 0:
                for c in range(4):
                    out[y, x, c] = 0
                continue
            a = min(_255, warped[y, x, 3])
            s = _255 / a if a > _ZERO else _ZERO
            for c in range(3):
                out[y, x, c] = np.uint8(min(_255, max(_ZERO, warped[y, x, c] * s + _HALF)))
            out[y, x, 3] = ab


@njit(nogil=True, cache=True)
def straighten_bytes(warped):
    """In place: warped premultiplied bytes (an opaque source's) back to straight at the soft edge."""
    h, w = warped.shape[:2]
    for y in range(h):
        for x in range(w):
            a = warped[y, x, 3]
            if a == 255:
                continue
            if a == 0:
                for c in range(3):
                    warped[y, x, c] = 0
                continue
            s = _255 / np.float32(a)
            for c in range(3):
                warped[y, x, c] = np.uint8(min(_255, np.float32(warped[y, x, c]) * s + _HALF))


def area_table(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Area weights shrinking n_in samples to n_out: output i covers input [i q, (i + 1) q), q = n_in / n_out.

    (start, count, weights): output i reads inputs start[i] .. start[i] + count[i] - 1 with
    weights[i, :count[i]], each the length of its overlap divided by q (they sum to 1).
    """
    q = n_in / n_out
    lo = np.arange(n_out) * q
    hi = lo + q
    start = np.floor(lo).astype(np.int64)
    count = (np.ceil(hi - 1e-9) - start).astype(np.int64)
    taps = int(count.max())
    j = start[:, None] + np.arange(taps)
    overlap = np.clip(np.minimum(j + 1, hi[:, None]) - np.maximum(j, lo[:, None]), 0, None)
    overlap[np.arange(taps)[None, :] >= count[:, None]] = 0
    return start, count, (overlap / q).astype(np.float32)


@njit(parallel=True, cache=True)
def area_rgba(rgba, ys, yn, yw, xs, xn, xw):
    """Area-average straight RGBA by the tables of `area_table`: (premultiplied float32, alpha bytes).

    Premultiplied, so a transparent pixel's colour weighs nothing. The alpha is summed and
    rounded exactly as `area_bytes` sums and rounds a mask, so a linked mask equal to the alpha
    stays equal to it.
    """
    oh, ow = ys.shape[0], xs.shape[0]
    h, w = rgba.shape[:2]
    colour = np.empty((oh, ow, 4), np.float32)
    alpha = np.empty((oh, ow), np.uint8)
    for oy in prange(oh):
        for ox in range(ow):
            r = g = b = a = np.float32(0)
            for j in range(yn[oy]):
                y = ys[oy] + j
                if y >= h:
                    break
                rr = gg = bb = aa = np.float32(0)
                for i in range(xn[ox]):
                    x = xs[ox] + i
                    if x >= w:
                        break
                    v = np.float32(rgba[y, x, 3])
                    k = xw[ox, i] * v * _INV255
                    rr += k * np.float32(rgba[y, x, 0])
                    gg += k * np.float32(rgba[y, x, 1])
                    bb += k * np.float32(rgba[y, x, 2])
                    aa += xw[ox, i] * v
                wy = yw[oy, j]
                r += wy * rr
                g += wy * gg
                b += wy * bb
                a += wy * aa
            colour[oy, ox, 0] = r
            colour[oy, ox, 1] = g
            colour[oy, ox, 2] = b
            colour[oy, ox, 3] = a
            alpha[oy, ox] = np.uint8(min(_255, a + _HALF))
    return colour, alpha


@njit(parallel=True, cache=True)
def area_bytes(data, ys, yn, yw, xs, xn, xw):
    """Area-average a mask by the tables of `area_table`, rounded (the alpha's arithmetic in `area_rgba`)."""
    oh, ow = ys.shape[0], xs.shape[0]
    h, w = data.shape
    out = np.empty((oh, ow), np.uint8)
    for oy in prange(oh):
        for ox in range(ow):
            a = np.float32(0)
            for j in range(yn[oy]):
                y = ys[oy] + j
                if y >= h:
                    break
                aa = np.float32(0)
                for i in range(xn[ox]):
                    x = xs[ox] + i
                    if x >= w:
                        break
                    aa += xw[ox, i] * np.float32(data[y, x])
                a += yw[oy, j] * aa
            out[oy, ox] = np.uint8(min(_255, a + _HALF))
    return out


def warm_up() -> None:
    """Compile for the layouts `warp` passes: a tile's window and its target are views of larger arrays."""
    rgba = np.zeros((2, 4, 4), np.uint8)
    window = rgba[:, 1:3]
    f = premultiplied(window)
    straight_from_warped(f, np.zeros((2, 2), np.uint8), rgba[:, 1:3])
    straighten_bytes(np.zeros((2, 2, 4), np.uint8))
    tables = area_table(2, 1) + area_table(4, 2)
    area_rgba(rgba, *tables)
    area_bytes(rgba[..., 3].copy(), *tables)
    flat = np.zeros((2, 8), np.float32)
    premultiply_into(window, flat)
    for name in TAPS:
        table, first = weight_table(name)
        RESAMPLE_RGBA[name](flat, 0, 0, 2, 2, np.eye(3), False, table, first, rgba[:, 1:3], 0, 0)
    store_alpha(rgba[:, 1:3], np.zeros((2, 2), np.uint8))


# --- Premultiplied colour resampled by Veil's own kernel (a translucent layer's colour) ---------------
# OpenCV's float Lanczos-4 warp of premultiplied RGBA was the costliest step of a translucent commit
# (about 215 ns a pixel here, 64 scalar taps per channel). This kernel reads the same 8x8 taps as 8
# source rows of 8 pixels x 4 channels: each row is one contiguous run of 32 float lanes that LLVM
# vectorises, summed down the rows with the vertical weights, then across (about 90 ns). The tap and
# lane counts are compile-time constants (one kernel per interpolation): with a runtime count LLVM
# neither unrolled nor vectorised, 3x slower. Weights come from a table of TABLE_STEPS sub-pixel
# positions (OpenCV uses 32), normalised, exact at whole pixels. Alpha still takes OpenCV's byte
# path, as masks do, so a mask equal to a layer's alpha stays equal to it; on bytes OpenCV's
# fixed-point loop is faster than this kernel (which is why opaque layers and masks stay there).

TABLE_STEPS = 1024
_LANCZOS_A = 4
_CUBIC_A = -0.75  # OpenCV's bicubic


def _cubic(t: np.ndarray) -> np.ndarray:
    t = np.abs(t)
    a = _CUBIC_A
    return np.where(t <= 1, ((a + 2) * t - (a + 3)) * t * t + 1,
                    np.where(t < 2, ((a * t - 5 * a) * t + 8 * a) * t - 4 * a, 0.0))


def kernel_weights(interpolation: str, d: np.ndarray) -> np.ndarray:
    """The interpolation's kernel (OpenCV's definitions) at distances `d` (pixels), not normalised."""
    if interpolation == "bilinear":
        return np.clip(1 - np.abs(d), 0, None)
    if interpolation == "bicubic":
        return _cubic(d)
    if interpolation == "lanczos":
        return np.sinc(d) * np.sinc(d / _LANCZOS_A) * (np.abs(d) < _LANCZOS_A)
    raise ValueError(f"no kernel for {interpolation!r}")


def weight_table(interpolation: str) -> tuple[np.ndarray, int]:
    """(table, first): table[k, t] weighs tap `first + t` from floor(position) at fraction k / TABLE_STEPS."""
    taps, first = TAPS[interpolation], {"bilinear": 0, "bicubic": -1, "lanczos": -3}[interpolation]
    f = np.arange(TABLE_STEPS, dtype=np.float64)[:, None] / TABLE_STEPS
    d = f - (first + np.arange(taps))[None, :]  # distance from each tap to the sample
    w = kernel_weights(interpolation, d)
    w[np.abs(w) < 1e-12] = 0  # whole pixels: exactly one tap, weight exactly 1
    w /= w.sum(axis=1, keepdims=True)
    return np.ascontiguousarray(w, dtype=np.float32), first


@njit(nogil=True, cache=True)
def _byte(value):
    return np.uint8(min(_255, max(_ZERO, value + _HALF)))


def _make_gather(taps: int, nch: int):
    """The tap sum for `taps` x `taps` pixels of `nch` channels, both compile-time constants: with a
    constant lane count LLVM unrolls the rows and vectorises the lanes (a runtime count ran 3x slower)."""
    lanes = taps * nch

    @njit(nogil=True, cache=True, inline="always")
    def gather(flat, x0, y0, x1, y1, m, perspective, table, first, border, x, y, col, acc):
        """The weighted sum of the taps around destination (x, y) into acc[:nch]; False if no tap is inside.

        flat: (h, w * nch) samples, valid within [x0, x1) x [y0, y1) (source array coordinates);
        outside, a tap reads `border`. col: scratch of taps * nch lanes.
        """
        steps = table.shape[0]
        u = m[0, 0] * x + m[0, 1] * y + m[0, 2]
        v = m[1, 0] * x + m[1, 1] * y + m[1, 2]
        if perspective:
            w = m[2, 0] * x + m[2, 1] * y + m[2, 2]
            u /= w
            v /= w
        fu = np.floor(u)
        fv = np.floor(v)
        ku = int((u - fu) * steps + 0.5)
        kv = int((v - fv) * steps + 0.5)
        sx = int(fu) + first
        sy = int(fv) + first
        if ku == steps:
            ku = 0
            sx += 1
        if kv == steps:
            kv = 0
            sy += 1
        if sx + taps <= x0 or sx >= x1 or sy + taps <= y0 or sy >= y1:
            return False
        for k in range(lanes):
            col[k] = 0
        if sx >= x0 and sx + taps <= x1 and sy >= y0 and sy + taps <= y1:
            base = sx * nch
            for j in range(taps):
                wy = table[kv, j]
                row = flat[sy + j]
                for k in range(lanes):  # one contiguous run of lanes: vectorised
                    col[k] += wy * np.float32(row[base + k])
        else:  # the source's edge: each tap checked
            for j in range(taps):
                wy = table[kv, j]
                yy = sy + j
                for i in range(taps):
                    xx = sx + i
                    if y0 <= yy < y1 and x0 <= xx < x1:
                        for c in range(nch):
                            col[i * nch + c] += wy * np.float32(flat[yy, xx * nch + c])
                    else:
                        for c in range(nch):
                            col[i * nch + c] += wy * border
        # Across, in locals: summed in place in `acc`, each add waited on the store before it.
        if nch == 4:
            r = g = b = a = _ZERO
            for i in range(taps):
                wx = table[ku, i]
                r += wx * col[4 * i]
                g += wx * col[4 * i + 1]
                b += wx * col[4 * i + 2]
                a += wx * col[4 * i + 3]
            acc[0], acc[1], acc[2], acc[3] = r, g, b, a
        else:
            a = _ZERO
            for i in range(taps):
                a += table[ku, i] * col[i]
            acc[0] = a
        return True

    return gather


def _make_rgba(taps: int):
    gather = _make_gather(taps, 4)

    @njit(nogil=True, cache=True)
    def resample_rgba(flat, x0, y0, x1, y1, m, perspective, table, first, out, ox, oy):
        """Premultiplied RGBA samples (`flat`, (h, w * 4): bytes of an opaque layer, or premultiplied
        float) -> straight RGBA bytes in `out`, a tile whose pixel (0, 0) is destination pixel (ox, oy).

        Alpha is rounded from its own sum (the arithmetic of the byte kernel, so a mask equal to the
        alpha gets the same bytes); colour is divided by the alpha it was summed with; a pixel whose
        stored alpha is 0 carries no colour.
        """
        th, tw = out.shape[:2]
        col = np.zeros(taps * 4, np.float32)
        acc = np.zeros(4, np.float32)
        for ty in range(th):
            for tx in range(tw):
                if not gather(flat, x0, y0, x1, y1, m, perspective, table, first, _ZERO, ox + tx, oy + ty, col, acc):
                    for c in range(4):
                        out[ty, tx, c] = 0
                    continue
                ab = _byte(acc[3])
                if ab == 0:
                    for c in range(4):
                        out[ty, tx, c] = 0
                    continue
                s = _255 / min(_255, acc[3])
                for c in range(3):
                    out[ty, tx, c] = _byte(acc[c] * s)
                out[ty, tx, 3] = ab

    return resample_rgba


TAPS = {"bilinear": 2, "bicubic": 4, "lanczos": 8}
RESAMPLE_RGBA = {name: _make_rgba(n) for name, n in TAPS.items()}


@njit(nogil=True, cache=True)
def premultiply_into(rgba, out):
    """Straight RGBA bytes -> premultiplied float32 in `out` ((h, w * 4)): colour c * a / 255, alpha a."""
    h, w = rgba.shape[:2]
    for y in range(h):
        for x in range(w):
            a = np.float32(rgba[y, x, 3])
            k = a * _INV255
            for c in range(3):
                out[y, 4 * x + c] = np.float32(rgba[y, x, c]) * k
            out[y, 4 * x + 3] = a


@njit(nogil=True, cache=True)
def store_alpha(out, alpha):
    """In place: the alpha bytes (warped on their own, as masks are) into straight RGBA `out`;
    a pixel whose stored alpha is 0 carries no colour."""
    h, w = alpha.shape
    for y in range(h):
        for x in range(w):
            a = alpha[y, x]
            out[y, x, 3] = a
            if a == 0:
                for c in range(3):
                    out[y, x, c] = 0
