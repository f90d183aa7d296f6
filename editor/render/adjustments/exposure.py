"""Exposure, as Photoshop's Exposure adjustment: computed in linear light.

Each channel goes to linear light by a plain 2.2 power (not sRGB's exact tone curve: Photoshop
linearises an 8-bit RGB document's values that way; psd-tools' model, checked against
Photoshop's renders, does the same, and the exact curve parted from it by up to 9 levels in
the shadows), is scaled by 2 ** exposure and shifted by offset, clamped to 0..1, takes the
power 1 / gamma, and goes back by the 1 / 2.2 power.
"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from

GAMMA = 2.2  # the document's tone curve, as Photoshop approximates sRGB's here


def channel(params: dict):
    def fn(x: np.ndarray) -> np.ndarray:
        linear = np.clip(x ** GAMMA * 2.0 ** params["exposure"] + params["offset"], 0, 1)
        return (linear ** (1 / params["gamma"])) ** (1 / GAMMA)
    return fn


def lut(params: dict) -> np.ndarray:
    return np.tile(lut_from(channel(params)), (3, 1))


SPEC = Spec("exposure", "Exposure", (
    Param("exposure", "float", 0.0, -20.0, 20.0, "Exposure", step=0.01),
    Param("offset", "float", 0.0, -0.5, 0.5, "Offset", step=0.0001),
    Param("gamma", "float", 1.0, 0.01, 9.99, "Gamma correction", step=0.01),
), lut=lut)
