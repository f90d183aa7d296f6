"""Mask from luminance with a threshold: bright areas show (or dark ones, inverted).

Complements core's plain grayscale copy (`ops.add_mask(kind="grayscale")`)
with a threshold and a soft ramp, for skies, backlit hair and paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class LuminanceParams:
    threshold: float = 128.0  # 0..255: Rec. 709 luma at the middle of the ramp
    softness: float = 16.0  # 0..255: width of the ramp (0 is a hard cut)
    invert: bool = False  # dark areas show instead

    def to_dict(self) -> dict:
        return {"kind": "luminance", "threshold": self.threshold, "softness": self.softness, "invert": self.invert}

    @classmethod
    def from_dict(cls, data: dict) -> LuminanceParams:
        return cls(float(data.get("threshold", 128.0)), float(data.get("softness", 16.0)), bool(data.get("invert", False)))


def luminance_mask(pixels: np.ndarray, params: LuminanceParams) -> np.ndarray:
    """(h, w) uint8: 255 where luma is above the threshold, a linear ramp `softness` wide around it."""
    from editor.core.ops import luminance

    luma = luminance(pixels[..., :3].astype(np.float32)).astype(np.float32)
    if params.softness <= 0:
        mask = (luma >= params.threshold).astype(np.float32)
    else:
        mask = np.clip((luma - params.threshold) / params.softness + 0.5, 0.0, 1.0)
    if params.invert:
        mask = 1.0 - mask
    return (mask * 255 + 0.5).astype(np.uint8)
