"""A float64 reference of the two-pass affine warp, written from its definition (editor/render/separable.py).

Exact positions (not 1/1024 px), float weights normalised over each pass's taps (not 14-bit),
no rounding between the passes; the same kernels, the same widening on a shrink (`shrinks`), the same border,
and the same exact quarter-turn first (np.rot90) when it makes the vertical scale larger.
"""

from __future__ import annotations

import math

import numpy as np

from editor.render.separable import RADIUS, shrinks
from editor.render.warp_kernels import kernel_weights


def _pass(line_samples, positions: np.ndarray, size: int, interpolation: str, scale: float, border):
    """1-D resample: for each position (any shape), the normalised kernel sum of the taps around it.

    line_samples(idx) -> samples at integer indices idx (in [0, size)), trailing channel axis."""
    fs = max(1.0, abs(scale))
    n = 2 * math.ceil(RADIUS[interpolation] * fs - 1e-9)
    first = -(n // 2 - 1)
    base = np.floor(positions).astype(np.int64) + first
    taps = base[..., None] + np.arange(n)
    wts = kernel_weights(interpolation, (positions[..., None] - taps) / fs)
    wts /= wts.sum(axis=-1, keepdims=True)
    inside = (taps >= 0) & (taps < size)
    samples = line_samples(np.clip(taps, 0, size - 1))
    samples = np.where(inside[..., None], samples, border)
    return (wts[..., None] * samples).sum(axis=-2)


def separable_reference(array: np.ndarray, m: np.ndarray, shape: tuple[int, int], interpolation: str,
                        border: float = 0.0) -> np.ndarray:
    """Float64 result of warping `array` ((h, w, 4) straight RGBA or (h, w)) by the affine array matrix
    m (destination -> source, integer = centre) into `shape`: straight RGBA (alpha in levels) or values."""
    m = np.asarray(m, np.float64)
    rgba = array.ndim == 3
    src = array.astype(np.float64)
    if not rgba:
        src = src[..., None]
    else:
        src[..., :3] *= src[..., 3:4] / 255  # premultiplied
    if abs(m[0, 1]) > abs(m[1, 1]):  # a quarter turn first: rot90's (u', v') = (v, w - 1 - u)
        w = src.shape[1]
        src = np.rot90(src)
        m = np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], np.float64) @ m
    h, w = src.shape[:2]
    shrink_x, shrink_y = shrinks(m)
    p, q, r = m[0]
    s, t, w0 = m[1]
    alpha, beta, gamma = (p * t - q * s) / t, q / t, r - q * w0 / t
    oh, ow = shape
    ys, xs = np.mgrid[0:oh, 0:ow].astype(np.float64)
    v = s * xs + t * ys + w0
    fs2 = max(1.0, shrink_y)
    n2 = 2 * math.ceil(RADIUS[interpolation] * fs2 - 1e-9)
    r0 = int(np.floor(v.min())) - n2
    r1 = int(np.floor(v.max())) + n2 + 1
    rows = np.arange(r0, r1, dtype=np.float64)
    u = alpha * np.arange(ow, dtype=np.float64)[None, :] + beta * rows[:, None] + gamma  # (rows, ow)
    row_idx = np.arange(r0, r1)
    inter = np.empty((len(rows), ow, src.shape[2]))
    for i, rv in enumerate(row_idx):
        if rv < 0 or rv >= h:
            inter[i] = border
        else:
            inter[i] = _pass(lambda idx, rv=rv: src[rv][idx], u[i], w, interpolation, shrink_x, border)
    cols = np.arange(ow)
    # Pass 2 reads the intermediate (its rows exist for every r0 <= row < r1) column by column.
    out = _pass(lambda idx: inter[np.clip(idx - r0, 0, len(rows) - 1), cols[None, :, None]], v, 1 << 30,
                interpolation, shrink_y, border)
    if not rgba:
        return out[..., 0]
    a = np.clip(out[..., 3], 0, 255)
    res = np.zeros_like(out)
    seen = a > 0
    res[seen, :3] = np.clip(out[seen, :3] * (255 / np.minimum(out[seen, 3:4], 255)), 0, 255)
    res[..., 3] = a
    return res
