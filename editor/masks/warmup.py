"""Start-up work the app runs off the GUI thread, so the first key or colour range does not compile."""

from __future__ import annotations

import numpy as np

from .chroma import ChromaKeyParams, chroma_key, despill
from .color_range import ColorRangeParams, color_range


def warm_up() -> None:
    """Compile (or load from numba's cache) the chroma-key, despill and colour-range kernels."""
    pixels = np.zeros((16, 16, 4), np.uint8)
    pixels[..., 1] = 200
    pixels[..., 3] = 255
    chroma_key(pixels, ChromaKeyParams())
    despill(pixels)
    color_range(pixels, ColorRangeParams(samples=[(0, 200, 0)]))
