"""Fill, Clear, Stroke and the paint bucket on the paint target: the document after each, one undo step."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import BlendMode, Rect, Selection
from editor.masks.selection.ops import wand_select
from editor.paint.fill import bucket_fill, clear, fill, stroke, stroke_coverage
from tests.paint.helpers import mask_doc, pixel_doc


def rgba(w=60, h=40, colour=(10, 20, 30, 255)):
    pixels = np.zeros((h, w, 4), np.uint8)
    pixels[...] = colour
    return pixels


def test_fill_with_preserve_transparency_leaves_alpha_unchanged():
    pixels = rgba()
    pixels[:, :20, 3] = 0
    pixels[:, 20:40, 3] = 90
    doc, layer = pixel_doc(pixels)
    alpha = layer.pixels[..., 3].copy()
    fill(doc, (200, 100, 0), preserve_transparency=True)
    assert np.array_equal(layer.pixels[..., 3], alpha)
    assert (layer.pixels[:, 40:, :3] == (200, 100, 0)).all()
    assert doc.history.labels() == ["Fill"]
    doc.undo()
    assert np.array_equal(layer.pixels, pixels)
    fill(doc, (200, 100, 0))
    assert (layer.pixels[..., 3] == 255).all()


def test_fill_opacity_and_mode_in_the_selection():
    doc, layer = pixel_doc(rgba(colour=(100, 100, 100, 255)))
    doc.selection = Selection.from_rect(60, 40, Rect(0, 0, 30, 40))
    fill(doc, (0, 0, 0), opacity=0.5)
    assert abs(int(layer.pixels[0, 0, 0]) - 50) <= 1 and layer.pixels[0, 45, 0] == 100
    fill(doc, (128, 128, 128), mode=BlendMode.MULTIPLY)
    assert abs(int(layer.pixels[0, 0, 0]) - 25) <= 1
    assert len(doc.history.steps) == 2


def test_clear_on_a_mask_writes_black_also_inverted():
    doc, layer = mask_doc(60, 40, value=255)
    doc.selection = Selection.from_rect(60, 40, Rect(10, 10, 20, 20))
    clear(doc)
    assert (layer.mask.data[10:30, 10:30] == 0).all() and layer.mask.data[0, 0] == 255
    assert doc.history.labels() == ["Clear on mask"]
    layer.mask.inverted = True
    layer.mask.data[:] = 0  # shows white
    clear(doc)
    assert (layer.mask.data[10:30, 10:30] == 255).all() and layer.mask.data[0, 0] == 0


def test_stroke_band_inside_centre_outside():
    sel = np.zeros((60, 60), np.uint8)
    sel[20:40, 20:40] = 255
    for location, (lo, hi) in {"inside": (20, 24), "outside": (16, 20), "center": (18, 22)}.items():
        rect, band = stroke_coverage(sel, 4, location)
        full = np.zeros((60, 60), np.float32)
        full[rect.slices()] = band
        row = full[30]
        assert (row[lo:hi] == 1).all(), (location, row[14:26])
        assert row[lo - 1] == 0 and row[hi] == 0 and row[30] == 0


def test_stroke_paints_outside_the_selection_in_one_step():
    doc, layer = pixel_doc(rgba(colour=(0, 0, 0, 0)))
    doc.selection = Selection.from_rect(60, 40, Rect(20, 10, 20, 20))
    stroke(doc, (255, 0, 0), 3, "outside")
    a = layer.pixels[..., 3]
    assert (a[20, 17:20] == 255).all() and a[20, 16] == 0 and (a[11:29, 20:40] == 0).all()
    assert (layer.pixels[20, 18, :3] == (255, 0, 0)).all()
    assert doc.history.labels() == ["Stroke"]


@pytest.mark.parametrize("contiguous", [True, False])
def test_bucket_fills_what_the_wand_selects(contiguous):
    rng = np.random.default_rng(3)
    pixels = rgba(80, 50, (200, 200, 200, 255))
    pixels[:, 40] = (0, 0, 0, 255)  # a wall: contiguous stops here
    pixels[10:20, 50:60] = (30, 30, 30, 255)
    pixels[..., :3] = np.clip(pixels[..., :3].astype(int) + rng.integers(-6, 7, (50, 80, 3)), 0, 255)
    doc, layer = pixel_doc(pixels.copy())
    wand_select(doc, 5, 5, tolerance=20, contiguous=contiguous, antialias=True)  # what the wand selects
    wand = doc.selection.data.astype(float) / 255
    doc.undo()
    assert doc.selection is None
    bucket_fill(doc, 5, 5, (255, 0, 0), tolerance=20, contiguous=contiguous, antialias=True)
    expected = pixels[..., 0] * (1 - wand) + 255 * wand
    assert np.abs(layer.pixels[..., 0].astype(float) - expected).max() <= 1.0
    assert doc.history.labels()[-1] == "Paint bucket" and doc.history.index == 1
    doc.undo()
    assert np.array_equal(layer.pixels, pixels)


def test_bucket_on_a_mask_samples_the_mask_and_respects_the_selection():
    doc, layer = mask_doc(60, 40, value=255)
    layer.mask.data[:, 30] = 0
    doc.selection = Selection.from_rect(60, 40, Rect(0, 0, 60, 20))
    bucket_fill(doc, 5, 5, (0, 0, 0), tolerance=0, antialias=False)
    m = layer.mask.data
    assert (m[:20, :30] == 0).all() and (m[20:, :30] == 255).all() and (m[:, 31:] == 255).all()
    assert doc.history.labels() == ["Paint bucket on mask"]


@pytest.mark.parametrize("mode", [BlendMode.NORMAL, BlendMode.MULTIPLY])
def test_a_bucket_fill_keeps_only_the_tiles_its_region_touches_and_undoes_bit_for_bit(mode):
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, (300, 400, 4), dtype=np.uint8)
    pixels[20:200, 10:390] = (40, 80, 120, 255)  # the region: rows 20-199, every column tile
    pixels[100:300, 250:400, 3] = 0  # transparent pixels in reach of the region's bounds
    doc, layer = pixel_doc(pixels)
    before = layer.pixels.copy()
    cmd = bucket_fill(doc, 50, 50, (255, 0, 0), tolerance=0, antialias=True, mode=mode)
    after = layer.pixels.copy()
    changed = {(y // 64, x // 64) for y, x in np.argwhere((after != before).any(-1))}
    assert changed <= set(cmd.delta.before)  # the region named the tiles (normal), or they were compared
    doc.undo()
    np.testing.assert_array_equal(layer.pixels, before)
    doc.redo()
    np.testing.assert_array_equal(layer.pixels, after)
