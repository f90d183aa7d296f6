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
except ImportError:  # numba missing or broken: the same loops run as Python (slow, but Free Transform works)
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
