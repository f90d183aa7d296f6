"""User-level operations on a document, each executed as one undo step.

The mask vocabulary follows GIMP's core (gimplayer.c): create a mask from
white, black, alpha, alpha transfer, the selection or a grayscale copy;
discard, enable/disable, invert. Operations that need the compositor (merge
down, flatten, apply a feathered mask) live in editor.render.ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .blendif import BlendIf
from .commands import (
    InsertNode,
    MoveNode,
    PixelEdit,
    RemoveNode,
    ReplacePixels,
    SetMask,
    SetProperties,
    SetSelection,
)
from .document import Document
from .geometry import Rect
from .history import Command, Macro, TileRecorder
from .layers import FILL_LAYERS, Adjustment, FillLayer, GradientFillLayer, Group, Layer, Node
from .mask import Mask
from .paths import VectorPath

MASK_KINDS = ("white", "black", "alpha", "alpha-transfer", "selection", "grayscale")


def _unique_name(doc: Document, base: str) -> str:
    names = {n.name for n in doc.nodes()}
    if base not in names:
        return base
    i = 2
    while f"{base} {i}" in names:
        i += 1
    return f"{base} {i}"


def insertion_point(doc: Document) -> tuple[Group, int]:
    """Above the active layer, in its group; at the top of the stack when nothing is active."""
    active = doc.active
    if active is None or active.parent is None:
        return doc.root, len(doc.root.children)
    parent = active.parent
    return parent, parent.children.index(active) + 1


def place_new(doc: Document, *nodes: Node) -> tuple[Group, int]:
    """Where new layers go (`insertion_point`); inserted between a clipping base and the layers
    clipped to it they join that clipping group, as in Photoshop (else an adjustment added
    above the base would become the clipped layers' base and cut them off)."""
    parent, index = insertion_point(doc)
    siblings = parent.children
    if 0 < index < len(siblings) and siblings[index].clipped:
        for node in nodes:
            node.clipped = True
    return parent, index


def add_node(doc: Document, node: Node, *, parent: Group | None = None, index: int | None = None, label: str | None = None) -> Node:
    if parent is None:
        parent, default_index = place_new(doc, node)
        index = default_index if index is None else index
    elif index is None:
        index = len(parent.children)
    doc.execute(InsertNode(parent, index, node, label or f"New {node.kind} layer".replace("group layer", "group")))
    return node


def new_layer(doc: Document, name: str | None = None) -> Layer:
    layer = Layer.blank(name or _unique_name(doc, "Layer"), doc.width, doc.height)
    add_node(doc, layer, label="New layer")
    return layer


def new_fill_layer(doc: Document, color: tuple[int, int, int, int], name: str | None = None) -> FillLayer:
    """A solid-colour layer above the active one. With a selection active it takes the selection
    as its mask and the selection is dropped, as Photoshop's new fill layer does: one undo step."""
    fill = FillLayer(name or _unique_name(doc, "Colour fill"), color)
    doc.execute(new_fill_command(doc, fill))
    return fill


def new_gradient_fill_layer(doc: Document, settings: dict[str, Any] | None = None,
                            name: str | None = None) -> GradientFillLayer:
    """A gradient fill layer above the active one (settings as `editor.paint.gradient_fill`
    reads them), one undo step; with a selection active it takes the selection as its mask,
    as a colour fill does, and its gradient is laid over the selection's bounds."""
    fill = gradient_fill_for(doc, settings, name)
    doc.execute(new_fill_command(doc, fill, "New gradient fill layer"))
    return fill


def gradient_fill_for(doc: Document, settings: dict[str, Any] | None = None,
                      name: str | None = None) -> GradientFillLayer:
    """The gradient fill layer `new_gradient_fill_layer` would add, not yet added (a dialog
    previews it through `new_fill_command`). Without a box of its own, "align with layer"
    lays the gradient over the selection's bounds, which become the layer's visible shape."""
    settings = dict(settings or {})
    bounds = doc.selection.bounds() if doc.selection is not None else None
    if settings.get("box") is None and bounds is not None:
        settings["box"] = [bounds.x, bounds.y, bounds.w, bounds.h]
    return GradientFillLayer(name or _unique_name(doc, "Gradient fill"), settings)


def new_fill_command(doc: Document, fill: Node, label: str = "New fill layer") -> Command:
    """The one step that adds a fill layer of any kind above the active layer, not executed:
    with a selection active the fill takes it as its mask and the selection is dropped
    (Photoshop's new fill layer). A dialog can apply it with `redo`, preview its settings,
    and record it on OK or `undo` it on Cancel, leaving the history as it was."""
    parent, index = place_new(doc, fill)
    if doc.selection is None:
        return InsertNode(parent, index, fill, label)
    fill.mask = Mask(selection_in(doc, mask_extent(doc, fill)))
    return Macro(label, [InsertNode(parent, index, fill), SetSelection(None)])


def set_gradient_fill(doc: Document, node: GradientFillLayer, settings: dict[str, Any], *,
                      label: str | None = None) -> None:
    """Replace a gradient fill layer's settings, one undo step (none when they are the same)."""
    if not isinstance(node, GradientFillLayer):
        raise ValueError(f"{node.name} is not a gradient fill layer")
    new = GradientFillLayer("", settings).gradient  # as the node will hold it (plain JSON data)
    if new != node.gradient:
        doc.execute(SetProperties(node, {"gradient": new}, label=label or f"Gradient fill of “{node.name}”"))


def rasterize_fill(doc: Document, node: Node, pixels: np.ndarray) -> Layer:
    """Layer > Rasterize Layer: a fill layer of any kind replaced, in its place, by a pixel layer
    holding `pixels` (what it draws over the canvas, straight RGBA: `editor.io.kinds` raster), with
    its name, blending, lock and mask (a fill's mask is canvas-sized at the origin, as the new
    layer is); one undo step."""
    if not isinstance(node, FILL_LAYERS):
        raise ValueError(f"{node.name} is not a fill layer")
    if pixels.shape != (doc.height, doc.width, 4):
        raise ValueError("a rasterized fill covers the canvas")
    parent = node.parent
    if parent is None:
        raise ValueError(f"{node.name} is not in the document")
    mask = node.mask.copy() if node.mask is not None else None
    layer = Layer(node.name, np.ascontiguousarray(pixels, np.uint8), locked=node.locked, mask=mask, **node.blending())
    index = parent.children.index(node)
    doc.execute(Macro(f"Rasterize {node.name}", [RemoveNode(node), InsertNode(parent, index, layer)]))
    return layer


def new_adjustment_layer(doc: Document, adjustment: str, params: dict[str, Any] | None = None, *,
                         name: str | None = None, label: str | None = None) -> Adjustment:
    """Add an adjustment (or filter) layer above the active layer, one undo step.

    As in Photoshop it comes with a mask: from the selection when one is active (so the
    adjustment applies only there), white otherwise. `params` are the operation's settings
    (see `editor.render.adjustments` for each operation's schema and defaults); `name` is the
    layer's base name, numbered when taken ("Curves 2").
    """
    title = _unique_name(doc, name or adjustment.replace("_", " ").title())
    node = Adjustment(title, adjustment, params)
    kind = "selection" if doc.selection is not None else "white"
    node.mask = Mask(mask_data(doc, node, kind))
    add_node(doc, node, label=label or f"New {adjustment.replace('_', ' ')} layer")
    return node


def set_adjustment_params(doc: Document, node: Adjustment, params: dict[str, Any] | None = None, *,
                          label: str | None = None, merge_key: str | None = None, **changes: Any) -> None:
    """Change an adjustment's settings as one undo step: `params` replaces them all, keyword
    arguments change single entries. Steps with the same `merge_key` merge (one slider drag,
    one step), as SetProperties does."""
    if not isinstance(node, Adjustment):
        raise ValueError(f"{node.name} is not an adjustment layer")
    new = dict(node.params if params is None else params)
    new.update(changes)
    new = Adjustment("", node.adjustment, new).params  # as the node will hold it (plain JSON data)
    if new != node.params:
        doc.execute(SetProperties(node, {"params": new}, label=label or f"{node.name} settings", merge_key=merge_key))


def new_group(doc: Document, name: str | None = None) -> Group:
    group = Group(name or _unique_name(doc, "Group"))
    add_node(doc, group, label="New group")
    return group


def delete_node(doc: Document, node: Node) -> None:
    doc.execute(RemoveNode(node, f"Delete {node.name}"))


def clone_node(node: Node, name: str | None = None, *, copy_arrays: bool = True) -> Node:
    """A new node like `node` (and its children); with copy_arrays=False it shares their pixel and mask arrays."""
    return node.clone(name, copy_arrays=copy_arrays)


def snapshot_document(doc: Document, *, copy_arrays: bool = True) -> Document:
    """A copy of what a save writes (tree, pixels and masks, paths, active layer, path), without history.

    With copy_arrays (the default) it shares no mutable array with `doc` and can be written
    on another thread while the user goes on editing `doc`. Without, it is a copy of the
    structure only (microseconds), sharing the arrays until `own_arrays` copies them.
    """
    out = Document(doc.width, doc.height, resolution=doc.resolution)
    for child in doc.root.children:
        out.root.insert(len(out.root.children), clone_node(child, copy_arrays=copy_arrays))
    twins = dict(zip((n.uid for n in doc.nodes()), out.nodes(), strict=True))
    out.active = twins.get(doc.active.uid) if doc.active is not None else None
    out.edit_mask = doc.edit_mask
    out.paths = [VectorPath(p.name, p.anchors, p.closed) for p in doc.paths]  # anchors are immutable
    out.path = doc.path
    return out


def own_arrays(doc: Document) -> None:
    """Give every layer and mask of `doc` a private copy of its array (after a structure-only snapshot)."""
    for node in doc.nodes():
        node.own_arrays()
        if node.mask is not None:
            node.mask.data = node.mask.data.copy()


def duplicate_node(doc: Document, node: Node) -> Node:
    copy = clone_node(node, f"{node.name} copy")
    assert node.parent is not None
    add_node(doc, copy, parent=node.parent, index=node.parent.children.index(node) + 1, label=f"Duplicate {node.name}")
    return copy


def restack_label(nodes: list[Node]) -> str:
    """The history label of a change of stacking order: “Restack “Sky”” or “Restack 3 layers”
    (a change of position is “Move”, as in Photoshop)."""
    return f"Restack “{nodes[0].name}”" if len(nodes) == 1 else f"Restack {len(nodes)} layers"


def move_node(doc: Document, node: Node, parent: Group, index: int) -> None:
    """Move `node` to `index` in `parent` (index counted as if node were already removed)."""
    if isinstance(node, Group) and node in [parent, *parent.ancestors()]:
        raise ValueError("cannot move a group into itself")
    if node.parent is parent and parent.children.index(node) == index:
        return
    doc.execute(MoveNode(node, parent, index, restack_label([node])))


def raise_nodes(doc: Document, nodes: list[Node], steps: int) -> None:
    """Bring forward (steps=1) or send backward (-1) several nodes, each one place within its
    group, as one step; as in Photoshop, one blocked at the end stops those behind it."""
    chosen = set(top_level(doc, nodes))
    label = "Bring forward" if steps > 0 else "Send backward"
    cmds: list[Command] = []
    for parent in {id(n.parent): n.parent for n in chosen if n.parent is not None}.values():
        children = parent.children
        order = range(len(children) - 2, -1, -1) if steps > 0 else range(1, len(children))
        for i in order:
            j = i + (1 if steps > 0 else -1)
            node = children[i]
            if node in chosen and children[j] not in chosen:
                cmd = MoveNode(node, parent, j, label)
                cmd.redo(doc)  # applied as it is made: the next index depends on it
                cmds.append(cmd)
    if cmds:
        doc.record(Macro(label, cmds) if len(cmds) > 1 else cmds[0], mergeable=False)


def group_nodes(doc: Document, nodes: list[Node], name: str | None = None) -> Group:
    """Put sibling nodes in a new group where the topmost of them was."""
    if not nodes:
        raise ValueError("nothing to group")
    parent = nodes[0].parent
    if parent is None or any(n.parent is not parent for n in nodes):
        raise ValueError("only siblings can be grouped")
    ordered = sorted(nodes, key=parent.children.index)
    group = Group(name or _unique_name(doc, "Group"))
    top_index = parent.children.index(ordered[-1])
    cmds: list[Command] = [InsertNode(parent, top_index + 1, group)]
    cmds += [MoveNode(n, group, i) for i, n in enumerate(ordered)]
    doc.execute(Macro("Group layers", cmds))
    doc.set_active(group)
    return group


def ungroup(doc: Document, group: Group) -> None:
    parent = group.parent
    if parent is None:
        raise ValueError("cannot ungroup the root")
    index = parent.children.index(group)
    children = list(group.children)
    cmds: list[Command] = [MoveNode(c, parent, index + i) for i, c in enumerate(children)]
    cmds.append(RemoveNode(group))
    doc.execute(Macro("Ungroup", cmds))
    if children:
        doc.set_active(children[-1])


def set_properties(doc: Document, node: Node, *, label: str | None = None, merge_key: str | None = None, **values: Any) -> None:
    values = {k: v for k, v in values.items() if getattr(node, k) != v}
    if values:
        doc.execute(SetProperties(node, values, label=label, merge_key=merge_key))


def set_mask_properties(doc: Document, node: Node, *, label: str | None = None, merge_key: str | None = None, **values: Any) -> None:
    if node.mask is None:
        raise ValueError(f"{node.name} has no mask")
    values = {k: v for k, v in values.items() if getattr(node.mask, k) != v}
    if values:
        doc.execute(SetProperties(node, values, target="mask", label=label, merge_key=merge_key))


def set_blend_if(doc: Document, node: Node, blend_if: BlendIf | None, *, merge_key: str | None = None) -> None:
    """Set a node's Blend If ranges (full ranges are stored as None), one undo step per merge_key."""
    if blend_if is not None and blend_if.is_identity():
        blend_if = None
    set_properties(doc, node, blend_if=blend_if, label="Blending options", merge_key=merge_key)


def move_layer_by(doc: Document, node: Node, dx: int, dy: int, *, merge_key: str | None = None) -> None:
    """Translate a layer, or every layer inside a group, with their masks."""
    move_nodes_by(doc, [node], dx, dy, merge_key=merge_key)


def move_nodes_by(doc: Document, nodes: list[Node], dx: int, dy: int, *, merge_key: str | None = None) -> None:
    """Translate several layers and groups (every layer inside them) with their masks, as one step;
    the steps of one drag (same merge_key) merge."""
    layers: list[Layer] = []
    for node in nodes:
        for layer in ([node] if isinstance(node, Layer) else node.walk() if isinstance(node, Group) else []):
            if isinstance(layer, Layer) and layer not in layers:
                layers.append(layer)
    label = "Move"  # Photoshop's word for the Move tool's step, however many layers moved
    cmds: list[Command] = [SetProperties(l, {"x": l.x + dx, "y": l.y + dy}, label=label, merge_key=merge_key) for l in layers]
    if cmds:
        doc.execute(cmds[0] if len(cmds) == 1 else _MergingMacro(label, cmds, merge_key))


class _MergingMacro(Macro):
    """A macro of SetProperties that merges with the next one like it (a group drag)."""

    def __init__(self, label: str, commands: list[Command], merge_key: str | None) -> None:
        super().__init__(label, commands)
        self.merge_key = merge_key

    def merge(self, newer: Command) -> bool:
        if not (isinstance(newer, _MergingMacro) and self.merge_key and newer.merge_key == self.merge_key):
            return False
        if len(newer.commands) != len(self.commands):
            return False
        if not all(a.merge(b) for a, b in zip(self.commands, newer.commands, strict=True)):
            return False
        return True


# --- masks -------------------------------------------------------------------

def mask_extent(doc: Document, node: Node) -> Rect:
    """Where a node's mask lives in document coordinates (a pixel layer's bounds, else the canvas)."""
    return node.bounds(doc.canvas)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Rec. 709 luma of 8-bit RGB, as uint8."""
    y = rgb[..., 0] * 0.2126 + rgb[..., 1] * 0.7152 + rgb[..., 2] * 0.0722
    return np.clip(y + 0.5, 0, 255).astype(np.uint8)


def selection_in(doc: Document, rect: Rect) -> np.ndarray:
    """The selection cropped to a document rectangle; 0 outside the canvas or with no selection."""
    out = np.zeros((rect.h, rect.w), np.uint8)
    if doc.selection is None:
        return out
    inside = rect.intersect(doc.canvas)
    if not inside.empty:
        out[inside.translated(-rect.x, -rect.y).slices()] = doc.selection.data[inside.slices()]
    return out


def mask_data(doc: Document, node: Node, kind: str) -> np.ndarray:
    """The initial contents of a new mask of `kind` for `node`."""
    extent = mask_extent(doc, node)
    if kind == "white":
        return np.full((extent.h, extent.w), 255, np.uint8)
    if kind == "black":
        return np.zeros((extent.h, extent.w), np.uint8)
    if kind == "selection":
        return selection_in(doc, extent)
    if not isinstance(node, Layer):
        raise ValueError(f"a mask from {kind} needs a pixel layer")
    if kind in ("alpha", "alpha-transfer"):
        return node.pixels[..., 3].copy()
    if kind == "grayscale":
        return luminance(node.pixels[..., :3].astype(np.float32))
    raise ValueError(f"unknown mask kind {kind!r}; expected one of {', '.join(MASK_KINDS)}")


def add_mask(doc: Document, node: Node, kind: str = "white", *, inverted_data: bool = False) -> Mask:
    """Give `node` a new mask (replacing any), as GIMP's Add Layer Mask does."""
    data = mask_data(doc, node, kind)
    if inverted_data:
        data = 255 - data
    mask = Mask(data)
    cmds: list[Command] = [SetMask(node, mask, "Add mask")]
    if kind == "alpha-transfer":
        assert isinstance(node, Layer)
        opaque = node.pixels.copy()
        opaque[..., 3] = 255
        cmds.append(ReplacePixels(node, opaque, label="Transfer alpha"))
    doc.execute(Macro(f"Add mask ({kind})", cmds) if len(cmds) > 1 else cmds[0])
    doc.set_active(node, edit_mask=True)
    return mask


def discard_mask(doc: Document, node: Node) -> None:
    if node.mask is not None:
        doc.execute(SetMask(node, None, "Delete mask"))
        if doc.active is node:
            doc.edit_mask = False


def set_mask_enabled(doc: Document, node: Node, enabled: bool) -> None:
    set_mask_properties(doc, node, enabled=enabled, label="Enable mask" if enabled else "Disable mask")


def edit_array(doc: Document, node: Node, target: str, edit: Callable[[np.ndarray], None], label: str, rect: Rect | None = None) -> None:
    """Run `edit` on a node's pixels or mask in place and record the touched tiles as one step.

    `rect` (array coordinates) bounds what the edit may change; the whole array by default.
    """
    array = node.mask.data if target == "mask" else node.pixels  # type: ignore[union-attr]
    recorder = TileRecorder(array)
    recorder.touch(rect or Rect(0, 0, array.shape[1], array.shape[0]))
    edit(array)
    delta = recorder.finish()
    if delta:
        cmd = PixelEdit(node, target, delta, label)
        doc.record(cmd, mergeable=False)
        cmd.redo(doc)  # announce the change through the same path undo/redo use


def invert_mask(doc: Document, node: Node) -> None:
    """Invert the mask's pixels (Photoshop's Ctrl+I on a mask)."""
    if node.mask is None:
        raise ValueError(f"{node.name} has no mask")

    def invert(a: np.ndarray) -> None:
        np.subtract(255, a, out=a)

    edit_array(doc, node, "mask", invert, "Invert mask")


# --- several nodes at once (the layers panel's multi-selection) ----------------

def top_level(doc: Document, nodes: list[Node]) -> list[Node]:
    """`nodes` without those inside another of them, in stacking order (bottom first, depth first)."""
    chosen = set(nodes)
    return [n for n in doc.nodes() if n in chosen and not any(a in chosen for a in n.ancestors())]


def delete_nodes(doc: Document, nodes: list[Node]) -> None:
    """Delete several nodes (a group takes its children with it) as one step."""
    doomed = top_level(doc, nodes)
    if not doomed:
        return
    label = f"Delete {doomed[0].name}" if len(doomed) == 1 else f"Delete {len(doomed)} layers"
    doc.execute(Macro(label, [RemoveNode(n) for n in reversed(doomed)]))


def duplicate_nodes(doc: Document, nodes: list[Node]) -> list[Node]:
    """Copy each node right above itself, as one step; returns the copies, bottom first."""
    originals = top_level(doc, nodes)
    copies = [clone_node(n, f"{n.name} copy") for n in originals]
    cmds: list[Command] = []
    # Top first: an insert lower in the same group shifts the copies above along with their originals.
    for node, copy in reversed(list(zip(originals, copies, strict=True))):
        assert node.parent is not None
        cmds.append(InsertNode(node.parent, node.parent.children.index(node) + 1, copy))
    if cmds:
        doc.execute(Macro(f"Duplicate {len(cmds)} layers" if len(cmds) > 1 else f"Duplicate {originals[0].name}", cmds))
    return copies


def group_together(doc: Document, nodes: list[Node], name: str | None = None) -> Group:
    """Put nodes from anywhere in the tree in a new group where the topmost of them was, keeping their order."""
    ordered = top_level(doc, nodes)
    if not ordered:
        raise ValueError("nothing to group")
    if all(n.parent is ordered[0].parent for n in ordered):
        return group_nodes(doc, ordered, name)
    top = ordered[-1]
    assert top.parent is not None
    group = Group(name or _unique_name(doc, "Group"))
    cmds: list[Command] = [InsertNode(top.parent, top.parent.children.index(top) + 1, group)]
    cmds += [MoveNode(n, group, i) for i, n in enumerate(ordered)]
    doc.execute(Macro("Group layers", cmds))
    doc.set_active(group)
    return group


def move_nodes(doc: Document, nodes: list[Node], parent: Group, index: int) -> None:
    """Move several nodes, keeping their order, to `index` in `parent` counted as if they were all removed."""
    moving = top_level(doc, nodes)
    if any(isinstance(n, Group) and n in [parent, *parent.ancestors()] for n in moving):
        raise ValueError("cannot move a group into itself")
    staying = [c for c in parent.children if c not in moving]
    index = max(0, min(index, len(staying)))
    if parent.children == staying[:index] + moving + staying[index:]:
        return  # already there
    below = staying[index - 1] if index > 0 else None
    cmds: list[Command] = []
    # Each move is applied as it is made: the next one's index depends on where the last one went.
    for node in moving:
        others = [c for c in parent.children if c is not node]
        cmd = MoveNode(node, parent, others.index(below) + 1 if below is not None else 0, restack_label([node]))
        cmd.redo(doc)
        cmds.append(cmd)
        below = node
    if cmds:
        doc.record(Macro(restack_label(moving), cmds), mergeable=False)


def set_properties_each(doc: Document, changes: dict[Node, dict[str, Any]], label: str, *,
                        merge_key: str | None = None) -> None:
    """Set properties on several nodes (each its own values) as one step; unchanged values are skipped.
    Steps with the same merge_key (a slider drag) merge into one."""
    cmds: list[Command] = []
    for node, values in changes.items():
        values = {k: v for k, v in values.items() if getattr(node, k) != v}
        if values:
            cmds.append(SetProperties(node, values, label=label, merge_key=merge_key))
    if cmds:
        doc.execute(cmds[0] if len(cmds) == 1 else _MergingMacro(label, cmds, merge_key))
