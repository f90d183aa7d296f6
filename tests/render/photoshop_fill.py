"""Photoshop 2026's 8-bit rules for a layer's Fill in the special-Fill modes, as documented by
SethRobinson/Patchy docs/blend-modes.md ("Special-Fill for the three light modes": linear
light, vivid light, hard mix) and, for the burns, dodges and difference, the source byte
moved toward the mode's neutral by Fill (colour burn and dodge dividing on a 256 scale).
Written here in integers, as the expected values of tests; Veil computes in float."""

from __future__ import annotations

import numpy as np

from editor.core import BlendMode


def _half_up(a, b):
    """round(a / b), halves up, for integer arrays a and positive b."""
    return np.floor_divide(2 * a + b, 2 * b)


def photoshop_rule(mode: BlendMode, s: np.ndarray, d: np.ndarray, fb: int) -> np.ndarray:
    """The blended byte of source s over opaque backdrop d (int arrays) at Fill byte fb < 255."""
    if mode is BlendMode.LINEAR_LIGHT:
        return np.clip(d + _half_up((2 * s - 255) * fb, 255) - 1, 0, 255)
    if mode is BlendMode.VIVID_LIGHT:
        dodge_term = _half_up(_half_up((s - 128) * 255, 127) * fb, 255)
        divisor = 255 - dodge_term
        dodge = np.where(divisor <= 0, 255, np.minimum(255, _half_up(d * 255, np.maximum(divisor, 1))))
        doubled = 255 - _half_up((255 - _half_up(s * 255, 128)) * fb, 255)
        num = d + doubled - 255
        burn = np.where((num <= 0) | (doubled <= 0), 0,
                        np.minimum(255, (2 * num * 255 + doubled - 1) // np.maximum(2 * doubled, 1)))
        return np.where(s >= 128, dodge, burn)
    if mode is BlendMode.HARD_MIX:
        fb2 = fb - (fb >= 128)
        anchor = _half_up((255 - s) * fb2, 255)
        return np.clip(_half_up((d - anchor) * 255, 255 - fb2), 0, 255)
    neutral = 255 if mode in (BlendMode.COLOR_BURN, BlendMode.LINEAR_BURN) else 0
    moved = neutral + (s - neutral) * fb / 255
    sb = np.floor(moved + 0.5)
    if mode is BlendMode.COLOR_BURN:
        with np.errstate(divide="ignore"):
            q = np.where(moved <= 0, 256, np.floor((255 - d) * 256 / np.maximum(moved, 1e-9)))
        return np.clip(255 - q, 0, 255)
    if mode is BlendMode.COLOR_DODGE:
        return np.clip(np.floor(d * 256 / (256 - moved) + 0.5), 0, 255)
    if mode is BlendMode.LINEAR_BURN:
        return np.clip(sb + d - 255, 0, 255)
    if mode is BlendMode.ADD:
        return np.minimum(255, sb + d)
    assert mode is BlendMode.DIFFERENCE
    return np.abs(d - sb)
