"""The paint target's rules, checked the same way for every writer built on it."""

import numpy as np
import pytest

from editor.core import BlendMode, Rect, Selection
from editor.masks.selection.quickmask import enter_quick_mask
from editor.paint import Brush, PaintRefused, PaintTarget, Stroke
from tests.paint.helpers import mask_doc, pixel_doc


def brush_writer(doc, paint):
    """A hard brush far bigger than the canvas: full strength everywhere."""
    target = PaintTarget.current(doc)
    stroke = Stroke(doc, target.node, target.kind, Brush(size=1000, hardness=1.0), paint)
    stroke.add_point(doc.width / 2, doc.height / 2)
    return stroke.end()


def fill_writer(doc, paint):
    target = PaintTarget.current(doc)
    target.fill(paint)
    return target.commit("Fill")


def gradient_writer(doc, paint):
    from editor.paint.gradient import Gradient, GradientSettings, Stop, apply_gradient

    colour = (paint,) * 3 if isinstance(paint, int) else tuple(paint)
    uniform = Gradient("uniform", (Stop(0.0, colour), Stop(1.0, colour)))
    return apply_gradient(PaintTarget.current(doc), uniform, (0, 0), (doc.width, doc.height),
                          GradientSettings(dither=False))


WRITERS = {"brush": brush_writer, "fill": fill_writer, "gradient": gradient_writer}


def register(name):
    def wrap(fn):
        WRITERS[name] = fn
        return fn
    return wrap


def half_selection(doc):
    """Left half fully selected, a column at 50 %, the rest not."""
    data = np.zeros((doc.height, doc.width), np.uint8)
    data[:, : doc.width // 2] = 255
    data[:, doc.width // 2] = 128
    doc.selection = Selection(data)


def rgba_doc(alpha=255):
    pixels = np.zeros((40, 60, 4), np.uint8)
    pixels[...] = (10, 20, 30, alpha)
    return pixel_doc(pixels)


@pytest.fixture(params=sorted(WRITERS))
def writer(request):
    return WRITERS[request.param]


def test_selection_coverage_is_soft_and_confines(writer):
    doc, layer = mask_doc(60, 40, value=0)
    half_selection(doc)
    writer(doc, 255)
    m = layer.mask.data
    assert (m[:, :30] == 255).all()
    assert abs(int(m[5, 30]) - 128) <= 1
    assert (m[:, 31:] == 0).all()


def test_selection_is_read_in_document_coordinates_on_an_offset_layer(writer):
    doc, layer = mask_doc(30, 40, value=0, offset=(20, 0), canvas=(60, 40))
    half_selection(doc)  # document columns 0..29 selected: the layer's own columns 0..9
    writer(doc, 255)
    assert (layer.mask.data[:, :10] == 255).all()
    assert (layer.mask.data[:, 11:] == 0).all()


def test_inverted_mask_stores_the_opposite_of_what_shows(writer):
    doc, layer = mask_doc(60, 40, value=0)
    layer.mask.inverted = True
    writer(doc, 200)  # shows 200: stored 55
    assert (layer.mask.data == 55).all()


def test_alpha_lock_keeps_alpha(writer):
    doc, layer = rgba_doc()
    layer.pixels[:, :20, 3] = 0
    layer.pixels[:, 20:40, 3] = 100
    layer.alpha_locked = True
    alpha = layer.pixels[..., 3].copy()
    writer(doc, (250, 0, 0))
    assert np.array_equal(layer.pixels[..., 3], alpha)
    assert (layer.pixels[:, 40:, 0] == 250).all()


def test_pixels_get_the_colour_over_them(writer):
    doc, layer = rgba_doc(alpha=0)
    writer(doc, (250, 5, 7))
    assert (layer.pixels == (250, 5, 7, 255)).all()


def test_quick_mask_is_painted_and_not_confined(writer):
    doc, layer = mask_doc(60, 40, value=0)
    doc.set_active(layer, edit_mask=False)
    half_selection(doc)
    node = enter_quick_mask(doc)
    pixels, mask = layer.pixels.copy(), layer.mask.data.copy()
    writer(doc, 255)
    assert (node.mask.data == 255).all()  # everything selected now
    assert np.array_equal(layer.pixels, pixels) and np.array_equal(layer.mask.data, mask)


def test_one_undo_step_that_restores_bit_for_bit(writer):
    doc, layer = mask_doc(60, 40, value=17)
    before, steps = layer.mask.data.copy(), len(doc.history.steps)
    writer(doc, 230)
    assert len(doc.history.steps) == steps + 1
    doc.undo()
    assert np.array_equal(layer.mask.data, before)
    doc.redo()
    assert (layer.mask.data == 230).all()


def test_refuses_locked_and_hidden_layers():
    doc, layer = mask_doc()
    layer.locked = True
    with pytest.raises(PaintRefused, match="locked"):
        PaintTarget.current(doc)
    layer.locked, layer.visible = False, False
    with pytest.raises(PaintRefused, match="hidden"):
        PaintTarget.current(doc)


def test_clear_makes_pixels_transparent_and_a_mask_black_in_the_selection():
    doc, layer = rgba_doc()
    doc.selection = Selection.from_rect(60, 40, Rect(0, 0, 10, 40))
    target = PaintTarget.current(doc)
    target.clear()
    target.commit("Clear")
    assert (layer.pixels[:, :10, 3] == 0).all() and (layer.pixels[:, 10:, 3] == 255).all()

    doc, layer = mask_doc(60, 40, value=255)
    layer.mask.inverted = True  # black shows as black: stored 255
    layer.mask.data[:] = 0
    target = PaintTarget.current(doc)
    target.clear()
    target.commit("Clear")
    assert (layer.mask.data == 255).all()


def test_opacity_and_dither_without_banding():
    doc, layer = mask_doc(256, 8, value=0)
    target = PaintTarget.current(doc)
    ramp = np.broadcast_to(np.linspace(0, 10, 256, dtype=np.float32), (8, 256))
    target.touch(target.bounds)
    target.composite(target.bounds, ramp, dither=True)
    m = layer.mask.data.astype(float)
    # Dithered: every 8x8 block's mean follows the float ramp within a fraction of a level.
    blocks = m.reshape(1, 8, 32, 8).mean(axis=(1, 3))[0]
    expected = ramp[0].reshape(32, 8).mean(axis=1)
    assert np.abs(blocks - expected).max() < 0.15
    target.composite(target.bounds, 255.0, opacity=0.5, base=np.zeros((8, 256), np.uint8))
    assert (np.abs(layer.mask.data.astype(int) - 128) <= 1).all()


@pytest.mark.parametrize("keep_alpha", [False, True])
@pytest.mark.parametrize("opacity", [1.0, 0.6])
def test_one_colour_over_pixels_agrees_with_the_float_formula(keep_alpha, opacity):
    """The one-colour kernel (fills, the bucket) against the general float path, over translucent
    pixels with a soft coverage: full cover, none and everything between."""
    from editor.paint.target import _composite_pixels

    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, (40, 60, 4), dtype=np.uint8)
    pixels[:5, :, 3] = 0
    doc, layer = pixel_doc(pixels.copy())
    coverage = rng.integers(0, 256, (40, 60), dtype=np.uint8)
    coverage[:, :10], coverage[:, 10:20] = 255, 0
    target = PaintTarget.current(doc)
    target.touch(target.bounds)
    target.composite(target.bounds, (250, 30, 90), coverage, opacity=opacity, preserve_alpha=keep_alpha)
    cov = coverage.astype(np.float32) / np.float32(255.0) * np.float32(opacity)
    want = _composite_pixels(pixels, (250, 30, 90, 255), cov, BlendMode.NORMAL, keep_alpha=keep_alpha, erase=False,
                             thresholds=None)
    got, want = layer.pixels.astype(int), want.astype(int)
    assert np.abs(got[..., 3] - want[..., 3]).max() <= 1
    seen = want[..., 3] > 0  # a fully transparent pixel's colour is no one's business
    assert np.abs(got[seen][:, :3] - want[seen][:, :3]).max() <= 1
    np.testing.assert_array_equal(layer.pixels[:, 10:20], pixels[:, 10:20])  # no coverage: untouched
    if keep_alpha:
        np.testing.assert_array_equal(layer.pixels[..., 3], pixels[..., 3])
