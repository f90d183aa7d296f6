"""Threshold: white where the pixel's luminosity (Rec. 601 weights, rounded to a byte) is at
least `level`, black below."""

from __future__ import annotations

import numpy as np

from ._jit import njit, prange
from .base import Param, Spec


@njit(parallel=True, cache=True)
def _threshold(rgba, level):
    h, w = rgba.shape[0], rgba.shape[1]
    for y in prange(h):
        for x in range(w):
            lum = (299 * np.int32(rgba[y, x, 0]) + 587 * np.int32(rgba[y, x, 1]) + 114 * np.int32(rgba[y, x, 2]) + 500) // 1000
            v = np.uint8(255) if lum >= level else np.uint8(0)
            rgba[y, x, 0] = rgba[y, x, 1] = rgba[y, x, 2] = v


def pixels(rgba: np.ndarray, params: dict) -> None:
    _threshold(rgba, np.int32(params["level"]))


SPEC = Spec("threshold", "Threshold", (Param("level", "int", 128, 1, 255, "Threshold level"),), pixels=pixels)
