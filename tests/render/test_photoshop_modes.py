"""Photoshop's own blend modes against values worked out by hand from Adobe's definitions."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import BlendMode, Document, Layer, Rect
from editor.render import render, render_float
from editor.render.backends import available

BACKENDS = available()

# (mode, backdrop byte, source byte, expected result byte) per channel; both layers opaque.
CASES = [
    (BlendMode.LINEAR_BURN, [153, 51, 255], [178, 76, 0], [76, 0, 0]),
    # linear light: d + 2s - 256 (Photoshop's, not the textbook - 255)
    (BlendMode.LINEAR_LIGHT, [128, 51, 200], [153, 25, 255], [178, 0, 255]),
    (BlendMode.LINEAR_LIGHT, [100, 1, 255], [128, 127, 0], [100, 0, 0]),
    # vivid light: burn by 2Cs below half, dodge by 2(1 - Cs) above; Cs 0 or 1 wins outright
    (BlendMode.VIVID_LIGHT, [128, 102, 255], [64, 191, 0], [2, 203, 0]),
    (BlendMode.VIVID_LIGHT, [0, 200, 10], [255, 128, 255], [255, 200, 255]),
    (BlendMode.PIN_LIGHT, [204, 51, 100], [51, 204, 128], [102, 153, 100]),
    # hard mix: 1 where Cb + Cs > 1; on exactly 1, where the backdrop is above half
    (BlendMode.HARD_MIX, [153, 77, 153], [128, 128, 102], [255, 0, 255]),
    (BlendMode.HARD_MIX, [102, 0, 255], [153, 0, 255], [0, 0, 255]),
    (BlendMode.SUBTRACT, [178, 51, 255], [51, 102, 255], [127, 0, 0]),
    (BlendMode.DIVIDE, [77, 77, 204], [153, 0, 102], [128, 255, 255]),
    (BlendMode.DIVIDE, [0, 0, 90], [0, 200, 180], [0, 0, 128]),
    # darker / lighter colour take the whole pixel of lower / higher luminosity
    (BlendMode.DARKER_COLOR, [255, 0, 0], [0, 255, 0], [255, 0, 0]),
    (BlendMode.DARKER_COLOR, [0, 255, 0], [0, 0, 255], [0, 0, 255]),
    (BlendMode.LIGHTER_COLOR, [255, 0, 0], [0, 255, 0], [0, 255, 0]),
    (BlendMode.LIGHTER_COLOR, [200, 200, 200], [0, 0, 255], [200, 200, 200]),
    # ... compared as whole levels, a tie keeping the backdrop: luma 76.11 rounds to 76, as grey 76
    (BlendMode.LIGHTER_COLOR, [76, 76, 76], [0, 129, 0], [76, 76, 76]),
    (BlendMode.DARKER_COLOR, [0, 129, 0], [76, 76, 76], [0, 129, 0]),
    (BlendMode.DARKER_COLOR, [0, 130, 0], [76, 76, 76], [76, 76, 76]),
]


def two_pixels(below: list[int], above: list[int], mode: BlendMode, opacity: float = 1.0) -> Document:
    doc = Document(1, 1)
    doc.root.insert(0, Layer("below", np.array([[below + [255]]], np.uint8)))
    doc.root.insert(1, Layer("above", np.array([[above + [255]]], np.uint8), blend_mode=mode, opacity=opacity))
    return doc


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("mode", "below", "above", "expected"), CASES)
def test_mode_matches_photoshops_definition(backend, mode, below, above, expected) -> None:
    got = render_float(two_pixels(below, above, mode), backend=backend)[0, 0]
    assert got[3] == pytest.approx(1.0)
    assert np.abs(got[:3] * 255 - np.array(expected)).max() <= 1.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_dissolve_shows_whole_pixels_in_proportion_to_opacity(backend) -> None:
    doc = Document(96, 80)
    doc.root.insert(0, Layer("white", np.full((80, 96, 4), 255, np.uint8)))
    black = np.zeros((80, 96, 4), np.uint8)
    black[..., 3] = 255
    doc.root.insert(1, Layer("black", black, blend_mode=BlendMode.DISSOLVE, opacity=0.3))
    out = render(doc, backend=backend)
    values = set(np.unique(out[..., :3]))
    assert values == {0, 255}  # no pixel is mixed: each shows the layer fully or not at all
    covered = (out[..., 0] == 0).mean()
    assert 0.25 < covered < 0.35
    # keyed by document position: a rectangle renders as the crop of the whole, and the other backend agrees
    part = render(doc, Rect(17, 9, 40, 33), backend=backend)
    np.testing.assert_array_equal(part, out[9:42, 17:57])
    for other in BACKENDS:
        np.testing.assert_array_equal(render(doc, backend=other), out)


@pytest.mark.parametrize("backend", BACKENDS)
def test_linear_light_is_photoshops_on_every_byte_pair(backend) -> None:
    # d + 2s - 256, clamped (SethRobinson/Patchy docs/blend-modes.md, from full Photoshop 2026 captures).
    levels = np.arange(256, dtype=np.uint8)
    below = np.full((256, 256, 4), 255, np.uint8)
    below[..., :3] = levels[None, :, None]
    above = np.full((256, 256, 4), 255, np.uint8)
    above[..., :3] = levels[:, None, None]
    doc = Document(256, 256)
    doc.root.insert(0, Layer("below", below))
    doc.root.insert(1, Layer("above", above, blend_mode=BlendMode.LINEAR_LIGHT))
    s, d = np.mgrid[0:256, 0:256]
    expected = np.clip(d + 2 * s - 256, 0, 255)
    got = render(doc, backend=backend)
    np.testing.assert_array_equal(got[..., 2], expected)  # BGRA: red
