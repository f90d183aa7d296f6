"""Synthetic scenes with known ground truth, and the alpha-matting metrics.

Every scene is drawn from a seed, so tests can run several seeds instead of
tuning to one picture. Sizes are parameters: tests use small ones, the
benchmarks 12 and 24 MP.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SKIN, RED, NAVY, YELLOW, BROWN, GREY, ORANGE, PURPLE = (
    (196, 128, 100), (170, 40, 45), (50, 60, 150), (225, 200, 70), (95, 70, 50), (190, 190, 185), (230, 120, 30), (120, 50, 140))
FOREGROUND_PALETTE = {"green": [SKIN, RED, NAVY, YELLOW, BROWN, GREY, ORANGE, PURPLE],
                      "blue": [SKIN, RED, YELLOW, BROWN, GREY, ORANGE, (60, 140, 60)]}
SCREEN = {"green": (40, 175, 75), "blue": (35, 75, 185)}


@dataclass
class Scene:
    image: np.ndarray  # (h, w, 4) uint8 RGBA, opaque
    alpha: np.ndarray  # (h, w) float32 ground truth in [0, 1]
    rect: tuple[int, int, int, int] | None = None  # a box around the subject, x, y, w, h


# --- metrics ------------------------------------------------------------------

def as_unit(alpha: np.ndarray) -> np.ndarray:
    return alpha.astype(np.float32) / 255.0 if alpha.dtype == np.uint8 else alpha.astype(np.float32)


def sad(alpha: np.ndarray, truth: np.ndarray, region: np.ndarray | None = None) -> float:
    """Sum of absolute differences of alpha in [0, 1], in thousands (the matting benchmark's unit)."""
    diff = np.abs(as_unit(alpha) - as_unit(truth))
    return float(diff[region].sum() if region is not None else diff.sum()) / 1000.0


def mse(alpha: np.ndarray, truth: np.ndarray, region: np.ndarray | None = None) -> float:
    diff = (as_unit(alpha) - as_unit(truth)) ** 2
    return float(diff[region].mean() if region is not None else diff.mean())


def iou(mask: np.ndarray, truth: np.ndarray) -> float:
    a, b = as_unit(mask) >= 0.5, as_unit(truth) >= 0.5
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


def edge_band(truth: np.ndarray, radius: int) -> np.ndarray:
    """Pixels within `radius` of where the true alpha is neither 0 nor 1."""
    t = as_unit(truth)
    partial = ((t > 0.004) & (t < 0.996)).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    return cv2.dilate(partial, kernel).astype(bool)


# --- drawing helpers ----------------------------------------------------------

def _smooth_field(rng: np.random.Generator, h: int, w: int, cells: int, lo: float, hi: float) -> np.ndarray:
    small = rng.uniform(lo, hi, (max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w)))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _colour_field(rng: np.random.Generator, h: int, w: int, palette: list, cells: int) -> np.ndarray:
    gh, gw = max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w))
    picks = np.asarray(palette, np.float32)[rng.integers(0, len(palette), (gh, gw))]
    return np.clip(cv2.resize(picks, (w, h), interpolation=cv2.INTER_LINEAR), 0, 255)


def blob(rng: np.random.Generator, h: int, w: int, centre: tuple[float, float], radius: float, wobble: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """An anti-aliased star-shaped blob: (float32 coverage, outline points); radius modulated by a few harmonics."""
    t = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    r = np.ones_like(t)
    for k in range(2, 6):
        r += wobble / k * rng.uniform(-1, 1) * np.cos(k * t + rng.uniform(0, 2 * np.pi))
    cx, cy = centre
    pts = np.stack([cx + radius * r * np.cos(t) * 1.15, cy + radius * r * np.sin(t)], axis=1)
    shift = 4
    canvas = np.zeros((h, w), np.uint8)
    cv2.fillPoly(canvas, [np.round(pts * (1 << shift)).astype(np.int32)], 255, cv2.LINE_AA, shift)
    return canvas.astype(np.float32) / 255.0, pts


def strands(rng: np.random.Generator, h: int, w: int, outline: np.ndarray, count: int, length: float) -> np.ndarray:
    """Hair-like anti-aliased 1 px strands growing outward from an outline (float32 coverage)."""
    canvas = np.zeros((h, w), np.uint8)
    centre = outline.mean(axis=0)
    shift = 4
    for i in rng.integers(0, len(outline), count):
        p = outline[i].astype(np.float64)
        direction = (p - centre) / (np.linalg.norm(p - centre) + 1e-9)
        angle = np.arctan2(direction[1], direction[0])
        p = p - direction * length * 0.15  # root a little inside the body
        pts = [p.copy()]
        for _ in range(12):
            angle += rng.normal(0, 0.15)
            p = p + np.array([np.cos(angle), np.sin(angle)]) * length / 12 * rng.uniform(0.6, 1.2)
            pts.append(p.copy())
        pts = np.asarray(pts)
        # Draw into a small window around the strand, then keep the max where strands cross.
        x0, y0 = np.maximum(np.floor(pts.min(axis=0)).astype(int) - 2, 0)
        x1, y1 = np.minimum(np.ceil(pts.max(axis=0)).astype(int) + 3, (w, h))
        if x1 <= x0 or y1 <= y0:
            continue
        layer = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.polylines(layer, [np.round((pts - (x0, y0)) * (1 << shift)).astype(np.int32)], False,
                      int(rng.uniform(0.5, 0.95) * 255), 1, cv2.LINE_AA, shift)
        np.maximum(canvas[y0:y1, x0:x1], layer, out=canvas[y0:y1, x0:x1])
    return canvas.astype(np.float32) / 255.0


def _to_rgba(rgb: np.ndarray) -> np.ndarray:
    out = np.empty((*rgb.shape[:2], 4), np.uint8)
    out[..., :3] = np.clip(rgb + 0.5, 0, 255)
    out[..., 3] = 255
    return out


# --- scenes -------------------------------------------------------------------

def screen_scene(h: int, w: int, seed: int, key: str = "green", *, spill: float = 20.0, noise: float = 3.0) -> Scene:
    """A subject with soft edges and hair over an unevenly lit green/blue screen with noise and spill."""
    rng = np.random.default_rng(seed)
    scale = min(h, w) / 1000.0
    body, outline = blob(rng, h, w, (w * rng.uniform(0.45, 0.55), h * rng.uniform(0.45, 0.55)), min(h, w) * 0.28)
    body = cv2.GaussianBlur(body, (0, 0), max(0.6, 1.2 * scale))  # lens softness
    hair = strands(rng, h, w, outline, int(250 * max(scale, 0.3)), 60 * max(scale, 0.3))
    alpha = np.maximum(body, hair)

    fg = _colour_field(rng, h, w, FOREGROUND_PALETTE[key], 10)
    hair_colour = np.asarray(rng.choice([BROWN, (60, 45, 35), (210, 180, 120)]), np.float32)
    fg = fg * (1 - hair[..., None]) + hair_colour * hair[..., None]
    light = _smooth_field(rng, h, w, 4, 0.6, 1.15)
    backdrop = np.asarray(SCREEN[key], np.float32) * light[..., None]
    # Spill: the screen's light bounces onto edges and thin strands.
    near_edge = np.clip(cv2.GaussianBlur(1.0 - body, (0, 0), max(2.0, 10 * scale)) * 2.0, 0.0, 1.0)
    channel = 1 if key == "green" else 2
    fg[..., channel] += spill * np.maximum(near_edge, 0.15)
    rgb = alpha[..., None] * fg + (1 - alpha[..., None]) * backdrop
    rgb += rng.normal(0, noise, rgb.shape).astype(np.float32)
    return Scene(_to_rgba(rgb), alpha)


def clutter_background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A busy, photo-like background: overlapping muted shapes, a light gradient, grain."""
    sh, sw = max(8, h // 4), max(8, w // 4)
    small = np.zeros((sh, sw, 3), np.float32)
    small[:] = rng.uniform(90, 170, 3)
    for _ in range(900):
        colour = tuple(float(c) for c in rng.uniform(40, 200, 3) * 0.6 + rng.uniform(40, 200) * 0.4)
        x, y = int(rng.integers(0, sw)), int(rng.integers(0, sh))
        size = int(rng.integers(max(2, sw // 80), max(3, sw // 14)))
        if rng.random() < 0.5:
            cv2.rectangle(small, (x, y), (x + size, y + int(size * rng.uniform(0.3, 2))), colour, -1)
        else:
            cv2.circle(small, (x, y), size // 2, colour, -1, cv2.LINE_AA)
    small = cv2.GaussianBlur(small, (0, 0), 0.8)
    bg = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return bg * _smooth_field(rng, h, w, 3, 0.8, 1.1)[..., None]


def object_scene(h: int, w: int, seed: int) -> Scene:
    """A saturated product-like subject (with a label) over a cluttered background; hard ground truth."""
    rng = np.random.default_rng(seed)
    cx, cy = w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.58)
    radius = min(h, w) * rng.uniform(0.22, 0.3)
    cover, _ = blob(rng, h, w, (cx, cy), radius, wobble=0.35)
    base = np.asarray(rng.choice([RED, NAVY, ORANGE, PURPLE, (20, 130, 90)]), np.float32)
    shade = _smooth_field(rng, h, w, 3, 0.75, 1.15)
    subject = base * shade[..., None]
    label = np.zeros((h, w), np.uint8)
    lw, lh = int(radius * 0.8), int(radius * 0.45)
    cv2.rectangle(label, (int(cx - lw / 2), int(cy - lh / 2)), (int(cx + lw / 2), int(cy + lh / 2)), 255, -1)
    subject[label > 0] = (235, 230, 220)
    for i in range(3):  # lines of "text" on the label
        y = int(cy - lh / 4 + i * lh / 4)
        cv2.line(subject, (int(cx - lw / 3), y), (int(cx + lw / 3), y), (30, 30, 30), max(1, lh // 14))
    bg = clutter_background(rng, h, w)
    rgb = cover[..., None] * subject + (1 - cover[..., None]) * bg
    rgb += rng.normal(0, 3, rgb.shape).astype(np.float32)
    ys, xs = np.nonzero(cover > 0.5)
    pad = int(0.04 * min(h, w))
    x0, y0 = max(0, xs.min() - pad), max(0, ys.min() - pad)
    x1, y1 = min(w, xs.max() + pad), min(h, ys.max() + pad)
    return Scene(_to_rgba(rgb), (cover >= 0.5).astype(np.float32), (int(x0), int(y0), int(x1 - x0), int(y1 - y0)))


def hair_scene(h: int, w: int, seed: int) -> Scene:
    """A soft subject with many hair strands over a smooth natural background (for refine edge)."""
    rng = np.random.default_rng(seed)
    scale = min(h, w) / 1000.0
    body, outline = blob(rng, h, w, (w / 2, h / 2), min(h, w) * 0.27)
    body = cv2.GaussianBlur(body, (0, 0), max(0.6, 1.0 * scale))
    hair = strands(rng, h, w, outline, int(400 * max(scale, 0.3)), 45 * max(scale, 0.3))
    alpha = np.maximum(body, hair)
    fg = _colour_field(rng, h, w, [SKIN, BROWN, (60, 45, 35), (210, 180, 120)], 6)
    bg = _colour_field(rng, h, w, [(120, 160, 200), (140, 170, 120), (200, 200, 210), (90, 120, 160)], 4)
    bg = cv2.GaussianBlur(bg, (0, 0), 20 * max(scale, 0.3))
    rgb = alpha[..., None] * fg + (1 - alpha[..., None]) * bg
    rgb += rng.normal(0, 2, rgb.shape).astype(np.float32)
    return Scene(_to_rgba(rgb), alpha)
