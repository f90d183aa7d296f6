"""The brush engine and every pixel writer, all through one `PaintTarget` (no Qt)."""

from .brush import Brush
from .stroke import Stroke
from .target import PaintRefused, PaintTarget, check_paintable, current_target, mask_value
from .warmup import warm_up

paint_target = current_target  # the older name: (node, "mask" or "pixels") the tools paint now

__all__ = ["Brush", "PaintRefused", "PaintTarget", "Stroke", "check_paintable", "current_target", "mask_value",
           "paint_target", "warm_up"]
