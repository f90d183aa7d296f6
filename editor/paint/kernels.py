"""numba kernels that lay a batch of dabs through the stroke buffer onto a target.

Photoshop's model: a stroke paints into its own coverage buffer (float32,
0 before the stroke). Each dab moves a pixel's
stroke coverage toward the dab's cap (the opacity) by flow x dab profile
("alpha darken", Krita's name for it): flow builds up, opacity caps. After
each dab the target is recomputed from its untouched original `orig`, so a
stroke never darkens past its opacity however often it crosses itself.

The buffer and the original are stored by 64x64 tile (editor.paint.tiles):
pixel (y, x) lives in pool slot `slots[y >> 6, x >> 6]` at (y & 63, x & 63).

Dabs are rows of `dabs` (cx, cy, radius, flow, cap) in array coordinates,
pixel centres at +0.5; `rects` holds each dab's (x0, y0, x1, y1), already
clipped to the array. The selection, when `use_sel`, is document-sized and
read at (x + sel_dx, y + sel_dy): outside it nothing is selected.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# What a pixel-target stroke does with its coverage.
PAINT = 0  # normal "over" with the colour
PAINT_KEEP_ALPHA = 1  # colour only, alpha untouched (alpha-locked layers)
ERASE = 2  # remove alpha

TILE_SHIFT = 6  # 64x64 tiles, as editor.core.history
TILE_MASK = 63
_SUPERSAMPLE_BELOW = 2.0  # radius in px under which dabs are 4x4 supersampled


@njit(cache=True, inline="always", error_model="numpy", fastmath=True)
def _profile(dist: float, radius: float, hardness: float) -> float:
    """Coverage of a point at `dist` from the centre: flat core, smoothstep falloff, antialiased rim."""
    rim = radius - dist + 0.5
    if rim <= 0.0:
        return 0.0
    edge = 1.0 if rim >= 1.0 else rim
    r = dist / radius
    if r <= hardness or hardness >= 1.0:
        return edge
    t = (r - hardness) / (1.0 - hardness)
    if t >= 1.0:
        return 0.0
    return edge * (1.0 - t * t * (3.0 - 2.0 * t))


@njit(cache=True, inline="always", error_model="numpy", fastmath=True)
def _coverage(x: int, y: int, cx: float, cy: float, radius: float, hardness: float, n: int) -> float:
    if n == 1:
        dx, dy = x + 0.5 - cx, y + 0.5 - cy
        return _profile(math.sqrt(dx * dx + dy * dy), radius, hardness)
    total = 0.0
    for j in range(n):
        dy = y + (j + 0.5) / n - cy
        for i in range(n):
            dx = x + (i + 0.5) / n - cx
            total += _profile(math.sqrt(dx * dx + dy * dy), radius, hardness)
    return total / (n * n)


@njit(cache=True, inline="always", error_model="numpy", fastmath=True)
def _raise_coverage(buf: np.ndarray, slot: int, x: int, y: int, amount: float, cap: float) -> float:
    """Alpha-darken one pixel of the stroke buffer; return its coverage, or -1 if unchanged."""
    s = buf[slot, y & TILE_MASK, x & TILE_MASK]
    if amount <= 0.0 or s >= cap:
        return -1.0
    s = s + (cap - s) * amount
    buf[slot, y & TILE_MASK, x & TILE_MASK] = s
    return s


@njit(cache=True, inline="always", error_model="numpy", fastmath=True)
def _selected(sel: np.ndarray, use_sel: bool, x: int, y: int, sel_dx: int, sel_dy: int) -> float:
    if not use_sel:
        return 1.0
    sx, sy = x + sel_dx, y + sel_dy
    if sx < 0 or sy < 0 or sy >= sel.shape[0] or sx >= sel.shape[1]:
        return 0.0
    return sel[sy, sx] / 255.0


@njit(cache=True, inline="always", error_model="numpy", fastmath=True)
def _row_span(y: int, x0: int, x1: int, cx: float, cy: float, radius: float) -> tuple[int, int]:
    """The columns of row y the dab can reach (a pixel's samples lie within 1 px of its centre)."""
    dy = abs(y + 0.5 - cy)
    reach = radius + 1.5
    if dy >= reach:
        return x0, x0
    half = math.sqrt(reach * reach - dy * dy)
    return max(x0, int(math.floor(cx - half))), min(x1, int(math.ceil(cx + half)))


@njit(cache=True, error_model="numpy", fastmath=True)
def stamp_mask(target, orig, buf, slots, dabs, rects, hardness, value, sel, use_sel, sel_dx, sel_dy):
    """Paint `value` (0..255) into a uint8 (h, w) target."""
    for k in range(dabs.shape[0]):
        cx, cy, radius, flow, cap = dabs[k, 0], dabs[k, 1], dabs[k, 2], dabs[k, 3], dabs[k, 4]
        n = 4 if radius < _SUPERSAMPLE_BELOW else 1
        for y in range(rects[k, 1], rects[k, 3]):
            xa, xb = _row_span(y, rects[k, 0], rects[k, 2], cx, cy, radius)
            for x in range(xa, xb):
                slot = slots[y >> TILE_SHIFT, x >> TILE_SHIFT]
                s = _raise_coverage(buf, slot, x, y, flow * _coverage(x, y, cx, cy, radius, hardness, n), cap)
                if s < 0.0:
                    continue
                a = s * _selected(sel, use_sel, x, y, sel_dx, sel_dy)
                o = float(orig[slot, y & TILE_MASK, x & TILE_MASK])
                target[y, x] = np.uint8(o + (value - o) * a + 0.5)


@njit(cache=True, error_model="numpy", fastmath=True)
def stamp_pixels(target, orig, buf, slots, dabs, rects, hardness, color, mode, sel, use_sel, sel_dx, sel_dy):
    """Paint straight-alpha RGBA: `color` over it, colour only, or erase (see `mode`)."""
    for k in range(dabs.shape[0]):
        cx, cy, radius, flow, cap = dabs[k, 0], dabs[k, 1], dabs[k, 2], dabs[k, 3], dabs[k, 4]
        n = 4 if radius < _SUPERSAMPLE_BELOW else 1
        for y in range(rects[k, 1], rects[k, 3]):
            xa, xb = _row_span(y, rects[k, 0], rects[k, 2], cx, cy, radius)
            for x in range(xa, xb):
                slot = slots[y >> TILE_SHIFT, x >> TILE_SHIFT]
                s = _raise_coverage(buf, slot, x, y, flow * _coverage(x, y, cx, cy, radius, hardness, n), cap)
                if s < 0.0:
                    continue
                a = s * _selected(sel, use_sel, x, y, sel_dx, sel_dy)
                od = orig[slot, y & TILE_MASK, x & TILE_MASK]
                ad = od[3] / 255.0
                if mode == ERASE:
                    target[y, x, 3] = np.uint8(ad * (1.0 - a) * 255.0 + 0.5)
                    continue
                if mode == PAINT_KEEP_ALPHA:
                    for c in range(3):
                        o = float(od[c])
                        target[y, x, c] = np.uint8(o + (color[c] - o) * a + 0.5)
                    continue
                out_a = a + ad * (1.0 - a)
                if out_a <= 0.0:
                    continue
                keep = ad * (1.0 - a)
                for c in range(3):
                    target[y, x, c] = np.uint8((color[c] * a + od[c] * keep) / out_a + 0.5)
                target[y, x, 3] = np.uint8(out_a * 255.0 + 0.5)
