"""A layer added between a clipping base and the layers clipped to it joins that clipping
group (Photoshop's rule), so the clipped layers keep their base and a new adjustment there
adjusts only the base; added anywhere else it stays unclipped."""

from __future__ import annotations

import numpy as np

from editor.core import Document, Layer, ops
from editor.core.layers import Adjustment
from editor.render import flatten_rgba
from editor.render.clipboard import copy, paste


def _stack() -> Document:
    doc = Document(8, 6)
    backdrop = np.zeros((6, 8, 4), np.uint8)
    backdrop[..., 2] = backdrop[..., 3] = 255  # blue
    base = np.zeros((6, 8, 4), np.uint8)
    base[:, :4] = (200, 60, 30, 255)  # a red shape on the left half
    tint = np.zeros((6, 8, 4), np.uint8)
    tint[...] = (0, 255, 0, 120)  # green over everything, clipped to the shape
    doc.root.insert(0, Layer("backdrop", backdrop))
    doc.root.insert(1, Layer("base", base))
    doc.root.insert(2, Layer("tint", tint, clipped=True))
    doc.active = doc.root.children[1]
    return doc


def test_an_adjustment_above_a_clipping_base_joins_its_group():
    doc = _stack()
    before = flatten_rgba(doc).astype(int)
    node = ops.new_adjustment_layer(doc, "invert")
    assert doc.root.children[2] is node and node.clipped
    after = flatten_rgba(doc).astype(int)
    assert np.array_equal(after[:, 4:], before[:, 4:])  # outside the base: untouched (the tint stays clipped)
    assert np.abs(after[:, :4] - before[:, :4]).max() > 50  # the base is inverted under its tint
    doc.undo()
    assert np.array_equal(flatten_rgba(doc), before)


def test_new_layer_and_paste_join_too_but_not_above_the_group():
    doc = _stack()
    assert ops.new_layer(doc).clipped
    doc.active = doc.root.children[1]
    doc.selection = None
    pasted = paste(doc, copy(doc))
    assert pasted.clipped
    doc.active = doc.root.children[-1]  # the top of the stack: nothing clipped above
    assert not ops.new_layer(doc).clipped
    doc.active = doc.root.children[0]  # above the backdrop: the base above is not clipped
    node = ops.new_adjustment_layer(doc, "invert")
    assert isinstance(node, Adjustment) and not node.clipped
