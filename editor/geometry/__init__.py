"""editor.geometry: document-level crop, trim, reveal all, image size, canvas size, rotate, flip.

The functions live in editor.geometry.ops (read its "Geometry API" note); the pixel
resampling they use in editor.geometry.resample. No Qt: the window, `veil convert`
and batch recipes call the same functions; recipes and the CLI through the registered
operations of editor.geometry.operations (registered on import).
"""

from .operations import GEOMETRY, geometry_ops
from .ops import (
    ANCHORS,
    RESAMPLE,
    TRIM_BASES,
    TRIM_SIDES,
    anchor_offset,
    crop,
    crop_command,
    crop_to_selection,
    crop_to_selection_command,
    flip_canvas,
    flip_canvas_command,
    resize_canvas,
    resize_canvas_command,
    resize_image,
    resize_image_command,
    reveal_all,
    reveal_all_command,
    rotate_canvas,
    rotate_canvas_command,
    trim,
    trim_command,
    trim_rect,
)

__all__ = [
    "GEOMETRY", "geometry_ops", "ANCHORS", "RESAMPLE", "TRIM_BASES", "TRIM_SIDES", "anchor_offset", "crop", "crop_command", "crop_to_selection",
    "crop_to_selection_command", "flip_canvas", "flip_canvas_command", "resize_canvas", "resize_canvas_command",
    "resize_image", "resize_image_command", "reveal_all", "reveal_all_command", "rotate_canvas",
    "rotate_canvas_command", "trim", "trim_command", "trim_rect",
]
