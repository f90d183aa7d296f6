"""A gradient fill layer's settings and drawing: Photoshop's geometry over the gradient kernels.

Settings (`GradientFillLayer.gradient`, plain JSON; `normalised` fills in the defaults):

- stops: [{"position": 0..1, "color": [r, g, b], "opacity": 0..1, "midpoint": 0..1}, ...]
  (`Stop.from_dict`; "midpoint", of the ramp ending at the stop, absent at 50 %);
- style: linear, radial, angle, reflected or diamond; angle: degrees, counter-clockwise on
  screen (90 points up); scale: percent; reverse; dither; offset: [x, y] percent of the box;
- align: true lays the gradient over "box" ([x, y, w, h], the layer's bounds), false (or no
  box) over the canvas;
- smoothness: percent 0..100, Photoshop's 'Intr' (`editor.paint.photoshop_gradient`): 0 (the
  default, and what Veil makes) joins the stops by straight ramps, more bends every ramp,
  opacity too, towards Photoshop's Classic cubic;
- photoshop_stops: {"colors": [[position, [r, g, b], midpoint], ...], "opacities":
  [[position, opacity, midpoint], ...]} (positions and midpoints 0..1), the PSD file's own two
  lists, which the PSD reader keeps beside "stops" (their merge): Photoshop smooths each list
  on its own, so the layer is drawn (and written back) from them for as long as "stops" is
  still what they merge to; an edit of the stops leaves them unused;
- photoshop_geometry: true (set by the PSD reader) draws Photoshop's geometry where Veil's
  own differs (`line_of`, `_kernel_line`): the centre chord for the length, top-left-corner
  sampling and whole-pixel ends. Absent (Veil's own fills): psd-tools' geometry below.

Geometry (Photoshop's, as psd-tools' `composite.paint.draw_gradient_fill` draws it): the
gradient line goes through the box centre (moved by the offset) along the angle; its length is
scale x (w (90 - r) + h r) / 90 with r = angle mod 90. Linear runs the whole line, start to
end; radial, reflected, angle and diamond start at the centre and reach the end of the line's
half. The angle style sweeps clockwise on screen from the angle's direction, its centre pixel a
quarter of the way round: what Photoshop draws by SethRobinson/Patchy's Photoshop-calibrated
`gradient_position` (src/core/blend_math.cpp: "increasing clockwise on screen"), for fill
layers and the gradient tool alike. The pixels come from the gradient tool's positions and
4096-entry table (`Gradient.table`), dithered and turned into bytes in the same pass
(`fill_kernel`; `fill_pixels_reference` is the two-step form): a drag along `line_of` gives
the same pixels.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

import numpy as np
from numba import njit, prange

from editor.core import Rect

from .gradient import (
    _SHAPE_CODE,
    SHAPES,
    Gradient,
    Stop,
    _lut_at,
    _position,
    gradient_source_kernel,
)
from .photoshop_gradient import PsStop, classic_table, merged_stops
from .target import BAYER8

MAX_STOPS = 1024  # per list: more than any editor makes

_HALF = np.full((8, 8), 0.5, np.float32)  # plain rounding, as an 8 x 8 "dither"

DEFAULTS: dict[str, Any] = {
    "stops": [{"position": 0.0, "color": [0, 0, 0], "opacity": 1.0},
              {"position": 1.0, "color": [255, 255, 255], "opacity": 1.0}],
    "style": "linear", "angle": 90.0, "scale": 100.0, "reverse": False, "dither": True,
    "offset": [0.0, 0.0], "align": True, "box": None,
}


def normalised(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings with defaults filled in and values checked (a ValueError names a bad one)."""
    out = {**DEFAULTS, **settings}
    if out["style"] not in SHAPES:
        raise ValueError(f"unknown gradient style {out['style']!r}; expected one of {', '.join(SHAPES)}")
    if "smoothness" in out:  # absent: 0, straight ramps (kept absent: Veil's own files stay as they were)
        smoothness = float(out["smoothness"])
        if not math.isfinite(smoothness):
            raise ValueError("the gradient's smoothness is not a finite number")
        out["smoothness"] = min(100.0, max(0.0, smoothness))
    out["stops"] = [s.to_dict() for s in gradient_of(out).stops]
    out["angle"], out["scale"] = float(out["angle"]), float(out["scale"])
    out["offset"] = [float(v) for v in out["offset"]][:2]
    if out["box"] is not None:
        out["box"] = [int(v) for v in out["box"]][:4]
    if out.get("photoshop_stops") is not None:
        out["photoshop_stops"] = _checked_lists(out["photoshop_stops"])
    return out


def _checked_lists(lists: Any) -> dict[str, list]:
    """"photoshop_stops" as plain JSON with numbers in range (a ValueError says what is wrong)."""
    try:
        colours, opacities = lists["colors"], lists["opacities"]
        if not colours or not opacities or len(colours) > MAX_STOPS or len(opacities) > MAX_STOPS:
            raise ValueError
        out = {"colors": [[_unit(p), [min(255.0, max(0.0, float(v))) for v in c][:3], _unit(m)] for p, c, m in colours],
               "opacities": [[_unit(p), _unit(o), _unit(m)] for p, o, m in opacities]}
    except (KeyError, TypeError, ValueError):
        raise ValueError("the gradient's photoshop_stops are not two lists of stops") from None
    if any(len(c) != 3 or not all(math.isfinite(v) for v in c) for _, c, _ in out["colors"]):
        raise ValueError("a colour in the gradient's photoshop_stops is not three numbers")
    return out


def _unit(value: Any) -> float:
    v = float(value)
    if not math.isfinite(v):
        raise ValueError
    return min(1.0, max(0.0, v))


def photoshop_lists(settings: dict[str, Any]) -> tuple[list[PsStop], list[PsStop]] | None:
    """The PSD file's own colour and opacity lists, while "stops" is still their merge (None
    once the stops have been edited, or when there are none)."""
    lists = settings.get("photoshop_stops")
    if not lists:
        return None
    lists = _checked_lists(lists)
    colours = sorted(((p, tuple(c), m) for p, c, m in lists["colors"]), key=lambda s: s[0])
    opacities = sorted(((p, o, m) for p, o, m in lists["opacities"]), key=lambda s: s[0])
    as_veil = [Stop.from_dict(s).to_dict() for s in merged_stops(colours, opacities)]
    ours = [Stop.from_dict(s).to_dict() for s in settings.get("stops") or DEFAULTS["stops"]]
    return (colours, opacities) if as_veil == ours else None


def table_of(settings: dict[str, Any]) -> np.ndarray:
    """(4096, 4) float32 straight RGBA 0..255 the kernels read (t = k / 4095, reverse applied):
    straight ramps between Veil's stops, or Photoshop's Classic interpolation (of the file's
    own two lists while the stops are theirs) when the settings ask for smoothness or a stop has
    a midpoint (`Gradient.table`, `editor.paint.photoshop_gradient`)."""
    key = {k: settings.get(k) for k in ("stops", "photoshop_stops", "smoothness", "reverse")}
    return _table(json.dumps(key, sort_keys=True, default=str))


@functools.lru_cache(maxsize=32)
def _table(key: str) -> np.ndarray:
    """`table_of`, once per gradient (a render asks for it per tile)."""
    settings = json.loads(key)
    reverse = bool(settings.get("reverse", False))
    # At 0 % the merged stops (a midpoint an extra stop) are exactly the file's lists' drawing.
    lists = photoshop_lists(settings) if _smoothness(settings) > 0.0 else None
    if lists is None:  # Veil's stops: the gradient tool's own table
        return gradient_of(settings).table(reverse)
    table = classic_table(*lists, _smoothness(settings) / 100.0)
    return np.ascontiguousarray(table[::-1]) if reverse else table


def _smoothness(settings: dict[str, Any]) -> float:
    """The settings' smoothness, percent 0..100 (absent or not a number: 0)."""
    try:
        value = float(settings.get("smoothness", 0.0))
    except (TypeError, ValueError):
        return 0.0
    return min(100.0, max(0.0, value)) if math.isfinite(value) else 0.0


def gradient_of(settings: dict[str, Any]) -> Gradient:
    """The stops and smoothness as a `Gradient` (foreground/background resolved to black/white:
    a fill layer's colours are fixed when it is made)."""
    stops = settings.get("stops") or DEFAULTS["stops"]
    return Gradient("Gradient Fill", tuple(Stop.from_dict(s) for s in stops),
                    _smoothness(settings)).resolved((0, 0, 0), (255, 255, 255))


def box_of(settings: dict[str, Any], canvas: Rect) -> Rect:
    """The rect the gradient is laid over."""
    box = settings.get("box")
    if settings.get("align", True) and box is not None and box[2] > 0 and box[3] > 0:
        return Rect(*box)
    return canvas


def _length(box: Rect, angle: float, scale: float, chord: bool = False) -> float:
    """The gradient line's length in pixels: scale % of (w (90 - r) + h r) / 90, r = angle mod 90
    (psd-tools' reading), or with `chord` of the chord through the box's centre along the angle,
    min(w / |cos|, h / |sin|) (Photoshop's, by SethRobinson/Patchy's probes: docs/vector-tools.md
    "GdFl gradient fill geometry"); the two agree at 0 and 90 degrees."""
    if chord:
        c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        across = min(box.w / c if c > 1e-6 else math.inf, box.h / s if s > 1e-6 else math.inf)
        return scale / 100.0 * max(1.0, across)
    r = angle % 90.0
    return scale / 100.0 * (box.w * (90.0 - r) + box.h * r) / 90.0


def _whole(v: float) -> float:
    """v truncated to a whole pixel (a value within rounding error of one is that one)."""
    r = round(v)
    return float(r) if abs(v - r) < 1e-6 else float(math.trunc(v))


_CORNER_SAMPLED = ("linear", "reflected", "radial")


def line_of(settings: dict[str, Any], canvas: Rect) -> tuple[tuple[float, float], tuple[float, float]]:
    """(start, end) of the drag the gradient tool would make for these settings, in document coordinates.

    With "photoshop_geometry" (set by the PSD reader) the line is Photoshop's: its length the
    box's centre chord and, at 100 % scale with no offset, a linear line's ends (a reflected or
    radial one's centre and far end) truncated to whole pixels (Patchy docs/gradients.md
    "Gradient fill layer geometry": so a 30 degree reflected fill on a 4 x 4 canvas runs at 45)."""
    box = box_of(settings, canvas)
    angle = float(settings.get("angle", DEFAULTS["angle"]))
    scale = float(settings.get("scale", DEFAULTS["scale"]))
    ox, oy = settings.get("offset", DEFAULTS["offset"])
    photoshop = bool(settings.get("photoshop_geometry", False))
    style = settings.get("style", "linear")
    length = max(1e-6, _length(box, angle, scale, chord=photoshop))
    cx, cy = box.x + box.w / 2 + box.w * float(ox) / 100.0, box.y + box.h / 2 + box.h * float(oy) / 100.0
    theta = math.radians(angle)
    ux, uy = math.cos(theta), -math.sin(theta)  # y points down: counter-clockwise on screen
    half = length / 2
    if style == "linear":
        start, end = (cx - ux * half, cy - uy * half), (cx + ux * half, cy + uy * half)
    else:
        start, end = (cx, cy), (cx + ux * half, cy + uy * half)
    if photoshop and style in _CORNER_SAMPLED and scale == 100.0 and float(ox) == 0.0 and float(oy) == 0.0:
        start, end = (_whole(start[0]), _whole(start[1])), (_whole(end[0]), _whole(end[1]))
    return start, end


def _kernel_line(settings: dict[str, Any], canvas: Rect) -> tuple[float, float, float, float]:
    """(sx, sy, dx, dy) for the kernels, which sample each pixel at its centre: with
    "photoshop_geometry" a linear, reflected or radial fill samples at the pixel's top-left
    corner instead (Patchy's probes: on a 4 x 4 canvas that half pixel is an eighth of the
    ramp), which is the line moved half a pixel right and down."""
    (sx, sy), (ex, ey) = line_of(settings, canvas)
    if settings.get("photoshop_geometry", False) and settings.get("style", "linear") in _CORNER_SAMPLED:
        sx, sy, ex, ey = sx + 0.5, sy + 0.5, ex + 0.5, ey + 0.5
    return float(sx), float(sy), float(ex - sx), float(ey - sy)


def scaled(settings: dict[str, Any], factor: float) -> dict[str, Any]:
    """The settings for the canvas scaled by `factor` (a thumbnail, a preview level): everything
    but the box is relative to the box or the canvas."""
    box = settings.get("box")
    if box is None:
        return settings
    x, y, w, h = (float(v) * factor for v in box)
    x0, y0 = math.floor(x), math.floor(y)
    return {**settings, "box": [x0, y0, max(1, math.ceil(x + w) - x0), max(1, math.ceil(y + h) - y0)]}


def mapped(settings: dict[str, Any], canvas: Rect, f, new_canvas: Rect) -> dict[str, Any]:
    """The settings after a document geometry change whose point map is `f` (crop, canvas size,
    image size, rotate, flip: `editor.geometry.ops`), so the gradient follows the image: the box
    (document coordinates, as a path's points) becomes the bounds of its mapped corners, the
    angle turns (and mirrors) as the direction it points along does, and the offset puts the
    gradient's centre where `f` takes it. Its length in pixels goes as far as `f` stretches its
    direction; the scale says so in the new box (Photoshop's length depends on the angle and the
    box's sides, so a quarter turn changes the scale that gives the same length). An angle
    sweep cannot mirror, nor a circle stretch: those stay as near as the settings can say.
    Without a box the gradient stays over the canvas."""
    box = box_of(settings, canvas)
    ox, oy = settings.get("offset", DEFAULTS["offset"])
    cx, cy = box.x + box.w / 2 + box.w * float(ox) / 100.0, box.y + box.h / 2 + box.h * float(oy) / 100.0
    theta = math.radians(float(settings.get("angle", DEFAULTS["angle"])))
    (ncx, ncy), (px, py) = f(cx, cy), f(cx + math.cos(theta), cy - math.sin(theta))
    out = dict(settings)
    out["angle"] = round(math.degrees(math.atan2(-(py - ncy), px - ncx)), 6) + 0.0  # (-180, 180], no -0.0
    stored = settings.get("box")
    if stored is not None:
        x, y, w, h = stored
        corners = [f(a, b) for a in (x, x + w) for b in (y, y + h)]
        x0, y0 = math.floor(min(c[0] for c in corners) + 1e-6), math.floor(min(c[1] for c in corners) + 1e-6)
        x1, y1 = math.ceil(max(c[0] for c in corners) - 1e-6), math.ceil(max(c[1] for c in corners) - 1e-6)
        out["box"] = [x0, y0, max(1, x1 - x0), max(1, y1 - y0)]
    new = box_of(out, new_canvas)
    chord = bool(settings.get("photoshop_geometry", False))
    length = _length(box, float(settings.get("angle", DEFAULTS["angle"])), float(settings.get("scale", DEFAULTS["scale"])),
                     chord)
    stretched = length * math.hypot(px - ncx, py - ncy)
    out["scale"] = round(100.0 * stretched / _length(new, out["angle"], 100.0, chord), 6)
    out["offset"] = [round((ncx - new.x - new.w / 2) / new.w * 100.0, 6) + 0.0,
                     round((ncy - new.y - new.h / 2) / new.h * 100.0, 6) + 0.0]
    return out


def fill_pixels(settings: dict[str, Any], rect: Rect, canvas: Rect) -> np.ndarray:
    """(h, w, 4) uint8 straight RGBA of the gradient over a document rect (one fused pass:
    `fill_pixels_reference` is the two-step numpy form it equals)."""
    return pixels_along(settings, rect, _kernel_line(settings, canvas))


def pixels_along(settings: dict[str, Any], rect: Rect, line: tuple[float, float, float, float]) -> np.ndarray:
    """`fill_pixels` for a line (sx, sy, dx, dy) placed by the caller (the kernels sample pixel
    centres): a PSD Gradient Overlay has its own geometry (editor/io/psd_overlay.py)."""
    sx, sy, dx, dy = line
    out = np.empty((rect.h, rect.w, 4), np.uint8)
    # An ordered dither tied to document positions (no seams between tiles), or plain rounding.
    dither = BAYER8 if settings.get("dither", True) else _HALF
    fill_kernel(out, rect.x, rect.y, _SHAPE_CODE[settings.get("style", "linear")], float(sx), float(sy),
                float(dx), float(dy), table_of(settings), dither)
    return out


def warm_up() -> None:
    """Compile (or load from numba's cache) the fill kernel, so the first fill layer draws at full speed."""
    fill_pixels(DEFAULTS, Rect(0, 0, 4, 4), Rect(0, 0, 4, 4))


def fill_pixels_reference(settings: dict[str, Any], rect: Rect, canvas: Rect) -> np.ndarray:
    """`fill_pixels` in two steps: the gradient tool's kernel into float32, then the dither in numpy."""
    sx, sy, dx, dy = _kernel_line(settings, canvas)
    out = np.empty((rect.h, rect.w, 4), np.float32)
    gradient_source_kernel(out, rect.x, rect.y, _SHAPE_CODE[settings.get("style", "linear")], sx, sy, dx, dy,
                           table_of(settings))
    if settings.get("dither", True):
        ys = (rect.y + np.arange(rect.h)) & 7
        xs = (rect.x + np.arange(rect.w)) & 7
        out += BAYER8[ys[:, None], xs[None, :]][..., None]
    else:
        out += 0.5
    return np.clip(out, 0, 255).astype(np.uint8)


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def fill_kernel(out, doc_x0, doc_y0, kind, sx, sy, dx, dy, lut, dither):
    """out (h, w, 4) uint8: the table at each pixel's position plus dither[y & 7, x & 7], clipped and
    truncated: the gradient tool's positions and table (`_position`, `_lut_at`) without the float
    image between them and the bytes (which cost twice the kernel at 24 MP)."""
    h, w, channels = out.shape
    length2 = dx * dx + dy * dy
    inv_len2 = 1.0 / length2 if length2 > 0.0 else 0.0
    inv_len = math.sqrt(inv_len2)
    base_angle = math.atan2(-dy, dx)
    zero, top = np.float32(0.0), np.float32(255.0)  # float32 bounds: no float64 detour per channel
    for y in prange(h):
        py = doc_y0 + y + 0.5
        row = (doc_y0 + y) & 7
        for x in range(w):
            t = _position(kind, doc_x0 + x + 0.5, py, sx, sy, dx, dy, inv_len2, inv_len, base_angle)
            d = dither[row, (doc_x0 + x) & 7]
            for c in range(channels):
                v = np.float32(_lut_at(lut, t, c)) + d  # rounded to float32 first, as the float image holds it
                out[y, x, c] = np.uint8(min(top, max(zero, v)))
