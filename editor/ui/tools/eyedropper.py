"""The eyedropper (I): click or drag to pick the foreground colour, Alt+click the background.

Options as Photoshop's: Sample Size (point, 3 by 3 average, 5 by 5 average) and Sample
(current layer or all layers). The picked colour shows in the status bar as RGB and hex.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QCursor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from editor.render.sample import sample_colour

from .base import PointerEvent, Tool

SIZES = (("Point Sample", 1), ("3 by 3 Average", 3), ("5 by 5 Average", 5))
SOURCES = (("All Layers", True), ("Current Layer", False))


class EyedropperOptions(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Sample Size:"))
        self.size = QComboBox()
        for text, n in SIZES:
            self.size.addItem(text, n)
        layout.addWidget(self.size)
        layout.addWidget(QLabel("Sample:"))
        self.source = QComboBox()
        for text, merged in SOURCES:
            self.source.addItem(text, merged)
        layout.addWidget(self.source)
        layout.addStretch(1)


class EyedropperTool(Tool):
    name = "Eyedropper"
    icon = "eyedropper"
    shortcut = "I"
    tooltip = "Pick the foreground colour (I); Alt+click picks the background colour"

    def __init__(self, host) -> None:
        super().__init__(host)
        self._options: EyedropperOptions | None = None
        self._target: str | None = None  # "foreground" or "background" during a drag

    @property
    def options(self) -> EyedropperOptions:
        if self._options is None:
            self._options = EyedropperOptions()
        return self._options

    def options_widget(self) -> QWidget | None:
        return self.options

    @property
    def sample_size(self) -> int:
        return int(self.options.size.currentData())

    @property
    def sample_merged(self) -> bool:
        return bool(self.options.source.currentData())

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        self._target = "background" if event.has(Qt.KeyboardModifier.AltModifier) else "foreground"
        self.pick(pos, self._target)

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self._target is not None:
            self.pick(pos, self._target)

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        self._target = None

    def deactivate(self) -> None:
        self._target = None

    def document_replaced(self) -> None:
        self._target = None

    def pick(self, pos: QPointF, which: str = "foreground") -> QColor | None:
        rgba = sample_colour(self.document, pos.x(), pos.y(), size=self.sample_size, merged=self.sample_merged)
        if rgba is None or rgba[3] == 0:
            return None
        colour = QColor(*rgba[:3])
        setattr(self.host, which, colour)
        swatch = getattr(self.host, "swatch", None)
        if swatch is not None:
            swatch.update()
            swatch.changed.emit()
        r, g, b = rgba[:3]
        self.host.show_status(f"{which.capitalize()}: {r} {g} {b}  {colour.name().upper()}")
        return colour
