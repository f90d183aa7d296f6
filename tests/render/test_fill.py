"""A layer's Fill (Photoshop's Fill slider): a second opacity in most modes; in Photoshop's
eight special-Fill modes it fades the blend itself. The expected values come from
Photoshop's documented 8-bit rules (photoshop_fill.py); Veil computes them in float, so
they agree within a few levels, not to the byte.
"""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import BlendMode, Document, FillLayer, Layer
from editor.core.blend import SPECIAL_FILL
from editor.render import render_float
from editor.render.backends import available

from .docgen import random_pixels
from .photoshop_fill import photoshop_rule
from .reference import reference_render

BACKENDS = available()


def _grid_doc(mode: BlendMode, *, fill: float = 1.0, opacity: float = 1.0) -> Document:
    """Every (source, backdrop) byte pair: backdrop level = column, source level = row, opaque."""
    levels = np.arange(256, dtype=np.uint8)
    below = np.empty((256, 256, 4), np.uint8)
    below[..., :3] = levels[None, :, None]
    below[..., 3] = 255
    top = np.empty((256, 256, 4), np.uint8)
    top[..., :3] = levels[:, None, None]
    top[..., 3] = 255
    doc = Document(256, 256)
    doc.root.insert(0, Layer("below", below))
    doc.root.insert(1, Layer("top", top, blend_mode=mode, fill=fill, opacity=opacity))
    return doc


def _bytes(doc: Document, backend: str) -> np.ndarray:
    return np.floor(render_float(doc, backend=backend)[..., 0].astype(np.float64) * 255 + 0.5)


# Worst level difference from the 8-bit rules (float vs Photoshop's integer steps; vivid
# light's divisions are steep at high Fill).
LIMIT = {BlendMode.VIVID_LIGHT: 4}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", sorted(SPECIAL_FILL))
@pytest.mark.parametrize("fill", [26 / 255, 0.5, 191 / 255, 230 / 255, 252 / 255])
def test_special_fill_follows_photoshop_rules(backend: str, mode: BlendMode, fill: float) -> None:
    fb = round(fill * 255)
    s, d = np.mgrid[0:256, 0:256]
    expected = photoshop_rule(mode, s, d, fb)
    got = _bytes(_grid_doc(mode, fill=fill), backend)
    diff = np.abs(got - expected)
    assert diff.max() <= LIMIT.get(mode, 2), (mode, fill, diff.max(), np.argwhere(diff == diff.max())[:3])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", sorted(SPECIAL_FILL))
def test_special_fill_is_not_opacity(backend: str, mode: BlendMode) -> None:
    by_fill = _bytes(_grid_doc(mode, fill=0.5), backend)
    by_opacity = _bytes(_grid_doc(mode, opacity=0.5), backend)
    assert np.abs(by_fill - by_opacity).max() > 24


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", [BlendMode.NORMAL, BlendMode.MULTIPLY, BlendMode.OVERLAY, BlendMode.HUE,
                                  BlendMode.PIN_LIGHT])
def test_fill_is_a_second_opacity_in_other_modes(backend: str, mode: BlendMode) -> None:
    by_fill = render_float(_grid_doc(mode, fill=0.5, opacity=0.8), backend=backend)
    by_opacity = render_float(_grid_doc(mode, opacity=0.4), backend=backend)
    np.testing.assert_allclose(by_fill, by_opacity, atol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", sorted(SPECIAL_FILL))
def test_fill_one_and_zero_and_the_hard_mix_ramp(backend: str, mode: BlendMode) -> None:
    """Fill 1 keeps today's kernel (hard mix a threshold); Fill 0 shows the backdrop alone."""
    full = render_float(_grid_doc(mode), backend=backend)
    default = _grid_doc(mode)
    default.root.children[1].fill = 1.0
    np.testing.assert_array_equal(render_float(default, backend=backend), full)
    if mode is BlendMode.HARD_MIX:
        assert set(np.unique(np.round(full[..., 0] * 255))) <= {0.0, 255.0}
        ramp = _bytes(_grid_doc(mode, fill=0.5), backend)
        assert len(np.unique(ramp)) > 100  # slope 2 at Fill 1/2: every other level
    zero = render_float(_grid_doc(mode, fill=0.0), backend=backend)
    below = _grid_doc(mode)
    below.root.children[1].visible = False
    np.testing.assert_allclose(zero, render_float(below, backend=backend), atol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_special_fill_alpha_over_transparency(backend: str) -> None:
    """Over transparency the layer adds alpha x opacity x Fill of its own colour; over a
    half-transparent backdrop the blend keeps the weight alpha x opacity."""
    doc = Document(4, 1)
    below = np.zeros((1, 4, 4), np.uint8)
    below[0, 2:] = (200, 100, 50, 128)
    doc.root.insert(0, Layer("below", below))
    doc.root.insert(1, FillLayer("top", (250, 20, 128, 255), blend_mode=BlendMode.LINEAR_LIGHT, fill=0.4,
                                 opacity=0.5))
    got = render_float(doc, backend=backend).astype(np.float64)
    np.testing.assert_allclose(got[0, 0], np.array([250, 20, 128, 255]) / 255 * 0.2, atol=1e-6)
    np.testing.assert_allclose(got, reference_render(doc), atol=2 / 255)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", list(BlendMode))
def test_each_mode_with_fill_matches_reference(backend: str, mode: BlendMode) -> None:
    rng = np.random.default_rng(11)
    doc = Document(24, 20)
    below = random_pixels(rng, 20, 24)
    doc.root.insert(0, Layer("below", below))
    doc.root.insert(1, Layer("top", random_pixels(rng, 16, 18), offset=(9, -3), opacity=0.8, fill=0.45,
                             blend_mode=mode))
    doc.root.insert(2, Layer("clipped", random_pixels(rng, 12, 12), opacity=0.9, fill=0.3, blend_mode=mode,
                             clipped=True))
    got = render_float(doc, backend=backend)
    assert np.abs(got - reference_render(doc)).max() <= 2 / 255
