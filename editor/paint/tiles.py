"""A stroke's working memory, by 64x64 tile: its coverage buffer and the target's original.

A full-size buffer per stroke would cost a page fault for every row a dab
first crosses (several microseconds each, hundreds per fresh dab), so tiles
come from pools that stay allocated and pre-faulted between strokes. A
stroke maps tile (ty, tx) to a pool slot through `slots` (-1: not yet
touched); the kernels read and write through that map.
"""

from __future__ import annotations

import numpy as np

from editor.core import TILE, Rect

KEEP_TILES = 1024  # pool capacity kept between strokes: 16 MB of coverage and up to 16 MB of RGBA originals
_MIN_GROW = 256


class _Pool:
    def __init__(self, channels: int) -> None:
        self.channels = channels
        self.buffer = np.zeros((0, TILE, TILE), np.float32)
        self.original = np.zeros(self._orig_shape(0), np.uint8)
        self.busy = False

    def _orig_shape(self, n: int) -> tuple[int, ...]:
        return (n, TILE, TILE) if self.channels == 1 else (n, TILE, TILE, self.channels)

    @property
    def capacity(self) -> int:
        return self.buffer.shape[0]

    def reserve(self, n: int) -> None:
        if n <= self.capacity:
            return
        size = max(n, 2 * self.capacity, _MIN_GROW)
        buffer = np.empty((size, TILE, TILE), np.float32)
        original = np.empty(self._orig_shape(size), np.uint8)
        buffer[: self.capacity] = self.buffer
        original[: self.capacity] = self.original
        buffer[self.capacity :].fill(0.0)  # fault the new pages in now, in one sweep
        original[self.capacity :].fill(0)
        self.buffer, self.original = buffer, original

    def trim(self) -> None:
        if self.capacity > KEEP_TILES:
            self.buffer = self.buffer[:KEEP_TILES].copy()
            self.original = self.original[:KEEP_TILES].copy()


_pools: dict[int, _Pool] = {}


def _acquire(channels: int) -> _Pool:
    """The shared pool for this kind of target, or a private one if a stroke already holds it."""
    pool = _pools.setdefault(channels, _Pool(channels))
    if pool.busy:
        pool = _Pool(channels)
    pool.busy = True
    return pool


def warm_up(tiles: int = KEEP_TILES) -> None:
    """Allocate and fault in the shared pools (call off the GUI thread at start-up)."""
    for channels in (1, 4):
        pool = _acquire(channels)
        pool.reserve(tiles)
        pool.busy = False


class StrokeTiles:
    """The stroke buffer (zero at first touch) and original of each tile of `array` a stroke touches."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        h, w = array.shape[:2]
        self.slots = np.full(((h + TILE - 1) // TILE, (w + TILE - 1) // TILE), -1, np.int32)
        self.count = 0
        self.pool = _acquire(1 if array.ndim == 2 else array.shape[2])

    @property
    def buffer(self) -> np.ndarray:
        return self.pool.buffer

    @property
    def original(self) -> np.ndarray:
        return self.pool.original

    def touch(self, rect: Rect) -> None:
        """Give every tile under `rect` (array coordinates, inside the array) a slot."""
        ty0, ty1 = rect.y // TILE, (rect.bottom - 1) // TILE + 1
        tx0, tx1 = rect.x // TILE, (rect.right - 1) // TILE + 1
        block = self.slots[ty0:ty1, tx0:tx1]
        fresh = np.argwhere(block < 0)
        if fresh.size == 0:
            return
        self.pool.reserve(self.count + len(fresh))
        h, w = self.array.shape[:2]
        for ty, tx in fresh + (ty0, tx0):
            slot = self.count
            self.count += 1
            self.slots[ty, tx] = slot
            rows = slice(ty * TILE, min(h, (ty + 1) * TILE))
            cols = slice(tx * TILE, min(w, (tx + 1) * TILE))
            self.pool.buffer[slot].fill(0.0)
            self.pool.original[slot, : rows.stop - rows.start, : cols.stop - cols.start] = self.array[rows, cols]

    def release(self) -> None:
        self.pool.trim()
        self.pool.busy = False
