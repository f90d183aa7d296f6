"""PackBits run-length encoding of 8-bit image planes, row by row: Photoshop's RLE.

psd-tools' own encoder takes ~0.1 s a 4096² plane on one core and needs the plane as
bytes (a copy); this one reads the plane where it lies (a channel of an RGBA array is a
strided view) and encodes rows in parallel, without the GIL.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import prange


def worst_row_bytes(width: int) -> int:
    """The most bytes a row of `width` can take: all literals, one header per 128."""
    return width + (width + 127) // 128


@numba.njit(cache=True, nogil=True)
def _literals(row, start, stop, out, o):
    while start < stop:
        n = min(128, stop - start)
        out[o] = n - 1
        out[o + 1:o + 1 + n] = row[start:start + n]
        o += 1 + n
        start += n
    return o


@numba.njit(cache=True, nogil=True)
def _encode_row(row, out):
    """One row into `out`; returns its length. Runs of three or more repeat (a run of two
    costs as much as two literals, so it repeats only where no literal is pending)."""
    w = row.shape[0]
    i = 0
    o = 0
    pending = 0  # where the literals not yet written begin
    while i < w:
        value = row[i]
        j = i + 1
        while j < w and j - i < 128 and row[j] == value:
            j += 1
        run = j - i
        if run >= 3 or (run == 2 and pending == i):
            o = _literals(row, pending, i, out, o)
            out[o] = 257 - run  # -(run - 1) as a byte
            out[o + 1] = value
            o += 2
            pending = j
        i = j
    return _literals(row, pending, w, out, o)


@numba.njit(cache=True, nogil=True, parallel=True)
def _encode_rows(plane, scratch, counts):
    for y in prange(plane.shape[0]):
        counts[y] = _encode_row(plane[y], scratch[y])


@numba.njit(cache=True, nogil=True, parallel=True)
def _gather(scratch, counts, starts, out):
    for y in prange(scratch.shape[0]):
        n = counts[y]
        out[starts[y]:starts[y] + n] = scratch[y, :n]


def encode(plane: np.ndarray, scratch: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(per-row byte counts as int64, the encoded rows as one uint8 array) of a 2-D uint8 plane
    (any strides). `scratch`, a (h, worst_row_bytes(w)) uint8 array, may be reused between
    planes of one size."""
    h, w = plane.shape
    counts = np.zeros(h, np.int64)
    if h == 0 or w == 0:
        return counts, np.zeros(0, np.uint8)
    if scratch is None or scratch.shape[0] < h or scratch.shape[1] < worst_row_bytes(w):
        scratch = np.empty((h, worst_row_bytes(w)), np.uint8)
    _encode_rows(plane, scratch[:h], counts)
    starts = np.zeros(h, np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    out = np.empty(int(starts[-1] + counts[-1]), np.uint8)
    _gather(scratch[:h], counts, starts, out)
    return counts, out

