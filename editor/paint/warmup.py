"""Start-up work the app runs off the GUI thread, so the first stroke starts at full speed."""

from __future__ import annotations

import numpy as np

from editor.core import Document, Layer, Mask

from . import tiles
from .brush import Brush
from .stroke import Stroke


def warm_up() -> None:
    """Compile (or load from numba's cache) the dab, gradient and bucket kernels and fault in the tile pools."""
    doc = Document(8, 8)
    layer = Layer("warm-up", np.zeros((8, 8, 4), np.uint8), mask=Mask.filled(8, 8))
    doc.root.insert(0, layer)
    for target, paint in (("mask", 0), ("pixels", (255, 255, 255))):
        stroke = Stroke(doc, layer, target, Brush(size=3), paint)
        stroke.add_point(4.0, 4.0)
        stroke.cancel()
    tiles.warm_up()
    from editor.render.reduce_kernel import reduce_blocks_2d

    from .bucket import warm_up as warm_up_bucket
    from .gradient import warm_up as warm_up_gradient
    from .gradient_fill import warm_up as warm_up_gradient_fill

    warm_up_gradient()
    warm_up_gradient_fill()
    warm_up_bucket()
    reduce_blocks_2d(np.zeros((4, 4), np.uint8), np.zeros((2, 2), np.uint8), 0, 0, 2, 2, 2, 0, 0)  # a preview's mask
