"""What a backend composites: a list of `Op`s, each one node drawn onto a float buffer.

The compositor turns the layer tree into ops (isolated groups and clip groups become
buffers drawn by a nested list of ops); a backend (numpy or numba) runs a list of ops
over a rectangle. Buffers are float32 premultiplied RGBA covering a rectangle of the
document; every coordinate here is in document pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import IntEnum

import cv2
import numpy as np

from editor.core import BlendMode, Node, Rect
from editor.core.blend import SPECIAL_FILL


class Source(IntEnum):
    PIXELS = 0  # a layer's (h, w, 4) uint8 straight RGBA
    FILL = 1  # one straight RGBA colour
    BUFFER = 2  # a float32 premultiplied RGBA buffer (a group or a clip group)
    ADJUST = 3  # the buffer's own colour under a per-pixel adjustment (`Op.adjust`), drawn atop


@dataclass(frozen=True)
class AdjustInput:
    """A per-pixel adjustment as an op applies it: the planes kernel
    (`adjustments.planes.PlanesKernel`) and its packed float64 parameters. The op's source is
    the 8-bit straight colour of the buffer under it, adjusted, at full alpha."""

    kernel: object
    params: np.ndarray


@dataclass(frozen=True)
class MaskInput:
    """A node's mask as the backend reads it.

    `effective` False: `data` is the raw uint8 mask; the backend applies invert and density.
    `effective` True: `data` is the float32 effective mask (feather already applied).
    `origin` is where data[0, 0] sits in the document; data covers the op's region.
    """

    data: np.ndarray
    origin: tuple[int, int]
    inverted: bool = False
    density: float = 1.0
    effective: bool = False


@dataclass(frozen=True)
class Op:
    source: Source
    region: Rect  # where the op may change the buffer; inside the buffer's rect
    mode: BlendMode
    opacity: float
    pixels: np.ndarray | None = None  # PIXELS: uint8 straight; BUFFER: float32 premultiplied
    origin: tuple[int, int] = (0, 0)  # document position of pixels[0, 0]
    color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # FILL, straight 0..1
    mask: MaskInput | None = None
    atop: bool = False  # keep the buffer's alpha (a layer clipped to the buffer's base)
    # Blend If ranges, (2, 4, 4) float32 (editor.core.blendif.BlendIf.table), or None: the op's
    # coverage is weighted by its own colour and by the buffer's colour beneath it.
    blend_if: np.ndarray | None = None
    adjust: AdjustInput | None = None  # ADJUST: what to run on the buffer's colour
    # Photoshop's Fill below 1 in one of the SPECIAL_FILL modes (with_fill folds it into opacity
    # elsewhere): the blend is faded by it (blendmath.special_fill) and weighed by alpha x opacity,
    # while the source-only term and the alpha the op adds are weighed by alpha x opacity x fill.
    fill: float = 1.0


def with_fill(op: Op | None, fill: float) -> Op | None:
    """`op` drawn at a layer's Fill: a second opacity, except in Photoshop's special-Fill modes
    (SethRobinson/Patchy docs/blend-modes.md, "Special-Fill for the three light modes")."""
    if op is None or fill >= 1:
        return op
    if fill <= 0:  # nothing of the layer shows (Photoshop skips it)
        return None
    if op.mode in SPECIAL_FILL:
        return replace(op, fill=float(fill))
    return replace(op, opacity=op.opacity * fill)


def _window(data: np.ndarray, extent: Rect, rect: Rect) -> np.ndarray:
    """`data` (placed at `extent`) seen through `rect`, edge pixels repeated outside the extent."""
    if rect.intersect(extent) == rect:
        return data[rect.translated(-extent.x, -extent.y).slices()]
    rows = np.clip(np.arange(rect.y, rect.bottom) - extent.y, 0, extent.h - 1)
    cols = np.clip(np.arange(rect.x, rect.right) - extent.x, 0, extent.w - 1)
    return data[np.ix_(rows, cols)]


def feather_radius(sigma: float) -> int:
    """How far a Gaussian feather of `sigma` reaches: 3 sigma, rounded up."""
    return max(1, math.ceil(3 * sigma))


def mask_input(node: Node, region: Rect, canvas: Rect) -> MaskInput | None:
    """The mask an op over `region` needs, or None when the node's mask changes nothing there."""
    mask = node.mask
    if mask is None or not mask.enabled or mask.density <= 0:
        return None
    extent = node.mask_rect(canvas)
    if mask.feather > 0:
        radius = feather_radius(mask.feather)
        grown = region.adjusted(radius)
        raw = _window(mask.data, extent, grown)
        if mask.inverted:
            raw = 255 - raw
        size = 2 * radius + 1
        blurred = cv2.GaussianBlur(raw.astype(np.float32) * np.float32(1 / 255), (size, size),
                                   mask.feather, borderType=cv2.BORDER_REPLICATE)
        effective = blurred[radius:radius + region.h, radius:radius + region.w]
        effective = 1 - np.float32(mask.density) * (1 - effective)
        return MaskInput(np.ascontiguousarray(effective, np.float32), (region.x, region.y), effective=True)
    if region.intersect(extent) == region:
        return MaskInput(mask.data, (extent.x, extent.y), mask.inverted, float(mask.density))
    window = np.ascontiguousarray(_window(mask.data, extent, region))
    return MaskInput(window, (region.x, region.y), mask.inverted, float(mask.density))
