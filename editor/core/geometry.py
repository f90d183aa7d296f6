"""Integer rectangles in document (or layer) coordinates."""

from __future__ import annotations

from typing import NamedTuple


class Rect(NamedTuple):
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def empty(self) -> bool:
        return self.w <= 0 or self.h <= 0

    def intersect(self, other: Rect) -> Rect:
        x0, y0 = max(self.x, other.x), max(self.y, other.y)
        x1, y1 = min(self.right, other.right), min(self.bottom, other.bottom)
        return Rect(x0, y0, max(0, x1 - x0), max(0, y1 - y0))

    def union(self, other: Rect | None) -> Rect:
        if other is None or other.empty:
            return self
        if self.empty:
            return other
        x0, y0 = min(self.x, other.x), min(self.y, other.y)
        x1, y1 = max(self.right, other.right), max(self.bottom, other.bottom)
        return Rect(x0, y0, x1 - x0, y1 - y0)

    def translated(self, dx: int, dy: int) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def adjusted(self, grow: int) -> Rect:
        return Rect(self.x - grow, self.y - grow, self.w + 2 * grow, self.h + 2 * grow)

    def slices(self) -> tuple[slice, slice]:
        """numpy (rows, cols) slices for this rect in an array whose origin is (0, 0)."""
        return slice(self.y, self.bottom), slice(self.x, self.right)

    @classmethod
    def from_bounds(cls, x0: int, y0: int, x1: int, y1: int) -> Rect:
        return cls(x0, y0, max(0, x1 - x0), max(0, y1 - y0))
