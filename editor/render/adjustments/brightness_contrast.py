"""Brightness/Contrast, Photoshop's two forms (its PSD `brit` block and the "Use Legacy" box).

Legacy (Photoshop before CS3): a straight shift and a straight slope about the midpoint, in
Photoshop's hybrid order (SethRobinson/Patchy docs/adjustments-calibration.md, nine ramp
captures): positive contrast takes the brightness into its input, (v + b - 127.5) * 100 /
(100 - c) + 127.5; negative contrast compresses first and adds the brightness to its output,
round((v - 127.5) (100 + c) / 100 + 127.5) + b; contrast 100 is the threshold v + b >= 127;
clipped.

Current (CS3 and later), as SethRobinson/Patchy recovered it from Photoshop's ramps
(docs/adjustments-calibration.md, "Modern Brightness/Contrast": 449 of 452 8-bit curves
byte-exact): on 0..1, contrast(brightness(v)), rounded once. Brightness 0 < b <= 100 is the
gain ray sigma v, sigma = 2^(b/110), up to output 1/2, then the cubic Hermite from there to
(1, 1) leaving at slope sigma and arriving at slope max(0.1, 1 / (1 + 12 (sigma - 1))),
clamped to 1; above 100 it is f_(b-100) after f_100; a negative b is the inverse function of
f_(-b). Contrast c (-50..100) is y = (2 - 2 beta) u^2 + beta u on the lower half, beta =
1 - 0.0076 c, mirrored through (1/2, 1/2) on the upper half.
"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from


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


def _brighten(u: np.ndarray, b: float) -> np.ndarray:
    """Brightness 0 < b <= 100 on 0..1."""
    sigma = 2.0 ** (b / 110)
    tau = max(0.1, 1 / (1 + 12 * (sigma - 1)))
    knee = 0.5 / sigma
    span = 1 - knee
    t = np.clip((u - knee) / span, 0, 1)
    hermite = ((2 * t ** 3 - 3 * t ** 2 + 1) * 0.5 + (t ** 3 - 2 * t ** 2 + t) * span * sigma
               + (-2 * t ** 3 + 3 * t ** 2) + (t ** 3 - t ** 2) * span * tau)
    return np.where(u <= knee, sigma * u, np.minimum(hermite, 1.0))


def brightness(u: np.ndarray, b: float) -> np.ndarray:
    """Brightness b (-150..150) on 0..1."""
    u = np.asarray(u, np.float64)
    if b == 0:
        return u
    if b > 100:
        return brightness(_brighten(u, 100), b - 100)
    if b > 0:
        return _brighten(u, b)
    # The inverse of the increasing f_(-b), by bisection (64 halvings reach float64's last bit).
    lo, hi = np.zeros_like(u), np.ones_like(u)
    for _ in range(64):
        mid = (lo + hi) / 2
        below = brightness(mid, -b) < u
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


def contrast(u: np.ndarray, c: float) -> np.ndarray:
    """Contrast c (-50..100) on 0..1."""
    beta = 1 - 0.0076 * c

    def lower(x):
        return (2 - 2 * beta) * x * x + beta * x
    return np.where(u <= 0.5, lower(u), 1 - lower(1 - u))


def current(params: dict):
    b, c = params["brightness"], params["contrast"]
    return lambda x: contrast(brightness(np.clip(x, 0, 1), b), c)


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
