"""Brightness/Contrast, Photoshop's two forms (its PSD `brit` block and the "Use Legacy" box).

Legacy (Photoshop before CS3): a straight shift and a straight slope about the midpoint, in
Photoshop's hybrid order (SethRobinson/Patchy docs/adjustments-calibration.md, nine ramp
captures): positive contrast takes the brightness into its input, (v + b - 127.5) * 100 /
(100 - c) + 127.5; negative contrast compresses first and adds the brightness to its output,
round((v - 127.5) (100 + c) / 100 + 127.5) + b; contrast 100 is the threshold v + b >= 127;
clipped.

Current (CS3 and later): a tone curve that keeps black and white. Adobe has not published
it; Veil uses the model psd-tools fitted to Photoshop's renders. Contrast c = contrast / 100
is the natural cubic spline (Curves' own interpolation) through (0, 0), (63, 63 - 25 c),
(191, 191 + 25 c) and (255, 255): a gentle S, unlike legacy's clipped slope. Brightness
b = brightness / 150 then moves each point of that curve along the diagonal by
b t (1 - t) h(t), where h is psd-tools' fitted blend of powers of t; the table is that moved
curve read back at each input.
"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from
from .curves import curve


def legacy(params: dict):
    b, c = params["brightness"], params["contrast"]

    def fn(x: np.ndarray) -> np.ndarray:
        v = x * 255
        if c >= 100:
            return np.where(v + b >= 127, 1.0, 0.0)
        if c < 0:
            return (np.floor((v - 127.5) * (100 + c) / 100 + 127.5 + 0.5) + b) / 255
        return ((v + b - 127.5) * 100 / (100 - c) + 127.5) / 255
    return fn


# psd-tools' fit of Photoshop's brightness bend: h(t) = (|b| (1.65 t^0.35 - t^10)
# + (1 - |b|) (1.96 t^0.4 + t^4) + t^1.25) / 2.
_STRONG = ((1.65, 0.35), (-1.0, 10.0))
_WEAK = ((1.96, 0.4), (1.0, 4.0))
_COMMON = ((1.0, 1.25),)


def _powers(terms, t: np.ndarray) -> np.ndarray:
    return sum(a * t ** r for a, r in terms)


def brightness_shift(b: float, t: np.ndarray) -> np.ndarray:
    """How far brightness `b` (-1..1) moves the curve's point at `t` along the diagonal."""
    h = 0.5 * (abs(b) * _powers(_STRONG, t) + (1 - abs(b)) * _powers(_WEAK, t) + _powers(_COMMON, t))
    return b * t * (1 - t) * h


def contrast_curve(c: float, t: np.ndarray) -> np.ndarray:
    """Contrast `c` (-0.5..1) as the S-curve through the quarter points, on 0..1."""
    delta = 25 * c
    return curve([[0, 0], [63, 63 - delta], [191, 191 + delta], [255, 255]], t * 255) / 255


def current(params: dict):
    b, c = params["brightness"] / 150, params["contrast"] / 100

    def fn(x: np.ndarray) -> np.ndarray:
        t = np.linspace(0.0, 1.0, 4097)
        shift = brightness_shift(b, t)
        return np.interp(np.clip(x, 0, 1), t - shift, contrast_curve(c, t) + shift)
    return fn


def lut(params: dict) -> np.ndarray:
    if params["legacy"]:
        fn = legacy(dict(params, brightness=min(100, max(-100, params["brightness"]))))
    else:
        fn = current(dict(params, contrast=max(-50, params["contrast"])))
    return np.tile(lut_from(fn), (3, 1))


SPEC = Spec("brightness_contrast", "Brightness/Contrast", (
    Param("brightness", "int", 0, -150, 150, "Brightness"),
    Param("contrast", "int", 0, -100, 100, "Contrast"),
    Param("legacy", "bool", False, label="Use legacy"),
), lut=lut)
