"""The Gradient Map's gradient, edited in place as in Photoshop's Gradient Editor: the strip
with its stop markers (the gradient tool's StopBar: click the track to add a stop, drag to
move, Delete removes), the chosen stop's colour and location below, and Reverse beside it
in the dialog. Stops are the adjustment's [position 0..1, r, g, b]; a map is opaque, so
the bar's stops are opaque."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.paint.gradient import Gradient, Stop

from .gradient_editor import StopBar

MapStops = list[list[float]]


def to_gradient(stops: MapStops) -> Gradient:
    return Gradient("Gradient Map", tuple(Stop(float(s[0]), (int(s[1]), int(s[2]), int(s[3]))) for s in stops))


def to_map_stops(gradient: Gradient) -> MapStops:
    return [[round(s.position, 4), *(int(c) for c in s.color)] for s in gradient.stops]


class GradientMapEditor(QWidget):
    """`edited` fires on every change of the stops (a drag fires on each move)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientMapEditor")
        self.bar = StopBar((0, 0, 0), (255, 255, 255))
        self.colour = QPushButton("Colour…")
        self.colour.setObjectName("gradientMapStopColour")
        self.location = QSpinBox()
        self.location.setRange(0, 100)
        self.location.setSuffix(" %")
        row = QHBoxLayout()
        row.addWidget(QLabel("Stop:"))
        row.addWidget(self.colour)
        row.addWidget(QLabel("Location:"))
        row.addWidget(self.location)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        self.bar.selected.connect(lambda _k: self._show_stop())
        self.bar.edited.connect(lambda _g: self.edited.emit())
        self.colour.clicked.connect(self._pick_colour)
        self.location.valueChanged.connect(self._located)

    def stops(self) -> MapStops:
        return to_map_stops(self.bar.gradient)

    def set_stops(self, stops: MapStops) -> None:
        """Show these stops (no `edited`)."""
        self.bar.set_gradient(to_gradient(stops), self.bar.current)
        self._show_stop()

    def set_stop_colour(self, rgb: tuple[int, int, int]) -> None:
        stops = list(self.bar.gradient.stops)
        stops[self.bar.current] = Stop(stops[self.bar.current].position, tuple(rgb))
        self.bar.set_gradient(Gradient("Gradient Map", tuple(stops)), self.bar.current)
        self._show_stop()
        self.edited.emit()

    def _show_stop(self) -> None:
        stop = self.bar.gradient.stops[self.bar.current]
        pix = QPixmap(32, 14)
        pix.fill(QColor(*stop.color))
        self.colour.setIcon(QIcon(pix))
        self.location.blockSignals(True)
        self.location.setValue(round(stop.position * 100))
        self.location.blockSignals(False)

    def _pick_colour(self) -> None:
        stop = self.bar.gradient.stops[self.bar.current]
        colour = QColorDialog.getColor(QColor(*stop.color), self, "Stop colour")
        if colour.isValid():
            self.set_stop_colour((colour.red(), colour.green(), colour.blue()))

    def _located(self, percent: int) -> None:
        self.bar.move_stop(self.bar.current, percent / 100)
