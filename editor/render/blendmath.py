"""The blend functions B(Cb, Cs), vectorised with numpy: the W3C Compositing and Blending
Level 1 set, and Photoshop's own modes as editor.core.blend defines them.

Colours are straight (not premultiplied) float arrays in 0..1 whose last axis is RGB.
This is the numpy backend; the numba kernels carry their own scalar copy of these formulas.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from editor.core import BlendMode

# Photoshop's linear light is d + 2s - 256 on bytes (not the textbook - 255; SethRobinson/Patchy
# docs/blend-modes.md, from full 256 x 256 Photoshop 2026 captures): its neutral source is 128.5.
LINEAR_LIGHT_OFFSET = 256 / 255

# Colour dodge and burn jump at (Cb=0, Cs=1) and (Cb=1, Cs=0). Values this close to the
# edge count as on it, so float rounding of an unpremultiplied colour cannot flip the jump.
EDGE = 1e-5


def _hard_light(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    return np.where(cs <= 0.5, cb * (2 * cs), _screen(cb, 2 * cs - 1))


def _screen(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    return cb + cs - cb * cs


def _color_dodge(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.minimum(1, cb / np.maximum(1 - cs, EDGE))
    return np.where(cb <= EDGE, 0, np.where(cs >= 1 - EDGE, 1, ratio))


def _color_burn(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = 1 - np.minimum(1, (1 - cb) / np.maximum(cs, EDGE))
    return np.where(cb >= 1 - EDGE, 1, np.where(cs <= EDGE, 0, ratio))


def _soft_light(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    d = np.where(cb <= 0.25, ((16 * cb - 12) * cb + 4) * cb, np.sqrt(cb))
    return np.where(cs <= 0.5, cb - (1 - 2 * cs) * cb * (1 - cb), cb + (2 * cs - 1) * (d - cb))


def _lum(c: np.ndarray) -> np.ndarray:
    return c[..., 0:1] * 0.3 + c[..., 1:2] * 0.59 + c[..., 2:3] * 0.11


def _clip_color(c: np.ndarray) -> np.ndarray:
    lum = _lum(c)
    lo = c.min(axis=-1, keepdims=True)
    hi = c.max(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = lum + (c - lum) * lum / (lum - lo)
        above = lum + (c - lum) * (1 - lum) / (hi - lum)
    c = np.where((lo < 0) & (lum - lo > 0), below, c)
    c = np.where((hi > 1) & (hi - lum > 0), above, c)
    return c


def _set_lum(c: np.ndarray, lum: np.ndarray) -> np.ndarray:
    return _clip_color(c + (lum - _lum(c)))


def _sat(c: np.ndarray) -> np.ndarray:
    return c.max(axis=-1, keepdims=True) - c.min(axis=-1, keepdims=True)


def _set_sat(c: np.ndarray, sat: np.ndarray) -> np.ndarray:
    # Max goes to sat, min to 0 and mid scales between them: one expression for all three.
    lo = c.min(axis=-1, keepdims=True)
    span = c.max(axis=-1, keepdims=True) - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(span > 0, (c - lo) * sat / span, 0)


def _vivid_light(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        burn = 1 - np.minimum(1, (1 - cb) / np.maximum(2 * cs, EDGE))
        dodge = np.minimum(1, cb / np.maximum(2 * (1 - cs), EDGE))
    out = np.where(cs <= 0.5, burn, dodge)
    return np.where(cs <= EDGE, 0, np.where(cs >= 1 - EDGE, 1, out))


def _hard_mix(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    # A sum within EDGE of 1 is a tie, which Photoshop settles by the backdrop.
    total = cb + cs
    return np.where((total > 1 + EDGE) | ((total >= 1 - EDGE) & (cb > 0.5)), 1, 0).astype(cb.dtype)


def _divide(cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.minimum(1, cb / np.maximum(cs, EDGE))
    return np.where(cb <= EDGE, 0, np.where(cs <= EDGE, 1, ratio))


def luma_level(c: np.ndarray) -> np.ndarray:
    """Darker and lighter colour's luminosity: 0.3/0.59/0.11 of the 8-bit levels, rounded to a
    whole level (Photoshop compares these, SethRobinson/Patchy docs/blend-modes.md), in integers
    so that equal levels tie exactly."""
    levels = np.floor(np.clip(c, 0, 1) * 255 + 0.5).astype(np.int32)
    return (30 * levels[..., 0:1] + 59 * levels[..., 1:2] + 11 * levels[..., 2:3] + 50) // 100


def _pick_by_lum(cb: np.ndarray, cs: np.ndarray, darker: bool) -> np.ndarray:
    # A tie keeps the backdrop.
    ls, lb = luma_level(cs), luma_level(cb)
    return np.where(ls < lb if darker else ls > lb, cs, cb)


BLEND: dict[BlendMode, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    BlendMode.NORMAL: lambda cb, cs: cs,
    BlendMode.MULTIPLY: lambda cb, cs: cb * cs,
    BlendMode.SCREEN: _screen,
    BlendMode.OVERLAY: lambda cb, cs: _hard_light(cs, cb),
    BlendMode.DARKEN: np.minimum,
    BlendMode.LIGHTEN: np.maximum,
    BlendMode.COLOR_DODGE: _color_dodge,
    BlendMode.COLOR_BURN: _color_burn,
    BlendMode.HARD_LIGHT: _hard_light,
    BlendMode.SOFT_LIGHT: _soft_light,
    BlendMode.DIFFERENCE: lambda cb, cs: np.abs(cb - cs),
    BlendMode.EXCLUSION: lambda cb, cs: cb + cs - 2 * cb * cs,
    BlendMode.HUE: lambda cb, cs: _set_lum(_set_sat(cs, _sat(cb)), _lum(cb)),
    BlendMode.SATURATION: lambda cb, cs: _set_lum(_set_sat(cb, _sat(cs)), _lum(cb)),
    BlendMode.COLOR: lambda cb, cs: _set_lum(cs, _lum(cb)),
    BlendMode.LUMINOSITY: lambda cb, cs: _set_lum(cb, _lum(cs)),
    BlendMode.ADD: lambda cb, cs: np.minimum(1, cb + cs),
    BlendMode.DISSOLVE: lambda cb, cs: cs,  # the compositor thresholds the alpha
    BlendMode.LINEAR_BURN: lambda cb, cs: np.maximum(0, cb + cs - 1),
    BlendMode.LINEAR_LIGHT: lambda cb, cs: np.clip(cb + 2 * cs - LINEAR_LIGHT_OFFSET, 0, 1),
    BlendMode.VIVID_LIGHT: _vivid_light,
    BlendMode.PIN_LIGHT: lambda cb, cs: np.where(cs <= 0.5, np.minimum(cb, 2 * cs), np.maximum(cb, 2 * cs - 1)),
    BlendMode.HARD_MIX: _hard_mix,
    BlendMode.SUBTRACT: lambda cb, cs: np.maximum(0, cb - cs),
    BlendMode.DIVIDE: _divide,
    BlendMode.DARKER_COLOR: lambda cb, cs: _pick_by_lum(cb, cs, True),
    BlendMode.LIGHTER_COLOR: lambda cb, cs: _pick_by_lum(cb, cs, False),
}


def blend(mode: BlendMode, cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    return BLEND[mode](cb, cs).astype(np.float32, copy=False)


# Faded colour burn and dodge divide on a 256 scale in Photoshop: d / (1 - s 255/256).
DIVIDE_256 = 255 / 256


def hard_mix_fill_step(fill: float) -> float:
    """Hard Mix's ramp parameter at a Fill below 1: the Fill byte less one from 128 up, over 255
    (Photoshop's steps, SethRobinson/Patchy docs/blend-modes.md)."""
    fb = int(np.floor(fill * 255 + 0.5))
    return (fb - (fb >= 128)) / 255


def hard_mix_anchor(cs, step):
    """Where hard mix's ramp starts, (1 - Cs) x step, on Photoshop's byte steps: the ramp is
    steep at high Fill (1 / (1 - step) levels per level), so half a level here moves it a lot."""
    return np.floor((1 - cs) * step * 255 + 0.5) * (1 / 255)


def special_fill(mode: BlendMode, cb: np.ndarray, cs: np.ndarray, fill: float) -> np.ndarray:
    """B(Cb, Cs) of one of the SPECIAL_FILL modes at a Fill below 1, as Photoshop computes it
    (rules from SethRobinson/Patchy docs/blend-modes.md, calibrated on Photoshop 2026 renders,
    here in float rather than Photoshop's 8-bit steps). Fill 0 leaves the backdrop.
    - the burns move the source toward white by Fill, dodge, add and difference toward black
      (colour burn and dodge then divide on Photoshop's 256 scale, DIVIDE_256);
    - linear and vivid light fade their doubled source term, i.e. move the source toward 1/2;
    - hard mix is a ramp, not a threshold: (Cb - A) / (1 - f) clamped, A = (1 - Cs) f in whole
      levels (hard_mix_anchor), with f = hard_mix_fill_step(fill)."""
    fill = np.float32(min(max(fill, 0.0), 1.0))
    if mode is BlendMode.HARD_MIX:
        f = np.float32(hard_mix_fill_step(float(fill)))
        if f <= 0:
            return cb.astype(np.float32, copy=True)
        return np.clip((cb - hard_mix_anchor(cs, f)) / (1 - f), 0, 1).astype(np.float32, copy=False)
    if mode in (BlendMode.COLOR_BURN, BlendMode.LINEAR_BURN):
        faded = 1 - fill * (1 - cs)
    elif mode in (BlendMode.LINEAR_LIGHT, BlendMode.VIVID_LIGHT):
        faded = np.float32(0.5) + fill * (cs - np.float32(0.5))
    else:  # colour dodge, add, difference
        faded = fill * cs
    if mode in (BlendMode.COLOR_BURN, BlendMode.COLOR_DODGE):
        faded = faded * np.float32(DIVIDE_256)
    return blend(mode, cb, faded)
