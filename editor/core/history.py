"""Undo history: command objects in a list with a memory budget.

MyPaint's lib/command.py is the model: each command knows how to redo and
undo itself, carries a label, and may merge with the one before it (one
drag of a slider is one step). Pixel commands keep only the 64x64 tiles
they touched, so a stroke costs kilobytes, not the whole layer.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .geometry import Rect
from .tileblock import TILE, TileBlock

if TYPE_CHECKING:
    from .document import Document

DEFAULT_BUDGET = 1 << 30  # 1 GiB


class Command:
    label = "Edit"

    def redo(self, doc: Document) -> None:
        raise NotImplementedError

    def undo(self, doc: Document) -> None:
        raise NotImplementedError

    def nbytes(self) -> int:
        """Memory this command keeps alive for undo."""
        return 0

    def merge(self, newer: Command) -> bool:
        """Absorb `newer` (already applied) into self; True when merged."""
        return False

    def release(self) -> None:
        """The history dropped this step for good: memory it keeps may be reused."""


class Macro(Command):
    """Several commands as one step."""

    def __init__(self, label: str, commands: list[Command]) -> None:
        self.label = label
        self.commands = commands

    def redo(self, doc: Document) -> None:
        for cmd in self.commands:
            cmd.redo(doc)

    def undo(self, doc: Document) -> None:
        for cmd in reversed(self.commands):
            cmd.undo(doc)

    def nbytes(self) -> int:
        return sum(cmd.nbytes() for cmd in self.commands)

    def release(self) -> None:
        for cmd in self.commands:
            cmd.release()


def _tile_slices(key: tuple[int, int], shape: tuple[int, ...]) -> tuple[slice, slice]:
    ty, tx = key
    return (slice(ty * TILE, min((ty + 1) * TILE, shape[0])), slice(tx * TILE, min((tx + 1) * TILE, shape[1])))


class TileDelta:
    """The before and after contents of the 64x64 tiles an edit touched.

    A delta is made once the edit is in the array, and the history is a stack, so the array
    holds "after" until the delta's first undo: "after" is copied then (`write("before")`), not
    when the edit ends. A large edit (a gradient, a bucket fill over a whole 24 MP layer) then
    costs one copy before the screen repaints instead of two.

    The tiles are a dict of per-tile arrays (a brush stroke's few) and/or `TileBlock`s (a large
    edit's thousands in one array, see editor.core.tileblock); no tile is in two of them.
    `before` / `after` read them all as one Mapping (ty, tx) -> tile.
    """

    def __init__(self, before: dict[tuple[int, int], np.ndarray],
                 after: dict[tuple[int, int], np.ndarray] | None = None, *,
                 blocks: Sequence[TileBlock] = ()) -> None:
        self._before = before
        self._blocks = [b for b in blocks if len(b)]
        self._after = after  # None: still in the array
        self._after_blocks: list[TileBlock] = []
        # the history sums it at every record
        self._nbytes = 2 * (sum(t.nbytes for t in before.values()) + sum(b.nbytes() for b in self._blocks))

    @property
    def before(self) -> Mapping[tuple[int, int], np.ndarray]:
        return ChainMap(self._before, *self._blocks) if self._blocks else self._before

    @property
    def after(self) -> Mapping[tuple[int, int], np.ndarray] | None:
        if self._after is None:
            return None
        return ChainMap(self._after, *self._after_blocks) if self._after_blocks else self._after

    def write(self, array: np.ndarray, which: str, *, keep_after: bool = True) -> Rect | None:
        """Write the "before" or "after" tiles into `array`; return the rect touched.
        keep_after=False: the edit is being cancelled, "after" is never needed."""
        if which == "before" and self._after is None and keep_after:
            self._after = copy_tiles(array, self._before)
            self._after_blocks = [TileBlock.take(array, b.held()) for b in self._blocks]
        if not self:
            return None
        h, w = array.shape[:2]
        if which == "after" and self._after is None:
            return self._rect(h, w)  # not undone yet: the array holds "after" already
        tiles, blocks = (self._before, self._blocks) if which == "before" else (self._after, self._after_blocks)
        for (ty, tx), tile in tiles.items():
            array[ty * TILE:(ty + 1) * TILE, tx * TILE:(tx + 1) * TILE] = tile
        for block in blocks:
            block.put(array)
        return self._rect(h, w)

    def _rect(self, h: int, w: int) -> Rect | None:
        rect = _tiles_rect(self._before, h, w) if self._before else None
        for block in self._blocks:
            rect = block.rect().union(rect)
        return rect

    def nbytes(self) -> int:
        """Both halves, "after" counted before it is taken (the history's budget holds for undo)."""
        return self._nbytes

    def release(self) -> None:
        """The step is gone from the history: hand its blocks back for reuse (editor.core.tileblock)."""
        for block in (*self._blocks, *self._after_blocks):
            block.release()
        self._before, self._blocks, self._after, self._after_blocks = {}, [], None, []
        self._nbytes = 0

    def __bool__(self) -> bool:
        return bool(self._before) or bool(self._blocks)


def _tiles_rect(tiles, h: int, w: int) -> Rect:
    tys, txs = [ty for ty, _ in tiles], [tx for _, tx in tiles]
    return Rect.from_bounds(min(txs) * TILE, min(tys) * TILE, min(w, (max(txs) + 1) * TILE),
                            min(h, (max(tys) + 1) * TILE))


def copy_tiles(array: np.ndarray, keys) -> dict[tuple[int, int], np.ndarray]:
    """Copies of `array`'s tiles at `keys`; one copy of their bounding box, sliced, when they fill
    at least a quarter of it (thousands of small copies cost more than the bytes)."""
    if not keys:
        return {}
    h, w = array.shape[:2]
    box = _tiles_rect(keys, h, w)
    if 4 * len(keys) * TILE * TILE >= box.w * box.h:
        block = array[box.slices()].copy()
        return {(ty, tx): block[ty * TILE - box.y:(ty + 1) * TILE - box.y, tx * TILE - box.x:(tx + 1) * TILE - box.x]
                for ty, tx in keys}
    return {key: array[_tile_slices(key, array.shape)].copy() for key in keys}


class TileRecorder:
    """Keeps the original of each tile of `array` the first time it is about to change.

    Call `touch(rect)` before writing into rect (array coordinates); `finish()`
    returns a TileDelta holding only tiles whose content really changed.
    """

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        self.before: dict[tuple[int, int], np.ndarray] = {}
        self.held: np.ndarray | None = None  # (rows, columns) bool: originals kept elsewhere (a TileBlock)

    def touch(self, rect: Rect) -> None:
        h, w = self.array.shape[:2]
        r = rect.intersect(Rect(0, 0, w, h))
        if r.empty:
            return
        held = self.held
        for ty in range(r.y // TILE, (r.bottom - 1) // TILE + 1):
            for tx in range(r.x // TILE, (r.right - 1) // TILE + 1):
                if (ty, tx) not in self.before and not (held is not None and held[ty, tx]):
                    rows, cols = _tile_slices((ty, tx), self.array.shape)
                    self.before[(ty, tx)] = self.array[rows, cols].copy()

    def finish(self) -> TileDelta:
        before = {key: old for key, old in self.before.items()
                  if not np.array_equal(old, self.array[_tile_slices(key, self.array.shape)])}
        self.before = {}
        return TileDelta(before)


class History:
    """The document's undo list. `index` counts the steps currently applied."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET) -> None:
        self.budget_bytes = budget_bytes
        self.steps: list[Command] = []
        self.index = 0
        self.clean_index: int | None = 0  # where the document was last saved
        self.dropped = 0  # steps dropped off the bottom to stay within budget

    @property
    def can_undo(self) -> bool:
        return self.index > 0

    @property
    def can_redo(self) -> bool:
        return self.index < len(self.steps)

    @property
    def modified(self) -> bool:
        return self.clean_index != self.index

    def mark_clean(self) -> None:
        self.clean_index = self.index

    def labels(self) -> list[str]:
        return [cmd.label for cmd in self.steps]

    def nbytes(self) -> int:
        return sum(cmd.nbytes() for cmd in self.steps)

    def record(self, cmd: Command, *, mergeable: bool = True) -> None:
        """Add a command that has already been applied."""
        self._drop(self.index)
        if self.clean_index is not None and self.clean_index > self.index:
            self.clean_index = None
        if mergeable and self.steps and self.index == len(self.steps) and self.clean_index != self.index:
            if self.steps[-1].merge(cmd):
                self._trim()
                return
        self.steps.append(cmd)
        self.index = len(self.steps)
        self._trim()

    def _trim(self) -> None:
        total = self.nbytes()
        while len(self.steps) > 1 and total > self.budget_bytes:
            total -= self.steps[0].nbytes()
            self.steps.pop(0).release()
            self.index -= 1
            self.dropped += 1
            if self.clean_index is not None:
                self.clean_index = self.clean_index - 1 if self.clean_index > 0 else None

    def forget_redo(self) -> None:
        """Drop the steps after `index` (undone steps that can no longer be redone)."""
        self._drop(self.index)
        if self.clean_index is not None and self.clean_index > self.index:
            self.clean_index = None

    def _drop(self, start: int) -> None:
        """Drop steps[start:] for good (their memory may be reused: `Command.release`)."""
        gone = self.steps[start:]
        del self.steps[start:]
        for cmd in gone:
            cmd.release()

    def undo_step(self) -> Command | None:
        if not self.can_undo:
            return None
        self.index -= 1
        return self.steps[self.index]

    def redo_step(self) -> Command | None:
        if not self.can_redo:
            return None
        self.index += 1
        return self.steps[self.index - 1]
