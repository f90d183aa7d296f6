"""Channel Mixer, as Photoshop's (its PSD `mixr` block): each output channel is a weighted sum
of the source red, green and blue plus a constant, all in percent (weights -200..200, the
constant -200..200 % of white): out = clamp(wr R + wg G + wb B + constant). Monochrome makes
every channel the grey output's mix. The defaults (100 % of each channel's own source) change
nothing.
"""

from __future__ import annotations

import numpy as np

from ._colour import to_byte
from ._jit import njit, prange
from .base import Param, Spec

OUTPUTS = ("red", "green", "blue")
SOURCES = ("red", "green", "blue", "constant")


@njit(parallel=True, cache=True)
def _mix(rgba, m):
    height, width = rgba.shape[0], rgba.shape[1]
    for y in prange(height):
        for x in range(width):
            r, g, b = rgba[y, x, 0] / 255.0, rgba[y, x, 1] / 255.0, rgba[y, x, 2] / 255.0
            for c in range(3):
                rgba[y, x, c] = to_byte(m[c, 0] * r + m[c, 1] * g + m[c, 2] * b + m[c, 3])


def matrix(params: dict) -> np.ndarray:
    """(3, 4) float64: per output channel, the weights of R, G, B and the constant, as fractions."""
    rows = [params["gray"]] * 3 if params["monochrome"] else [params[o] for o in OUTPUTS]
    return np.array([[row[s] for s in SOURCES] for row in rows], np.float64) / 100


def pixels(rgba: np.ndarray, params: dict) -> None:
    _mix(rgba, matrix(params))


def _output(name: str, own: str | None) -> Param:
    return Param(name, "record", label=name.capitalize(), fields=tuple(
        Param(s, "int", 100 if s == own else 0, -200, 200, s.capitalize()) for s in SOURCES))


SPEC = Spec("channel_mixer", "Channel Mixer", (
    *(_output(o, o) for o in OUTPUTS),
    Param("monochrome", "bool", False, label="Monochrome"),
    Param("gray", "record", label="Gray", fields=(
        Param("red", "int", 40, -200, 200, "Red"), Param("green", "int", 40, -200, 200, "Green"),
        Param("blue", "int", 20, -200, 200, "Blue"), Param("constant", "int", 0, -200, 200, "Constant"))),
), pixels=pixels)
