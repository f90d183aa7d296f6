"""The Brush (B) and Eraser (E) tools: paint the active layer's mask or pixels by hand.

What they paint follows `doc.edit_mask`. The brush lays the foreground
(its grey on a mask), the eraser the background (on a pixel layer it removes
alpha, on an alpha-locked one it paints the background colour). Keys as in
Photoshop: [ ] size, Shift+[ ] hardness, 1..0 opacity and Shift+1..0 flow
(two quick digits give an exact percentage), Alt+click picks a colour or mask
value, Shift+click draws a straight line from the last point, Escape abandons
the stroke in progress.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from editor.core import Document
from editor.paint import Brush, PaintRefused, Stroke, check_paintable, paint_target

from .base import PointerEvent, Tool
from .brush_options import BrushOptions

SIZE_STEP = 0.1  # [ and ] change the size by 10 %, at least one pixel, to whole pixels
HARDNESS_STEP = 0.25  # Shift+[ and Shift+] as in Photoshop
TWO_DIGIT_MS = 600  # a second digit this soon after the first makes an exact percentage
_DIGITS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}
_SHIFTED_DIGITS = {Qt.Key.Key_Exclam: 1, Qt.Key.Key_At: 2, Qt.Key.Key_NumberSign: 3, Qt.Key.Key_Dollar: 4,
                   Qt.Key.Key_Percent: 5, Qt.Key.Key_AsciiCircum: 6, Qt.Key.Key_Ampersand: 7,
                   Qt.Key.Key_Asterisk: 8, Qt.Key.Key_ParenLeft: 9, Qt.Key.Key_ParenRight: 0}


def _gray(color: QColor) -> int:
    return round(0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue())


class BrushTool(Tool):
    name = "Brush"
    icon = "brush"
    shortcut = "B"
    tooltip = "Paint the layer or its mask: [ ] size, Shift+[ ] hardness, 1…0 opacity, Alt picks, Shift+click draws a line"
    eraser = False
    settings_group = "tools/brush"
    default_brush = Brush()

    def __init__(self, host) -> None:
        super().__init__(host)
        self.brush = self._load_brush()
        self.stroke: Stroke | None = None
        self.last_point: tuple[float, float] | None = None  # where the last stroke ended, for Shift+click
        self.hover_pos: QPointF | None = None
        self._options: BrushOptions | None = None
        self._digit: tuple[int, bool, int] | None = None  # (first digit, flow?, timestamp ms)

    # --- settings -----------------------------------------------------------------
    def _load_brush(self) -> Brush:
        settings = QSettings()
        settings.beginGroup(self.settings_group)
        values = {key: settings.value(key) for key in settings.childKeys()}
        settings.endGroup()
        return Brush.from_dict({**self.default_brush.to_dict(), **values})

    def set_brush(self, brush: Brush) -> None:
        """Use these settings from now on (the next stroke), show them and remember them."""
        outline_before = self.overlay_rect()
        self.brush = brush
        if self._options is not None and self._options.brush != brush:
            self._options.set_brush(brush)
        settings = QSettings()
        settings.beginGroup(self.settings_group)
        for key, value in brush.to_dict().items():
            settings.setValue(key, value)
        settings.endGroup()
        self._repaint_outline(outline_before)

    def options_widget(self) -> QWidget | None:
        if self._options is None:
            self._options = BrushOptions(self.brush)
            self._options.changed.connect(self.set_brush)
        return self._options

    # --- what the stroke lays down ------------------------------------------------------
    def _colour(self) -> QColor:
        return self.host.background if self.eraser else self.host.foreground

    def _paint(self, doc: Document) -> int | tuple[int, int, int]:
        colour = self._colour()
        if paint_target(doc)[1] == "mask":
            return _gray(colour)
        return colour.red(), colour.green(), colour.blue()

    # --- input --------------------------------------------------------------------
    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton or self.stroke is not None:
            return
        if event.has(Qt.KeyboardModifier.AltModifier):
            self._pick(pos)
            return
        doc = self.document
        node, target = paint_target(doc)
        try:
            check_paintable(node, target)
        except PaintRefused as refusal:
            self.host.show_status(str(refusal))
            return
        self.stroke = Stroke(doc, node, target, self.brush, self._paint(doc), eraser=self.eraser)
        if event.has(Qt.KeyboardModifier.ShiftModifier) and self.last_point is not None:
            self.stroke.add_point(*self.last_point, event.pressure)
            self.stroke.line_to(pos.x(), pos.y(), event.pressure)
        else:
            self.stroke.add_point(pos.x(), pos.y(), event.pressure)
        self._hover(pos)

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self.stroke is not None:
            self.stroke.add_point(pos.x(), pos.y(), event.pressure)
        self._hover(pos)

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if self.stroke is not None and event.button == Qt.MouseButton.LeftButton:
            self._finish()

    def hover(self, pos: QPointF, event: PointerEvent) -> None:
        self._hover(pos)

    def deactivate(self) -> None:
        self._finish()
        before = self.overlay_rect()
        self.hover_pos = None
        self._repaint_outline(before)

    def document_replaced(self) -> None:
        """No outline left where the pointer was over the old document; a stroke in progress
        belonged to that document and is dropped with it."""
        self.stroke = None
        self.last_point = None
        self.hover_pos = None

    def _finish(self) -> None:
        if self.stroke is None:
            return
        stroke, self.stroke = self.stroke, None
        self.last_point = stroke.last_point or self.last_point
        stroke.end()

    def _pick(self, pos: QPointF) -> None:
        """Alt+click: the mask value under the pointer when editing a mask, else the composite colour."""
        doc = self.document
        x, y = math.floor(pos.x()), math.floor(pos.y())
        node, target = paint_target(doc)
        if target == "mask" and node is not None and node.mask is not None:
            ox, oy = node.offset
            h, w = node.mask.shape
            if not (0 <= x - ox < w and 0 <= y - oy < h):
                return
            v = int(node.mask.data[y - oy, x - ox])
            v = 255 - v if node.mask.inverted else v  # the value as seen: white shows
            picked = QColor(v, v, v)
        else:
            rgba = self.canvas.source.pixel(x, y) if self.canvas.source is not None else None
            if rgba is None:
                return
            picked = QColor(*rgba[:3])
        if self.eraser:
            self.host.background = picked
        else:
            self.host.foreground = picked
        swatch = getattr(self.host, "swatch", None)
        if swatch is not None:
            swatch.update()

    def key_press(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        b = self.brush
        if key in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BraceLeft, Qt.Key.Key_BracketRight, Qt.Key.Key_BraceRight):
            up = key in (Qt.Key.Key_BracketRight, Qt.Key.Key_BraceRight)
            if shift or key in (Qt.Key.Key_BraceLeft, Qt.Key.Key_BraceRight):
                hardness = min(1.0, max(0.0, b.hardness + (HARDNESS_STEP if up else -HARDNESS_STEP)))
                self.set_brush(b.with_(hardness=hardness))
            else:
                step = max(1.0, b.size * SIZE_STEP)
                self.set_brush(b.with_(size=min(5000, max(1, round(b.size + (step if up else -step))))))
            return True
        if key in _DIGITS or key in _SHIFTED_DIGITS:
            flow = key in _SHIFTED_DIGITS or shift
            self._digit_typed(_DIGITS.get(key, _SHIFTED_DIGITS.get(key, 0)), flow, event.timestamp())
            return True
        if key == Qt.Key.Key_Escape and self.stroke is not None:
            stroke, self.stroke = self.stroke, None
            stroke.cancel()
            return True
        return False

    def _digit_typed(self, digit: int, flow: bool, now_ms: int) -> None:
        """1 = 10 % ... 0 = 100 %; two digits typed quickly (4 then 5) = 45 %."""
        first = self._digit
        if first is not None and first[1] == flow and 0 <= now_ms - first[2] <= TWO_DIGIT_MS:
            percent = first[0] * 10 + digit
            self._digit = None
        else:
            percent = 100 if digit == 0 else digit * 10
            self._digit = (digit, flow, now_ms)
        self.set_brush(self.brush.with_(**{"flow" if flow else "opacity": percent / 100.0}))
        self.host.show_status(f"{'Flow' if flow else 'Opacity'} {percent} %", 1500)

    # --- the outline cursor -----------------------------------------------------------
    def _hover(self, pos: QPointF) -> None:
        before = self.overlay_rect()
        self.hover_pos = QPointF(pos)
        self._repaint_outline(before)

    def _repaint_outline(self, before: QRectF | None) -> None:
        for rect in (before, self.overlay_rect()):
            if rect is not None:
                self.canvas.update_overlay(rect)

    def overlay_rect(self) -> QRectF | None:
        if self.hover_pos is None:
            return None
        r = self.brush.size / 2 + 2.0 / max(self.canvas.zoom, 1e-6)
        return QRectF(self.hover_pos.x() - r, self.hover_pos.y() - r, 2 * r, 2 * r)

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        """The brush's true size at this zoom: a dark and a light circle, seen on any image."""
        if self.hover_pos is None:
            return
        centre = canvas.doc_to_widget(self.hover_pos)
        radius = self.brush.size / 2 * canvas.zoom
        if radius < 3:
            return  # the cross-hair cursor alone shows where a tiny brush lands
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, grow in ((QColor(0, 0, 0, 170), 0.75), (QColor(255, 255, 255, 200), -0.75)):
            painter.setPen(QPen(colour, 1.0))
            painter.drawEllipse(centre, radius + grow, radius + grow)
        painter.restore()


class EraserTool(BrushTool):
    name = "Eraser"
    icon = "eraser"
    shortcut = "E"
    tooltip = "Erase to transparency, or paint the background value on a mask (X swaps)"
    eraser = True
    settings_group = "tools/eraser"
    default_brush = Brush(hardness=1.0)

