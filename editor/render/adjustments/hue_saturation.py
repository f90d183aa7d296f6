"""Hue/Saturation, as Photoshop's (its PSD `hue2` block): a master setting and six colour
ranges, or Colorize.

Works in HSL. A colour range (reds, yellows, greens, cyans, blues, magentas) has four hue
angles a <= b <= c <= d (degrees, around the circle): it applies fully between b and c and
falls off linearly to nothing at a and at d, Photoshop's range sliders. For a pixel of hue H
(its original hue) each range weighs w(H). Settings are hue, saturation, lightness in
-180..180, -100..100, -100..100. In order (SethRobinson/Patchy docs/adjustments-calibration.md,
"Per-hue-range bands", measured on Photoshop's renders): the ranges' lightness, the sum of
their weighed settings, moves each channel toward the pixel's largest or smallest (a pure red
at Reds -100 is black, a grey stays); the master's lightness mixes every channel toward white
(L > 0: c + (1 - c) L) or black (c (1 + L)), L = lightness / 100; then one turn of the hue by
the master's and the weighed ranges' hue, and one scale of the HSL saturation by the
master's factor times 1 + sum of w (k - 1) over the ranges' factors k: a range at full
weight equals the master slider, two overlapping ranges add, and a master raise and a range
cut multiply (psd-tools' model applied them as two clamped steps: up to 51 levels off).
A factor is 1 + s for s = saturation / 100 <= 0 and 1 / (1 - s) above, but never more
than 128 (Photoshop's +100 leaves a midtone of chroma 1 half saturated, not full).

Colorize: the given hue (0..360) and saturation (0..100) at the pixel's HSL lightness mixed
toward white or black by the lightness setting (the lightness moves before the colour is
made, so a darkened colour keeps its saturation, as Photoshop's; psd-tools' model, checked
against its renders, does the same; mixing the finished colour was up to 62 levels off).
"""

from __future__ import annotations

import numpy as np

from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays, to_level

RANGES = ("reds", "yellows", "greens", "cyans", "blues", "magentas")
DEFAULT_RANGES = ([315, 345, 15, 45], [15, 45, 75, 105], [75, 105, 135, 165], [135, 165, 195, 225],
                  [195, 225, 255, 285], [255, 285, 315, 345])

SETTINGS = (
    Param("hue", "int", 0, -180, 180, "Hue"),
    Param("saturation", "int", 0, -100, 100, "Saturation"),
    Param("lightness", "int", 0, -100, 100, "Lightness"),
)


def range_weight_deg(hue, a, b, c, d):
    """How much a range (a, b, c, d degrees) applies to a hue (degrees); plain Python/numba."""
    t = (hue - a) % 360.0
    b_, c_, d_ = (b - a) % 360.0, (c - a) % 360.0, (d - a) % 360.0
    if t > d_:
        return 0.0
    if t < b_:
        return t / b_ if b_ > 0 else 1.0
    if t <= c_:
        return 1.0
    return (d_ - t) / (d_ - c_) if d_ > c_ else 1.0


_range_weight = njit(inline="always", fastmath=True)(range_weight_deg)

# Computed in float32 on 8-bit values (0..255), without divisions but one: with HSL
# lightness l and chroma d = max - min, scaling the HSL saturation by k gives the new
# max and min l +- min(l, 255 - l, d k / 2), and a hue turn moves the hue sextant.
ONE, ZERO, SIX, HALF, TINY = (np.float32(v) for v in (1, 0, 6, 0.5, 1e-30))
F255 = np.float32(255)
N_PARAMS = 7 + 6 * 7  # master (3), colorize (4), then per range a, b, c, d, hue, sat, light


@njit(inline="always", fastmath=True)
def _wrap(x):
    """A hue in sextants (-6..12) into 0..6."""
    x = x - SIX if x >= SIX else x
    return x + SIX if x < ZERO else x


@njit(inline="always", fastmath=True)
def _channel(m1, m2, x):
    """One channel of HSL colour: x is the hue in sextants, shifted for the channel (0..12)."""
    x = x - SIX if x >= SIX else x
    return m1 + (m2 - m1) * min(ONE, max(ZERO, min(x, np.float32(4) - x)))


@njit(inline="always", fastmath=True)
def _hue(r, g, b, mx, d):
    """HSL hue in sextants (-1..5) of 8-bit values with max `mx` and chroma `d`."""
    inv = ONE / max(d, TINY)
    h = np.float32(4) + (r - g) * inv
    h = np.float32(2) + (b - r) * inv if g == mx else h
    return (g - b) * inv if r == mx else h


@njit(inline="always", fastmath=True)
def _turn(r, g, b, hue6, half_k):
    """Turn the hue by hue6 sextants and scale the HSL saturation by 2 half_k (8-bit values)."""
    mx = max(r, max(g, b))
    mn = min(r, min(g, b))
    d = mx - mn
    light = (mx + mn) * HALF
    h = _wrap(_hue(r, g, b, mx, d) + hue6)
    q = min(min(light, F255 - light), d * half_k)
    m1, m2 = light - q, light + q
    return _channel(m1, m2, h + np.float32(2)), _channel(m1, m2, h), _channel(m1, m2, h + np.float32(4))


def saturation_scale(saturation: float) -> float:
    """What a Saturation setting (-100..100) multiplies the HSL saturation by."""
    s = saturation / 100
    return 1 + s if s <= 0 else min(MAX_SATURATION_SCALE, 1 / max(1 - s, 1e-6))


MAX_SATURATION_SCALE = 128.0
_saturation_scale = njit(inline="always")(saturation_scale)


@njit(inline="always", fastmath=True)
def _mix_lightness(v, light):
    """Toward white (light > 0) or black (light < 0), light in -1..1, v 0..255."""
    return v * (ONE - abs(light)) + max(ZERO, light) * F255


@njit(inline="always", fastmath=True)
def _range_lightness(v, mn, mx, light):
    """A colour range's lightness, light in -1..1: each channel toward the pixel's smallest
    (darker) or largest (lighter), so the range's pure colours reach black or white and its
    greyish ones barely move (Photoshop's, done in HSV; psd-tools found it so)."""
    # Written as mixes so that light = +-1 lands exactly on mx or mn: a rounding residue of
    # chroma there would be blown up by a master saturation of +100.
    return v * (ONE + light) - light * mn if light < 0 else v * (ONE - light) + light * mx


@njit(inline="always", fastmath=True)
def _ranges_at(p, hue_deg):
    """The weighed sums of the ranges' hue, saturation factor - 1 and lightness at a hue
    (degrees, 0..360), from the table `pack` appends: one row per whole degree."""
    i = min(np.int32(hue_deg), np.int32(359))
    f = hue_deg - i
    row = N_PARAMS + 9 * i
    if f == 0:
        return p[row], p[row + 1], p[row + 2]
    return p[row + 3] + f * p[row + 6], p[row + 4] + f * p[row + 7], p[row + 5] + f * p[row + 8]


@njit(fastmath=True)
def hue_saturation_planes(planes, n, p):
    """planes: (3, >= n) 8-bit R, G, B; p: packed (see `pack`)."""
    n_params = len(p)
    R, G, B = planes[0], planes[1], planes[2]
    hue6 = np.float32(p[0] / 60)
    half_k = np.float32(_saturation_scale(p[1]) / 2)
    light = np.float32(p[2] / 100)
    if p[3] > 0:  # colorize: the pixel's lightness with the given hue and saturation
        ch, cs, cl = np.float32(p[4] / 60), np.float32(p[5] / 100), np.float32(p[6] / 100)
        for x in range(n):
            r, g, b = R[x], G[x], B[x]
            lum = _mix_lightness((max(r, max(g, b)) + min(r, min(g, b))) * HALF, cl)
            q = cs * min(lum, F255 - lum)
            m1, m2 = lum - q, lum + q
            R[x] = to_level(_channel(m1, m2, ch + np.float32(2)))
            G[x] = to_level(_channel(m1, m2, ch))
            B[x] = to_level(_channel(m1, m2, ch + np.float32(4)))
        return
    if n_params > N_PARAMS:  # the ranges' lightness, the master's, then one hue turn and saturation scale
        for x in range(n):
            r, g, b = R[x], G[x], B[x]
            mx = max(r, max(g, b))
            mn = min(r, min(g, b))
            dh = ds = dl = 0.0
            if mx > mn:  # a grey belongs to no colour range
                dh, ds, dl = _ranges_at(p, _wrap(_hue(r, g, b, mx, mx - mn)) * 60.0)
                dl = min(1.0, max(-1.0, dl / 100))
            if dl != 0:
                r, g, b = _range_lightness(r, mn, mx, dl), _range_lightness(g, mn, mx, dl), \
                    _range_lightness(b, mn, mx, dl)
            if light != 0:
                r, g, b = _mix_lightness(r, light), _mix_lightness(g, light), _mix_lightness(b, light)
            turn6 = hue6 + np.float32(dh / 60)
            half_all = half_k * np.float32(max(0.0, 1.0 + ds))
            if turn6 != 0 or half_all != HALF:
                r, g, b = _turn(r, g, b, turn6, half_all)
            R[x], G[x], B[x] = to_level(r), to_level(g), to_level(b)
        return
    if hue6 != 0 or half_k != HALF:
        for x in range(n):
            r, g, b = _mix_lightness(R[x], light), _mix_lightness(G[x], light), _mix_lightness(B[x], light)
            r, g, b = _turn(r, g, b, hue6, half_k)
            R[x], G[x], B[x] = to_level(r), to_level(g), to_level(b)
    elif light != 0:
        for x in range(n):
            R[x] = to_level(_mix_lightness(R[x], light))
            G[x] = to_level(_mix_lightness(G[x], light))
            B[x] = to_level(_mix_lightness(B[x], light))


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    hue_saturation_planes(planes, n, params)


KERNEL = PlanesKernel(hue_saturation_planes, _planes_c)


def pack(params: dict) -> np.ndarray:
    m, c = params["master"], params["colorize"]
    head = [m["hue"], m["saturation"], m["lightness"], float(c["on"]), c["hue"], c["saturation"], c["lightness"]]
    body = [v for n in RANGES for v in params[n]["range"] + [params[n]["hue"], params[n]["saturation"],
                                                             params[n]["lightness"]]]
    packed = np.array(head + body, np.float64)
    active = [i for i in range(6) if any(packed[7 + 7 * i + 4: 7 + 7 * i + 7])]
    if not active or packed[3] > 0:
        return packed
    return np.concatenate([packed, _range_table(packed, active).ravel()])


def _range_table(packed: np.ndarray, active: list[int]) -> np.ndarray:
    """What the ranges add at each whole degree i of hue, (360, 9): the sums exactly at i,
    then their value just after i and their slope up to i + 1.

    Each range's weight is piecewise linear in the hue with its corners at the sliders'
    whole degrees, so between two whole degrees the sums are one straight line (a slider
    pair that meets makes a step, which lands exactly on a whole degree): the table gives
    the same sums as weighing six ranges per pixel, at a fraction of the cost."""
    table = np.zeros((360, 9))
    for i in active:
        a, b, c, d, hue, sat, light = packed[7 + 7 * i: 14 + 7 * i]
        settings = np.array([hue, saturation_scale(sat) - 1.0, light])
        for deg in range(360):
            at, q1, q3 = (range_weight_deg(deg + t, a, b, c, d) for t in (0.0, 0.25, 0.75))
            slope = 2 * (q3 - q1)
            table[deg, :3] += at * settings
            table[deg, 3:6] += (q1 - 0.25 * slope) * settings
            table[deg, 6:] += slope * settings
    return table


def _range_param(name: str, default: list[int]) -> Param:
    return Param(name, "record", label=name.capitalize(),
                 fields=SETTINGS + (Param("range", "range", default, 0, 360, "Range"),))


SPEC = Spec("hue_saturation", "Hue/Saturation", (
    Param("master", "record", fields=SETTINGS, label="Master"),
    *(_range_param(n, d) for n, d in zip(RANGES, DEFAULT_RANGES, strict=True)),
    Param("colorize", "record", label="Colorize", fields=(
        Param("on", "bool", False, label="Colorize"),
        Param("hue", "int", 0, 0, 360, "Hue"),
        Param("saturation", "int", 25, 0, 100, "Saturation"),
        Param("lightness", "int", 0, -100, 100, "Lightness"),
    )),
), kernel=KERNEL, pack=pack)
