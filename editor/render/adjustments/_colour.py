"""Numba helpers shared by the adjustments: HSL, luminosity, the per-pixel loop's plumbing."""

from __future__ import annotations

import numpy as np

from ._jit import njit, prange


@njit(inline="always")
def rgb_to_hsl(r, g, b):
    """r, g, b in 0..1 to (hue 0..1, saturation 0..1, lightness 0..1), HSL as in CSS."""
    hi = max(r, max(g, b))
    lo = min(r, min(g, b))
    light = (hi + lo) / 2
    d = hi - lo
    if d <= 0:
        return 0.0, 0.0, light
    sat = d / (hi + lo) if light <= 0.5 else d / (2 - hi - lo)
    if hi == r:
        h = (g - b) / d
        if h < 0:
            h += 6
    elif hi == g:
        h = (b - r) / d + 2
    else:
        h = (r - g) / d + 4
    return h / 6, sat, light


@njit(inline="always")
def _hue_channel(m1, m2, h):
    h = h - np.floor(h)
    if h * 6 < 1:
        return m1 + (m2 - m1) * h * 6
    if h * 2 < 1:
        return m2
    if h * 3 < 2:
        return m1 + (m2 - m1) * (2.0 / 3 - h) * 6
    return m1


@njit(inline="always")
def hsl_to_rgb(h, s, light):
    if s <= 0:
        return light, light, light
    m2 = light * (1 + s) if light <= 0.5 else light + s - light * s
    m1 = 2 * light - m2
    return _hue_channel(m1, m2, h + 1.0 / 3), _hue_channel(m1, m2, h), _hue_channel(m1, m2, h - 1.0 / 3)


@njit(inline="always")
def to_byte(v):
    v = v * 255 + 0.5
    if v < 0:
        return np.uint8(0)
    if v > 255:
        return np.uint8(255)
    return np.uint8(v)


@njit(inline="always")
def _straight_row(acc, out, y, w):
    for x in range(w):
        a = acc[y, x, 3]
        if a > 0:
            inv = np.float32(1) / a
            for c in range(3):
                v = acc[y, x, c] * inv * np.float32(255) + np.float32(0.5)
                out[y, x, c] = np.uint8(min(np.float32(255), max(np.float32(0), v)))
        else:
            out[y, x, 0] = out[y, x, 1] = out[y, x, 2] = 0
        out[y, x, 3] = 255


@njit(cache=True)
def straight_bytes_small(acc, out):
    """straight_bytes on the calling thread (a dab's rect: waking the pool costs more)."""
    for y in range(acc.shape[0]):
        _straight_row(acc, out, y, acc.shape[1])


@njit(parallel=True, cache=True)
def straight_bytes(acc, out):
    """Float premultiplied RGBA to straight 8-bit RGB with alpha 255 (what an adjustment reads)."""
    for y in prange(acc.shape[0]):
        _straight_row(acc, out, y, acc.shape[1])
