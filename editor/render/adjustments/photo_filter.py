"""Photo Filter, as Photoshop's (its PSD `phfl` block): a coloured filter in front of the lens.

Each channel is multiplied by the filter colour's, mixed with the original by the density
(d = density / 100): c' = c (1 - d + d f). With Preserve Luminosity (the default, as in
Photoshop) the result then takes the original's luminosity back, 0.30 R + 0.59 G + 0.11 B,
the way the W3C Luminosity blend sets it (SetLum with its clip into range). Adobe has not
published the formula; at full density and without Preserve Luminosity this is a Multiply
layer of the colour, which is how Photoshop's filter is described.
"""

from __future__ import annotations

import numpy as np

from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays, to_level

WARMING_85 = [236, 138, 0]  # Photoshop's default filter


@njit(inline="always", fastmath=True)
def _lum(r, g, b):
    return 0.3 * r + 0.59 * g + 0.11 * b


@njit(fastmath=True)
def photo_filter_planes(planes, n, p):
    """p: the three channel factors 1 - d + d f, then preserve luminosity (0 or 1)."""
    R, G, B = planes[0], planes[1], planes[2]
    kr, kg, kb, keep = p[0], p[1], p[2], p[3] > 0
    for x in range(n):
        r0, g0, b0 = R[x] / 255.0, G[x] / 255.0, B[x] / 255.0
        r, g, b = r0 * kr, g0 * kg, b0 * kb
        if keep:  # SetLum(filtered, Lum(original)), clipped into range keeping the luminosity
            d = _lum(r0, g0, b0) - _lum(r, g, b)
            r, g, b = r + d, g + d, b + d
            light = _lum(r, g, b)
            lo = min(r, min(g, b))
            hi = max(r, max(g, b))
            if lo < 0.0 and light - lo > 0.0:
                s = light / (light - lo)
                r, g, b = light + (r - light) * s, light + (g - light) * s, light + (b - light) * s
            if hi > 1.0 and hi - light > 0.0:
                s = (1.0 - light) / (hi - light)
                r, g, b = light + (r - light) * s, light + (g - light) * s, light + (b - light) * s
        R[x], G[x], B[x] = to_level(r * 255.0), to_level(g * 255.0), to_level(b * 255.0)


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    photo_filter_planes(planes, n, params)


KERNEL = PlanesKernel(photo_filter_planes, _planes_c)


def pack(params: dict) -> np.ndarray:
    d = params["density"] / 100
    factors = [1 - d + d * c / 255 for c in params["color"]]
    return np.array([*factors, float(params["preserve_luminosity"])], np.float64)


SPEC = Spec("photo_filter", "Photo Filter", (
    Param("color", "color", WARMING_85, label="Filter colour"),
    Param("density", "int", 25, 0, 100, "Density"),
    Param("preserve_luminosity", "bool", True, label="Preserve luminosity"),
), kernel=KERNEL, pack=pack)
