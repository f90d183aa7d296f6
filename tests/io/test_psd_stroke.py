"""A Stroke ('FrFX') composited as Photoshop composites it (editor/io/psd.py `_KnockoutCanvas`,
`_PsdReader.interior`): with Overprint off, Photoshop's default, the band knocks the layer out
under it at full band coverage whatever the stroke's opacity, so the stroke shows over what lies
below; the stroke lies over the interior effects (satin, inner glow, inner shadow), which vanish
under it (SethRobinson/Patchy docs/layer-effects-render.md "Overprint band knockout", "Interior
effect stacking order"). psd-tools' band geometry is kept; its blend over the layer is what
Overprint on does. Expected values are worked by hand over a white background."""

from __future__ import annotations

import io
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

W, H = 40, 32
RECT = (8, 6, 32, 26)  # the opaque red layer, 24 x 20
BAND = 3  # px, an inside stroke's band


def _file(*effects, fill: int = 255) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)), name="bg")
        x0, y0, x1, y1 = RECT
        layer = psd.create_pixel_layer(Image.new("RGBA", (x1 - x0, y1 - y0), (255, 0, 0, 255)), name="sq",
                                       top=y0, left=x0)
        layer.fill_opacity = fill
        C._set(layer, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(*effects))
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()


def _render(data: bytes) -> np.ndarray:
    return flatten_rgba(read_psd(data, "stroke.psd", DEFAULT_LIMITS))[..., :3].astype(float)


def _stroke(opacity: float = 100.0, overprint: bool = False, position: bytes = b"InsF"):
    key, d = C.stroke_desc((0, 255, 0), size=float(BAND), position=position, opacity=opacity)
    d[b"overprint"] = C.Bool(overprint)
    return key, d


def _band(out: np.ndarray) -> np.ndarray:
    """The top rows of the inside band, away from the corners."""
    x0, y0, x1, _ = RECT
    return out[y0:y0 + BAND, x0 + BAND:x1 - BAND]


def _middle(out: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = RECT
    return out[y0 + 8:y1 - 8, x0 + 8:x1 - 8]


def test_a_half_opaque_stroke_shows_over_what_is_below_the_layer():
    out = _render(_file(_stroke(opacity=50.0)))
    assert np.abs(_band(out) - (127.5, 255, 127.5)).max() <= 1  # half green over the white below
    assert (_middle(out) == (255, 0, 0)).all()


def test_with_overprint_the_stroke_blends_over_the_layer():
    out = _render(_file(_stroke(opacity=50.0, overprint=True)))
    assert np.abs(_band(out) - (127.5, 127.5, 0)).max() <= 1  # half green over the red layer


def test_a_stroke_at_no_opacity_still_knocks_the_layer_out():
    out = _render(_file(_stroke(opacity=0.0)))
    assert (_band(out) == 255).all()
    assert (_middle(out) == (255, 0, 0)).all()


def test_fill_does_not_fade_the_stroke():
    out = _render(_file(_stroke(opacity=100.0), fill=0))
    assert (_band(out) == (0, 255, 0)).all()
    assert (_middle(out) == 255).all()


def _inner_glow():
    key, d = C.outer_glow_desc((0, 0, 0), mode=b"Nrml", opacity=100.0, size=6.0)
    d.classID = b"IrGl"
    return b"IrGl", d


@pytest.mark.parametrize("effect", [
    C.satin_desc((0, 0, 0), opacity=100.0, distance=4.0, size=0.0, angle=90.0),
    C.drop_shadow_desc(opacity=100.0, angle=90.0, distance=2.0, size=4.0, key=b"IrSh"),
    _inner_glow(),
], ids=["satin", "inner shadow", "inner glow"])
def test_interior_effects_lie_under_the_stroke(effect):
    plain = _render(_file(effect))
    x0, y0, x1, y1 = RECT
    assert (plain[y0:y1, x0:x1] != (255, 0, 0)).any()  # the effect shows on the layer alone
    stroked = _render(_file(effect, _stroke()))
    assert (stroked[y0:y0 + BAND, x0:x1] == (0, 255, 0)).all()  # and not on the band
    assert (stroked[y1 - BAND:y1, x0:x1] == (0, 255, 0)).all()


# A gradient stroke is laid as Photoshop lays a Gradient Overlay (SethRobinson/Patchy docs/gradients.md:
# one `gradient_position` for both): aligned with the layer's visible bounds, centre snapped to a pixel
# centre, the ramp floor(span / 2) pixels each way, sampled at pixel centres; its opacity stops fade it.
BLUE, YELLOW = np.array([0, 0, 255.0]), np.array([255, 255, 0.0])


def _gradient_stroke(opacities=C.OPAQUE, position: bytes = b"OutF"):
    key, d = _stroke(position=position)
    d[b"PntT"] = C.Enumerated(typeID=b"FrFl", enum=b"GrFl")
    block = C.gradient_block([(0, (0, 0, 255), 50), (4096, (255, 255, 0), 50)], opacities=opacities, angle=0.0)
    for k, v in block.items():
        d[k] = v
    return key, d


def _t(x: int) -> float:
    """Where pixel column x samples the angle-0 ramp over RECT: from 8.5 to 32.5 (span 24)."""
    return min(1.0, max(0.0, (x + 0.5 - (RECT[0] + 0.5)) / (RECT[2] - RECT[0])))


def test_a_gradient_stroke_spans_the_layer_not_the_stroke_box():
    out = _render(_file(_gradient_stroke()))
    y = RECT[1] - 1  # the outside band's row next to the layer
    for x in (RECT[0] - 2, RECT[0] + 2, 20, RECT[2] - 3, RECT[2] + 1):
        want = BLUE + (YELLOW - BLUE) * _t(x)
        assert np.abs(out[y, x] - want).max() <= 2, (x, out[y, x], want)


def test_a_gradient_strokes_opacity_stops_fade_it():
    out = _render(_file(_gradient_stroke(opacities=[(0, 100.0, 50), (4096, 0.0, 50)])))
    y = RECT[1] - 1
    for x in (RECT[0] + 2, 20, RECT[2] - 3):
        t = _t(x)
        want = (BLUE + (YELLOW - BLUE) * t) * (1 - t) + 255 * t  # over the white below
        assert np.abs(out[y, x] - want).max() <= 2, (x, out[y, x], want)


def test_an_inside_gradient_stroke_knocks_the_layer_out_under_its_fade():
    out = _render(_file(_gradient_stroke(opacities=[(0, 100.0, 50), (4096, 0.0, 50)], position=b"InsF")))
    y = RECT[1]  # the inside band's top row: Overprint off shows the faded stroke over the white below
    for x in (RECT[0] + 4, 20, RECT[2] - 4):
        t = _t(x)
        want = (BLUE + (YELLOW - BLUE) * t) * (1 - t) + 255 * t
        assert np.abs(out[y, x] - want).max() <= 2, (x, out[y, x], want)
    assert (_middle(out) == (255, 0, 0)).all()


def _shape_burst(position: bytes, size: float, reverse: bool = False):
    key, d = _gradient_stroke(position=position)
    d[b"Type"] = C.Enumerated(typeID=b"GrdT", enum=b"shapeburst")
    d[b"Rvrs"] = C.Bool(reverse)
    d[b"Sz  "] = C.UnitFloat(unit=C.Unit.Pixels, value=size)
    return key, d


# Shape Burst: t = (s - lo) / (hi - lo), s the centre-to-centre distance to the contour (+ inside,
# - outside), the limits the band's plus the coverage's 1 px: Outside (-(size + 1), 0), Inside
# (0, size + 1), Center (-(size/2 + 1), size/2 + 1); t = 0 (the first stop) at the outer limit.
@pytest.mark.parametrize(("position", "size", "rows"), [
    (b"OutF", 3.0, {-1: 3 / 4, -2: 2 / 4, -3: 1 / 4}),
    (b"InsF", 3.0, {0: 1 / 4, 1: 2 / 4, 2: 3 / 4}),
    (b"CtrF", 4.0, {-2: 1 / 6, -1: 2 / 6, 0: 4 / 6, 1: 5 / 6}),
], ids=["outside", "inside", "center"])
@pytest.mark.parametrize("reverse", [False, True], ids=["", "reversed"])
def test_a_shape_burst_stroke_ramps_across_the_band(position, size, rows, reverse):
    out = _render(_file(_shape_burst(position, size, reverse)))
    for dy, t in rows.items():
        t = 1 - t if reverse else t
        want = BLUE + (YELLOW - BLUE) * t
        got = out[RECT[1] + dy, 14:26]  # away from the corners
        assert np.abs(got - want).max() <= 2, (dy, got[0], want)


@pytest.mark.parametrize("spoil", ["noise", "no stops", "shape burst without size"])
def test_a_gradient_stroke_veil_cannot_read_is_left_to_psd_tools_and_said(spoil):
    key, d = _shape_burst(b"OutF", 3.0) if spoil.startswith("shape") else _gradient_stroke()
    if spoil == "noise":
        d[b"Grad"][b"GrdF"] = C.Enumerated(typeID=b"GrdF", enum=b"ClNs")
    elif spoil == "no stops":
        del d[b"Grad"][b"Clrs"]
    else:
        d[b"Sz  "] = C.UnitFloat(unit=C.Unit.Pixels, value=float("nan"))
    doc = read_psd(_file((key, d)), "stroke.psd", DEFAULT_LIMITS)
    assert any("gradient stroke is drawn by psd-tools" in w for w in doc.warnings)
    assert flatten_rgba(doc).shape == (H, W, 4)
