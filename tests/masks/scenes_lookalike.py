"""Look-alike scenes for object select: a subject whose colours the cluttered background shares.

Subject and background are painted from one palette, so colour alone cannot
tell them apart; what differs is texture (one is grainy, the other smooth,
which one is drawn from the seed) and, as in photos, where the edge runs.
The subject's outline has concavities (a wobbly body with a notch cut in it)
and thin parts (limbs a few percent of the frame wide). Every figure is drawn
from the seed and scales with the frame, so tests use small scenes and the
bench 12 MP ones.
"""

from __future__ import annotations

import cv2
import numpy as np

from .scenes import (
    BROWN,
    GREY,
    NAVY,
    ORANGE,
    RED,
    SKIN,
    YELLOW,
    Scene,
    _colour_field,
    _smooth_field,
    _to_rgba,
    blob,
)

PALETTE = [SKIN, RED, NAVY, YELLOW, BROWN, GREY, ORANGE, (70, 120, 80)]


def _subject_shape(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Coverage (float32 0..1, anti-aliased) of a body with a notch and two or three thin limbs."""
    side = min(h, w)
    cx, cy = w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.58)
    radius = side * rng.uniform(0.17, 0.23)
    cover, _ = blob(rng, h, w, (cx, cy), radius, wobble=0.5)
    canvas = (cover * 255).astype(np.uint8)
    shift = 4
    for _ in range(int(rng.integers(2, 4))):  # limbs: thin, straight-ish, reaching out of the body
        angle = rng.uniform(0, 2 * np.pi)
        length = radius * rng.uniform(0.8, 1.3)
        start = np.array([cx, cy]) + radius * 0.6 * np.array([np.cos(angle), np.sin(angle)])
        end = start + length * np.array([np.cos(angle + rng.normal(0, 0.2)), np.sin(angle + rng.normal(0, 0.2))])
        thick = max(2, int(side * rng.uniform(0.015, 0.03)))
        cv2.line(canvas, tuple(np.round(start * (1 << shift)).astype(int)), tuple(np.round(end * (1 << shift)).astype(int)),
                 255, thick, cv2.LINE_AA, shift)
    # A notch: a wedge cut into the body, a deep concavity.
    angle = rng.uniform(0, 2 * np.pi)
    spread = rng.uniform(0.2, 0.35)
    tip = np.array([cx, cy]) + radius * 0.25 * np.array([np.cos(angle), np.sin(angle)])
    far = [tip + radius * 2 * np.array([np.cos(angle + s), np.sin(angle + s)]) for s in (-spread, spread)]
    cv2.fillPoly(canvas, [np.round(np.array([tip, *far]) * (1 << shift)).astype(np.int32)], 0, cv2.LINE_AA, shift)
    return canvas.astype(np.float32) / 255.0


def _grain(rng: np.random.Generator, h: int, w: int, amount: float) -> np.ndarray:
    """Fine texture (h, w, 3): luminance-led noise a few pixels across, scaled with the frame."""
    sigma = max(0.6, min(h, w) / 1500)
    lum = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), sigma)
    chroma = cv2.GaussianBlur(rng.normal(0, 1, (h, w, 3)).astype(np.float32), (0, 0), sigma)
    lum /= max(float(lum.std()), 1e-6)
    chroma /= max(float(chroma.std()), 1e-6)
    return amount * (lum[..., None] * 0.85 + chroma * 0.35)


def lookalike_scene(h: int, w: int, seed: int, *, grain: float = 26.0, smooth_grain: float = 4.0) -> Scene:
    """A subject painted from the background's own palette; hard ground truth and a box around it."""
    rng = np.random.default_rng(seed)
    cover = _subject_shape(rng, h, w)
    cells = int(rng.integers(10, 16))
    subject = _colour_field(rng, h, w, PALETTE, cells) * _smooth_field(rng, h, w, 3, 0.85, 1.1)[..., None]
    bg = _colour_field(rng, h, w, PALETTE, int(cells * rng.uniform(1.2, 2.0))) * _smooth_field(rng, h, w, 3, 0.8, 1.1)[..., None]
    grainy_subject = bool(rng.random() < 0.5)
    subject += _grain(rng, h, w, grain if grainy_subject else smooth_grain)
    bg += _grain(rng, h, w, smooth_grain if grainy_subject else grain)
    rgb = cover[..., None] * subject + (1 - cover[..., None]) * bg
    truth = (cover >= 0.5).astype(np.float32)
    ys, xs = np.nonzero(truth)
    pad = int(0.04 * min(h, w))
    x0, y0 = max(0, xs.min() - pad), max(0, ys.min() - pad)
    x1, y1 = min(w, xs.max() + pad), min(h, ys.max() + pad)
    return Scene(_to_rgba(rgb), truth, (int(x0), int(y0), int(x1 - x0), int(y1 - y0)))
