"""The toolbox's registry: adding a tool is one import and one list entry.

See editor/ui/tools/base.py for the Tool API and how to write one.
"""

from .base import PointerEvent, Tool, ToolHost
from .brush import BrushTool, EraserTool
from .bucket import PaintBucketTool
from .crop import CropTool
from .eyedropper import EyedropperTool
from .gradient import GradientTool
from .lasso import LassoTool, PolygonLassoTool
from .magnetic import MagneticLassoTool
from .marquee import EllipseMarqueeTool, RectMarqueeTool
from .move import MoveTool
from .navigate import HandTool, ZoomTool
from .object_selection import ObjectSelectionTool
from .pen import PenTool
from .wand import MagicWandTool

TOOL_CLASSES: list[type[Tool]] = [
    MoveTool,
    RectMarqueeTool,
    EllipseMarqueeTool,
    LassoTool,
    PolygonLassoTool,
    MagneticLassoTool,
    MagicWandTool,
    ObjectSelectionTool,
    CropTool,
    EyedropperTool,
    PenTool,
    BrushTool,
    EraserTool,
    GradientTool,
    PaintBucketTool,
    HandTool,
    ZoomTool,
]

__all__ = ["TOOL_CLASSES", "BrushTool", "CropTool", "EraserTool", "MoveTool", "PointerEvent", "Tool", "ToolHost"]
