"""Layer operations that need the compositor, each one undo step built from core commands.

merge_down, flatten, apply_mask, merge_group and merge_layers keep what the document
shows (within 8-bit rounding) wherever the result can represent it; see each function.
"""

from __future__ import annotations

import numpy as np

from editor.core import (
    BlendMode,
    Command,
    Document,
    Group,
    InsertNode,
    Layer,
    Macro,
    Node,
    Rect,
    RemoveNode,
    ReplacePixels,
    SetMask,
    SetProperties,
    clip_base,
    ops,
)

from . import backends, kinds
from .compositor import Compositor, Target, render_float
from .numpy_backend import mask_values
from .pixels import straight_rgba
from .plan import mask_input


def _extent(doc: Document, node: Node) -> Rect:
    """Where a node can draw: a layer's bounds, the canvas for fills, the union of a group's content."""
    return kinds.of(node).extent(node, doc.canvas)


def merge_down(doc: Document, node: Node) -> Layer:
    """Merge `node` into the pixel layer right below it (Photoshop's Merge Down, Ctrl+E).

    The merged layer keeps the lower layer's name, mode and clipping; its opacity
    and mask are baked into its pixels. The look is kept exactly when the lower
    layer is in normal mode (or has nothing under it). A node clipped to the layer
    below is merged atop it.
    """
    parent = node.parent
    if parent is None:
        raise ValueError("cannot merge the root")
    index = parent.children.index(node)
    if index == 0:
        raise ValueError(f"nothing below {node.name} to merge into")
    below = parent.children[index - 1]
    if not isinstance(below, Layer):
        raise ValueError(f"{below.name} is not a pixel layer")
    if below.clipped:
        raise ValueError(f"{below.name} is clipped; merge it into its base first")
    if not below.visible:
        raise ValueError(f"{below.name} is hidden")
    atop = node.clipped and clip_base(node) is below
    rect = below.bounds() if atop else below.bounds().union(_extent(doc, node))
    compositor = Compositor(doc.canvas, backends.get())
    target = Target(rect, compositor.backend)
    target.add(compositor.node_op(below, rect, mode=BlendMode.NORMAL, opacity=below.opacity, blend_if=False,
                                  fill=below.fill))
    if atop:
        if node.visible:
            kinds.of(node).add_clipped(compositor, target, node)
    else:
        compositor.add_restricted(target, node)  # its Channels too
    pixels = straight_rgba(target.buffer())
    cmds: list[Command] = []
    if below.mask is not None:
        cmds.append(SetMask(below, None, "Remove mask"))
    cmds.append(ReplacePixels(below, pixels, (rect.x, rect.y), "Merge pixels"))
    if below.opacity != 1.0 or below.fill != 1.0:
        cmds.append(SetProperties(below, {"opacity": 1.0, "fill": 1.0}))
    cmds.append(RemoveNode(node))
    doc.execute(Macro(f"Merge {node.name} down", cmds))
    doc.set_active(below)
    return below


def flatten(doc: Document, name: str = "Background") -> Layer:
    """Replace every layer with one pixel layer holding the composite (transparency kept)."""
    layer = Layer(name, straight_rgba(render_float(doc)))
    cmds: list[Command] = [RemoveNode(child) for child in reversed(doc.root.children)]
    cmds.append(InsertNode(doc.root, 0, layer))
    doc.execute(Macro("Flatten image", cmds))
    doc.set_active(layer)
    return layer


def apply_mask(doc: Document, node: Node) -> None:
    """Bake the effective mask (invert, feather, density) into the layer's alpha and remove it.

    A disabled mask shows nothing, so applying it only removes it (what you see is kept).
    """
    if not isinstance(node, Layer):
        raise ValueError("only a pixel layer's mask can be applied")
    if node.mask is None:
        raise ValueError(f"{node.name} has no mask")
    cmds: list[Command] = [SetMask(node, None, "Remove mask")]
    bounds = node.bounds()
    mask = mask_input(node, bounds, doc.canvas)
    if mask is not None:
        effective = mask_values(mask, bounds)
        pixels = node.pixels.copy()
        alpha = pixels[..., 3] * effective + np.float32(0.5)
        pixels[..., 3] = np.clip(alpha, 0, 255).astype(np.uint8)
        cmds.append(ReplacePixels(node, pixels, label="Apply mask"))
    doc.execute(Macro("Apply mask", cmds))
    if doc.active is node:
        doc.edit_mask = False


def merge_group(doc: Document, group: Group) -> Layer:
    """Rasterize a group into one pixel layer (Photoshop's Merge Group).

    The layer keeps the group's name, opacity, visibility and clipping, and its mode
    when the group is isolated; the group's mask is baked in. A pass-through group
    becomes an isolated normal layer, so its look is kept only where its children
    did not blend with what lies below.
    """
    parent = group.parent
    if parent is None:
        raise ValueError("cannot merge the root")
    rect = _extent(doc, group)
    compositor = Compositor(doc.canvas, backends.get())
    if rect.empty:
        pixels = np.zeros((1, 1, 4), np.uint8)
        rect = Rect(0, 0, 1, 1)
    else:
        target = Target(rect, compositor.backend)
        target.add(compositor.node_op(group, rect, mode=BlendMode.NORMAL, opacity=1.0, blend_if=False))
        pixels = straight_rgba(target.buffer())
    mode = group.blend_mode if group.isolated else BlendMode.NORMAL
    layer = Layer(group.name, pixels, offset=(rect.x, rect.y), opacity=group.opacity, blend_mode=mode,
                  visible=group.visible, locked=group.locked, clipped=group.clipped,
                  blend_if=group.blend_if if group.isolated else None)
    index = parent.children.index(group)
    doc.execute(Macro(f"Merge group {group.name}", [RemoveNode(group), InsertNode(parent, index, layer)]))
    doc.set_active(layer)
    return layer


def merge_layers(doc: Document, nodes: list[Node]) -> Layer:
    """Merge several selected layers into one (Photoshop's Merge Layers, Ctrl+E with several selected).

    merge_down merges one layer down and merge_group one group; this merges any set of nodes: their
    composite alone (on transparency, in stacking order, each with its own mode, opacity,
    mask and clipping) becomes one normal pixel layer where the topmost of them was, named
    after it, in one undo step. Put back where they were, the merged layer therefore shows
    what they showed together; over other layers it matches exactly when they were in
    normal mode, as with Photoshop's merge.
    """
    merging = ops.top_level(doc, nodes)
    if len(merging) < 2:
        raise ValueError("select at least two layers to merge")
    chosen = set(merging)
    for node in merging:
        base = clip_base(node)
        if base is not None and base not in chosen:
            raise ValueError(f"{node.name} is clipped to {base.name}; select {base.name} too")
    # A clipped layer left behind would lose its base; the topmost's keep clipping to the merged layer in its place.
    for node in merging[:-1]:
        assert node.parent is not None
        for above in node.parent.children:
            if above not in chosen and clip_base(above) is node:
                raise ValueError(f"{above.name} is clipped to {node.name}; select {above.name} too")
    rect = Rect(0, 0, 0, 0)
    for node in merging:
        rect = rect.union(_extent(doc, node))
    if rect.empty:
        pixels, rect = np.zeros((1, 1, 4), np.uint8), Rect(0, 0, 1, 1)
    else:
        compositor = Compositor(doc.canvas, backends.get())
        pixels = straight_rgba(compositor.stack(merging, rect).buffer())
    top = merging[-1]
    assert top.parent is not None
    layer = Layer(top.name, pixels, offset=(rect.x, rect.y))
    cmds: list[Command] = [InsertNode(top.parent, top.parent.children.index(top) + 1, layer)]
    cmds += [RemoveNode(n) for n in reversed(merging)]
    doc.execute(Macro(f"Merge {len(merging)} layers", cmds))
    doc.set_active(layer)
    return layer
