"""Freehand lasso (L) and polygon lasso (Shift+L).

Lasso: drag an outline; releasing closes it with a straight line.
Polygon lasso: click corner after corner; double-click, Enter or a click on
the first corner closes it; Backspace removes the last corner, Esc cancels.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QPainter

from editor.masks.selection import ops

from .base import PointerEvent
from .selection_base import SelectionTool, bounds_of, draw_outline

CLOSE_DISTANCE_PX = 6  # a click this close (on screen) to the first corner closes the polygon


class LassoTool(SelectionTool):
    name = "Lasso"
    icon = "lasso"
    shortcut = "L"
    tooltip = "Lasso (L): drag round what to select"

    def __init__(self, host) -> None:
        super().__init__(host)
        self.points: list[QPointF] = []
        self._mode = "replace"
        self._drawing = False

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        if self.outline_move.press(pos, self.mode_for(event)):  # inside the selection: move its outline
            return
        self._drawing = True
        self._mode = self.mode_for(event)
        self.points = [QPointF(pos)]

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self.outline_move.active:
            self.outline_move.move(pos, event.has(Qt.KeyboardModifier.ShiftModifier))
            return
        if not self._drawing:
            return
        self.points.append(QPointF(pos))
        last = self.points[-2:]
        self.repaint_outline(bounds_of(last), QRectF(self.points[0], pos).normalized())

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if self.outline_move.active and event.button == Qt.MouseButton.LeftButton:
            self.outline_move.move(pos, event.has(Qt.KeyboardModifier.ShiftModifier))
            self.outline_move.release()
            return
        if not self._drawing or event.button != Qt.MouseButton.LeftButton:
            return
        self._drawing = False
        self.points.append(QPointF(pos))
        finish_polygon(self, self.points, self._mode)
        self.points = []

    def deactivate(self) -> None:
        self.outline_move.cancel()
        area = bounds_of(self.points)
        self.points, self._drawing = [], False
        self.repaint_outline(area)

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        self.outline_move.paint(painter, canvas)
        draw_outline(painter, canvas, self.points, closed=False)

    def overlay_rect(self) -> QRectF | None:
        return bounds_of(self.points)


def finish_polygon(tool: SelectionTool, points: list[QPointF], mode: str) -> None:
    """Select the polygon through `points` (a click without an area deselects in replace mode)."""
    area = bounds_of(points)
    tool.repaint_outline(area)
    if area is None or len(points) < 3 or area.width() * area.height() < 1e-6:
        if mode == "replace":
            ops.select_none(tool.document)
        return
    ops.select_polygon(tool.document, [(p.x(), p.y()) for p in points], mode, antialias=tool.antialias)


class PolygonLassoTool(SelectionTool):
    name = "Polygon Lasso"
    icon = "vector-polygon"
    shortcut = "Shift+L"
    tooltip = "Polygon lasso (Shift+L): click corners; double-click, Enter or the first corner closes"

    def __init__(self, host) -> None:
        super().__init__(host)
        self.points: list[QPointF] = []
        self.pointer: QPointF | None = None
        self._mode = "replace"

    def _near_first(self, pos: QPointF) -> bool:
        if len(self.points) < 3:
            return False
        a, b = self.canvas.doc_to_widget(self.points[0]), self.canvas.doc_to_widget(pos)
        return math.hypot(a.x() - b.x(), a.y() - b.y()) <= CLOSE_DISTANCE_PX

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        if not self.points:
            self._mode = self.mode_for(event)
        elif self._near_first(pos):
            self.close()
            return
        self.points.append(QPointF(pos))
        self.repaint_outline(self.overlay_rect())

    def hover(self, pos: QPointF, event: PointerEvent) -> None:
        if self.points:
            old = self.overlay_rect()
            self.pointer = QPointF(pos)
            self.repaint_outline(old, self.overlay_rect())

    move = hover

    def double_click(self, pos: QPointF, event: PointerEvent) -> None:
        if self.points:
            self.close()

    def close(self) -> None:
        points, self.points, self.pointer = self.points, [], None
        finish_polygon(self, points, self._mode)

    def cancel(self) -> None:
        area = self.overlay_rect()
        self.points, self.pointer = [], None
        self.repaint_outline(area)

    def takes_key(self, event: QKeyEvent) -> bool:
        return bool(self.points) and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def key_press(self, event: QKeyEvent) -> bool:
        if not self.points:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        elif event.key() == Qt.Key.Key_Backspace:
            area = self.overlay_rect()
            self.points.pop()
            self.repaint_outline(area)
        else:
            return False
        return True

    def deactivate(self) -> None:
        self.cancel()

    def _outline(self) -> list[QPointF]:
        return self.points + ([self.pointer] if self.pointer is not None else [])

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        draw_outline(painter, canvas, self._outline(), closed=False)

    def overlay_rect(self) -> QRectF | None:
        return bounds_of(self._outline())
