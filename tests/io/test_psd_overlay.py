"""Gradient and colour overlays drawn as Photoshop draws them (editor/io/psd_overlay.py), composited
where Photoshop stacks them. Files are written by psd-tools with the 'GrFl' / 'SoFi' descriptors
Photoshop writes (tests/io/psd_cases.py); the expected renders are worked from the overlay geometry
SethRobinson/Patchy pinned against Photoshop 2026 (centre snapped to a pixel centre, span the box
projected on the angle, whole-pixel half ramp, pixel-centre samples), each written out here on its
own in numpy, not through Veil's kernel. Dither is off, so each pixel is the ramp's value rounded
down at most one level."""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pytest
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import Tag

from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.render import flatten_rgba

from . import psd_cases as C

W, H = 64, 48
RECT = (8, 10, 48, 30)  # x0, y0, x1, y1 of the opaque red layer: 40 x 20
BLUE, YELLOW = np.array([0, 0, 255.0]), np.array([255, 255, 0.0])


def _overlay(colours=((0, (0, 0, 255), 50), (4096, (255, 255, 0), 50)), *, mode: bytes = b"Nrml",
             opacity: float = 100.0, **geometry) -> tuple[bytes, C.Descriptor]:
    block = C.gradient_block(list(colours), opacities=C.OPAQUE, **geometry)
    d = C.Descriptor(classID=b"GrFl")
    d[b"enab"], d[b"present"], d[b"showInDialog"] = C.Bool(True), C.Bool(True), C.Bool(True)
    d[b"Md  "] = C.Enumerated(typeID=b"BlnM", enum=mode)
    d[b"Opct"] = C.UnitFloat(unit=C.Unit.Percent, value=opacity)
    for key, value in block.items():
        d[key] = value
    return b"GrFl", d


def _file(*effects, pad: int = 0, fill: int = 255, background=(255, 255, 255, 255)) -> bytes:
    """A red 40 x 20 layer at RECT over a plain background; `pad` transparent pixels round it in
    its channel rectangle (what an aligned overlay must not count)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), background), name="bg")
        x0, y0, x1, y1 = RECT
        px = np.zeros((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad, 4), np.uint8)
        px[pad:pad + y1 - y0, pad:pad + x1 - x0] = (255, 0, 0, 255)
        layer = psd.create_pixel_layer(Image.fromarray(px, "RGBA"), name="sq", top=y0 - pad, left=x0 - pad)
        layer.fill_opacity = fill
        C._set(layer, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(*effects))
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()


def _render(data: bytes):
    doc = read_psd(data, "overlay.psd", DEFAULT_LIMITS)
    return doc, flatten_rgba(doc)[..., :3].astype(float)


def _inside(out: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = RECT
    return out[y0:y1, x0:x1]


def _frame(box=RECT, offset=(0.0, 0.0), angle=0.0):
    """Pixel centres relative to the overlay's snapped centre, rotated into the angle's frame:
    (along, across) over RECT, both in pixels; and the box's projection on the angle."""
    bx0, by0, bx1, by1 = box
    bw, bh = bx1 - bx0, by1 - by0
    cx = math.floor(bx0 + bw * (0.5 + offset[0] / 100)) + 0.5
    cy = math.floor(by0 + bh * (0.5 + offset[1] / 100)) + 0.5
    x0, y0, x1, y1 = RECT
    ys, xs = np.mgrid[y0:y1, x0:x1] + 0.5
    t = math.radians(angle)
    along = (xs - cx) * math.cos(t) - (ys - cy) * math.sin(t)
    across = (xs - cx) * math.sin(t) + (ys - cy) * math.cos(t)
    span = abs(math.cos(t)) * bw + abs(math.sin(t)) * bh
    return along, across, span


def _ramp(t: np.ndarray, a=BLUE, b=YELLOW) -> np.ndarray:
    t = np.clip(t, 0, 1)[..., None]
    return a + (b - a) * t


def _close(out: np.ndarray, expected: np.ndarray) -> None:
    # the table is 4096 levels sampled linearly, then truncated to a byte: within 1.5 of the ramp
    assert np.abs(out - expected).max() <= 1.5


@pytest.mark.parametrize("angle", [0.0, 90.0, 30.0, -135.0])
def test_a_linear_overlay_spans_the_layer_projected_on_its_angle(angle):
    _, out = _render(_file(_overlay(angle=angle)))
    along, _, span = _frame(angle=angle)
    half = math.floor(span / 2)
    _close(_inside(out), _ramp(0.5 + along / (2 * half)))


def test_the_ninety_degree_ramp_runs_the_height_of_a_wide_layer_bottom_to_top():
    _, out = _render(_file(_overlay(angle=90.0)))
    column = _inside(out)[:, 20, 0]
    assert column[0] == 255 and column[-1] < 20  # the end colour (yellow) at the top, 20 rows
    assert (np.diff(column) < 0).all()


def test_aligned_overlays_lie_over_the_visible_pixels_not_the_channel_rectangle():
    _, tight = _render(_file(_overlay(angle=0.0)))
    _, padded = _render(_file(_overlay(angle=0.0), pad=7))
    assert np.array_equal(tight, padded)


def test_an_overlay_not_aligned_lies_over_the_canvas():
    _, out = _render(_file(_overlay(angle=0.0, align=False)))
    along, _, span = _frame(box=(0, 0, W, H))
    assert span == W
    _close(_inside(out), _ramp(0.5 + along / (2 * (W // 2))))


def test_the_offset_moves_the_centre_by_a_share_of_the_box():
    _, out = _render(_file(_overlay(style=b"Rflc", angle=0.0, offset=(20.0, 0.0))))
    along, _, span = _frame(offset=(20.0, 0.0))
    _close(_inside(out), _ramp(np.abs(along) / math.floor(span / 2)))


def test_scale_stretches_a_whole_pixel_half_ramp():
    _, out = _render(_file(_overlay(angle=0.0, scale=73.0)))
    along, _, span = _frame()
    half = math.floor(span * 0.73 / 2)
    assert half == 14
    _close(_inside(out), _ramp(0.5 + along / (2 * half)))


def test_a_radial_overlay_is_a_circle_whatever_the_layers_proportions():
    _, out = _render(_file(_overlay(style=b"Rdl ", angle=0.0)))
    along, across, span = _frame()
    _close(_inside(out), _ramp(np.hypot(along, across) / math.floor(span / 2)))


def test_a_diamond_overlay_is_an_l1_diamond_turned_with_the_angle():
    _, out = _render(_file(_overlay(style=b"Dmnd", angle=20.0)))
    along, across, span = _frame(angle=20.0)
    _close(_inside(out), _ramp((np.abs(along) + np.abs(across)) / math.floor(span / 2)))


def test_the_angle_style_sweeps_clockwise_from_the_angle_and_ignores_scale():
    _, out = _render(_file(_overlay(style=b"Angl", angle=30.0, scale=150.0)))
    along, across, _ = _frame(angle=30.0)
    t = np.mod(np.arctan2(across, along) / (2 * np.pi), 1.0)
    expected = _ramp(t)
    err = np.abs(_inside(out) - expected).max(axis=2)
    # the seam where the sweep wraps holds both ends within a pixel: judged away from it
    seam = (np.abs(across) < 1.0) & (along > 0)
    centre = (along == 0) & (across == 0)
    assert err[~seam & ~centre].max() <= 1.5
    centre = _inside(out)[20 - RECT[1], 28 - RECT[0]]  # the snapped centre pixel: a quarter turn
    assert np.abs(centre - _ramp(np.array(0.25))).max() <= 1.5


def test_reverse_runs_the_ramp_from_the_other_end():
    _, out = _render(_file(_overlay(angle=0.0, reverse=True)))
    along, _, span = _frame()
    _close(_inside(out), _ramp(0.5 - along / (2 * math.floor(span / 2))))


def test_two_stops_at_one_location_are_a_hard_edge_and_midpoints_bend_the_ramp():
    hard = [(0, (0, 0, 255), 50), (2048, (0, 0, 255), 50), (2048, (255, 255, 0), 50), (4096, (255, 255, 0), 50)]
    _, out = _render(_file(_overlay(hard, angle=0.0)))
    along, _, span = _frame()
    row, on_edge = _inside(out)[5, :, 0], along[5] == 0  # the pixel on the edge samples both stops
    assert set(row[~on_edge].tolist()) == {0.0, 255.0}  # psd-tools ramps between the neighbours instead
    # a 25 % midpoint: the ramp's middle value halfway into the first quarter of the segment
    _, bent = _render(_file(_overlay(((0, (0, 0, 0), 50), (4096, (255, 255, 255), 25)), angle=0.0)))
    t = np.clip(0.5 + along / (2 * math.floor(span / 2)), 0, 1)
    remapped = np.where(t <= 0.25, 0.5 * t / 0.25, 0.5 + 0.5 * (t - 0.25) / 0.75)
    assert np.abs(_inside(bent)[..., 0] - 255 * remapped).max() <= 1.5


def test_an_overlays_mode_and_opacity_blend_it_with_the_layer():
    _, out = _render(_file(_overlay(angle=0.0, mode=b"Mltp", opacity=50.0)))
    along, _, span = _frame()
    ramp = _ramp(0.5 + along / (2 * math.floor(span / 2))) / 255
    red = np.array([1.0, 0.0, 0.0])
    expected = 255 * (0.5 * red + 0.5 * red * ramp)
    assert np.abs(_inside(out) - expected).max() <= 1.5


def test_fill_opacity_does_not_fade_the_overlay():
    _, out = _render(_file(_overlay(angle=0.0), fill=0))
    along, _, span = _frame()
    _close(_inside(out), _ramp(0.5 + along / (2 * math.floor(span / 2))))


def test_the_stroke_lies_over_the_overlay():
    _, out = _render(_file(_overlay(angle=0.0), C.stroke_desc((0, 255, 0), size=3.0, position=b"InsF")))
    inner = _inside(out)
    assert (inner[:3] == (0, 255, 0)).all() and (inner[:, :3] == (0, 255, 0)).all()
    along, _, span = _frame()
    _close(inner[3:-3, 3:-3], _ramp(0.5 + along / (2 * math.floor(span / 2)))[3:-3, 3:-3])


@pytest.mark.parametrize("spoil", ["noise", "no stops", "nan angle"])
def test_an_overlay_veil_cannot_read_is_left_to_psd_tools_and_said(spoil):
    key, d = _overlay(angle=0.0)
    if spoil == "noise":
        d[b"Grad"][b"GrdF"] = C.Enumerated(typeID=b"GrdF", enum=b"ClNs")
    elif spoil == "no stops":
        del d[b"Grad"][b"Clrs"]
    else:
        d[b"Angl"] = C.UnitFloat(unit=C.Unit.Angle, value=float("nan"))
    doc, out = _render(_file((key, d)))
    assert any("gradient overlay is drawn by psd-tools" in w for w in doc.warnings)
    assert out.shape == (H, W, 3)
