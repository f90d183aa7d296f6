"""Properties of the document geometry (hypothesis): exact turns and flips, crop then Reveal All,
and the selection and vector paths following every change."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import Document, Layer, Mask, Selection
from editor.core.paths import Anchor, VectorPath
from editor.geometry import crop, flip_canvas, resize_canvas, reveal_all, rotate_canvas
from editor.render import flatten_rgba

from .helpers import full_snapshot, rich_document

SETTINGS = settings(max_examples=25, deadline=None)


@st.composite
def documents(draw) -> Document:
    """Pixel layers at any offsets (some past the canvas) with masks, a selection and a path."""
    w, h = draw(st.integers(3, 24)), draw(st.integers(3, 24))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    doc = Document(w, h)
    for i in range(draw(st.integers(1, 3))):
        lw, lh = draw(st.integers(1, 20)), draw(st.integers(1, 20))
        x, y = draw(st.integers(-8, w)), draw(st.integers(-8, h))
        mask = Mask(rng.integers(0, 256, (lh, lw), dtype=np.uint8)) if draw(st.booleans()) else None
        doc.root.insert(i, Layer(f"L{i}", rng.integers(0, 256, (lh, lw, 4), dtype=np.uint8), offset=(x, y), mask=mask))
    doc.selection = Selection(rng.integers(0, 256, (h, w), dtype=np.uint8))
    pts = [(float(draw(st.integers(0, w))), float(draw(st.integers(0, h)))) for _ in range(3)]
    doc.paths.append(VectorPath("P", [Anchor.corner(*p) for p in pts], closed=True))
    return doc


@SETTINGS
@given(documents(), st.sampled_from([90, -90, 180]))
def test_turning_round_is_the_identity_bit_for_bit(doc, angle):
    before = full_snapshot(doc)
    for _ in range(360 // abs(angle)):
        rotate_canvas(doc, angle)
    assert full_snapshot(doc) == before


@SETTINGS
@given(documents(), st.sampled_from(["horizontal", "vertical"]))
def test_two_flips_are_the_identity_bit_for_bit(doc, direction):
    before = full_snapshot(doc)
    flip_canvas(doc, direction)
    flip_canvas(doc, direction)
    assert full_snapshot(doc) == before


@SETTINGS
@given(documents(), st.data())
def test_crop_keeping_pixels_then_reveal_all_restores_every_layer(doc, data):
    x = data.draw(st.integers(-4, doc.width - 1))
    y = data.draw(st.integers(-4, doc.height - 1))
    w = data.draw(st.integers(1, doc.width + 4))
    h = data.draw(st.integers(1, doc.height + 4))
    layers = [(layer.pixels.copy(), None if layer.mask is None else layer.mask.data.copy(), layer.offset)
              for layer in doc.layers()]
    crop(doc, (x, y, w, h), delete_pixels=False)
    reveal_all(doc)
    shifts = set()
    for layer, (px, mask, (ox, oy)) in zip(doc.layers(), layers, strict=True):
        np.testing.assert_array_equal(layer.pixels, px)
        if mask is not None:
            np.testing.assert_array_equal(layer.mask.data, mask)
        shifts.add((layer.x - ox, layer.y - oy))
    assert len(shifts) == 1  # every layer moved together
    for layer in doc.layers():  # the canvas holds every layer whole again
        b = layer.bounds()
        assert b.x >= 0 and b.y >= 0 and b.right <= doc.width and b.bottom <= doc.height


@SETTINGS
@given(documents(), st.sampled_from([90, -90, 180]))
def test_the_selection_and_paths_turn_with_the_canvas(doc, angle):
    sel = doc.selection.data.copy()
    W, H = doc.width, doc.height
    anchors = doc.paths[0].anchors
    rotate_canvas(doc, angle)
    turns = {90: -1, -90: 1, 180: 2}[angle]
    np.testing.assert_array_equal(doc.selection.data, np.rot90(sel, turns))
    for a, b in zip(anchors, doc.paths[0].anchors, strict=True):
        x, y = a.point
        expected = {90: (H - y, x), -90: (y, W - x), 180: (W - x, H - y)}[angle]
        assert b.point == expected


@SETTINGS
@given(documents(), st.data())
def test_the_selection_and_paths_follow_a_crop_and_a_canvas_resize(doc, data):
    sel = doc.selection.data.copy()
    anchors = doc.paths[0].anchors
    x, y = data.draw(st.integers(0, doc.width - 1)), data.draw(st.integers(0, doc.height - 1))
    w, h = data.draw(st.integers(1, doc.width - x)), data.draw(st.integers(1, doc.height - y))
    crop(doc, (x, y, w, h), delete_pixels=data.draw(st.booleans()))
    np.testing.assert_array_equal(doc.selection.data, sel[y:y + h, x:x + w])
    for a, b in zip(anchors, doc.paths[0].anchors, strict=True):
        assert b.point == (a.point[0] - x, a.point[1] - y)
    # a bigger canvas, anchored bottom-right: everything moves by the growth
    before = doc.selection.data.copy()
    resize_canvas(doc, w + 5, h + 3, "bottom-right")
    np.testing.assert_array_equal(doc.selection.data[3:, 5:], before)
    assert (doc.selection.data[:3] == 0).all() and (doc.selection.data[:, :5] == 0).all()


def test_a_rich_document_turns_and_flips_back_with_its_composite():
    doc = rich_document()
    before = flatten_rgba(doc)
    rotate_canvas(doc, 90)
    np.testing.assert_array_equal(flatten_rgba(doc), np.rot90(before, -1))
    flip_canvas(doc, "vertical")
    flip_canvas(doc, "vertical")
    rotate_canvas(doc, -90)
    np.testing.assert_array_equal(flatten_rgba(doc), before)
