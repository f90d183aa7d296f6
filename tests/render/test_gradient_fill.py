"""Gradient fill layers: each style renders as Photoshop's geometry says, checked against a plain
numpy evaluation written here from the formulas (not through the kernels); clone and undo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import Document, GradientFillLayer, Mask, Rect
from editor.core.commands import InsertNode, SetProperties
from editor.render import render

STOPS = [{"position": 0.0, "color": [255, 0, 0], "opacity": 1.0},
         {"position": 0.4, "color": [0, 200, 40], "opacity": 1.0},
         {"position": 1.0, "color": [20, 40, 255], "opacity": 1.0}]


def reference(settings: dict, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    """(straight RGB float, t) at the pixel centres of a w x h canvas, from the module's formulas."""
    bx, by, bw, bh = settings.get("box") or (0, 0, w, h)
    angle, scale = settings["angle"], settings["scale"] / 100
    ox, oy = settings.get("offset", (0, 0))
    r = angle % 90
    length = scale * (bw * (90 - r) + bh * r) / 90
    cx, cy = bx + bw / 2 + bw * ox / 100, by + bh / 2 + bh * oy / 100
    ys, xs = np.mgrid[0:h, 0:w] + 0.5
    X, Y = (xs - cx) / (length / 2), (ys - cy) / (length / 2)  # half-lengths of the line
    th = math.radians(angle)
    along = X * math.cos(th) - Y * math.sin(th)
    across = X * math.sin(th) + Y * math.cos(th)
    style = settings["style"]
    if style == "linear":
        t = (along + 1) / 2
    elif style == "reflected":
        t = np.abs(along)
    elif style == "radial":
        t = np.hypot(X, Y)
    elif style == "diamond":
        t = np.abs(along) + np.abs(across)
    else:  # clockwise on screen from the angle's direction (Photoshop's, by Patchy's probes)
        t = np.mod(angle - np.degrees(np.arctan2(-Y, X)), 360) / 360
    t = np.clip(t, 0, 1)
    if settings.get("reverse"):
        t = 1 - t
    pos = [s["position"] for s in settings["stops"]]
    rgb = np.stack([np.interp(t, pos, [s["color"][c] for s in settings["stops"]]) for c in range(3)], -1)
    return rgb, t


def rendered_rgb(doc: Document) -> np.ndarray:
    bgra = render(doc)
    return bgra[..., 2::-1].astype(np.float64)  # opaque: premultiplied is straight


@pytest.mark.parametrize("style", ["linear", "radial", "angle", "reflected", "diamond"])
@pytest.mark.parametrize("angle", [0.0, 30.0, 135.0])
def test_each_style_matches_the_formulas(style, angle):
    w, h = 61, 40
    settings = {"stops": STOPS, "style": style, "angle": angle, "scale": 80.0, "reverse": style == "radial",
                "dither": False, "offset": [10.0, -5.0], "align": False}
    doc = Document(w, h)
    doc.root.insert(0, GradientFillLayer("g", settings))
    got = rendered_rgb(doc)
    want, t = reference(settings, w, h)
    keep = np.ones(t.shape, bool)
    if style == "angle":  # the seam where t wraps from 1 to 0 is a pixel either way
        keep = (t > 0.02) & (t < 0.98)
    err = np.abs(got - want)[keep]
    assert err.max() <= 2.0, (style, angle, err.max())
    assert np.ptp(got) > 100  # a real gradient, not a flat colour


def test_align_lays_it_over_the_box_and_dither_stays_close():
    w, h = 50, 30
    settings = {"stops": STOPS, "style": "linear", "angle": 0.0, "scale": 100.0, "dither": True,
                "align": True, "box": [10, 5, 20, 10]}
    doc = Document(w, h)
    doc.root.insert(0, GradientFillLayer("g", settings))
    got = rendered_rgb(doc)
    want, _ = reference(settings, w, h)
    assert np.abs(got - want).max() <= 2.0
    assert (got[:, :10] == [255, 0, 0]).all() and (got[:, 31:] == [20, 40, 255]).all()
    # Unaligned: the same settings span the canvas.
    doc.root.children[0].gradient = {**settings, "align": False}
    assert np.abs(rendered_rgb(doc) - reference({**settings, "box": None}, w, h)[0]).max() <= 2.0


def test_opacity_stops_and_mask_composite():
    w, h = 32, 8
    settings = {"stops": [{"position": 0.0, "color": [0, 0, 0], "opacity": 1.0},
                          {"position": 1.0, "color": [0, 0, 0], "opacity": 0.0}],
                "style": "linear", "angle": 0.0, "dither": False, "align": False}
    doc = Document(w, h)
    mask = Mask(np.full((h, w), 255, np.uint8))
    mask.data[:, :4] = 0
    doc.root.insert(0, GradientFillLayer("g", settings, mask=mask))
    alpha = render(doc)[..., 3].astype(float)
    xs = np.arange(w) + 0.5
    want = np.clip(1 - xs / w, 0, 1) * 255
    want[:4] = 0
    assert np.abs(alpha[0] - want).max() <= 1.5


def test_clone_and_undo():
    doc = Document(20, 10)
    layer = GradientFillLayer("g", {"stops": STOPS, "style": "radial"})
    doc.execute(InsertNode(doc.root, 0, layer))
    copy = layer.clone()
    assert copy.kind == "gradient-fill" and copy.gradient == layer.gradient and copy.gradient is not layer.gradient
    before = render(doc).copy()
    doc.execute(SetProperties(layer, {"gradient": {**layer.gradient, "style": "diamond", "reverse": True}}))
    after = render(doc)
    assert not np.array_equal(before, after)
    doc.undo()
    assert layer.gradient["style"] == "radial"
    assert np.array_equal(render(doc), before)
    assert copy.gradient["style"] == "radial"


def test_tiles_agree_with_the_whole():
    settings = {"stops": STOPS, "style": "angle", "angle": 45.0, "dither": True, "align": False}
    doc = Document(70, 50)
    doc.root.insert(0, GradientFillLayer("g", settings))
    whole = render(doc)
    part = render(doc, Rect(13, 7, 30, 20))
    assert np.array_equal(part, whole[7:27, 13:43])


@settings(max_examples=40, deadline=None)
@given(style=st.sampled_from(["linear", "radial", "angle", "reflected", "diamond"]), angle=st.floats(-180, 180),
       scale=st.floats(10, 400), ox=st.floats(-60, 60), reverse=st.booleans(), dither=st.booleans(),
       x=st.integers(-20, 80), y=st.integers(-20, 80), w=st.integers(1, 70), h=st.integers(1, 50))
def test_the_fused_kernel_equals_the_two_step_form(style, angle, scale, ox, reverse, dither, x, y, w, h):
    from editor.paint.gradient_fill import fill_pixels, fill_pixels_reference, normalised

    s = normalised({"stops": [*STOPS[:1], {**STOPS[1], "opacity": 0.3}, STOPS[2]], "style": style, "angle": angle,
                    "scale": scale, "offset": [ox, 5.0], "reverse": reverse, "dither": dither, "box": [7, 3, 50, 31]})
    canvas, rect = Rect(0, 0, 97, 71), Rect(x, y, w, h)
    assert np.array_equal(fill_pixels(s, rect, canvas), fill_pixels_reference(s, rect, canvas))


def test_the_angle_style_sweeps_clockwise_and_its_centre_is_a_quarter_turn():
    """Photoshop's angle fill (SethRobinson/Patchy's calibrated gradient_position): t grows
    clockwise on screen from the angle's direction. On a 5 x 5 canvas at 0 degrees the pixel
    below the centre is a quarter turn clockwise, the one above three quarters; the centre
    pixel itself (its sample on the centre) is a quarter turn."""
    from editor.paint.gradient_fill import fill_pixels

    grey = [{"position": 0.0, "color": [0, 0, 0], "opacity": 1.0},
            {"position": 1.0, "color": [255, 255, 255], "opacity": 1.0}]
    box = Rect(0, 0, 5, 5)
    g = fill_pixels({"stops": grey, "style": "angle", "angle": 0.0, "dither": False}, box, box)[..., 0].astype(int)
    assert abs(g[3, 2] - 255 * 0.25) <= 1 and abs(g[1, 2] - 255 * 0.75) <= 1  # below, above
    assert abs(g[2, 1] - 255 * 0.5) <= 1 and g[2, 3] <= 1  # left: half-way; right: the start
    assert abs(g[2, 2] - 255 * 0.25) <= 1


# --- Photoshop's geometry ("photoshop_geometry", set by the PSD reader) ------------------------
# Numbers worked from SethRobinson/Patchy docs/gradients.md "Gradient fill layer geometry" and
# docs/vector-tools.md "GdFl gradient fill geometry".

BW = [{"position": 0.0, "color": [0, 0, 0], "opacity": 1.0},
      {"position": 1.0, "color": [255, 255, 255], "opacity": 1.0}]


def _grey(settings: dict, w: int, h: int) -> np.ndarray:
    from editor.paint.gradient_fill import fill_pixels

    box = Rect(0, 0, w, h)
    return fill_pixels({"stops": BW, "dither": False, **settings}, box, box)[..., 0].astype(float)


def test_a_4x4_linear_fill_samples_pixel_corners():
    # 90 degrees: the line runs from the bottom edge (y = 4) to the top (y = 0); row y samples
    # at y, so t = (4 - y) / 4: 1, 3/4, 1/2, 1/4 (pixel centres would give 7/8 .. 1/8)
    ps = _grey({"style": "linear", "angle": 90.0, "photoshop_geometry": True}, 4, 4)
    assert np.abs(ps[:, 1] - 255 * np.array([1.0, 0.75, 0.5, 0.25])).max() <= 1.0
    veil = _grey({"style": "linear", "angle": 90.0}, 4, 4)
    assert np.abs(veil[:, 1] - 255 * np.array([0.875, 0.625, 0.375, 0.125])).max() <= 1.0


def test_at_full_scale_the_ends_are_whole_pixels_so_the_angle_follows_them():
    from editor.paint.gradient_fill import line_of

    s = {"stops": BW, "style": "reflected", "angle": 30.0, "photoshop_geometry": True}
    # 4 x 4: centre (2, 2), chord 4 / cos 30, far end (4, 0.845) -> (4, 0): 45 degrees
    assert line_of(s, Rect(0, 0, 4, 4)) == ((2.0, 2.0), (4.0, 0.0))
    # 8 x 8 -> (8, 1): 36.87 degrees; 16 x 16 -> (16, 3): 32.0 degrees
    for n, end, degrees in ((8, (8.0, 1.0), 36.87), (16, (16.0, 3.0), 32.0)):
        (cx, cy), far = line_of(s, Rect(0, 0, n, n))
        assert far == end and math.degrees(math.atan2(cy - far[1], far[0] - cx)) == pytest.approx(degrees, abs=0.01)
    # the pixel (3, 0) samples (3, 0): |(1, -2) . (2, -2)| / 8 = 3/4
    assert _grey({**s}, 4, 4)[0, 3] == pytest.approx(255 * 0.75, abs=1.0)
    # 8 x 8, pixel (6, 2): |(2, -2) . (4, -3)| / 25 = 0.56 (the continuous line gives 0.59)
    assert _grey({**s}, 8, 8)[2, 6] == pytest.approx(255 * 0.56, abs=1.0)


def test_scaled_or_offset_fills_keep_their_continuous_ends():
    from editor.paint.gradient_fill import line_of

    s = {"stops": BW, "style": "reflected", "angle": 30.0, "photoshop_geometry": True}
    half = 4 / math.cos(math.radians(30)) / 2
    for change in ({"scale": 99.0}, {"offset": [10.0, 0.0]}):
        (cx, cy), (ex, ey) = line_of({**s, **change}, Rect(0, 0, 4, 4))
        assert math.hypot(ex - cx, ey - cy) == pytest.approx(half * change.get("scale", 100.0) / 100)
    (_, _), (ex, ey) = line_of({**s, "style": "diamond"}, Rect(0, 0, 4, 4))  # not modelled for diamond
    assert (ex, ey) == pytest.approx((2 + half * math.cos(math.radians(30)), 2 - half * math.sin(math.radians(30))))


def test_the_length_is_the_boxs_centre_chord():
    from editor.paint.gradient_fill import line_of

    box = Rect(0, 0, 100, 50)
    s = {"stops": BW, "style": "linear", "angle": 45.0, "scale": 80.0}
    # chord: min(100 / cos 45, 50 / sin 45) = 70.71; psd-tools' mean (100 45 + 50 45) / 90 = 75
    (sx, sy), (ex, ey) = line_of({**s, "photoshop_geometry": True}, box)
    assert math.hypot(ex - sx, ey - sy) == pytest.approx(0.8 * 50 * math.sqrt(2))
    (sx, sy), (ex, ey) = line_of(s, box)
    assert math.hypot(ex - sx, ey - sy) == pytest.approx(0.8 * 75)
    # at 90 degrees the chord is the height (psd-tools' mean takes the width there)
    (sx, sy), (ex, ey) = line_of({**s, "angle": 90.0, "photoshop_geometry": True}, box)
    assert math.hypot(ex - sx, ey - sy) == pytest.approx(0.8 * 50)


def test_angle_and_diamond_fills_keep_centre_sampling():
    a = {"style": "diamond", "angle": 0.0, "scale": 50.0}
    assert np.array_equal(_grey({**a, "photoshop_geometry": True}, 9, 9), _grey(a, 9, 9))
    a = {"style": "angle", "angle": 10.0}
    assert np.array_equal(_grey({**a, "photoshop_geometry": True}, 9, 9), _grey(a, 9, 9))
