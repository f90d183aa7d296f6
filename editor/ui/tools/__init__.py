"""The toolbox's registry: adding a tool is one import and one list entry.

See editor/ui/tools/base.py for the Tool API and how to write one.
"""

from .base import PointerEvent, Tool, ToolHost
from .move import MoveTool

TOOL_CLASSES: list[type[Tool]] = [
    MoveTool,
]

__all__ = ["TOOL_CLASSES", "MoveTool", "PointerEvent", "Tool", "ToolHost"]
