"""The paint of a gradient Stroke ('FrFX' with 'PntT' 'GrFl') as Photoshop lays it, for the PSD
reader to put on psd-tools' stroke band (editor/io/psd.py, `_OneLayerCompositor`).

psd-tools' band geometry is kept: on a hard-edged matte it is the band Photoshop draws
(clamp(size + 1 - d) from the pixel centres, Center size/2 each way; SethRobinson/Patchy
docs/ps-compat.md "Stroke layer effect"). Its gradient is not: `paint.draw_gradient_fill` stretches
the ramp over the stroke's grown box on each axis apart and drops the gradient's transparency.
Photoshop places a stroke's gradient with the Gradient Overlay's geometry (Patchy docs/gradients.md:
`gradient_position` serves both; 'Algn' lays it over the layer's nonzero-alpha bounds), so it is drawn
by `psd_overlay.gradient_overlay`, smoothness, midpoints and dither included, and its opacity
stops fade the stroke.

Shape Burst ('Type' 'shapeburst', the Stroke's own style; psd-tools has none) follows the band instead
(Patchy docs/layer-effects-render.md "Shape Burst render"): a linear ramp in the band's Euclidean
distance field, 0 at the band's outer limit and 1 at its inner, each limit the coverage's +1 px past
the band (Outside and Inside span size + 1, Center size + 2), distances taken between pixel centres
to the binary contour {alpha > 0}; Reverse flips it; Angle, Scale, Offset and Align do nothing.
Not modelled: Photoshop's supersampling across the pixel and its subpixel contour on antialiased
mattes.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from editor.core import Rect
from editor.paint.gradient_fill import table_of

from .psd_gradient import settings_from_descriptor
from .psd_overlay import NotLive, gradient_overlay

SHAPE_BURST = b"shapeburst"
_MAX_SIZE = 250.0  # Photoshop's widest stroke; psd-tools holds a larger size to it too
# position: (band outside the contour, band inside it) as shares of the size
_BANDS = {b"OutF": (1.0, 0.0), b"InsF": (0.0, 1.0), b"CtrF": (0.5, 0.5)}

__all__ = ["NotLive", "is_gradient", "shape_burst", "stroke_gradient"]


def is_gradient(descriptor: Any) -> bool:
    """Whether the stroke paints a gradient ('PntT' 'GrFl')."""
    try:
        paint = descriptor.get(b"PntT")
    except Exception:
        return False
    return bytes(getattr(getattr(paint, "enum", b""), "value", getattr(paint, "enum", b""))) == b"GrFl"


def _enum(descriptor: Any, key: bytes) -> bytes:
    value = descriptor.get(key)
    code = getattr(value, "enum", b"")
    return bytes(getattr(code, "value", code))


class _AsLinear:
    """A Shape Burst descriptor read as a linear one: its stops, smoothness and Reverse are the
    gradient's, whatever its style."""

    def __init__(self, descriptor: Any) -> None:
        self._descriptor = descriptor

    def get(self, key: bytes, default: Any = None) -> Any:
        if key == b"Type":
            from psd_tools.psd.descriptor import Enumerated
            return Enumerated(typeID=b"GrdT", enum=b"Lnr ")
        return self._descriptor.get(key, default)


def shape_burst(descriptor: Any, shape: np.ndarray) -> np.ndarray:
    """Shape Burst's straight RGBA ((h, w, 4) float32 0..1) over `shape` (the traced coverage, (h, w)
    or (h, w, 1), with a clear border round it, as psd-tools' stroke box has). Raises `NotLive`."""
    a = np.asarray(shape, np.float32)
    a = a[..., 0] if a.ndim == 3 else a
    out_share, in_share = _BANDS.get(_enum(descriptor, b"Styl"), _BANDS[b"OutF"])
    try:
        size = min(abs(float(descriptor.get(b"Sz  ").value)), _MAX_SIZE)
    except (AttributeError, TypeError, ValueError):
        raise NotLive("its size cannot be read") from None
    if not np.isfinite(size) or size <= 0:
        raise NotLive("it has no size")
    inside = a > 0
    # between pixel centres: an inside pixel's to the nearest outside one, an outside pixel's to the
    # nearest inside one (the contour's pixels are 1 from the other side)
    d_in = cv2.distanceTransform(inside.astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    d_out = cv2.distanceTransform((~inside).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    s = np.where(inside, d_in, -d_out)
    band_out, band_in = out_share * size, in_share * size
    lo = -(band_out + 1.0) if band_out > 0 else 0.0
    hi = band_in + 1.0 if band_in > 0 else 0.0
    t = np.clip((s - lo) / (hi - lo), 0.0, 1.0)
    table = table_of(settings_from_descriptor(_AsLinear(descriptor)))
    return table[np.rint(t * (len(table) - 1)).astype(np.intp)] / np.float32(255)


def stroke_gradient(descriptor: Any, bounds: Rect, canvas: Rect, box: tuple[int, int, int, int],
                    shape: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The gradient's colour ((h, w, 3) float32 0..1) and opacity ((h, w, 1)) over `box` (x0, y0,
    x1, y1: psd-tools' stroke box), for a layer whose visible bounds are `bounds` and whose traced
    coverage over the box is `shape`. Raises `NotLive` when Veil does not read it."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        raise NotLive("its stroke box is empty")
    if _enum(descriptor, b"Type") == SHAPE_BURST:
        rgba = shape_burst(descriptor, shape)
        return rgba[..., :3], rgba[..., 3:]
    rgba = gradient_overlay(descriptor, bounds, canvas, Rect(x0, y0, x1 - x0, y1 - y0)).astype(np.float32) / 255
    return rgba[..., :3], rgba[..., 3:]
