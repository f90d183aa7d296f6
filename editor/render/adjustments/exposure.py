"""Exposure, as Photoshop's Exposure adjustment: computed in linear light.

Each channel goes from sRGB to linear, is scaled by 2 ** exposure and shifted by offset,
goes back to sRGB (clamped to 0..1), and then a plain power 1 / gamma applies.
"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from


def to_linear(x: np.ndarray) -> np.ndarray:
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


def to_srgb(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0, 1)
    return np.where(x <= 0.0031308, x * 12.92, 1.055 * x ** (1 / 2.4) - 0.055)


def channel(params: dict):
    def fn(x: np.ndarray) -> np.ndarray:
        v = to_srgb(to_linear(x) * 2.0 ** params["exposure"] + params["offset"])
        return np.clip(v, 0, 1) ** (1 / params["gamma"])
    return fn


def lut(params: dict) -> np.ndarray:
    return np.tile(lut_from(channel(params)), (3, 1))


SPEC = Spec("exposure", "Exposure", (
    Param("exposure", "float", 0.0, -20.0, 20.0, "Exposure", step=0.01),
    Param("offset", "float", 0.0, -0.5, 0.5, "Offset", step=0.0001),
    Param("gamma", "float", 1.0, 0.01, 9.99, "Gamma correction", step=0.01),
), lut=lut)
