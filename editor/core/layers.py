"""The layer tree: pixel layers, solid-colour fill layers, adjustment (and filter) layers and groups.

Each node kind is one subclass with a unique `kind` string; what core knows about a kind
(its content, clone, byte size, bounds) is a method here. How a kind renders and how it
maps to files is looked up by that string elsewhere: see `editor.render.kinds`, which
says which modules a new kind touches.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np

from .blend import BlendMode
from .blendif import BlendIf
from .geometry import Rect
from .mask import Mask

_ids = itertools.count(1)

KNOCKOUTS = ("none", "shallow", "deep")

# Every node class by its `kind`, filled in as classes are defined (Node.__init_subclass__).
NODE_KINDS: dict[str, type[Node]] = {}


class Node:
    """What every entry of the layer stack has in common."""

    kind = "node"

    def __init_subclass__(cls, **kw) -> None:
        super().__init_subclass__(**kw)
        if cls.kind in NODE_KINDS and NODE_KINDS[cls.kind] is not cls:
            raise TypeError(f"node kind {cls.kind!r} is defined twice")
        NODE_KINDS[cls.kind] = cls

    def __init__(
        self,
        name: str,
        *,
        opacity: float = 1.0,
        fill: float = 1.0,
        blend_mode: BlendMode = BlendMode.NORMAL,
        visible: bool = True,
        locked: bool = False,
        clipped: bool = False,
        mask: Mask | None = None,
        blend_if: BlendIf | None = None,
        knockout: str = "none",
        channels: str = "rgb",
        clip_group_blend: bool = True,
    ) -> None:
        self.uid = next(_ids)
        self.name = name
        self.opacity = float(opacity)
        # Photoshop's Fill (0..1): scales the layer's own paint. Pixel and fill layers render
        # it (editor.render.plan.with_fill); in most modes it multiplies opacity, in the eight
        # of editor.core.blend.SPECIAL_FILL it fades the blend itself.
        self.fill = float(fill)
        self.blend_mode = BlendMode(blend_mode)
        self.visible = visible
        self.locked = locked
        self.clipped = clipped
        self.mask = mask
        # Blend If ranges (None: none); an immutable value, replaced whole by SetProperties.
        self.blend_if = blend_if
        # Photoshop's Knockout (Blending Options): "none", "shallow" (the node's shape cuts through
        # what lies below it in its group, to the group's backdrop) or "deep" (down to the
        # Background, or transparency); see editor.render.compositor.Compositor.add_knockout.
        if knockout not in KNOCKOUTS:
            raise ValueError(f"knockout must be one of {KNOCKOUTS}, not {knockout!r}")
        self.knockout = knockout
        # Photoshop's Advanced Blending "Channels" (R, G, B): the colour channels the node blends
        # into; the others keep what lies below (its coverage still adds), "" draws nothing.
        if not set(channels) <= set("rgb"):
            raise ValueError(f"channels must be letters of 'rgb', not {channels!r}")
        self.channels = "".join(c for c in "rgb" if c in channels)
        # Photoshop's "Blend Clipped Layers as Group", read on a clip base: when False the
        # clipped layers blend straight onto what lies below, each in its own mode, within
        # the base's shape (editor.render.compositor.Compositor.add_clip_run).
        self.clip_group_blend = bool(clip_group_blend)
        self.parent: Group | None = None

    # Properties a SetProperties command may change; every one is plain data.
    PROPERTIES = ("name", "opacity", "fill", "blend_mode", "visible", "locked", "clipped", "blend_if", "knockout",
                  "channels", "clip_group_blend")

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

    # --- what each kind answers ----------------------------------------------
    def own_nbytes(self) -> int:
        """Bytes of the node's own content arrays (not its mask, not its children)."""
        return 0

    def nbytes(self) -> int:
        """Bytes held by the node: content, mask and (for groups) every descendant."""
        return self.own_nbytes() + (self.mask.data.nbytes if self.mask is not None else 0)

    def _clone(self, name: str, common: dict, copy_arrays: bool) -> Node:
        raise TypeError(f"cannot clone {self!r}")

    def clone(self, name: str | None = None, *, copy_arrays: bool = True) -> Node:
        """A detached copy (new uid); arrays copied unless copy_arrays is False (then shared)."""
        mask = self.mask
        if mask is not None:
            mask = mask.copy() if copy_arrays else replace(mask, generator=dict(mask.generator) if mask.generator else None)
        common = dict(self.blending(), locked=self.locked, mask=mask)
        return self._clone(self.name if name is None else name, common, copy_arrays)

    def blending(self) -> dict[str, Any]:
        """How the node blends, as keyword arguments of any node kind's constructor (not its
        mask or lock): what a stand-in for the node (a proxy, a baked copy, a clone) keeps."""
        return dict(opacity=self.opacity, fill=self.fill, blend_mode=self.blend_mode, visible=self.visible,
                    clipped=self.clipped, blend_if=self.blend_if, knockout=self.knockout, channels=self.channels,
                    clip_group_blend=self.clip_group_blend)

    def own_arrays(self) -> None:
        """Give the node private copies of its content arrays (after a structure-only clone)."""

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

    def own_nbytes(self) -> int:
        return self.pixels.nbytes

    def _clone(self, name: str, common: dict, copy_arrays: bool) -> Node:
        pixels = self.pixels.copy() if copy_arrays else self.pixels
        return Layer(name, pixels, offset=self.offset, alpha_locked=self.alpha_locked, **common)

    def own_arrays(self) -> None:
        self.pixels = self.pixels.copy()


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

    def _clone(self, name: str, common: dict, copy_arrays: bool) -> Node:
        return FillLayer(name, self.color, **common)


class GradientFillLayer(Node):
    """A gradient covering the whole canvas, kept live (Photoshop's gradient fill layer).

    `gradient` holds its settings as plain JSON data: "stops" (a list of {"position" 0..1,
    "color" [r, g, b], "opacity" 0..1}), "style" (linear, radial, angle, reflected, diamond),
    "angle" (degrees, counter-clockwise on screen), "scale" (percent), "reverse", "dither",
    "offset" ([x, y], percent of the box), "align" (true: laid over "box", [x, y, w, h], the
    layer's bounds; false or no box: over the canvas). What they mean and their defaults live
    with the drawing code in `editor.paint.gradient_fill`. Never changed in place: a command
    replaces the whole dict. Its mask, when it has one, is document-sized at the origin.
    """

    kind = "gradient-fill"
    PROPERTIES = Node.PROPERTIES + ("gradient",)

    def __init__(self, name: str, gradient: dict[str, Any] | None = None, **kw) -> None:
        super().__init__(name, **kw)
        self.gradient: dict[str, Any] = _plain(gradient or {})

    def __setattr__(self, key: str, value: Any) -> None:
        if key == "gradient":
            value = _plain(value)
        super().__setattr__(key, value)

    def _clone(self, name: str, common: dict, copy_arrays: bool) -> Node:
        return GradientFillLayer(name, self.gradient, **common)


# The fill layer kinds: a colour or a gradient over the whole canvas, their mask document-sized at
# the origin. `isinstance(node, FILL_LAYERS)` is the window's and the file formats' "a fill layer of
# any kind" (content options, rasterize, merge down, mask generators).
FILL_LAYERS: tuple[type[Node], ...] = (FillLayer, GradientFillLayer)


def _plain(value: Any) -> Any:
    """`value` as plain JSON data (lists for tuples, floats/ints/bools/strings), copied."""
    return json.loads(json.dumps(value))


class Adjustment(Node):
    """An adjustment or filter layer: it changes what lies below it (Photoshop's adjustment
    layers, Krita's filter layers) through its mask, opacity and blend mode.

    `adjustment` names the operation ("curves", "levels", "gaussian_blur"...) and `params`
    holds its settings as plain JSON data; what the names mean, their parameter schema and
    defaults live with their implementations in `editor.render.adjustments`. Params are
    never changed in place: a command replaces the whole dict. Its mask, when it has one,
    is document-sized at the origin (as a fill layer's).
    """

    kind = "adjustment"
    PROPERTIES = Node.PROPERTIES + ("params",)

    def __init__(self, name: str, adjustment: str, params: dict[str, Any] | None = None, **kw) -> None:
        super().__init__(name, **kw)
        self.adjustment = str(adjustment)
        self.params: dict[str, Any] = _plain(params or {})

    def __setattr__(self, key: str, value: Any) -> None:
        if key == "params":
            value = _plain(value)
        super().__setattr__(key, value)

    def _clone(self, name: str, common: dict, copy_arrays: bool) -> Node:
        return Adjustment(name, self.adjustment, self.params, **common)


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

    def nbytes(self) -> int:
        return super().nbytes() + sum(child.nbytes() for child in self.children)

    def _clone(self, name: str, common: dict, copy_arrays: bool) -> Node:
        group = Group(name, [c.clone(copy_arrays=copy_arrays) for c in self.children], isolated=self.isolated, **common)
        group.expanded = self.expanded
        return group


def clip_base(node: Node) -> Node | None:
    """The layer a clipped node clips to: the nearest unclipped sibling below it."""
    if not node.clipped or node.parent is None:
        return None
    siblings = node.parent.children
    for below in reversed(siblings[: siblings.index(node)]):
        if not below.clipped:
            return below
    return None
