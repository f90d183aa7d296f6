"""Gradient Map: each pixel's luminosity (Photoshop's 0.30, 0.59, 0.11 weights, rounded to a byte) picks a colour
from the gradient (stops [position 0..1, r, g, b], linear between stops, flat beyond the
first and last); `reverse` flips it."""

from __future__ import annotations

import numpy as np

from .base import Param, Spec
from .planes import LUMINOSITY_LUT, luminosity_table


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


def pack(params: dict) -> np.ndarray:
    return luminosity_table(gradient_table(params["gradient"], params["reverse"]))


SPEC = Spec("gradient_map", "Gradient Map", (
    Param("gradient", "gradient", [[0.0, 0, 0, 0], [1.0, 255, 255, 255]], label="Gradient"),
    Param("reverse", "bool", False, label="Reverse"),
), kernel=LUMINOSITY_LUT, pack=pack)
