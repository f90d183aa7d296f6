"""Brightness/Contrast, Photoshop's two forms (its PSD `brit` block and the "Use Legacy" box).

Legacy (Photoshop before CS3): a straight shift and a straight slope about the midpoint,
out = (x * 255 + brightness - 127.5) * k + 127.5 with k = 1 + contrast / 100 for negative
contrast and 1 / (1 - contrast / 100) for positive (100 is a threshold at the mean), clipped.

Current: the end points stay put. Brightness bends the tone curve as a power,
v = x ** (2 ** (-brightness / 100)) (Adobe has not published its curve; this keeps black and
white fixed and lifts or lowers the midtones as Photoshop's does), then contrast is a slope
1 + contrast / 100 about the midpoint, clipped.
"""

from __future__ import annotations

import numpy as np

from .base import Param, Spec, lut_from


def legacy(params: dict):
    b, c = params["brightness"], params["contrast"]
    k = 1 + c / 100 if c < 0 else 1 / max(1e-6, 1 - c / 100)

    def fn(x: np.ndarray) -> np.ndarray:
        return ((x * 255 + b - 127.5) * k + 127.5) / 255
    return fn


def current(params: dict):
    b, c = params["brightness"], params["contrast"]

    def fn(x: np.ndarray) -> np.ndarray:
        v = np.clip(x, 0, 1) ** (2.0 ** (-b / 100))
        return 0.5 + (v - 0.5) * (1 + c / 100)
    return fn


def lut(params: dict) -> np.ndarray:
    if params["legacy"]:
        fn = legacy(dict(params, brightness=min(100, max(-100, params["brightness"]))))
    else:
        fn = current(dict(params, contrast=max(-50, params["contrast"])))
    return np.tile(lut_from(fn), (3, 1))


SPEC = Spec("brightness_contrast", "Brightness/Contrast", (
    Param("brightness", "int", 0, -150, 150, "Brightness"),
    Param("contrast", "int", 0, -100, 100, "Contrast"),
    Param("legacy", "bool", False, label="Use legacy"),
), lut=lut)
