"""Black & White, as Photoshop's (its PSD `blwh` block): six colour weights and a tint.

Per pixel, with its channels sorted lo <= mid <= hi: grey = lo + (mid - lo) w2 + (hi - mid) w1,
where w1 is the weight of the primary the largest channel names (reds, greens, blues) and
w2 the weight of the secondary the two largest name (yellows, cyans, magentas); weights are
percentages (Photoshop's defaults 40, 60, 40, 60, 20, 80). A grey pixel stays itself; pure
red becomes 40 % grey. Tint colours the grey: the tint's HSL hue and saturation at the
grey's lightness.
"""

from __future__ import annotations

import numpy as np

from ._colour import hsl_to_rgb, rgb_to_hsl, to_byte
from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays

WEIGHTS = (("reds", 40), ("yellows", 60), ("greens", 40), ("cyans", 60), ("blues", 20), ("magentas", 80))
RED, YELLOW, GREEN, CYAN, BLUE, MAGENTA = range(6)


@njit(inline="always")
def _grey(r, g, b, w):
    if r >= g and r >= b:
        hi, primary = r, RED
        if g >= b:
            mid, lo, secondary = g, b, YELLOW
        else:
            mid, lo, secondary = b, g, MAGENTA
    elif g >= b:
        hi, primary = g, GREEN
        if r >= b:
            mid, lo, secondary = r, b, YELLOW
        else:
            mid, lo, secondary = b, r, CYAN
    else:
        hi, primary = b, BLUE
        if r >= g:
            mid, lo, secondary = r, g, MAGENTA
        else:
            mid, lo, secondary = g, r, CYAN
    return lo + (mid - lo) * w[secondary] + (hi - mid) * w[primary]


@njit
def black_white_planes(planes, n, p):
    """p: the six weights (fractions), then tint (0 or 1), the tint's HSL hue and saturation."""
    R, G, B = planes[0], planes[1], planes[2]
    w = p[:6]
    tint, th, ts = p[6] > 0, p[7], p[8]
    for x in range(n):
        grey = min(1.0, max(0.0, _grey(R[x] / 255.0, G[x] / 255.0, B[x] / 255.0, w)))
        if tint:
            r, g, b = hsl_to_rgb(th, ts, grey)
        else:
            r = g = b = grey
        R[x], G[x], B[x] = to_byte(r), to_byte(g), to_byte(b)


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    black_white_planes(planes, n, params)


KERNEL = PlanesKernel(black_white_planes, _planes_c)


def weights(params: dict) -> np.ndarray:
    return np.array([params[n] for n, _ in WEIGHTS], np.float64) / 100


def pack(params: dict) -> np.ndarray:
    c = params["tint_color"]
    th, ts, _ = rgb_to_hsl.py_func(c[0] / 255, c[1] / 255, c[2] / 255)
    return np.append(weights(params), [float(bool(params["tint"])), th, ts])


SPEC = Spec("black_white", "Black & White", (
    *(Param(n, "int", d, -200, 300, n.capitalize()) for n, d in WEIGHTS),
    Param("tint", "bool", False, label="Tint"),
    Param("tint_color", "color", [225, 211, 179], label="Tint colour"),
), kernel=KERNEL, pack=pack)
