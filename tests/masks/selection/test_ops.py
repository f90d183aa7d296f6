import numpy as np
import pytest

from editor.core import Document, Layer, Mask
from editor.core import ops as core_ops
from editor.core.paths import Anchor, VectorPath
from editor.masks.selection import ops
from editor.masks.selection.shapes import ellipse_coverage, rect_coverage
from tests.core.helpers import snapshot


def blank_doc(w=40, h=30):
    pixels = np.zeros((h, w, 4), np.uint8)
    pixels[..., :3] = 100
    pixels[..., 3] = 255
    return Document.from_pixels(pixels)


def test_modes_combine_with_the_current_selection():
    doc = blank_doc()
    ops.select_rect(doc, 0, 0, 20, 30)
    ops.select_rect(doc, 10, 0, 30, 30, "add")
    assert (doc.selection.data[:, :30] == 255).all() and not doc.selection.data[:, 30:].any()
    ops.select_rect(doc, 5, 0, 15, 30, "subtract")
    assert not doc.selection.data[:, 5:15].any() and (doc.selection.data[:, 15:30] == 255).all()
    ops.select_rect(doc, 0, 0, 20, 30, "intersect")
    assert (doc.selection.data[:, :5] == 255).all() and (doc.selection.data[:, 15:20] == 255).all()
    assert not doc.selection.data[:, 20:].any()
    assert doc.history.labels().count("Rectangle select") == 4


def test_no_selection_is_nothing_selected():
    doc = blank_doc()
    assert ops.select_rect(doc, 0, 0, 10, 10, "subtract") is None
    assert ops.select_rect(doc, 0, 0, 10, 10, "intersect") is None
    assert doc.history.labels() == []
    ops.select_rect(doc, 0, 0, 10, 10, "add")
    assert doc.selection.data.sum() == 100 * 255


def test_an_empty_result_is_no_selection_and_undo_restores():
    doc = blank_doc()
    ops.select_rect(doc, 0, 0, 10, 10)
    before = snapshot(doc)
    ops.select_rect(doc, 0, 0, 10, 10, "subtract")
    assert doc.selection is None
    doc.undo()
    assert snapshot(doc) == before


def test_select_all_none_inverse():
    doc = blank_doc()
    ops.select_inverse(doc)  # nothing selected -> everything
    assert (doc.selection.data == 255).all()
    ops.select_none(doc)
    assert doc.selection is None
    ops.select_rect(doc, 0, 0, 10, 30)
    ops.select_inverse(doc)
    assert not doc.selection.data[:, :10].any() and (doc.selection.data[:, 10:] == 255).all()
    ops.select_all(doc)
    assert (doc.selection.data == 255).all()
    assert doc.history.labels() == ["Select inverse", "Deselect", "Rectangle select", "Select inverse", "Select all"]


def test_reselect_brings_back_what_the_last_deselect_removed():
    doc = blank_doc()
    assert not ops.reselect(doc)  # nothing was ever deselected
    ops.select_rect(doc, 2, 3, 10, 8)
    kept = doc.selection.data.copy()
    ops.select_none(doc)
    core_ops.new_layer(doc)  # other steps in between don't matter
    assert ops.reselect(doc)
    assert np.array_equal(doc.selection.data, kept) and doc.history.labels()[-1] == "Reselect"
    assert not ops.reselect(doc)  # the newest selection change is no longer a deselect
    doc.undo()
    assert doc.selection is None


def test_reselect_stops_at_a_geometry_change():
    from editor.geometry import crop

    doc = blank_doc()
    ops.select_rect(doc, 2, 3, 10, 8)
    ops.select_none(doc)
    crop(doc, (0, 0, 20, 20))
    assert not ops.reselect(doc) and doc.selection is None
    doc.undo()  # the crop is undone: the deselect is the newest selection change again
    assert ops.reselect(doc) and doc.selection.data[3:8, 2:10].all() and doc.selection.data.sum() == 255 * 5 * 8


def test_modify_operations_are_one_step_each():
    doc = blank_doc()
    ops.select_rect(doc, 10, 10, 20, 20)
    ops.grow(doc, 2)
    assert doc.selection.data[15, 8] == 255 and doc.selection.data[15, 7] == 0
    ops.shrink(doc, 4)
    assert doc.selection.data[15, 12] == 255 and doc.selection.data[15, 11] == 0
    ops.feather(doc, 1.5)
    assert 0 < doc.selection.data[15, 12] < 255
    ops.border(doc, 2)
    ops.smooth(doc, 1)
    assert len(doc.history.labels()) == 6
    for _ in range(5):
        doc.undo()
    np.testing.assert_array_equal(doc.selection.data, rect_coverage(40, 30, 10, 10, 20, 20))


def test_ellipse_and_polygon_selection():
    doc = blank_doc(100, 80)
    ops.select_ellipse(doc, 10, 10, 90, 70)
    np.testing.assert_array_equal(doc.selection.data, ellipse_coverage(100, 80, 10, 10, 90, 70))
    ops.select_polygon(doc, [(0, 0), (20, 0), (0, 20)])
    assert abs(doc.selection.data.sum() / 255 - 200) < 0.5


def bezier_circle(cx, cy, r):
    k = 0.5522847498 * r
    return VectorPath("Circle", [
        Anchor((cx + r, cy), (cx + r, cy - k), (cx + r, cy + k)),
        Anchor((cx, cy + r), (cx + k, cy + r), (cx - k, cy + r)),
        Anchor((cx - r, cy), (cx - r, cy + k), (cx - r, cy - k)),
        Anchor((cx, cy - r), (cx - k, cy - r), (cx + k, cy - r)),
    ], closed=True)


def test_a_curved_path_becomes_the_expected_antialiased_selection():
    doc = blank_doc(100, 100)
    ops.select_path(doc, bezier_circle(50, 50, 30))
    expected = ellipse_coverage(100, 100, 20, 20, 80, 80)
    diff = np.abs(doc.selection.data.astype(int) - expected.astype(int))
    assert diff.max() <= 12  # the 4-anchor Bézier circle is within 0.03% of r
    assert len(np.unique(doc.selection.data)) > 10


def test_an_open_path_closes_with_a_straight_line():
    path = VectorPath("Tri", [Anchor.corner(0, 0), Anchor.corner(20, 0), Anchor.corner(0, 20)])
    doc = blank_doc()
    ops.select_path(doc, path)
    assert abs(doc.selection.data.sum() / 255 - 200) < 0.5


def test_path_to_mask_is_one_step_and_sits_in_layer_coordinates():
    doc = Document(60, 60)
    layer = Layer("L", np.full((30, 30, 4), 255, np.uint8), offset=(10, 20))
    doc.root.insert(0, layer)
    doc.active = layer
    path = VectorPath("Sq", [Anchor.corner(15, 25), Anchor.corner(25, 25), Anchor.corner(25, 35), Anchor.corner(15, 35)], True)
    before = snapshot(doc)
    ops.path_to_mask(doc, path, layer)
    expected = np.zeros((30, 30), np.uint8)
    expected[5:15, 5:15] = 255
    np.testing.assert_array_equal(layer.mask.data, expected)
    assert doc.history.labels() == ["Path to mask"]
    doc.undo()
    assert snapshot(doc) == before


def test_wand_on_the_active_layer_with_an_offset_in_document_coordinates():
    doc = Document(50, 50)
    pixels = np.zeros((20, 20, 4), np.uint8)
    pixels[..., :3] = 200
    pixels[..., 3] = 255
    pixels[:, 10:, :3] = 20
    layer = Layer("L", pixels, offset=(5, 5))
    doc.root.insert(0, layer)
    doc.active = layer
    ops.wand_select(doc, 7.5, 7.5, tolerance=10, antialias=False)
    expected = np.zeros((50, 50), np.uint8)
    expected[5:25, 5:15] = 255
    np.testing.assert_array_equal(doc.selection.data, expected)
    ops.wand_select(doc, 20.5, 7.5, "add", tolerance=10, antialias=False)
    assert (doc.selection.data[5:25, 5:25] == 255).all() and not doc.selection.data[30:].any()


def test_wand_samples_the_merged_image():
    doc = blank_doc(30, 30)
    top = np.zeros((30, 30, 4), np.uint8)
    top[:, 15:] = (250, 0, 0, 255)
    doc.root.insert(1, Layer("Top", top))
    # the active layer is the flat background: sampling it selects everything
    ops.wand_select(doc, 2, 2, tolerance=10, antialias=False)
    assert (doc.selection.data == 255).all()
    ops.wand_select(doc, 2, 2, tolerance=10, antialias=False, sample_merged=True)
    assert (doc.selection.data[:, :15] == 255).all() and not doc.selection.data[:, 15:].any()


def test_load_mask_and_alpha_as_selection_and_save_selection_to_mask():
    doc = Document(40, 40)
    pixels = np.zeros((20, 20, 4), np.uint8)
    pixels[5:15, 5:15] = 255
    layer = Layer("L", pixels, offset=(10, 10))
    doc.root.insert(0, layer)
    doc.active = layer
    ops.load_alpha_as_selection(doc, layer)
    expected = np.zeros((40, 40), np.uint8)
    expected[15:25, 15:25] = 255
    np.testing.assert_array_equal(doc.selection.data, expected)

    mask_data = np.zeros((20, 20), np.uint8)
    mask_data[:, :10] = 255
    layer.mask = Mask(mask_data, inverted=True)
    ops.load_mask_as_selection(doc, layer, "intersect")
    expected[:, :20] = 0
    np.testing.assert_array_equal(doc.selection.data, expected)

    before = snapshot(doc)
    ops.save_selection_to_mask(doc, layer)
    np.testing.assert_array_equal(layer.mask.data, expected[10:30, 10:30])
    assert layer.mask.inverted is False
    assert doc.history.labels()[-1] == "Save selection to mask"
    doc.undo()
    assert snapshot(doc) == before


def test_mask_from_selection_reveals_or_hides():
    doc = blank_doc(20, 20)
    ops.select_rect(doc, 0, 0, 10, 20)
    layer = doc.active
    ops.mask_from_selection(doc, layer)
    assert (layer.mask.data[:, :10] == 255).all() and not layer.mask.data[:, 10:].any()
    ops.mask_from_selection(doc, layer, hide=True)
    assert not layer.mask.data[:, :10].any() and (layer.mask.data[:, 10:] == 255).all()


def test_select_rejects_wrong_sizes_and_modes():
    doc = blank_doc()
    with pytest.raises(ValueError):
        ops.select(doc, np.zeros((5, 5), np.uint8))
    with pytest.raises(ValueError):
        ops.select(doc, np.zeros((30, 40), np.uint8), "xor")
