"""Photoshop's Curves graph: a channel menu over a 0..255 graph of the curve through its
points. Clicking adds a point and drags it; dragging a point off the graph or pressing
Delete removes it (a curve keeps two); the arrow keys nudge the chosen point (Shift: by
10). The other channels' curves show faintly in their colours, as Photoshop draws them.
The curve drawn is the one the render uses (editor.render.adjustments.curves.curve)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QSpinBox, QVBoxLayout, QWidget

from editor.render.adjustments.curves import CHANNELS, curve

Points = list[list[float]]

LABELS = {"master": "RGB", "red": "Red", "green": "Green", "blue": "Blue"}
COLOURS = {"master": QColor(20, 20, 20), "red": QColor(210, 40, 40), "green": QColor(30, 160, 50),
           "blue": QColor(40, 80, 220)}
MARGIN = 8
HIT_RADIUS = 7  # px: a press this close to a point picks it instead of adding one
REMOVE_DISTANCE = 24  # px dragged outside the graph removes the point


class CurveGraph(QWidget):
    """The graph of one channel's curve; emits `edited` on every change (a drag emits on
    each move, so the canvas follows), `picked` when the chosen point changes."""

    edited = Signal()
    picked = Signal()
    pressed = Signal()  # a press on the graph (before the point it adds or picks)
    released = Signal()  # a drag of a point ended

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curveGraph")
        self.setMinimumSize(256 + 2 * MARGIN, 256 + 2 * MARGIN)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.curves: dict[str, Points] = {c: [[0.0, 0.0], [255.0, 255.0]] for c in CHANNELS}
        self.channel = "master"
        self.selected: int | None = None
        self._dragging = False
        self._removed: list[float] | None = None  # the point dragged off, back if it returns

    # --- geometry ------------------------------------------------------------------------
    def _area(self) -> QRectF:
        side = min(self.width(), self.height()) - 2 * MARGIN
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_screen(self, x: float, y: float) -> QPointF:
        a = self._area()
        return QPointF(a.left() + x / 255 * a.width(), a.bottom() - y / 255 * a.height())

    def to_curve(self, pos: QPointF) -> tuple[float, float]:
        a = self._area()
        x = (pos.x() - a.left()) / a.width() * 255
        y = (a.bottom() - pos.y()) / a.height() * 255
        return float(np.clip(round(x), 0, 255)), float(np.clip(round(y), 0, 255))

    @property
    def points(self) -> Points:
        return self.curves[self.channel]

    def _hit(self, pos: QPointF) -> int | None:
        best, best_d = None, float(HIT_RADIUS)
        for i, (x, y) in enumerate(self.points):
            p = self.to_screen(x, y)
            d = ((p.x() - pos.x()) ** 2 + (p.y() - pos.y()) ** 2) ** 0.5
            if d <= best_d:
                best, best_d = i, d
        return best

    # --- editing -------------------------------------------------------------------------
    def set_channel(self, channel: str) -> None:
        self.channel = channel
        self.selected = None
        self.picked.emit()
        self.update()

    def move_point(self, index: int, x: float, y: float) -> None:
        """Move point `index`, its input kept strictly between its neighbours'."""
        pts = self.points
        lo = pts[index - 1][0] + 1 if index > 0 else 0
        hi = pts[index + 1][0] - 1 if index < len(pts) - 1 else 255
        pts[index] = [float(min(max(x, lo), hi)), float(min(max(y, 0), 255))]
        self.update()
        self.edited.emit()

    def add_point(self, x: float, y: float) -> int | None:
        pts = self.points
        if any(p[0] == x for p in pts):
            return None
        pts.append([x, y])
        pts.sort(key=lambda p: p[0])
        index = next(i for i, p in enumerate(pts) if p[0] == x)
        self.selected = index
        self.update()
        self.edited.emit()
        self.picked.emit()
        return index

    def remove_point(self, index: int) -> bool:
        if len(self.points) <= 2:
            return False
        del self.points[index]
        self.selected = None
        self.update()
        self.edited.emit()
        self.picked.emit()
        return True

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.pressed.emit()
        pos = event.position()
        index = self._hit(pos)
        if index is None:
            index = self.add_point(*self.to_curve(pos))
        else:
            self.selected = index
            self.picked.emit()
            self.update()
        self._dragging = index is not None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._dragging:
            return
        pos = event.position()
        a = self._area().adjusted(-REMOVE_DISTANCE, -REMOVE_DISTANCE, REMOVE_DISTANCE, REMOVE_DISTANCE)
        x, y = self.to_curve(pos)
        if self._removed is None and self.selected is not None:
            if not a.contains(pos) and len(self.points) > 2:
                self._removed = self.points[self.selected]
                self.remove_point(self.selected)
            else:
                self.move_point(self.selected, x, y)
        elif self._removed is not None and a.contains(pos):
            self._removed = None
            self._dragging = self.add_point(x, y) is not None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = False
        self._removed = None
        self.released.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.selected is None:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_point(self.selected)
            return
        step = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        dx, dy = {Qt.Key.Key_Left: (-step, 0), Qt.Key.Key_Right: (step, 0),
                  Qt.Key.Key_Up: (0, step), Qt.Key.Key_Down: (0, -step)}.get(key, (0, 0))
        if dx or dy:
            x, y = self.points[self.selected]
            self.move_point(self.selected, x + dx, y + dy)
            return
        super().keyPressEvent(event)

    # --- drawing -------------------------------------------------------------------------
    def _path(self, points: Points) -> QPainterPath:
        xs = np.linspace(0, 255, 256)
        ys = curve(points, xs)
        path = QPainterPath(self.to_screen(xs[0], ys[0]))
        for x, y in zip(xs[1:], ys[1:], strict=True):
            path.lineTo(self.to_screen(x, y))
        return path

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        a = self._area()
        p.fillRect(a, QColor(250, 250, 250))
        p.setPen(QPen(QColor(200, 200, 200), 1))
        for i in range(1, 4):  # Photoshop's quarter grid
            x = a.left() + a.width() * i / 4
            y = a.top() + a.height() * i / 4
            p.drawLine(QPointF(x, a.top()), QPointF(x, a.bottom()))
            p.drawLine(QPointF(a.left(), y), QPointF(a.right(), y))
        p.drawLine(a.bottomLeft(), a.topRight())
        p.setPen(QPen(QColor(120, 120, 120), 1))
        p.drawRect(a)
        for channel, points in self.curves.items():
            if channel == self.channel or points == [[0.0, 0.0], [255.0, 255.0]]:
                continue
            faint = QColor(COLOURS[channel])
            faint.setAlpha(90)
            p.setPen(QPen(faint, 1))
            p.drawPath(self._path(points))
        p.setPen(QPen(COLOURS[self.channel], 1.6))
        p.drawPath(self._path(self.points))
        for i, (x, y) in enumerate(self.points):
            c = self.to_screen(x, y)
            p.setPen(QPen(QColor(20, 20, 20), 1))
            p.setBrush(QColor(20, 20, 20) if i == self.selected else QColor(255, 255, 255))
            p.drawRect(QRectF(c.x() - 3.5, c.y() - 3.5, 7, 7))
        p.end()


class CurvesEditor(QWidget):
    """The channel menu, the graph and the chosen point's Input/Output, as in Photoshop's
    Curves panel. `edited` fires on every change of any channel's points; `pressed` and
    `released` when a drag on the graph starts and ends."""

    edited = Signal()
    pressed = Signal()
    released = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curvesEditor")
        self.channel_menu = QComboBox()
        for channel in CHANNELS:
            self.channel_menu.addItem(LABELS[channel], channel)
        self.graph = CurveGraph()
        self.input = QSpinBox()
        self.output = QSpinBox()
        for spin in (self.input, self.output):
            spin.setRange(0, 255)
            spin.setEnabled(False)
            spin.valueChanged.connect(self._typed)
        fields = QFormLayout()
        fields.addRow("Input:", self.input)
        fields.addRow("Output:", self.output)
        row = QHBoxLayout()
        row.addLayout(fields)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.channel_menu)
        layout.addWidget(self.graph, 1)
        layout.addLayout(row)
        self.channel_menu.currentIndexChanged.connect(
            lambda _i: self.graph.set_channel(self.channel_menu.currentData()))
        self.graph.edited.connect(self._graph_edited)
        self.graph.picked.connect(self._show_point)
        self.graph.pressed.connect(self.pressed)
        self.graph.released.connect(self.released)

    def points(self, channel: str) -> Points:
        return [list(p) for p in self.graph.curves[channel]]

    def set_points(self, values: dict[str, Points]) -> None:
        """Show these curves (no `edited`)."""
        for channel in CHANNELS:
            self.graph.curves[channel] = [[float(x), float(y)] for x, y in values[channel]]
        self.graph.selected = None
        self._show_point()
        self.graph.update()

    def _graph_edited(self) -> None:
        self._show_point()
        self.edited.emit()

    def _show_point(self) -> None:
        index = self.graph.selected
        for spin, k in ((self.input, 0), (self.output, 1)):
            spin.blockSignals(True)
            spin.setEnabled(index is not None)
            spin.setValue(int(self.graph.points[index][k]) if index is not None else 0)
            spin.blockSignals(False)

    def _typed(self) -> None:
        if self.graph.selected is not None:
            self.graph.move_point(self.graph.selected, self.input.value(), self.output.value())
