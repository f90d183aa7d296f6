"""Properties of the compositor that need no reference: what must leave the picture alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import BlendMode, Document, Layer, Mask
from editor.render import flatten_rgba, render, to_straight_rgba
from editor.render.backends import available

from .docgen import H, W, documents, random_pixels

BACKENDS = available()


def max_diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(np.int16) - b.astype(np.int16)).max())


def insert_unclipped(doc: Document, layer: Layer, index: int) -> None:
    """Insert where no clipped sibling sits right above (so no clip group changes its base)."""
    children = doc.root.children
    index = min(index, len(children))
    while index < len(children) and children[index].clipped:
        index += 1
    doc.root.insert(index, layer)


def new_layer(seed: int, **kw) -> Layer:
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(1, H + 3)), int(rng.integers(1, W + 3))
    offset = (int(rng.integers(-w, W)), int(rng.integers(-h, H)))
    return Layer("new", random_pixels(rng, h, w), offset=offset, **kw)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=20, deadline=None)
@given(doc=documents(), seed=st.integers(0, 2**32 - 1), index=st.integers(0, 4), mode=st.sampled_from(list(BlendMode)))
def test_opacity_zero_changes_nothing(backend, doc, seed, index, mode) -> None:
    before = render(doc, backend=backend)
    insert_unclipped(doc, new_layer(seed, opacity=0.0, blend_mode=mode), index)
    np.testing.assert_array_equal(render(doc, backend=backend), before)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=20, deadline=None)
@given(doc=documents(), seed=st.integers(0, 2**32 - 1), index=st.integers(0, 4), mode=st.sampled_from(list(BlendMode)),
       density=st.sampled_from([1.0, 0.5]), feather=st.sampled_from([0.0, 1.5]))
def test_white_mask_equals_no_mask(backend, doc, seed, index, mode, density, feather) -> None:
    layer = new_layer(seed, blend_mode=mode, opacity=0.7)
    insert_unclipped(doc, layer, index)
    without = render(doc, backend=backend)
    layer.mask = Mask(np.full(layer.pixels.shape[:2], 255, np.uint8), density=density, feather=feather)
    assert max_diff(render(doc, backend=backend), without) <= 1


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=20, deadline=None)
@given(doc=documents(), seed=st.integers(0, 2**32 - 1), index=st.integers(0, 4), mode=st.sampled_from(list(BlendMode)),
       inverted=st.booleans(), feather=st.sampled_from([0.0, 1.5]))
def test_black_mask_hides_the_layer(backend, doc, seed, index, mode, inverted, feather) -> None:
    before = render(doc, backend=backend)
    layer = new_layer(seed, blend_mode=mode)
    value = 255 if inverted else 0
    layer.mask = Mask(np.full(layer.pixels.shape[:2], value, np.uint8), inverted=inverted, feather=feather)
    insert_unclipped(doc, layer, index)
    assert max_diff(render(doc, backend=backend), before) <= 1


def test_hidden_and_offcanvas_layers_draw_nothing() -> None:
    rng = np.random.default_rng(3)
    doc = Document(W, H)
    doc.root.insert(0, Layer("bg", random_pixels(rng, H, W)))
    before = render(doc)
    doc.root.insert(1, Layer("hidden", random_pixels(rng, H, W), visible=False))
    doc.root.insert(2, Layer("away", random_pixels(rng, 5, 5), offset=(W + 3, -2)))
    np.testing.assert_array_equal(render(doc), before)


def test_output_is_valid_premultiplied_bgra() -> None:
    doc = Document(4, 1)
    # Straight RGBA red, green, blue at half alpha, and nothing.
    px = np.array([[[255, 0, 0, 128], [0, 255, 0, 128], [0, 0, 255, 128], [9, 9, 9, 0]]], np.uint8)
    doc.root.insert(0, Layer("l", px))
    out = render(doc)
    np.testing.assert_array_equal(out[0, 0], [0, 0, 128, 128])  # B, G, R, A
    np.testing.assert_array_equal(out[0, 1], [0, 128, 0, 128])
    np.testing.assert_array_equal(out[0, 2], [128, 0, 0, 128])
    np.testing.assert_array_equal(out[0, 3], [0, 0, 0, 0])
    np.testing.assert_array_equal(to_straight_rgba(out)[0, :3], px[0, :3])
    np.testing.assert_array_equal(flatten_rgba(doc)[0, :3], px[0, :3])


@settings(max_examples=15, deadline=None)
@given(doc=documents())
def test_straight_export_round_trips_opaque_pixels(doc) -> None:
    bgra = render(doc)
    straight = flatten_rgba(doc)
    opaque = bgra[..., 3] == 255
    # "Opaque" in 8 bits may be 254.6/255 in float: the straight colour may round one step apart.
    assert max_diff(straight[opaque][:, :3], bgra[opaque][:, 2::-1]) <= 1 if opaque.any() else True
    assert max_diff(to_straight_rgba(bgra)[..., 3], straight[..., 3]) <= 1
