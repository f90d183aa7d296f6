"""The paint of a gradient Stroke ('FrFX' with 'PntT' 'GrFl') as Photoshop lays it, for the PSD
reader to put on psd-tools' stroke band (editor/io/psd.py, `_OneLayerCompositor`).

psd-tools' band geometry is kept: on a hard-edged matte it is the band Photoshop draws
(clamp(size + 1 - d) from the pixel centres, Center size/2 each way; SethRobinson/Patchy
docs/ps-compat.md "Stroke layer effect"). Its gradient is not: `paint.draw_gradient_fill` stretches
the ramp over the stroke's grown box on each axis apart and drops the gradient's transparency.
Photoshop places a stroke's gradient with the Gradient Overlay's geometry (Patchy docs/gradients.md:
`gradient_position` serves both; 'Algn' lays it over the layer's nonzero-alpha bounds), so it is drawn
by `psd_overlay.gradient_overlay`, smoothness, midpoints and dither included, and its opacity
stops fade the stroke. Shape Burst (the band's own distance ramp) is not among the styles it reads:
`NotLive`, and psd-tools draws that stroke.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from editor.core import Rect

from .psd_overlay import NotLive, gradient_overlay

__all__ = ["NotLive", "is_gradient", "stroke_gradient"]


def is_gradient(descriptor: Any) -> bool:
    """Whether the stroke paints a gradient ('PntT' 'GrFl')."""
    try:
        paint = descriptor.get(b"PntT")
    except Exception:
        return False
    return bytes(getattr(getattr(paint, "enum", b""), "value", getattr(paint, "enum", b""))) == b"GrFl"


def stroke_gradient(descriptor: Any, bounds: Rect, canvas: Rect,
                    box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The gradient's colour ((h, w, 3) float32 0..1) and opacity ((h, w, 1)) over `box` (x0, y0,
    x1, y1: psd-tools' stroke box), for a layer whose visible bounds are `bounds`. Raises
    `NotLive` when Veil does not read it."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        raise NotLive("its stroke box is empty")
    rgba = gradient_overlay(descriptor, bounds, canvas, Rect(x0, y0, x1 - x0, y1 - y0)).astype(np.float32) / 255
    return rgba[..., :3], rgba[..., 3:]
