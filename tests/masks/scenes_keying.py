"""Hard keying scenes with known alpha, and the hard HSV key they are compared with.

Harder than `scenes.screen_scene`: the screen is lit by a gradient and a
vignette and carries sensor noise, spill on the subject decays with the
distance from its edge, strands are 1-3 px wide with a true fractional
alpha (translucent hair), and the subject has greenish, blue and dark areas
that a keyer must not take for screen. Every parameter is drawn from the
seed, so tests and benchmarks run several scenes instead of one picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .scenes import BROWN, GREY, NAVY, ORANGE, RED, SKIN, YELLOW, _to_rgba, blob

SCREENS = {"green": (45, 180, 70), "blue": (30, 70, 190)}
# Colours a green (blue) screen keyer finds hard: greenish (bluish) but not the screen's hue, and dark.
LOOKALIKE = {"green": [(95, 150, 70), (60, 125, 105), (120, 160, 60)],
             "blue": [(60, 95, 160), (40, 120, 150), (90, 90, 170)]}
OTHER = {"green": [(45, 70, 160), (40, 55, 120)], "blue": [(60, 150, 70), (100, 150, 60)]}
DARK = [(25, 22, 20), (35, 30, 40)]
PLAIN = [SKIN, RED, NAVY, YELLOW, BROWN, GREY, ORANGE]
HSV_RANGES = {"green": ((35, 60, 40), (85, 255, 255)), "blue": ((95, 60, 40), (130, 255, 255))}
HAIR = [(70, 50, 35), (40, 32, 28), (200, 170, 110), (120, 80, 50)]


@dataclass
class KeyingScene:
    image: np.ndarray  # (h, w, 4) uint8 RGBA, opaque
    alpha: np.ndarray  # (h, w) float32 ground truth in [0, 1]
    core: np.ndarray  # (h, w) bool: the subject's solid inside (true alpha 1, away from any edge)
    key: str
    foreground: np.ndarray  # (h, w, 3) float32: the subject's colours before noise (spill and light included)
    backdrop: np.ndarray  # (h, w, 3) float32: the lit screen before noise


def hard_hsv_key(image: np.ndarray, key: str) -> np.ndarray:
    """What a user reaches for without a keyer: everything in the screen's HSV range is out (uint8)."""
    hsv = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2HSV)
    return 255 - cv2.inRange(hsv, *HSV_RANGES[key])


def _lighting(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A linear light gradient in a random direction times a vignette, with a soft uneven wash."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    t = ((xs / w - 0.5) * np.cos(angle) + (ys / h - 0.5) * np.sin(angle)) * 2  # about -1..1
    gradient = 1.0 + rng.uniform(0.15, 0.3) * t
    r2 = ((xs / w - 0.5) ** 2 + (ys / h - 0.5) ** 2) * 2  # 0 centre, 1 corner
    vignette = 1.0 - rng.uniform(0.25, 0.4) * r2
    small = rng.uniform(0.9, 1.1, (4, 4)).astype(np.float32)
    wash = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    return (gradient * vignette * wash).astype(np.float32)


def _patches(rng: np.random.Generator, h: int, w: int, palette: list, cells: int) -> np.ndarray:
    """Regions of flat colour (a garment, a label), softly joined: nearest-cell colours, blurred a little."""
    gh, gw = max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w))
    picks = np.asarray(palette, np.float32)[rng.integers(0, len(palette), (gh, gw))]
    field = cv2.resize(picks, (w, h), interpolation=cv2.INTER_NEAREST)
    return cv2.GaussianBlur(field, (0, 0), max(1.0, min(h, w) / 400))


def thick_strands(rng: np.random.Generator, h: int, w: int, outline: np.ndarray, count: int, length: float) -> np.ndarray:
    """Hair strands 1-3 px wide, each translucent (coverage 0.35-0.95), growing out of an outline."""
    canvas = np.zeros((h, w), np.float32)
    centre = outline.mean(axis=0)
    shift = 4
    for i in rng.integers(0, len(outline), count):
        p = outline[i].astype(np.float64)
        direction = (p - centre) / (np.linalg.norm(p - centre) + 1e-9)
        angle = np.arctan2(direction[1], direction[0]) + rng.normal(0, 0.3)
        p = p - direction * length * 0.1
        pts = [p.copy()]
        for _ in range(14):
            angle += rng.normal(0, 0.12)
            p = p + np.array([np.cos(angle), np.sin(angle)]) * length / 14 * rng.uniform(0.6, 1.2)
            pts.append(p.copy())
        pts = np.asarray(pts)
        x0, y0 = np.maximum(np.floor(pts.min(axis=0)).astype(int) - 4, 0)
        x1, y1 = np.minimum(np.ceil(pts.max(axis=0)).astype(int) + 5, (w, h))
        if x1 <= x0 or y1 <= y0:
            continue
        layer = np.zeros((y1 - y0, x1 - x0), np.uint8)
        width = int(rng.integers(1, 4))
        cv2.polylines(layer, [np.round((pts - (x0, y0)) * (1 << shift)).astype(np.int32)], False, 255, width,
                      cv2.LINE_AA, shift)
        coverage = layer.astype(np.float32) / 255.0 * rng.uniform(0.35, 0.95)
        np.maximum(canvas[y0:y1, x0:x1], coverage, out=canvas[y0:y1, x0:x1])
    return canvas


def keying_scene(h: int, w: int, seed: int, key: str = "green", *, noise: float | None = None,
                 spill: float | None = None, hair: int | None = None) -> KeyingScene:
    """A subject over an unevenly lit, noisy screen, with decaying spill, thick translucent hair, and
    look-alike, opposite-screen and dark patches inside it. Unset knobs are drawn from the seed."""
    rng = np.random.default_rng(seed)
    scale = min(h, w) / 1000.0
    noise = rng.uniform(3.0, 6.0) if noise is None else noise
    spill = rng.uniform(25.0, 45.0) if spill is None else spill
    body, outline = blob(rng, h, w, (w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.58)),
                         min(h, w) * rng.uniform(0.24, 0.3), wobble=0.3)
    body = cv2.GaussianBlur(body, (0, 0), max(0.7, 1.5 * scale))
    strands = thick_strands(rng, h, w, outline, int((hair or 300) * max(scale, 0.3)), 80 * max(scale, 0.3))
    alpha = np.maximum(body, strands)

    palette = PLAIN + LOOKALIKE[key] * 2 + OTHER[key] + DARK  # look-alikes twice: every scene has some
    fg = _patches(rng, h, w, palette, 12)
    hair_colour = np.asarray(HAIR[int(rng.integers(0, len(HAIR)))], np.float32)
    hair_only = np.clip(strands - body, 0, 1)[..., None]
    fg = fg * (1 - hair_only) + hair_colour * hair_only
    # Spill falls off with the distance from the subject's edge (strands, all edge, get it in full).
    inside = cv2.distanceTransform((body > 0.5).astype(np.uint8), cv2.DIST_L2, 3)
    decay = rng.uniform(6.0, 14.0) * max(scale, 0.3)
    channel = 1 if key == "green" else 2
    fg[..., channel] += spill * np.exp(-inside / decay)
    fg = np.clip(fg, 0, 255)

    light = _lighting(rng, h, w)
    screen = np.asarray(SCREENS[key], np.float32) * rng.uniform(0.9, 1.1, 3).astype(np.float32)
    backdrop = screen * light[..., None]
    # The subject is lit by the same light, less strongly (it stands in front of the screen).
    fg = fg * (0.85 + 0.15 * light[..., None])
    rgb = alpha[..., None] * fg + (1 - alpha[..., None]) * backdrop
    rgb += rng.normal(0, noise, rgb.shape).astype(np.float32)
    solid = (alpha >= 0.999).astype(np.uint8)
    core = cv2.erode(solid, np.ones((7, 7), np.uint8)).astype(bool)
    return KeyingScene(_to_rgba(rgb), alpha.astype(np.float32), core, key, fg, backdrop)


def core_loss(alpha: np.ndarray, core: np.ndarray, below: float = 0.9) -> float:
    """Share of the subject's core keyed below `below` (the keyer eating the subject)."""
    unit = alpha.astype(np.float32) / 255.0 if alpha.dtype == np.uint8 else alpha
    return float(np.count_nonzero(unit[core] < below)) / max(int(core.sum()), 1)
