"""The preview's area reduction of a mask, block by block, compiled: for writers that bring a
preview's held reduction up to date over what they wrote (`preview.update_reduction`) instead of
the preview reducing the whole array again. Kept apart so editor.render imports without numba."""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True, parallel=True)
def reduce_blocks_2d(whole, red, bx0, by0, bx1, by1, s, dx, dy):
    """red[by0:by1, bx0:bx1] = the s x s area averages of `whole` (uint8, placed at (dx, dy) on a
    zero border, its last row and column repeated below and right, as `_aligned` and `_reduce`
    make it), rounded as OpenCV's INTER_AREA rounds: half up at 2x (its fast path), half to even
    at 4x and beyond. s is a power of two. Each block row sums its rows into column sums, then
    the columns into blocks: loops over contiguous slices from 0, which vectorise."""
    hh, ww = whole.shape
    n = np.int32(s * s)
    half = n // 2
    shift = np.int32(0)
    while (1 << shift) < n:
        shift += 1
    even = np.int32(0 if s == 2 else 1)
    x_lo = bx0 * s - dx  # whole's column under the first column sum
    width = (bx1 - bx0) * s
    blocks = bx1 - bx0
    for by in prange(by0, by1):
        colsum = np.zeros(width, np.int32)
        total = np.zeros(blocks, np.int32)
        xa, xb = max(0, x_lo), min(ww, x_lo + width)
        for j in range(s):
            yy = by * s + j - dy
            if yy < 0:
                continue
            row = whole[min(yy, hh - 1), xa:xb]
            sums = colsum[xa - x_lo:xb - x_lo]
            for i in range(row.shape[0]):
                sums[i] += np.int32(row[i])
        for i in range(xb - x_lo, width):  # beyond the last column: it repeats
            colsum[i] = colsum[xb - 1 - x_lo]
        for i in range(s):
            part = colsum[i::s]
            for bx in range(blocks):
                total[bx] += part[bx]
        out = red[by, bx0:bx1]
        for bx in range(blocks):
            t = total[bx]
            # + half - 1 + (the quotient's low bit) rounds a tie to even; + half rounds it up.
            out[bx] = np.uint8((t + half - even + ((t >> shift) & 1) * even) >> shift)
