"""The Gradient tool (G): drag a line to lay a gradient on the mask being edited or the pixels.

Linear, radial, reflected, angle and diamond; a preset (foreground to background, foreground to
transparent, or one of the editable presets: Edit… opens the gradient editor), Reverse,
Dither, blend mode and opacity in the options bar. On a mask the gradient paints grey: white
to black reveals to hides. The selection confines it. While the line is dragged the visible
part of the canvas shows the result (only that part is drawn, at most once per event-loop
pass); the release lays the whole gradient as one undo step. Shift snaps the line to 15°,
Escape abandons it.
"""

from __future__ import annotations

import json
import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QCursor, QIcon, QImage, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from editor.core import BlendMode, Rect
from editor.core.blend import MENU_GROUPS
from editor.paint import PaintRefused, PaintTarget
from editor.paint.gradient import (
    SHAPES,
    Gradient,
    GradientPaint,
    GradientSettings,
    builtin_presets,
    gradient_positions,
    snap_angle,
)

from .base import PointerEvent, Tool

SETTINGS_GROUP = "tools/gradient"
SHAPE_TIPS = {"linear": "Linear gradient", "radial": "Radial gradient", "reflected": "Reflected gradient",
              "angle": "Angle gradient", "diamond": "Diamond gradient"}


def _rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def gradient_image(gradient: Gradient, width: int, height: int, fg=(0, 0, 0), bg=(255, 255, 255)) -> QImage:
    """A strip of the gradient over a checkerboard (its transparency shows), for combos and the editor."""
    rgba = gradient.sample(np.linspace(0.0, 1.0, width), fg, bg)
    ys, xs = np.mgrid[0:height, 0:width]
    checker = np.where(((xs // 4) + (ys // 4)) % 2 == 0, 204.0, 153.0)[..., None]
    a = rgba[None, :, 3:4] / 255.0
    rgb = rgba[None, :, :3] * a + checker * (1.0 - a)
    out = np.empty((height, width, 4), np.uint8)
    out[..., :3] = np.clip(rgb + 0.5, 0, 255)
    out[..., 3] = 255
    image = QImage(out.data, width, height, out.strides[0], QImage.Format.Format_RGBA8888)
    return image.copy()


def shape_icon(shape: str, size: int = 20) -> QIcon:
    """The shape drawn by the real kernel: black to white from the centre (or the left for linear)."""
    start = (size / 2, size / 2) if shape != "linear" else (1.0, size / 2)
    end = (size - 1.0, size / 2)
    t = gradient_positions(shape, Rect(0, 0, size, size), start, end)
    grey = np.ascontiguousarray(np.clip(40 + t * 200 + 0.5, 0, 255).astype(np.uint8))
    image = QImage(grey.data, size, size, grey.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(image))


class GradientPresets:
    """The preset list, remembered in QSettings as JSON (the built-ins until the user edits it)."""

    def __init__(self) -> None:
        raw = QSettings().value(f"{SETTINGS_GROUP}/presets")
        self.items: list[Gradient] = builtin_presets()
        if isinstance(raw, str) and raw:
            try:
                self.items = [Gradient.from_dict(d) for d in json.loads(raw)] or builtin_presets()
            except (ValueError, TypeError, KeyError):
                self.items = builtin_presets()

    def save(self) -> None:
        QSettings().setValue(f"{SETTINGS_GROUP}/presets", json.dumps([g.to_dict() for g in self.items]))


class GradientOptions(QWidget):
    """Preset, Edit…, shape buttons, Reverse, Dither, Mode and Opacity; `changed` when any changes."""

    changed = Signal()
    edit_requested = Signal()

    def __init__(self, presets: GradientPresets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = presets
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preset = QComboBox()
        self.preset.setObjectName("gradient_preset")
        self.preset.setIconSize(QSize(96, 14))
        self.preset.setMinimumWidth(250)
        self.preset.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout.addWidget(self.preset)
        self.edit = QPushButton("Edit…")
        self.edit.setObjectName("gradient_edit")
        self.edit.setToolTip("Edit the gradient presets: stops with colour, opacity and position")
        self.edit.clicked.connect(self.edit_requested.emit)
        layout.addWidget(self.edit)
        self.shapes = QButtonGroup(self)
        self.shape_buttons: dict[str, QToolButton] = {}
        for shape in SHAPES:
            button = QToolButton()
            button.setObjectName(f"gradient_{shape}")
            button.setIcon(shape_icon(shape))
            button.setToolTip(SHAPE_TIPS[shape])
            button.setCheckable(True)
            button.setAutoRaise(True)
            self.shapes.addButton(button)
            self.shape_buttons[shape] = button
            layout.addWidget(button)
        self.shape_buttons["linear"].setChecked(True)
        self.shapes.buttonToggled.connect(lambda _b, on: on and self.changed.emit())
        layout.addWidget(QLabel("Mode"))
        self.mode = QComboBox()
        self.mode.setObjectName("gradient_mode")
        for k, group in enumerate(MENU_GROUPS):
            if k:
                self.mode.insertSeparator(self.mode.count())
            for mode in group:
                self.mode.addItem(mode.label, mode)
        self.mode.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout.addWidget(self.mode)
        layout.addWidget(QLabel("Opacity"))
        self.opacity = QSpinBox()
        self.opacity.setObjectName("gradient_opacity")
        self.opacity.setRange(0, 100)
        self.opacity.setSuffix(" %")
        self.opacity.setValue(100)
        self.opacity.valueChanged.connect(lambda _v: self.changed.emit())
        layout.addWidget(self.opacity)
        self.reverse = QCheckBox("Reverse")
        self.dither = QCheckBox("Dither")
        self.dither.setChecked(True)
        for box in (self.reverse, self.dither):
            box.toggled.connect(lambda _on: self.changed.emit())
            layout.addWidget(box)
        layout.addStretch(1)
        self.refresh_presets()

    def refresh_presets(self, fg=(0, 0, 0), bg=(255, 255, 255), select: int | None = None) -> None:
        current = self.preset.currentIndex() if select is None else select
        self.preset.blockSignals(True)
        self.preset.clear()
        for g in self.presets.items:
            self.preset.addItem(QIcon(QPixmap.fromImage(gradient_image(g, 96, 14, fg, bg))), g.name)
        self.preset.setCurrentIndex(min(max(current, 0), self.preset.count() - 1))
        self.preset.blockSignals(False)

    @property
    def gradient(self) -> Gradient:
        return self.presets.items[max(0, self.preset.currentIndex())]

    @property
    def shape(self) -> str:
        return next(s for s, b in self.shape_buttons.items() if b.isChecked())

    def set_shape(self, shape: str) -> None:
        self.shape_buttons[shape].setChecked(True)

    def settings(self) -> GradientSettings:
        return GradientSettings(shape=self.shape, reverse=self.reverse.isChecked(), dither=self.dither.isChecked(),
                                mode=BlendMode(self.mode.currentData()), opacity=self.opacity.value() / 100.0)

    def set_mode(self, mode: BlendMode) -> None:
        self.mode.setCurrentIndex(self.mode.findData(BlendMode(mode)))


class GradientTool(Tool):
    name = "Gradient"
    icon = "gradient-horizontal"
    shortcut = "G"
    tooltip = "Gradient (G): drag a line; on a mask white to black reveals to hides; Shift snaps to 15°"

    def __init__(self, host) -> None:
        super().__init__(host)
        self.presets = GradientPresets()
        self._options: GradientOptions | None = None
        self.paint: GradientPaint | None = None
        self.start: QPointF | None = None
        self.end: QPointF | None = None
        self._drawn_end: QPointF | None = None
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._preview)

    # --- options --------------------------------------------------------------------
    @property
    def options(self) -> GradientOptions:
        if self._options is None:
            self._options = GradientOptions(self.presets)
            self._options.edit_requested.connect(self.edit_presets)
            self._load_options()
            self._options.changed.connect(self._save_options)
        return self._options

    def options_widget(self) -> QWidget | None:
        return self.options

    def activate(self) -> None:
        self.options.refresh_presets(_rgb(self.host.foreground), _rgb(self.host.background))

    def _load_options(self) -> None:
        s, o = QSettings(), self._options
        assert o is not None
        shape = s.value(f"{SETTINGS_GROUP}/shape", "linear")
        o.set_shape(shape if shape in SHAPES else "linear")
        o.refresh_presets(select=int(s.value(f"{SETTINGS_GROUP}/preset", 0)))
        o.reverse.setChecked(s.value(f"{SETTINGS_GROUP}/reverse", "false") in (True, "true"))
        o.dither.setChecked(s.value(f"{SETTINGS_GROUP}/dither", "true") in (True, "true"))
        o.opacity.setValue(int(s.value(f"{SETTINGS_GROUP}/opacity", 100)))
        try:
            o.set_mode(BlendMode(s.value(f"{SETTINGS_GROUP}/mode", "normal")))
        except ValueError:
            o.set_mode(BlendMode.NORMAL)

    def _save_options(self) -> None:
        s, o = QSettings(), self.options
        for key, value in (("shape", o.shape), ("preset", o.preset.currentIndex()), ("reverse", o.reverse.isChecked()),
                           ("dither", o.dither.isChecked()), ("opacity", o.opacity.value()),
                           ("mode", str(o.mode.currentData()))):
            s.setValue(f"{SETTINGS_GROUP}/{key}", value)

    def edit_presets(self) -> None:
        from ..dialogs.gradient_editor import GradientEditor

        dialog = GradientEditor(self.presets.items, self.options.preset.currentIndex(),
                                _rgb(self.host.foreground), _rgb(self.host.background), self.canvas.window())
        if dialog.exec():
            self.presets.items = dialog.gradients()
            self.presets.save()
            self.options.refresh_presets(_rgb(self.host.foreground), _rgb(self.host.background), dialog.current_index())
            self._save_options()

    # --- input --------------------------------------------------------------------
    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton or self.paint is not None:
            return
        try:
            target = PaintTarget.current(self.document)
        except PaintRefused as refusal:
            self.host.show_status(str(refusal))
            return
        self.options.refresh_presets(_rgb(self.host.foreground), _rgb(self.host.background))
        self.paint = GradientPaint(target, self.options.gradient, self.options.settings(),
                                   fg=_rgb(self.host.foreground), bg=_rgb(self.host.background))
        self.start = QPointF(pos)
        self.end = QPointF(pos)
        self._drawn_end = None

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self.paint is None or self.start is None:
            return
        before = self.overlay_rect()
        self.end = self._snapped(pos, event)
        self._repaint_line(before)
        self._timer.start()  # draw once the queued moves are through

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton or self.paint is None or self.start is None:
            return
        self._timer.stop()
        before = self.overlay_rect()
        self.end = self._snapped(pos, event)
        paint, start, end = self.paint, self.start, self.end
        self.paint = self.start = self.end = None
        self._repaint_line(before)
        if math.hypot(end.x() - start.x(), end.y() - start.y()) < 0.5:  # a click: no line, no gradient
            paint.cancel()
            return
        paint.draw((start.x(), start.y()), (end.x(), end.y()))
        paint.commit("Gradient")

    def key_press(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape and self.paint is not None:
            self._abandon()
            return True
        return False

    def deactivate(self) -> None:
        self._abandon()

    def _abandon(self) -> None:
        self._timer.stop()
        if self.paint is None:
            return
        before = self.overlay_rect()
        paint, self.paint = self.paint, None
        self.start = self.end = None
        paint.cancel()
        self._repaint_line(before)

    def _snapped(self, pos: QPointF, event: PointerEvent) -> QPointF:
        if self.start is not None and event.has(Qt.KeyboardModifier.ShiftModifier):
            return QPointF(*snap_angle((self.start.x(), self.start.y()), (pos.x(), pos.y())))
        return QPointF(pos)

    def _preview(self) -> None:
        """Draw the gradient for the current line over the visible part of the canvas."""
        if self.paint is None or self.start is None or self.end is None or self.end == self._drawn_end:
            return
        if math.hypot(self.end.x() - self.start.x(), self.end.y() - self.start.y()) < 0.5:
            return
        area = self.canvas.view.rect_to_doc(QRectF(self.canvas.rect())).toAlignedRect()
        visible = Rect(area.x(), area.y(), area.width(), area.height()).intersect(self.document.canvas)
        self.paint.draw((self.start.x(), self.start.y()), (self.end.x(), self.end.y()), visible)
        self._drawn_end = QPointF(self.end)

    # --- the line -------------------------------------------------------------------
    def overlay_rect(self) -> QRectF | None:
        if self.start is None or self.end is None:
            return None
        pad = 8.0 / max(self.canvas.zoom, 1e-6)
        return QRectF(self.start, self.end).normalized().adjusted(-pad, -pad, pad, pad)

    def _repaint_line(self, before: QRectF | None) -> None:
        for rect in (before, self.overlay_rect()):
            if rect is not None:
                self.canvas.update_overlay(rect)

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        if self.start is None or self.end is None:
            return
        a, b = canvas.doc_to_widget(self.start), canvas.doc_to_widget(self.end)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for colour, width in ((QColor(0, 0, 0, 180), 3.0), (QColor(255, 255, 255, 230), 1.0)):
            painter.setPen(QPen(colour, width))
            painter.drawLine(a, b)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(a, 3.5, 3.5)
            painter.drawEllipse(b, 3.5, 3.5)
        painter.restore()
