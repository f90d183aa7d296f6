"""Vibrance and Saturation (Photoshop's Vibrance, PSD `vibA` block), in HSL.

Vibrance v = vibrance / 100 raises the saturation of dull colours more than that of vivid
ones, s' = s (1 + v (1 - s)) (a grey stays grey, a fully saturated colour is left alone);
then Saturation scales it, s'' = clamp(s' (1 + saturation / 100)). Adobe has not published
Vibrance; this keeps its documented behaviour (more on less saturated colours), not its
skin-tone protection.
"""

from __future__ import annotations

from ._colour import hsl_to_rgb, rgb_to_hsl, to_byte
from ._jit import njit, prange
from .base import Param, Spec


@njit(parallel=True, cache=True)
def _vibrance(rgba, v, sat):
    height, width = rgba.shape[0], rgba.shape[1]
    for y in prange(height):
        for x in range(width):
            h, s, light = rgb_to_hsl(rgba[y, x, 0] / 255.0, rgba[y, x, 1] / 255.0, rgba[y, x, 2] / 255.0)
            s = s * (1 + v * (1 - s))
            s = min(1.0, max(0.0, s * (1 + sat)))
            r, g, b = hsl_to_rgb(h, s, light)
            rgba[y, x, 0], rgba[y, x, 1], rgba[y, x, 2] = to_byte(r), to_byte(g), to_byte(b)


def pixels(rgba, params: dict) -> None:
    _vibrance(rgba, params["vibrance"] / 100, params["saturation"] / 100)


SPEC = Spec("vibrance", "Vibrance", (
    Param("vibrance", "int", 0, -100, 100, "Vibrance"),
    Param("saturation", "int", 0, -100, 100, "Saturation"),
), pixels=pixels)
