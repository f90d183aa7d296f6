"""What an adjustment or filter layer looks like as a plain pixel layer, for formats and
programs that cannot keep it live (Krita reading Veil's .ora, the flattened-masks export):
the adjusted image of what lies below it, with the alpha of what lies below. Drawn with the
adjustment's own mask, opacity and blend mode in its place, it shows what the adjustment
shows wherever what lies below is opaque."""

from __future__ import annotations

import numpy as np

from editor.core import Adjustment, BlendMode, Document, Node, Rect, clip_base

from .. import backends, kinds
from ..compositor import Compositor
from ..pixels import straight_rgba


def backdrop(comp: Compositor, doc: Document, node: Node, rect: Rect) -> np.ndarray:
    """The float premultiplied composite an adjustment at `node`'s place reads over `rect`."""
    parent = node.parent
    assert parent is not None, "the node must be in the document"
    index = parent.children.index(node)
    base = clip_base(node)
    if base is not None:
        target = comp.target(rect)
        target.add(comp.node_op(base, rect, mode=BlendMode.NORMAL, opacity=1.0))
        for sibling in parent.children[parent.children.index(base) + 1:index]:
            if sibling.visible:
                kinds.of(sibling).add_clipped(comp, target, sibling)
        return target.buffer()
    if parent is doc.root or parent.isolated:
        return comp.stack(parent.children[:index], rect).buffer()
    below = backdrop(comp, doc, parent, rect).copy()  # a pass-through group sees what is below it too
    target = comp.target(rect, below)
    comp.add_children(target, parent.children[:index])
    return target.buffer()


def stand_in(doc: Document, node: Adjustment) -> tuple[np.ndarray, tuple[int, int]]:
    """(straight RGBA pixels over the canvas, offset (0, 0)) standing for the adjustment."""
    from . import SPECS, adjusted, filtered

    comp = Compositor(doc.canvas, backends.get())
    below = backdrop(comp, doc, node, doc.canvas)
    spec = SPECS.get(node.adjustment)
    if spec is None:
        return straight_rgba(below), (0, 0)
    if spec.category == "filter":
        return straight_rgba(filtered(node.adjustment, node.params, below)), (0, 0)
    pixels = adjusted(node.adjustment, node.params, below)
    pixels[..., 3] = np.clip(below[..., 3] * 255 + 0.5, 0, 255).astype(np.uint8)
    return pixels, (0, 0)
