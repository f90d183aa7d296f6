"""The numba conversion from the float premultiplied buffer to straight RGBA gives the numpy
path's bytes exactly, including zero and tiny alpha and colours above their alpha."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.render.pixels import straight_rgba_numpy
from editor.render.straight_kernel import straight_into


def _fast(acc: np.ndarray) -> np.ndarray:
    out = np.empty(acc.shape, np.uint8)
    straight_into(acc, out)
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), h=st.integers(1, 17), w=st.integers(1, 23))
def test_numba_conversion_matches_numpy(seed, h, w):
    rng = np.random.default_rng(seed)
    alpha = rng.choice([0.0, 1e-6, 1 / 255, 0.5, 1.0], (h, w, 1)).astype(np.float32)
    alpha = np.where(rng.random((h, w, 1)) < 0.5, rng.random((h, w, 1), np.float32), alpha)
    colour = (rng.random((h, w, 3), np.float32) * alpha * np.float32(1.02)).astype(np.float32)  # a little over
    acc = np.concatenate([colour, alpha], axis=2)
    np.testing.assert_array_equal(_fast(acc), straight_rgba_numpy(acc))


def test_transparent_pixels_are_zero_colour():
    acc = np.zeros((2, 3, 4), np.float32)
    assert not _fast(acc).any()
