"""Copy, Cut, Paste, Paste in Place, Paste Into and Layer via Copy/Cut on the document (no Qt)."""

import numpy as np
import pytest

from editor.core import Document, FillLayer, Group, Layer, Mask, Rect, Selection
from editor.render import clipboard as cb
from editor.render import flatten_rgba


def two_layers():
    """A blue background under a 40x30 layer at (20, 10) whose pixels are all different."""
    doc = Document(120, 80)
    bg = np.zeros((80, 120, 4), np.uint8)
    bg[...] = (20, 40, 200, 255)
    top = np.zeros((30, 40, 4), np.uint8)
    top[..., 0] = np.arange(40, dtype=np.uint8)[None, :] * 5
    top[..., 1] = np.arange(30, dtype=np.uint8)[:, None] * 7
    top[..., 2] = 99
    top[..., 3] = 255
    doc.root.insert(0, Layer("Background", bg))
    layer = Layer("Top", top, offset=(20, 10))
    doc.root.insert(1, layer)
    doc.active = layer
    return doc, layer


def select_rect(doc, rect):
    doc.selection = Selection.from_rect(doc.width, doc.height, rect)


def test_copy_takes_the_selection_of_the_active_layer_with_its_position():
    doc, layer = two_layers()
    select_rect(doc, Rect(30, 15, 10, 8))
    clip = cb.copy(doc)
    assert clip.origin == (30, 15) and clip.size == (10, 8)
    assert np.array_equal(clip.pixels, layer.pixels[5:13, 10:20])
    assert not doc.history.steps  # copying changes nothing


def test_copy_crops_the_selection_to_the_layer_and_without_one_takes_the_layer():
    doc, layer = two_layers()
    select_rect(doc, Rect(0, 0, 30, 20))
    clip = cb.copy(doc)
    assert clip.origin == (20, 10) and clip.size == (10, 10)
    doc.selection = None
    clip = cb.copy(doc)
    assert clip.origin == (20, 10) and np.array_equal(clip.pixels, layer.pixels)


def test_soft_selection_becomes_alpha():
    doc, _ = two_layers()
    data = np.zeros((80, 120), np.uint8)
    data[20, 30:33] = (255, 128, 0)
    doc.selection = Selection(data)
    clip = cb.copy(doc)
    assert clip.size == (2, 1)  # bounds of what is selected at all
    assert list(clip.pixels[0, :, 3]) == [255, 128]


def test_copy_outside_the_layer_is_refused():
    doc, _ = two_layers()
    select_rect(doc, Rect(100, 60, 10, 10))
    with pytest.raises(cb.ClipboardError, match="empty"):
        cb.copy(doc)


def test_copy_from_an_edited_mask_copies_its_shown_grey():
    doc, layer = two_layers()
    data = np.zeros((30, 40), np.uint8)
    data[:, 20:] = 200
    layer.mask = Mask(data, inverted=True)
    doc.edit_mask = True
    clip = cb.copy(doc)
    assert clip.from_mask
    assert tuple(clip.pixels[0, 0]) == (255, 255, 255, 255)
    assert tuple(clip.pixels[0, 30]) == (55, 55, 55, 255)


def test_copy_merged_is_the_composite_in_the_selection():
    doc, _ = two_layers()
    select_rect(doc, Rect(10, 5, 20, 10))
    clip = cb.copy(doc, merged=True)
    assert clip.origin == (10, 5)
    assert np.array_equal(clip.pixels, flatten_rgba(doc)[5:15, 10:30])


def test_copy_from_a_group_needs_copy_merged():
    doc, _ = two_layers()
    group = Group("G")
    doc.root.insert(2, group)
    doc.active = group
    with pytest.raises(cb.ClipboardError, match="Copy Merged"):
        cb.copy(doc)


def test_copy_from_a_fill_layer_copies_its_colour():
    doc, _ = two_layers()
    fill = FillLayer("Fill", (1, 2, 3, 255))
    doc.root.insert(2, fill)
    doc.active = fill
    select_rect(doc, Rect(0, 0, 4, 4))
    clip = cb.copy(doc)
    assert clip.size == (4, 4) and tuple(clip.pixels[2, 2]) == (1, 2, 3, 255)


def test_cut_clears_what_it_copied_as_one_undo_step():
    doc, layer = two_layers()
    before = layer.pixels.copy()
    select_rect(doc, Rect(30, 15, 10, 8))
    clip = cb.cut(doc)
    assert np.array_equal(clip.pixels, before[5:13, 10:20])
    assert not layer.pixels[5:13, 10:20, 3].any() and layer.pixels[0, 0, 3] == 255
    assert doc.history.labels() == ["Cut"]
    doc.undo()
    assert np.array_equal(layer.pixels, before)


def test_cut_on_an_edited_mask_paints_it_black():
    doc, layer = two_layers()
    layer.mask = Mask.filled(30, 40)
    doc.edit_mask = True
    select_rect(doc, Rect(20, 10, 5, 5))
    cb.cut(doc)
    assert not layer.mask.data[:5, :5].any() and layer.mask.data[10, 10] == 255


def test_paste_in_the_same_document_lands_where_the_pixels_came_from():
    doc, layer = two_layers()
    select_rect(doc, Rect(33, 17, 9, 6))
    clip = cb.copy(doc)
    pasted = cb.paste(doc, clip, centre=(0, 0))
    assert pasted.offset == (33, 17) and np.array_equal(pasted.pixels, clip.pixels)
    assert doc.active is pasted and doc.root.children[-1] is pasted
    assert doc.history.labels() == ["Paste"]
    doc.undo()
    assert pasted not in doc.root.children and doc.active is layer


def test_paste_from_another_document_is_centred_and_paste_in_place_keeps_the_position():
    doc, _ = two_layers()
    select_rect(doc, Rect(33, 17, 10, 6))
    clip = cb.copy(doc)
    other = Document(200, 100)
    assert cb.paste(other, clip, centre=(100, 40)).offset == (95, 37)
    assert cb.paste(other, clip, in_place=True).offset == (33, 17)
    foreign = cb.Clip(np.full((4, 6, 4), 255, np.uint8))  # from another program: no position
    assert cb.paste(other, foreign, in_place=True, centre=(10, 10)).offset == (7, 8)


def test_paste_into_makes_a_layer_masked_by_the_selection():
    doc, _ = two_layers()
    select_rect(doc, Rect(25, 12, 8, 5))
    clip = cb.copy(doc)
    data = np.zeros((80, 120), np.uint8)
    data[40:60, 50:90] = 255
    data[40:60, 90] = 100
    doc.selection = Selection(data)
    layer = cb.paste_into(doc, clip)
    assert layer.offset == (0, 0) and layer.pixels.shape == (80, 120, 4)  # the mask is the whole selection
    assert np.array_equal(layer.mask.data, data) and not layer.mask.linked
    assert np.array_equal(layer.pixels[12:17, 25:33], clip.pixels)  # from this document: in place
    assert doc.selection is None and doc.history.labels() == ["Paste into"]
    doc.undo()
    assert np.array_equal(doc.selection.data, data) and layer not in doc.root.children


def test_paste_into_centres_foreign_pixels_on_the_selection():
    doc, _ = two_layers()
    select_rect(doc, Rect(50, 40, 40, 20))
    layer = cb.paste_into(doc, cb.Clip(np.full((4, 6, 4), 200, np.uint8)))
    ys, xs = np.nonzero(layer.pixels[..., 3])
    assert (xs.min(), ys.min(), xs.max(), ys.max()) == (67, 48, 72, 51)


def test_paste_into_without_a_selection_is_refused():
    doc, _ = two_layers()
    with pytest.raises(cb.ClipboardError):
        cb.paste_into(doc, cb.Clip(np.zeros((2, 2, 4), np.uint8)))


def test_layer_via_copy_puts_only_the_selected_pixels_on_a_new_layer():
    doc, layer = two_layers()
    select_rect(doc, Rect(30, 15, 10, 8))
    new = cb.layer_via_copy(doc)
    assert new.offset == (30, 15) and np.array_equal(new.pixels, layer.pixels[5:13, 10:20])
    assert doc.root.children.index(new) == doc.root.children.index(layer) + 1
    assert doc.selection is None and doc.history.labels() == ["Layer via copy"]
    assert np.array_equal(flatten_rgba(doc), flatten_rgba(_without(doc, new)))
    doc.undo()
    assert new not in doc.root.children and doc.selection is not None


def test_layer_via_cut_moves_the_pixels_as_one_step():
    doc, layer = two_layers()
    before = layer.pixels.copy()
    look = flatten_rgba(doc)
    select_rect(doc, Rect(30, 15, 10, 8))
    new = cb.layer_via_cut(doc)
    assert np.array_equal(new.pixels, before[5:13, 10:20]) and not layer.pixels[5:13, 10:20, 3].any()
    assert np.array_equal(flatten_rgba(doc), look)  # nothing moved on screen
    assert doc.history.labels() == ["Layer via cut"]
    doc.undo()
    assert np.array_equal(layer.pixels, before) and new not in doc.root.children
    doc.redo()
    assert not layer.pixels[5:13, 10:20, 3].any() and new in doc.root.children


def _without(doc, node):
    from editor.core.ops import snapshot_document

    copy = snapshot_document(doc)
    index = doc.root.children.index(node)
    copy.root.remove(copy.root.children[index])
    return copy
