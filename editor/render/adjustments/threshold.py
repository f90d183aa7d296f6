"""Threshold: white where the pixel's luminosity (Photoshop's 0.30, 0.59, 0.11 weights, rounded to a byte) is at
least `level`, black below."""

from __future__ import annotations

import numpy as np

from .base import Param, Spec
from .planes import LUMINOSITY_LUT, luminosity_table


def pack(params: dict) -> np.ndarray:
    """The colour per luminosity: black below the level, white from it."""
    grey = np.where(np.arange(256) >= params["level"], 255, 0)
    return luminosity_table(np.stack([grey] * 3, axis=1))


SPEC = Spec("threshold", "Threshold", (Param("level", "int", 128, 1, 255, "Threshold level"),),
            kernel=LUMINOSITY_LUT, pack=pack)
