"""Merge several selected layers into one (Photoshop's Merge Layers, Ctrl+E with several selected).

editor.render.ops merges one layer down or one group; this merges any set of nodes: their
composite alone (on transparency, in stacking order, each with its own mode, opacity,
mask and clipping) becomes one normal pixel layer where the topmost of them was, named
after it, in one undo step. Put back where they were, the merged layer therefore shows
what they showed together; over other layers it matches exactly when they were in
normal mode, as with Photoshop's merge.
"""

from __future__ import annotations

import numpy as np

from editor.core import (
    Command,
    Document,
    FillLayer,
    Group,
    InsertNode,
    Layer,
    Macro,
    Node,
    Rect,
    RemoveNode,
    clip_base,
    ops,
)
from editor.render import backends
from editor.render.compositor import Compositor
from editor.render.pixels import straight_rgba


def _extent(doc: Document, node: Node) -> Rect:
    if isinstance(node, Layer):
        return node.bounds()
    if isinstance(node, FillLayer):
        return doc.canvas
    assert isinstance(node, Group)
    rect = Rect(0, 0, 0, 0)
    for child in node.children:
        rect = rect.union(_extent(doc, child))
    return rect


def merge_layers(doc: Document, nodes: list[Node]) -> Layer:
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
