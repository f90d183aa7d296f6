"""Groups and clip groups as Photoshop composites them (rules from SethRobinson/Patchy
docs/blend-modes.md and ps-compat.md, calibrated there on Photoshop 2026 renders):

- a pass-through group's soft mask attenuates each child in place, and its opacity fades
  the result once;
- a pass-through group with Blend If is isolated (its children do not see the backdrop);
- a clipping base's Fill fades the clipped layers with it (Photoshop records the base's
  alpha x mask x Fill as the clip coverage), so a Fill 0 base hides them;
- Knockout: within the node's shape (before Fill) it draws onto its floor, a shallow one
  the group's backdrop on entry, a deep one the Background (or transparency); an isolated
  group's floors are transparency.
"""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import BlendIf, BlendMode, Document, FillLayer, Group, Layer, Mask
from editor.core.blendif import FULL
from editor.render import render_float
from editor.render.backends import available

from .docgen import random_pixels
from .reference import reference_render

BACKENDS = available()


def _solid(h: int, w: int, level: int, alpha: int = 255) -> np.ndarray:
    px = np.full((h, w, 4), level, np.uint8)
    px[..., 3] = alpha
    return px


def _levels(doc: Document, backend: str) -> np.ndarray:
    return np.floor(render_float(doc, backend=backend).astype(np.float64) * 255 + 0.5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_soft_pass_through_mask_attenuates_each_child_in_place(backend: str) -> None:
    # Black backdrop, then white and black children inside a pass-through group masked at 128:
    # Photoshop draws white at half strength (128), then black at half strength over that (64).
    # One fade of the whole group toward the backdrop would give black (0).
    doc = Document(6, 4)
    doc.root.insert(0, Layer("backdrop", _solid(4, 6, 0)))
    group = Group("pass", [Layer("white", _solid(4, 6, 255)), Layer("black", _solid(4, 6, 0))], isolated=False,
                  mask=Mask(np.full((4, 6), 128, np.uint8)))
    doc.root.insert(1, group)
    m = 128 / 255
    expected = 255 * m * (1 - m)
    got = _levels(doc, backend)
    assert np.abs(got[..., :3] - expected).max() <= 1 and (got[..., 3] == 255).all()
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", [BlendMode.MULTIPLY, BlendMode.SCREEN, BlendMode.LINEAR_LIGHT, BlendMode.DIFFERENCE])
def test_soft_pass_through_mask_with_opacity_and_modes_matches_the_reference(backend: str, mode: BlendMode) -> None:
    rng = np.random.default_rng(3)
    doc = Document(12, 10)
    doc.root.insert(0, Layer("backdrop", random_pixels(rng, 10, 12)))
    base = Layer("base", random_pixels(rng, 8, 8), offset=(1, 1))
    clipped = Layer("clipped", random_pixels(rng, 10, 12), blend_mode=mode, clipped=True, opacity=0.8)
    inner = Group("inner", [Layer("deep", random_pixels(rng, 6, 6), offset=(4, 2), blend_mode=mode)], isolated=False,
                  mask=Mask(rng.integers(0, 256, (10, 12), dtype=np.uint8)), opacity=0.7)
    group = Group("pass", [Layer("a", random_pixels(rng, 7, 9), offset=(2, 3), blend_mode=mode), base, clipped,
                           FillLayer("fill", (200, 40, 90, 180), blend_mode=mode), inner],
                  isolated=False, opacity=0.6, mask=Mask(rng.integers(0, 256, (10, 12), dtype=np.uint8), density=0.8))
    doc.root.insert(1, group)
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)


@pytest.mark.parametrize("backend", BACKENDS)
def test_hard_pass_through_mask_is_one_fade(backend: str) -> None:
    # A mask of only 0 and 255 keeps the single fade: the same pixels as attenuating each child.
    doc = Document(6, 4)
    doc.root.insert(0, Layer("backdrop", _solid(4, 6, 0)))
    mask = np.zeros((4, 6), np.uint8)
    mask[:, 3:] = 255
    doc.root.insert(1, Group("pass", [Layer("white", _solid(4, 6, 255)), Layer("grey", _solid(4, 6, 100), opacity=0.5)],
                             isolated=False, mask=Mask(mask), opacity=0.5))
    got = _levels(doc, backend)
    assert (got[:, :3, :3] == 0).all()
    assert np.abs(got[:, 3:, :3] - 0.5 * (0.5 * 255 + 0.5 * 100)).max() <= 1
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fill", [0.0, 0.4])
def test_clip_base_fill_fades_its_clipped_layers(backend: str, fill: float) -> None:
    # Photoshop's clip coverage is the base's alpha x mask x Fill (with Blend Clipped Layers as
    # Group, its default), so a Fill 0 base hides what is clipped to it as well as itself.
    doc = Document(6, 4)
    doc.root.insert(0, Layer("backdrop", _solid(4, 6, 0)))
    doc.root.insert(1, Layer("base", _solid(4, 6, 100), fill=fill))
    doc.root.insert(2, Layer("clipped", _solid(4, 6, 255), clipped=True))
    got = _levels(doc, backend)
    assert np.abs(got[..., :3] - 255 * fill).max() <= 1
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)


@pytest.mark.parametrize("backend", BACKENDS)
def test_pass_through_group_with_blend_if_is_isolated(backend: str) -> None:
    # A multiply child over grey 200 would darken it to 78 through a pass-through group; with
    # Blend If set, Photoshop isolates the group, so the child multiplies transparency: 100.
    # The ranges (white 250..255 on This Layer) pass every level below 250 whole.
    doc = Document(6, 4)
    doc.root.insert(0, Layer("backdrop", _solid(4, 6, 200)))
    blend_if = BlendIf(this=((0, 0, 250, 255), FULL, FULL, FULL))
    doc.root.insert(1, Group("pass", [Layer("mult", _solid(4, 6, 100), blend_mode=BlendMode.MULTIPLY)], isolated=False,
                             blend_if=blend_if, opacity=0.5))
    got = _levels(doc, backend)
    assert np.abs(got[..., :3] - (0.5 * 100 + 0.5 * 200)).max() <= 1
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)


def _knockout_doc(knockout: str, *, background_alpha: int = 255, isolated: bool = False, fill: float = 0.0,
                  alpha: int = 255) -> Document:
    """Background 200, then 120 below a group holding 50 and, on top, a knockout layer of 0."""
    doc = Document(6, 4)
    doc.root.insert(0, Layer("Background", _solid(4, 6, 200, background_alpha)))
    doc.root.insert(1, Layer("under", _solid(4, 6, 120)))
    doc.root.insert(2, Group("g", [Layer("mid", _solid(4, 6, 50)),
                                   Layer("ko", _solid(4, 6, 0, alpha), fill=fill, knockout=knockout)], isolated=isolated))
    return doc


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("knockout", "background_alpha", "isolated", "expected"), [
    ("none", 255, False, 50),  # Fill 0, no knockout: the layer shows nothing
    ("shallow", 255, False, 120),  # down to the pass-through group's backdrop on entry
    ("deep", 255, False, 200),  # down to the Background
    ("deep", 254, False, 0),  # no Background (the bottom layer is not opaque): transparency
    ("shallow", 255, True, 120),  # an isolated group's floor is transparency: the group is a hole
    ("deep", 255, True, 120),  # ... deep too: it stops at the isolated group
])
def test_fill_0_knockout_cuts_down_to_its_floor(backend, knockout, background_alpha, isolated, expected) -> None:
    doc = _knockout_doc(knockout, background_alpha=background_alpha, isolated=isolated)
    got = _levels(doc, backend)
    if expected == 0:
        assert (got == 0).all()
    else:
        assert np.abs(got[..., :3] - expected).max() <= 1 and (got[..., 3] == 255).all()
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)


@pytest.mark.parametrize("backend", BACKENDS)
def test_knockout_paints_onto_the_floor_within_its_shape(backend) -> None:
    # Half-transparent black at Fill 1, shallow: over the entry backdrop 120 within its shape
    # (120 x (1 - a) = 60 at alpha 128), and 50 below it outside the shape's share:
    # 60 + (1 - a) (50 - 120) = 25.
    doc = _knockout_doc("shallow", fill=1.0, alpha=128)
    a = 128 / 255
    expected = 120 * (1 - a) + (1 - a) * (50 - 120)
    got = _levels(doc, backend)
    assert np.abs(got[..., :3] - expected).max() <= 1
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", [BlendMode.NORMAL, BlendMode.MULTIPLY, BlendMode.ADD, BlendMode.HARD_MIX])
def test_knockouts_with_modes_masks_and_groups_match_the_reference(backend, mode) -> None:
    rng = np.random.default_rng(8)
    doc = Document(12, 10)
    bg = random_pixels(rng, 10, 12)
    bg[..., 3] = 255
    doc.root.insert(0, Layer("Background", bg))
    doc.root.insert(1, Layer("under", random_pixels(rng, 10, 12), blend_mode=mode))
    inner = Group("inner", [Layer("deep one", random_pixels(rng, 6, 7), offset=(3, 2), blend_mode=mode, knockout="deep",
                                  fill=0.5, mask=Mask(rng.integers(0, 256, (6, 7), dtype=np.uint8)))], isolated=False,
                  opacity=0.8)
    silhouette = Group("silhouette", [Layer("s", random_pixels(rng, 5, 5), offset=(6, 4))], isolated=False,
                       knockout="shallow")
    doc.root.insert(2, Group("g", [Layer("mid", random_pixels(rng, 10, 12)), inner,
                                   Layer("shallow one", random_pixels(rng, 7, 9), offset=(1, 1), blend_mode=mode,
                                         knockout="shallow", opacity=0.7),
                                   silhouette], isolated=False,
                             mask=Mask(rng.integers(0, 256, (10, 12), dtype=np.uint8))))
    doc.root.insert(3, Layer("top deep", random_pixels(rng, 4, 12), offset=(0, 6), knockout="deep", fill=0.2))
    np.testing.assert_allclose(render_float(doc, backend=backend), reference_render(doc), atol=2 / 255)
