"""Bevel and Emboss, which psd-tools does not draw, drawn by Veil (editor/io/psd_bevel.py). Files are
written by psd-tools with the 'ebbl' descriptor Photoshop writes (tests/io/psd_cases.py); what is
checked is the geometry: the side facing the light is highlighted and the other shaded, the
inner bevel stays inside the layer and the outer one outside it, the band is as wide as Size,
Up and Down swap, Depth 0 draws nothing."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import Tag

from editor.core import BlendMode, Layer
from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.render import flatten_rgba

from . import psd_cases as C

W, H = 60, 50
X0, Y0, X1, Y1 = 15, 12, 45, 38  # the grey square, on the same grey: any change is the bevel's
GREY = 128


def _file(*effects, fill: int = 255, opacity: int = 255) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (GREY, GREY, GREY, 255)), name="bg")
        sq = psd.create_pixel_layer(Image.new("RGBA", (X1 - X0, Y1 - Y0), (GREY, GREY, GREY, 255)), name="sq",
                                    top=Y0, left=X0)
        sq.fill_opacity = fill
        sq.opacity = opacity
        if effects:
            C._set(sq, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(*effects))
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()


def _render(data: bytes):
    doc = read_psd(data, "bevel.psd", DEFAULT_LIMITS)
    return doc, flatten_rgba(doc)[..., :3].astype(int)


def _light(**kwargs) -> np.ndarray:
    """How much the bevel brightens (> 0) or darkens (< 0) each pixel of the grey square's file."""
    _, out = _render(_file(C.bevel_desc(**kwargs)))
    return out.mean(axis=2) - GREY


INSIDE = np.zeros((H, W), bool)
INSIDE[Y0:Y1, X0:X1] = True
MID_X, MID_Y = (X0 + X1) // 2, (Y0 + Y1) // 2


def test_an_inner_bevel_lights_the_edge_facing_the_light_and_shades_the_far_one():
    light = _light(angle=90, size=4)  # light from straight above
    top, bottom = light[Y0:Y0 + 4, X0 + 6:X1 - 6], light[Y1 - 4:Y1, X0 + 6:X1 - 6]
    assert top.min() > 5 and bottom.max() < -5
    assert (np.diff(top, axis=0) < 0).all()  # brightest at the edge, where the smooth slope is steepest
    assert (light[~INSIDE] == 0).all()  # nothing outside the layer
    assert (light[Y0 + 5:Y1 - 5, X0 + 5:X1 - 5] == 0).all()  # the flat top is left alone
    assert np.abs(light - light[:, ::-1]).max() <= 1  # symmetric about the light's plane


@pytest.mark.parametrize("angle, lit, shaded", [
    (0, (slice(Y0 + 6, Y1 - 6), slice(X1 - 3, X1)), (slice(Y0 + 6, Y1 - 6), slice(X0, X0 + 3))),
    (180, (slice(Y0 + 6, Y1 - 6), slice(X0, X0 + 3)), (slice(Y0 + 6, Y1 - 6), slice(X1 - 3, X1))),
    (-90, (slice(Y1 - 3, Y1), slice(X0 + 6, X1 - 6)), (slice(Y0, Y0 + 3), slice(X0 + 6, X1 - 6))),
])
def test_the_angle_sets_which_side_is_lit(angle, lit, shaded):
    light = _light(angle=angle, size=3)
    assert light[lit].min() > 10 and light[shaded].max() < -10


def test_direction_down_swaps_highlight_and_shadow():
    up, down = _light(angle=90, size=4), _light(angle=90, size=4, up=False)
    assert down[Y0:Y0 + 4, X0 + 6:X1 - 6].max() < -5 and down[Y1 - 4:Y1, X0 + 6:X1 - 6].min() > 5
    bands = np.r_[Y0:Y0 + 4, Y1 - 4:Y1]
    assert (np.sign(up[bands, X0 + 6:X1 - 6]) == -np.sign(down[bands, X0 + 6:X1 - 6])).all()
    assert ((up == 0) == (down == 0)).all()  # the same band either way


def test_the_band_is_as_wide_as_size():
    for size in (2, 5, 8):
        light = _light(angle=90, size=size)
        column = light[:, MID_X]
        changed = np.nonzero(column)[0]
        assert changed.min() == Y0 and changed.max() == Y1 - 1
        assert (column[Y0:Y0 + size] > 0).all() and (column[Y0 + size:Y1 - size] == 0).all()
        assert (column[Y1 - size:Y1] < 0).all()


def test_depth_zero_draws_nothing_and_more_depth_draws_more():
    _, plain = _render(_file())
    _, flat = _render(_file(C.bevel_desc(depth=0, size=5)))
    assert (flat == plain).all()
    shallow, deep = _light(angle=90, size=5, depth=50), _light(angle=90, size=5, depth=300)
    assert deep[Y0 + 1, MID_X] > shallow[Y0 + 1, MID_X] > 0 and deep[Y1 - 2, MID_X] < shallow[Y1 - 2, MID_X] < 0


def test_a_linear_contour_steepens_the_slope_by_100_over_its_range():
    plain = _light(angle=90, size=5, depth=50)
    assert (_light(angle=90, size=5, depth=50, contour_range=100) == plain).all()  # Range 100: no change
    steep, deep = _light(angle=90, size=5, depth=50, contour_range=50), _light(angle=90, size=5, depth=100)
    assert np.abs(steep - deep).max() <= 1  # Range 50 doubles the slope, as Depth 2x does


def test_highlight_and_shadow_take_their_colour_mode_and_opacity():
    _, out = _render(_file(C.bevel_desc(angle=90, size=4, depth=500, highlight=(255, 0, 0), highlight_mode=b"Nrml",
                                        highlight_opacity=100, shadow=(0, 0, 255), shadow_mode=b"Nrml",
                                        shadow_opacity=100)))
    top, bottom = out[Y0, MID_X], out[Y1 - 1, MID_X]
    assert top[0] > 200 and top[1] < 60 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60 and bottom[1] < 60
    none = _light(angle=90, size=4, highlight_opacity=0, shadow_opacity=0)
    assert (none == 0).all()
    half = _light(angle=90, size=4, highlight_opacity=30)
    full = _light(angle=90, size=4, highlight_opacity=90)
    assert full[Y0, MID_X] > half[Y0, MID_X] > 0


def test_fill_zero_keeps_the_bevel_and_opacity_fades_it():
    light = _render(_file(C.bevel_desc(angle=90, size=4), fill=0))[1].mean(axis=2) - GREY
    assert light[Y0, MID_X] > 10 and light[Y1 - 1, MID_X] < -10  # interior effects are not faded by Fill
    faded = _render(_file(C.bevel_desc(angle=90, size=4), opacity=128))[1].mean(axis=2) - GREY
    full = _light(angle=90, size=4)
    assert abs(faded[Y0, MID_X] - full[Y0, MID_X] * 128 / 255) <= 1.5


@pytest.mark.parametrize("effect", [C.bevel_desc(angle=90, size=4),
                                    C.drop_shadow_desc(opacity=100, angle=90, distance=3, size=2, key=b"IrSh")])
def test_interior_effects_keep_the_layers_alpha_on_its_anti_aliased_edge(effect):
    """Photoshop folds interior effects into the layer's colour: an opaque layer's soft edge stays
    as soft as it is, where a plain source-over of the effect would thicken it."""
    px = np.full((Y1 - Y0, X1 - X0, 4), GREY, np.uint8)
    px[..., 3] = 255
    px[0, :, 3] = px[-1, :, 3] = px[:, 0, 3] = px[:, -1, 3] = 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        sq = psd.create_pixel_layer(Image.fromarray(px, "RGBA"), name="sq", top=Y0, left=X0)
        C._set(sq, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(effect))
        buf = io.BytesIO()
        psd.save(buf)
    doc = read_psd(buf.getvalue(), "soft.psd", DEFAULT_LIMITS)
    layer = doc.root.children[-1]
    alpha = np.zeros((H, W), int)
    x, y = layer.offset
    h, w = layer.pixels.shape[:2]
    alpha[y:y + h, x:x + w] = layer.pixels[..., 3]
    expected = np.zeros((H, W), int)
    expected[Y0:Y1, X0:X1] = px[..., 3]
    assert np.abs(alpha - expected).max() <= 1
    colour = layer.pixels[..., :3].astype(int)
    assert colour[Y0 - y, MID_X - x].mean() != GREY  # the effect is there, on the soft edge too


def test_an_outer_bevel_lies_outside_the_layer_as_layers_below_it():
    doc, out = _render(_file(C.bevel_desc(style=b"OtrB", angle=90, size=4)))
    assert [n.name for n in doc.root.children] == ["bg", "sq (bevel shadow)", "sq (bevel highlight)", "sq"]
    shadow, highlight = doc.root.children[1], doc.root.children[2]
    assert shadow.blend_mode is BlendMode.MULTIPLY and highlight.blend_mode is BlendMode.SCREEN
    assert shadow.opacity == pytest.approx(0.75) and highlight.opacity == pytest.approx(0.75)
    light = out.mean(axis=2) - GREY
    assert (light[INSIDE] == 0).all()  # the layer covers what lies under it
    assert light[Y0 - 4:Y0, X0 + 6:X1 - 6].min() > 5 and light[Y1:Y1 + 4, X0 + 6:X1 - 6].max() < -5
    ys, xs = np.nonzero(light)
    assert ys.min() >= Y0 - 4 and ys.max() < Y1 + 4 and xs.min() >= X0 - 4 and xs.max() < X1 + 4


def test_emboss_shades_both_sides_and_pillow_emboss_turns_the_inside_over():
    emboss = _light(style=b"Embs", angle=90, size=6)
    assert emboss[Y0 - 2:Y0, MID_X].min() > 0 and emboss[Y0:Y0 + 2, MID_X].min() > 0  # one slope over the edge
    assert emboss[Y1 - 2:Y1, MID_X].max() < 0 and emboss[Y1:Y1 + 2, MID_X].max() < 0
    assert (emboss[Y0 + 4:Y1 - 4, X0 + 4:X1 - 4] == 0).all()  # half the size each side
    pillow = _light(style=b"PlEb", angle=90, size=6)
    assert pillow[Y0 - 2:Y0, MID_X].min() > 0 and pillow[Y0:Y0 + 2, MID_X].max() < 0  # sunk into its outline
    assert pillow[Y1:Y1 + 2, MID_X].max() < 0 and pillow[Y1 - 2:Y1, MID_X].min() > 0


def test_chisel_hard_is_a_straight_slope_and_is_named_as_approximate():
    doc, out = _render(_file(C.bevel_desc(technique=b"PrBL", angle=90, size=6)))
    light = out.mean(axis=2) - GREY
    band = light[Y0:Y0 + 4, MID_X]
    assert band.min() > 5 and band.max() - band.min() <= 2  # one slope: one light (short of its ridge)
    smooth = _light(angle=90, size=6)[Y0:Y0 + 5, MID_X]
    assert smooth.max() - smooth.min() > 5  # a smooth bevel's slope is steepest at the edge
    assert "'sq': bevel and emboss: its chisel hard technique approximated" in doc.warnings


def test_the_global_light_sets_the_angle():
    # psd-tools reads the global angle as 30 degrees when the file has none: lit from the right, a little above
    light = _light(angle=180, global_light=True, size=3)
    assert light[MID_Y, X1 - 2] > 10 and light[MID_Y, X0 + 1] < -10


def test_the_global_light_sets_the_altitude_too():
    """With `uglg` the altitude is the document's global altitude (image resource 1049)."""
    from psd_tools.constants import Resource
    from psd_tools.psd.image_resources import ImageResource, Integer

    def rendered(desc, altitude=None):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            psd = PSDImage.open(io.BytesIO(_file(desc)))
            if altitude is not None:
                psd.image_resources[Resource.GLOBAL_ALTITUDE] = ImageResource(key=Resource.GLOBAL_ALTITUDE,
                                                                              data=Integer(altitude))
            buf = io.BytesIO()
            psd.save(buf)
        return _render(buf.getvalue())[1]

    steep = rendered(C.bevel_desc(global_light=True, angle=90, altitude=10, size=4), altitude=70)
    local = rendered(C.bevel_desc(angle=30, altitude=70, size=4))
    low = rendered(C.bevel_desc(angle=30, altitude=30, size=4))
    assert (steep == local).all() and (steep != low).any()


CONE = [(0, 0), (128, 255), (255, 0)]  # Photoshop's "Cone" gloss contour


def test_a_gloss_contour_remaps_the_light_and_washes_the_flat_top():
    """Cone maps the flat face's light sin 30° = 0.5 to 1: the flat top turns full highlight, and
    the lit edge (light above 0.5) is turned back down."""
    doc, out = _render(_file(C.bevel_desc(angle=90, size=4, gloss=CONE)))
    light = out.mean(axis=2) - GREY
    plain = _light(angle=90, size=4)
    flat = light[Y0 + 6:Y1 - 6, X0 + 6:X1 - 6]
    assert flat.min() > 50 and flat.max() - flat.min() <= 1  # 75 % white Screen over the whole top
    assert (plain[Y0 + 6:Y1 - 6, X0 + 6:X1 - 6] == 0).all()
    assert light[Y0, MID_X] < flat[0, 0]  # the brightest slope is past the cone's peak
    assert (light[~INSIDE] == 0).all()
    assert doc.warnings == ["'sq': layer with layer effects: rasterised with its bevel and emboss"]


def test_a_gloss_contour_leaves_the_flat_ground_around_an_outer_bevel_clean():
    light = _light(style=b"OtrB", angle=90, size=4, gloss=CONE)
    assert (light[:Y0 - 5] == 0).all() and (light[Y1 + 5:] == 0).all() and (light[:, :X0 - 5] == 0).all()
    assert np.abs(light[Y0 - 4:Y0, X0 + 6:X1 - 6]).max() > 5  # the slope is shaded


@pytest.mark.parametrize("points", [[(0, 0), (float("nan"), 3), (255, 255)], [(0, 0), (90, 10), (90, 200), (255, 0)],
                                    [(5, 5)]])
def test_an_unreadable_gloss_contour_is_drawn_as_linear_and_said_so(points):
    doc, out = _render(_file(C.bevel_desc(angle=90, size=4, gloss=points)))
    assert (out.mean(axis=2) - GREY == _light(angle=90, size=4)).all()
    assert "'sq': bevel and emboss: its gloss contour could not be read, drawn as Linear" in doc.warnings


def test_a_stroke_emboss_without_a_stroke_is_left_out_and_said_so():
    _, plain = _render(_file())
    doc, out = _render(_file(C.bevel_desc(style=b"strokeEmboss")))
    assert (out == plain).all()
    assert "'sq': its bevel and emboss is a Stroke Emboss without a stroke and is not shown" in doc.warnings


def test_a_stroke_emboss_bevels_the_layer_with_its_stroke():
    stroke = C.stroke_desc((GREY, GREY, GREY), size=3)
    _, stroked = _render(_file(stroke))
    doc, out = _render(_file(stroke, C.bevel_desc(style=b"strokeEmboss", angle=90, size=3)))
    light = out.mean(axis=2) - stroked.mean(axis=2)
    assert light[Y0 - 3, MID_X] > 5 and light[Y1 + 2, MID_X] < -5  # the stroke's outer edge is bevelled
    assert (light[Y0 + 4:Y1 - 4, X0 + 4:X1 - 4] == 0).all()
    assert ("'sq': bevel and emboss: its stroke emboss approximated as an inner bevel of the layer with its stroke"
            in doc.warnings)


def test_a_groups_bevel_is_drawn_from_its_whole_content_over_it_and_below_it():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (GREY, GREY, GREY, 255)), name="bg")
        group = psd.create_group(name="g")
        group.create_pixel_layer(Image.new("RGBA", (X1 - X0, MID_Y - Y0), (GREY, GREY, GREY, 255)), name="top",
                                 top=Y0, left=X0)
        group.create_pixel_layer(Image.new("RGBA", (X1 - X0, Y1 - MID_Y), (GREY, GREY, GREY, 255)), name="bottom",
                                 top=MID_Y, left=X0)
        C._set(group, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(C.bevel_desc(style=b"Embs", angle=90,
                                                                                        size=6)))
        buf = io.BytesIO()
        psd.save(buf)
    doc, out = _render(buf.getvalue())
    assert [n.name for n in doc.root.children] == ["bg", "g (bevel shadow)", "g (bevel highlight)", "g"]
    assert [n.name for n in doc.root.children[-1].children] == ["top", "bottom", "g (bevel shadow)",
                                                               "g (bevel highlight)"]
    light = out.mean(axis=2) - GREY
    assert light[Y0 - 1, MID_X] > 0 and light[Y0, MID_X] > 0 and light[Y1 - 1, MID_X] < 0 and light[Y1, MID_X] < 0
    assert (light[MID_Y - 2:MID_Y + 2, X0 + 4:X1 - 4] == 0).all()  # no seam where its two children meet
    assert doc.warnings == ["'g': group with layer effects: its bevel and emboss drawn as layers over its content "
                            "and below it"]


@pytest.mark.parametrize("value", [1e4, 1e30, float("nan"), -5.0])
def test_hostile_values_are_clamped_with_a_warning(value):
    data = _file(C.bevel_desc(size=value, depth=value, soften=value, angle=value, altitude=value,
                              highlight_opacity=value, shadow_opacity=value))
    doc, out = _render(data)
    assert all(isinstance(n, Layer) for n in doc.root.children)
    notes = [w for w in doc.warnings if "bevel and emboss:" in w]
    assert len(notes) == 1 and "size" in notes[0] and ("clamped" in notes[0] or "not a number" in notes[0])
    assert out.min() >= 0 and out.max() <= 255


def test_a_huge_bevel_on_a_large_layer_is_clamped_to_photoshops_largest():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (1200, 900))
        sq = psd.create_pixel_layer(Image.new("RGBA", (1000, 700), (GREY, GREY, GREY, 255)), name="sq", top=100,
                                    left=100)
        C._set(sq, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(C.bevel_desc(style=b"Embs", size=1e6)))
        buf = io.BytesIO()
        psd.save(buf)
    doc = read_psd(buf.getvalue(), "big.psd", DEFAULT_LIMITS)  # a 250 px tent: two box blurs, not 500 taps
    assert any("size 1e+06 px clamped to 250 px" in w for w in doc.warnings)
