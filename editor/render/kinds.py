"""The node-kind registry of the render side: how each kind of node draws, keyed by `node.kind`.

A node kind answers, in one place each:

- core (`editor/core/layers.py`): a `Node` subclass with a unique `kind` string; its content,
  `bounds`, `_clone` (clone), `own_nbytes` (history byte size) and `own_arrays`;
- render (this module): a `KindRender` registered under that string: the ops it adds over a
  rect (`add`, `op`, `add_clipped`), the rect it must read for a rect it writes (`need_rect`)
  and the rect it changes when a rect below it changes (`change_rect`), whether it draws as
  plain source-over of its own image (`source_over`, which the renderer's caches rely on), and
  where it can draw (`extent`, for merges);
- files (`editor/io/kinds.py`): a `FileKind` registered under the same string: `veil info`
  fields, the ORA layer it writes and reads back, the PSD layer it writes, and the pixel layer
  it becomes when a format cannot keep it (`bake`);
- window (`editor/ui/thumbnails.py` `KIND_THUMBNAILS`, and its dialog if it has settings).

To add a kind, write those four pieces; the compositor, the renderer's caches, the merges,
ORA/PSD/flattened exports and `veil info` then handle it without further changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from editor.core import BlendMode, Node, Rect
from editor.core.blendif import active as blend_if_active

from .plan import AdjustInput, Op, Source, mask_input

if TYPE_CHECKING:
    from .compositor import Compositor, Target


class KindRender:
    """The default: a node that draws as one op over the rect (override `op`)."""

    has_fill = False  # the node's Fill applies to its op (Compositor.node_op)

    def knocks_out(self, node: Node) -> bool:
        """Whether the node's Knockout setting applies (Compositor.add_knockout): to nodes that
        draw an image of their own; not to adjustments (Photoshop's is not modelled)."""
        return True

    def op(self, comp: Compositor, node: Node, rect: Rect, mode: BlendMode, opacity: float,
           atop: bool) -> Op | None:
        raise TypeError(f"cannot composite {node!r}")

    def add(self, comp: Compositor, target: Target, node: Node) -> None:
        """Draw the visible node onto `target` (its ops appended, or the buffer changed)."""
        target.add(comp.node_op(node, target.rect))

    def add_clipped(self, comp: Compositor, target: Target, node: Node) -> None:
        """Draw the visible node clipped to what `target` holds (its clip base)."""
        target.add(comp.node_op(node, target.rect, atop=True))

    def add_as_clip_base(self, comp: Compositor, target: Target, node: Node, clipped: list[Node]) -> None:
        """Draw the visible node with the (visible) nodes clipped to it."""
        target.add(comp.clip_group_op(node, clipped, target.rect))

    def need_rect(self, node: Node, rect: Rect) -> Rect:
        """What the node reads from below to write `rect` (a blur reads beyond it)."""
        return rect

    def change_rect(self, node: Node, rect: Rect) -> Rect:
        """What the node may change above a change of `rect` below it."""
        return rect

    def source_over(self, node: Node) -> bool:
        """True when the node draws as plain source-over of an image of its own, so a run of
        such nodes can be cached as one image (normal mode; no reading of the backdrop)."""
        return (node.blend_mode is BlendMode.NORMAL and node.knockout == "none" and node.channels == "rgb"
                and node.clip_group_blend)

    def extent(self, node: Node, canvas: Rect) -> Rect:
        """Where the node can draw (the bounds of what merging it produces)."""
        return node.bounds(canvas)


class PixelRender(KindRender):
    has_fill = True

    def op(self, comp, node, rect, mode, opacity, atop):
        region = rect.intersect(node.bounds(comp.canvas))
        if region.empty:
            return None
        return Op(Source.PIXELS, region, mode, opacity, node.pixels, node.offset,
                  mask=mask_input(node, region, comp.canvas), atop=atop)


class FillRender(KindRender):
    has_fill = True

    def op(self, comp, node, rect, mode, opacity, atop):
        region = rect.intersect(comp.canvas)
        if region.empty:
            return None
        color = tuple(c / 255 for c in node.color)
        return Op(Source.FILL, region, mode, opacity, color=color,  # type: ignore[arg-type]
                  mask=mask_input(node, region, comp.canvas), atop=atop)


class GradientFillRender(KindRender):
    has_fill = True

    def op(self, comp, node, rect, mode, opacity, atop):
        from editor.paint.gradient_fill import fill_pixels  # paint imports render: bound late

        region = rect.intersect(comp.canvas)
        if region.empty:
            return None
        pixels = fill_pixels(node.gradient, region, comp.canvas)
        return Op(Source.PIXELS, region, mode, opacity, pixels, (region.x, region.y),
                  mask=mask_input(node, region, comp.canvas), atop=atop)


class GroupRender(KindRender):
    def op(self, comp, node, rect, mode, opacity, atop):
        inner = comp.target(rect)
        comp.add_children(inner, node.children)
        if not inner.ops and inner.acc is None:
            return None
        return Op(Source.BUFFER, rect, mode, opacity, inner.buffer(), (rect.x, rect.y),
                  mask=mask_input(node, rect, comp.canvas), atop=atop)

    def add(self, comp, target, node):
        if node.isolated:
            super().add(comp, target, node)
        elif blend_if_active(node.blend_if):
            # Photoshop isolates a pass-through group that has Blend If: its children over
            # transparency, the result drawn in normal mode with the group's opacity and mask,
            # weighed by the ranges against the backdrop outside (SethRobinson/Patchy
            # docs/blend-modes.md, "Blend-if groups always isolate").
            target.add(comp.node_op(node, target.rect, mode=BlendMode.NORMAL))
        else:
            comp.add_pass_through(target, node)

    def need_rect(self, node, rect):
        return need_of(node.children, rect)

    def change_rect(self, node, rect):
        for child in node.children:  # bottom up: a change spreads through every filter above it
            if child.visible:
                rect = rect.union(of(child).change_rect(child, rect))
        return rect

    def source_over(self, node):
        return node.isolated and super().source_over(node)

    def extent(self, node, canvas):
        rect = Rect(0, 0, 0, 0)
        for child in node.children:
            rect = rect.union(of(child).extent(child, canvas))
        return rect


class AdjustmentRender(KindRender):
    """An adjustment or filter layer: it changes what lies below it in its target and draws
    the result back with its own mode, opacity, mask and Blend If.

    A per-pixel adjustment is one op (`Source.ADJUST`) in its target's list: the backend runs
    it on the colour composited so far, row by row inside its fused loop (8-bit straight
    colour at alpha 1, drawn atop, so it changes colour and never alpha), with no image of
    its own. A filter reads a neighbourhood, so it flushes what lies below into a buffer: in
    normal mode it replaces the target's pixels, alpha too (a blur spreads into
    transparency), mixed by opacity and mask; in other modes its colour blends atop.
    Clipped, the target is its clip group, so it changes only the layer it clips to.

    As a clipping base (Photoshop's reading) it is the adjusted backdrop within its mask: the
    clipped layers draw atop that, and the group takes the adjustment's mode and opacity.
    """

    def _draw(self, comp: Compositor, target: Target, node: Node, *, whole: bool = False) -> None:
        """The adjustment onto `target`; `whole`: at full strength, unmasked, in normal mode."""
        from . import adjustments

        if node.opacity <= 0:
            return
        rect = target.rect
        s = adjustments.SPECS.get(node.adjustment)
        if s is None:  # an operation this build does not know: leave what is below as it is
            return
        mode, opacity = (BlendMode.NORMAL, 1.0) if whole else (node.blend_mode, node.opacity)
        mask = None if whole else mask_input(node, rect, comp.canvas)
        blend_if = node.blend_if.table() if blend_if_active(node.blend_if) and not whole else None
        if s.category == "filter":
            buffer = target.buffer()
            result = adjustments.filtered(node.adjustment, node.params, buffer)
            if mode is BlendMode.NORMAL:
                if blend_if is not None:
                    from .compositor import blend_if_mask

                    mask = blend_if_mask(node, mask, result, buffer, rect)
                comp.backend.lerp(buffer, result, rect, opacity, mask)
                return
            target.add(Op(Source.BUFFER, rect, mode, opacity, result, (rect.x, rect.y),
                          mask=mask, atop=True, blend_if=blend_if))
            return
        kernel, packed = adjustments.kernel_of(node.adjustment, node.params)
        target.add(Op(Source.ADJUST, rect, mode, opacity, mask=mask, atop=True, blend_if=blend_if,
                      adjust=AdjustInput(kernel, packed)))

    def add(self, comp, target, node):
        self._draw(comp, target, node)

    def add_clipped(self, comp, target, node):
        self._draw(comp, target, node)

    def add_as_clip_base(self, comp, target, node, clipped):
        if node.opacity <= 0:  # the base's opacity is the whole group's
            return
        rect = target.rect
        inner = comp.target(rect, target.buffer().copy())
        self._draw(comp, inner, node, whole=True)
        mask = mask_input(node, rect, comp.canvas)
        if mask is not None:
            from .numpy_backend import mask_values

            inner.buffer()[...] *= mask_values(mask, rect)[..., None]
        for c in clipped:
            of(c).add_clipped(comp, inner, c)
        table = node.blend_if.table() if blend_if_active(node.blend_if) else None
        target.add(Op(Source.BUFFER, rect, node.blend_mode, node.opacity, inner.buffer(), (rect.x, rect.y),
                      blend_if=table))

    def op(self, comp, node, rect, mode, opacity, atop):
        return None  # an adjustment has no image of its own; as a clip base see add_as_clip_base

    def need_rect(self, node, rect):
        from . import adjustments

        return rect.adjusted(adjustments.radius(node))

    def change_rect(self, node, rect):
        from . import adjustments

        return rect.adjusted(adjustments.radius(node))

    def source_over(self, node):
        return False

    def knocks_out(self, node):
        return False

    def extent(self, node, canvas):
        return canvas


RENDERERS: dict[str, KindRender] = {}


def register(kind: str, renderer: KindRender) -> None:
    RENDERERS[kind] = renderer


def of(node: Node) -> KindRender:
    """The renderer of a node's kind."""
    try:
        return RENDERERS[node.kind]
    except KeyError:
        raise TypeError(f"no renderer for node kind {node.kind!r} ({node!r})") from None


def need_of(nodes, rect: Rect) -> Rect:
    """What a list of sibling nodes (bottom first) reads from below them to draw `rect`:
    top down, each node's need of what the nodes above it need."""
    for node in reversed(nodes):
        if node.visible:
            rect = rect.union(of(node).need_rect(node, rect))
    return rect


def renders_fill(node: Node) -> bool:
    """Whether the node's Fill (Photoshop's second opacity) applies to what it draws: pixel and
    fill layers of every kind; on the others a file format folds it into the opacity."""
    return of(node).has_fill


register("pixel", PixelRender())
register("fill", FillRender())
register("gradient-fill", GradientFillRender())
register("group", GroupRender())
register("adjustment", AdjustmentRender())
