"""A cut-out on a plain colour, in one pass.

The colour background of a recipe is an opaque fill under the subject: the composite is the
straight subject over the colour, c a + bg (255 - a), which the renderer would compute by
compositing a fill layer and the masked layer again over the whole canvas in float (a second
full render of the 2000x2000 export: a 64 MB float buffer and ~100 ms). Here it is one integer
pass over the subject's flattened RGBA, rounded to nearest: within one level of the renderer's
float result (tests/batch/test_window.py compares them).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _over(rgba, r, g, b, out):  # pragma: no cover - compiled
    h, w = rgba.shape[:2]
    for y in range(h):
        for x in range(w):
            a = np.int32(rgba[y, x, 3])
            rest = 255 - a
            out[y, x, 0] = (np.int32(rgba[y, x, 0]) * a + r * rest + 127) // 255
            out[y, x, 1] = (np.int32(rgba[y, x, 1]) * a + g * rest + 127) // 255
            out[y, x, 2] = (np.int32(rgba[y, x, 2]) * a + b * rest + 127) // 255
            out[y, x, 3] = 255


def over_colour(rgba: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    """Straight RGBA uint8 (h, w, 4) over an opaque colour: opaque RGBA uint8."""
    out = np.empty(rgba.shape[:2] + (4,), np.uint8)
    _over(np.ascontiguousarray(rgba), int(colour[0]), int(colour[1]), int(colour[2]), out)
    return out
