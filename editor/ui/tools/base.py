"""The tool API: what the canvas hands a tool and what a tool may draw.

How to add a tool
-----------------
1. Write a module in editor/ui/tools/ with a subclass of `Tool`: set `name`,
   `icon` (a Material Design Icons name for qtawesome's "mdi6." prefix, e.g.
   "brush"), `shortcut` (a single key such as "B") and `tooltip`.
2. Override the pointer handlers you need. Positions are DOCUMENT
   coordinates as floats (pixel (x, y) covers [x, x+1) x [y, y+1)); the
   `PointerEvent` carries pressure (1.0 for a mouse), buttons and modifiers.
3. Change the document only through core commands/ops (one stroke or drag =
   one undo step). The canvas repaints itself from the document's change
   events; call `self.canvas.update_doc_rect(rect)` only for pixels you
   changed without an event, and `self.canvas.update_overlay(rect)` when
   your overlay (outline, ants, handles) moved.
4. Register it: import it in editor/ui/tools/__init__.py and append the class
   to `TOOL_CLASSES`. The toolbox, the shortcut and the options bar follow.

A tool is made once per window with the `ToolHost` (the main window), and
reads `self.document` / `self.canvas` each time: the document can be
replaced (File > Open) while the tool lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QPainter
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from editor.core import Document, Node

    from ..canvas import Canvas
    from ..jobs import JobRunner


class ToolHost(Protocol):
    """What a tool may use of the window around it."""

    @property
    def document(self) -> Document: ...

    @property
    def canvas(self) -> Canvas: ...

    @property
    def jobs(self) -> JobRunner: ...

    foreground: QColor
    background: QColor

    def show_status(self, text: str, timeout_ms: int = 3000) -> None: ...

    def selected_layers(self) -> list[Node]:
        """The layers selected in the Layers panel, bottom first (the active one when alone)."""
        ...


@dataclass
class PointerEvent:
    """A press, move or release on the canvas, in document coordinates."""

    pos: QPointF  # document coordinates (float)
    widget_pos: QPointF  # logical widget coordinates
    button: Qt.MouseButton  # the button that changed (NoButton on moves)
    buttons: Qt.MouseButton  # buttons held
    modifiers: Qt.KeyboardModifier
    pressure: float = 1.0  # 0..1 from a tablet, 1.0 for the mouse
    tilt: tuple[float, float] = (0.0, 0.0)
    timestamp_ms: int = 0
    is_tablet: bool = False

    def has(self, modifier: Qt.KeyboardModifier) -> bool:
        return bool(self.modifiers & modifier)


class Tool:
    name = "Tool"
    icon = "help"  # mdi6 icon name
    shortcut = ""  # single key, Photoshop's where one exists
    tooltip = ""

    def __init__(self, host: ToolHost) -> None:
        self.host = host

    @property
    def document(self) -> Document:
        return self.host.document

    @property
    def canvas(self) -> Canvas:
        return self.host.canvas

    # --- lifecycle ---------------------------------------------------------
    def activate(self) -> None:
        """The tool was chosen in the toolbox."""

    def deactivate(self) -> None:
        """Another tool was chosen; finish or cancel what is in progress."""

    def document_replaced(self) -> None:
        """The canvas now shows another document (File > Open, New): forget what the pointer
        was doing over the old one (a hover outline, a drag) without touching either document."""

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)

    def options_widget(self) -> QWidget | None:
        """Controls shown in the tool-options bar while the tool is active (made once, kept)."""
        return None

    # --- input -------------------------------------------------------------
    def press(self, pos: QPointF, event: PointerEvent) -> None: ...

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        """Pointer moved with a button held (a drag)."""

    def release(self, pos: QPointF, event: PointerEvent) -> None: ...

    def hover(self, pos: QPointF, event: PointerEvent) -> None:
        """Pointer moved with no button held."""

    def double_click(self, pos: QPointF, event: PointerEvent) -> None: ...

    def key_press(self, event: QKeyEvent) -> bool:
        """Return True when the key was used (it then goes no further)."""
        return False

    def key_release(self, event: QKeyEvent) -> bool:
        return False

    def takes_key(self, event: QKeyEvent) -> bool:
        """True when the tool needs this key now, before a window shortcut on the same key (a lasso's
        Backspace removes its last corner rather than clearing the selection)."""
        return False

    # --- drawing -----------------------------------------------------------
    def paint_overlay(self, painter: QPainter, canvas: Canvas) -> None:
        """Draw outlines, handles or ants over the image.

        The painter is in widget (logical pixel) coordinates; use
        `canvas.doc_to_widget(...)` / `canvas.doc_rect_to_widget(...)` to place things.
        """

    def paint_composite(self, painter: QPainter, canvas: Canvas, area: QRectF, visible: QRectF) -> bool:
        """Draw the document image yourself (Free Transform's live preview); False lets the canvas draw it.

        `area` is the widget rectangle to fill, `visible` the same in document coordinates.
        """
        return False

    def overlay_rect(self) -> QRectF | None:
        """Document rectangle the overlay covers, for partial repaints (None: no overlay)."""
        return None
