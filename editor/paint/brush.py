"""Brush settings and how pen pressure maps onto a dab."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

MIN_RADIUS = 0.5  # px: a lighter touch than this still leaves a faint, supersampled dot
MIN_STEP = 0.5  # px: spacing never packs dabs closer than half a pixel


@dataclass(frozen=True)
class Brush:
    """A soft round brush, with Photoshop's vocabulary.

    size: diameter in layer pixels at full pressure.
    hardness: 0..1, the fraction of the radius painted at full strength; the
        rest falls off smoothly to the rim.
    opacity: 0..1, the most one stroke can lay down (the cap of the stroke buffer).
    flow: 0..1, how much of the remaining way to the cap each dab covers, so
        overlapping dabs build up within a stroke.
    spacing: distance between dabs as a fraction of the current diameter.
    smoothing: 0..1, pointer stabiliser strength (0 follows the pointer exactly).
    pressure_size / pressure_opacity: let pen pressure scale the diameter
        and/or the opacity cap.
    """

    size: float = 40.0
    hardness: float = 0.8
    opacity: float = 1.0
    flow: float = 1.0
    spacing: float = 0.15
    smoothing: float = 0.0
    pressure_size: bool = True
    pressure_opacity: bool = False

    def __post_init__(self) -> None:
        for name, lo, hi in (("size", 1.0, 5000.0), ("hardness", 0.0, 1.0), ("opacity", 0.0, 1.0),
                             ("flow", 0.0, 1.0), ("spacing", 0.01, 10.0), ("smoothing", 0.0, 1.0)):
            value = float(getattr(self, name))
            if not lo <= value <= hi:
                raise ValueError(f"brush {name} {value} is outside {lo}..{hi}")
            object.__setattr__(self, name, value)

    def radius(self, pressure: float) -> float:
        scale = _unit(pressure) if self.pressure_size else 1.0
        return max(MIN_RADIUS, 0.5 * self.size * scale)

    def cap(self, pressure: float) -> float:
        scale = _unit(pressure) if self.pressure_opacity else 1.0
        return self.opacity * scale

    def step(self, pressure: float) -> float:
        """Distance to the next dab, at this pressure."""
        return max(MIN_STEP, self.spacing * 2.0 * self.radius(pressure))

    def with_(self, **changes) -> Brush:
        """A copy with some settings changed (the options bar edits brushes this way)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, float | bool]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, values: dict) -> Brush:
        """Settings read back from storage; unknown or malformed entries fall back to defaults."""
        brush = cls()
        for f in fields(cls):
            if f.name not in values:
                continue
            try:
                value = values[f.name]
                value = _as_bool(value) if f.type in ("bool", bool) else float(value)
                brush = replace(brush, **{f.name: value})
            except (TypeError, ValueError):
                continue
        return brush


def _unit(pressure: float) -> float:
    return min(1.0, max(0.0, float(pressure)))


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
