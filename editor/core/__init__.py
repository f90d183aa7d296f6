"""Veil's document model: numpy and the standard library only, no Qt."""

from .blend import BlendMode
from .blendif import BlendIf
from .commands import (
    InsertNode,
    MoveNode,
    PixelEdit,
    RemoveNode,
    ReplaceContent,
    ReplacePixels,
    SetMask,
    SetProperties,
    SetSelection,
)
from .document import Document
from .events import Change, Emitter
from .geometry import Rect
from .history import TILE, Command, History, Macro, TileDelta, TileRecorder
from .layers import (
    FILL_LAYERS,
    Adjustment,
    FillLayer,
    GradientFillLayer,
    Group,
    Layer,
    Node,
    clip_base,
)
from .mask import Mask
from .selection import Selection
from .tileblock import TileBlock

__all__ = [
    "FILL_LAYERS", "TILE", "Adjustment", "BlendIf", "BlendMode", "Change", "Command", "Document", "Emitter", "FillLayer", "GradientFillLayer", "Group", "History",
    "InsertNode", "Layer", "Macro", "Mask", "MoveNode", "Node", "PixelEdit", "Rect", "RemoveNode",
    "ReplaceContent", "ReplacePixels", "Selection", "SetMask", "SetProperties", "SetSelection", "TileBlock", "TileDelta", "TileRecorder",
    "clip_base",
]
