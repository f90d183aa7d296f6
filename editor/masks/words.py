"""RGBA pixels as one uint32 word each, so a numba kernel loads a pixel once, not per channel."""

from __future__ import annotations

import sys

import cv2
import numpy as np


def as_words(pixels: np.ndarray) -> np.ndarray:
    """(h, w) uint32 view of (h, w, 4) uint8 RGBA; 3-channel input is padded to RGBA first."""
    if pixels.shape[2] == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2RGBA)
    return np.ascontiguousarray(pixels).view(np.uint32)[..., 0]


def channel_shift(channel: int) -> int:
    """The bit shift of RGBA channel `channel` inside a word from `as_words`."""
    return 8 * channel if sys.byteorder == "little" else 8 * (3 - channel)
