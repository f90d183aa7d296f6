"""The Adjustment node kind and its commands: plain-data params, clone, one undo step per
change (merged while dragging), a mask from the selection."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import Adjustment, Document, Layer, Selection, ops


def test_params_are_plain_data_copied_and_cloned():
    given = {"master": [(0, 0), (128, 200), (255, 255)]}
    node = Adjustment("Curves", "curves", given)
    assert node.params == {"master": [[0, 0], [128, 200], [255, 255]]}
    given["master"].append((1, 1))
    assert len(node.params["master"]) == 3
    copy = node.clone("Copy")
    assert copy.adjustment == "curves" and copy.params == node.params and copy.params is not node.params
    assert node.nbytes() == 0
    with pytest.raises(TypeError):
        Adjustment("bad", "curves", {"f": object()})


def test_new_adjustment_layer_sits_above_the_active_layer_with_a_white_mask():
    doc = Document(8, 6)
    layer = Layer("a", np.zeros((6, 8, 4), np.uint8))
    doc.root.insert(0, layer)
    doc.root.insert(1, Layer("b", np.zeros((6, 8, 4), np.uint8)))
    doc.set_active(layer)
    node = ops.new_adjustment_layer(doc, "hue_saturation", {"master": {"hue": 10}})
    assert doc.root.children.index(node) == 1 and doc.active is node
    assert node.name == "Hue Saturation" and (node.mask.data == 255).all() and node.mask.shape == (6, 8)
    assert doc.history.steps[-1].label == "New hue saturation layer"
    doc.undo()
    assert node not in doc.root.children


def test_mask_from_active_selection():
    doc = Document(8, 6)
    sel = np.zeros((6, 8), np.uint8)
    sel[1:3, 2:5] = 200
    doc.selection = Selection(sel)
    node = ops.new_adjustment_layer(doc, "invert")
    assert np.array_equal(node.mask.data, sel)


def test_set_params_merges_a_drag_into_one_step_and_undoes_whole():
    doc = Document(4, 4)
    node = ops.new_adjustment_layer(doc, "levels", {"master": {"gamma": 1.0}})
    steps = len(doc.history.steps)
    for g in (1.1, 1.2, 1.3):
        ops.set_adjustment_params(doc, node, merge_key="gamma-drag", master={"gamma": g})
    assert len(doc.history.steps) == steps + 1 and node.params["master"]["gamma"] == 1.3
    ops.set_adjustment_params(doc, node, master={"gamma": 1.3})  # no change: no step
    assert len(doc.history.steps) == steps + 1
    doc.undo()
    assert node.params == {"master": {"gamma": 1.0}}
    doc.redo()
    assert node.params["master"]["gamma"] == 1.3
    with pytest.raises(ValueError):
        ops.set_adjustment_params(doc, doc.root, master={})
