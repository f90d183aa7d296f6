"""Gradient Map: each pixel's luminosity (Rec. 601 weights, rounded to a byte) picks a colour
from the gradient (stops [position 0..1, r, g, b], linear between stops, flat beyond the
first and last); `reverse` flips it."""

from __future__ import annotations

import numpy as np

from ._jit import njit, prange
from .base import Param, Spec


def gradient_table(stops: list, reverse: bool) -> np.ndarray:
    """(256, 3) uint8: the colour for each luminosity."""
    pos = np.array([s[0] for s in stops], np.float64)
    cols = np.array([s[1:4] for s in stops], np.float64)
    x = np.arange(256) / 255
    if reverse:
        x = 1 - x
    out = np.stack([np.interp(x, pos, cols[:, c]) for c in range(3)], axis=1)
    out[x <= pos[0]] = cols[0]  # where stops coincide, the first one holds up to its position
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


@njit(parallel=True, cache=True)
def _map(rgba, table):
    h, w = rgba.shape[0], rgba.shape[1]
    for y in prange(h):
        for x in range(w):
            lum = (299 * np.int32(rgba[y, x, 0]) + 587 * np.int32(rgba[y, x, 1]) + 114 * np.int32(rgba[y, x, 2]) + 500) // 1000
            for c in range(3):
                rgba[y, x, c] = table[lum, c]


def pixels(rgba: np.ndarray, params: dict) -> None:
    _map(rgba, gradient_table(params["gradient"], params["reverse"]))


SPEC = Spec("gradient_map", "Gradient Map", (
    Param("gradient", "gradient", [[0.0, 0, 0, 0], [1.0, 255, 255, 255]], label="Gradient"),
    Param("reverse", "bool", False, label="Reverse"),
), pixels=pixels)
