"""Gradients: shapes, colour stops and presets, and the writer that lays one through a `PaintTarget`.

Shapes (Photoshop's five), for a drag from `start` to `end` in document coordinates, the
position t of a pixel centre p (0 at the start, 1 at the end, clamped):

- linear:    t = (p - s) . d / |d|^2
- radial:    t = |p - s| / |d|
- reflected: t = |(p - s) . d| / |d|^2  (linear mirrored about the start)
- angle:     the clockwise (on screen) sweep from the drag direction, / 360 degrees; the
             start pixel itself a quarter turn
- diamond:   (|a| + |b|) / |d| with a, b the coordinates of p - s along and across d
             (a square standing on its corner, the corner at the end point)

These are the gradient fill layer's too (`editor.paint.gradient_fill` draws through the same
kernels), so a drag and a fill layer with the same stops along the same line give the same
pixels. The angle sweep is Photoshop's as SethRobinson/Patchy calibrated it against Photoshop
2026 (its `gradient_position`, src/core/blend_math.cpp: "increasing clockwise on screen", the
centre a quarter turn), one engine for the tool and fill layers as in Photoshop; Adobe's old
manual's "counterclockwise" does not describe what Photoshop draws.

A `Gradient` is a list of `Stop`s (position 0..1, colour, opacity 0..1) and a smoothness
(percent, Photoshop's Gradient Editor's); a stop's colour can be "foreground" or
"background", resolved when painting (GIMP's and Photoshop's dynamic presets). Colour and
opacity are interpolated in straight (not premultiplied) 8-bit sRGB, as GIMP and Photoshop
do: at smoothness 0 linearly, above it by Photoshop's Classic interpolation
(`editor.paint.photoshop_gradient`: each ramp bent towards a cubic through its neighbours),
through a 4096-entry table (16 entries per 8-bit step, so the ordered dither that follows has
real fractions to work with).

On a mask a gradient paints the grey of its colours (white reveals, black hides), its opacity
acting as coverage: "foreground to transparent" with a black foreground fades a hide into
what the mask was. `GradientPaint` keeps the original once (`PaintTarget.snapshot`) and
redraws from it, so a live preview can redraw any part as often as the pointer moves and the
release paints the whole selection in one undo step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numba import njit, prange

from editor.core import BlendMode, Rect

from .photoshop_gradient import LUT_SIZE, classic, classic_rgba, lists_of
from .target import _ROUND, BAYER8, PaintTarget

SHAPES = ("linear", "radial", "reflected", "angle", "diamond")
_SHAPE_CODE = {name: k for k, name in enumerate(SHAPES)}
DEFAULT_SMOOTHNESS = 100.0  # Photoshop's Gradient Editor's, and its presets'
# Sub-knots per segment where a smooth ramp on a mask is drawn as straight runs: the chord of
# the steepest two-stop ease is then within 0.03 of a level of the cubic.
_SMOOTH_PIECES = 64
FOREGROUND, BACKGROUND = "foreground", "background"

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Stop:
    """One colour stop: where (0..1), which colour ((r, g, b), "foreground" or "background"), how
    opaque (0..1), and the midpoint of the ramp that ends at it: where between the stop before
    and this one the halfway value lies, 0..1 of the way (Photoshop's 'Mdpn', which belongs to
    the segment's end stop; the first stop's is unused)."""

    position: float
    color: Colour | str = (0, 0, 0)
    opacity: float = 1.0
    midpoint: float = 0.5

    def resolved(self, fg: Colour, bg: Colour) -> Stop:
        if self.color == FOREGROUND:
            return replace(self, color=tuple(fg))
        if self.color == BACKGROUND:
            return replace(self, color=tuple(bg))
        return self

    def to_dict(self) -> dict:
        color = self.color if isinstance(self.color, str) else list(self.color)
        out = {"position": self.position, "color": color, "opacity": self.opacity}
        if self.midpoint != 0.5:  # kept out at 50 %: stops saved before midpoints read the same
            out["midpoint"] = self.midpoint
        return out

    @classmethod
    def from_dict(cls, d: dict) -> Stop:
        color = d.get("color", (0, 0, 0))
        if isinstance(color, str):
            if color not in (FOREGROUND, BACKGROUND):
                raise ValueError(f"unknown stop colour {color!r}")
        else:
            color = tuple(int(min(255, max(0, c))) for c in color)[:3]
            if len(color) != 3:
                raise ValueError("a stop colour has three channels")
        midpoint = float(d.get("midpoint", 0.5))
        if not math.isfinite(midpoint):
            raise ValueError("a stop's midpoint is a finite number")
        return cls(float(min(1.0, max(0.0, d.get("position", 0.0)))), color,
                   float(min(1.0, max(0.0, d.get("opacity", 1.0)))), min(1.0, max(0.0, midpoint)))


@dataclass(frozen=True)
class Gradient:
    """A named list of stops (at least one), kept sorted by position, and a smoothness: percent
    0..100, Photoshop's ('Intr' / 40.96). 0 joins the stops by straight ramps (what a gradient
    saved without one drew); Photoshop's default, and the built-in presets', is 100."""

    name: str
    stops: tuple[Stop, ...] = field(default_factory=tuple)
    smoothness: float = 0.0

    def __post_init__(self) -> None:
        if not self.stops:
            raise ValueError("a gradient needs at least one stop")
        object.__setattr__(self, "stops", tuple(sorted(self.stops, key=lambda s: s.position)))
        smoothness = float(self.smoothness)
        if not math.isfinite(smoothness):
            raise ValueError("a gradient's smoothness is a finite number")
        object.__setattr__(self, "smoothness", min(100.0, max(0.0, smoothness)))

    @property
    def curved(self) -> bool:
        """Drawn by Photoshop's Classic interpolation (smoothness or a midpoint), not by straight
        ramps between the stops."""
        return self.smoothness > 0.0 or any(s.midpoint != 0.5 for s in self.stops[1:])

    @property
    def dynamic(self) -> bool:
        """Uses the foreground or background colour."""
        return any(isinstance(s.color, str) for s in self.stops)

    def resolved(self, fg: Colour, bg: Colour) -> Gradient:
        return replace(self, stops=tuple(s.resolved(fg, bg) for s in self.stops))

    def reversed(self) -> Gradient:
        """The mirror image: stops in reverse order (two at one position, a hard edge, swap too),
        each ramp's midpoint mirrored onto the ramp's new end stop."""
        old = self.stops
        mids = [1.0 - old[k + 1].midpoint if k + 1 < len(old) else 0.5 for k in range(len(old))]
        return replace(self, stops=tuple(replace(s, position=1.0 - s.position, midpoint=m)
                                         for s, m in zip(reversed(old), reversed(mids), strict=True)))

    def lists(self, fg: Colour = (0, 0, 0), bg: Colour = (255, 255, 255)):
        """The stops as Photoshop's colour and opacity lists (`photoshop_gradient.lists_of`)."""
        return lists_of([s.to_dict() for s in self.resolved(fg, bg).stops])

    def sample(self, t: np.ndarray | float, fg: Colour = (0, 0, 0), bg: Colour = (255, 255, 255)) -> np.ndarray:
        """Straight RGBA 0..255 (float64) at positions t (clamped to 0..1): the reference interpolation."""
        t = np.clip(np.asarray(t, np.float64), 0.0, 1.0)
        if self.curved:
            flat = classic_rgba(*self.lists(fg, bg), t.reshape(-1), self.smoothness / 100.0)
            return flat.reshape(*t.shape, 4)
        g = self.resolved(fg, bg)
        pos = np.array([s.position for s in g.stops])
        channels = [np.array([s.color[c] for s in g.stops], np.float64) for c in range(3)]
        channels.append(np.array([s.opacity * 255.0 for s in g.stops]))
        return np.stack([np.interp(t, pos, ch) for ch in channels], axis=-1)

    def lut(self, fg: Colour = (0, 0, 0), bg: Colour = (255, 255, 255), n: int = LUT_SIZE) -> np.ndarray:
        """(n, 4) float32 straight RGBA 0..255 over t = k / (n - 1)."""
        return self.sample(np.linspace(0.0, 1.0, n), fg, bg).astype(np.float32)

    def table(self, reverse: bool = False, fg: Colour = (0, 0, 0), bg: Colour = (255, 255, 255)) -> np.ndarray:
        """The table the kernels read, reversed or not: what the gradient tool and a gradient fill
        layer both draw from. A curved table is mirrored (Photoshop eases the ramps it has and
        reverses the result); a straight one is the reversed stops' (as Veil always drew it)."""
        if self.curved:
            table = self.lut(fg, bg)
            return np.ascontiguousarray(table[::-1]) if reverse else table
        return (self.reversed() if reverse else self).lut(fg, bg)

    def to_dict(self) -> dict:
        return {"name": self.name, "stops": [s.to_dict() for s in self.stops], "smoothness": self.smoothness}

    @classmethod
    def from_dict(cls, d: dict) -> Gradient:
        """Absent, the smoothness is 0: what a gradient saved before Veil had one drew."""
        return cls(str(d.get("name", "Gradient")), tuple(Stop.from_dict(s) for s in d.get("stops", ())),
                   float(d.get("smoothness", 0.0)))


def foreground_to_background() -> Gradient:
    return Gradient("Foreground to Background", (Stop(0.0, FOREGROUND), Stop(1.0, BACKGROUND)))


def foreground_to_transparent() -> Gradient:
    return Gradient("Foreground to Transparent", (Stop(0.0, FOREGROUND), Stop(1.0, FOREGROUND, 0.0)))


def builtin_presets() -> list[Gradient]:
    """What the preset list starts with (the two dynamic ones first, as in Photoshop), at
    Photoshop's default smoothness."""
    presets = [
        foreground_to_background(),
        foreground_to_transparent(),
        Gradient("Black, White", (Stop(0.0, (0, 0, 0)), Stop(1.0, (255, 255, 255)))),
        Gradient("White, Black", (Stop(0.0, (255, 255, 255)), Stop(1.0, (0, 0, 0)))),
        Gradient("Hide in the middle", (Stop(0.0, (255, 255, 255)), Stop(0.5, (0, 0, 0)), Stop(1.0, (255, 255, 255)))),
        Gradient("Spectrum", tuple(Stop(k / 6, c) for k, c in enumerate(
            [(255, 0, 0), (255, 255, 0), (0, 255, 0), (0, 255, 255), (0, 0, 255), (255, 0, 255), (255, 0, 0)]))),
        Gradient("Copper", (Stop(0.0, (151, 70, 26)), Stop(0.3, (251, 216, 197)), Stop(0.83, (108, 46, 22)),
                            Stop(1.0, (239, 219, 205)))),
    ]
    return [replace(g, smoothness=DEFAULT_SMOOTHNESS) for g in presets]


def snap_angle(start: tuple[float, float], end: tuple[float, float], step_degrees: float = 15.0) -> tuple[float, float]:
    """Shift: the end point turned to the nearest multiple of `step_degrees`, at the same distance."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length == 0.0:
        return end
    step = math.radians(step_degrees)
    angle = round(math.atan2(dy, dx) / step) * step
    return start[0] + length * math.cos(angle), start[1] + length * math.sin(angle)


# --- shapes ------------------------------------------------------------------------

def shape_reference(kind: str, xs: np.ndarray, ys: np.ndarray, start: tuple[float, float],
                    end: tuple[float, float]) -> np.ndarray:
    """t in 0..1 (float64) at the points (xs, ys): the formulas of the module, written plainly."""
    sx, sy = start
    dx, dy = end[0] - sx, end[1] - sy
    length2 = dx * dx + dy * dy
    rx, ry = np.asarray(xs, np.float64) - sx, np.asarray(ys, np.float64) - sy
    if length2 == 0.0:  # no line: the first colour everywhere, as the kernels do
        return np.zeros(np.broadcast(rx, ry).shape)
    along = (rx * dx + ry * dy) / length2
    if kind == "linear":
        t = along
    elif kind == "reflected":
        t = np.abs(along)
    elif kind == "radial":
        t = np.hypot(rx, ry) / math.sqrt(length2)
    elif kind == "diamond":
        across = (ry * dx - rx * dy) / length2
        t = np.abs(along) + np.abs(across)
    elif kind == "angle":
        theta = math.atan2(-dy, dx) - np.arctan2(-ry, rx)  # y points down: clockwise on screen
        t = np.where((rx == 0.0) & (ry == 0.0), 0.25, np.mod(theta, 2 * math.pi) / (2 * math.pi))
    else:
        raise ValueError(f"unknown gradient shape {kind!r}; expected one of {', '.join(SHAPES)}")
    return np.clip(t, 0.0, 1.0)


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _position(kind, px, py, sx, sy, dx, dy, inv_len2, inv_len, base_angle):
    rx, ry = px - sx, py - sy
    if kind == 0 or kind == 2 or kind == 4:
        along = (rx * dx + ry * dy) * inv_len2
        if kind == 0:
            t = along
        elif kind == 2:
            t = abs(along)
        else:
            t = abs(along) + abs((ry * dx - rx * dy) * inv_len2)
    elif kind == 1:
        t = math.sqrt(rx * rx + ry * ry) * inv_len
    else:  # angle: clockwise on screen
        if rx == 0.0 and ry == 0.0:
            return 0.25  # Photoshop's centre pixel (SethRobinson/Patchy src/core/blend_math.cpp)
        theta = base_angle - math.atan2(-ry, rx)
        turn = 2.0 * math.pi
        theta = theta - math.floor(theta / turn) * turn
        t = theta / turn
    if t < 0.0:
        return 0.0
    if t > 1.0:
        return 1.0
    return t


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _lut_at(lut, t, c):
    f = t * (lut.shape[0] - 1)
    k = min(int(f), lut.shape[0] - 2)
    w = f - k
    return lut[k, c] + (lut[k + 1, c] - lut[k, c]) * w


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _selected(sel, use_sel, x, y):
    if not use_sel:
        return np.float32(1.0)
    if x < 0 or y < 0 or y >= sel.shape[0] or x >= sel.shape[1]:
        return np.float32(0.0)
    return np.float32(sel[y, x]) * np.float32(1.0 / 255.0)


@njit(cache=True, inline="always", fastmath=True, error_model="numpy")
def _row_positions(buf, kind, gy, doc_x0, sx, sy, dx, dy, inv_len2, inv_len, base_angle):
    """t at the pixel centres of document row gy from column doc_x0 into buf. Linear and reflected
    positions are affine along a row: stepped, so the loop vectorises."""
    w = buf.shape[0]
    py = gy + 0.5
    one, zero = np.float32(1.0), np.float32(0.0)
    if kind == 0 or kind == 2:
        t0 = np.float32(((doc_x0 + 0.5 - sx) * dx + (py - sy) * dy) * inv_len2)
        dt = np.float32(dx * inv_len2)
        if kind == 0:
            for x in range(w):
                buf[x] = min(one, max(zero, t0 + np.float32(x) * dt))
        else:
            for x in range(w):
                buf[x] = min(one, abs(t0 + np.float32(x) * dt))
    else:
        for x in range(w):
            buf[x] = _position(kind, doc_x0 + x + 0.5, py, sx, sy, dx, dy, inv_len2, inv_len, base_angle)


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def gradient_mask_kernel(out, base, doc_x0, doc_y0, kind, sx, sy, dx, dy, lut_v, lut_a, opacity, sel, use_sel, thr,
                         opaque=False):
    """The whole gradient on a mask in one pass (normal mode): out = base + (v - base) * a, dithered.

    out, base: (h, w) uint8 (the rect being drawn, and its original); (doc_x0, doc_y0): the
    document position of out[0, 0]; lut_v: STORED grey per table entry, lut_a: its opacity 0..1;
    thr: 8x8 thresholds tied to document positions (Bayer, or all 0.5 for plain rounding).
    The table is read at its nearest entry (16 per 8-bit level: the dither hides the rest).
    opaque: every entry fully opaque, opacity 1, no selection: the base is not read.
    """
    h, w = out.shape
    length2 = dx * dx + dy * dy
    inv_len2 = 1.0 / length2 if length2 > 0.0 else 0.0
    inv_len = math.sqrt(inv_len2)
    base_angle = math.atan2(-dy, dx)
    n1 = np.float32(lut_v.shape[0] - 1)
    half, zero, top = np.float32(0.5), np.float32(0.0), np.float32(255.0)
    band = 16
    for b in prange((h + band - 1) // band):
        buf = np.empty(w, np.float32)
        for y in range(b * band, min(h, (b + 1) * band)):
            gy = doc_y0 + y
            _row_positions(buf, kind, gy, doc_x0, sx, sy, dx, dy, inv_len2, inv_len, base_angle)
            trow = thr[gy & 7]
            dst = out[y]
            if opaque:
                for x in range(w):
                    dst[x] = np.uint8(min(top, lut_v[np.int32(buf[x] * n1 + half)] + trow[(doc_x0 + x) & 7]))
                continue
            src = base[y]
            for x in range(w):
                k = np.int32(buf[x] * n1 + half)
                a = lut_a[k] * opacity
                if use_sel:
                    a *= _selected(sel, use_sel, doc_x0 + x, gy)
                bv = np.float32(src[x])
                r = bv + (lut_v[k] - bv) * a + trow[(doc_x0 + x) & 7]
                dst[x] = np.uint8(min(top, max(zero, r)))


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def linear_mask_kernel(out, doc_x0, doc_y0, sx, sy, dx, dy, knot_s, knot_v, thr_rows):
    """An opaque linear or reflected gradient on a mask (normal mode, no selection, opacity 1):
    out (h, w) uint8 = the grey at each pixel, dithered, without a table or the original.

    Along a row the position s is affine in x, and the grey is piecewise linear in s between
    knots (knot_s ascending, signed for reflected: the knots mirrored about 0; constant beyond
    the ends, as t is clamped): so each row splits into a few runs where the grey is affine in
    x, written by a loop that vectorises (a table lookup per pixel cannot, and cost 4x).
    thr_rows (8, w): the dither thresholds of out's columns for each row phase (gy & 7).
    """
    h, w = out.shape
    length2 = dx * dx + dy * dy
    inv_len2 = 1.0 / length2 if length2 > 0.0 else 0.0
    ds = dx * inv_len2
    m = knot_s.shape[0]
    xf = np.arange(w).astype(np.float32)
    zero, top = np.float32(0.0), np.float32(255.0)
    band = 16
    for b in prange((h + band - 1) // band):
        edges = np.empty(m + 2, np.int64)
        for y in range(b * band, min(h, (b + 1) * band)):
            gy = doc_y0 + y
            s0 = ((doc_x0 + 0.5 - sx) * dx + (gy + 0.5 - sy) * dy) * inv_len2
            # Run edges: the first column at or past each knot (ascending in x either way).
            edges[0] = 0
            for j in range(m):
                if ds == 0.0:
                    e = w
                else:
                    c = (knot_s[j if ds > 0.0 else m - 1 - j] - s0) / ds
                    e = w if c >= w else (0 if c <= 0.0 else int(math.ceil(c)))
                edges[j + 1] = e
            edges[m + 1] = w
            dst, trow = out[y], thr_rows[gy & 7]
            for r in range(m + 1):
                xa, xb = edges[r], edges[r + 1]
                if xb <= xa:
                    continue
                s_mid = s0 + (xa + xb - 1) * 0.5 * ds
                slope = 0.0
                if s_mid <= knot_s[0]:
                    v0 = knot_v[0]
                elif s_mid >= knot_s[m - 1]:
                    v0 = knot_v[m - 1]
                else:
                    j = 0
                    while j < m - 2 and knot_s[j + 1] <= s_mid:
                        j += 1
                    span = knot_s[j + 1] - knot_s[j]
                    if span > 0.0:
                        slope = (knot_v[j + 1] - knot_v[j]) / span
                    v0 = knot_v[j] + slope * (s0 + xa * ds - knot_s[j])  # the grey at column xa
                a0, step, xa_f = np.float32(v0), np.float32(slope * ds), np.float32(xa)
                # Slices indexed from 0: the form LLVM vectorises (indexing dst[x] from xa ran 8x slower).
                run, thr_run, cols = dst[xa:xb], trow[xa:xb], xf[xa:xb]
                for i in range(run.shape[0]):
                    run[i] = np.uint8(min(top, max(zero, a0 + step * (cols[i] - xa_f) + thr_run[i])))


def _grey_knots(gradient: Gradient, reflected: bool, inverted: bool) -> tuple[np.ndarray, np.ndarray]:
    """(positions, stored greys) where a resolved gradient's grey bends: its stops, with the ends 0
    and 1 (mirrored about 0 for reflected), for `linear_mask_kernel`. A midpoint is a knot of
    its own (at 0 % smoothness the ramp bends there and only there); a smooth gradient's ramps
    are curves: each is cut into `_SMOOTH_PIECES` chords (its Classic values at their ends)."""
    weights = np.array([0.299, 0.587, 0.114])
    pos, grey = [], []
    colours = gradient.lists()[0]
    for k, s in enumerate(gradient.stops):
        previous = gradient.stops[k - 1].position if k else s.position
        inner = np.empty(0)
        if gradient.smoothness > 0.0 and s.position > previous:
            inner = np.linspace(previous, s.position, _SMOOTH_PIECES + 1)[1:-1]
        if s.midpoint != 0.5 and s.position > previous:
            inner = np.union1d(inner, [previous + (s.position - previous) * s.midpoint])
            inner = inner[(inner > previous) & (inner < s.position)]
        if inner.size:
            rgb = np.clip(classic(colours, inner, gradient.smoothness / 100.0), 0.0, 255.0)
            pos.extend(inner.tolist())
            grey.extend((rgb @ weights).tolist())
        pos.append(s.position)
        grey.append(float(np.dot(s.color, weights)))
    pos = [0.0] + pos + [1.0]
    val = [grey[0]] + grey + [grey[-1]]
    if reflected:
        pos, val = [-p for p in reversed(pos)] + pos, list(reversed(val)) + val
    v = np.array(val, np.float64)
    return np.array(pos, np.float64), 255.0 - v if inverted else v


def _threshold_rows(thr: np.ndarray, doc_x0: int, w: int) -> np.ndarray:
    """(8, w) float32: the 8x8 thresholds of columns doc_x0 .. doc_x0 + w for each row phase."""
    return np.ascontiguousarray(thr[:, (doc_x0 + np.arange(w)) & 7])


@njit(cache=True, parallel=True, fastmath=True, error_model="numpy")
def gradient_source_kernel(out, doc_x0, doc_y0, kind, sx, sy, dx, dy, lut):
    """out (h, w, c) float32: the table's first c channels at each pixel (c = 4: RGBA, c = 2: grey, alpha)."""
    h, w, channels = out.shape
    length2 = dx * dx + dy * dy
    inv_len2 = 1.0 / length2 if length2 > 0.0 else 0.0
    inv_len = math.sqrt(inv_len2)
    base_angle = math.atan2(-dy, dx)
    for y in prange(h):
        py = doc_y0 + y + 0.5
        for x in range(w):
            t = _position(kind, doc_x0 + x + 0.5, py, sx, sy, dx, dy, inv_len2, inv_len, base_angle)
            for c in range(channels):
                out[y, x, c] = _lut_at(lut, t, c)


def gradient_positions(kind: str, rect: Rect, start: tuple[float, float], end: tuple[float, float]) -> np.ndarray:
    """t (float32, rect-sized) at the pixel centres of a document rect, by the kernel (for tests and tools)."""
    lut = np.linspace(0.0, 1.0, LUT_SIZE, dtype=np.float32)[:, None]
    out = np.empty((rect.h, rect.w, 1), np.float32)
    gradient_source_kernel(out, rect.x, rect.y, _SHAPE_CODE[kind], float(start[0]), float(start[1]),
                           float(end[0] - start[0]), float(end[1] - start[1]), lut)
    return out[..., 0]


def _grey(lut: np.ndarray) -> np.ndarray:
    return (0.299 * lut[:, 0] + 0.587 * lut[:, 1] + 0.114 * lut[:, 2]).astype(np.float32)


# --- the writer ----------------------------------------------------------------------

@dataclass
class GradientSettings:
    shape: str = "linear"
    reverse: bool = False
    dither: bool = True
    mode: BlendMode = BlendMode.NORMAL
    opacity: float = 1.0

    def __post_init__(self) -> None:
        if self.shape not in _SHAPE_CODE:
            raise ValueError(f"unknown gradient shape {self.shape!r}; expected one of {', '.join(SHAPES)}")
        self.mode = BlendMode(self.mode)
        self.opacity = float(min(1.0, max(0.0, self.opacity)))


class GradientPaint:
    """A gradient being laid on a target: `draw` as often as the line moves, then `commit` (one undo step).

    The original of the selection's rect is kept once; every `draw` composites over it, so
    parts can be redrawn (a preview of the visible rect) without the gradient piling up.
    """

    def __init__(self, target: PaintTarget, gradient: Gradient, settings: GradientSettings | None = None, *,
                 fg: Colour = (0, 0, 0), bg: Colour = (255, 255, 255)) -> None:
        self.target = target
        self.settings = settings or GradientSettings()
        # The fill layer's table (`Gradient.table`): one drawing for the tool and fill layers.
        self.lut = gradient.table(self.settings.reverse, tuple(fg), tuple(bg))
        g = gradient.reversed() if self.settings.reverse else gradient
        self.resolved = g.resolved(tuple(fg), tuple(bg))
        self.area = target.selection_rect()
        self.area, self.original = target.snapshot(self.area)
        self.drawn: Rect | None = None

    def draw(self, start: Sequence[float], end: Sequence[float], doc_rect: Rect | None = None) -> Rect | None:
        """Lay the gradient for a line from `start` to `end` (document coordinates) over `doc_rect`
        (default: everything it may change). Returns the document rect changed."""
        t = self.target
        rect = self.area if doc_rect is None else t.from_doc(doc_rect).intersect(self.area)
        if rect.empty:
            return None
        s = self.settings
        sx, sy = float(start[0]), float(start[1])
        dx, dy = float(end[0]) - sx, float(end[1]) - sy
        base = self.original[rect.translated(-self.area.x, -self.area.y).slices()]
        ox, oy = t.offset
        kind = _SHAPE_CODE[s.shape]
        if t.is_mask and s.mode is BlendMode.NORMAL:
            lut_v = _grey(self.lut)
            if t.inverted:
                lut_v = np.float32(255.0) - lut_v
            lut_a = self.lut[:, 3] * np.float32(1.0 / 255.0)
            sel, use_sel = t.selection_data()
            thr = BAYER8 if s.dither else _ROUND
            opaque = bool(not use_sel and s.opacity >= 1.0 and (lut_a >= 1.0).all())
            if opaque and s.shape in ("linear", "reflected"):
                knot_s, knot_v = _grey_knots(self.resolved, s.shape == "reflected", t.inverted)
                linear_mask_kernel(t.array[rect.slices()], rect.x + ox, rect.y + oy, sx, sy, dx, dy, knot_s, knot_v,
                                   _threshold_rows(thr, rect.x + ox, rect.w))
                return self._drawn(rect, t.changed(rect))
            gradient_mask_kernel(t.array[rect.slices()], base, rect.x + ox, rect.y + oy, kind, sx, sy, dx, dy,
                                 np.ascontiguousarray(lut_v), np.ascontiguousarray(lut_a), np.float32(s.opacity),
                                 sel, use_sel, thr, opaque)
            changed = t.changed(rect)
        elif t.is_mask:
            lut = np.ascontiguousarray(np.stack([_grey(self.lut), self.lut[:, 3] / np.float32(255.0)], axis=1))
            src = np.empty((rect.h, rect.w, 2), np.float32)
            gradient_source_kernel(src, rect.x + ox, rect.y + oy, kind, sx, sy, dx, dy, lut)
            changed = t.composite(rect, src[..., 0], src[..., 1], opacity=s.opacity, mode=s.mode, dither=s.dither,
                                  base=base)
        else:
            src = np.empty((rect.h, rect.w, 4), np.float32)
            gradient_source_kernel(src, rect.x + ox, rect.y + oy, kind, sx, sy, dx, dy, self.lut)
            changed = t.composite(rect, src, opacity=s.opacity, mode=s.mode, dither=s.dither, base=base)
        return self._drawn(rect, changed)

    def _drawn(self, rect: Rect, changed: Rect | None) -> Rect | None:
        self.drawn = rect.union(self.drawn)
        return changed

    def restore(self, doc_rect: Rect | None = None) -> None:
        """Put the original back over what has been drawn (inside `doc_rect`, default all of it)."""
        if self.drawn is None:
            return
        t = self.target
        rect = self.drawn if doc_rect is None else t.from_doc(doc_rect).intersect(self.drawn)
        if rect.empty:
            return
        t.array[rect.slices()] = self.original[rect.translated(-self.area.x, -self.area.y).slices()]
        t.changed(rect)

    def commit(self, label: str = "Gradient"):
        cmd = self.target.commit(label)
        self.original = None
        return cmd

    def cancel(self) -> None:
        self.target.cancel()
        self.original = None


def apply_gradient(target: PaintTarget, gradient: Gradient, start: Sequence[float], end: Sequence[float],
                   settings: GradientSettings | None = None, *, fg: Colour = (0, 0, 0),
                   bg: Colour = (255, 255, 255), label: str = "Gradient"):
    """The whole gradient at once, as one undo step (the command, or None when nothing changed)."""
    paint = GradientPaint(target, gradient, settings, fg=fg, bg=bg)
    paint.draw(start, end)
    return paint.commit(label)


def warm_up() -> None:
    """Compile the gradient kernels on a tiny target."""
    out = np.zeros((2, 2), np.uint8)
    lut = np.zeros(4, np.float32)
    sel = np.zeros((1, 1), np.uint8)
    for opaque in (False, True):
        gradient_mask_kernel(out, out.copy(), 0, 0, 0, 0.0, 0.0, 1.0, 0.0, lut, lut, np.float32(1.0), sel, False, BAYER8,
                             opaque)
    knot_s, knot_v = _grey_knots(Gradient("warm-up", (Stop(0.0), Stop(1.0, (255, 255, 255)))), False, False)
    linear_mask_kernel(out, 0, 0, 0.0, 0.0, 1.0, 0.0, knot_s, knot_v, _threshold_rows(BAYER8, 0, 2))
    gradient_source_kernel(np.zeros((2, 2, 4), np.float32), 0, 0, 0, 0.0, 0.0, 1.0, 0.0, np.zeros((4, 4), np.float32))
    gradient_source_kernel(np.zeros((2, 2, 2), np.float32), 0, 0, 0, 0.0, 0.0, 1.0, 0.0, np.zeros((4, 2), np.float32))
