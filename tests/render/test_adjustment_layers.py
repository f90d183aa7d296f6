"""Adjustment and filter layers in the compositor, against a direct numpy computation: mask,
opacity, blend mode, visibility, clipping, isolated and pass-through groups, caches, need and
change rects."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core import Adjustment, BlendIf, BlendMode, Document, Group, Layer, Mask, Rect, ops
from editor.render import Renderer, flatten_rgba, render, render_float
from editor.render import adjustments as A
from editor.render.backends import available
from editor.render.renderer import affected_rect

from . import docgen
from .reference import reference_render

W, H = 40, 30
CURVE = {"master": [[0, 0], [90, 170], [255, 255]], "red": [[0, 30], [255, 200]]}


def opaque(seed: int) -> np.ndarray:
    px = np.random.default_rng(seed).integers(0, 256, (H, W, 4), dtype=np.uint8)
    px[..., 3] = 255
    return px


def curved(rgb: np.ndarray) -> np.ndarray:
    out = np.empty((*rgb.shape[:2], 4), np.uint8)
    out[..., :3] = rgb
    out[..., 3] = 255
    A.apply("curves", CURVE, out)
    return out[..., :3].astype(np.float64)


def diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b).max())


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_masked_adjustment_with_opacity_mixes_by_mask(backend):
    px = opaque(0)
    mask = np.random.default_rng(1).integers(0, 256, (H, W), dtype=np.uint8)
    doc = Document(W, H)
    doc.root.insert(0, Layer("photo", px))
    doc.root.insert(1, Adjustment("Curves", "curves", CURVE, opacity=0.7, mask=Mask(mask)))
    out = flatten_rgba(doc, backend=backend)
    t = 0.7 * mask[..., None] / 255
    expected = px[..., :3] * (1 - t) + curved(px[..., :3]) * t
    assert diff(out[..., :3], expected) <= 1.01
    assert (out[..., 3] == 255).all()


def test_hidden_or_transparent_adjustment_changes_nothing_and_white_mask_equals_none():
    px = opaque(2)
    doc = Document(W, H)
    doc.root.insert(0, Layer("photo", px))
    adj = Adjustment("Invert", "invert")
    doc.root.insert(1, adj)
    plain = flatten_rgba(doc)
    assert diff(plain[..., :3], 255 - px[..., :3].astype(np.float64)) == 0
    adj.mask = Mask.filled(H, W)
    assert np.array_equal(flatten_rgba(doc), plain)
    adj.visible = False
    assert np.array_equal(flatten_rgba(doc), px)
    adj.visible, adj.opacity = True, 0.0
    assert np.array_equal(flatten_rgba(doc), px)


def test_adjustment_keeps_alpha_and_blend_mode_applies():
    px = opaque(3)
    px[..., 3] = np.arange(W, dtype=np.uint8)[None, :] * 6
    doc = Document(W, H)
    doc.root.insert(0, Layer("photo", px))
    doc.root.insert(1, Adjustment("Curves", "curves", CURVE, blend_mode=BlendMode.MULTIPLY))
    out = flatten_rgba(doc, backend="numba")
    assert np.abs(out[..., 3].astype(int) - px[..., 3]).max() <= 1
    shown = px[..., 3] > 40
    expected = px[..., :3] * curved(px[..., :3]) / 255
    assert diff(out[..., :3][shown], expected[shown]) <= 2.01


def test_clipped_adjustment_changes_only_its_base():
    bottom, top = opaque(4), opaque(5)
    top[:, : W // 2, 3] = 0  # the left half of the clip base is transparent
    doc = Document(W, H)
    doc.root.insert(0, Layer("bottom", bottom))
    doc.root.insert(1, Layer("top", top))
    doc.root.insert(2, Adjustment("Curves", "curves", CURVE, clipped=True))
    out = flatten_rgba(doc)
    assert np.array_equal(out[:, : W // 2], bottom[:, : W // 2])
    assert diff(out[:, W // 2:, :3], curved(top[:, W // 2:, :3])) <= 1.01


@pytest.mark.parametrize("isolated", [True, False])
def test_group_semantics(isolated):
    bottom, inner = opaque(6), opaque(7)
    inner[: H // 2, :, 3] = 0  # the group's layer covers only the lower half
    doc = Document(W, H)
    doc.root.insert(0, Layer("bottom", bottom))
    group = Group("g", [Layer("inner", inner), Adjustment("Invert", "invert")], isolated=isolated)
    doc.root.insert(1, group)
    out = flatten_rgba(doc)
    assert diff(out[H // 2:, :, :3], 255 - inner[H // 2:, :, :3].astype(np.float64)) <= 1
    top_half = out[: H // 2, :, :3]
    if isolated:  # it sees only what is below it in the group
        assert np.array_equal(top_half, bottom[: H // 2, :, :3])
    else:  # pass-through: everything below
        assert diff(top_half, 255 - bottom[: H // 2, :, :3].astype(np.float64)) <= 1


def test_pass_through_group_with_opacity_mixes_the_adjusted_backdrop():
    bottom = opaque(8)
    doc = Document(W, H)
    doc.root.insert(0, Layer("bottom", bottom))
    doc.root.insert(1, Group("g", [Adjustment("Invert", "invert")], isolated=False, opacity=0.25))
    out = flatten_rgba(doc)
    expected = bottom[..., :3] * 0.75 + (255 - bottom[..., :3].astype(np.float64)) * 0.25
    assert diff(out[..., :3], expected) <= 1.01


def test_renderer_caches_stay_correct_with_an_adjustment_above_the_active_layer():
    doc = Document(W, H)
    base = Layer("base", opaque(9))
    paint = Layer("paint", np.zeros((H, W, 4), np.uint8))
    doc.root.insert(0, base)
    doc.root.insert(1, paint)
    doc.root.insert(2, Adjustment("Hue", "hue_saturation", {"master": {"hue": 90, "saturation": 30}}))
    over = Layer("over", opaque(15), mask=Mask(np.random.default_rng(2).integers(0, 256, (H, W), dtype=np.uint8)))
    doc.root.insert(3, over)
    doc.root.insert(4, Layer("top", opaque(16), opacity=0.3))
    doc.set_active(paint)
    renderer = Renderer(doc)
    renderer.render()
    plan = renderer.plan
    assert plan is not None and plan.above == ()  # the adjustment is not a source-over run
    # It is drawn live; the run above it is cached as one image.
    assert plan.segments == (((doc.root.children[2],), False), ((over, doc.root.children[4]), True))
    rect = Rect(5, 5, 12, 9)
    for k in range(2):  # the second dab reads the run above from its cache
        paint.pixels[rect.slices()] = (200, 30 + 100 * k, 40, 255)
        doc.notify("pixels", paint, rect)
        assert np.array_equal(renderer.render(rect), render(doc, rect))
        assert renderer.runs[0].tiles
    over.pixels[2:6, 3:9] = (10, 250, 10, 255)  # a change in the cached run drops its tiles there
    doc.notify("pixels", over, Rect(3, 2, 6, 4))
    assert np.array_equal(renderer.render(rect), render(doc, rect))
    assert np.array_equal(renderer.render(Rect(0, 0, 12, 12)), render(doc, Rect(0, 0, 12, 12)))
    renderer.close()


def test_params_change_rerenders_and_is_one_undo_step_per_drag():
    doc = Document(W, H)
    doc.root.insert(0, Layer("photo", opaque(10)))
    doc.set_active(doc.root.children[0])
    adj = ops.new_adjustment_layer(doc, "levels")
    renderer = Renderer(doc)
    before = renderer.render()
    steps = len(doc.history.steps)
    for gamma in (1.2, 1.6, 2.0):
        ops.set_adjustment_params(doc, adj, merge_key="drag", master=dict(A.params_of(adj)["master"], gamma=gamma))
    assert len(doc.history.steps) == steps + 1
    after = renderer.render()
    assert np.array_equal(after, render(doc)) and not np.array_equal(after, before)
    doc.undo()
    assert np.array_equal(renderer.render(), before)
    renderer.close()


def test_new_adjustment_layer_takes_its_mask_from_the_selection():
    from editor.core import Selection

    doc = Document(W, H)
    doc.root.insert(0, Layer("photo", opaque(11)))
    sel = np.zeros((H, W), np.uint8)
    sel[10:20, 5:25] = 255
    doc.selection = Selection(sel)
    adj = ops.new_adjustment_layer(doc, "invert")
    assert np.array_equal(adj.mask.data, sel)
    out = flatten_rgba(doc)
    px = doc.root.children[0].pixels
    assert np.array_equal(out[0:10], px[0:10])
    assert np.array_equal(out[10:20, 5:25, :3], 255 - px[10:20, 5:25, :3])
    doc.undo()
    assert doc.root.children == [doc.root.children[0]] and len(doc.root.children) == 1


@pytest.mark.parametrize("name,params", [("gaussian_blur", {"radius": 2.5}), ("unsharp_mask", {"radius": 1.5}),
                                         ("high_pass", {"radius": 2}), ("median", {"radius": 2})])
def test_filter_rect_render_equals_crop_of_full_render(name, params):
    doc = Document(W, H)
    doc.root.insert(0, Layer("photo", opaque(12)))
    doc.root.insert(1, Group("g", [Adjustment("f", name, params)], isolated=False))
    full = render(doc)
    for rect in (Rect(3, 4, 10, 7), Rect(0, 0, 6, 6), Rect(W - 9, H - 5, 9, 5)):
        assert np.array_equal(render(doc, rect), full[rect.slices()]), rect


def test_gaussian_blur_against_opencv_on_the_composite():
    px = opaque(13)
    doc = Document(W, H)
    doc.root.insert(0, Layer("photo", px))
    doc.root.insert(1, Adjustment("Blur", "gaussian_blur", {"radius": 2.0}))
    out = flatten_rgba(doc)
    expected = cv2.GaussianBlur(px.astype(np.float32), (13, 13), 2.0, borderType=cv2.BORDER_REPLICATE)
    assert diff(out, expected) <= 1.01


def test_dirty_rect_grows_through_a_filter_and_cached_render_stays_right():
    doc = Document(W, H)
    paint = Layer("paint", opaque(14))
    doc.root.insert(0, paint)
    doc.root.insert(1, Adjustment("Blur", "gaussian_blur", {"radius": 1.0}))
    doc.set_active(paint)
    from editor.core import Change

    grown = affected_rect(doc, Change("pixels", paint, Rect(10, 10, 4, 4)))
    assert grown == Rect(7, 7, 10, 10)
    renderer = Renderer(doc)
    renderer.render()
    paint.pixels[10:14, 10:14] = (255, 0, 0, 255)
    doc.notify("pixels", paint, Rect(10, 10, 4, 4))
    assert np.array_equal(renderer.render(grown), render(doc)[grown.slices()])
    renderer.close()


# One setting per per-pixel adjustment that changes most colours.
SETTINGS_BY_KIND = {
    "curves": CURVE,
    "levels": {"master": {"in_black": 20, "in_white": 230, "gamma": 1.4}},
    "hue_saturation": {"master": {"hue": 70, "saturation": 35, "lightness": -10},
                       "reds": {"hue": -30, "saturation": 20, "lightness": 15}},
    "brightness_contrast": {"brightness": 30, "contrast": 40},
    "exposure": {"exposure": 0.7, "offset": 0.02, "gamma": 0.9},
    "invert": {},
    "posterize": {"levels": 4},
    "threshold": {"level": 100},
    "color_balance": {"midtones": [30, -20, 10], "highlights": [0, 10, -25]},
    "black_white": {"tint": True},
    "vibrance": {"vibrance": 60, "saturation": -20},
    "gradient_map": {"gradient": [[0.0, 20, 0, 80], [0.6, 250, 120, 0], [1.0, 255, 255, 200]]},
    "channel_mixer": {"red": {"red": 60, "green": 50, "blue": -20, "constant": 5},
                      "blue": {"red": 0, "green": 30, "blue": 90, "constant": -10}},
    "selective_color": {"method": "absolute", "reds": {"cyan": -40, "magenta": 30, "yellow": 0, "black": 10},
                        "neutrals": {"cyan": 20, "magenta": 0, "yellow": -30, "black": 0}},
    "photo_filter": {"color": [0, 90, 255], "density": 60, "preserve_luminosity": True},
    "color_lookup": {"table": {"size": 3, "rgb": [(v * 97 + 31) % 256 for v in range(81)]}},
}


def test_the_fused_op_check_covers_every_per_pixel_adjustment():
    assert set(SETTINGS_BY_KIND) == {s.name for s in A.adjustments()}


@st.composite
def adjusted_documents(draw):
    """A random stack (docgen) under a random per-pixel adjustment with a random mode, opacity,
    mask and Blend If; and the same picture built without adjustments, for the float64
    reference: the stack flattened to 8 bits as a base, with the adjustment's 8-bit result
    clipped to it as a pixel layer carrying the adjustment's mode, opacity, mask and Blend If."""
    below = draw(docgen.documents(max_nodes=3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    name = draw(st.sampled_from(sorted(SETTINGS_BY_KIND)))
    blend_if = None  # (normal mode without Blend If or feather is the op's own fast loop)
    if draw(st.booleans()) and draw(st.booleans()):
        full = (0, 0, 255, 255)
        pick = lambda: draw(docgen.ranges()) if draw(st.booleans()) else full  # noqa: E731
        blend_if = BlendIf(this=tuple(pick() for _ in range(4)), underlying=tuple(pick() for _ in range(4)))
        # Blend If's hard cuts read levels of the composite: over a float composite a level a hair
        # from x.5 rounds either way against the 8-bit reference (docgen.this_layer_blend_ifs), so
        # with Blend If the backdrop is the stack's exact 8-bit picture, opaque.
        exact = flatten_rgba(below)
        exact[..., 3] = 255
        below = Document(docgen.W, docgen.H)
        below.root.insert(0, Layer("below", exact))
    common = dict(opacity=draw(st.sampled_from([1.0, 0.5, 0.83])), blend_mode=draw(st.sampled_from([BlendMode.NORMAL] * len(docgen.MODES) + docgen.MODES)),
                  mask=draw(docgen.masks(docgen.H, docgen.W, rng)), blend_if=blend_if)
    doc = below
    flat = flatten_rgba(below)
    adjusted = flat.copy()
    adjusted[..., 3] = 255
    A.apply(name, SETTINGS_BY_KIND[name], adjusted)
    equivalent = Document(docgen.W, docgen.H)
    equivalent.root.insert(0, Layer("below", flat))
    equivalent.root.insert(1, Layer("adjusted", adjusted, clipped=True, **common))
    doc.root.insert(len(doc.root.children), Adjustment(name, name, SETTINGS_BY_KIND[name], **common))
    return doc, equivalent


@pytest.mark.parametrize("backend", available())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=adjusted_documents())
def test_fused_adjustment_op_matches_the_reference(backend, pair):
    """The ADJUST op (the adjustment run inside the row loop on the colour composited so far)
    against the float64 reference compositor drawing the adjustment's 8-bit result atop."""
    doc, equivalent = pair
    got = render_float(doc, backend=backend)
    assert np.abs(got - reference_render(equivalent)).max() <= 2 / 255
    rect = Rect(2, 1, 7, 6)
    assert np.array_equal(render(doc, rect, backend=backend), render(doc, backend=backend)[rect.slices()])


def test_layers_clipped_to_an_adjustment_draw_within_its_mask_over_the_adjusted_backdrop():
    """Photoshop: an adjustment as a clipping base is the adjusted backdrop within its mask; the
    clipped layer blends atop that, and the group takes the adjustment's opacity."""
    doc = Document(6, 4)
    photo = np.zeros((4, 6, 4), np.uint8)
    photo[...] = (40, 120, 200, 255)
    doc.root.insert(0, Layer("photo", photo))
    mask = np.zeros((4, 6), np.uint8)
    mask[:, :3] = 255
    doc.root.insert(1, Adjustment("invert", "invert", {}, mask=Mask(mask), opacity=0.5))
    red = np.zeros((4, 6, 4), np.uint8)
    red[...] = (255, 0, 0, 255)
    doc.root.insert(2, Layer("multiply", red, clipped=True, blend_mode=BlendMode.MULTIPLY))
    out = flatten_rgba(doc).astype(int)
    inverted_times_red = np.array([255 - 40, 0, 0])
    expected_left = 0.5 * inverted_times_red + 0.5 * photo[0, 0, :3]
    assert np.abs(out[:, :3, :3] - expected_left).max() <= 1
    assert np.array_equal(out[:, 3:], photo[:, 3:])  # outside the mask: neither the adjustment nor the clipped layer
