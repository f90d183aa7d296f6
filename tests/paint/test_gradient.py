"""Gradient shapes against a float64 reference, stops and presets, and the writer on a target."""

from __future__ import annotations

import math

import numpy as np
import pytest

from editor.core import BlendMode, Rect, Selection
from editor.paint import PaintTarget
from editor.paint.gradient import (
    SHAPES,
    Gradient,
    GradientPaint,
    GradientSettings,
    Stop,
    apply_gradient,
    builtin_presets,
    foreground_to_background,
    foreground_to_transparent,
    gradient_positions,
    shape_reference,
    snap_angle,
)
from tests.paint.helpers import mask_doc, pixel_doc

LINES = [((10.3, 20.7), (90.2, 55.1)), ((60.0, 40.0), (20.0, 40.0)), ((33.0, 70.0), (33.5, 5.0))]


@pytest.mark.parametrize("kind", SHAPES)
@pytest.mark.parametrize("line", LINES)
def test_kernel_positions_match_the_float64_reference(kind, line):
    rect = Rect(3, 2, 117, 78)
    got = gradient_positions(kind, rect, *line)
    ys, xs = np.mgrid[rect.y:rect.bottom, rect.x:rect.right] + 0.5
    expected = shape_reference(kind, xs, ys, *line)
    err = np.abs(got - expected)
    if kind == "angle":  # the seam at a full turn may fall either side in float32
        err = np.minimum(err, 1.0 - err)
    assert err.max() < 1e-3, (kind, err.max())


MULTI_STOP = [
    Gradient("three", (Stop(0.0, (255, 255, 255)), Stop(0.3, (20, 200, 90)), Stop(1.0, (0, 0, 0)))),
    Gradient("hard", (Stop(0.0, (0, 0, 0)), Stop(0.5, (40, 40, 40)), Stop(0.5, (230, 230, 230)), Stop(0.8, (90, 90, 90)))),
    Gradient("inner", (Stop(0.2, (250, 10, 10)), Stop(0.7, (10, 10, 250)))),
]


@pytest.mark.parametrize("kind", ["linear", "reflected"])
@pytest.mark.parametrize("gradient", MULTI_STOP, ids=lambda g: g.name)
@pytest.mark.parametrize("line", LINES + [((40.0, 30.0), (40.0, 30.0)), ((0.0, 10.0), (0.0, 70.0))])
@pytest.mark.parametrize("inverted", [False, True])
def test_opaque_mask_gradient_matches_the_stops_reference(kind, gradient, line, inverted):
    """The opaque linear and reflected gradients on a mask are written run by run along each row
    (no table): they must still be the stops' interpolation at each pixel, on an offset layer."""
    doc, layer = mask_doc(117, 78, value=0, offset=(3, 2), canvas=(130, 90))
    layer.mask.inverted = inverted
    apply_gradient(PaintTarget.current(doc), gradient, *line, GradientSettings(shape=kind, dither=False))
    ys, xs = np.mgrid[2:80, 3:120] + 0.5
    t = shape_reference(kind, xs, ys, *line)
    expected = gradient.sample(t) @ np.array([0.299, 0.587, 0.114, 0.0])
    shown = 255.0 - layer.mask.data if inverted else layer.mask.data.astype(float)
    err = np.abs(shown - expected)
    if gradient.name == "hard":  # at the jump either colour is right
        err = np.where(np.abs(t - 0.5) < 0.02, 0.0, err)
    assert err.max() <= 0.51 + 1e-6, err.max()


def test_shapes_by_hand():
    start, end = (0.0, 0.0), (10.0, 0.0)
    assert shape_reference("linear", np.array([5.0, -3.0, 20.0]), np.zeros(3), start, end).tolist() == [0.5, 0.0, 1.0]
    assert shape_reference("reflected", np.array([-5.0]), np.zeros(1), start, end)[0] == 0.5
    assert shape_reference("radial", np.array([0.0]), np.array([5.0]), start, end)[0] == 0.5
    assert shape_reference("diamond", np.array([2.5]), np.array([2.5]), start, end)[0] == 0.5
    # Angle: clockwise on screen (y down), as Photoshop sweeps it: a quarter turn is straight
    # down, three quarters straight up, and the start itself a quarter turn.
    t = shape_reference("angle", np.array([0.0, 0.0, 0.0]), np.array([5.0, -5.0, 0.0]), start, end)
    assert t == pytest.approx([0.25, 0.75, 0.25])


def test_stops_interpolate_colour_and_opacity_in_straight_rgb():
    g = Gradient("g", (Stop(1.0, (0, 0, 255), 0.0), Stop(0.0, (255, 0, 0)), Stop(0.5, (0, 255, 0), 0.5)))
    assert [s.position for s in g.stops] == [0.0, 0.5, 1.0]
    mid = g.sample(np.array([0.25, 0.75]))
    assert np.allclose(mid[0], (127.5, 127.5, 0, 0.75 * 255))
    assert np.allclose(mid[1], (0, 127.5, 127.5, 0.25 * 255))
    lut = g.lut()
    assert np.allclose(lut[0], (255, 0, 0, 255)) and np.allclose(lut[-1], (0, 0, 255, 0))


def test_dynamic_presets_follow_the_colours_and_survive_a_round_trip():
    fg, bg = (200, 10, 10), (0, 0, 90)
    assert np.allclose(foreground_to_background().sample(np.array([0.0, 1.0]), fg, bg)[:, :3], [fg, bg])
    assert np.allclose(foreground_to_transparent().sample(np.array([1.0]), fg, bg)[0], (*fg, 0))
    for g in builtin_presets():
        assert Gradient.from_dict(g.to_dict()) == g
    assert foreground_to_background().reversed().stops[0].color == "background"


def test_shift_snaps_to_fifteen_degrees():
    x, y = snap_angle((0, 0), (100, 8))
    assert (x, y) == pytest.approx((100.3195, 0.0), abs=1e-3)
    x, y = snap_angle((0, 0), (50, 45))
    assert math.degrees(math.atan2(y, x)) == pytest.approx(45.0)


def white_to_black():
    return Gradient("w-b", (Stop(0.0, (255, 255, 255)), Stop(1.0, (0, 0, 0))))


def test_linear_gradient_on_a_mask_is_the_ramp_and_one_undo_step():
    doc, layer = mask_doc(200, 20, value=77)
    before = layer.mask.data.copy()
    cmd = apply_gradient(PaintTarget.current(doc), white_to_black(), (0, 10), (200, 10),
                         GradientSettings(dither=False))
    expected = 255.0 * (1.0 - (np.arange(200) + 0.5) / 200)
    assert np.abs(layer.mask.data.astype(float) - expected[None, :]).max() <= 0.51
    assert doc.history.labels() == ["Gradient on mask"] and cmd is not None
    doc.undo()
    assert np.array_equal(layer.mask.data, before)
    doc.redo()
    assert layer.mask.data[0, 0] == 254


def test_dither_removes_banding_on_an_8_bit_mask():
    doc, layer = mask_doc(1024, 16, value=0)
    g = Gradient("g", (Stop(0.0, (100, 100, 100)), Stop(1.0, (108, 108, 108))))  # 8 levels over 1024 px
    expected = 100 + 8 * (np.arange(1024) + 0.5) / 1024
    apply_gradient(PaintTarget.current(doc), g, (0, 0), (1024, 0), GradientSettings(dither=True))
    blocks = layer.mask.data.astype(float).reshape(2, 8, 128, 8).mean(axis=(1, 3))
    assert np.abs(blocks - expected.reshape(128, 8).mean(axis=1)).max() < 0.15
    doc.undo()
    apply_gradient(PaintTarget.current(doc), g, (0, 0), (1024, 0), GradientSettings(dither=False))
    rounded = layer.mask.data.astype(float).reshape(2, 8, 128, 8).mean(axis=(1, 3))
    assert np.abs(rounded - expected.reshape(128, 8).mean(axis=1)).max() > 0.3  # bands without it


def test_inverted_mask_shows_the_gradient_and_the_selection_confines_it():
    doc, layer = mask_doc(100, 10, value=0)
    layer.mask.inverted = True
    layer.mask.data[:] = 255  # shows black everywhere
    doc.selection = Selection.from_rect(100, 10, Rect(0, 0, 50, 10))
    apply_gradient(PaintTarget.current(doc), white_to_black(), (0, 0), (100, 0), GradientSettings(dither=False))
    shown = 255 - layer.mask.data.astype(int)
    assert abs(shown[0, 0] - 254) <= 1 and abs(shown[0, 49] - 129) <= 1
    assert (shown[:, 50:] == 0).all()


def test_opacity_mode_and_transparency_on_pixels():
    pixels = np.zeros((10, 100, 4), np.uint8)
    pixels[...] = (0, 0, 200, 255)
    doc, layer = pixel_doc(pixels)
    target = PaintTarget.current(doc)
    apply_gradient(target, foreground_to_transparent(), (0, 0), (100, 0),
                   GradientSettings(dither=False, opacity=0.5), fg=(255, 0, 0))
    p = layer.pixels.astype(int)
    assert abs(p[0, 0, 0] - 127) <= 2 and abs(p[0, 0, 2] - 100) <= 2  # half the red at the start
    assert tuple(p[0, 99, :3]) == pytest.approx((1, 0, 199), abs=2)  # nothing at the end
    assert (p[..., 3] == 255).all()
    doc.undo()
    apply_gradient(PaintTarget.current(doc), foreground_to_background(), (0, 0), (100, 0),
                   GradientSettings(dither=False, mode=BlendMode.MULTIPLY), fg=(255, 255, 255), bg=(0, 0, 0))
    assert tuple(layer.pixels[0, 0, :3]) == pytest.approx((0, 0, 199), abs=2)  # multiply by white: unchanged
    assert tuple(layer.pixels[0, 99, :3]) == pytest.approx((0, 0, 2), abs=3)


def test_preview_redraws_from_the_original():
    doc, layer = mask_doc(100, 100, value=40)
    paint = GradientPaint(PaintTarget.current(doc), white_to_black(), GradientSettings(dither=False))
    paint.draw((0, 0), (100, 0), Rect(0, 0, 50, 50))
    paint.draw((0, 0), (10, 0), Rect(0, 0, 50, 50))  # the line moved: the same part again
    assert layer.mask.data[0, 20] == 0 and layer.mask.data[80, 80] == 40
    paint.draw((0, 0), (100, 0))
    paint.commit()
    assert abs(int(layer.mask.data[80, 80]) - 51) <= 1
    doc.undo()
    assert (layer.mask.data == 40).all()


def test_radial_gradient_is_symmetric():
    doc, layer = mask_doc(101, 81, value=0)
    apply_gradient(PaintTarget.current(doc), white_to_black(), (50.5, 40.5), (90.5, 40.5),
                   GradientSettings(shape="radial", dither=False))
    m = layer.mask.data
    assert np.array_equal(m, m[::-1, :]) and np.array_equal(m, m[:, ::-1])
    assert m[40, 50] == 255 and m[40, 0] == 0
