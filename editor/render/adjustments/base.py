"""What an adjustment or filter declares: its parameters (a schema a generic panel can draw)
and how it computes.

An adjustment is one module in this package holding a `SPEC`; `__init__` imports each module
once. A spec computes in one of three ways:

- `lut(params)`: a (3, 256) uint8 table per RGB channel, for operations that map each
  channel on its own (Levels, Curves, Exposure, Invert, Posterize, Brightness/Contrast);
- `kernel` with `pack(params)`: a planes kernel (`planes.PlanesKernel`) that changes 8-bit
  R, G, B values and the float64 vector of parameters it reads, for operations that mix
  channels; the compositor runs it inside its fused row loop;
- `filter(premultiplied, params)`: a new float32 premultiplied RGBA image of the same size,
  for filters that read a neighbourhood (`radius(params)` says how far).

Adjustments see the composite below them as 8-bit straight colour, as Photoshop's 8-bit
pipeline does; filters see the float premultiplied composite.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Parameter types a panel draws controls for:
#   float, int: a slider between min and max;  bool: a check box;  choice: one of `choices`;
#   color: [r, g, b] bytes;  curve: a list of [in, out] points (0..255), sorted by input;
#   gradient: a list of [position 0..1, r, g, b] stops;  range: [a, b, c, d] hue degrees
#   (a colour range's ramp start, full start, full end, ramp end, as Photoshop's Hue/Saturation);
#   record: a group of `fields` (one channel's Levels, one colour range of Hue/Saturation).
TYPES = ("float", "int", "bool", "choice", "color", "curve", "gradient", "range", "record", "lut3d")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    min: float | None = None
    max: float | None = None
    label: str = ""
    choices: tuple[str, ...] = ()
    fields: tuple[Param, ...] = ()
    step: float | None = None
    length: bool = False  # a distance in document pixels (a filter's radius): a reduced preview scales it

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown parameter type {self.type!r}")

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def default_value(self) -> Any:
        if self.type == "record":
            return {f.name: f.default_value() for f in self.fields}
        return json.loads(json.dumps(self.default))

    def normalise(self, value: Any) -> Any:
        """`value` made valid: defaults for what is missing, numbers clamped to the range."""
        if value is None:
            return self.default_value()
        t = self.type
        if t == "record":
            value = value if isinstance(value, dict) else {}
            return {f.name: f.normalise(value.get(f.name)) for f in self.fields}
        if t in ("float", "int"):
            x = float(value)
            if self.min is not None:
                x = max(self.min, x)
            if self.max is not None:
                x = min(self.max, x)
            return int(round(x)) if t == "int" else x
        if t == "bool":
            return bool(value)
        if t == "choice":
            return value if value in self.choices else self.default
        if t == "color":
            return [int(min(255, max(0, round(float(c))))) for c in list(value)[:3]]
        if t == "curve":
            points = sorted(([min(255.0, max(0.0, float(x))), min(255.0, max(0.0, float(y)))] for x, y in value),
                            key=lambda p: p[0])
            unique: list[list[float]] = []
            for p in points:  # one point per input value: the last given wins
                if unique and unique[-1][0] == p[0]:
                    unique[-1] = p
                else:
                    unique.append(p)
            return unique if len(unique) >= 2 else self.default_value()
        if t == "gradient":
            stops = sorted(([min(1.0, max(0.0, float(s[0])))] + [int(min(255, max(0, round(float(c))))) for c in s[1:4]]
                            for s in value), key=lambda s: s[0])
            return stops if stops else self.default_value()
        if t == "range":
            return [float(v) for v in list(value)[:4]]
        if t == "lut3d":  # {"size": n, "rgb": n**3 * 3 levels, r slowest, then g, then b}
            n = int(value.get("size", 0)) if isinstance(value, dict) else 0
            rgb = list(value.get("rgb", ())) if n >= 2 else []
            if len(rgb) != n ** 3 * 3:
                return self.default_value()
            return {"size": n, "rgb": [int(min(255, max(0, round(float(v))))) for v in rgb]}
        return value


@dataclass(frozen=True)
class Spec:
    name: str  # the node's `adjustment` string and the file key
    label: str  # menu text
    params: tuple[Param, ...] = ()
    category: str = "adjustment"  # or "filter"
    lut: Callable[[dict], np.ndarray] | None = None
    kernel: Any = None  # a planes.PlanesKernel
    pack: Callable[[dict], np.ndarray] | None = None
    filter: Callable[[np.ndarray, dict], np.ndarray] | None = None
    radius: Callable[[dict], int] = field(default=lambda params: 0)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default_value() for p in self.params}

    def normalise(self, params: dict[str, Any] | None) -> dict[str, Any]:
        """The params with defaults filled in and values clamped (unknown keys dropped)."""
        params = params or {}
        return {p.name: p.normalise(params.get(p.name)) for p in self.params}

    def scaled(self, params: dict[str, Any] | None, factor: float) -> dict[str, Any]:
        """The normalised params for the image drawn at `factor` times its size: every length
        scaled (then clamped again), so a reduced preview of a blur looks as the full render."""
        values = self.normalise(params)
        return self.normalise({name: value * factor if self.param(name).length else value
                               for name, value in values.items()})

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)


def lut_from(fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """A 256-entry uint8 table from a float64 map of 0..1 to 0..1 (clamped, rounded)."""
    x = np.arange(256, dtype=np.float64) / 255
    return np.clip(np.floor(np.asarray(fn(x), np.float64) * 255 + 0.5), 0, 255).astype(np.uint8)


def compose(*tables: np.ndarray) -> np.ndarray:
    """Tables applied in order (first table first), as one table."""
    out = np.arange(256, dtype=np.uint8)
    for table in tables:
        out = table[out]
    return out
