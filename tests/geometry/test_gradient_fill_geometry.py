"""A gradient fill layer follows the image through crop, canvas size, image size, rotate and flip:
its box and angle are in document coordinates, as its mask is, so the look it had over the image
is the look it has after (the exact turns and flips give back the turned or flipped render)."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import Document, Layer, Rect, Selection, SetSelection, ops
from editor.geometry import crop, flip_canvas, resize_canvas, resize_image, rotate_canvas
from editor.render import render

STOPS = [{"position": 0.0, "color": [255, 0, 0], "opacity": 1.0},
         {"position": 0.5, "color": [0, 220, 40], "opacity": 1.0},
         {"position": 1.0, "color": [0, 0, 255], "opacity": 1.0}]


def gradient_document(style: str, *, with_box: bool = True) -> tuple[Document, object]:
    doc = Document(90, 60)
    grey = np.full((60, 90, 4), 90, np.uint8)
    grey[..., 3] = 255
    doc.root.insert(0, Layer("Background", grey))
    doc.active = doc.root.children[0]
    if with_box:  # made from a selection: aligned with its bounds, masked by it
        data = np.zeros((60, 90), np.uint8)
        data[8:50, 12:70] = 255
        doc.execute(SetSelection(Selection(data)))
    node = ops.new_gradient_fill_layer(doc, {"stops": STOPS, "style": style, "angle": 30.0, "scale": 80.0,
                                             "offset": [10.0, -5.0], "dither": False})
    return doc, node


def rgb(doc: Document) -> np.ndarray:
    return render(doc)[..., :3].astype(int)


@pytest.mark.parametrize("style", ["linear", "radial", "angle", "reflected", "diamond"])
@pytest.mark.parametrize("with_box", [True, False])
def test_quarter_turns_turn_the_render(style, with_box):
    doc, node = gradient_document(style, with_box=with_box)
    before, settings = rgb(doc), dict(node.gradient)
    rotate_canvas(doc, 90)  # clockwise
    assert node.gradient["angle"] == pytest.approx(-60.0)
    assert np.abs(rgb(doc) - np.rot90(before, -1)).max() <= 2
    rotate_canvas(doc, 180)
    assert np.abs(rgb(doc) - np.rot90(before, 1)).max() <= 2
    doc.undo()
    doc.undo()
    assert node.gradient == settings


@pytest.mark.parametrize("style", ["linear", "radial", "reflected", "diamond"])  # an angle sweep cannot mirror
def test_flips_mirror_the_render(style):
    doc, node = gradient_document(style)
    before = rgb(doc)
    flip_canvas(doc, "horizontal")
    assert node.gradient["angle"] == pytest.approx(150.0)
    assert np.abs(rgb(doc) - before[:, ::-1]).max() <= 2
    flip_canvas(doc, "vertical")
    assert np.abs(rgb(doc) - before[::-1, ::-1]).max() <= 2


def test_crop_and_canvas_size_keep_a_boxed_gradient_on_the_image():
    doc, node = gradient_document("linear")
    before = rgb(doc)
    crop(doc, Rect(10, 5, 70, 50))
    assert node.gradient["box"] == [2, 3, 58, 42]
    assert np.abs(rgb(doc) - before[5:55, 10:80]).max() <= 1
    doc.undo()
    resize_canvas(doc, 130, 80, "center")  # 20 px more on each side, 10 above and below
    grown = rgb(doc)
    assert node.gradient["box"] == [32, 18, 58, 42]
    assert np.abs(grown[10:70, 20:110] - before).max() <= 1


def test_image_size_scales_the_box():
    doc, node = gradient_document("radial")
    before = rgb(doc)
    resize_image(doc, 180, 120)
    assert node.gradient["box"] == [24, 16, 116, 84] and node.gradient["angle"] == pytest.approx(30.0)
    assert node.gradient["offset"] == pytest.approx([10.0, -5.0])
    small = rgb(doc).reshape(60, 2, 90, 2, 3).mean(axis=(1, 3))
    inside = (slice(10, 48), slice(14, 68))  # away from the mask's resampled edge
    assert np.abs(small[inside] - before[inside]).max() <= 12
