"""Drop shadows and outer glows, which psd-tools does not draw, drawn by Veil as layers below
the layer that casts them (editor/io/psd_effects.py). Files are written by psd-tools with the
'lfx2' descriptors Photoshop writes (tests/io/psd_cases.py); the expected renders are worked
by hand on a white or known background, or are properties of the geometry (the tent blur
keeps the matte's mass, reaches Size - 1 pixels, is symmetric); the blur's profile and a glow's
Range are SethRobinson/Patchy docs/layer-effects-render.md's ("Shadows and glows")."""

from __future__ import annotations

import io
import time
import warnings

import cv2
import numpy as np
import pytest
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import Tag

from editor.core import BlendMode, Layer
from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.io.psd_effects import matte
from editor.render import flatten_rgba

from . import psd_cases as C

W, H = 48, 36
SQUARE = (10, 8, 20, 18)  # x0, y0, x1, y1 of the opaque red square


def _file(*effects, fill: int = 255, opacity: int = 255, background=(255, 255, 255, 255), clipped_over=False,
          clip_above=False) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        if isinstance(background, np.ndarray):
            psd.create_pixel_layer(Image.fromarray(background, "RGBA"), name="bg")
        else:
            psd.create_pixel_layer(Image.new("RGBA", (W, H), background), name="bg")
        if clipped_over:  # a base the square is clipped to: the canvas's left half
            psd.create_pixel_layer(Image.new("RGBA", (W // 2, H), (0, 0, 255, 255)), name="base")
        x0, y0, x1, y1 = SQUARE
        sq = psd.create_pixel_layer(Image.new("RGBA", (x1 - x0, y1 - y0), (255, 0, 0, 255)), name="sq",
                                    top=y0, left=x0)
        sq.fill_opacity = fill
        sq.opacity = opacity
        sq.clipping = clipped_over
        C._set(sq, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(*effects))
        if clip_above:
            top = psd.create_pixel_layer(Image.new("RGBA", (W, H), (0, 255, 0, 255)), name="clipped")
            top.clipping = True
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()


def _render(data: bytes):
    doc = read_psd(data, "fx.psd", DEFAULT_LIMITS)
    return doc, flatten_rgba(doc)[..., :3].astype(int)


def test_a_hard_drop_shadow_falls_away_from_the_light_at_its_opacity():
    # angle 90: light from straight above, so the shadow moves 5 px down
    doc, out = _render(_file(C.drop_shadow_desc(opacity=50, angle=90, distance=5, size=0)))
    names = [n.name for n in doc.root.children]
    assert names == ["bg", "sq (drop shadow)", "sq"]
    assert (out[8:18, 10:20] == (255, 0, 0)).all()  # the layer itself
    assert np.abs(out[18:23, 10:20] - 127.5).max() <= 1  # 50 % black below it, 5 rows
    assert (out[23:, :] == 255).all() and (out[:8] == 255).all() and (out[:, 20:] == 255).all()
    assert (out[:, :10] == 255).all()


@pytest.mark.parametrize("angle, shift", [(0, (-4, 0)), (180, (4, 0)), (270, (0, -4))])
def test_the_angle_sets_the_direction(angle, shift):
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=angle, distance=4, size=0)))
    dx, dy = shift
    x0, y0, x1, y1 = SQUARE
    dark = (out.sum(axis=2) == 0)
    expected = np.zeros((H, W), bool)
    expected[y0 + dy:y1 + dy, x0 + dx:x1 + dx] = True
    expected[y0:y1, x0:x1] = False  # under the layer: its own red
    assert (dark == expected).all()


def test_global_light_uses_the_documents_angle():
    """`uglg` takes the angle from image resource 1037 (psd-tools reads 30 degrees when absent)."""
    data = _file(C.drop_shadow_desc(opacity=100, angle=90, distance=6, size=0, global_light=True))
    _, out = _render(data)
    dx, dy = round(-6 * np.cos(np.radians(30))), round(6 * np.sin(np.radians(30)))
    assert (dx, dy) == (-5, 3)
    x0, y0, x1, y1 = SQUARE
    assert (out[y1 + dy - 1, x0 + dx] == 0).all() and (out[y1 + dy, x0 + dx] == 255).all()


def test_fill_zero_still_casts_the_whole_shadow_knocked_out_under_the_layer():
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=5, size=0), fill=0))
    assert (out[8:18, 10:20] == 255).all()  # Fill 0 hides the paint; the layer knocks its shadow out
    assert (out[18:23, 10:20] == 0).all()


def test_without_layer_knocks_out_the_shadow_shows_through_a_fill_zero_layer():
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=5, size=0, knocks_out=False), fill=0))
    assert (out[13:23, 10:20] == 0).all() and (out[8:13, 10:20] == 255).all()


def test_layer_opacity_fades_the_shadow_too():
    # layer 50 %: red at half over white, and the 100 % black shadow at half
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=5, size=0), opacity=128))
    assert np.abs(out[18:23, 10:20] - 255 * (1 - 128 / 255)).max() <= 1
    assert np.abs(out[9, 12] - (255, 127, 127)).max() <= 1


def test_a_blurred_shadow_keeps_its_mass_reaches_its_size_and_is_symmetric():
    size = 6
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=0, size=size, knocks_out=False),
                           fill=0))
    darkness = (255 - out[..., 0]) / 255.0
    x0, y0, x1, y1 = SQUARE
    assert darkness.sum() == pytest.approx((x1 - x0) * (y1 - y0), rel=0.02)  # a blur keeps the matte's mass
    # the tent (N - |k|) / N² with N = Size reaches N - 1 pixels past the shape
    assert darkness[(y0 + y1) // 2, x0 - size + 1] > 0 and darkness[(y0 + y1) // 2, x0 - size] == 0
    assert darkness[y1 + size - 2, (x0 + x1) // 2] > 0 and darkness[y1 + size - 1, (x0 + x1) // 2] == 0
    assert np.abs(darkness[:, x0 - size:x1 + size] - darkness[:, x0 - size:x1 + size][:, ::-1]).max() <= 1 / 255
    row = darkness[(y0 + y1) // 2, x0 - size - 1:x0 + 5]
    assert (np.diff(row) >= 0).all()  # it darkens towards the shape


def _tent_profile(n: int, inside: int, at: np.ndarray) -> np.ndarray:
    """The tent (n - |k|) / n² summed over a run of `inside` ones starting at 0, at positions `at`."""
    k = np.arange(-n + 1, n)
    weights = (n - np.abs(k)) / n ** 2
    return np.array([weights[(p - k >= 0) & (p - k < inside)].sum() for p in at])


def _tent_square(n: int) -> np.ndarray:
    """The square's coverage over the canvas blurred by the separable tent of `n` taps."""
    x0, y0, x1, y1 = SQUARE
    return np.outer(_tent_profile(n, y1 - y0, np.arange(H) - y0), _tent_profile(n, x1 - x0, np.arange(W) - x0))


def test_a_drop_shadow_is_blurred_by_photoshops_tent_not_three_boxes():
    # Size 6 at spread 0: the tent of N = 6 taps (Patchy's Photoshop 2026 captures), so the ramp
    # outside the edge is (6 - j)(7 - j) / 72 along the middle row, times the vertical tent there
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=0, size=6, knocks_out=False),
                           fill=0))
    expected = 255 - np.floor(_tent_square(6) * 255 + 0.5)
    assert np.abs(out[..., 1] - expected).max() <= 1


def test_a_glows_range_is_a_gain_on_its_blur():
    # Range 50 (the dialog's default): twice the blurred matte, at most 1; Range 100: the blur itself
    glow = C.outer_glow_desc((0, 0, 0), mode=b"Nrml", opacity=100, size=4)
    _, out = _render(_file(glow, fill=0))
    expected = 255 - np.floor(np.minimum(2 * _tent_square(4), 1) * 255 + 0.5)
    assert np.abs(out[..., 1] - expected).max() <= 1
    glow[1][b"Inpr"] = C.UnitFloat(unit=C.Unit.Percent, value=100.0)
    _, out = _render(_file(glow, fill=0))
    assert np.abs(out[..., 1] - (255 - np.floor(_tent_square(4) * 255 + 0.5))).max() <= 1
    del glow[1][b"Inpr"]  # a descriptor without a Range renders at 100
    _, out = _render(_file(glow, fill=0))
    assert np.abs(out[..., 1] - (255 - np.floor(_tent_square(4) * 255 + 0.5))).max() <= 1


def test_spread_grows_the_matte_solid_before_the_rest_of_size_blurs_it():
    m, pad = matte(np.pad(np.ones((10, 10), np.float32), 1), size=8, spread=0.5)
    inner = m[pad + 1:pad + 11, pad + 1:pad + 11]
    # grown 4 px solid, then the tent of the other 4: the shape stays solid (its corners a little less: the growth is round)
    assert inner[:, 4:6].min() == pytest.approx(1.0) and inner[4:6, :].min() == pytest.approx(1.0)
    assert inner.min() > 0.95
    centre = pad + 6
    assert m[centre, pad + 1 - 7] > 0 and m[centre, pad + 1 - 8] == 0  # grown 4 solid, then the tent of N = 4 reaches 3 more
    soft, _ = matte(np.pad(np.ones((10, 10), np.float32), 1), size=8, spread=0.0)
    assert soft[pad + 1, pad + 1] < 0.5  # without spread the corner is soft


def test_spread_grows_faint_antialiased_parts_at_their_own_alpha():
    # a grayscale dilation (Patchy: alpha x disc up to radius 8): a hairline of alpha 0.4 grows
    # into a band of 0.4, 4 px each side, where binarising the matte at 1/2 dropped it
    a = np.zeros((20, 21), np.float32)
    a[5:15, 10] = 0.4
    m, pad = matte(a, size=4, spread=1.0)
    row = m[pad + 10, pad:pad + 21]
    assert np.allclose(row[6:15], 0.4) and np.allclose(row[:5], 0) and np.allclose(row[16:], 0)
    hard = np.zeros((20, 21), np.float32)
    hard[5:15, 8:13] = 1.0
    grown, pad = matte(hard, size=4, spread=1.0)
    padded = np.pad(hard, pad)
    far = cv2.distanceTransform((padded < 0.5).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    expected = np.maximum(padded, np.clip(5 - far, 0, 1))
    assert np.abs(grown - expected).max() < 0.02  # a hard matte grows as before: solid 4 px, then the ramp


def test_a_multiply_shadow_and_a_screen_glow_blend_with_what_is_below():
    rng = np.random.default_rng(3)
    bg = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
    bg[..., 3] = 255
    colour = (60, 120, 200)
    doc, out = _render(_file(C.drop_shadow_desc(colour, mode=b"Mltp", opacity=100, angle=90, distance=6, size=0),
                             background=bg))
    band = bg[18:24, 10:20, :3].astype(float)
    expected = band * np.array(colour) / 255
    assert np.abs(out[18:24, 10:20] - expected).max() <= 1.5
    assert doc.root.children[1].blend_mode is BlendMode.MULTIPLY

    glow = (250, 240, 120)
    doc, out = _render(_file(C.outer_glow_desc(glow, opacity=100, size=2, spread=0), background=bg))
    assert doc.root.children[1].name == "sq (outer glow)" and doc.root.children[1].blend_mode is BlendMode.SCREEN
    # one row above the square: the tent of N = 2 gives 1/4, Range 50 doubles it
    b, g = bg[7, 12:18, :3].astype(float) / 255, np.array(glow) / 255
    expected = 255 * (b + 0.5 * ((b + g - b * g) - b))
    assert np.abs(out[7, 12:18] - expected).max() <= 1.5
    assert (out[:6] == bg[:6, :, :3]).all()  # and it reaches no further


def test_an_outer_glow_of_size_0_draws_nothing_even_at_full_spread():
    # Patchy's Photoshop 2026 probes (docs/layer-effects-render.md, "Size 0"): a drop shadow of
    # size 0 is a hard band, an outer glow nothing, here under a half-transparent layer
    doc, _ = _render(_file(C.outer_glow_desc((0, 0, 0), mode=b"Nrml", opacity=100, size=0, spread=100), fill=128))
    assert [n.name for n in doc.root.children] == ["bg", "sq"]


def test_an_outer_glow_reaches_size_less_one_all_round():
    _, out = _render(_file(C.outer_glow_desc((0, 0, 0), mode=b"Nrml", opacity=100, size=4)))
    dark = out[..., 1] < 255
    x0, y0, x1, y1 = SQUARE
    ys, xs = np.nonzero(dark)
    assert (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) == (x0 - 3, y0 - 3, x1 + 3, y1 + 3)  # the tent's N - 1


def test_a_clipped_layers_shadow_is_clipped_with_it():
    doc, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=180, distance=8, size=0), clipped_over=True))
    shadow = doc.root.children[2]
    assert shadow.name == "sq (drop shadow)" and shadow.clipped
    assert (out[8:18, 24:28] == 255).all()  # the shadow moved right, past the base's edge: clipped away
    assert (out[8:18, 20:24] == 0).all()


def test_layers_clipped_to_a_layer_with_a_shadow_clip_to_its_content_only():
    doc, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=5, size=0), clip_above=True))
    assert [n.name for n in doc.root.children] == ["bg", "sq (drop shadow)", "sq", "clipped"]
    assert (out[8:18, 10:20] == (0, 255, 0)).all()
    assert (out[18:23, 10:20] == 0).all()  # the shadow is not a clip base: no green on it


def _gradient_overlay(opacity: float = 100.0) -> tuple[bytes, object]:
    """A Gradient Overlay ('GrFl'), blue to yellow across the layer, in normal mode."""
    block = C.gradient_block([(0, (0, 0, 255), 50), (4096, (255, 255, 0), 50)], opacities=C.OPAQUE, angle=0.0)
    d = C.Descriptor(classID=b"GrFl")
    d[b"enab"], d[b"present"] = C.Bool(True), C.Bool(True)
    for key, value in block.items():
        d[key] = value
    d[b"Md  "] = C.Enumerated(typeID=b"BlnM", enum=b"Nrml")
    d[b"Opct"] = C.UnitFloat(unit=C.Unit.Percent, value=opacity)
    return b"GrFl", d


def test_a_colour_overlay_paints_over_a_gradient_overlay():
    # Photoshop stacks pattern, gradient, then colour on top (Patchy's pairwise probes)
    colour = C.color_overlay_block(0, 255, 0)[b"SoFi"]
    _, out = _render(_file(_gradient_overlay(), (b"SoFi", colour)))
    x0, y0, x1, y1 = SQUARE
    assert (out[y0:y1, x0:x1] == (0, 255, 0)).all()
    colour[b"Opct"] = C.UnitFloat(unit=C.Unit.Percent, value=50.0)
    _, half = _render(_file(_gradient_overlay(), (b"SoFi", colour)))
    _, gradient = _render(_file(_gradient_overlay()))
    expected = 0.5 * gradient[y0:y1, x0:x1] + 0.5 * np.array([0, 255, 0])
    assert np.abs(half[y0:y1, x0:x1] - expected).max() <= 1
    assert np.ptp(gradient[y0:y1, x0:x1, 2]) > 100  # the gradient does run across the square


def test_the_warning_names_what_is_drawn_and_what_is_not():
    doc, _ = _render(_file(C.drop_shadow_desc(), C.bevel_desc(), (b"SoFi", C.color_overlay_block(0, 255, 0)[b"SoFi"])))
    assert doc.warnings == ["'sq': layer with layer effects: rasterised with its bevel and emboss, colour overlay; "
                            "its drop shadow drawn as a layer below it"]


@pytest.mark.parametrize("value", [1e30, float("nan"), -5.0])
def test_odd_sizes_and_distances_open_quickly(value):
    data = _file(C.drop_shadow_desc(size=value, distance=value, spread=value, opacity=value, angle=value))
    t = time.perf_counter()
    doc, _ = _render(data)
    assert time.perf_counter() - t < 5
    assert all(isinstance(n, Layer) for n in doc.root.children)


# --- inner shadow and inner glow, drawn into the layer's pixels ------------------------------

def test_an_inner_shadow_darkens_the_edge_facing_the_light():
    # angle 90: light from above, so the top edge's shadow falls 3 px into the shape
    doc, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=3, size=0, key=b"IrSh")))
    assert [n.name for n in doc.root.children] == ["bg", "sq"]
    assert (out[8:11, 10:20] == 0).all()
    assert (out[11:18, 10:20] == (255, 0, 0)).all()
    assert (out[:8] == 255).all() and (out[18:] == 255).all()  # nothing outside the shape


def test_an_inner_glow_from_the_edge_rings_the_shape_and_from_the_centre_fills_it():
    ring = C.outer_glow_desc((0, 0, 0), mode=b"Nrml", opacity=100, size=2, spread=100)
    ring[1].classID = b"IrGl"
    _, out = _render(_file((b"IrGl", ring[1])))
    inside = np.zeros((H, W), bool)
    inside[10:16, 12:18] = True
    square = np.zeros((H, W), bool)
    square[8:18, 10:20] = True
    assert (out[square & ~inside] == 0).all() and (out[inside] == (255, 0, 0)).all()
    assert (out[~square] == 255).all()

    ring[1][b"glwS"] = C.Enumerated(typeID=b"IGSr", enum=b"SrcC")
    _, out = _render(_file((b"IrGl", ring[1])))
    assert (out[inside] == 0).all() and (out[square & ~inside] == (255, 0, 0)).all()


def test_an_inner_glows_range_gains_its_edge_and_the_centre_is_the_complement():
    # Range 50: the edge is twice the tent-blurred outside (1 - the blurred square), at most 1
    glow = C.outer_glow_desc((0, 0, 0), mode=b"Nrml", opacity=100, size=4)
    glow[1].classID = b"IrGl"
    square = np.zeros((H, W), bool)
    square[8:18, 10:20] = True
    edge = np.minimum(2 * (1 - _tent_square(4)), 1)
    _, out = _render(_file((b"IrGl", glow[1])))
    assert np.abs(out[..., 0][square] - np.floor(255 * (1 - edge) + 0.5)[square]).max() <= 1
    glow[1][b"glwS"] = C.Enumerated(typeID=b"IGSr", enum=b"SrcC")
    _, out = _render(_file((b"IrGl", glow[1])))
    assert np.abs(out[..., 0][square] - np.floor(255 * edge + 0.5)[square]).max() <= 1


def test_fill_does_not_fade_an_inner_shadow():
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=3, size=0, key=b"IrSh"), fill=0))
    assert (out[8:11, 10:20] == 0).all() and (out[11:18, 10:20] == 255).all()


def test_an_inner_shadow_blends_with_the_layer_in_its_mode_and_opacity():
    colour = (40, 200, 120)
    _, out = _render(_file(C.drop_shadow_desc(colour, mode=b"Mltp", opacity=50, angle=90, distance=3, size=0,
                                              key=b"IrSh")))
    expected = np.array([255, 0, 0]) * (0.5 + 0.5 * np.array(colour) / 255)
    assert np.abs(out[8:11, 10:20] - expected).max() <= 1


def test_a_blurred_inner_shadow_fades_into_the_shape():
    _, out = _render(_file(C.drop_shadow_desc(opacity=100, angle=90, distance=2, size=4, key=b"IrSh")))
    column = out[8:18, 15, 0]
    # darkest at the top, fading in; the far edge gets only what the blur reaches past the distance
    assert (np.diff(column[:6]) > 0).all() and column[0] < 128 and column[6] == 255
    assert column[-1] > column[0] and column[-1] < 255
    assert (out[:8] == 255).all()


def test_satin_darkens_where_the_shape_and_its_shifted_copies_differ():
    """|A(p + v) - A(p - v)| with v = (2, 0) at angle 0: the 2 columns at each side of the square."""
    _, out = _render(_file(C.satin_desc(distance=2, angle=0)))
    assert (out[8:18, 10:12] == 0).all() and (out[8:18, 18:20] == 0).all()
    assert (out[8:18, 12:18] == (255, 0, 0)).all() and (out[:8] == 255).all()
    _, out = _render(_file(C.satin_desc(distance=2, angle=90, invert=True)))  # v = (0, -2), inverted
    assert (out[8:10, 10:20] == (255, 0, 0)).all() and (out[16:18, 10:20] == (255, 0, 0)).all()
    assert (out[10:16, 10:20] == 0).all()


def test_a_blurred_satin_is_symmetric_and_stays_inside():
    _, out = _render(_file(C.satin_desc(distance=3, angle=0, size=3, opacity=100)))
    darkness = 255 - out[8:18, 10:20, 0].astype(int)  # the red square darkened by the black satin
    assert (np.abs(darkness - darkness[:, ::-1]) <= 1).all() and darkness.max() > 100 and darkness.min() < 100
    assert (out[:8] == 255).all() and (out[:, :10] == 255).all()


def test_a_groups_drop_shadow_is_cast_by_its_whole_content():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)), name="bg")
        group = psd.create_group(name="g")
        group.create_pixel_layer(Image.new("RGBA", (6, 6), (255, 0, 0, 255)), name="a", top=4, left=4)
        group.create_pixel_layer(Image.new("RGBA", (6, 6), (0, 0, 255, 255)), name="b", top=4, left=20)
        C._set(group, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO,
               C.effects_block(C.drop_shadow_desc(opacity=100, angle=90, distance=6, size=0), C.bevel_desc(depth=0)))
        buf = io.BytesIO()
        psd.save(buf)
    doc, out = _render(buf.getvalue())
    assert [n.name for n in doc.root.children] == ["bg", "g (drop shadow)", "g"]
    assert doc.warnings == ["'g': group with layer effects: its drop shadow drawn as a layer below it; "
                            "its bevel and emboss drawn as layers over its content and below it"]
    assert (out[10:16, 4:10] == 0).all() and (out[10:16, 20:26] == 0).all()  # both children cast it
    assert (out[4:10, 4:10] == (255, 0, 0)).all() and (out[10:16, 10:20] == 255).all()


def _half_masked(effect, hides_effects: bool) -> np.ndarray:
    """A red 20 x 10 square at (10, 8) whose canvas-wide mask hides x >= 20, with `effect`."""
    from psd_tools.psd.base import ByteElement

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)), name="bg")
        sq = psd.create_pixel_layer(Image.new("RGBA", (20, 10), (255, 0, 0, 255)), name="sq", top=8, left=10)
        m = np.full((H, W), 255, np.uint8)
        m[:, 20:] = 0
        sq.create_mask(Image.fromarray(m, "L"), top=0, left=0)
        C._set(sq, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(effect))
        if hides_effects:
            C._set(sq, Tag.LAYER_MASK_AS_GLOBAL_MASK, ByteElement(1))
        buf = io.BytesIO()
        psd.save(buf)
    doc, out = _render(buf.getvalue())
    assert not any("Hides Effects" in w for w in doc.warnings)
    return out


def test_layer_mask_hides_effects_strokes_the_unmasked_shape_and_hides_the_output():
    # SethRobinson/Patchy docs/ps-compat.md (COM-probed): by default the mask reshapes the stroke's
    # contour (a band at x 20..22 on masked ground); with 'lmgm' the contour is the whole square and
    # the mask hides what lands on it
    stroke = C.stroke_desc((0, 0, 0), size=3)
    off, on = _half_masked(stroke, False), _half_masked(stroke, True)
    black, white, red = (0, 0, 0), (255, 255, 255), (255, 0, 0)
    assert (off[12, 7:10] == black).all() and (off[12, 20:23] == black).all() and (off[12, 30:33] == white).all()
    assert (on[12, 7:10] == black).all() and (on[12, 20:33] == white).all()
    assert (on[12, 10:20] == red).all() and (on[5:8, 10:20] == black).all() and (on[5:8, 20:33] == white).all()


def test_layer_mask_hides_a_drop_shadow_cast_by_the_unmasked_shape():
    # angle 180: the shadow falls 6 px to the right. By default it is the masked half's shadow,
    # showing at x 20..25; with 'lmgm' the whole square's, hidden there by the mask
    shadow = C.drop_shadow_desc(opacity=100, angle=180, distance=6, size=0)
    off, on = _half_masked(shadow, False), _half_masked(shadow, True)
    assert (off[12, 20:26] == 0).all() and (off[12, 26:] == 255).all()
    assert (on[12, 20:] == 255).all() and (on[12, 10:20] == (255, 0, 0)).all()
