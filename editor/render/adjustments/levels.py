"""Levels: per channel and for all channels (master) an input black and white point, a gamma
and an output range, as Photoshop's Levels dialog and its PSD `levl` block.

Each channel maps v = clamp((x - in_black) / (in_white - in_black)), v = gamma_curve(v),
out = out_black + v * (out_white - out_black); a channel's own levels apply first, then
the master's (Photoshop's order: the RGB composite acts on the channels' result),
composed in float and rounded once.

The gamma curve is v ** (1 / gamma), except that above gamma 1 Photoshop does not start it
with an infinite slope at black: below t = 2 ** (-g - 1 / (g - 1)) it is the cubic Hermite
that leaves black at slope 2 ** g and meets the power in value and slope at t (SethRobinson/
Patchy docs/high-bit-depth.md, "Levels above gamma 1", pinned on Photoshop 2026 ramps at every
depth). At gamma 2 an input of 16 gives 55, where the plain power gives 64.
"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from

CHANNELS = ("master", "red", "green", "blue")

CHANNEL = (
    Param("in_black", "int", 0, 0, 253, "Input black"),
    Param("in_white", "int", 255, 2, 255, "Input white"),
    Param("gamma", "float", 1.0, 0.1, 9.99, "Gamma", step=0.01),
    Param("out_black", "int", 0, 0, 255, "Output black"),
    Param("out_white", "int", 255, 0, 255, "Output white"),
)


def gamma_curve(v: np.ndarray, g: float) -> np.ndarray:
    """Photoshop's Levels gamma on 0..1: the power 1 / g, with its toe below t for g > 1."""
    v = np.asarray(v, np.float64)
    out = v ** (1 / g)
    if g <= 1:
        return out
    t = 2.0 ** (-g - 1 / (g - 1))
    if t <= 0:
        return out
    s = v / t
    end, end_slope = t ** (1 / g), (1 / g) * t ** (1 / g - 1)
    toe = ((s ** 3 - 2 * s ** 2 + s) * t * 2.0 ** g  # the Hermite basis: slope 2^g at 0, value 0
           + (-2 * s ** 3 + 3 * s ** 2) * end + (s ** 3 - s ** 2) * t * end_slope)
    return np.where(v < t, toe, out)


def channel_map(ch: dict):
    def fn(x: np.ndarray) -> np.ndarray:
        lo, hi = ch["in_black"] / 255, ch["in_white"] / 255
        v = np.clip((x - lo) / max(hi - lo, 1e-6), 0, 1)
        v = gamma_curve(v, ch["gamma"])
        return ch["out_black"] / 255 + v * (ch["out_white"] - ch["out_black"]) / 255
    return fn


def lut(params: dict) -> np.ndarray:
    master = channel_map(params["master"])
    return np.stack([lut_from(lambda x, c=c: master(channel_map(params[c])(x))) for c in CHANNELS[1:]])


SPEC = Spec("levels", "Levels", tuple(Param(c, "record", fields=CHANNEL, label=c.capitalize()) for c in CHANNELS),
            lut=lut)
