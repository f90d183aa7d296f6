"""Levels: per channel and for all channels (master) an input black and white point, a gamma
and an output range, as Photoshop's Levels dialog and its PSD `levl` block.

Each channel maps v = clamp((x - in_black) / (in_white - in_black)), v = v ** (1 / gamma),
out = out_black + v * (out_white - out_black); a channel's own levels apply first, then
the master's (Photoshop's order: the RGB composite acts on the channels' result),
composed in float and rounded once.
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


def channel_map(ch: dict):
    def fn(x: np.ndarray) -> np.ndarray:
        lo, hi = ch["in_black"] / 255, ch["in_white"] / 255
        v = np.clip((x - lo) / max(hi - lo, 1e-6), 0, 1)
        v = v ** (1 / ch["gamma"])
        return ch["out_black"] / 255 + v * (ch["out_white"] - ch["out_black"]) / 255
    return fn


def lut(params: dict) -> np.ndarray:
    master = channel_map(params["master"])
    return np.stack([lut_from(lambda x, c=c: master(channel_map(params[c])(x))) for c in CHANNELS[1:]])


SPEC = Spec("levels", "Levels", tuple(Param(c, "record", fields=CHANNEL, label=c.capitalize()) for c in CHANNELS),
            lut=lut)
