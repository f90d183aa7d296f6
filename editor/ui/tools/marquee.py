"""Rectangle (M) and Ellipse (Shift+M) marquee tools.

Drag from corner to corner; Shift during the drag makes a square or circle,
Alt draws from the centre (Photoshop). Corners snap to whole pixels, so a
rectangle selects exactly the pixels it frames.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPolygonF

from editor.masks.selection import ops
from editor.masks.selection.shapes import ellipse_polygon

from .base import PointerEvent
from .selection_base import SelectionTool, draw_outline


def marquee_rect(start: QPointF, pos: QPointF, *, square: bool, from_centre: bool) -> QRectF:
    """The marquee's rectangle in document coordinates, corners on whole pixels."""
    sx, sy = round(start.x()), round(start.y())
    dx, dy = round(pos.x()) - sx, round(pos.y()) - sy
    if square:
        side = max(abs(dx), abs(dy))
        dx = side if dx >= 0 else -side
        dy = side if dy >= 0 else -side
    if from_centre:
        return QRectF(sx - abs(dx), sy - abs(dy), 2 * abs(dx), 2 * abs(dy))
    return QRectF(QPointF(sx, sy), QPointF(sx + dx, sy + dy)).normalized()


class _Marquee(SelectionTool):
    ellipse = False

    def __init__(self, host) -> None:
        super().__init__(host)
        self._start: QPointF | None = None
        self._rect: QRectF | None = None
        self._mode = "replace"

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        if self.outline_move.press(pos, self.mode_for(event)):  # inside the selection: move its outline
            return
        self._start = QPointF(pos)
        self._rect = None
        self._mode = self.mode_for(event)

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self.outline_move.active:
            self.outline_move.move(pos, event.has(Qt.KeyboardModifier.ShiftModifier))
            return
        if self._start is None:
            return
        old = self._rect
        self._rect = marquee_rect(self._start, pos, square=event.has(Qt.KeyboardModifier.ShiftModifier),
                                  from_centre=event.has(Qt.KeyboardModifier.AltModifier))
        self.repaint_outline(old, self._rect)

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if self.outline_move.active and event.button == Qt.MouseButton.LeftButton:
            self.outline_move.move(pos, event.has(Qt.KeyboardModifier.ShiftModifier))
            self.outline_move.release()
            return
        if self._start is None or event.button != Qt.MouseButton.LeftButton:
            return
        self.move(pos, event)
        rect, mode = self._rect, self._mode
        self._start = self._rect = None
        self.repaint_outline(rect)
        if rect is None or rect.width() < 1 or rect.height() < 1:
            if mode == "replace":
                ops.select_none(self.document)  # a click without a drag deselects
            return
        x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
        if self.ellipse:
            ops.select_ellipse(self.document, x0, y0, x1, y1, mode, antialias=self.antialias)
        else:
            ops.select_rect(self.document, x0, y0, x1, y1, mode, antialias=self.antialias)

    def deactivate(self) -> None:
        self.outline_move.cancel()
        rect, self._start, self._rect = self._rect, None, None
        self.repaint_outline(rect)

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        self.outline_move.paint(painter, canvas)
        if self._rect is None:
            return
        r = self._rect
        if self.ellipse:
            pts = ellipse_polygon(r.center().x(), r.center().y(), r.width() / 2, r.height() / 2)
            outline = QPolygonF([QPointF(x, y) for x, y in pts[:: max(1, len(pts) // 256)]])
        else:
            outline = QPolygonF([r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()])
        draw_outline(painter, canvas, outline, closed=True)

    def overlay_rect(self) -> QRectF | None:
        return self._rect


class RectMarqueeTool(_Marquee):
    name = "Rectangle Select"
    icon = "selection"
    shortcut = "M"
    tooltip = "Rectangle select (M): Shift makes a square, Alt draws from the centre"
    antialias_default = None  # whole-pixel corners: nothing to antialias


class EllipseMarqueeTool(_Marquee):
    name = "Ellipse Select"
    icon = "selection-ellipse"
    shortcut = "Shift+M"
    tooltip = "Ellipse select (Shift+M): Shift makes a circle, Alt draws from the centre"
    ellipse = True
