"""Colour Balance: cyan-red, magenta-green and yellow-blue shifts for shadows, midtones and
highlights (-100..100 each), with Preserve Luminosity (Photoshop's PSD `blnc` block).

Photoshop has not published its weighting; this follows GIMP's colour balance, written to
match Photoshop's: with L the pixel's HSL lightness, a shift s/100 adds to its channel
s * 0.7 * clamp((L - 0.333) / -0.25 + 0.5) for shadows, s * 0.7 * clamp((L - 0.333) / 0.25 + 0.5)
* clamp((L + 0.333 - 1) / -0.25 + 0.5) for midtones and s * 0.7 * clamp((L + 0.333 - 1) / 0.25 + 0.5)
for highlights, clamped to 0..1. Preserve Luminosity then gives the result the pixel's
original HSL lightness.
"""

from __future__ import annotations

import numpy as np

from ._colour import hsl_to_rgb, rgb_to_hsl, to_byte
from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays


@njit(inline="always")
def _clamp01(v):
    return min(1.0, max(0.0, v))


@njit(inline="always")
def _map(value, light, shadows, midtones, highlights):
    a, b, scale = 0.25, 0.333, 0.7
    s = shadows * _clamp01((light - b) / -a + 0.5) * scale
    m = midtones * _clamp01((light - b) / a + 0.5) * _clamp01((light + b - 1) / -a + 0.5) * scale
    h = highlights * _clamp01((light + b - 1) / a + 0.5) * scale
    return _clamp01(value + s + m + h)


@njit(fastmath=False)
def color_balance_planes(planes, n, p):
    """p: the (3 ranges, 3 channels) shifts in -1..1, row by row, then preserve (0 or 1)."""
    R, G, B = planes[0], planes[1], planes[2]
    preserve = p[9] > 0
    for x in range(n):
        r, g, b = R[x] / 255.0, G[x] / 255.0, B[x] / 255.0
        _, _, light = rgb_to_hsl(r, g, b)
        r2 = _map(r, light, p[0], p[3], p[6])
        g2 = _map(g, light, p[1], p[4], p[7])
        b2 = _map(b, light, p[2], p[5], p[8])
        if preserve:
            h, s, _ = rgb_to_hsl(r2, g2, b2)
            r2, g2, b2 = hsl_to_rgb(h, s, light)
        R[x], G[x], B[x] = to_byte(r2), to_byte(g2), to_byte(b2)


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    color_balance_planes(planes, n, params)


KERNEL = PlanesKernel(color_balance_planes, _planes_c)


def shifts(params: dict) -> np.ndarray:
    return np.array([params[t] for t in ("shadows", "midtones", "highlights")], np.float64) / 100


def pack(params: dict) -> np.ndarray:
    return np.append(shifts(params).reshape(9), float(bool(params["preserve_luminosity"])))


class _Shifts(Param):
    """[cyan-red, magenta-green, yellow-blue] shifts, -100..100 each."""

    def normalise(self, value):
        if value is None:
            return self.default_value()
        return [int(min(100, max(-100, round(float(v))))) for v in list(value)[:3]]


SPEC = Spec("color_balance", "Colour Balance", (
    *(_Shifts(t, "color", [0, 0, 0], -100, 100, t.capitalize()) for t in ("shadows", "midtones", "highlights")),
    Param("preserve_luminosity", "bool", True, label="Preserve luminosity"),
), kernel=KERNEL, pack=pack)
