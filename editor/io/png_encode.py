"""PNG encoding on every core: rows filtered and deflated in strips, one zlib stream.

OpenCV's encoder (libpng) runs on one thread: a 4096² RGBA composite takes ~0.7 s of
the whole `veil render`. Here each strip of rows is filtered (per row the cheaper of
Sub and Up by the sum of absolute differences, libpng's heuristic among its fast
filters) and deflated on its own thread (zlib releases the GIL), each strip ending on
a byte boundary (Z_SYNC_FLUSH) so the pieces join into one valid stream, as pigz does;
the Adler-32 checksums of the strips are combined. The cost is a few per cent of size
(each strip starts without the previous one's window).
"""

from __future__ import annotations

import functools
import os
import struct
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

_STRIP_ROWS_MIN = 64
_PARALLEL_FROM = 1 << 20  # pixels: below this one thread is as fast (and libpng's output smaller)
_ADLER_BASE = 65521


def _filter_rows(rows: np.ndarray, above: np.ndarray, bpp: int, out: np.ndarray) -> None:
    """PNG-filter `rows` ((h, n) uint8) into `out` ((h, n + 1)): a filter byte then the row.
    `above` is the row before the first (zeros at the top of the image)."""
    h, n = rows.shape
    for y in range(h):
        prev = above if y == 0 else rows[y - 1]
        row = rows[y]
        cost_sub = 0
        cost_up = 0
        for i in range(n):
            left = row[i - bpp] if i >= bpp else 0
            s = (int(row[i]) - int(left)) & 255
            u = (int(row[i]) - int(prev[i])) & 255
            cost_sub += s if s < 128 else 256 - s
            cost_up += u if u < 128 else 256 - u
        o = out[y]
        if cost_up <= cost_sub:
            o[0] = 2
            for i in range(n):
                o[i + 1] = (int(row[i]) - int(prev[i])) & 255
        else:
            o[0] = 1
            for i in range(n):
                left = row[i - bpp] if i >= bpp else 0
                o[i + 1] = (int(row[i]) - int(left)) & 255


@functools.cache
def _compiled() -> Callable | None:
    """The filter loop compiled by numba on first use; None without numba (then libpng encodes)."""
    try:
        from numba import njit
    except ImportError:
        return None
    return njit(nogil=True, cache=True)(_filter_rows)


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from each one's (zlib's adler32_combine)."""
    rem = second_length % _ADLER_BASE
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (second & 0xFFFF) + _ADLER_BASE - 1
    sum2 += (first >> 16) + (second >> 16) + _ADLER_BASE - rem
    sum1 %= _ADLER_BASE
    sum2 %= _ADLER_BASE
    return sum1 | (sum2 << 16)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind)))


def encode_png_parallel(image: np.ndarray, level: int = 1, threads: int | None = None) -> bytes | None:
    """An 8-bit PNG of straight RGBA (h, w, 4), RGB (h, w, 3) or grey (h, w), encoded in strips
    on `threads` threads (default: every core); None when numba is missing or the image is
    small, so the caller encodes it on one thread."""
    filter_rows = _compiled()
    if filter_rows is None or image.dtype != np.uint8 or image.shape[0] * image.shape[1] < _PARALLEL_FROM:
        return None
    h, w = image.shape[:2]
    bpp = 1 if image.ndim == 2 else image.shape[2]
    if bpp not in (1, 3, 4):
        return None
    rows = np.ascontiguousarray(image).reshape(h, w * bpp)
    threads = threads or os.cpu_count() or 1
    strip = max(_STRIP_ROWS_MIN, -(-h // (threads * 4)))  # a few strips a thread evens out their costs
    starts = list(range(0, h, strip))
    zero = np.zeros(w * bpp, np.uint8)

    def piece(y0: int) -> tuple[bytes, int, int]:
        y1 = min(h, y0 + strip)
        filtered = np.empty((y1 - y0, w * bpp + 1), np.uint8)
        filter_rows(rows[y0:y1], rows[y0 - 1] if y0 else zero, bpp, filtered)
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = deflate.compress(filtered) + deflate.flush(zlib.Z_FINISH if y1 == h else zlib.Z_SYNC_FLUSH)
        return data, zlib.adler32(filtered), filtered.size

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="png-write") as pool:
        pieces = list(pool.map(piece, starts))
    checksum = pieces[0][1]
    for _data, adler, length in pieces[1:]:
        checksum = adler32_combine(checksum, adler, length)
    stream = b"".join([b"\x78\x01", *(data for data, _a, _n in pieces), struct.pack(">I", checksum)])
    colour_type = {1: 0, 3: 2, 4: 6}[bpp]
    header = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)
    return b"".join([b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), _chunk(b"IDAT", stream), _chunk(b"IEND", b"")])
