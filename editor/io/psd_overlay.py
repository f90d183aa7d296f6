"""Photoshop's Gradient Overlay ('GrFl') as Photoshop draws it, for the PSD reader to composite
into the layer where psd-tools composites its overlays (editor/io/psd.py, `_OneLayerCompositor`).

The descriptor holds a gradient fill layer's keys ('Grad', 'Type', 'Angl', 'Scl ', 'Rvrs',
'Dthr', 'Algn', 'Ofst') beside the effect's own ('Md  ', 'Opct'), so its gradient is read by the
gradient fill layers' reader (editor/io/psd_gradient.py: stops, midpoints, smoothness) and drawn
by their kernel. Only the geometry is the overlay's own, which SethRobinson/Patchy pinned against
Photoshop 2026 (src/core/blend_math.cpp `gradient_position`, basis LayerProjection; docs/ps-compat.md
on 'GrFl', docs/gradients.md "Rendering"), and which differs from a fill layer's:

- it lies over the layer's visible bounds when 'Algn' is on (its pixels' nonzero alpha, not the
  padded channel rectangle psd-tools uses), else over the canvas;
- its centre, the bounds' centre moved by 'Ofst' (percent of the bounds), snaps to a pixel centre:
  floor(c) + 1/2 on each axis;
- its span is the bounds projected onto the angle, w |cos| + h |sin| (a fill layer's is the centre
  chord), and the ramp runs floor(span x scale / 2) whole pixels each way from the centre: linear
  from -half to +half, reflected, radial and diamond (L1, isotropic) from the centre to half;
- the angle style sweeps clockwise on screen from the angle's direction, its centre pixel a quarter
  of the way round, whatever the scale;
- every pixel samples at its centre.
psd-tools instead stretches the ramp over the channel rectangle on each axis apart (so a radial on
a wide layer is an ellipse), ignores 'Algn', 'Ofst', midpoints, smoothness and dither, and turns
two stops at one location into a ramp.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from editor.core import Rect
from editor.paint.gradient_fill import pixels_along

from .psd_gradient import NotLive, settings_from_descriptor

__all__ = ["NotLive", "gradient_overlay", "overlay_line"]


def overlay_line(style: str, angle: float, scale: float, offset: tuple[float, float],
                 box: Rect) -> tuple[float, float, float, float]:
    """(sx, sy, dx, dy): the kernels' line for an overlay over `box` (pixel-centre sampling)."""
    ox, oy = offset
    cx = math.floor(box.x + box.w * (0.5 + ox / 100.0)) + 0.5
    cy = math.floor(box.y + box.h * (0.5 + oy / 100.0)) + 0.5
    theta = math.radians(angle)
    c, s = math.cos(theta), math.sin(theta)
    span = max(1.0, abs(c) * box.w + abs(s) * box.h)
    half = max(1.0, math.floor(span * scale / 100.0 / 2.0))
    ux, uy = c, -s  # y points down: the angle turns counter-clockwise on screen
    if style == "linear":
        return cx - ux * half, cy - uy * half, 2 * ux * half, 2 * uy * half
    return cx, cy, ux * half, uy * half


def gradient_overlay(descriptor: Any, bounds: Rect, canvas: Rect, viewport: Rect, color=None) -> np.ndarray:
    """The overlay's straight RGBA ((h, w, 4) uint8) over `viewport`, for a layer whose visible bounds
    are `bounds`; `color` turns a colour stop into RGB 0..255 (default: psd-tools' reading in an RGB
    document). Raises `NotLive` for a descriptor that does not read as a gradient Veil draws (the
    caller lets psd-tools draw it)."""
    settings = settings_from_descriptor(descriptor, color=color)
    box = bounds if settings["align"] else canvas
    if box.w <= 0 or box.h <= 0:
        raise NotLive("it lies over an empty box")
    ox, oy = (float(v) for v in settings["offset"])
    angle = float(settings["angle"])
    if not all(math.isfinite(v) for v in (ox, oy, angle)):
        raise NotLive("its geometry is not finite")
    line = overlay_line(settings["style"], angle, float(settings["scale"]), (ox, oy), box)
    return pixels_along(settings, viewport, line)
