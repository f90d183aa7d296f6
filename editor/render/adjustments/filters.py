"""Filter layers: live filters of what lies below them, reading a neighbourhood (Krita's
filter layers, Photoshop's Smart Filters). Each works on the float premultiplied composite
(so a blur spreads alpha too); edges beyond the canvas repeat the edge pixels.

Radii follow Photoshop: Gaussian Blur's radius is the Gaussian's standard deviation; Unsharp
Mask adds amount x (image - blurred) where that difference exceeds the threshold (levels of
0..255); High Pass keeps image - blurred + 50 % grey; Median takes each channel's median over
a (2 r + 1) square.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .base import Param, Spec


def reach(sigma: float) -> int:
    return max(1, math.ceil(3 * sigma))


def gaussian(premultiplied: np.ndarray, sigma: float) -> np.ndarray:
    if sigma <= 0:
        return premultiplied.copy()
    size = 2 * reach(sigma) + 1
    return cv2.GaussianBlur(premultiplied, (size, size), sigma, borderType=cv2.BORDER_REPLICATE)


def _keep_premultiplied(out: np.ndarray) -> np.ndarray:
    np.clip(out, 0, 1, out=out)
    np.minimum(out[..., :3], out[..., 3:4], out=out[..., :3])
    return out


def gaussian_blur(premultiplied: np.ndarray, params: dict) -> np.ndarray:
    return gaussian(premultiplied, params["radius"])


def unsharp_mask(premultiplied: np.ndarray, params: dict) -> np.ndarray:
    blurred = gaussian(premultiplied, params["radius"])
    diff = premultiplied - blurred
    if params["threshold"] > 0:
        diff = np.where(np.abs(diff) * 255 > params["threshold"], diff, 0).astype(np.float32)
    out = premultiplied + np.float32(params["amount"] / 100) * diff
    out[..., 3] = premultiplied[..., 3]
    return _keep_premultiplied(out)


def _straight(premultiplied: np.ndarray) -> np.ndarray:
    alpha = premultiplied[..., 3:4]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(alpha > 0, premultiplied[..., :3] / np.maximum(alpha, 1e-12), 0).astype(np.float32)


def high_pass(premultiplied: np.ndarray, params: dict) -> np.ndarray:
    blurred = gaussian(premultiplied, params["radius"])
    colour = np.clip(_straight(premultiplied) - _straight(blurred) + np.float32(0.5), 0, 1)
    out = np.empty_like(premultiplied)
    out[..., :3] = colour * premultiplied[..., 3:4]
    out[..., 3] = premultiplied[..., 3]
    return out


def median(premultiplied: np.ndarray, params: dict) -> np.ndarray:
    r = int(params["radius"])
    if r <= 0:
        return premultiplied.copy()
    bytes_ = np.clip(premultiplied * 255 + 0.5, 0, 255).astype(np.uint8)
    padded = cv2.copyMakeBorder(bytes_, r, r, r, r, cv2.BORDER_REPLICATE)
    out = cv2.medianBlur(padded, 2 * r + 1)[r:-r, r:-r]
    return _keep_premultiplied(out.astype(np.float32) * np.float32(1 / 255))


RADIUS = Param("radius", "float", 2.0, 0.1, 250.0, "Radius", step=0.1, length=True)

GAUSSIAN_BLUR = Spec("gaussian_blur", "Gaussian Blur", (RADIUS,), category="filter", filter=gaussian_blur,
                     radius=lambda p: reach(p["radius"]))
UNSHARP_MASK = Spec("unsharp_mask", "Unsharp Mask", (
    Param("amount", "int", 100, 1, 500, "Amount"),
    Param("radius", "float", 1.0, 0.1, 250.0, "Radius", step=0.1, length=True),
    Param("threshold", "int", 0, 0, 255, "Threshold"),
), category="filter", filter=unsharp_mask, radius=lambda p: reach(p["radius"]))
HIGH_PASS = Spec("high_pass", "High Pass", (Param("radius", "float", 10.0, 0.1, 250.0, "Radius", step=0.1, length=True),),
                 category="filter", filter=high_pass, radius=lambda p: reach(p["radius"]))
MEDIAN = Spec("median", "Median", (Param("radius", "int", 1, 1, 100, "Radius", length=True),), category="filter", filter=median,
              radius=lambda p: int(p["radius"]))

SPECS = (GAUSSIAN_BLUR, UNSHARP_MASK, HIGH_PASS, MEDIAN)
