"""Photoshop's Pattern Overlay ('patternFill' in the effects descriptor) tiled as Photoshop tiles it,
for the PSD reader to fold into the layer where psd-tools folds its overlays (editor/io/psd.py).

The rules are the ones SethRobinson/Patchy pinned against Photoshop 2026 (docs/layer-effects-render.md
"Pattern Overlay"):

- the tile grid is anchored at the document origin, or with 'Algn' (Link with Layer) at the layer's
  reference point ('fxrp', two doubles Photoshop updates when the layer moves), and 'phase' adds to
  the anchor in both cases;
- a document pixel p reads the tile at R(angle) (p - anchor) / scale, R = [[cos, -sin], [sin, cos]];
- at 100 % and no angle the tile is copied texel for texel; magnified or turned, it is sampled
  linearly between whole texels; minified, it is box-averaged first (Photoshop's own weights are
  not known: an approximation).

psd-tools instead starts the tiling at the layer's channel rectangle whatever 'Algn' says, ignores
'phase', 'fxrp' and 'Angl', resizes the whole tile with Pillow's bilinear filter to a truncated whole
size, and reads an indexed pattern's indices as grey levels.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from psd_tools.api import numpy_io
from psd_tools.constants import ColorMode, Tag

from editor.core import Rect

from .psd_gradient import NotLive

__all__ = ["NotLive", "pattern_overlay", "pattern_rgba", "tile"]

_BAND_ROWS = 128
_MAX_TILE_SIDE = 1 << 14  # a tile past this is not one Photoshop writes: psd-tools' drawing instead


def pattern_rgba(pattern: Any, budget: int | None = None) -> np.ndarray:
    """A pattern resource's pixels as straight RGBA float32 0..1, (h, w, 4): RGB as stored, grey
    spread over the three channels, indexed through its colour table; opaque without a
    transparency plane. Raises `NotLive` for the other modes."""
    planes = numpy_io.get_pattern(pattern, budget)
    if planes.ndim != 3 or planes.shape[0] == 0 or planes.shape[1] == 0:
        raise NotLive("its pattern is empty")
    colours = numpy_io.get_pattern_color_channels(pattern)
    colour, alpha = planes[..., :colours], planes[..., colours:colours + 1]
    mode = pattern.image_mode
    if mode == ColorMode.RGB and colours == 3:
        rgb = colour
    elif mode == ColorMode.GRAYSCALE and colours == 1:
        rgb = np.repeat(colour, 3, axis=2)
    elif mode == ColorMode.INDEXED and colours == 1 and len(pattern.color_table):
        table = np.zeros((256, 3), np.float32)
        entries = np.asarray(pattern.color_table, np.float32)[:256, :3] / 255
        table[:len(entries)] = entries
        rgb = table[np.clip(np.rint(colour[..., 0] * 255), 0, 255).astype(np.intp)]
    else:
        raise NotLive(f"its pattern is {ColorMode(mode).name.lower()} with {colours} colour planes")
    if alpha.shape[2] == 0:
        alpha = np.ones(rgb.shape[:2] + (1,), np.float32)
    return np.concatenate([rgb, alpha], axis=2).astype(np.float32)


def _box_average(panel: np.ndarray, n: int) -> np.ndarray:
    """The periodic tile averaged over n x n texels starting at each texel (what one pixel of a
    tile shrunk n times covers), wrapping round its edges as the tiling does."""
    out = panel
    for axis in (0, 1):
        size = out.shape[axis]
        k = min(n, size)
        wrapped = np.concatenate([out, np.take(out, np.arange(k - 1) % size, axis=axis)], axis=axis)
        csum = np.cumsum(wrapped, axis=axis, dtype=np.float64)
        csum = np.concatenate([np.zeros_like(np.take(csum, [0], axis=axis)), csum], axis=axis)
        hi = np.take(csum, np.arange(size) + k, axis=axis)
        lo = np.take(csum, np.arange(size), axis=axis)
        out = ((hi - lo) / k).astype(np.float32)
    return out


def tile(panel: np.ndarray, viewport: Rect, anchor: tuple[float, float], scale: float,
         angle: float = 0.0) -> np.ndarray:
    """The tile `panel` ((th, tw, c) float) laid over `viewport` from `anchor`, scaled by `scale`
    (1 = 100 %) and turned by `angle` degrees: (viewport.h, viewport.w, c) float32."""
    th, tw = panel.shape[:2]
    ax, ay = anchor
    ys = np.arange(viewport.y, viewport.y + viewport.h, dtype=np.float64) - ay
    xs = np.arange(viewport.x, viewport.x + viewport.w, dtype=np.float64) - ax
    if scale == 1.0 and angle == 0.0:  # texel for texel: the fractional part of the anchor drops
        if viewport.h <= 0 or viewport.w <= 0:
            return np.zeros((max(viewport.h, 0), max(viewport.w, 0), panel.shape[2]), np.float32)
        # whole rows and columns in order from the first pixel's texel: the tile rolled and repeated
        start = np.roll(panel, (-(int(math.floor(ys[0])) % th), -(int(math.floor(xs[0])) % tw)), axis=(0, 1))
        reps = (-(-viewport.h // th), -(-viewport.w // tw), 1)
        return np.ascontiguousarray(np.tile(start.astype(np.float32), reps)[:viewport.h, :viewport.w])
    if scale < 1.0:
        panel = _box_average(panel, max(1, round(1.0 / scale)))
    theta = math.radians(angle)
    c, s = math.cos(theta), math.sin(theta)
    out = np.empty((viewport.h, viewport.w, panel.shape[2]), np.float32)
    px = xs[None, :]
    for start in range(0, viewport.h, _BAND_ROWS):  # in bands: the sampling's temporaries stay small
        py = ys[start:start + _BAND_ROWS, None]
        u = (c * px - s * py) / scale
        v = (s * px + c * py) / scale
        u0, v0 = np.floor(u), np.floor(v)
        fu, fv = (u - u0)[..., None].astype(np.float32), (v - v0)[..., None].astype(np.float32)
        c0, r0 = u0.astype(np.int64) % tw, v0.astype(np.int64) % th
        c1, r1 = (c0 + 1) % tw, (r0 + 1) % th
        top = panel[r0, c0] * (1 - fu) + panel[r0, c1] * fu
        bottom = panel[r1, c0] * (1 - fu) + panel[r1, c1] * fu
        out[start:start + _BAND_ROWS] = top * (1 - fv) + bottom * fv
    return out


def _number(descriptor: Any, key: bytes, default: float) -> float:
    value = descriptor.get(key)
    if value is None:
        return default
    value = float(getattr(value, "value", value))
    if not math.isfinite(value):
        raise NotLive(f"its '{key.decode('latin-1').strip()}' is not finite")
    return value


def _anchor(descriptor: Any, layer: Any) -> tuple[float, float]:
    ax = ay = 0.0
    align = descriptor.get(b"Algn")
    if align is not None and bool(getattr(align, "value", align)):
        point = layer.tagged_blocks.get_data(Tag.REFERENCE_POINT) if layer.tagged_blocks is not None else None
        if point is not None and len(point) == 2:
            ax, ay = (float(getattr(v, "value", v)) for v in point)
        else:  # no reference point stored: the layer's own origin, where Photoshop starts one
            ax, ay = (float(v) for v in layer.offset)
    phase = descriptor.get(b"phase")
    if phase is not None:
        ax += _number(phase, b"Hrzn", 0.0)
        ay += _number(phase, b"Vrtc", 0.0)
    if not (math.isfinite(ax) and math.isfinite(ay)):
        raise NotLive("its anchor is not finite")
    return ax, ay


def pattern_overlay(descriptor: Any, psd: Any, layer: Any, viewport: Rect) -> np.ndarray:
    """The pattern overlay's straight RGBA float32 0..1 over `viewport` for `layer` of `psd`
    (psd-tools objects). Raises `NotLive` when the pattern is not in the file or not one Veil reads
    (the caller lets psd-tools draw it and says so)."""
    reference = descriptor.get(b"Ptrn")
    ident = reference.get(b"Idnt") if reference is not None else None
    if ident is None:
        raise NotLive("it names no pattern")
    pattern = psd._get_pattern(str(getattr(ident, "value", ident)).rstrip("\x00"))
    if pattern is None:
        raise NotLive("its pattern is not in the file")
    scale = _number(descriptor, b"Scl ", 100.0) / 100.0
    if scale <= 0:
        raise NotLive("its scale is not positive")
    angle = _number(descriptor, b"Angl", 0.0)
    panel = pattern_rgba(pattern, getattr(psd, "_max_alloc_bytes", None))
    if max(panel.shape[:2]) > _MAX_TILE_SIDE:
        raise NotLive("its pattern is larger than Photoshop's")
    return tile(panel, viewport, _anchor(descriptor, layer), scale, angle)
