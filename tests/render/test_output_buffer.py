"""Rendering into a caller's buffer (`out=`): the same pixels as a fresh render, written only there."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import Document, Layer, Mask, Rect
from editor.render import Renderer, render
from editor.render.backends import available

from .docgen import H, W, documents, random_pixels

SENTINEL = 77
MARGIN = 3


def framed(h: int, w: int, *, layout: str = "C") -> tuple[np.ndarray, np.ndarray]:
    """A (h, w, 4) view in the middle of a larger array full of SENTINEL, and that array."""
    frame = np.full((h + 2 * MARGIN, w + 2 * MARGIN, 4), SENTINEL, np.uint8, order=layout)
    return frame[MARGIN:MARGIN + h, MARGIN:MARGIN + w], frame


def assert_frame_untouched(frame: np.ndarray, h: int, w: int) -> None:
    border = np.ones(frame.shape[:2], bool)
    border[MARGIN:MARGIN + h, MARGIN:MARGIN + w] = False
    assert (frame[border] == SENTINEL).all()


@pytest.mark.parametrize("backend", available())
@settings(max_examples=25, deadline=None)
@given(doc=documents(), x=st.integers(-8, W - 1), y=st.integers(-8, H - 1), w=st.integers(1, W + 8),
       h=st.integers(1, H + 8), layout=st.sampled_from("CF"))
def test_render_into_a_view_equals_a_fresh_render(backend, doc, x, y, w, h, layout) -> None:
    rect = Rect(x, y, w, h)
    view, frame = framed(h, w, layout=layout)  # "F": pixels not contiguous, the slow way round
    got = render(doc, rect, backend=backend, out=view)
    assert got is view
    np.testing.assert_array_equal(view, render(doc, rect, backend=backend))
    assert_frame_untouched(frame, h, w)


def test_parallel_kernel_writes_rows_of_a_view() -> None:
    """Large enough for the multithreaded path; the view's rows are far apart in memory."""
    if "numba" not in available():
        pytest.skip("numba not installed")
    rng = np.random.default_rng(5)
    doc = Document(700, 400)
    for i in range(8):
        mask = Mask(rng.integers(0, 256, (400, 700), dtype=np.uint8))
        doc.root.insert(i, Layer(f"l{i}", random_pixels(rng, 400, 700), opacity=0.7, mask=mask))
    view, frame = framed(400, 700)
    render(doc, backend="numba", out=view)
    np.testing.assert_array_equal(view, render(doc, backend="numba"))
    assert_frame_untouched(frame, 400, 700)


def test_renderer_with_caches_renders_into_a_view() -> None:
    rng = np.random.default_rng(6)
    doc = Document(W, H)
    for i in range(4):
        doc.root.insert(i, Layer(f"l{i}", random_pixels(rng, H, W), opacity=0.9))
    doc.set_active(doc.root.children[1])
    renderer = Renderer(doc)
    assert renderer.plan is not None
    for rect in (Rect(2, 3, 10, 7), Rect(-4, -2, W + 8, 9), doc.canvas):
        view, frame = framed(rect.h, rect.w)
        assert renderer.render(rect, out=view) is view
        np.testing.assert_array_equal(view, render(doc, rect))
        assert_frame_untouched(frame, rect.h, rect.w)
    renderer.close()


@pytest.mark.parametrize("out", [np.zeros((H, W + 1, 4), np.uint8), np.zeros((H, W, 4), np.float32),
                                 np.zeros((H, W, 3), np.uint8)])
def test_an_output_of_the_wrong_shape_or_type_is_refused(out) -> None:
    doc = Document(W, H)
    with pytest.raises(ValueError, match="out must be"):
        render(doc, out=out)
    with pytest.raises(ValueError, match="out must be"):
        Renderer(doc).render(Rect(0, 0, W, H), out=out)
