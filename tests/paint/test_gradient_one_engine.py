"""The gradient tool and gradient fill layers draw with one engine (Photoshop's, as in Photoshop):
the same table (smoothness, reverse), the same positions (the angle style clockwise), so a drag
along a fill layer's line gives the fill layer's pixels."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import Rect
from editor.paint import PaintTarget
from editor.paint.gradient import (
    SHAPES,
    Gradient,
    GradientPaint,
    GradientSettings,
    Stop,
    apply_gradient,
    builtin_presets,
    gradient_positions,
)
from editor.paint.gradient_fill import fill_pixels, line_of, normalised, table_of
from tests.paint.helpers import mask_doc, pixel_doc

STOPS = [{"position": 0.0, "color": [200, 30, 10], "opacity": 1.0},
         {"position": 0.35, "color": [20, 220, 60], "opacity": 0.6},
         {"position": 0.35, "color": [250, 250, 0], "opacity": 1.0},  # a hard edge
         {"position": 1.0, "color": [10, 40, 240], "opacity": 0.2, "midpoint": 0.25}]  # Photoshop's 'Mdpn' 25
W, H = 97, 61


def _settings(style: str, smoothness: float, reverse: bool, stops=STOPS) -> dict:
    return normalised({"stops": stops, "style": style, "angle": 33.0, "scale": 80.0, "reverse": reverse,
                       "dither": True, "align": False, "smoothness": smoothness, "offset": [10.0, -5.0]})


def _gradient(settings: dict) -> Gradient:
    return Gradient("tool", tuple(Stop.from_dict(s) for s in settings["stops"]), settings["smoothness"])


@pytest.mark.parametrize("smoothness", [0.0, 37.0, 100.0])
@pytest.mark.parametrize("reverse", [False, True])
def test_a_drag_reads_the_fill_layers_table(smoothness, reverse):
    settings = _settings("linear", smoothness, reverse)
    doc, _ = pixel_doc(np.zeros((H, W, 4), np.uint8))
    paint = GradientPaint(PaintTarget.current(doc), _gradient(settings), GradientSettings(reverse=reverse))
    assert np.array_equal(paint.lut, table_of(settings))
    paint.cancel()


@pytest.mark.parametrize("style", SHAPES)
@pytest.mark.parametrize("smoothness", [0.0, 100.0])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("opaque", [True, False])
def test_a_drag_along_the_fill_layers_line_gives_its_pixels(style, smoothness, reverse, opaque):
    """On a transparent layer the drag's pixels are the fill layer's; the tool composites its
    colours (divided by 255 and back), so now and then a channel lands one level off."""
    stops = [{**s, "opacity": 1.0} for s in STOPS] if opaque else STOPS
    settings = _settings(style, smoothness, reverse, stops)
    canvas = Rect(0, 0, W, H)
    doc, layer = pixel_doc(np.zeros((H, W, 4), np.uint8))
    apply_gradient(PaintTarget.current(doc), _gradient(settings), *line_of(settings, canvas),
                   GradientSettings(shape=style, reverse=reverse, dither=True))
    diff = np.abs(layer.pixels.astype(int) - fill_pixels(settings, canvas, canvas).astype(int))
    assert diff.max() <= 1, (style, diff.max())
    assert (diff > 0).sum() <= 4, (style, (diff > 0).sum())


def test_the_tools_angle_sweeps_clockwise_from_the_drag_with_its_start_a_quarter_turn():
    """Photoshop's angle gradient (one engine for the tool and fill layers): t grows clockwise
    on screen, so below a rightward drag's start is a quarter of the way round, above it three."""
    t = gradient_positions("angle", Rect(0, 0, 5, 5), (2.5, 2.5), (4.5, 2.5))
    assert t[2, 2] == pytest.approx(0.25)  # the start pixel's centre
    assert t[4, 2] == pytest.approx(0.25, abs=1e-3) and t[0, 2] == pytest.approx(0.75, abs=1e-3)
    assert t[2, 0] == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("kind", ["linear", "reflected", "radial"])
@pytest.mark.parametrize("line", [((3.5, 4.0), (150.0, 30.0)), ((120.0, 60.0), (10.0, 10.0))])
def test_a_smooth_gradient_on_a_mask_is_the_eased_grey(kind, line):
    """On a mask an opaque linear or reflected gradient is written in straight runs (no table):
    a smooth one's ramps are cut into chords; like the table a radial one reads at its nearest
    entry, they stay within a tenth of a level of rounding the eased grey."""
    smooth = Gradient("smooth", (Stop(0.0, (255, 255, 255)), Stop(0.4, (30, 30, 30)), Stop(0.4, (200, 200, 200)),
                                 Stop(1.0, (0, 0, 0))), 100.0)
    doc, layer = mask_doc(160, 70, value=0)
    apply_gradient(PaintTarget.current(doc), smooth, *line, GradientSettings(shape=kind, dither=False))
    t = gradient_positions(kind, Rect(0, 0, 160, 70), *line)
    expected = smooth.sample(t) @ np.array([0.299, 0.587, 0.114, 0.0])
    err = np.abs(layer.mask.data - expected)
    err = np.where(np.abs(t - 0.4) < 0.01, 0.0, err)  # at the jump either side is right
    assert err.max() <= 0.5 + 0.1, err.max()
    straight = Gradient("straight", smooth.stops)
    assert np.abs(expected - straight.sample(t) @ np.array([0.299, 0.587, 0.114, 0.0])).max() > 20  # it eases


def test_presets_start_at_photoshops_smoothness_and_keep_theirs():
    assert {g.smoothness for g in builtin_presets()} == {100.0}
    g = Gradient("g", (Stop(0.0), Stop(1.0, (255, 255, 255))), 42.0)
    assert Gradient.from_dict(g.to_dict()) == g
    assert g.reversed().smoothness == 42.0 and g.resolved((1, 2, 3), (4, 5, 6)).smoothness == 42.0
    # a preset saved before gradients had a smoothness drew straight ramps, and still does
    assert Gradient.from_dict({"name": "old", "stops": [s.to_dict() for s in g.stops]}).smoothness == 0.0
    with pytest.raises(ValueError):
        Gradient("nan", g.stops, float("nan"))


@pytest.mark.parametrize("smoothness", [0.0, 100.0])
def test_reverse_mirrors_a_hard_edge_too(smoothness):
    """Reverse is the mirror image (Photoshop's): either side of a hard edge swaps with the rest,
    for the tool and fill layers alike (the two stops at one position used to keep their order,
    so the colours beside the edge came out swapped)."""
    g = Gradient("edge", (Stop(0.0, (0, 0, 0)), Stop(0.5, (255, 0, 0)), Stop(0.5, (0, 0, 255)), Stop(1.0, (0, 255, 0))),
                 smoothness)
    mirrored = g.lut()[::-1]
    t = np.linspace(0.0, 1.0, 4096)
    away = np.abs(t - 0.5) > 1e-3  # the entries either side of the edge itself
    assert np.abs(g.table(reverse=True) - mirrored)[away].max() < 1e-3
    assert np.abs(g.reversed().lut() - mirrored)[away].max() < 1e-3
    settings = normalised({"stops": [s.to_dict() for s in g.stops], "smoothness": smoothness, "reverse": True})
    assert np.abs(table_of(settings) - mirrored)[away].max() < 1e-3
    assert table_of(settings)[2040, 2] > 250 and table_of(settings)[2056, 0] > 250  # blue, then red


@pytest.mark.parametrize("smoothness", [0.0, 60.0])
def test_a_midpoint_moves_the_halfway_value_and_reverse_mirrors_it(smoothness):
    """A stop's midpoint is where its ramp is halfway (Photoshop's remap, before any smoothing);
    reversed, the ramp and its midpoint mirror with it."""
    g = Gradient("mid", (Stop(0.0, (0, 0, 0)), Stop(0.4, (200, 200, 200), midpoint=0.3), Stop(1.0, (40, 90, 255),
                                                                                              midpoint=0.8)), smoothness)
    plain = Gradient("no midpoints", tuple(Stop(s.position, s.color) for s in g.stops), smoothness)
    # At its midpoint a ramp has the value it had halfway (eased or not).
    moved, halfway = g.sample(np.array([0.4 * 0.3, 0.4 + 0.6 * 0.8])), plain.sample(np.array([0.2, 0.7]))
    assert np.allclose(moved, halfway, atol=1e-9)
    if smoothness == 0.0:
        assert np.allclose(moved[:, :3], [[100.0] * 3, [120.0, 145.0, 227.5]], atol=1e-9)
    assert np.abs(g.lut() - plain.lut()).max() > 30
    t = np.linspace(0.0, 1.0, 4096)
    away = np.abs(t - 0.6) > 1e-3  # the mirrored stop at 0.6
    assert np.abs(g.reversed().lut() - g.lut()[::-1])[away].max() < 0.05
    assert np.abs(g.table(reverse=True) - g.lut()[::-1]).max() < 1e-3
    assert [s.to_dict().get("midpoint") for s in g.stops] == [None, 0.3, 0.8]  # 50 % is left out


def test_a_midpoint_on_a_mask_bends_the_run_by_run_ramp_there():
    g = Gradient("mid", (Stop(0.0, (255, 255, 255)), Stop(1.0, (0, 0, 0), midpoint=0.2)))
    doc, layer = mask_doc(200, 4, value=0)
    apply_gradient(PaintTarget.current(doc), g, (0.0, 2.0), (200.0, 2.0), GradientSettings(dither=False))
    t = (np.arange(200) + 0.5) / 200
    expected = np.where(t <= 0.2, 255 - 127.5 * t / 0.2, 127.5 - 127.5 * (t - 0.2) / 0.8)
    assert np.abs(layer.mask.data[0] - expected).max() <= 0.51
