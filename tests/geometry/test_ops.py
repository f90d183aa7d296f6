"""Document geometry commands: what each does, and that each undoes and redoes bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import Document, Layer, Mask, Node, Rect, Selection
from editor.geometry import (
    anchor_offset,
    crop,
    crop_to_selection,
    flip_canvas,
    resize_canvas,
    resize_image,
    reveal_all,
    rotate_canvas,
    trim,
)
from editor.render import flatten_rgba

from .helpers import full_snapshot, rich_document

OPS = [
    ("crop delete", lambda d: crop(d, (5, 3, 20, 17), delete_pixels=True)),
    ("crop keep", lambda d: crop(d, (5, 3, 20, 17), delete_pixels=False)),
    ("crop past the canvas", lambda d: crop(d, (-6, -2, 60, 40), delete_pixels=True)),
    ("reveal all", reveal_all),
    ("trim", lambda d: trim(d, "top_left_color")),  # see _prepare
    ("crop to selection", crop_to_selection),
    ("image size", lambda d: resize_image(d, 23, 61, "lanczos")),
    ("image size area", lambda d: resize_image(d, 13, 9, "area")),
    ("canvas size", lambda d: resize_canvas(d, 50, 20, "bottom-right", (255, 0, 0))),
    ("canvas size transparent", lambda d: resize_canvas(d, 31, 44, "top")),
    ("rotate 90", lambda d: rotate_canvas(d, 90)),
    ("rotate 270", lambda d: rotate_canvas(d, -90)),
    ("rotate 180", lambda d: rotate_canvas(d, 180)),
    ("rotate 17", lambda d: rotate_canvas(d, 17.5, "bilinear")),
    ("flip h", lambda d: flip_canvas(d, "horizontal")),
    ("flip v", lambda d: flip_canvas(d, "vertical")),
]


@pytest.mark.parametrize("name,op", OPS, ids=[o[0] for o in OPS])
def test_one_step_undo_redo_bit_for_bit(name, op) -> None:
    doc = rich_document()
    if name == "trim":  # give the composite a border of one colour: two rows at the top
        doc.find_by_name("Fill").visible = False
        doc.layers()[0].pixels[:2] = (1, 2, 3, 255)
    doc.quick_mask = Node("Quick mask", mask=Mask(np.arange(40 * 30, dtype=np.uint8).reshape(30, 40)))
    before = full_snapshot(doc)
    steps = len(doc.history.steps)
    cmd = op(doc)
    assert cmd is not None
    assert len(doc.history.steps) == steps + 1
    after = full_snapshot(doc)
    assert after != before
    for layer in doc.layers():  # every array stays the size of what frames it
        if layer.mask is not None:
            assert layer.mask.shape == layer.pixels.shape[:2]
    for node in doc.nodes():
        if not isinstance(node, Layer) and node.mask is not None:
            assert node.mask.shape == (doc.height, doc.width)
    assert doc.selection.data.shape == (doc.height, doc.width)
    assert doc.quick_mask.mask.data.shape == (doc.height, doc.width)
    doc.undo()
    assert full_snapshot(doc) == before
    doc.redo()
    assert full_snapshot(doc) == after
    doc.undo()
    assert full_snapshot(doc) == before


def test_crop_delete_moves_and_cuts_layers() -> None:
    doc = rich_document()
    bg = doc.layers()[0].pixels.copy()
    crop(doc, Rect(5, 3, 20, 17))
    assert (doc.width, doc.height) == (20, 17)
    layer = doc.layers()[0]
    assert layer.offset == (0, 0) and np.array_equal(layer.pixels, bg[3:20, 5:25])
    offset_layer = doc.find_by_name("Offset")
    assert offset_layer.pixels.shape == (1, 1, 4) and offset_layer.offset == (0, 0)  # it lay below the crop
    assert doc.selection.data.shape == (17, 20)
    assert doc.paths[0].anchors[0].point == (-1.5, 1.0)


def test_crop_of_a_layer_wholly_outside_leaves_one_clear_pixel() -> None:
    doc = rich_document()
    crop(doc, Rect(0, 0, 10, 10))
    inner = doc.find_by_name("Inner")  # it sat at x 30..39
    assert inner.pixels.shape == (1, 1, 4) and not inner.pixels.any()
    doc.undo()
    assert inner.pixels.shape == (8, 9, 4) and inner.offset == (30, 3)


def test_crop_keep_then_reveal_all_restores_pixel_layers() -> None:
    doc = rich_document()
    doc.find_by_name("Offset").x = 0  # every layer inside the canvas
    doc.find_by_name("Offset").y = 18
    before = [(l.offset, l.pixels.tobytes()) for l in doc.layers()]
    crop(doc, Rect(5, 3, 20, 17), delete_pixels=False)
    assert [l.pixels.tobytes() for l in doc.layers()] == [b for _, b in before]
    reveal_all(doc)
    assert (doc.width, doc.height) == (40, 30)
    assert [(l.offset, l.pixels.tobytes()) for l in doc.layers()] == before


def test_reveal_all_with_nothing_outside_is_no_step() -> None:
    doc = Document.from_pixels(np.zeros((4, 5, 4), np.uint8))
    assert reveal_all(doc) is None and not doc.history.steps


def test_undo_of_a_crop_keeps_only_the_cut_away_pixels() -> None:
    doc = Document.from_pixels(np.full((400, 600, 4), 7, np.uint8))
    doc.root.children[0].mask = Mask.filled(400, 600)
    cmd = crop(doc, Rect(100, 50, 400, 300))
    removed = (600 * 400 - 400 * 300) * 5  # RGBA + mask
    assert cmd.nbytes() == removed
    doc.undo()
    assert cmd.nbytes() == 0  # the cut-away pixels are back in the document


def test_quarter_turns_move_a_marked_pixel_where_expected() -> None:
    px = np.zeros((3, 5, 4), np.uint8)
    px[0, 4] = 255  # top-right corner of a 5x3 canvas
    doc = Document.from_pixels(px)
    rotate_canvas(doc, 90)
    assert (doc.width, doc.height) == (3, 5)
    assert doc.layers()[0].pixels[4, 2].all()  # clockwise: top-right goes to bottom-right
    rotate_canvas(doc, 180)
    assert doc.layers()[0].pixels[0, 0].all()


def test_rotate_90_places_an_offset_layer_and_its_path_consistently() -> None:
    doc = rich_document()
    composite = flatten_rgba(doc)
    rotate_canvas(doc, 90)
    assert np.array_equal(flatten_rgba(doc), np.rot90(composite, -1))
    assert doc.paths[0].anchors[0].point == (30 - 4.0, 3.5)


def test_flip_composite_mirrors() -> None:
    doc = rich_document()
    composite = flatten_rgba(doc)
    flip_canvas(doc, "horizontal")
    assert np.array_equal(flatten_rgba(doc), composite[:, ::-1])
    flip_canvas(doc, "vertical")
    assert np.array_equal(flatten_rgba(doc), composite[::-1, ::-1])


def test_crop_composite_is_the_crop_of_the_composite() -> None:
    doc = rich_document()
    composite = flatten_rgba(doc)
    crop(doc, Rect(5, 3, 20, 17), delete_pixels=True)
    assert np.array_equal(flatten_rgba(doc), composite[3:20, 5:25])


def test_canvas_size_anchor_and_fill() -> None:
    doc = Document.from_pixels(np.full((4, 6, 4), 50, np.uint8))
    resize_canvas(doc, 10, 8, "bottom-right", (255, 0, 0))
    bg = doc.layers()[0]
    assert bg.offset == (0, 0) and bg.pixels.shape == (8, 10, 4)
    assert (bg.pixels[4:, 4:] == 50).all()
    assert (bg.pixels[:4] == (255, 0, 0, 255)).all() and (bg.pixels[:, :4] == (255, 0, 0, 255)).all()
    resize_canvas(doc, 4, 4, "center")  # shrinking hides, keeps
    assert bg.pixels.shape == (8, 10, 4) and bg.offset == (-3, -2)
    assert anchor_offset("center", (5, 5), (8, 8)) == (1, 1)
    with pytest.raises(ValueError):
        resize_canvas(doc, 4, 4, "middle")


def test_canvas_size_without_fill_is_transparent() -> None:
    doc = Document.from_pixels(np.full((4, 6, 4), 50, np.uint8))
    resize_canvas(doc, 8, 6, "top-left")
    assert flatten_rgba(doc)[4:, :, 3].max() == 0 and doc.layers()[0].pixels.shape == (4, 6, 4)


def test_trim_transparent_and_top_left_colour() -> None:
    px = np.zeros((20, 30, 4), np.uint8)
    px[5:9, 10:22] = (200, 10, 10, 255)
    doc = Document.from_pixels(px)
    trim(doc, "transparent")
    assert (doc.width, doc.height) == (12, 4)
    px = np.full((20, 30, 4), (255, 255, 255, 255), np.uint8)
    px[2:7, 3:4] = (0, 0, 0, 255)
    doc = Document.from_pixels(px)
    trim(doc, "top_left_color")
    assert (doc.width, doc.height) == (1, 5)
    assert trim(Document.from_pixels(np.zeros((3, 3, 4), np.uint8))) is None


def test_trim_only_the_chosen_sides() -> None:
    px = np.zeros((20, 30, 4), np.uint8)
    px[5:9, 10:22] = (200, 10, 10, 255)
    doc = Document.from_pixels(px)
    trim(doc, "transparent", sides=("top", "right"))
    assert (doc.width, doc.height) == (22, 15)
    assert doc.layers()[0].pixels[0, 10:22, 3].min() == 255
    with pytest.raises(ValueError, match="sides"):
        trim(doc, sides=("middle",))


def test_crop_to_selection_keeps_the_selection() -> None:
    doc = rich_document()
    crop_to_selection(doc)
    assert (doc.width, doc.height) == (18, 16)
    assert doc.selection.data[:15].min() == 255 and (doc.selection.data[15] == 128).all()
    doc.selection = None
    with pytest.raises(ValueError, match="selection"):
        crop_to_selection(doc)


def test_resize_image_scales_offsets_masks_selection_and_paths() -> None:
    doc = rich_document()
    resize_image(doc, 80, 60, "nearest")
    assert (doc.width, doc.height) == (80, 60)
    off = doc.find_by_name("Offset")
    assert off.offset == (-8, 40) and off.pixels.shape == (24, 30, 4) and off.mask.shape == (24, 30)
    assert doc.selection.data.shape == (60, 80) and doc.selection.data[10:40, 14:50].min() == 255
    assert doc.paths[0].anchors[0].point == (7.0, 8.0)
    assert doc.find_by_name("Group").mask.shape == (60, 80)


def test_arbitrary_rotation_grows_the_canvas_and_keeps_the_centre() -> None:
    px = np.zeros((41, 61, 4), np.uint8)
    px[20, 30] = 255
    doc = Document.from_pixels(px)
    rotate_canvas(doc, 30, "bilinear")
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    assert (doc.width, doc.height) == (int(np.ceil(61 * c + 41 * s)), int(np.ceil(61 * s + 41 * c)))
    layer = doc.layers()[0]
    a = layer.pixels[..., 3].astype(float)
    ys, xs = np.indices(a.shape)
    cx, cy = (xs * a).sum() / a.sum() + layer.x + 0.5, (ys * a).sum() / a.sum() + layer.y + 0.5
    assert abs(cx - doc.width / 2) < 0.05 and abs(cy - doc.height / 2) < 0.05


def test_bad_arguments_say_why() -> None:
    doc = rich_document()
    with pytest.raises(ValueError, match="out of range"):
        crop(doc, (0, 0, 0, 5))
    with pytest.raises(ValueError, match="resampling"):
        resize_image(doc, 10, 10, "sinc")
    with pytest.raises(ValueError, match="flip"):
        flip_canvas(doc, "diagonal")
    with pytest.raises(ValueError, match="trim"):
        trim(doc, "white")
    assert not doc.history.steps


def test_no_change_is_no_step() -> None:
    doc = rich_document()
    assert crop(doc, doc.canvas) is None
    assert resize_image(doc, 40, 30) is None
    assert rotate_canvas(doc, 360) is None
    assert resize_canvas(doc, 40, 30) is None
    assert not doc.history.steps


def test_selection_none_and_empty_documents() -> None:
    doc = Document(10, 8)
    rotate_canvas(doc, 90)
    assert (doc.width, doc.height) == (8, 10) and doc.selection is None
    doc.selection = Selection.all(8, 10)
    crop(doc, (1, 1, 3, 3))
    assert doc.selection.data.shape == (3, 3)
