"""Posterize: each channel to `levels` evenly spaced values (round(x (n - 1)) / (n - 1))."""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from


def lut(params: dict) -> np.ndarray:
    n = params["levels"] - 1
    return np.tile(lut_from(lambda x: np.floor(x * n + 0.5) / n), (3, 1))


SPEC = Spec("posterize", "Posterize", (Param("levels", "int", 4, 2, 255, "Levels"),), lut=lut)
