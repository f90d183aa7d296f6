"""Krita's tiled pixel files (KisTileCompressor2, "VERSION 2"): the header parsed and checked, tiles decoded.

A file is a text header (VERSION, TILEWIDTH, TILEHEIGHT, PIXELSIZE, DATA count), then per tile a
line `x,y,LZF,size` and `size` bytes: a flag, 1 = LZF over the tile's pixel bytes split into one
plane per byte position (all first bytes, then all second bytes...), 0 = the pixels raw, as they
lie. Every field is checked before anything is allocated; the tiles decode in a compiled loop
that releases the GIL, one contiguous run of tiles per worker thread.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
from numba import njit

from .errors import Limits
from .lzf import _inflate

_MAX_TILE_SIDE = 1024
_HEADER_LINE = 64  # the longest header or tile line Krita writes is ~45 bytes
_CORRUPT_LZF, _RAW_SIZE, _UNKNOWN_FLAG = 1, 2, 3


def parse_tiles(data: bytes, pixel_size: int, limits: Limits) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Krita's tile file: (tile width, tile height, [(x, y, offset, size)]), every field checked."""
    pos = 0

    def line() -> bytes:
        nonlocal pos
        end = data.find(b"\n", pos, pos + _HEADER_LINE)
        if end < 0:
            raise ValueError("its tile data is truncated or damaged (a header line is missing)")
        text, pos = data[pos:end], end + 1
        return text.strip()

    header: dict[bytes, int] = {}
    for key in (b"VERSION", b"TILEWIDTH", b"TILEHEIGHT", b"PIXELSIZE", b"DATA"):
        parts = line().split(b" ")
        if len(parts) != 2 or parts[0] != key or not parts[1].isdigit():
            raise ValueError(f"its tile header lacks {key.decode()}")
        header[key] = int(parts[1])
    if header[b"VERSION"] != 2:
        raise ValueError(f"tile format version {header[b'VERSION']} is not supported (only 2)")
    tw, th, ps = header[b"TILEWIDTH"], header[b"TILEHEIGHT"], header[b"PIXELSIZE"]
    if not (0 < tw <= _MAX_TILE_SIDE and 0 < th <= _MAX_TILE_SIDE):
        raise ValueError(f"its tiles are {tw}x{th}")
    if ps != pixel_size:
        raise ValueError(f"its pixels are {ps} bytes, but its colour space has {pixel_size}")
    count = header[b"DATA"]
    if count > len(data) // 8:  # each tile takes a line of 8 bytes at least
        raise ValueError(f"it declares {count} tiles in {len(data)} bytes")
    most = tw * th * ps + 1
    tiles: list[tuple[int, int, int, int]] = []
    seen: set[tuple[int, int]] = set()
    for _ in range(count):
        parts = line().split(b",")
        try:
            x, y, size = int(parts[0]), int(parts[1]), int(parts[3])
        except (ValueError, IndexError):
            raise ValueError("a tile line is damaged") from None
        if len(parts) != 4 or parts[2] != b"LZF":
            raise ValueError("a tile uses an unknown compression")
        if abs(x) > limits.max_offset or abs(y) > limits.max_offset or x % tw or y % th:
            raise ValueError(f"a tile lies at {x},{y}, out of range")
        if not 1 <= size <= most or pos + size > len(data):
            raise ValueError(f"the tile at {x},{y} declares {size} bytes ({len(data) - pos} left, at most {most})")
        if (x, y) in seen:
            raise ValueError(f"the tile at {x},{y} is stored twice")
        seen.add((x, y))
        tiles.append((x, y, pos, size))
        pos += size
    return tw, th, tiles


@njit(cache=True, nogil=True)
def _decode(data: np.ndarray, tiles: np.ndarray, out: np.ndarray, tw: int, th: int) -> tuple[int, int]:
    """Decode `tiles` (rows of x, y, offset, size; x, y already relative to `out`) into `out`
    (h, w, pixel size): (-1, 0), or the index of the tile that failed and why."""
    ps = out.shape[2]
    size = tw * th * ps
    scratch = np.empty(size, np.uint8)
    for i in range(tiles.shape[0]):
        x, y, offset, n = tiles[i, 0], tiles[i, 1], tiles[i, 2], tiles[i, 3]
        flag = data[offset]
        body = data[offset + 1:offset + n]
        if flag == 1:
            if _inflate(body, scratch) != size:
                return i, _CORRUPT_LZF
            plane = tw * th
            for c in range(ps):
                k = c * plane
                for r in range(th):
                    for q in range(tw):
                        out[y + r, x + q, c] = scratch[k]
                        k += 1
        elif flag == 0:
            if body.shape[0] != size:
                return i, _RAW_SIZE
            k = 0
            for r in range(th):
                for q in range(tw):
                    for c in range(ps):
                        out[y + r, x + q, c] = body[k]
                        k += 1
        else:
            return i, _UNKNOWN_FLAG
    return -1, 0


def _filled(shape: tuple[int, int, int], default: bytes) -> np.ndarray:
    """An array of `shape` holding the default pixel everywhere (one word fill, not a broadcast)."""
    h, w, ps = shape
    if not any(default):
        return np.zeros(shape, np.uint8)
    word = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}.get(ps)
    out = np.empty(shape, np.uint8)
    if word is None:
        out[...] = np.frombuffer(default, np.uint8)
    else:
        out.view(word).fill(np.frombuffer(default, word)[0])
    return out


def decode_tiles(data: bytes, tiles: list[tuple[int, int, int, int]], frame: tuple[int, int, int, int],
                 tile_size: tuple[int, int], default: bytes, pool: Executor, workers: int) -> np.ndarray:
    """The tiles of `data` (from parse_tiles) over `frame` (x, y, w, h in tile space), raw bytes per
    pixel, with `default` where no tile is, split in `workers` runs on `pool`; ValueError names the first
    tile that is damaged."""
    x0, y0, w, h = frame
    tw, th = tile_size
    out = _filled((h, w, len(default)), default)
    table = np.array(tiles, np.int64).reshape(-1, 4)
    table[:, 0] -= x0
    table[:, 1] -= y0
    flat = np.frombuffer(data, np.uint8)
    runs = [run for run in np.array_split(table, max(1, min(workers, len(tiles) // 16))) if len(run)]
    jobs = [pool.submit(_decode, flat, run, out, tw, th) for run in runs]
    for job, run in zip(jobs, runs, strict=True):
        index, why = job.result()
        if index >= 0:
            x, y = run[index, 0] + x0, run[index, 1] + y0
            raise ValueError({_CORRUPT_LZF: f"the tile at {x},{y} holds corrupt LZF data",
                              _RAW_SIZE: f"the raw tile at {x},{y} is not {tw}x{th} pixels",
                              _UNKNOWN_FLAG: f"the tile at {x},{y} has an unknown compression flag"}[why])
    return out



def warm_up() -> None:
    """Compile the tile kernels (about 3 s cold) on a one-tile file with the types a real read
    passes (read-only bytes), so the first .kra does not wait for numba."""
    data = np.frombuffer(b"\x01\x00\x00", np.uint8)  # one LZF tile: a literal byte, far too short
    _decode(data, np.array([[0, 0, 0, 3]], np.int64), np.zeros((8, 8, 4), np.uint8), 8, 8)
