"""From pointer samples to dab positions: the stabiliser and the spacing walk."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple


class Sample(NamedTuple):
    x: float
    y: float
    pressure: float


class Stabiliser:
    """Exponential smoothing of the pointer (Photoshop's Smoothing, Krita's weighted smoothing).

    strength 0 follows the pointer exactly; at 1 each new sample pulls the
    brush a tenth of the way. The stroke catches up with the pen when it ends.
    """

    def __init__(self, strength: float) -> None:
        self.keep = 0.9 * min(1.0, max(0.0, strength))
        self.current: Sample | None = None

    def feed(self, sample: Sample) -> Sample:
        if self.current is None or self.keep == 0.0:
            self.current = sample
        else:
            k, c = self.keep, self.current
            self.current = Sample(*(k * old + (1.0 - k) * new for old, new in zip(c, sample, strict=True)))
        return self.current


class DabWalk:
    """Places dabs along a polyline every `step(pressure)` pixels, carrying the remainder
    across segments so the spacing is even however the pointer samples arrive."""

    def __init__(self, step: Callable[[float], float]) -> None:
        self.step = step
        self.last: Sample | None = None
        self.travelled = 0.0  # distance since the last dab

    def to(self, sample: Sample) -> list[Sample]:
        """Walk to `sample`; return the dabs placed on the way (the first sample places one)."""
        if self.last is None:
            self.last = sample
            self.travelled = 0.0
            return [sample]
        start, dabs = self.last, []
        dx, dy = sample.x - start.x, sample.y - start.y
        length = math.hypot(dx, dy)
        pos = 0.0
        while True:
            t = pos / length if length > 0 else 1.0
            pressure = start.pressure + (sample.pressure - start.pressure) * t
            need = self.step(pressure) - self.travelled
            if pos + need > length:
                self.travelled += length - pos
                break
            pos += need
            self.travelled = 0.0
            t = pos / length
            dabs.append(Sample(start.x + dx * t, start.y + dy * t,
                               start.pressure + (sample.pressure - start.pressure) * t))
        self.last = sample
        return dabs
