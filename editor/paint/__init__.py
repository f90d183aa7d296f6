"""The brush engine: soft round dabs through a per-stroke buffer onto a mask or pixels (no Qt)."""

from .brush import Brush
from .stroke import PaintRefused, Stroke, check_paintable, paint_target
from .warmup import warm_up

__all__ = ["Brush", "PaintRefused", "Stroke", "check_paintable", "paint_target", "warm_up"]
