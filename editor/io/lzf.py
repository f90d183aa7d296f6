"""LZF decompression (Marc Lehmann's liblzf format, which Krita's tiles use), bounds-checked.

PyPI's bindings (`lzf` 0.1 of 2017, `pylzf`, `lzf-python`) are small packages with few releases
and C builds of their own, and the format is twenty lines: a compiled kernel that releases the GIL, so tiles decode on
every core. The input is untrusted: every read and write is checked, and a stream that does not
decode to exactly the size expected is refused, never written past.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _inflate(src: np.ndarray, dst: np.ndarray) -> int:
    """Bytes written into `dst`, or -1 when `src` is not a stream that fits in it.

    A control byte below 32 starts a run of ctrl+1 literal bytes; otherwise its top three bits
    are a match length (7: one more length byte follows) and its low five, with the next byte,
    the distance back into what was already written (copied byte by byte, as runs may overlap).
    The loop stops one byte before the end, as Krita's own decoder does, so a stray trailing
    byte is ignored (a control byte can never be last in a valid stream)."""
    n, m = src.shape[0], dst.shape[0]
    ip = 0
    op = 0
    while ip < n - 1:
        ctrl = np.int64(src[ip])
        ip += 1
        if ctrl < 32:
            run = ctrl + 1
            if ip + run > n or op + run > m:
                return -1
            for k in range(run):
                dst[op + k] = src[ip + k]
            ip += run
            op += run
        else:
            length = ctrl >> 5
            if length == 7:
                if ip >= n:
                    return -1
                length += np.int64(src[ip])
                ip += 1
            if ip >= n:
                return -1
            ref = op - ((ctrl & 31) << 8) - np.int64(src[ip]) - 1
            ip += 1
            length += 2
            if ref < 0 or op + length > m:
                return -1
            for _ in range(length):
                dst[op] = dst[ref]
                op += 1
                ref += 1
    return op


def decompress_into(data: np.ndarray, out: np.ndarray) -> None:
    """Inflate `data` (uint8) into all of `out` (uint8, 1-D); ValueError unless it fills it exactly."""
    written = _inflate(data, out)
    if written != out.shape[0]:
        raise ValueError("corrupt LZF data" if written < 0 else
                         f"LZF data inflates to {written} bytes, not {out.shape[0]}")


def decompress(data: bytes, size: int) -> np.ndarray:
    """`data` inflated to exactly `size` bytes (ValueError otherwise)."""
    out = np.empty(size, np.uint8)
    decompress_into(np.frombuffer(data, np.uint8), out)
    return out
