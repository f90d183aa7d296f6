"""Posterize, as Photoshop's: each channel's 256 values fall into `levels` bins of equal width,
and bin k becomes k / (levels - 1) of white: floor(v levels / 256) * 255 / (levels - 1). (GIMP
rounds to the nearest level instead, which makes the end bins half as wide.)"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from


def lut(params: dict) -> np.ndarray:
    n = params["levels"] - 1
    return np.tile(lut_from(lambda x: np.minimum(np.floor(np.round(x * 255) * (n + 1) / 256), n) / n), (3, 1))


SPEC = Spec("posterize", "Posterize", (Param("levels", "int", 4, 2, 255, "Levels"),), lut=lut)
