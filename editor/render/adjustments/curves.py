"""Curves: per channel (and master) a curve through points, as Photoshop's Curves.

The curve through the points is the natural cubic spline (second derivative zero at the end
points), Photoshop's interpolation; outside the first and last points it is flat, and it is
clamped to 0..255. A channel's table applies first, then the master's, each rounded to a
byte, as Photoshop's (SethRobinson/Patchy docs/adjustments-calibration.md: all 3,072 bytes of
its ramp captures matched, the red-plus-composite one pinning the order).
"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec

CHANNELS = ("master", "red", "green", "blue")
IDENTITY = [[0, 0], [255, 255]]


def spline_second_derivatives(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The natural cubic spline's second derivatives at the knots (tridiagonal solve)."""
    n = len(xs)
    m = np.zeros(n)
    if n < 3:
        return m
    h = np.diff(xs)
    a = np.zeros(n)
    b = np.ones(n)
    c = np.zeros(n)
    d = np.zeros(n)
    for i in range(1, n - 1):
        a[i], b[i], c[i] = h[i - 1], 2 * (h[i - 1] + h[i]), h[i]
        d[i] = 6 * ((ys[i + 1] - ys[i]) / h[i] - (ys[i] - ys[i - 1]) / h[i - 1])
    for i in range(1, n):  # Thomas algorithm
        w = a[i] / b[i - 1]
        b[i] -= w * c[i - 1]
        d[i] -= w * d[i - 1]
    m[n - 1] = d[n - 1] / b[n - 1]
    for i in range(n - 2, -1, -1):
        m[i] = (d[i] - c[i] * m[i + 1]) / b[i]
    return m


def curve(points: list[list[float]], x: np.ndarray) -> np.ndarray:
    """The curve through `points` at inputs `x` (float, 0..255), clamped to 0..255."""
    pts = np.asarray(points, np.float64)
    xs, ys = pts[:, 0], pts[:, 1]
    m = spline_second_derivatives(xs, ys)
    x = np.asarray(x, np.float64)
    i = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 2)
    h = xs[i + 1] - xs[i]
    t = (x - xs[i]) / h
    y = ((1 - t) * ys[i] + t * ys[i + 1]
         + h * h / 6 * ((((1 - t) ** 3) - (1 - t)) * m[i] + (t ** 3 - t) * m[i + 1]))
    y = np.where(x <= xs[0], ys[0], np.where(x >= xs[-1], ys[-1], y))
    return np.clip(y, 0, 255)


def curve_table(points: list[list[float]]) -> np.ndarray:
    """The 256-entry table of the curve through `points` (input and output 0..255)."""
    return np.floor(curve(points, np.arange(256)) + 0.5).astype(np.uint8)


def lut(params: dict) -> np.ndarray:
    master = curve_table(params["master"])
    return np.stack([master[curve_table(params[c])] for c in CHANNELS[1:]])


SPEC = Spec("curves", "Curves", tuple(Param(c, "curve", IDENTITY, 0, 255, c.capitalize()) for c in CHANNELS), lut=lut)
