"""Blend If: every backend against the float64 reference, the renderer's caches, and the model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from editor.core import (
    BlendIf,
    BlendMode,
    Document,
    FillLayer,
    Group,
    Layer,
    Mask,
    Rect,
    SetProperties,
)
from editor.core.blendif import FULL
from editor.render import render, render_float
from editor.render.backends import available
from editor.render.renderer import Renderer

from .docgen import documents, random_pixels
from .reference import reference_render

BACKENDS = available()
TOL = 2 / 255


def matches_reference(doc: Document, backend: str) -> None:
    got = render_float(doc, backend=backend)
    assert np.abs(got - reference_render(doc)).max() <= TOL


def ramp_image(h: int = 16, w: int = 64) -> np.ndarray:
    """Every gray level 0..255 once (w * h = 1024 pixels: four of each), opaque."""
    px = np.zeros((h, w, 4), np.uint8)
    px[..., :3] = (np.arange(h * w) % 256).reshape(h, w)[..., None]
    px[..., 3] = 255
    return px


def over_backdrop(top: Layer, rng=None) -> Document:
    rng = rng or np.random.default_rng(3)
    h, w = top.pixels.shape[:2]
    doc = Document(w, h)
    below = random_pixels(rng, h, w)
    below[..., 3] = 255  # an opaque backdrop: its levels are exact in every backend
    doc.root.insert(0, Layer("below", below))
    doc.root.insert(1, top)
    return doc


def test_this_layer_black_cut_hides_dark_pixels_exactly() -> None:
    doc = Document(64, 16)
    doc.root.insert(0, Layer("top", ramp_image(), blend_if=BlendIf(this=((10, 10, 255, 255), FULL, FULL, FULL))))
    alpha = render_float(doc)[..., 3]
    levels = (np.arange(1024) % 256).reshape(16, 64)
    assert (alpha[levels < 10] == 0).all()
    assert (alpha[levels >= 10] == 1).all()


def test_split_handles_ramp_linearly() -> None:
    blend_if = BlendIf(this=((0, 0, 100, 200), FULL, FULL, FULL))
    doc = Document(64, 16)
    doc.root.insert(0, Layer("top", ramp_image(), blend_if=blend_if))
    for backend in BACKENDS:
        alpha = render_float(doc, backend=backend)[..., 3]
        levels = (np.arange(1024) % 256).reshape(16, 64)
        # Photoshop's inclusive feather: level v in (100, 200] keeps (201 - v) / 101
        expected = np.where(levels <= 100, 1.0, np.clip((201 - levels) / 101, 0, 1))
        assert np.abs(alpha - expected).max() < 1e-5, backend


@pytest.mark.parametrize("backend", BACKENDS)
def test_split_black_handles_keep_photoshops_inclusive_steps(backend: str) -> None:
    # SethRobinson/Patchy docs/layer-effects-render.md: level v in [a, b) keeps (v - a + 1) / (b - a + 1)
    doc = Document(64, 16)
    doc.root.insert(0, Layer("top", ramp_image(), blend_if=BlendIf(this=((20, 40, 255, 255), FULL, FULL, FULL))))
    alpha = render_float(doc, backend=backend)[..., 3]
    levels = (np.arange(1024) % 256).reshape(16, 64)
    expected = np.where(levels < 20, 0.0, np.where(levels < 40, (levels - 19) / 21, 1.0))
    assert np.abs(alpha - expected).max() < 1e-5


@pytest.mark.parametrize("backend", BACKENDS)
def test_composite_gray_uses_photoshops_299_590_111(backend: str) -> None:
    # pure red is gray (299 x 255 + 500) // 1000 = 76, not 77 (the 30/59/11 rounding): a hard cut at 77 hides it
    px = np.zeros((4, 4, 4), np.uint8)
    px[..., 0], px[..., 3] = 255, 255
    doc = Document(4, 4)
    doc.root.insert(0, Layer("red", px, blend_if=BlendIf(this=((77, 77, 255, 255), FULL, FULL, FULL))))
    assert (render_float(doc, backend=backend)[..., 3] == 0).all()
    doc.root.children[0].blend_if = BlendIf(this=((76, 76, 255, 255), FULL, FULL, FULL))
    assert (render_float(doc, backend=backend)[..., 3] == 1).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_transparency_beneath_passes_the_underlying_ranges(backend: str) -> None:
    # Underlying weight (1 - alpha) + alpha x gate: a black backdrop at alpha 0 passes, at 1/2 passes half
    doc = Document(8, 4)
    below = np.zeros((4, 8, 4), np.uint8)
    below[:, 4:, 3] = 128  # black: its gate under a black cut at 50 is 0
    doc.root.insert(0, Layer("below", below))
    top = np.full((4, 8, 4), 255, np.uint8)
    doc.root.insert(1, Layer("top", top, blend_if=BlendIf(underlying=((50, 50, 255, 255), FULL, FULL, FULL))))
    out = render_float(doc, backend=backend)
    assert np.abs(out[:, :4] - 1).max() < 1e-5  # over transparency: the white layer as it is
    # over half-alpha black: the layer at weight 1/2 over it
    a = 128 / 255
    w = (1 - a)
    assert np.abs(out[:, 4:, 3] - (w + a * (1 - w))).max() < 1e-4
    assert np.abs(out[:, 4:, 0] - w).max() < 1e-4


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("which", ["this", "underlying"])
@pytest.mark.parametrize("channel", range(4))
@pytest.mark.parametrize("rng_range", [(40, 40, 200, 200), (30, 90, 128, 250), (0, 0, 127, 128), (128, 200, 255, 255)])
def test_each_range_against_reference(backend: str, which: str, channel: int, rng_range) -> None:
    ranges = [FULL] * 4
    ranges[channel] = rng_range
    rng = np.random.default_rng(channel)
    top = Layer("top", random_pixels(rng, 20, 24), opacity=0.8, mask=Mask(rng.integers(0, 256, (20, 24), dtype=np.uint8)),
                blend_if=BlendIf(**{which: tuple(ranges)}))
    matches_reference(over_backdrop(top, rng), backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", list(BlendMode))
def test_every_mode_with_both_ranges(backend: str, mode: BlendMode) -> None:
    rng = np.random.default_rng(11)
    blend_if = BlendIf(this=((20, 60, 180, 230), FULL, (0, 0, 200, 200), FULL),
                       underlying=((30, 30, 255, 255), FULL, FULL, (10, 120, 255, 255)))
    top = Layer("top", random_pixels(rng, 20, 24), blend_mode=mode, opacity=0.9, blend_if=blend_if)
    matches_reference(over_backdrop(top, rng), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_fill_group_pass_through_and_clip_base(backend: str) -> None:
    rng = np.random.default_rng(5)
    blend_if = BlendIf(this=((50, 90, 255, 255), FULL, FULL, FULL), underlying=(FULL, (0, 0, 128, 160), FULL, FULL))
    opaque = random_pixels(rng, 20, 24)
    opaque[..., 3] = 255
    cases = [
        FillLayer("fill", (200, 120, 30, 255), blend_if=BlendIf(underlying=blend_if.underlying)),
        Group("isolated", [Layer("in", opaque.copy())], blend_if=blend_if),
        Group("pass", [Layer("in", opaque.copy(), blend_mode=BlendMode.MULTIPLY)], isolated=False, opacity=0.7,
              blend_if=BlendIf(underlying=blend_if.underlying)),
    ]
    for node in cases:
        matches_reference(over_backdrop_node(node, rng), backend)
    # A clip base's Blend If applies to the clip group it heads (Underlying: exact backdrop levels).
    doc = over_backdrop_node(Layer("base", opaque.copy(), blend_if=BlendIf(underlying=blend_if.underlying)), rng)
    doc.root.insert(2, Layer("clipped", random_pixels(rng, 20, 24), clipped=True, blend_if=blend_if))
    matches_reference(doc, backend)


def over_backdrop_node(node, rng) -> Document:
    doc = Document(24, 20)
    below = random_pixels(rng, 20, 24)
    below[..., 3] = 255
    doc.root.insert(0, Layer("below", below))
    doc.root.insert(1, node)
    return doc


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60, deadline=None)
@given(doc=documents(blend_if=True))
def test_random_documents_with_this_layer_ranges(backend: str, doc: Document) -> None:
    matches_reference(doc, backend)


def test_identity_changes_nothing() -> None:
    rng = np.random.default_rng(2)
    plain = over_backdrop(Layer("top", random_pixels(rng, 20, 24), blend_mode=BlendMode.SCREEN), np.random.default_rng(1))
    before = render(plain)
    plain.root.children[1].blend_if = BlendIf()
    np.testing.assert_array_equal(render(plain), before)


def test_renderer_caches_follow_blend_if_above_and_on_the_active_layer() -> None:
    """A layer with Blend If reads the backdrop: it must not join a cached source-over run, and
    changing it (on the active layer or above it) must show at once."""
    rng = np.random.default_rng(9)
    doc = Document(300, 280)
    for i in range(4):
        px = random_pixels(rng, 280, 300)
        px[..., 3] = 255 if i == 0 else 200
        doc.root.insert(i, Layer(f"l{i}", px))
    active, above = doc.root.children[1], doc.root.children[2]
    doc.active = active
    renderer = Renderer(doc)
    rect = Rect(20, 30, 100, 90)
    np.testing.assert_array_equal(renderer.render(rect), render(doc, rect))
    doc.execute(SetProperties(above, {"blend_if": BlendIf(underlying=((100, 140, 255, 255), FULL, FULL, FULL))}))
    np.testing.assert_array_equal(renderer.render(rect), render(doc, rect))
    # Painting the active layer under it changes what it lets through.
    active.pixels[30:120, 20:120] = (0, 0, 0, 255)
    doc.notify("pixels", active, rect)
    np.testing.assert_array_equal(renderer.render(rect), render(doc, rect))
    doc.execute(SetProperties(active, {"blend_if": BlendIf(this=((1, 1, 255, 255), FULL, FULL, FULL))}))
    np.testing.assert_array_equal(renderer.render(rect), render(doc, rect))
    assert renderer.plan is not None and above not in renderer.plan.above
    doc.undo()
    doc.undo()
    np.testing.assert_array_equal(renderer.render(rect), render(doc, rect))


def test_set_properties_undo_and_clone() -> None:
    doc = Document(8, 8)
    layer = Layer("l", np.zeros((8, 8, 4), np.uint8))
    doc.root.insert(0, layer)
    b = BlendIf().with_range("this", "gray", (10, 20, 200, 255))
    doc.execute(SetProperties(layer, {"blend_if": b}))
    assert layer.blend_if == b and layer.clone().blend_if == b
    doc.undo()
    assert layer.blend_if is None


def test_values_are_checked() -> None:
    with pytest.raises(ValueError):
        BlendIf(this=((10, 5, 255, 255), FULL, FULL, FULL))
    with pytest.raises(ValueError):
        BlendIf().with_range("this", "gray", (0, 0, 255, 256))
    with pytest.raises(ValueError):
        BlendIf.from_dict({"this": {"grey": [0, 0, 255, 255]}})
    b = BlendIf(underlying=(FULL, (1, 2, 3, 4), FULL, FULL))
    assert BlendIf.from_dict(b.to_dict()) == b


@pytest.mark.parametrize("backend", BACKENDS)
def test_blend_if_on_an_adjustment_layer(backend):
    """An adjustment's Underlying Layer range limits it to the tones it names (Photoshop's way
    of adjusting only the highlights), and This Layer weighs by the adjusted colour."""
    from editor.core import Adjustment

    photo = ramp_image()
    levels = photo[..., 0].astype(int)
    doc = Document(photo.shape[1], photo.shape[0])
    doc.root.insert(0, Layer("photo", photo))
    invert = Adjustment("Invert", "invert", blend_if=BlendIf(underlying=((128, 128, 255, 255), FULL, FULL, FULL)))
    doc.root.insert(1, invert)
    out = render(doc, backend=backend)[..., 0].astype(int)
    assert np.array_equal(out[levels < 128], levels[levels < 128])  # shadows left alone
    assert np.array_equal(out[levels >= 128], 255 - levels[levels >= 128])  # highlights inverted
    invert.blend_if = BlendIf(this=((0, 0, 99, 99), FULL, FULL, FULL))  # only where the inverted result is dark
    out = render(doc, backend=backend)[..., 0].astype(int)
    assert np.array_equal(out[255 - levels <= 99], 255 - levels[255 - levels <= 99])
    assert np.array_equal(out[255 - levels > 99], levels[255 - levels > 99])


@pytest.mark.parametrize("backend", BACKENDS)
def test_blend_if_on_a_filter_layer(backend):
    from editor.core import Adjustment

    photo = ramp_image()
    doc = Document(photo.shape[1], photo.shape[0])
    doc.root.insert(0, Layer("photo", photo))
    blur = Adjustment("Blur", "gaussian_blur", {"radius": 3.0})
    doc.root.insert(1, blur)
    bright = photo[..., 0] >= 200
    assert not np.array_equal(render(doc, backend=backend)[bright], photo[bright])  # the blur shows there
    blur.blend_if = BlendIf(underlying=((0, 0, 199, 199), FULL, FULL, FULL))  # not over the brightest tones
    assert np.array_equal(render(doc, backend=backend)[bright], photo[bright])
