"""The Hand (H) and Zoom (Z) tools.

Hand: drag to pan; double-click fits the image on screen. Space held with any tool pans
too (the canvas does that). Zoom: click zooms in one step at the point, Alt+click out,
drag a rectangle to fill the view with it; double-click shows 100 %.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QPainter

from ..view_transform import next_zoom
from .base import PointerEvent, Tool
from .selection_base import draw_outline

DRAG_PX = 4  # a zoom drag shorter than this (widget pixels) is a click


class HandTool(Tool):
    name = "Hand"
    icon = "hand-back-right-outline"
    shortcut = "H"
    tooltip = "Pan the view (H, or hold Space with any tool); double-click fits on screen"

    def __init__(self, host) -> None:
        super().__init__(host)
        self._last: QPointF | None = None

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.ClosedHandCursor if self._last is not None else Qt.CursorShape.OpenHandCursor)

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button == Qt.MouseButton.LeftButton:
            self._last = QPointF(event.widget_pos)
            self.canvas.setCursor(self.cursor())

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self._last is None:
            return
        delta = event.widget_pos - self._last
        self._last = QPointF(event.widget_pos)
        self.canvas.pan_by(delta.x(), delta.y())

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        self._last = None
        self.canvas.setCursor(self.cursor())

    def double_click(self, pos: QPointF, event: PointerEvent) -> None:
        self.canvas.fit()

    def deactivate(self) -> None:
        self._last = None


class ZoomTool(Tool):
    name = "Zoom"
    icon = "magnify"
    shortcut = "Z"
    tooltip = "Zoom (Z): click zooms in, Alt+click out, drag a rectangle to zoom to it; double-click: 100%"

    def __init__(self, host) -> None:
        super().__init__(host)
        self._start: QPointF | None = None  # widget position of the press
        self._doc_start: QPointF | None = None
        self._rect: QRectF | None = None  # document rect being dragged
        self._out = False

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        self._start, self._doc_start = QPointF(event.widget_pos), QPointF(pos)
        self._rect = None
        self._out = event.has(Qt.KeyboardModifier.AltModifier)

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self._start is None or self._doc_start is None or self._out:
            return
        d = event.widget_pos - self._start
        old = self._rect
        if max(abs(d.x()), abs(d.y())) >= DRAG_PX:
            self._rect = QRectF(self._doc_start, QPointF(pos)).normalized()
        self._repaint(old, self._rect)

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if self._start is None or event.button != Qt.MouseButton.LeftButton:
            return
        self.move(pos, event)
        rect, start, out = self._rect, self._start, self._out
        self._start = self._doc_start = self._rect = None
        self._repaint(rect)
        canvas = self.canvas
        if rect is not None and rect.width() > 0 and rect.height() > 0:
            canvas.zoom_to_doc_rect(rect)
        else:
            canvas.set_zoom(next_zoom(canvas.zoom, -1 if out else +1), start)

    def double_click(self, pos: QPointF, event: PointerEvent) -> None:
        self.canvas.actual_pixels()

    def deactivate(self) -> None:
        rect, self._start, self._rect = self._rect, None, None
        self._repaint(rect)

    def _repaint(self, *rects: QRectF | None) -> None:
        area = QRectF()
        for r in rects:
            if r is not None:
                area = area.united(r)
        if not area.isNull():
            self.canvas.update_overlay(area.adjusted(-2, -2, 2, 2))

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        if self._rect is not None:
            r = self._rect
            draw_outline(painter, canvas, [r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()], closed=True)

    def overlay_rect(self) -> QRectF | None:
        return self._rect
