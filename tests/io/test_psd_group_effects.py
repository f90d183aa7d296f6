"""Interior effects and strokes on groups (editor/io/psd.py `group_interior`, `group_stroke`): drawn
from the group's flattened content as layers over its children (overlays, satin, inner glow,
inner shadow, the stroke's inside band) and below it (the stroke's outside band), each in its own
mode over the group's result, pass-through groups included (SethRobinson/Patchy docs/ps-compat.md
"Layer effects on GROUPS"). psd-tools draws the same group effects over its own composite; the
expected renders here are worked by hand over a white background."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import BlendMode as PsdBlend
from psd_tools.constants import Tag

from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.render import flatten_rgba

from . import psd_cases as C

W, H = 48, 32
A, B = (6, 8, 16, 24), (26, 8, 40, 24)  # the group's two children: red and blue squares


def _file(*effects, mode=PsdBlend.PASS_THROUGH) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)), name="bg")
        group = psd.create_group(name="g")
        for (x0, y0, x1, y1), rgb, label in ((A, (255, 0, 0), "a"), (B, (0, 0, 255), "b")):
            group.create_pixel_layer(Image.new("RGBA", (x1 - x0, y1 - y0), (*rgb, 255)), name=label, top=y0, left=x0)
        group.blend_mode = mode
        C._set(group, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(*effects))
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()


def _render(data: bytes):
    doc = read_psd(data, "group.psd", DEFAULT_LIMITS)
    return doc, flatten_rgba(doc)[..., :3].astype(float)


def _in(out, box, inset=0):
    x0, y0, x1, y1 = box
    return out[y0 + inset:y1 - inset, x0 + inset:x1 - inset]


def _content():
    m = np.zeros((H, W), bool)
    for x0, y0, x1, y1 in (A, B):
        m[y0:y1, x0:x1] = True
    return m


def test_a_colour_overlay_covers_the_whole_content_and_nothing_else():
    doc, out = _render(_file((b"SoFi", C.color_overlay_block(0, 255, 0)[b"SoFi"])))
    content = _content()
    assert (out[content] == (0, 255, 0)).all() and (out[~content] == 255).all()
    assert "its colour overlay drawn as layers over its content" in doc.warnings[0]


def test_an_overlay_blends_in_its_own_mode_over_an_isolated_group_too():
    colour = C.color_overlay_block(128, 128, 128)[b"SoFi"]
    colour[b"Md  "] = C.Enumerated(typeID=b"BlnM", enum=b"Mltp")
    _, out = _render(_file((b"SoFi", colour), mode=PsdBlend.NORMAL))
    assert np.abs(_in(out, A) - (128, 0, 0)).max() <= 1 and np.abs(_in(out, B) - (0, 0, 128)).max() <= 1


def test_a_gradient_overlay_lies_over_the_whole_contents_bounds():
    block = C.gradient_block([(0, (0, 0, 0), 50), (4096, (255, 255, 255), 50)], opacities=C.OPAQUE, angle=0.0)
    d = C.Descriptor(classID=b"GrFl")
    d[b"enab"], d[b"present"] = C.Bool(True), C.Bool(True)
    d[b"Md  "] = C.Enumerated(typeID=b"BlnM", enum=b"Nrml")
    d[b"Opct"] = C.UnitFloat(unit=C.Unit.Percent, value=100.0)
    for key, value in block.items():
        d[key] = value
    _, out = _render(_file((b"GrFl", d)))
    # the content spans x 6..40 (34 px): centre 23.5 snapped, half ramp 17, pixel centres
    xs = np.arange(W) + 0.5
    expected = 255 * np.clip(0.5 + (xs - 23.5) / 34, 0, 1)
    row = out[16, :, 0]
    content = _content()[16]
    assert np.abs(row[content] - expected[content]).max() <= 1.5


def test_an_inner_shadow_darkens_each_childs_edge_facing_the_light():
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=3, size=0, key=b"IrSh")))
    for box, colour in ((A, (255, 0, 0)), (B, (0, 0, 255))):
        x0, y0, x1, y1 = box
        assert (out[y0:y0 + 3, x0:x1] == 0).all()  # the top three rows, from the light above
        assert (out[y0 + 3:y1, x0:x1] == colour).all()


def test_a_stroke_bands_the_content_outside_and_inside():
    _, out = _render(_file(C.stroke_desc((0, 255, 0), size=2.0, position=b"OutF")))
    x0, y0, x1, y1 = A
    assert (out[y0 - 2:y0, x0:x1] == (0, 255, 0)).all() and (out[y0 - 3, x0:x1] == 255).all()
    assert (_in(out, A) == (255, 0, 0)).all()
    _, inner = _render(_file(C.stroke_desc((0, 255, 0), size=2.0, position=b"InsF")))
    assert (inner[y0:y0 + 2, x0:x1] == (0, 255, 0)).all() and (_in(inner, A, 2) == (255, 0, 0)).all()
    assert (inner[y0 - 1, x0:x1] == 255).all()


def test_a_gradient_stroke_lies_over_the_whole_contents_bounds():
    key, d = C.stroke_desc(size=2.0, position=b"OutF")
    d[b"PntT"] = C.Enumerated(typeID=b"FrFl", enum=b"GrFl")
    for k, v in C.gradient_block([(0, (0, 0, 0), 50), (4096, (255, 255, 255), 50)], opacities=C.OPAQUE,
                                 angle=0.0).items():
        d[k] = v
    _, out = _render(_file((key, d)))
    # as the overlay: the content spans x 6..40, centre 23.5, half ramp 17, pixel centres
    xs = np.arange(W) + 0.5
    expected = 255 * np.clip(0.5 + (xs - 23.5) / 34, 0, 1)
    row = out[A[1] - 1, :, 0]  # the band's row above both children
    over = np.zeros(W, bool)
    over[A[0]:A[2]] = over[B[0]:B[2]] = True
    assert np.abs(row[over] - expected[over]).max() <= 1.5


def test_the_stroke_lies_over_an_inner_shadow():
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=4, size=0, key=b"IrSh"),
                           C.stroke_desc((0, 255, 0), size=2.0, position=b"InsF")))
    x0, y0, x1, y1 = B
    assert (out[y0:y0 + 2, x0:x1] == (0, 255, 0)).all()
    assert (out[y0 + 2:y0 + 4, x0 + 2:x1 - 2] == 0).all()


def test_a_stroke_does_not_band_the_canvas_edge_the_content_runs_past():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)), name="bg")
        group = psd.create_group(name="g")
        group.create_pixel_layer(Image.new("RGBA", (30, H + 10), (255, 0, 0, 255)), name="edge", top=-5, left=-10)
        C._set(group, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO,
               C.effects_block(C.stroke_desc((0, 255, 0), size=2.0, position=b"InsF")))
        buf = io.BytesIO()
        psd.save(buf)
    _, out = _render(buf.getvalue())
    assert (out[:, 18:20] == (0, 255, 0)).all()  # the band along the content's own edge
    assert (out[4:-4, :18] == (255, 0, 0)).all()  # none along the canvas's left, top or bottom
    assert (out[:2, 4:18] == (255, 0, 0)).all() and (out[-2:, 4:18] == (255, 0, 0)).all()
    # content that ends at the canvas's edge has its edge there, and is banded along it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        group = psd.create_group(name="g")
        group.create_pixel_layer(Image.new("RGBA", (W, H), (255, 0, 0, 255)), name="all", top=0, left=0)
        C._set(group, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO,
               C.effects_block(C.stroke_desc((0, 255, 0), size=2.0, position=b"InsF")))
        buf = io.BytesIO()
        psd.save(buf)
    _, out = _render(buf.getvalue())
    assert (out[:2] == (0, 255, 0)).all() and (out[:, :2] == (0, 255, 0)).all() and (out[-2:] == (0, 255, 0)).all()
    assert (out[2:-2, 2:-2] == (255, 0, 0)).all()
