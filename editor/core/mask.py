"""Layer masks: uint8, the size of their layer, 255 shows and 0 hides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(eq=False)
class Mask:
    data: np.ndarray  # (h, w) uint8
    enabled: bool = True
    density: float = 1.0  # 0..1: how strongly the mask hides (Photoshop's Density)
    feather: float = 0.0  # Gaussian sigma in pixels, applied at render time
    inverted: bool = False
    # The generator that made this mask and its parameters (chroma key, colour
    # range, object select...), so the dialog can reopen and re-run with them.
    generator: dict[str, Any] | None = field(default=None)
    # Photoshop's chain between the layer and mask thumbnails: linked, Move and Free
    # Transform act on both; unlinked, on whichever is being edited (pixels or mask).
    linked: bool = True

    def __post_init__(self) -> None:
        if self.data.dtype != np.uint8 or self.data.ndim != 2:
            raise ValueError("mask data must be a 2-D uint8 array")

    @property
    def shape(self) -> tuple[int, int]:
        return self.data.shape  # type: ignore[return-value]

    @classmethod
    def filled(cls, h: int, w: int, value: int = 255) -> Mask:
        return cls(np.full((h, w), value, np.uint8))

    def settings(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "density": self.density,
            "feather": self.feather,
            "inverted": self.inverted,
            "generator": self.generator,
            "linked": self.linked,
        }

    def copy(self) -> Mask:
        gen = dict(self.generator) if self.generator else None
        return Mask(self.data.copy(), self.enabled, self.density, self.feather, self.inverted, gen, self.linked)

    def is_identity(self) -> bool:
        """True when the mask changes nothing at render time."""
        if not self.enabled or self.density == 0:
            return True
        value = 0 if self.inverted else 255
        return self.feather == 0 and bool((self.data == value).all())
