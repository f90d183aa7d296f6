"""A parallel separable resampler (numba) that computes what Pillow's `Image.resize` computes.

Pillow's convolution resampler (libImaging/Resample.c) is single-threaded; Image Size on a
24 MP document spends seconds there. This module does the same arithmetic over all cores:

- the filters (bilinear, bicubic a = -0.5, Lanczos 3, box for 'area') and their support,
  widened by the scale when shrinking, so reduction is antialiased;
- pixel-centre mapping: output pixel i samples source coordinate (i + 0.5) * in / out;
- the weights precomputed once per output column and per output row, normalised, then
  turned into 22-bit fixed point, rounded as Pillow rounds them;
- a horizontal pass over the source rows the vertical pass needs, then a vertical pass,
  each rounding to 8 bits in between, as Pillow does;
- RGBA is premultiplied first (Pillow's RGBa, with its MULDIV255 rounding) and
  unpremultiplied after, so transparent pixels never bleed colour into edges.

Each pass runs `prange` over output rows. The result equals Pillow's to within one level
(tests/geometry/test_fast_resize.py checks it against Pillow for every filter).
'nearest' is not a convolution: Pillow's own nearest is already fast and is used as is.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

PRECISION_BITS = 32 - 8 - 2  # Pillow's fixed point for 8-bit images
SUPPORT = {"bilinear": 1.0, "bicubic": 2.0, "lanczos": 3.0, "area": 0.5}
FILTERS = tuple(SUPPORT)


def _filter(name: str, x: np.ndarray) -> np.ndarray:
    if name == "bilinear":
        ax = np.abs(x)
        return np.where(ax < 1.0, 1.0 - ax, 0.0)
    if name == "bicubic":
        a = -0.5
        ax = np.abs(x)
        return np.where(ax < 1.0, ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1.0,
                        np.where(ax < 2.0, (((ax - 5.0) * ax + 8.0) * ax - 4.0) * a, 0.0))
    if name == "lanczos":
        def sinc(v: np.ndarray) -> np.ndarray:
            with np.errstate(invalid="ignore", divide="ignore"):
                pv = v * math.pi
                return np.where(v == 0.0, 1.0, np.sin(pv) / np.where(v == 0.0, 1.0, pv))

        return np.where((x >= -3.0) & (x < 3.0), sinc(x) * sinc(x / 3.0), 0.0)
    if name == "area":
        return np.where((x > -0.5) & (x <= 0.5), 1.0, 0.0)
    raise ValueError(f"no convolution filter {name!r}; expected one of {', '.join(FILTERS)}")


def coefficients(in_size: int, out_size: int, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first source index, tap count, int32 fixed-point weights [out, ksize]) for one axis,
    as Pillow's precompute_coeffs + normalize_coeffs_8bpc compute them."""
    scale = in_size / out_size
    filterscale = max(scale, 1.0)
    support = SUPPORT[name] * filterscale
    ksize = int(math.ceil(support)) * 2 + 1
    centre = (np.arange(out_size, dtype=np.float64) + 0.5) * scale
    # C's (int) truncates toward zero; the arguments here are > -1 only when they clamp to 0 anyway
    xmin = np.maximum(np.trunc(centre - support + 0.5).astype(np.int64), 0)
    xmax = np.minimum(np.trunc(centre + support + 0.5).astype(np.int64), in_size) - xmin
    taps = np.arange(ksize, dtype=np.float64)[None, :]
    w = _filter(name, (taps + xmin[:, None] - centre[:, None] + 0.5) / filterscale)
    w = np.where(taps < xmax[:, None], w, 0.0)
    total = w.sum(axis=1, keepdims=True)
    w = np.where(total != 0.0, w / np.where(total != 0.0, total, 1.0), w)
    fixed = w * (1 << PRECISION_BITS)
    fixed = np.where(fixed < 0, np.trunc(fixed - 0.5), np.trunc(fixed + 0.5)).astype(np.int32)
    return xmin.astype(np.int32), xmax.astype(np.int32), fixed


@njit(cache=True, inline="always")
def _clip8(v: np.int32) -> np.uint8:
    if v >= (1 << PRECISION_BITS << 8):
        return np.uint8(255)
    if v <= 0:
        return np.uint8(0)
    return np.uint8(v >> PRECISION_BITS)


@njit(cache=True, parallel=True)
def _horizontal(src, y0, rows, xmin, xmax, k, premultiply, unpremultiply, out):  # pragma: no cover - compiled
    """out[r] = the horizontal pass of source row y0 + r; channels last; premultiplies RGBA on the
    way in and/or unpremultiplies on the way out."""
    w = src.shape[1]
    ch = src.shape[2]
    ow = out.shape[1]
    half = 1 << (PRECISION_BITS - 1)
    for r in prange(rows):
        line = np.empty((w, ch), np.int32)
        s = src[y0 + r]
        if premultiply:
            for x in range(w):
                a = np.int32(s[x, 3])
                for c in range(3):
                    t = np.int32(s[x, c]) * a + 128
                    line[x, c] = ((t >> 8) + t) >> 8
                line[x, 3] = a
        else:
            for x in range(w):
                for c in range(ch):
                    line[x, c] = s[x, c]
        if ch == 4:  # four accumulators side by side: one 4-lane multiply-add per tap
            flat = line.reshape(w * 4)
            for xx in range(ow):
                x0 = xmin[xx]
                a0 = a1 = a2 = a3 = np.int32(half)
                kr = k[xx]
                for t in range(xmax[xx]):
                    kt = kr[t]
                    i = (x0 + t) * 4
                    a0 += flat[i] * kt
                    a1 += flat[i + 1] * kt
                    a2 += flat[i + 2] * kt
                    a3 += flat[i + 3] * kt
                out[r, xx, 0] = _clip8(a0)
                out[r, xx, 1] = _clip8(a1)
                out[r, xx, 2] = _clip8(a2)
                out[r, xx, 3] = _clip8(a3)
        else:
            for xx in range(ow):
                x0 = xmin[xx]
                for c in range(ch):
                    acc = np.int32(half)
                    for t in range(xmax[xx]):
                        acc += line[x0 + t, c] * k[xx, t]
                    out[r, xx, c] = _clip8(acc)
        if unpremultiply:
            _unpremultiply_row(out[r])


@njit(cache=True, parallel=True)
def _vertical(src, ymin, ymax, k, unpremultiply, out):  # pragma: no cover - compiled
    """out[yy] = the weighted sum of src rows ymin[yy] ... (rows contiguous, SIMD over a row)."""
    oh = out.shape[0]
    ow = out.shape[1]
    ch = out.shape[2]
    n_el = ow * ch
    half = 1 << (PRECISION_BITS - 1)
    flat_src = src.reshape(src.shape[0], n_el)
    for yy in prange(oh):
        acc = np.full(n_el, half, np.int32)
        y0 = ymin[yy]
        for t in range(ymax[yy]):
            wt = k[yy, t]
            row = flat_src[y0 + t]
            for i in range(n_el):
                acc[i] += np.int32(row[i]) * wt
        o = out[yy]
        for xx in range(ow):
            for c in range(ch):
                o[xx, c] = _clip8(acc[xx * ch + c])
        if unpremultiply:
            _unpremultiply_row(o)


@njit(cache=True, inline="always")
def _unpremultiply_row(o):  # pragma: no cover - compiled
    """Pillow's RGBa -> RGBA: 255 * c // a, clipped; alpha 0 and 255 pass through."""
    for xx in range(o.shape[0]):
        a = np.int32(o[xx, 3])
        if a != 0 and a != 255:
            for c in range(3):
                v = (255 * np.int32(o[xx, c])) // a
                o[xx, c] = np.uint8(255 if v > 255 else v)


@njit(cache=True, parallel=True)
def _premultiply(src, out):  # pragma: no cover - compiled
    """Pillow's RGBA -> RGBa: MULDIV255(c, a) with its rounding."""
    for y in prange(src.shape[0]):
        for x in range(src.shape[1]):
            a = np.int32(src[y, x, 3])
            for c in range(3):
                t = np.int32(src[y, x, c]) * a + 128
                out[y, x, c] = ((t >> 8) + t) >> 8
            out[y, x, 3] = a


def resize(array: np.ndarray, width: int, height: int, method: str, *, premultiplied_alpha: bool | None = None) -> np.ndarray:
    """Resize a (h, w) or (h, w, c) uint8 array to (height, width[, c]) with a convolution filter
    ('bilinear', 'bicubic', 'lanczos', 'area'). A 4-channel array is treated as straight RGBA and
    resampled premultiplied unless premultiplied_alpha=False."""
    if method not in SUPPORT:
        raise ValueError(f"no convolution filter {method!r}; expected one of {', '.join(FILTERS)}")
    if width < 1 or height < 1:
        raise ValueError(f"cannot resize to {width}x{height}")
    gray = array.ndim == 2
    a = np.ascontiguousarray(array[..., None] if gray else array)
    if a.dtype != np.uint8:
        raise ValueError("resize takes uint8 arrays")
    h, w, ch = a.shape
    rgba = ch == 4 and premultiplied_alpha is not False
    need_h, need_v = width != w, height != h
    if not need_h and not need_v:
        return array.copy()
    # Horizontal first, as Pillow up to 12 always did and Pillow 13 still does unless the height
    # shrinks much more than the width; the order only moves the 8-bit rounding between passes.
    vertical_first = False
    if vertical_first:
        pre = np.empty_like(a) if rgba else a
        if rgba:
            _premultiply(a, pre)
        ymin, ymax, kv = coefficients(h, height, method)
        temp = np.empty((height, w, ch), np.uint8)
        _vertical(pre, ymin, ymax, kv, False, temp)
        xmin, xmax, kh = coefficients(w, width, method)
        out = np.empty((height, width, ch), np.uint8)
        _horizontal(temp, 0, height, xmin, xmax, kh, False, rgba, out)
    elif need_h:
        xmin, xmax, kh = coefficients(w, width, method)
        if need_v:
            ymin, ymax, kv = coefficients(h, height, method)
            first, last = int(ymin[0]), int(ymin[-1] + ymax[-1])  # only the rows the vertical pass reads
            temp = np.empty((last - first, width, ch), np.uint8)
            _horizontal(a, first, last - first, xmin, xmax, kh, rgba, False, temp)
            out = np.empty((height, width, ch), np.uint8)
            _vertical(temp, (ymin - first).astype(np.int32), ymax, kv, rgba, out)
        else:
            out = np.empty((h, width, ch), np.uint8)
            _horizontal(a, 0, h, xmin, xmax, kh, rgba, rgba, out)
    else:
        pre = np.empty_like(a) if rgba else a
        if rgba:
            _premultiply(a, pre)
        ymin, ymax, kv = coefficients(h, height, method)
        out = np.empty((height, w, ch), np.uint8)
        _vertical(pre, ymin, ymax, kv, rgba, out)
    return out[..., 0] if gray else out


def warm_up() -> None:
    """Compile (or load from numba's cache) both passes on a tiny image."""
    resize(np.zeros((4, 4, 4), np.uint8), 2, 3, "bilinear")
    resize(np.zeros((4, 4), np.uint8), 3, 2, "bilinear")
