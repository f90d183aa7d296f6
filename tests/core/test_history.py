import numpy as np
import pytest

from editor.core import TILE, Document, History, Layer, Rect, TileRecorder, ops
from editor.core.commands import PixelEdit, SetProperties
from tests.core.helpers import snapshot


def make_doc(w=200, h=150):
    rng = np.random.default_rng(0)
    doc = Document.from_pixels(rng.integers(0, 256, (h, w, 4), dtype=np.uint8))
    return doc


def test_tile_recorder_keeps_only_touched_tiles():
    a = np.zeros((1000, 1000), np.uint8)
    rec = TileRecorder(a)
    rec.touch(Rect(10, 10, 5, 5))
    a[10:15, 10:15] = 200
    rec.touch(Rect(130, 130, 2, 2))  # touched but not changed: dropped from the delta
    delta = rec.finish()
    assert set(delta.before) == {(0, 0)}
    assert delta.nbytes() == 2 * TILE * TILE


def test_pixel_edit_undo_redo_bit_for_bit():
    doc = make_doc()
    layer = doc.layers()[0]
    original = layer.pixels.copy()
    rec = TileRecorder(layer.pixels)
    rec.touch(Rect(50, 40, 100, 30))
    layer.pixels[40:70, 50:150] = 7
    edited = layer.pixels.copy()
    doc.record(PixelEdit(layer, "pixels", rec.finish()))
    assert doc.undo()
    assert np.array_equal(layer.pixels, original)
    assert doc.redo()
    assert np.array_equal(layer.pixels, edited)


@pytest.mark.parametrize("edit", ["most", "sparse"])  # one block copy of "after", or tile by tile
def test_after_is_taken_at_the_first_undo_and_round_trips(edit):
    doc = make_doc(700, 500)
    layer = doc.layers()[0]
    original = layer.pixels.copy()
    rec = TileRecorder(layer.pixels)
    rec.touch(layer.bounds())
    if edit == "most":
        layer.pixels[5:480, 3:690] ^= 0x5A
    else:
        layer.pixels[[10, 300, 450], [20, 400, 650]] = (1, 2, 3, 4)
    edited = layer.pixels.copy()
    cmd = PixelEdit(layer, "pixels", rec.finish())
    doc.record(cmd)
    assert cmd.delta.after is None  # the edit did not pay for a second copy
    assert cmd.nbytes() == 2 * sum(t.nbytes for t in cmd.delta.before.values())  # budgeted as if taken
    for _ in range(2):
        assert doc.undo()
        np.testing.assert_array_equal(layer.pixels, original)
        assert doc.redo()
        np.testing.assert_array_equal(layer.pixels, edited)
    assert cmd.delta.after is not None and set(cmd.delta.after) == set(cmd.delta.before)


def test_pixel_edit_notifies_document_rect_with_offset():
    doc = make_doc()
    layer = doc.layers()[0]
    layer.x, layer.y = 30, -20
    seen = []
    doc.events.connect(lambda c: seen.append(c))
    ops.add_mask(doc, layer, "white")
    ops.edit_array(doc, layer, "mask", lambda a: a.__setitem__((slice(0, 10), slice(0, 10)), 0), "Paint", Rect(0, 0, 10, 10))
    rects = [c.rect for c in seen if c.kind == "mask" and c.rect is not None]
    assert rects[-1] == Rect(30, -20, TILE, TILE)
    assert doc.undo()
    assert (layer.mask.data == 255).all()


def test_one_slider_drag_is_one_step():
    doc = make_doc()
    layer = doc.layers()[0]
    for value in (0.9, 0.8, 0.5):
        ops.set_properties(doc, layer, opacity=value, merge_key="opacity-slider")
    assert len(doc.history.steps) == 1
    doc.undo()
    assert layer.opacity == 1.0
    doc.redo()
    assert layer.opacity == 0.5


def test_budget_drops_oldest_steps():
    doc = Document(100, 100, history_budget=3 * 100 * 100 * 4 + 1)
    for _ in range(6):
        ops.new_layer(doc)
    assert len(doc.history.steps) == 3
    assert doc.history.dropped == 3
    while doc.undo():
        pass
    assert len(doc.layers()) == 3  # the dropped steps cannot be undone


def test_modified_flag_follows_save_point():
    doc = make_doc()
    assert not doc.modified
    ops.new_layer(doc)
    assert doc.modified
    doc.history.mark_clean()
    assert not doc.modified
    doc.undo()
    assert doc.modified
    doc.redo()
    assert not doc.modified
    doc.undo()
    ops.new_group(doc)  # the saved state is no longer reachable
    assert doc.modified


def test_jump_moves_through_history():
    doc = make_doc()
    before = snapshot(doc)
    for _ in range(3):
        ops.new_layer(doc)
    after = snapshot(doc)
    doc.jump(0)
    assert snapshot(doc) == before
    doc.jump(3)
    assert snapshot(doc) == after


def test_set_properties_rejects_unknown_keys():
    doc = make_doc()
    with pytest.raises(ValueError):
        SetProperties(doc.layers()[0], {"pixels": None})


def test_history_budget_default_is_one_gib():
    assert History().budget_bytes == 1 << 30


def test_layer_validates_arrays():
    with pytest.raises(ValueError):
        Layer("bad", np.zeros((4, 4, 3), np.uint8))
