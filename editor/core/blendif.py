"""Blend If (Photoshop's Blending Options > Blend If, Affinity's Blend Ranges).

A layer's coverage is weighted per pixel by ranges over its own colour ("This Layer") and
over the composite beneath it ("Underlying Layer"), on Gray and on each of Red, Green and
Blue. Every range has four handle values on the 0..255 scale, black lo <= black hi <= white lo
<= white hi: values below black lo or above white hi hide the pixel, values between the split
black handles (or the split white handles) fade it linearly with Photoshop's inclusive steps
(level v keeps (v - black lo + 1) / (black hi - black lo + 1), and mirrored on the white side),
values between black hi and white lo show it. Where the composite beneath is transparent the
Underlying ranges pass: their weight is (1 - alpha) + alpha x gate. Photoshop applies every channel's ranges at once (the dialog's channel menu only
chooses which one is edited), so the weight is the product of all eight ramps.

Gray is Photoshop's Composite Gray, (299 R + 590 G + 111 B) / 1000 rounded to a level. Values
are taken as 8-bit levels (rounded to the nearest level), as Photoshop compares them, so a
handle at 10 hides level 9 and keeps level 10. (All three rules: SethRobinson/Patchy
docs/layer-effects-render.md "Blend If rendering", calibrated on Photoshop 2026 renders.)

The settings are an immutable value, so SetProperties can keep the old and new ones for undo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

CHANNELS = ("gray", "red", "green", "blue")
FULL: tuple[int, int, int, int] = (0, 0, 255, 255)
GRAY_WEIGHTS = (0.299, 0.590, 0.111)

Range = tuple[int, int, int, int]


def check_range(values) -> Range:
    """`values` as a valid range: four integers 0..255, in order; ValueError otherwise."""
    try:
        out = tuple(int(round(float(v))) for v in values)
    except (TypeError, ValueError):
        raise ValueError(f"a Blend If range is four numbers, got {values!r}") from None
    if len(out) != 4:
        raise ValueError(f"a Blend If range is four numbers (black lo, black hi, white lo, white hi), got {values!r}")
    if any(v < 0 or v > 255 for v in out):
        raise ValueError(f"Blend If values are 0..255, got {values!r}")
    if not (out[0] <= out[1] <= out[2] <= out[3]):
        raise ValueError(f"Blend If handles must be in order black lo <= black hi <= white lo <= white hi, got {values!r}")
    return out  # type: ignore[return-value]


def _ranges(values) -> tuple[Range, Range, Range, Range]:
    values = tuple(values)
    if len(values) != len(CHANNELS):
        raise ValueError(f"Blend If needs a range for each of {', '.join(CHANNELS)}")
    return tuple(check_range(v) for v in values)  # type: ignore[return-value]


@dataclass(frozen=True)
class BlendIf:
    """Ranges for This Layer and Underlying Layer, one per channel in CHANNELS order."""

    this: tuple[Range, Range, Range, Range] = field(default=(FULL, FULL, FULL, FULL))
    underlying: tuple[Range, Range, Range, Range] = field(default=(FULL, FULL, FULL, FULL))

    def __post_init__(self) -> None:
        object.__setattr__(self, "this", _ranges(self.this))
        object.__setattr__(self, "underlying", _ranges(self.underlying))

    def is_identity(self) -> bool:
        """True when every range is the full 0..255 (the layer draws as without Blend If)."""
        return all(r == FULL for r in self.this + self.underlying)

    def reads_backdrop(self) -> bool:
        return any(r != FULL for r in self.underlying)

    def range(self, which: str, channel: str) -> Range:
        return getattr(self, _which(which))[CHANNELS.index(channel)]

    def with_range(self, which: str, channel: str, values) -> BlendIf:
        """A copy with one range replaced (which: 'this' or 'underlying')."""
        attr = _which(which)
        ranges = list(getattr(self, attr))
        ranges[CHANNELS.index(channel)] = check_range(values)
        return BlendIf(**{**self.to_kwargs(), attr: tuple(ranges)})

    def to_kwargs(self) -> dict[str, Any]:
        return {"this": self.this, "underlying": self.underlying}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for files: {'this': {'gray': [b0, b1, w0, w1], ...}, 'underlying': {...}}."""
        return {which: {ch: list(r) for ch, r in zip(CHANNELS, getattr(self, which), strict=True)}
                for which in ("this", "underlying")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlendIf:
        """The inverse of to_dict; channels left out are full. ValueError on anything malformed."""
        if not isinstance(data, dict) or set(data) - {"this", "underlying"}:
            raise ValueError("Blend If settings are {'this': {...}, 'underlying': {...}}")
        kw = {}
        for which in ("this", "underlying"):
            ranges = data.get(which, {})
            if not isinstance(ranges, dict) or set(ranges) - set(CHANNELS):
                raise ValueError(f"Blend If {which!r} maps channels ({', '.join(CHANNELS)}) to ranges")
            kw[which] = tuple(check_range(ranges.get(ch, FULL)) for ch in CHANNELS)
        return cls(**kw)

    def table(self) -> np.ndarray:
        """(2, 4, 4) float32: [this|underlying][gray, red, green, blue][b0, b1, w0, w1], for the kernels."""
        return np.array([self.this, self.underlying], np.float32)


def _which(which: str) -> str:
    if which not in ("this", "underlying"):
        raise ValueError(f"Blend If range is 'this' or 'underlying', not {which!r}")
    return which


def active(blend_if: BlendIf | None) -> bool:
    """True when the settings change how a layer draws."""
    return blend_if is not None and not blend_if.is_identity()
