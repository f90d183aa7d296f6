"""The layer tree: pixel layers, solid-colour fill layers and groups."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from .blend import BlendMode
from .geometry import Rect
from .mask import Mask

_ids = itertools.count(1)


class Node:
    """What every entry of the layer stack has in common."""

    kind = "node"

    def __init__(
        self,
        name: str,
        *,
        opacity: float = 1.0,
        blend_mode: BlendMode = BlendMode.NORMAL,
        visible: bool = True,
        locked: bool = False,
        clipped: bool = False,
        mask: Mask | None = None,
    ) -> None:
        self.uid = next(_ids)
        self.name = name
        self.opacity = float(opacity)
        self.blend_mode = BlendMode(blend_mode)
        self.visible = visible
        self.locked = locked
        self.clipped = clipped
        self.mask = mask
        self.parent: Group | None = None

    # Properties a SetProperties command may change; every one is plain data.
    PROPERTIES = ("name", "opacity", "blend_mode", "visible", "locked", "clipped")

    @property
    def offset(self) -> tuple[int, int]:
        return (0, 0)

    def bounds(self, canvas: Rect) -> Rect:
        """The rectangle this node can paint, in document coordinates."""
        return canvas

    def mask_rect(self, canvas: Rect) -> Rect:
        """Where the mask's pixel (0, 0) sits and its extent, in document coordinates."""
        ox, oy = self.offset
        h, w = self.mask.shape if self.mask is not None else (0, 0)
        return Rect(ox, oy, w, h)

    def ancestors(self) -> Iterator[Group]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} #{self.uid}>"


class Layer(Node):
    """A raster layer: (h, w, 4) uint8 RGBA, straight alpha, placed at `offset`."""

    kind = "pixel"
    PROPERTIES = Node.PROPERTIES + ("alpha_locked", "x", "y")

    def __init__(
        self,
        name: str,
        pixels: np.ndarray,
        *,
        offset: tuple[int, int] = (0, 0),
        alpha_locked: bool = False,
        **kw,
    ) -> None:
        super().__init__(name, **kw)
        if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
            raise ValueError("layer pixels must be an (h, w, 4) uint8 array")
        self.pixels = pixels
        self.x, self.y = int(offset[0]), int(offset[1])
        self.alpha_locked = alpha_locked
        if self.mask is not None and self.mask.shape != pixels.shape[:2]:
            raise ValueError("a layer's mask must be the size of the layer")

    @property
    def offset(self) -> tuple[int, int]:
        return (self.x, self.y)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the pixel array."""
        return self.pixels.shape[1], self.pixels.shape[0]

    def bounds(self, canvas: Rect | None = None) -> Rect:
        return Rect(self.x, self.y, self.pixels.shape[1], self.pixels.shape[0])

    @classmethod
    def blank(cls, name: str, width: int, height: int, **kw) -> Layer:
        return cls(name, np.zeros((height, width, 4), np.uint8), **kw)


class FillLayer(Node):
    """A solid colour covering the whole canvas (the new backdrop behind a cut-out).

    Its mask, when it has one, is document-sized at the origin.
    """

    kind = "fill"
    PROPERTIES = Node.PROPERTIES + ("color",)

    def __init__(self, name: str, color: tuple[int, int, int, int] = (255, 255, 255, 255), **kw) -> None:
        super().__init__(name, **kw)
        self.color = tuple(int(c) for c in color)

    def pixels_for(self, rect: Rect) -> np.ndarray:
        out = np.empty((rect.h, rect.w, 4), np.uint8)
        out[...] = self.color
        return out


class Group(Node):
    """A layer whose content is its children, bottom first in `children`.

    Isolated groups composite their children into a transparent buffer first;
    pass-through groups composite them straight onto what lies below.
    """

    kind = "group"
    PROPERTIES = Node.PROPERTIES + ("isolated", "expanded")

    def __init__(self, name: str, children: list[Node] | None = None, *, isolated: bool = True, **kw) -> None:
        super().__init__(name, **kw)
        self.isolated = isolated
        self.expanded = True
        self.children: list[Node] = []
        for child in children or []:
            self.insert(len(self.children), child)

    def insert(self, index: int, node: Node) -> None:
        if node.parent is not None:
            raise ValueError(f"{node!r} already has a parent")
        node.parent = self
        self.children.insert(index, node)

    def remove(self, node: Node) -> int:
        index = self.children.index(node)
        del self.children[index]
        node.parent = None
        return index

    def walk(self) -> Iterator[Node]:
        """Every descendant, depth first, bottom first."""
        for child in self.children:
            yield child
            if isinstance(child, Group):
                yield from child.walk()

    def bounds(self, canvas: Rect) -> Rect:
        return canvas


def clip_base(node: Node) -> Node | None:
    """The layer a clipped node clips to: the nearest unclipped sibling below it."""
    if not node.clipped or node.parent is None:
        return None
    siblings = node.parent.children
    for below in reversed(siblings[: siblings.index(node)]):
        if not below.clipped:
            return below
    return None
