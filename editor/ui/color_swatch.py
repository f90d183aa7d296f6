"""Foreground/background colours in the toolbox, as in Photoshop: click to pick, X swaps, D resets."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from . import color_dialog
from .icons import icon


class ColorSwatch(QWidget):
    changed = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.setFixedSize(QSize(40, 44))
        self.setToolTip("Foreground and background colours (click to pick, X swaps, D resets)")

    def _fg_rect(self) -> QRect:
        return QRect(3, 3, 22, 22)

    def _bg_rect(self) -> QRect:
        return QRect(14, 16, 22, 22)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        for rect, color in ((self._bg_rect(), self.window.background), (self._fg_rect(), self.window.foreground)):
            p.fillRect(rect, color)
            p.setPen(QPen(QColor(20, 20, 20), 1))
            p.drawRect(rect.adjusted(0, 0, -1, -1))
            p.setPen(QPen(QColor(200, 200, 200), 1))
            p.drawRect(rect.adjusted(1, 1, -2, -2))
        icon("swap-horizontal", "#aaaaaa").paint(p, QRect(27, 2, 12, 12))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if QRect(27, 2, 12, 12).contains(pos):
            self.swap()
            return
        which = "foreground" if self._fg_rect().contains(pos) else "background" if self._bg_rect().contains(pos) else None
        if which is None:
            return
        self.pick(which)

    def pick(self, which: str) -> bool:
        """Open the colour dialog (hex entry included) for the foreground or background colour."""
        color = color_dialog.ask_colour(self, getattr(self.window, which), f"{which.capitalize()} colour")
        if color is None:
            return False
        setattr(self.window, which, color)
        self._changed()
        return True

    def swap(self) -> None:
        self.window.foreground, self.window.background = self.window.background, self.window.foreground
        self._changed()

    def reset(self) -> None:
        """Black on white; white on black while a mask is edited, as Photoshop does (a brush then reveals)."""
        black, white = QColor(Qt.GlobalColor.black), QColor(Qt.GlobalColor.white)
        on_mask = self.window.document.edit_mask
        self.window.foreground, self.window.background = (white, black) if on_mask else (black, white)
        self._changed()

    def _changed(self) -> None:
        self.update()
        self.changed.emit()
