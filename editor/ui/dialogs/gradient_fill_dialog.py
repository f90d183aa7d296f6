"""Layer > New Fill Layer > Gradient… and editing a gradient fill layer (Photoshop's Gradient Fill).

The gradient (a preset, then its stops and smoothness in the Gradient Editor's stop editor), style, angle
(a spin box and a dial: a positive angle turns the gradient counter-clockwise on screen, as
on the canvas), scale, reverse, dither, align with layer and offset. The canvas shows every
change at once. The dialog applies its changes to the layer without recording them; OK
records one undo step (the new layer, or the new settings), Cancel takes the changes back so
the document and its history are as they were when it opened.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.core import Command, Document, GradientFillLayer, ops
from editor.core.commands import SetProperties
from editor.paint.gradient import SHAPES, Gradient, Stop
from editor.paint.gradient_fill import DEFAULTS, normalised

from ..tools.gradient import SHAPE_TIPS, GradientPresets, gradient_image, shape_icon
from .gradient_editor import StopEditor

STYLE_LABELS = {"linear": "Linear", "radial": "Radial", "angle": "Angle", "reflected": "Reflected", "diamond": "Diamond"}


class AngleDial(QWidget):
    """Photoshop's angle dial: a circle with a radius pointing along the angle, counter-clockwise
    on screen from 3 o'clock (as the gradient turns on the canvas); press or drag to set it."""

    angle_changed = Signal(float)  # degrees in -180..180, on the user's changes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._angle = 0.0
        self.setFixedSize(30, 30)  # about a field's height: the Angle row stays as tall as the others
        self.setToolTip("Drag to turn the gradient")
        self.setCursor(Qt.CursorShape.CrossCursor)

    def angle(self) -> float:
        return self._angle

    def set_angle(self, degrees: float) -> None:
        self._angle = float(degrees)
        self.update()

    def tip(self) -> QPointF:
        """Where the radius ends, in widget coordinates (y down, so the sine is subtracted)."""
        c, r = self._centre(), self._radius()
        a = math.radians(self._angle)
        return QPointF(c.x() + r * math.cos(a), c.y() - r * math.sin(a))

    def _centre(self) -> QPointF:
        return QPointF(self.width() / 2, self.height() / 2)

    def _radius(self) -> float:
        return min(self.width(), self.height()) / 2 - 3

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c, r = self._centre(), self._radius()
        p.setPen(QPen(self.palette().windowText().color(), 1.2))
        p.setBrush(self.palette().base())
        p.drawEllipse(c, r, r)
        p.setPen(QPen(self.palette().highlight().color(), 2.0))
        p.drawLine(c, self.tip())
        p.end()

    def _set_from(self, pos: QPointF) -> None:
        c = self._centre()
        dx, dy = pos.x() - c.x(), pos.y() - c.y()
        if dx == 0 and dy == 0:
            return
        self.set_angle(round(math.degrees(math.atan2(-dy, dx))))
        self.angle_changed.emit(self._angle)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._set_from(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._set_from(event.position())


class GradientFillDialog(QDialog):
    """The settings of `node`, a gradient fill layer, shown live on the canvas.

    `adding`: the command that adds `node` (ops.new_fill_command); the dialog applies it at
    once and records it on OK. Without one the node is already in the document and OK records
    the change of its settings."""

    def __init__(self, parent: QWidget | None, doc: Document, node: GradientFillLayer, *,
                 adding: Command | None = None, fg=(0, 0, 0), bg=(255, 255, 255)) -> None:
        super().__init__(parent)
        self.doc, self.node, self.adding = doc, node, adding
        self.fg, self.bg = tuple(fg), tuple(bg)
        self.before = node.gradient  # put back as it was on Cancel (a copy: the node's dict is replaced, never changed)
        self.original = normalised(node.gradient)
        self.setWindowTitle("Gradient Fill" if adding is not None else f"Gradient Fill — {node.name}")
        self.setObjectName("gradientFillDialog")
        self._showing = False
        self._shown: dict[QWidget, float] = {}

        self.presets = GradientPresets()
        self.preset = QComboBox()
        self.preset.setObjectName("gradient_fill_preset")
        self.preset.setIconSize(QSize(120, 14))
        self.preset.setPlaceholderText("Custom")
        for g in self.presets.items:
            self.preset.addItem(QIcon(QPixmap.fromImage(gradient_image(g, 120, 14, self.fg, self.bg))), g.name)
        self.preset.setToolTip("Start from a preset; edit its stops below")
        self.preset.activated.connect(self._preset_chosen)
        self.stops = StopEditor(self.fg, self.bg, dynamic=False)
        self.stops.edited.connect(self._stops_edited)
        gradient_box = QGroupBox("Gradient")
        gradient_layout = QVBoxLayout(gradient_box)
        gradient_layout.addWidget(self.preset)
        gradient_layout.addWidget(self.stops)

        self.style = QComboBox()
        self.style.setObjectName("gradient_fill_style")
        for shape in SHAPES:
            self.style.addItem(shape_icon(shape), STYLE_LABELS[shape], shape)
            self.style.setItemData(self.style.count() - 1, SHAPE_TIPS[shape], Qt.ItemDataRole.ToolTipRole)
        self.angle = QDoubleSpinBox()
        self.angle.setObjectName("gradient_fill_angle")
        self.angle.setRange(-180.0, 180.0)
        self.angle.setDecimals(1)
        self.angle.setWrapping(True)
        self.angle.setSuffix("°")
        self.angle.setToolTip("Counter-clockwise from pointing right")
        self.dial = AngleDial()
        self.dial.setObjectName("gradient_fill_dial")
        self.dial.angle_changed.connect(self.angle.setValue)
        angle_row = QHBoxLayout()
        angle_row.addWidget(self.dial)
        angle_row.addWidget(self.angle)
        angle_row.addStretch(1)
        self.scale = QSpinBox()
        self.scale.setObjectName("gradient_fill_scale")
        self.scale.setRange(10, 1000)
        self.scale.setSuffix(" %")
        self.scale.setToolTip("The gradient's length, in percent of the layer's (or canvas's) size along its angle")
        self.offset_x, self.offset_y = QDoubleSpinBox(), QDoubleSpinBox()
        for name, spin in (("x", self.offset_x), ("y", self.offset_y)):
            spin.setObjectName(f"gradient_fill_offset_{name}")
            spin.setRange(-100.0, 100.0)
            spin.setDecimals(1)
            spin.setSuffix(" %")
        self.offset_x.setToolTip("Moves the gradient's centre right, in percent of the width")
        self.offset_y.setToolTip("Moves the gradient's centre down, in percent of the height")
        self.reset_alignment = QPushButton("Reset Alignment")
        self.reset_alignment.setObjectName("gradient_fill_reset_alignment")
        self.reset_alignment.setToolTip("Put the gradient's centre back in the middle of the layer (offset 0, 0)")
        self.reset_alignment.clicked.connect(self._reset_alignment)
        offset_row = QHBoxLayout()
        offset_row.addWidget(self.offset_x)
        offset_row.addWidget(self.offset_y)
        offset_row.addWidget(self.reset_alignment)
        offset_row.addStretch(1)
        self.reverse = QCheckBox("Reverse")
        self.reverse.setObjectName("gradient_fill_reverse")
        self.dither = QCheckBox("Dither")
        self.dither.setObjectName("gradient_fill_dither")
        self.align = QCheckBox("Align with layer")
        self.align.setObjectName("gradient_fill_align")
        self.align.setToolTip("Lay the gradient over the layer's shape (the selection it was made from), "
                              "not over the whole canvas")
        checks = QHBoxLayout()
        for box in (self.reverse, self.dither, self.align):
            checks.addWidget(box)
        checks.addStretch(1)
        # Number fields as wide as their numbers (stretched across the dialog they read as sliders).
        for spin in (self.angle, self.scale, self.offset_x, self.offset_y):
            spin.setMaximumWidth(110)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Style", self.style)
        form.addRow("Angle", angle_row)
        form.addRow("Scale", self.scale)
        form.addRow("Offset X, Y", offset_row)
        form.addRow(checks)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        outer = QVBoxLayout(self)
        outer.addWidget(gradient_box)
        outer.addLayout(form)
        outer.addWidget(buttons)

        self.show_settings(self.original)
        self.style.currentIndexChanged.connect(self.changed)
        self.angle.valueChanged.connect(self._angle_edited)
        for spin in (self.scale, self.offset_x, self.offset_y):
            spin.valueChanged.connect(self.changed)
        for box in (self.reverse, self.dither, self.align):
            box.toggled.connect(self.changed)
        if adding is not None:
            adding.redo(doc)  # the new layer shows at once; recorded on OK

    # --- the settings -------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The settings the controls show, as the layer holds them."""
        gradient = self.stops.gradient.resolved(self.fg, self.bg)
        offset = self.original["offset"]
        # A layer without a smoothness (straight ramps, as Veil made them) keeps none until it is set.
        smoothness = {} if gradient.smoothness == 0.0 and "smoothness" not in self.original else {
            "smoothness": gradient.smoothness}
        return normalised({
            **self.original,
            **smoothness,
            "stops": [s.to_dict() for s in gradient.stops],
            "style": self.style.currentData(),
            "angle": self._number(self.angle, self.original["angle"]),
            "scale": self._number(self.scale, self.original["scale"]),
            "reverse": self.reverse.isChecked(),
            "dither": self.dither.isChecked(),
            "align": self.align.isChecked(),
            "offset": [self._number(self.offset_x, offset[0]), self._number(self.offset_y, offset[1])],
        })

    def _number(self, spin, original: float) -> float:
        """The field's value; the layer's own while the field shows what it showed for it, so an
        OK that did not touch it keeps a value finer than the field (a rotated canvas's scale)."""
        return float(original) if spin.value() == self._shown.get(spin) else float(spin.value())

    def show_settings(self, settings: dict[str, Any]) -> None:
        """Put `settings` in the controls (no preview of its own)."""
        s = normalised(settings)
        self._showing = True
        gradient = Gradient("Gradient Fill", tuple(Stop.from_dict(d) for d in s["stops"]), s.get("smoothness", 0.0))
        self.stops.set_gradient(gradient)
        self.preset.setCurrentIndex(self._preset_index(gradient))
        self.style.setCurrentIndex(self.style.findData(s["style"]))
        self.angle.setValue(s["angle"])
        self.dial.set_angle(s["angle"])
        self.scale.setValue(round(s["scale"]))
        self.offset_x.setValue(s["offset"][0])
        self.offset_y.setValue(s["offset"][1])
        self.reverse.setChecked(bool(s["reverse"]))
        self.dither.setChecked(bool(s["dither"]))
        self.align.setChecked(bool(s["align"]))
        self._shown = {spin: spin.value() for spin in (self.angle, self.scale, self.offset_x, self.offset_y)}
        self._showing = False

    def _preset_index(self, gradient: Gradient) -> int:
        """The preset whose stops and smoothness these are (-1: Custom)."""
        for k, g in enumerate(self.presets.items):
            if g.resolved(self.fg, self.bg).stops == gradient.stops and g.smoothness == gradient.smoothness:
                return k
        return -1

    def choose_preset(self, index: int) -> None:
        """Pick the preset at `index` (the combo's choice): its stops, colours resolved now."""
        self.preset.setCurrentIndex(index)
        self._preset_chosen(index)

    def _preset_chosen(self, index: int) -> None:
        if 0 <= index < len(self.presets.items):
            self.stops.set_gradient(replace(self.presets.items[index].resolved(self.fg, self.bg), name="Gradient Fill"))
            self.changed()

    def _stops_edited(self, _gradient: Gradient) -> None:
        if not self._showing:
            self.preset.setCurrentIndex(self._preset_index(self.stops.gradient))
        self.changed()

    def _reset_alignment(self) -> None:
        """Photoshop's Reset Alignment: the offset back to 0, 0 (one preview, not two)."""
        self._showing = True
        self.offset_x.setValue(0.0)
        self.offset_y.setValue(0.0)
        for spin in (self.offset_x, self.offset_y):  # 0 means 0 now, not "as the layer had it"
            self._shown.pop(spin, None)
        self._showing = False
        self.changed()

    def _angle_edited(self, value: float) -> None:
        self.dial.set_angle(value)
        self.changed()

    def changed(self, *_args) -> None:
        """Show the controls' settings on the canvas (not an undo step: OK records one)."""
        if self._showing:
            return
        self._apply(self.settings())

    def _apply(self, settings: dict[str, Any]) -> None:
        if self.node.gradient != settings:
            SetProperties(self.node, {"gradient": settings}).redo(self.doc)

    # --- closing ----------------------------------------------------------------
    def accept(self) -> None:
        final = self.settings()
        if self.adding is not None:
            self._apply(final)
            self.doc.record(self.adding, mergeable=False)
        else:
            self.node.gradient = self.before  # put back quietly: the step below shows the change
            if final != self.original:  # OK without a change records no step
                ops.set_gradient_fill(self.doc, self.node, final, label=f"Gradient fill of “{self.node.name}”")
            else:
                self.doc.notify("property", self.node, self.doc.canvas, name="gradient")
        super().accept()

    def reject(self) -> None:
        if self.adding is not None:
            self.adding.undo(self.doc)
        else:
            self._apply(self.before)
        super().reject()


def open_gradient_fill(window, node: GradientFillLayer | None = None) -> GradientFillDialog | None:
    """Layer > New Fill Layer > Gradient… (node None: a new layer, its mask from the selection) or
    the settings of an existing gradient fill layer; window-modal."""
    doc = window.document
    if doc is None:
        return None
    fg, bg = (_rgb(window.foreground), _rgb(window.background))
    if node is None:
        presets = GradientPresets()
        first = presets.items[_tool_preset(len(presets.items))].resolved(fg, bg)
        settings = {**DEFAULTS, "stops": [s.to_dict() for s in first.stops], "smoothness": first.smoothness}
        node = ops.gradient_fill_for(doc, settings)
        dialog = GradientFillDialog(window, doc, node, adding=ops.new_fill_command(doc, node, "New gradient fill layer"), fg=fg, bg=bg)
    else:
        dialog = GradientFillDialog(window, doc, node, fg=fg, bg=bg)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.gradient_fill_dialog = dialog  # for tests and screenshots
    dialog.finished.connect(lambda _r: window.canvas.settle())
    dialog.open()
    return dialog


def _rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def _tool_preset(count: int) -> int:
    """The gradient tool's current preset (a new fill starts from the gradient last used)."""
    from PySide6.QtCore import QSettings

    from ..tools.gradient import SETTINGS_GROUP

    try:
        index = int(QSettings().value(f"{SETTINGS_GROUP}/preset", 0))
    except (TypeError, ValueError):
        index = 0
    return min(max(index, 0), count - 1)
