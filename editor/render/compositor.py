"""Turn the layer tree into ops and run them: `render`, `flatten_rgba`.

Walks a group's children bottom first. Visible pixel and fill layers become ops;
adjustment layers draw the adjusted composite of what lies below them back as an op
(filters reading beyond their rect make the whole stack composite over what they need);
isolated groups and clip groups are composited into a buffer of their own that
then becomes one op; pass-through groups draw their children straight onto the
backdrop and are mixed back by opacity and mask (or simply inlined when those
change nothing). Clipping follows Photoshop: the base draws with its mask at full
opacity, each clipped layer draws atop it, and the base's mode and opacity apply
to the whole clip group. A node with Photoshop's Knockout cuts down to its floor within
its shape (add_knockout).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import ModuleType

import numpy as np

from editor.core import BlendMode, Document, Group, Layer, Node, Rect
from editor.core.blendif import active as blend_if_active

from . import backends, kinds
from .pixels import straight_rgba
from .plan import MaskInput, Op, Source, mask_input, with_fill


class Target:
    """A float premultiplied buffer over `rect`, with ops still waiting to be drawn on it."""

    def __init__(self, rect: Rect, backend: ModuleType, acc: np.ndarray | None = None) -> None:
        self.rect, self.backend, self.acc = rect, backend, acc
        self.ops: list[Op] = []
        # What a knockout inside this target cuts through to, (shallow, deep): None for
        # transparency (an isolated group's floors), a float buffer over `rect` (a pass-through
        # group's backdrop on entry), or a node, the document's Background, drawn on demand.
        self.floors: tuple[np.ndarray | Node | None, np.ndarray | Node | None] = (None, None)

    def add(self, op: Op | None) -> None:
        if op is not None:
            self.ops.append(op)

    def buffer(self) -> np.ndarray:
        """Draw the waiting ops and return the float buffer."""
        if self.ops or self.acc is None:
            self.acc = self.backend.composite(self.rect, self.ops, self.acc)
            self.ops = []
        return self.acc

    def bgra(self, out: np.ndarray | None = None) -> np.ndarray:
        """Draw the waiting ops into premultiplied BGRA bytes (into `out` when given)."""
        return self.backend.composite_bgra(self.rect, self.ops, self.acc, out)


class Compositor:
    def __init__(self, canvas: Rect, backend: ModuleType) -> None:
        self.canvas, self.backend = canvas, backend

    # --- walking the tree ----------------------------------------------------
    def add_children(self, target: Target, children: Sequence[Node], attenuate: MaskInput | None = None) -> None:
        """Draw `children` (bottom first) onto `target`, each clip group as one unit. With
        `attenuate` (an effective mask over target.rect), each unit's change to the target is
        scaled by it in place: a pass-through group's soft mask (see add_pass_through)."""
        i, n = 0, len(children)
        while i < n:
            node = children[i]
            # (Nodes blending into every channel, nearly all, take no extra stack frames: a
            # 100-deep group nesting must fit Python's recursion limit.)
            if node.clipped:  # clipped with no base below it: drawn as if unclipped
                self._attenuated(target, attenuate, lambda node=node: self.add_node(target, node)
                                 if node.channels == "rgb" else self.add_restricted(target, node), node.visible)
                i += 1
                continue
            j = i + 1
            while j < n and children[j].clipped:
                j += 1
            clipped = [c for c in children[i + 1 : j] if c.visible]
            if node.visible:
                if clipped and not node.clip_group_blend and self.add_clip_run(target, node, clipped, attenuate):
                    pass
                elif clipped and node.channels == "rgb":
                    self._attenuated(target, attenuate, lambda node=node, clipped=clipped:
                                     kinds.of(node).add_as_clip_base(self, target, node, clipped))
                elif clipped:
                    self._attenuated(target, attenuate, lambda node=node, clipped=clipped: self._restricted(
                        target, node, lambda: kinds.of(node).add_as_clip_base(self, target, node, clipped)))
                else:
                    self._attenuated(target, attenuate, lambda node=node: self.add_node(target, node)
                                     if node.channels == "rgb" else self.add_restricted(target, node))
            i = j

    def add_restricted(self, target: Target, node: Node) -> None:
        if node.channels == "rgb":
            self.add_node(target, node)
        else:
            self._restricted(target, node, lambda: self.add_node(target, node))

    def _restricted(self, target: Target, node: Node, draw) -> None:
        """Run `draw` (which adds `node`, or its clip group, to `target`) within the node's
        Channels (Photoshop's Advanced Blending R, G, B): an unticked colour channel keeps what
        the target held, in premultiplied colour, while the coverage still adds (SethRobinson/
        Patchy docs/blend-modes.md: "premultiplied keep, and the all-excluded skip")."""
        if node.channels == "rgb":
            draw()
            return
        if not node.channels:
            return
        before = target.buffer().copy()
        draw()
        after = target.buffer()
        for c, letter in enumerate("rgb"):
            if letter not in node.channels:
                after[..., c] = before[..., c]

    def add_clip_run(self, target: Target, base: Node, clipped: list[Node], attenuate: MaskInput | None) -> bool:
        """A clip base with Photoshop's "Blend Clipped Layers as Group" off: the base draws as
        any node, then each clipped node draws straight onto the target in its own mode (not
        into a group that takes the base's mode), its coverage times the base's shape: alpha x
        mask x opacity, before Fill, so a Fill 0 base hides only itself (the user technique the
        option exists for). False when the base has no image of its own (an adjustment)."""
        rect = target.rect
        shape_op = self.node_op(base, rect, mode=BlendMode.NORMAL, fill=1.0, blend_if=False)
        if shape_op is None:
            return base.opacity <= 0  # opacity 0: nothing of the run shows; else the usual clip group
        shape = Target(rect, self.backend)
        shape.add(shape_op)
        coverage = np.ascontiguousarray(shape.buffer()[..., 3])
        self._attenuated(target, attenuate, lambda: self.add_restricted(target, base))
        if attenuate is not None:
            from .numpy_backend import mask_values

            coverage = coverage * mask_values(attenuate, rect)
        within = MaskInput(coverage.astype(np.float32), (rect.x, rect.y), effective=True)
        for node in clipped:
            self._attenuated(target, within, lambda node=node: self.add_restricted(target, node))
        return True

    def _attenuated(self, target: Target, attenuate: MaskInput | None, draw, visible: bool = True) -> None:
        """Run `draw` (which adds one unit to `target`); with `attenuate`, mix the target back
        toward what it held before by it. Every op's result is linear in its coverage, so this
        is the unit drawn with its coverage times the mask."""
        if attenuate is None:
            draw()
            return
        if not visible:
            return
        before = target.buffer().copy()
        draw()
        self.backend.lerp(before, target.buffer(), target.rect, 1.0, attenuate)
        target.acc = before

    def add_node(self, target: Target, node: Node) -> None:
        if node.visible:
            if node.knockout != "none" and kinds.of(node).knocks_out(node):
                self.add_knockout(target, node)
            else:
                kinds.of(node).add(self, target, node)

    def add_knockout(self, target: Target, node: Node) -> None:
        """A node with Photoshop's Knockout: within its shape (alpha x mask x opacity, before
        Fill) it draws onto the floor instead of onto what lies below it in its group (shallow:
        the group's backdrop on entry; deep: the document's Background or transparency), and
        outside its shape the stack below shows as before:
            out = over(node, floor) + (1 - shape) (below - floor)
        in premultiplied colour (SethRobinson/Patchy docs/blend-modes.md "Knockout transparency",
        calibrated on Photoshop 2026 captures; psd-tools' compositor has the same equations).
        Fill scales only the paint, so a Fill 0 knockout is a hole. A dissolving node's shape
        is its dithered coverage (the pixels it paints), or it would cut more than it covers."""
        rect = target.rect
        # A pass-through group knocks out as one source, its children's silhouette, in normal mode.
        mode = BlendMode.NORMAL if isinstance(node, Group) and not node.isolated else node.blend_mode
        shape_mode = BlendMode.DISSOLVE if mode is BlendMode.DISSOLVE else BlendMode.NORMAL
        shape_op = self.node_op(node, rect, mode=shape_mode, opacity=node.opacity, blend_if=False)
        if shape_op is None:
            return
        op = self.node_op(node, rect, mode=mode)
        shape = Target(rect, self.backend)
        shape.add(shape_op)
        coverage = shape.buffer()[..., 3:4]
        below = target.buffer()
        floor = self.floor(target, node.knockout == "deep")
        painted = Target(rect, self.backend, floor.copy())
        painted.add(op)
        target.acc = painted.buffer() + (1 - coverage) * (below - floor)

    def floor(self, target: Target, deep: bool) -> np.ndarray:
        """The knockout floor of `target` as a float buffer over its rect."""
        floor = target.floors[1 if deep else 0]
        if floor is None:
            return np.zeros((target.rect.h, target.rect.w, 4), np.float32)
        if isinstance(floor, Node):
            background = Target(target.rect, self.backend)
            self.add_node(background, floor)
            return background.buffer()
        return floor

    def root_target(self, rect: Rect, nodes: Sequence[Node], acc: np.ndarray | None = None) -> Target:
        """A target for a document's (or a stack's) top level: knockouts there cut down to its
        Background (background_of), both shallow and deep."""
        target = Target(rect, self.backend, acc)
        background = background_of(nodes, self.canvas) if _any_knockout(nodes) else None
        target.floors = (background, background)
        return target

    def target(self, rect: Rect, acc: np.ndarray | None = None) -> Target:
        return Target(rect, self.backend, acc)

    def add_pass_through(self, target: Target, group: Group) -> None:
        """A pass-through group: its children draw onto the backdrop itself, then the result
        is faded back toward the backdrop by the group's opacity once (the PDF non-isolated
        group). A soft group mask attenuates each child in place instead (Photoshop's reading,
        SethRobinson/Patchy docs/blend-modes.md "Group compositing"): with overlapping children
        at mask 1/2 that differs from one fade of the whole. A mask of only 0 and 1 is the same
        either way, and is applied as one fade."""
        if group.opacity <= 0:
            return
        mask = mask_input(group, target.rect, self.canvas)
        if group.opacity >= 1 and mask is None and not _any_knockout(group.children):
            self.add_children(target, group.children)
            return
        backdrop = target.buffer()
        inner = Target(target.rect, self.backend, backdrop.copy())
        inner.floors = (backdrop, target.floors[1])  # shallow: the backdrop on entry; deep: inherited
        attenuate = _soft(mask, target.rect)
        if attenuate is not None:
            mask = None
        self.add_children(inner, group.children, attenuate)
        # (A group with Blend If is isolated instead: GroupRender.add.)
        self.backend.lerp(backdrop, inner.buffer(), target.rect, group.opacity, mask)

    # --- ops -----------------------------------------------------------------
    def node_op(self, node: Node, rect: Rect, *, mode: BlendMode | None = None,
                opacity: float | None = None, atop: bool = False, blend_if: bool = True,
                fill: float | None = None) -> Op | None:
        """One node as an op over `rect` (groups, isolated or not, as their own buffer), with
        the node's Blend If unless `blend_if` is False. A pixel or fill layer's Fill applies
        with its own opacity (or as `fill` says); an explicit `opacity` draws it at Fill 1."""
        kind = kinds.of(node)
        if fill is None:
            fill = node.fill if opacity is None else 1.0
        mode = node.blend_mode if mode is None else mode
        opacity = node.opacity if opacity is None else opacity
        if opacity <= 0:
            return None
        op = kind.op(self, node, rect, mode, opacity, atop)
        if kind.has_fill:
            op = with_fill(op, fill)
        if op is not None and blend_if and blend_if_active(node.blend_if):
            op = replace(op, blend_if=node.blend_if.table())
        return op

    def clip_group_op(self, base: Node, clipped: list[Node], rect: Rect) -> Op | None:
        """The base's mode, opacity and Blend If apply to the whole clip group (Photoshop's
        Blend Clipped Layers as Group)."""
        base_op = self.node_op(base, rect, mode=BlendMode.NORMAL, opacity=1.0, blend_if=False)
        if base_op is None or base.opacity <= 0:
            return None
        region = base_op.region
        inner = Target(region, self.backend)
        inner.add(base_op)
        for node in clipped:
            kinds.of(node).add_clipped(self, inner, node)
        table = base.blend_if.table() if blend_if_active(base.blend_if) else None
        # The base's Fill fades the whole group, as a second opacity: Photoshop's clip coverage
        # is the base's alpha x mask x Fill (SethRobinson/Patchy's calibrated compositor records
        # it after Fill), so a Fill 0 base hides its clipped layers too. Only with Blend Clipped
        # Layers as Group off (which Veil does not read) would they show through a Fill 0 base.
        fill = base.fill if kinds.of(base).has_fill else 1.0
        return Op(Source.BUFFER, region, base.blend_mode, base.opacity * fill, inner.buffer(), (region.x, region.y),
                  blend_if=table)

    def stack(self, nodes: Sequence[Node], rect: Rect, acc: np.ndarray | None = None) -> Target:
        """`nodes` composited over `rect` (onto `acc` when given).

        When a filter among them reads beyond what it writes (a blur), everything is
        composited over the larger rect they need (within the canvas) and cut back to `rect`.
        """
        if acc is None:
            need = kinds.need_of(nodes, rect).intersect(self.canvas).union(rect)
            if need != rect:
                grown = self.root_target(need, nodes)
                self.add_children(grown, nodes)
                inner = rect.translated(-need.x, -need.y)
                return Target(rect, self.backend, np.ascontiguousarray(grown.buffer()[inner.slices()]))
        target = self.root_target(rect, nodes, acc)
        self.add_children(target, nodes)
        return target


def _any_knockout(nodes: Sequence[Node]) -> bool:
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if node.knockout != "none":
            return True
        if isinstance(node, Group):
            todo.extend(node.children)
    return False


def background_of(nodes: Sequence[Node], canvas: Rect) -> Node | None:
    """The bottom node when it is Photoshop's Background: a visible, unmasked, unclipped normal
    layer at full opacity and Fill, opaque over the whole canvas. (Photoshop knows its Background
    by its having no transparency channel; Veil does not keep that, so an opaque bottom layer
    counts as one.)"""
    if not nodes:
        return None
    node = nodes[0]
    if not (isinstance(node, Layer) and node.visible and not node.clipped and node.blend_mode is BlendMode.NORMAL
            and node.opacity >= 1 and node.fill >= 1 and node.blend_if is None
            and (node.mask is None or not node.mask.enabled) and node.knockout == "none"):
        return None
    if node.bounds(canvas).intersect(canvas) != canvas:
        return None
    x, y = canvas.x - node.x, canvas.y - node.y
    return node if bool((node.pixels[y:y + canvas.h, x:x + canvas.w, 3] == 255).all()) else None


def _soft(mask: MaskInput | None, rect: Rect) -> MaskInput | None:
    """`mask`'s effective values over `rect` when some lie strictly between 0 and 1, else None."""
    if mask is None:
        return None
    from .numpy_backend import mask_values

    values = mask_values(mask, rect)
    if not np.any((values > 0) & (values < 1)):
        return None
    return MaskInput(np.ascontiguousarray(values, np.float32), (rect.x, rect.y), effective=True)


def blend_if_mask(node: Node, mask: MaskInput | None, this: np.ndarray, underlying: np.ndarray,
                  rect: Rect) -> MaskInput:
    """`mask` (over `rect`, or None) times the node's Blend If weight, as an effective mask: for
    nodes that mix a result into the backdrop rather than draw an op (a pass-through group, a
    filter). `this` and `underlying` are float premultiplied buffers over `rect`."""
    from .numpy_backend import blend_if_weight, mask_values

    weight = blend_if_weight(node.blend_if.table(), this, underlying)
    if mask is not None:
        weight *= mask_values(mask, rect)
    return MaskInput(np.ascontiguousarray(weight, np.float32), (rect.x, rect.y), effective=True)


def _inside(doc: Document, rect: Rect | None) -> tuple[Rect, Rect]:
    rect = doc.canvas if rect is None else Rect(*rect)
    return rect, rect.intersect(doc.canvas)


def bgra_output(rect: Rect, out: np.ndarray | None) -> np.ndarray:
    """`out` checked to hold a BGRA render of `rect`, or a new array for one."""
    if out is None:
        return np.empty((rect.h, rect.w, 4), np.uint8)
    if out.dtype != np.uint8 or out.shape != (rect.h, rect.w, 4):
        raise ValueError(f"out must be uint8 of shape {(rect.h, rect.w, 4)}, got {out.dtype} {out.shape}")
    return out


def render(doc: Document, rect: Rect | None = None, *, backend: str | None = None,
           out: np.ndarray | None = None) -> np.ndarray:
    """Composite `rect` of the document (the canvas by default).

    Returns (rect.h, rect.w, 4) uint8 premultiplied BGRA, the byte order of
    QImage.Format_ARGB32_Premultiplied on little-endian machines; transparent
    where nothing is, including outside the canvas. With `out` (that shape, may be
    a view into a larger image) the pixels are written there and `out` is returned:
    a caller that keeps the composite, like the mipmap's level 0, saves a fresh
    allocation (for a full 4096² frame, 10-15 ms of CPU in page faults) and a copy.
    """
    rect, inside = _inside(doc, rect)
    out = bgra_output(rect, out)
    compositor = Compositor(doc.canvas, backends.get(backend))
    if inside == rect:
        return compositor.stack(doc.root.children, rect).bgra(out)
    out[...] = 0
    if not inside.empty:
        compositor.stack(doc.root.children, inside).bgra(out[inside.translated(-rect.x, -rect.y).slices()])
    return out


def render_float(doc: Document, rect: Rect | None = None, *, backend: str | None = None) -> np.ndarray:
    """Like `render`, as float32 premultiplied RGBA (0..1)."""
    rect, inside = _inside(doc, rect)
    compositor = Compositor(doc.canvas, backends.get(backend))
    if inside == rect:  # the stack's own buffer: a second one would cost 16 bytes a pixel more
        return compositor.stack(doc.root.children, rect).buffer()
    out = np.zeros((rect.h, rect.w, 4), np.float32)
    if not inside.empty:
        out[inside.translated(-rect.x, -rect.y).slices()] = compositor.stack(doc.root.children, inside).buffer()
    return out


def flatten_rgba(doc: Document, *, backend: str | None = None) -> np.ndarray:
    """The whole canvas as straight RGBA uint8, for export."""
    return straight_rgba(render_float(doc, backend=backend))


def warm_up() -> None:
    """Compile (or load from numba's on-disk cache) the fast kernels; call off the GUI thread.

    Until it returns, renders that name no backend use numpy, so the window paints at once.
    The adjustments' kernels compile after the compositor's, then the warp's (Free Transform's commit).
    """
    backends.warm_up()
    from . import adjustments

    adjustments.warm_up()
    if "numba" in backends.available():  # without numba the warp runs its loops as Python: nothing to compile
        from . import separable, warp_kernels

        warp_kernels.warm_up()
        separable.warm_up()
