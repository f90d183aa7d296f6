"""Magic wand: the pixels whose colour is within a tolerance of the clicked one.

Tolerance is per channel (GIMP's "composite" criterion and Photoshop's): a
pixel matches when each of R, G, B and A differs from the seed by at most
`tolerance`. Contiguous selects the 4-connected region of matches around
the seed (cv2.floodFill on the match mask); global selects every match.
Antialias softens the region's edge with a 3x3 binomial filter, which keeps
the 50% edge where it was.

Speed (24 MP <= 50 ms): the colour test is a parallel numba kernel on packed
RGBA writing a one-channel mask, so the flood fill runs on one byte per pixel.
"""

from __future__ import annotations

import cv2
import numpy as np
from numba import njit, prange

DEFAULT_TOLERANCE = 32


_EVEN = np.uint32(0x00FF00FF)
_GUARD = np.uint32(0x01000100)


@njit(cache=True, parallel=True)
def _match(pixels: np.ndarray, lo: np.uint32, hi: np.uint32, out: np.ndarray) -> None:
    """255 where every byte of a packed RGBA pixel lies in [lo, hi] bytewise, else 0.

    Bytes are compared two at a time in 16-bit lanes (even bytes, then odd):
    with a guard bit at 0x100 in each lane, (p | guard) - lo keeps the guard
    exactly when p >= lo, and (hi | guard) - p when p <= hi. Branch-free, so
    LLVM vectorises it; the test is memory-bound (about 10 ms at 24 MP).
    """
    h, w = pixels.shape
    lo_even, lo_odd = lo & _EVEN, (lo >> np.uint32(8)) & _EVEN
    hi_even, hi_odd = (hi & _EVEN) | _GUARD, ((hi >> np.uint32(8)) & _EVEN) | _GUARD
    for r in prange(h):
        row, dst = pixels[r], out[r]
        for c in range(w):
            p = row[c]
            even, odd = p & _EVEN, (p >> np.uint32(8)) & _EVEN
            ok = ((even | _GUARD) - lo_even) & (hi_even - even) & ((odd | _GUARD) - lo_odd) & (hi_odd - odd)
            dst[c] = np.uint8(255) if (ok & _GUARD) == _GUARD else np.uint8(0)


def _packed_rgba(pixels: np.ndarray) -> np.ndarray:
    """The pixels as one uint32 per pixel (RGBA bytes); grey and RGB gain opaque alpha."""
    if pixels.ndim == 2:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGBA)
    elif pixels.shape[2] == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2RGBA)
    pixels = np.ascontiguousarray(pixels)
    return pixels.view(np.uint32).reshape(pixels.shape[:2])


def _pack(values: np.ndarray) -> np.uint32:
    return np.uint32(sum(int(v) << (8 * k) for k, v in enumerate(values)))


@njit(cache=True, parallel=True)
def _soften(src: np.ndarray, out: np.ndarray) -> None:
    """3x3 binomial blur ([1 2 1] x [1 2 1] / 16), edges replicated."""
    h, w = src.shape
    for r in prange(h):
        r0, r2 = max(r - 1, 0), min(r + 1, h - 1)
        for c in range(w):
            c0, c2 = max(c - 1, 0), min(c + 1, w - 1)
            centre = np.int32(src[r, c])
            total = 4 * centre + 2 * (np.int32(src[r0, c]) + np.int32(src[r2, c]) + np.int32(src[r, c0]) + np.int32(src[r, c2]))
            total += np.int32(src[r0, c0]) + np.int32(src[r0, c2]) + np.int32(src[r2, c0]) + np.int32(src[r2, c2])
            out[r, c] = (total + 8) >> 4


def magic_wand(
    pixels: np.ndarray,
    x: int,
    y: int,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    contiguous: bool = True,
    antialias: bool = True,
) -> np.ndarray:
    """Selection data (h, w) uint8 for a click at pixel (x, y) of `pixels` ((h, w, c) uint8).

    A click outside the image selects nothing.
    """
    h, w = pixels.shape[:2]
    if not (0 <= x < w and 0 <= y < h):
        return np.zeros((h, w), np.uint8)
    packed = _packed_rgba(pixels)
    seed = packed[y, x : x + 1].view(np.uint8).astype(np.int32)
    tolerance = int(np.clip(tolerance, 0, 255))
    match = np.empty((h, w), np.uint8)
    _match(packed, _pack(np.clip(seed - tolerance, 0, 255)), _pack(np.clip(seed + tolerance, 0, 255)), match)
    if contiguous:
        filled = np.zeros((h + 2, w + 2), np.uint8)
        cv2.floodFill(match, filled, (int(x), int(y)), 0, 0, 0, 4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8))
        region = filled[1:-1, 1:-1]
    else:
        region = match
    if not antialias:
        return np.ascontiguousarray(region)
    out = np.empty((h, w), np.uint8)
    _soften(region, out)
    return out
