"""Vibrance and Saturation (Photoshop's Vibrance, PSD `vibA` block), in HSL.

Vibrance v = vibrance / 100 raises the saturation of dull colours more than that of vivid
ones, s' = s (1 + v (1 - s)) (a grey stays grey, a fully saturated colour is left alone);
then Saturation scales it, s'' = clamp(s' (1 + saturation / 100)). Adobe has not published
Vibrance; this keeps its documented behaviour (more on less saturated colours), not its
skin-tone protection.
"""

from __future__ import annotations

import numpy as np

from ._colour import hsl_to_rgb, rgb_to_hsl, to_byte
from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays


@njit
def vibrance_planes(planes, n, p):
    """p: vibrance and saturation as fractions (-1..1)."""
    R, G, B = planes[0], planes[1], planes[2]
    v, sat = p[0], p[1]
    for x in range(n):
        h, s, light = rgb_to_hsl(R[x] / 255.0, G[x] / 255.0, B[x] / 255.0)
        s = s * (1 + v * (1 - s))
        s = min(1.0, max(0.0, s * (1 + sat)))
        r, g, b = hsl_to_rgb(h, s, light)
        R[x], G[x], B[x] = to_byte(r), to_byte(g), to_byte(b)


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    vibrance_planes(planes, n, params)


KERNEL = PlanesKernel(vibrance_planes, _planes_c)


def pack(params: dict) -> np.ndarray:
    return np.array([params["vibrance"] / 100, params["saturation"] / 100], np.float64)


SPEC = Spec("vibrance", "Vibrance", (
    Param("vibrance", "int", 0, -100, 100, "Vibrance"),
    Param("saturation", "int", 0, -100, 100, "Saturation"),
), kernel=KERNEL, pack=pack)
