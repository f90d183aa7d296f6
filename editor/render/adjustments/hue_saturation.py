"""Hue/Saturation, as Photoshop's (its PSD `hue2` block): a master setting and six colour
ranges, or Colorize.

Works in HSL. A colour range (reds, yellows, greens, cyans, blues, magentas) has four hue
angles a <= b <= c <= d (degrees, around the circle): it applies fully between b and c and
falls off linearly to nothing at a and at d, Photoshop's range sliders. For a pixel of hue H
(its original hue) each range weighs w(H); the ranges' settings, weighed, apply first, then
the master's. One step of settings (hue, saturation, lightness in -180..180, -100..100,
-100..100) turns the hue by `hue` degrees, scales the HSL saturation by 1 + saturation / 100
(clamped to 1), and then mixes toward white (lightness > 0: c + (1 - c) L) or black
(c (1 + L)), L = lightness / 100.

Colorize: the pixel's HSL lightness with the given hue (0..360) and saturation (0..100), then
the lightness mix.
"""

from __future__ import annotations

import numpy as np

from ._colour import hsl_to_rgb, rgb_to_hsl, to_byte
from ._jit import njit, prange
from .base import Param, Spec

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


_range_weight = njit(inline="always")(range_weight_deg)


@njit(inline="always")
def _step(r, g, b, hue, sat, light):
    h, s, lum = rgb_to_hsl(r, g, b)
    if hue != 0 or sat != 0:
        h = h + hue / 360.0
        h = h - np.floor(h)
        s = min(1.0, max(0.0, s * (1 + sat / 100.0)))
        r, g, b = hsl_to_rgb(h, s, lum)
    L = light / 100.0
    if L > 0:
        r, g, b = r + (1 - r) * L, g + (1 - g) * L, b + (1 - b) * L
    elif L < 0:
        r, g, b = r * (1 + L), g * (1 + L), b * (1 + L)
    return r, g, b


@njit(parallel=True, cache=True)
def _hue_saturation(rgba, table, master, colorize):
    """table: (6, 7) a, b, c, d, hue, saturation, lightness per range; master: (3,);
    colorize: (4,) on, hue, saturation, lightness."""
    height, width = rgba.shape[0], rgba.shape[1]
    for y in prange(height):
        for x in range(width):
            r, g, b = rgba[y, x, 0] / 255.0, rgba[y, x, 1] / 255.0, rgba[y, x, 2] / 255.0
            if colorize[0] > 0:
                _, _, lum = rgb_to_hsl(r, g, b)
                r, g, b = hsl_to_rgb(colorize[1] / 360.0, colorize[2] / 100.0, lum)
                r, g, b = _step(r, g, b, 0.0, 0.0, colorize[3])
            else:
                h, s, _ = rgb_to_hsl(r, g, b)
                dh = ds = dl = 0.0
                if s > 0:
                    for i in range(6):
                        if table[i, 4] != 0 or table[i, 5] != 0 or table[i, 6] != 0:
                            wgt = _range_weight(h * 360.0, table[i, 0], table[i, 1], table[i, 2], table[i, 3])
                            dh += wgt * table[i, 4]
                            ds += wgt * table[i, 5]
                            dl += wgt * table[i, 6]
                if dh != 0 or ds != 0 or dl != 0:
                    r, g, b = _step(r, g, b, dh, ds, dl)
                r, g, b = _step(r, g, b, master[0], master[1], master[2])
            rgba[y, x, 0], rgba[y, x, 1], rgba[y, x, 2] = to_byte(r), to_byte(g), to_byte(b)


def tables(params: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = np.array([params[n]["range"] + [params[n]["hue"], params[n]["saturation"], params[n]["lightness"]]
                      for n in RANGES], np.float64)
    m = params["master"]
    master = np.array([m["hue"], m["saturation"], m["lightness"]], np.float64)
    c = params["colorize"]
    colorize = np.array([float(c["on"]), c["hue"], c["saturation"], c["lightness"]], np.float64)
    return table, master, colorize


def pixels(rgba: np.ndarray, params: dict) -> None:
    _hue_saturation(rgba, *tables(params))


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
), pixels=pixels)
