"""What the selection tools share: the combine mode (modifiers and option buttons),
their options bar and how they draw an outline in progress.

Modifiers at the press choose the mode, as in Photoshop: Shift adds, Alt
subtracts, Shift+Alt intersects; with none, the mode buttons in the options
bar decide (replace by default).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QHBoxLayout, QToolButton, QWidget

from editor.masks.selection import warm_up

from ..icons import icon
from .base import PointerEvent, Tool

MODE_BUTTONS = (
    ("replace", "vector-square", "New selection"),
    ("add", "vector-union", "Add to selection (Shift)"),
    ("subtract", "vector-difference", "Subtract from selection (Alt)"),
    ("intersect", "vector-intersection", "Intersect with selection (Shift+Alt)"),
)


_warming: threading.Thread | None = None


def _start_warm_up() -> None:
    """Compile the selection kernels in the background once, so the first selection does not wait."""
    global _warming
    if _warming is None:
        _warming = threading.Thread(target=warm_up, name="selection-warm-up", daemon=True)
        _warming.start()


def mode_from_modifiers(modifiers: Qt.KeyboardModifier, default: str) -> str:
    shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    if shift and alt:
        return "intersect"
    if shift:
        return "add"
    if alt:
        return "subtract"
    return default


class SelectionOptions(QWidget):
    """The mode buttons, an optional Anti-alias box, and room for a tool's own controls."""

    def __init__(self, *, antialias: bool | None = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.modes = QButtonGroup(self)
        self.mode_buttons: dict[str, QToolButton] = {}
        for mode, icon_name, tip in MODE_BUTTONS:
            button = QToolButton()
            button.setIcon(icon(icon_name))
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setAutoRaise(True)
            self.modes.addButton(button)
            self.mode_buttons[mode] = button
            self.layout_.addWidget(button)
        self.mode_buttons["replace"].setChecked(True)
        self.antialias: QCheckBox | None = None
        if antialias is not None:
            self.antialias = QCheckBox("Anti-alias")
            self.antialias.setChecked(antialias)
            self.layout_.addWidget(self.antialias)
        self.layout_.addStretch(1)  # keep the controls compact at the left of the bar

    @property
    def mode(self) -> str:
        return next(m for m, b in self.mode_buttons.items() if b.isChecked())

    def set_mode(self, mode: str) -> None:
        self.mode_buttons[mode].setChecked(True)

    def add(self, widget: QWidget) -> QWidget:
        self.layout_.insertWidget(self.layout_.count() - 1, widget)  # before the stretch
        return widget


class OutlineMove:
    """Photoshop's drag inside a selection with a selection tool: the outline moves, not the pixels.

    Whole-pixel steps (the selection is shifted exactly); one drag is one undo step. Only in
    the new-selection mode: with Shift or Alt held a drag adds or subtracts as usual.
    """

    def __init__(self, tool: Tool) -> None:
        self.tool = tool
        self.start: QPointF | None = None
        self.offset = (0, 0)
        self.path: QPainterPath | None = None

    @property
    def active(self) -> bool:
        return self.start is not None

    def press(self, pos: QPointF, mode: str) -> bool:
        """Start moving when the press is inside the selection in replace mode; True when it did."""
        doc = self.tool.document
        sel = doc.selection
        x, y = int(pos.x() // 1), int(pos.y() // 1)
        if mode != "replace" or sel is None or not (0 <= x < doc.width and 0 <= y < doc.height) or sel.data[y, x] < 128:
            return False
        from editor.masks.selection.outline import selection_outline

        path = QPainterPath()
        for pts in selection_outline(sel.data):
            path.addPolygon(QPolygonF([QPointF(px, py) for px, py in pts.tolist()]))
            path.closeSubpath()
        self.path, self.start, self.offset = path, QPointF(pos), (0, 0)
        self.tool.canvas.suppress_ants = True
        self.tool.canvas.update()
        return True

    def move(self, pos: QPointF, shift: bool = False) -> None:
        if self.start is None:
            return
        dx, dy = round(pos.x() - self.start.x()), round(pos.y() - self.start.y())
        if shift:
            dx, dy = (dx, 0) if abs(dx) >= abs(dy) else (0, dy)
        if (dx, dy) != self.offset:
            self.offset = (dx, dy)
            self.tool.canvas.update()

    def release(self) -> None:
        """End the drag: the selection moves by whole pixels; a click that did not move deselects."""
        if self.start is None:
            return
        (dx, dy), self.start, self.path = self.offset, None, None
        canvas = self.tool.canvas
        canvas.suppress_ants = False
        canvas.update()
        if (dx, dy) != (0, 0):
            from editor.core import SetSelection
            from editor.core.selection import Selection
            from editor.render.warp import place

            doc = self.tool.document
            moved = place(doc.selection.data, doc.canvas.translated(dx, dy), doc.canvas, 0)
            doc.execute(SetSelection(Selection(moved), "Move Selection"))
        else:
            from editor.masks.selection import ops

            ops.select_none(self.tool.document)

    def cancel(self) -> None:
        if self.start is not None:
            self.start = self.path = None
            self.tool.canvas.suppress_ants = False
            self.tool.canvas.update()

    def paint(self, painter: QPainter, canvas) -> None:
        if self.path is None:
            return
        view = canvas.view
        painter.save()
        painter.translate(view.origin.x() + self.offset[0] * view.scale, view.origin.y() + self.offset[1] * view.scale)
        painter.scale(view.scale, view.scale)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, dash in ((Qt.GlobalColor.white, None), (Qt.GlobalColor.black, [4, 4])):
            pen = QPen(colour, 0)
            pen.setCosmetic(True)
            if dash:
                pen.setDashPattern(dash)
            painter.setPen(pen)
            painter.drawPath(self.path)
        painter.restore()


class SelectionTool(Tool):
    """A tool that ends in a selection; subclasses make the shape."""

    antialias_default: bool | None = True

    def __init__(self, host) -> None:
        super().__init__(host)
        self._options: SelectionOptions | None = None
        self.outline_move = OutlineMove(self)
        _start_warm_up()

    @property
    def options(self) -> SelectionOptions:
        if self._options is None:
            self._options = SelectionOptions(antialias=self.antialias_default)
            self.build_options(self._options)
        return self._options

    def build_options(self, options: SelectionOptions) -> None:
        """Add the tool's own controls to its options bar."""

    def options_widget(self) -> QWidget | None:
        return self.options

    @property
    def antialias(self) -> bool:
        box = self.options.antialias
        return bool(box is not None and box.isChecked())

    def mode_for(self, event: PointerEvent) -> str:
        return mode_from_modifiers(event.modifiers, self.options.mode)

    def repaint_outline(self, *rects: QRectF | None) -> None:
        """Repaint the overlay where an outline was and is (document rects)."""
        area = QRectF()
        for r in rects:
            if r is not None:
                area = area.united(r)
        if not area.isNull():
            self.canvas.update_overlay(area.adjusted(-2, -2, 2, 2))


def draw_outline(painter: QPainter, canvas, points: Sequence[QPointF] | QPolygonF, *, closed: bool) -> None:
    """A thin black-and-white dashed outline through document points (the shape being drawn)."""
    if len(points) < 2:
        return
    poly = QPolygonF([canvas.doc_to_widget(QPointF(p)) for p in points])
    path = QPainterPath()
    path.addPolygon(poly)
    if closed:
        path.closeSubpath()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(Qt.GlobalColor.white, 1))
    painter.drawPath(path)
    dashed = QPen(Qt.GlobalColor.black, 1)
    dashed.setDashPattern([4, 4])
    painter.setPen(dashed)
    painter.drawPath(path)
    painter.restore()


def bounds_of(points: Sequence[QPointF]) -> QRectF | None:
    if not points:
        return None
    return QPolygonF(list(points)).boundingRect()
