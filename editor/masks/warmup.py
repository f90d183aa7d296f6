"""Start-up work the app runs off the GUI thread, so the first key or colour range does not compile."""

from __future__ import annotations

import numpy as np

from .chroma import ChromaKeyParams, chroma_key, despill
from .color_range import ColorRangeParams, color_range


def warm_up() -> None:
    """Compile (or load from numba's cache) the chroma-key, despill and colour-range kernels, and
    pymatting's (Refine Edge), so the first use of each costs what the second does."""
    pixels = np.zeros((16, 16, 4), np.uint8)
    pixels[..., 1] = 200
    pixels[..., 3] = 255
    chroma_key(pixels, ChromaKeyParams())
    despill(pixels)
    color_range(pixels, ColorRangeParams(samples=[(0, 200, 0)]))
    warm_up_matting()


def warm_up_matting() -> None:
    """Import pymatting's two solvers (their numba kernels compile at import: about a minute with
    an empty cache, a few seconds from it) and run them once on a tiny band."""
    from .refine import decontaminate_colours, matte_band

    rgb = np.zeros((24, 24, 3), np.uint8)
    rgb[:, 12:] = 255
    tri = np.full((24, 24), 0.5, np.float32)
    tri[:, :4], tri[:, 20:] = 0.0, 1.0
    alpha = matte_band(rgb, tri)
    decontaminate_colours(rgb, (alpha * 255).astype(np.uint8))
