"""Every backend agrees with the float64 reference within 2/255."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import BlendMode, Document, Layer, Mask
from editor.render import render, render_float
from editor.render.backends import available

from .docgen import documents, random_pixels
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
@settings(max_examples=25, deadline=None)
@given(doc=documents(max_nodes=3), x=st.integers(-4, 11), y=st.integers(-4, 9), w=st.integers(1, 14), h=st.integers(1, 12))
def test_rect_equals_crop_of_full_render(backend: str, doc: Document, x: int, y: int, w: int, h: int) -> None:
    from editor.core import Rect

    full = np.zeros((doc.height + 30, doc.width + 30, 4), np.uint8)
    full[15 : 15 + doc.height, 15 : 15 + doc.width] = render(doc, backend=backend)
    part = render(doc, Rect(x, y, w, h), backend=backend)
    assert part.shape == (h, w, 4)
    np.testing.assert_array_equal(part, full[15 + y : 15 + y + h, 15 + x : 15 + x + w])
