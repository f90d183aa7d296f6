"""Vector paths (the pen tool's Bézier outlines), stored on the document.

A path is a list of anchors, each with an incoming and an outgoing handle in
absolute document coordinates (a corner has both handles on its point), and
a closed flag. Anchors are immutable; an edit swaps the whole list, so undo
is a swap too. Paths serialise to SVG path data (M/C/Z), which is what the
project file stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .geometry import Rect
from .history import Command

if TYPE_CHECKING:
    from .document import Document

Point = tuple[float, float]


@dataclass(frozen=True)
class Anchor:
    point: Point
    handle_in: Point
    handle_out: Point

    @classmethod
    def corner(cls, x: float, y: float) -> Anchor:
        return cls((x, y), (x, y), (x, y))

    @classmethod
    def smooth(cls, x: float, y: float, out_x: float, out_y: float) -> Anchor:
        """A smooth anchor: the incoming handle mirrors the outgoing one (the pen tool's drag)."""
        return cls((x, y), (2 * x - out_x, 2 * y - out_y), (out_x, out_y))

    def moved(self, dx: float, dy: float) -> Anchor:
        def shift(p: Point) -> Point:
            return (p[0] + dx, p[1] + dy)

        return Anchor(shift(self.point), shift(self.handle_in), shift(self.handle_out))


class VectorPath:
    def __init__(self, name: str, anchors: list[Anchor] | tuple[Anchor, ...] = (), closed: bool = False) -> None:
        self.name = name
        self.anchors: tuple[Anchor, ...] = tuple(anchors)
        self.closed = closed

    def segments(self) -> list[tuple[Point, Point, Point, Point]]:
        """The cubic segments (p0, c0, c1, p1), including the closing one."""
        a = self.anchors
        pairs = list(zip(a, a[1:], strict=False))
        if self.closed and len(a) > 1:
            pairs.append((a[-1], a[0]))
        return [(s.point, s.handle_out, e.handle_in, e.point) for s, e in pairs]

    def bounds(self) -> Rect | None:
        """Integer rectangle holding every anchor and handle (a Bézier stays in its hull)."""
        pts = [p for a in self.anchors for p in (a.point, a.handle_in, a.handle_out)]
        if not pts:
            return None
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return Rect.from_bounds(int(min(xs)) - 1, int(min(ys)) - 1, int(max(xs)) + 2, int(max(ys)) + 2)

    def to_svg(self) -> str:
        if not self.anchors:
            return ""
        parts = [f"M {_xy(self.anchors[0].point)}"]
        for _p0, c0, c1, p1 in self.segments():
            parts.append(f"C {_xy(c0)} {_xy(c1)} {_xy(p1)}")
        if self.closed:
            parts.append("Z")
        return " ".join(parts)

    @classmethod
    def from_svg(cls, name: str, d: str) -> VectorPath:
        """Read what to_svg writes (M, C, L and Z; absolute coordinates)."""
        tokens = re.findall(r"[A-DF-Za-df-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", d)
        anchors: list[Anchor] = []
        closed, i = False, 0

        def numbers(n: int) -> list[float]:
            nonlocal i
            vals = [float(t) for t in tokens[i : i + n]]
            if len(vals) != n:
                raise ValueError(f"bad path data: {d!r}")
            i += n
            return vals

        while i < len(tokens):
            cmd = tokens[i]
            i += 1
            if cmd == "M" and not anchors:
                x, y = numbers(2)
                anchors.append(Anchor.corner(x, y))
            elif cmd in ("C", "L") and anchors:
                if cmd == "C":
                    c0x, c0y, c1x, c1y, x, y = numbers(6)
                else:
                    x, y = numbers(2)
                    c0x, c0y = anchors[-1].point
                    c1x, c1y = x, y
                last = anchors[-1]
                anchors[-1] = Anchor(last.point, last.handle_in, (c0x, c0y))
                anchors.append(Anchor((x, y), (c1x, c1y), (x, y)))
            elif cmd == "Z" and anchors:
                closed = True
            else:
                raise ValueError(f"unsupported path data: {d!r}")
        if closed and len(anchors) > 1 and anchors[-1].point == anchors[0].point:
            # the closing segment was written explicitly: fold it into the first anchor
            last = anchors.pop()
            first = anchors[0]
            anchors[0] = Anchor(first.point, last.handle_in, first.handle_out)
        return cls(name, anchors, closed)

    def __repr__(self) -> str:
        return f"<VectorPath {self.name!r} {len(self.anchors)} anchors{' closed' if self.closed else ''}>"


def _xy(p: Point) -> str:
    return f"{p[0]:.10g} {p[1]:.10g}"


def _notify(doc: Document, *paths: VectorPath) -> None:
    rect: Rect | None = None
    for path in paths:
        b = path.bounds()
        if b is not None:
            rect = b if rect is None else rect.union(b)
    doc.notify("paths", None, rect)


class AddPath(Command):
    """Add a path; EditPaths with the same merge_key merge into it (the pen's first anchor and its drag)."""

    def __init__(self, path: VectorPath, index: int | None = None, label: str = "New path", *, merge_key: str | None = None) -> None:
        self.path, self.index, self.label, self.merge_key = path, index, label, merge_key

    def redo(self, doc: Document) -> None:
        index = len(doc.paths) if self.index is None else self.index
        doc.paths.insert(index, self.path)
        _notify(doc, self.path)

    def undo(self, doc: Document) -> None:
        doc.paths.remove(self.path)
        _notify(doc, self.path)

    def merge(self, newer: Command) -> bool:
        # the path object already holds the newer anchors; redo re-adds it as it is now
        return (isinstance(newer, EditPath) and self.merge_key is not None
                and newer.merge_key == self.merge_key and newer.path is self.path)


class RemovePath(Command):
    def __init__(self, path: VectorPath, label: str = "Delete path") -> None:
        self.path, self.label = path, label
        self.index = 0

    def redo(self, doc: Document) -> None:
        self.index = doc.paths.index(self.path)
        doc.paths.remove(self.path)
        _notify(doc, self.path)

    def undo(self, doc: Document) -> None:
        doc.paths.insert(self.index, self.path)
        _notify(doc, self.path)


class EditPath(Command):
    """Replace a path's anchors and closed flag; edits with the same merge_key merge (one drag)."""

    def __init__(self, path: VectorPath, anchors: list[Anchor] | tuple[Anchor, ...], closed: bool | None = None,
                 *, label: str = "Edit path", merge_key: str | None = None) -> None:
        self.path, self.label, self.merge_key = path, label, merge_key
        self.new = (tuple(anchors), path.closed if closed is None else closed)
        self.old = (path.anchors, path.closed)

    def _set(self, doc: Document, state: tuple[tuple[Anchor, ...], bool]) -> None:
        before = self.path.bounds()
        self.path.anchors, self.path.closed = state
        after = self.path.bounds()
        rect = after if before is None else before.union(after)
        doc.notify("paths", None, rect)

    def redo(self, doc: Document) -> None:
        self._set(doc, self.new)

    def undo(self, doc: Document) -> None:
        self._set(doc, self.old)

    def merge(self, newer: Command) -> bool:
        if isinstance(newer, EditPath) and self.merge_key is not None and newer.merge_key == self.merge_key and newer.path is self.path:
            self.new = newer.new
            return True
        return False
