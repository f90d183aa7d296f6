"""Turning OpenCV's decoded BGRA into Veil's RGBA where it lies.

cv2.cvtColor writes a second array: for a 4096² layer another 64 MB of fresh pages,
faulted in one by one, which cost more than the swap itself (about 50-200 ms against
~25 ms under load on this 2-core machine) and raise the open's peak memory. OpenCV's
in-place cvtColor copies the source first (~4x slower than this loop), so the loop is
ours; it releases the GIL like the decoder, so layers swap on the decoding threads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np


def _swap_red_blue(flat: np.ndarray) -> None:
    for i in range(flat.shape[0]):
        red = flat[i, 2]
        flat[i, 2] = flat[i, 0]
        flat[i, 0] = red


@functools.cache
def _compiled() -> Callable[[np.ndarray], None] | None:
    """The loop compiled by numba, imported on first use (not at `import editor.io`); None without numba."""
    try:
        from numba import njit
    except ImportError:
        return None
    return njit(nogil=True, cache=True)(_swap_red_blue)


def bgra_to_rgba_inplace(image: np.ndarray) -> np.ndarray:
    """Swap channels 0 and 2 of an (h, w, 4) uint8 array in place; returns it."""
    swap = _compiled()
    if swap is not None and image.flags.c_contiguous:
        swap(image.reshape(-1, 4))
    else:  # numba missing, or a strided view: numpy (a copy of two channels, then written back)
        image[..., [0, 2]] = image[..., [2, 0]]
    return image
