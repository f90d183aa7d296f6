"""Flattening straight RGBA onto an opaque colour (JPEG export, batch backgrounds): the 16-bit
integer formula gives the nearest byte of the exact float result for every colour, alpha and
background value, and an opaque image comes back unchanged."""

from __future__ import annotations

import numpy as np

from editor.io.images import flatten_on


def test_every_colour_alpha_and_background_rounds_to_nearest():
    c, a = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
    for bg in (0, 1, 128, 254, 255):
        rgba = np.stack([c, c, 255 - c, a], axis=-1).astype(np.uint8)
        got = flatten_on(rgba, (bg, 255 - bg, bg)).astype(int)
        exact = lambda v, b: np.floor((v * a + b * (255 - a)) / 255 + 0.5)  # noqa: E731
        assert np.array_equal(got[..., 0], exact(c, bg))
        assert np.array_equal(got[..., 1], exact(c, 255 - bg))
        assert np.array_equal(got[..., 2], exact(255 - c, bg))


def test_opaque_image_is_its_colour():
    rgba = np.random.default_rng(3).integers(0, 256, (5, 7, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    out = flatten_on(rgba, (10, 20, 30))
    assert out.flags.c_contiguous and np.array_equal(out, rgba[..., :3])
