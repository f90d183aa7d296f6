"""Selective Colour, as Photoshop's (its PSD `selc` block): for nine colour classes (reds,
yellows, greens, cyans, blues, magentas, whites, neutrals, blacks) an amount of cyan, magenta,
yellow and black ink to add or take away, -100..100 %.

A pixel belongs to each class by how much of it the class names, measured on its channels
sorted lo <= mid <= hi (8-bit units): reds, greens, blues (where R, G or B is the largest) by
hi - mid; cyans, magentas, yellows (where R, G or B is the smallest) by mid - lo; whites by
2 (lo - 127.5), blacks by 2 (127.5 - hi), neutrals by 255 - |hi - 127.5| - |lo - 127.5|
(none below zero). For a class of amount w, each channel v (0..1; red carries cyan ink,
green magenta, blue yellow) moves by w times

    d = (-1 - ink) k - ink, times the ink already there (1 - v) when the method is Relative,

clamped to -v..1 - v (ink and k the class's ink and black settings as fractions); the moves
of all classes add up on the pixel's original channels. This is the model FFmpeg's
selectivecolor filter documents as Photoshop's; Adobe has not published the formula.
Relative cannot change pure white, which carries no ink, as Photoshop's manual says.
"""

from __future__ import annotations

import numpy as np

from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays, to_level

CLASSES = ("reds", "yellows", "greens", "cyans", "blues", "magentas", "whites", "neutrals", "blacks")
INKS = ("cyan", "magenta", "yellow", "black")
HALF_WHITE = np.float32(127.5)


@njit(inline="always", fastmath=True)
def _amount(k, r, g, b, lo, mid, hi):
    """How much of the pixel class k names (8-bit units, 0 when it is not of the class)."""
    if k == 0:
        return hi - mid if r == hi else 0.0
    if k == 1:
        return mid - lo if b == lo else 0.0
    if k == 2:
        return hi - mid if g == hi else 0.0
    if k == 3:
        return mid - lo if r == lo else 0.0
    if k == 4:
        return hi - mid if b == hi else 0.0
    if k == 5:
        return mid - lo if g == lo else 0.0
    if k == 6:
        return max(0.0, (lo - HALF_WHITE) * 2)
    if k == 7:
        return max(0.0, 255.0 - abs(hi - HALF_WHITE) - abs(lo - HALF_WHITE))
    return max(0.0, (HALF_WHITE - hi) * 2)


@njit(inline="always", fastmath=True)
def _move(v, ink, black, relative):
    """The move of a channel (0..1) for one class at full amount."""
    d = (-1.0 - ink) * black - ink
    if relative:
        d *= 1.0 - v
    return min(1.0 - v, max(-v, d))


@njit(fastmath=True)
def selective_color_planes(planes, n, p):
    """p: relative (0 or 1), then per class its cyan, magenta, yellow, black as fractions."""
    R, G, B = planes[0], planes[1], planes[2]
    relative = p[0] > 0
    for x in range(n):
        r, g, b = R[x], G[x], B[x]
        hi = max(r, max(g, b))
        lo = min(r, min(g, b))
        mid = r + g + b - hi - lo
        vr, vg, vb = r / 255.0, g / 255.0, b / 255.0
        dr = dg = db = 0.0
        for k in range(9):
            base = 1 + 4 * k
            c, m, y, black = p[base], p[base + 1], p[base + 2], p[base + 3]
            if c == 0 and m == 0 and y == 0 and black == 0:
                continue
            w = _amount(k, r, g, b, lo, mid, hi)
            if w > 0:
                dr += w * _move(vr, c, black, relative)
                dg += w * _move(vg, m, black, relative)
                db += w * _move(vb, y, black, relative)
        R[x], G[x], B[x] = to_level(r + dr), to_level(g + dg), to_level(b + db)


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    selective_color_planes(planes, n, params)


KERNEL = PlanesKernel(selective_color_planes, _planes_c)


def pack(params: dict) -> np.ndarray:
    body = [params[c][ink] / 100 for c in CLASSES for ink in INKS]
    return np.array([float(params["method"] == "relative"), *body], np.float64)


def _class(name: str) -> Param:
    return Param(name, "record", label=name.capitalize(),
                 fields=tuple(Param(ink, "int", 0, -100, 100, ink.capitalize()) for ink in INKS))


SPEC = Spec("selective_color", "Selective Colour", (
    *(_class(c) for c in CLASSES),
    Param("method", "choice", "relative", choices=("relative", "absolute"), label="Method"),
), kernel=KERNEL, pack=pack)
