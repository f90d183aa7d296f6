import numpy as np

from editor.core.ops import edit_array
from editor.masks.selection import ops
from editor.masks.selection.quickmask import toggle_quick_mask
from editor.paint import paint_target
from tests.core.helpers import snapshot
from tests.masks.selection.test_ops import blank_doc


def test_quick_mask_round_trip_with_painting_and_undo():
    doc = blank_doc()
    ops.select_rect(doc, 0, 0, 10, 30)
    selected = doc.selection.data.copy()
    assert toggle_quick_mask(doc) is True
    assert doc.selection is None
    node, target = paint_target(doc)
    assert node is doc.quick_mask and target == "mask"
    np.testing.assert_array_equal(node.mask.data, selected)

    def paint(a):
        a[:, 30:] = 255

    edit_array(doc, node, "mask", paint, "Paint")  # what a brush stroke records
    assert toggle_quick_mask(doc) is False
    assert doc.quick_mask is None
    assert (doc.selection.data[:, :10] == 255).all() and (doc.selection.data[:, 30:] == 255).all()
    assert not doc.selection.data[:, 10:30].any()
    assert doc.history.labels() == ["Rectangle select", "Quick mask on", "Paint", "Quick mask off"]
    doc.undo()
    assert doc.quick_mask is node and doc.selection is None
    doc.undo()
    doc.undo()
    assert doc.quick_mask is None
    np.testing.assert_array_equal(doc.selection.data, selected)


def test_quick_mask_without_selection_starts_unselected_and_leaves_nothing():
    doc = blank_doc()
    before = snapshot(doc)
    toggle_quick_mask(doc)
    assert not doc.quick_mask.mask.data.any()
    toggle_quick_mask(doc)
    assert doc.selection is None
    doc.undo()
    doc.undo()
    assert snapshot(doc) == before


def test_paint_target_without_quick_mask_follows_edit_mask():
    doc = blank_doc()
    assert paint_target(doc) == (doc.active, "pixels")
    ops.select_all(doc)
    ops.mask_from_selection(doc, doc.active)
    assert paint_target(doc) == (doc.active, "mask")
