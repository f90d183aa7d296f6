"""Invert: every channel to 255 minus itself."""

from __future__ import annotations

import numpy as np

from .base import Spec


def lut(params: dict) -> np.ndarray:
    return np.tile(255 - np.arange(256, dtype=np.uint8), (3, 1))


SPEC = Spec("invert", "Invert", (), lut=lut)
