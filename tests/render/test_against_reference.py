"""Every backend agrees with the float64 reference within 2/255."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import BlendMode, Document, Group, Layer, Mask
from editor.render import render, render_float
from editor.render.backends import available

from .docgen import H, W, documents, random_pixels
from .reference import reference_bgra, reference_render

BACKENDS = available()
TOL = 2 / 255


def assert_matches_reference(doc: Document, backend: str) -> None:
    expected = reference_render(doc)
    got = render_float(doc, backend=backend)
    assert np.abs(got - expected).max() <= TOL
    bgra = render(doc, backend=backend).astype(np.float64)
    assert np.abs(bgra - reference_bgra(doc)).max() <= 2.0


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("mode", list(BlendMode))
def test_each_mode_with_mask_and_opacity(backend: str, mode: BlendMode) -> None:
    rng = np.random.default_rng(7)
    doc = Document(24, 20)
    doc.root.insert(0, Layer("below", random_pixels(rng, 20, 24)))
    mask = Mask(rng.integers(0, 256, (16, 18), dtype=np.uint8), density=0.8, feather=1.3, inverted=True)
    doc.root.insert(1, Layer("top", random_pixels(rng, 16, 18), offset=(9, -3), opacity=0.7, blend_mode=mode, mask=mask))
    assert_matches_reference(doc, backend)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60, deadline=None)
@given(doc=documents())
def test_random_documents(backend: str, doc: Document) -> None:
    assert_matches_reference(doc, backend)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60, deadline=None)
@given(doc=documents(knockout=True))
def test_random_documents_with_knockouts(backend: str, doc: Document) -> None:
    assert_matches_reference(doc, backend)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60, deadline=None)
@given(doc=documents(advanced=True))
def test_random_documents_with_channel_restrictions_and_clipped_layers_blended_apart(backend: str,
                                                                                      doc: Document) -> None:
    assert_matches_reference(doc, backend)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=25, deadline=None)
@given(doc=documents(max_nodes=3), x=st.integers(-4, 11), y=st.integers(-4, 9), w=st.integers(1, 14), h=st.integers(1, 12))
def test_rect_equals_crop_of_full_render(backend: str, doc: Document, x: int, y: int, w: int, h: int) -> None:
    from editor.core import Rect

    full = np.zeros((doc.height + 30, doc.width + 30, 4), np.uint8)
    full[15 : 15 + doc.height, 15 : 15 + doc.width] = render(doc, backend=backend)
    part = render(doc, Rect(x, y, w, h), backend=backend)
    assert part.shape == (h, w, 4)
    np.testing.assert_array_equal(part, full[15 + y : 15 + y + h, 15 + x : 15 + x + w])


@st.composite
def normal_stacks(draw):
    """Runs of normal-mode pixel layers, most covering the whole canvas (drawn two at a time by the
    fast kernel, the first pair of a row writing the row buffer without clearing it), some only
    part of it (rows and columns no pair covers), optionally inside a pass-through group."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    doc = Document(W, H)
    def geometry():
        h, w = draw(st.integers(1, H)), draw(st.integers(1, W))
        return h, w, (draw(st.integers(-w + 1, W - 1)), draw(st.integers(-h + 1, H - 1)))

    shared = geometry()  # layers in this place pair up over part of the canvas
    layers = []
    for i in range(draw(st.integers(1, 6))):
        h, w, offset = draw(st.sampled_from([(H, W, (0, 0)), (H, W, (0, 0)), shared])) if draw(st.booleans()) or draw(
            st.booleans()) else geometry()
        mask = Mask(rng.integers(0, 256, (h, w), dtype=np.uint8), inverted=draw(st.booleans())) if draw(st.booleans()) else None
        layers.append(Layer(f"l{i}", random_pixels(rng, h, w), offset=offset, mask=mask,
                            opacity=draw(st.sampled_from([1.0, 0.8, 0.35]))))
    if draw(st.booleans()):
        doc.root.insert(0, Layer("under", random_pixels(rng, H, W)))
        doc.root.insert(1, Group("pass", layers, isolated=False, opacity=0.6))
    else:
        for i, layer in enumerate(layers):
            doc.root.insert(i, layer)
    return doc


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, deadline=None)
@given(doc=normal_stacks())
def test_stacks_of_normal_layers(backend: str, doc: Document) -> None:
    assert_matches_reference(doc, backend)


# (size, offset) of each layer, bottom first; None: the whole canvas.
PAIR_LAYOUTS = {
    "part-pair-under-full": [((6, 5), (3, 2)), ((6, 5), (3, 2)), None],
    "full-pair-under-part-pair": [None, None, ((6, 5), (3, 2)), ((6, 5), (3, 2))],
    "part-pairs-rows-uncovered": [((W, 4), (0, 3)), ((W, 4), (0, 3)), ((4, H), (2, 0))],
    "full-width-pair-some-rows": [((W, 4), (0, 3)), ((W, 4), (0, 3))],
    "full-pairs-then-odd": [None, None, None, None, None],
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("layout", list(PAIR_LAYOUTS))
@pytest.mark.parametrize("pass_through", [False, True])
def test_pair_layouts(backend: str, layout: str, pass_through: bool) -> None:
    rng = np.random.default_rng(11)
    layers = []
    for i, place in enumerate(PAIR_LAYOUTS[layout]):
        (w, h), offset = place or ((W, H), (0, 0))
        layers.append(Layer(f"l{i}", random_pixels(rng, h, w), offset=offset, opacity=0.9,
                            mask=Mask(rng.integers(0, 256, (h, w), dtype=np.uint8))))
    doc = Document(W, H)
    if pass_through:
        doc.root.insert(0, Layer("under", random_pixels(rng, H, W)))
        doc.root.insert(1, Group("pass", layers, isolated=False, opacity=0.6))
    else:
        for i, layer in enumerate(layers):
            doc.root.insert(i, layer)
    assert_matches_reference(doc, backend)
