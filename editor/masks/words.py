"""RGBA pixels as one uint32 word each, so a numba kernel loads a pixel once, not per channel."""

from __future__ import annotations

import sys

import cv2
import numpy as np
from numba import njit


def as_words(pixels: np.ndarray) -> np.ndarray:
    """(h, w) uint32 view of (h, w, 4) uint8 RGBA; 3-channel input is padded to RGBA first."""
    if pixels.shape[2] == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2RGBA)
    return np.ascontiguousarray(pixels).view(np.uint32)[..., 0]


def channel_shift(channel: int) -> int:
    """The bit shift of RGBA channel `channel` inside a word from `as_words`."""
    return 8 * channel if sys.byteorder == "little" else 8 * (3 - channel)


_SHIFTS = tuple(np.uint32(channel_shift(c)) for c in range(3))
_BYTE = np.uint32(255)


@njit(cache=True, fastmath=True)
def word_channel(v, channel):  # pragma: no cover - compiled
    """Channel `channel` (0, 1, 2: R, G, B) of word v, as int32. The shifts are constants and the
    channel is picked among the three: numba types a shift by a run-time amount as 64-bit, which
    halved the lanes of the key's loops (a third of the key kernel at 24 MP)."""
    r = np.int32((v >> _SHIFTS[0]) & _BYTE)
    g = np.int32((v >> _SHIFTS[1]) & _BYTE)
    b = np.int32((v >> _SHIFTS[2]) & _BYTE)
    return r if channel == 0 else (g if channel == 1 else b)
