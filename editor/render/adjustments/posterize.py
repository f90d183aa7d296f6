"""Posterize, as Photoshop's: each channel's 256 values fall into `levels` bins of equal width,
and bin k becomes floor(k * 255 / (levels - 1)), truncated, not rounded (byte-exact on
Photoshop's renders at 3, 7, 13 and 21 levels, SethRobinson/Patchy
docs/adjustments-calibration.md: 3 levels give 0, 127, 255). (GIMP rounds to the nearest level
instead, which makes the end bins half as wide.)"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec


def lut(params: dict) -> np.ndarray:
    n = params["levels"] - 1
    bins = np.minimum(np.floor(np.arange(256) * (n + 1) / 256), n)
    return np.tile((bins * 255 // n).astype(np.uint8), (3, 1))


SPEC = Spec("posterize", "Posterize", (Param("levels", "int", 4, 2, 255, "Levels"),), lut=lut)
