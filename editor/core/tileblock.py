"""Undo tiles kept in one tile-major block, and a small pool that recycles such blocks.

A dict of per-tile arrays costs a Python object and a slice per 64x64 tile: a paint bucket
over most of a 24 MP layer keeps some 4300 tiles, and building, comparing and writing back
that dict cost more than the bytes. A `TileBlock` keeps the tiles in one (n, 64, 64[, c])
array with a grid of slots (`slots[ty, tx]`, -1: not held), so a writer fills it in one
compiled pass and undo moves it back run by run (tiles side by side in a row are one strided
copy). It is a read-only Mapping (ty, tx) -> tile, clipped to the array like the dict's tiles.

Fresh memory costs a page fault per page the first time it is written (about 12 ms CPU for a
70 MB block); the history hands the blocks of the steps it drops back to the pool, and the
next large edit of about the same size reuses one (`new_block`). The pool is capped
(`POOL_BYTES`), holds only large blocks and never one that something still looks into.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Mapping

import numpy as np

from .geometry import Rect

TILE = 64
POOL_BYTES = 256 << 20  # what dropped steps may leave resident for reuse
_MIN_POOLED = 1 << 20  # smaller blocks come cheaply from malloc's own free lists
_ROUND_TILES = 64  # capacities are rounded up to this many tiles, so similar edits share blocks

_lock = threading.Lock()
_pool: list[np.ndarray] = []


def new_block(n: int, tile_shape: tuple[int, ...], dtype=np.uint8) -> np.ndarray:
    """An uninitialised (m >= n, *tile_shape) block: a pooled one of about that size, or a fresh one."""
    dtype = np.dtype(dtype)
    cap = -(-n // _ROUND_TILES) * _ROUND_TILES if n >= _ROUND_TILES else n
    with _lock:
        best = None
        for i, block in enumerate(_pool):
            m = block.shape[0]
            if (block.dtype == dtype and block.shape[1:] == tuple(tile_shape) and n <= m <= cap + cap // 4
                    and (best is None or m < _pool[best].shape[0])):
                best = i
        if best is not None:
            return _pool.pop(best)
    return np.empty((cap, *tile_shape), dtype)


def give_back(block: np.ndarray) -> None:
    """Offer a block nothing else will use to the pool (the history's dropped steps).

    Only a block that owns its memory and that no view still refers to is kept: the caller's
    reference and this call's are the only ones (a test or a panel holding a tile keeps it out)."""
    if block.nbytes < _MIN_POOLED or block.base is not None or not block.flags.c_contiguous:
        return
    if sys.getrefcount(block) > 3:  # the caller's name, this argument, getrefcount's own
        return
    with _lock:
        _pool.append(block)
        total = sum(b.nbytes for b in _pool)
        while _pool and total > POOL_BYTES:
            total -= _pool.pop(0).nbytes


def pooled_bytes() -> int:
    with _lock:
        return sum(b.nbytes for b in _pool)


def clear_pool() -> None:
    with _lock:
        _pool.clear()


def tile_grid(shape: tuple[int, ...]) -> tuple[int, int]:
    """(rows, columns) of 64x64 tiles covering an array of `shape`."""
    return -(-shape[0] // TILE), -(-shape[1] // TILE)


class TileBlock(Mapping):
    """Tiles of an array of `shape` ((h, w[, c])): slots[ty, tx] >= 0 is the tile's index in
    `block` ((m, 64, 64[, c]), whole tiles; the array's edge tiles use their top-left part)."""

    def __init__(self, slots: np.ndarray, block: np.ndarray, shape: tuple[int, ...]) -> None:
        self.slots = slots
        self.block = block
        self.shape = tuple(shape[:2])
        self._keys: np.ndarray | None = None

    @classmethod
    def take(cls, array: np.ndarray, held: np.ndarray) -> TileBlock:
        """Copies of `array`'s tiles where the (rows, columns) grid `held` is True."""
        flat = np.flatnonzero(held)
        slots = np.full(held.shape, -1, np.int32)
        slots.flat[flat] = np.arange(flat.size, dtype=np.int32)
        tiles = cls(slots, new_block(flat.size, (TILE, TILE, *array.shape[2:]), array.dtype), array.shape)
        tiles._move(array, into_array=False)
        return tiles

    # --- the Mapping -----------------------------------------------------------------
    def keys_array(self) -> np.ndarray:
        """(n, 2) int (ty, tx) of the tiles held, row-major."""
        if self._keys is None:
            self._keys = np.argwhere(self.slots >= 0)
        return self._keys

    def __len__(self) -> int:
        return len(self.keys_array())

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(map(tuple, self.keys_array().tolist()))

    def __contains__(self, key) -> bool:
        try:
            ty, tx = key
        except (TypeError, ValueError):
            return False
        rows, cols = self.slots.shape
        return 0 <= ty < rows and 0 <= tx < cols and self.slots[ty, tx] >= 0

    def __getitem__(self, key) -> np.ndarray:
        if key not in self:
            raise KeyError(key)
        ty, tx = key
        h, w = self.shape
        return self.block[self.slots[ty, tx], : min(TILE, h - ty * TILE), : min(TILE, w - tx * TILE)]

    # --- what a delta needs ----------------------------------------------------------------
    def nbytes(self) -> int:
        """Memory kept alive: the whole block."""
        return self.block.nbytes

    def held(self) -> np.ndarray:
        """The grid of tiles held (bool)."""
        return self.slots >= 0

    def discard(self, grid: np.ndarray) -> None:
        """Stop holding the tiles where `grid` (bool, the slots' shape) is True."""
        self.slots[grid] = -1
        self._keys = None

    def rect(self) -> Rect | None:
        keys = self.keys_array()
        if not len(keys):
            return None
        h, w = self.shape
        (ty0, tx0), (ty1, tx1) = keys.min(axis=0), keys.max(axis=0)
        return Rect.from_bounds(int(tx0) * TILE, int(ty0) * TILE, min(w, (int(tx1) + 1) * TILE),
                                min(h, (int(ty1) + 1) * TILE))

    def put(self, array: np.ndarray) -> Rect | None:
        """Write the tiles into `array`; return the rect touched."""
        self._move(array, into_array=True)
        return self.rect()

    def release(self) -> None:
        """Hold nothing any more and hand the block to the pool (a dropped undo step)."""
        block = self.block
        self.block = np.empty((0, *block.shape[1:]), block.dtype)  # not a view: it would pin the block
        self.slots = np.full(self.slots.shape, -1, np.int32)
        self._keys = None
        give_back(block)

    def _move(self, array: np.ndarray, *, into_array: bool) -> None:
        """Copy between `array` and the block, one strided copy per run of tiles that sit side by
        side in a row and in consecutive slots (most of a large edit's tiles)."""
        keys = self.keys_array()
        if not len(keys):
            return
        h, w = self.shape
        a3 = array if array.ndim == 3 else array[..., None]
        b4 = self.block if self.block.ndim == 4 else self.block[..., None]
        c = a3.shape[2]
        tys, txs = keys[:, 0], keys[:, 1]
        slot = self.slots[tys, txs]
        full_cols = w // TILE
        # A run breaks at a new tile row, a gap, a slot out of order or the partial last column.
        brk = np.ones(len(keys), np.bool_)
        brk[1:] = (tys[1:] != tys[:-1]) | (txs[1:] != txs[:-1] + 1) | (slot[1:] != slot[:-1] + 1) | (txs[1:] >= full_cols)
        starts = np.flatnonzero(brk)
        ends = np.append(starts[1:], len(keys))
        for i0, i1 in zip(starts.tolist(), ends.tolist(), strict=True):
            ty, tx0, s0 = int(tys[i0]), int(txs[i0]), int(slot[i0])
            k = i1 - i0
            y0 = ty * TILE
            th = min(TILE, h - y0)
            x0 = tx0 * TILE
            if x0 + TILE > w:  # the partial last column: one tile
                part_a, part_b = a3[y0:y0 + th, x0:w], b4[s0, :th, : w - x0]
            else:
                part_a = a3[y0:y0 + th, x0:x0 + k * TILE].reshape(th, k, TILE, c).transpose(1, 0, 2, 3)
                part_b = b4[s0:s0 + k, :th]
            if into_array:
                part_a[...] = part_b
            else:
                part_b[...] = part_a
