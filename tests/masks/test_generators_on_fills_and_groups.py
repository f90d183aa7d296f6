"""Mask generators on a fill layer's or a group's mask sample the composite below it."""

import numpy as np

from editor.core import Document, FillLayer, Group, Layer
from editor.masks.chroma import ChromaKeyParams
from editor.masks.color_range import ColorRangeParams
from editor.masks.generators import apply_to_layer, rerun, source_pixels


def green_screen_doc():
    """A green backdrop with a red square (20..40, 10..30), a blue layer above it, then the node."""
    doc = Document(60, 40)
    bg = np.zeros((40, 60, 4), np.uint8)
    bg[...] = (0, 200, 0, 255)
    bg[10:30, 20:40] = (220, 30, 30, 255)
    doc.root.insert(0, Layer("Photo", bg))
    return doc


def test_a_fill_layer_is_masked_from_the_pixels_below_it_not_its_own_colour():
    doc = green_screen_doc()
    fill = FillLayer("Backdrop", (0, 0, 255, 255))
    doc.root.insert(1, fill)
    above = Layer("Above", np.full((40, 60, 4), 255, np.uint8))  # above the fill: not sampled
    doc.root.insert(2, above)
    assert np.array_equal(source_pixels(doc, fill), doc.root.children[0].pixels)
    steps = len(doc.history.steps)
    mask = apply_to_layer(doc, fill, ChromaKeyParams(key="green").to_dict())
    assert mask.data.shape == (40, 60) and fill.mask is mask
    assert mask.data[20, 30] > 200 and mask.data[2, 2] < 30  # the fill shows where the subject is
    assert len(doc.history.steps) == steps + 1
    doc.undo()
    assert fill.mask is None


def test_a_group_samples_what_lies_below_it_and_not_its_children():
    doc = green_screen_doc()
    group = Group("Grade", [Layer("Inside", np.zeros((40, 60, 4), np.uint8) + np.uint8(255))])
    doc.root.insert(1, group)
    params = ColorRangeParams(samples=[(220, 30, 30)], fuzziness=20).to_dict()
    mask = apply_to_layer(doc, group, params)
    assert mask.data[20, 30] == 255 and mask.data[2, 2] == 0
    doc.root.children[0].pixels[...] = (220, 30, 30, 255)  # the photo changed below: re-run follows it
    assert rerun(doc, group).data[2, 2] == 255
