"""Rectangle (M) and Ellipse (Shift+M) marquee tools.

Drag from corner to corner; Shift during the drag makes a square or circle,
Alt draws from the centre (Photoshop). Corners snap to whole pixels, so a
rectangle selects exactly the pixels it frames. The options bar's Style, as in
Photoshop: Normal, Fixed Ratio (W:H) or Fixed Size (W x H px, placed by a click or
a drag from the corner); while dragging, the size reads "W × H" beside the pointer.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPolygonF
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel

from editor.masks.selection import ops
from editor.masks.selection.shapes import ellipse_polygon

from .base import PointerEvent
from .selection_base import SelectionTool, draw_outline

STYLES = (("Normal", "normal"), ("Fixed Ratio", "ratio"), ("Fixed Size", "size"))


def marquee_rect(start: QPointF, pos: QPointF, *, square: bool, from_centre: bool, style: str = "normal",
                 width: float = 1.0, height: float = 1.0) -> QRectF:
    """The marquee's rectangle in document coordinates, corners on whole pixels.

    style "ratio": width:height is fixed (the drag sets the scale); "size": width x height
    pixels, from the press toward the drag; Shift's square applies to "normal" only.
    """
    sx, sy = round(start.x()), round(start.y())
    dx, dy = round(pos.x()) - sx, round(pos.y()) - sy
    if style == "size":
        w, h = max(1, round(width)), max(1, round(height))
        dx, dy = (w if dx >= 0 else -w), (h if dy >= 0 else -h)
        if from_centre:
            return QRectF(sx - w // 2, sy - h // 2, w, h)
        return QRectF(QPointF(sx, sy), QPointF(sx + dx, sy + dy)).normalized()
    if style == "ratio" and width > 0 and height > 0:
        scale = max(abs(dx) / width, abs(dy) / height)
        w, h = round(scale * width), round(scale * height)
        dx, dy = (w if dx >= 0 else -w), (h if dy >= 0 else -h)
    elif square:
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
        self._readout: QRect | None = None  # widget rect of the "W × H" label last drawn

    def build_options(self, options) -> None:
        options.add(QLabel("Style:"))
        self.style_box = options.add(QComboBox())
        for text, key in STYLES:
            self.style_box.addItem(text, key)
        self.width_label = options.add(QLabel("W:"))
        self.width_spin = options.add(QDoubleSpinBox())
        self.height_label = options.add(QLabel("H:"))
        self.height_spin = options.add(QDoubleSpinBox())
        for spin in (self.width_spin, self.height_spin):
            spin.setRange(0.01, 100000)
            spin.setDecimals(2)
            spin.setValue(1.0)
        self.style_box.currentIndexChanged.connect(self._style_changed)
        self._style_changed()

    def _style_changed(self) -> None:
        style = self.style
        fixed = style != "normal"
        for w in (self.width_label, self.width_spin, self.height_label, self.height_spin):
            w.setEnabled(fixed)
        suffix = " px" if style == "size" else ""
        decimals = 0 if style == "size" else 2
        for spin in (self.width_spin, self.height_spin):
            spin.setDecimals(decimals)
            spin.setSuffix(suffix)
            if style == "size" and spin.value() < 2:
                spin.setValue(64)

    @property
    def style(self) -> str:
        self.options  # noqa: B018 - build the controls
        return str(self.style_box.currentData())

    def set_style(self, style: str, width: float = 1.0, height: float = 1.0) -> None:
        self.options  # noqa: B018 - build the controls
        self.style_box.setCurrentIndex(next(i for i, (_t, k) in enumerate(STYLES) if k == style))
        self.width_spin.setValue(width)
        self.height_spin.setValue(height)

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
        self.options  # noqa: B018 - build the controls
        self._rect = marquee_rect(self._start, pos, square=event.has(Qt.KeyboardModifier.ShiftModifier),
                                  from_centre=event.has(Qt.KeyboardModifier.AltModifier), style=self.style,
                                  width=self.width_spin.value(), height=self.height_spin.value())
        self.repaint_outline(old, self._rect)
        self._repaint_readout()
        if self._rect is not None:
            self.host.show_status(f"W {int(self._rect.width())} × H {int(self._rect.height())} px", 2000)

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
        self._repaint_readout()
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
        self._repaint_readout()

    def document_replaced(self) -> None:
        self._start = self._rect = None

    # --- the W x H readout beside the pointer ------------------------------------------
    def readout_text(self) -> str | None:
        if self._rect is None:
            return None
        return f"W: {int(self._rect.width())} px  H: {int(self._rect.height())} px"

    def _readout_rect(self) -> QRect | None:
        text = self.readout_text()
        if text is None or self._rect is None:
            return None
        metrics = QFontMetrics(self.canvas.font())
        corner = self.canvas.doc_to_widget(self._rect.bottomRight()).toPoint()
        return QRect(corner.x() + 12, corner.y() + 8, metrics.horizontalAdvance(text) + 12, metrics.height() + 6)

    def _repaint_readout(self) -> None:
        new = self._readout_rect()
        for r in (self._readout, new):
            if r is not None:
                self.canvas.update(r.adjusted(-2, -2, 2, 2))
        self._readout = new

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
        box, text = self._readout_rect(), self.readout_text()
        if box is not None and text is not None:
            painter.save()
            painter.fillRect(box, QColor(20, 20, 22, 220))
            painter.setPen(QColor(240, 240, 240))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            painter.restore()

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
