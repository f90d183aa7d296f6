"""The selection: a document-sized soft mask (255 selected, 0 not)."""

from __future__ import annotations

import numpy as np

from .geometry import Rect


class Selection:
    def __init__(self, data: np.ndarray) -> None:
        if data.dtype != np.uint8 or data.ndim != 2:
            raise ValueError("selection data must be a 2-D uint8 array")
        self.data = data

    @classmethod
    def empty(cls, width: int, height: int) -> Selection:
        return cls(np.zeros((height, width), np.uint8))

    @classmethod
    def all(cls, width: int, height: int) -> Selection:
        return cls(np.full((height, width), 255, np.uint8))

    @classmethod
    def from_rect(cls, width: int, height: int, rect: Rect) -> Selection:
        sel = cls.empty(width, height)
        r = rect.intersect(Rect(0, 0, width, height))
        sel.data[r.slices()] = 255
        return sel

    @property
    def is_empty(self) -> bool:
        return not self.data.any()

    def bounds(self) -> Rect | None:
        rows = np.flatnonzero(self.data.any(axis=1))
        if rows.size == 0:
            return None
        cols = np.flatnonzero(self.data.any(axis=0))
        return Rect.from_bounds(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)

    def inverted(self) -> Selection:
        return Selection(255 - self.data)

    def copy(self) -> Selection:
        return Selection(self.data.copy())

    def combine(self, other: Selection, op: str) -> Selection:
        """replace, add, subtract or intersect, soft (max, clamp, min)."""
        a, b = self.data, other.data
        if op == "replace":
            return other.copy()
        if op == "add":
            return Selection(np.maximum(a, b))
        if op == "subtract":
            return Selection(np.minimum(a, 255 - b))
        if op == "intersect":
            return Selection(np.minimum(a, b))
        raise ValueError(f"unknown selection operation {op!r}")
