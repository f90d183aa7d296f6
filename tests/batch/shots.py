"""Synthetic product shots with a known alpha, written as the files a batch reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

GREEN = (40, 175, 75)
PRODUCT = (170, 40, 45)


@dataclass
class Shot:
    path: Path
    rgb: np.ndarray  # (h, w, 3) what the camera saw
    alpha: np.ndarray  # (h, w) uint8, the product's true coverage (hard edges: 0 or 255)
    box: tuple[int, int, int, int]  # x, y, w, h of alpha > 0


def product_alpha(h: int, w: int, seed: int) -> np.ndarray:
    """A bottle-like product: a body and a narrower neck, placed off-centre by the seed."""
    rng = np.random.default_rng(seed)
    alpha = np.zeros((h, w), np.uint8)
    bw, bh = int(w * rng.uniform(0.2, 0.3)), int(h * rng.uniform(0.35, 0.45))
    x0, y0 = int(rng.integers(5, w - bw - 5)), int(rng.integers(h // 4, h - bh - 5))
    alpha[y0:y0 + bh, x0:x0 + bw] = 255
    nw, nh = max(2, bw // 3), max(2, int(h * 0.12))
    nx = x0 + (bw - nw) // 2
    alpha[max(0, y0 - nh):y0, nx:nx + nw] = 255
    return alpha


def box_of(alpha: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(alpha)
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def green_screen_shot(folder: Path, name: str, h: int = 120, w: int = 160, seed: int = 0) -> Shot:
    """An opaque photo of the product on a green screen (PNG, or JPEG when `name` says so)."""
    alpha = product_alpha(h, w, seed)
    rgb = np.empty((h, w, 3), np.uint8)
    rgb[:] = GREEN
    rgb[alpha > 0] = PRODUCT
    path = folder / name
    cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return Shot(path, rgb, alpha, box_of(alpha))


def cutout_shot(folder: Path, name: str, h: int = 120, w: int = 160, seed: int = 0) -> Shot:
    """A PNG whose own alpha is the product (a cut-out from another tool)."""
    alpha = product_alpha(h, w, seed)
    rng = np.random.default_rng(seed + 100)
    rgb = rng.integers(30, 220, (h, w, 3), dtype=np.uint8)
    path = folder / name
    cv2.imwrite(str(path), cv2.cvtColor(np.dstack([rgb, alpha]), cv2.COLOR_RGBA2BGRA))
    return Shot(path, rgb, alpha, box_of(alpha))


def read_rgba(path: Path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_BGRA2RGBA if image.shape[2] == 4 else cv2.COLOR_BGR2RGB)
