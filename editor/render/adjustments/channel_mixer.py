"""Channel Mixer, as Photoshop's (its PSD `mixr` block): each output channel is a weighted sum
of the source red, green and blue plus a constant, all in percent (weights -200..200, the
constant -200..200 % of white): out = clamp(wr R + wg G + wb B + constant). Monochrome makes
every channel the grey output's mix. The defaults (100 % of each channel's own source) change
nothing.
"""

from __future__ import annotations

import numpy as np

from ._colour import to_byte
from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays

OUTPUTS = ("red", "green", "blue")
SOURCES = ("red", "green", "blue", "constant")


@njit
def channel_mixer_planes(planes, n, m):
    """m: the (3, 4) `matrix`, row by row."""
    R, G, B = planes[0], planes[1], planes[2]
    for x in range(n):
        r, g, b = R[x] / 255.0, G[x] / 255.0, B[x] / 255.0
        R[x] = to_byte(m[0] * r + m[1] * g + m[2] * b + m[3])
        G[x] = to_byte(m[4] * r + m[5] * g + m[6] * b + m[7])
        B[x] = to_byte(m[8] * r + m[9] * g + m[10] * b + m[11])


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    channel_mixer_planes(planes, n, params)


KERNEL = PlanesKernel(channel_mixer_planes, _planes_c)


def matrix(params: dict) -> np.ndarray:
    """(3, 4) float64: per output channel, the weights of R, G, B and the constant, as fractions."""
    rows = [params["gray"]] * 3 if params["monochrome"] else [params[o] for o in OUTPUTS]
    return np.array([[row[s] for s in SOURCES] for row in rows], np.float64) / 100


def pack(params: dict) -> np.ndarray:
    return matrix(params).reshape(12)


def _output(name: str, own: str | None) -> Param:
    return Param(name, "record", label=name.capitalize(), fields=tuple(
        Param(s, "int", 100 if s == own else 0, -200, 200, s.capitalize()) for s in SOURCES))


SPEC = Spec("channel_mixer", "Channel Mixer", (
    *(_output(o, o) for o in OUTPUTS),
    Param("monochrome", "bool", False, label="Monochrome"),
    Param("gray", "record", label="Gray", fields=(
        Param("red", "int", 40, -200, 200, "Red"), Param("green", "int", 40, -200, 200, "Green"),
        Param("blue", "int", 20, -200, 200, "Blue"), Param("constant", "int", 0, -200, 200, "Constant"))),
), kernel=KERNEL, pack=pack)
