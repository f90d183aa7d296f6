"""The Image menu's dialogs: Image Size, Canvas Size, Rotate Canvas (arbitrary) and Trim.

Each dialog only gathers values (`values()` after it is accepted); the Image menu
(editor/ui/image_menu.py) runs the matching editor.geometry operation.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.document import MAX_CANVAS_SIDE
from editor.geometry import ANCHORS

# (core name, what Photoshop users read)
RESAMPLING = (
    ("nearest", "Nearest Neighbour (hard edges)"),
    ("bilinear", "Bilinear"),
    ("bicubic", "Bicubic (smooth gradients)"),
    ("lanczos", "Lanczos (sharpest)"),
    ("area", "Area average (best for reduction)"),
)


def resampling_combo(default: str = "bicubic", names: tuple[str, ...] | None = None) -> QComboBox:
    combo = QComboBox()
    for name, label in RESAMPLING:
        if names is None or name in names:
            combo.addItem(label, name)
    combo.setCurrentIndex(max(0, combo.findData(default)))
    return combo


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _megabytes(w: int, h: int) -> str:
    return f"{w * h * 4 / 1e6:.1f} MB"


# --- Image Size ------------------------------------------------------------------------------

class ImageSizeDialog(QDialog):
    """Image > Image Size: width and height in pixels or percent, constrain proportions, resampling."""

    def __init__(self, width: int, height: int, parent: QWidget | None = None, resample: str = "bicubic") -> None:
        super().__init__(parent)
        self.setWindowTitle("Image Size")
        self.setObjectName("imageSizeDialog")
        self.original = (width, height)
        self._w, self._h = float(width), float(height)  # the target in pixels (fractional while in percent)
        self._updating = False
        self.units = QComboBox()
        self.units.addItem("Pixels", "px")
        self.units.addItem("Percent", "%")
        self.units.currentIndexChanged.connect(self._show)
        self.width_spin, self.height_spin = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, which in ((self.width_spin, 0), (self.height_spin, 1)):
            spin.setKeyboardTracking(True)
            spin.valueChanged.connect(lambda v, which=which: self._edited(which, v))
        self.constrain = QCheckBox("Constrain proportions")
        self.constrain.setChecked(True)
        self.constrain.toggled.connect(lambda on: on and self._edited(0, self.width_spin.value()))
        self.resample = resampling_combo(resample)
        self.summary = QLabel()
        form = QFormLayout()
        form.addRow("Current size", QLabel(f"{width} × {height} px ({_megabytes(width, height)})"))
        form.addRow("Units", self.units)
        form.addRow("Width", self.width_spin)
        form.addRow("Height", self.height_spin)
        form.addRow("", self.constrain)
        form.addRow("Resample", self.resample)
        form.addRow("New size", self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self))
        self._show()

    @property
    def percent(self) -> bool:
        return self.units.currentData() == "%"

    def _show(self) -> None:
        """Put the target into the spin boxes in the current unit."""
        self._updating = True
        try:
            for spin, value, orig in ((self.width_spin, self._w, self.original[0]), (self.height_spin, self._h, self.original[1])):
                if self.percent:
                    spin.setDecimals(2)
                    spin.setRange(0.01, MAX_CANVAS_SIDE * 100.0 / orig)
                    spin.setSuffix(" %")
                    spin.setValue(value * 100.0 / orig)
                else:
                    spin.setDecimals(0)
                    spin.setRange(1, MAX_CANVAS_SIDE)
                    spin.setSuffix(" px")
                    spin.setValue(round(value))
        finally:
            self._updating = False
        self._summarise()

    def _edited(self, which: int, value: float) -> None:
        if self._updating:
            return
        px = value * self.original[which] / 100.0 if self.percent else value
        if which == 0:
            self._w = px
            if self.constrain.isChecked():
                self._h = px * self.original[1] / self.original[0]
        else:
            self._h = px
            if self.constrain.isChecked():
                self._w = px * self.original[0] / self.original[1]
        self._show()

    def _summarise(self) -> None:
        w, h = self.size()
        self.summary.setText(f"{w} × {h} px ({_megabytes(w, h)})")

    def size(self) -> tuple[int, int]:
        """The new size in whole pixels (at least 1 a side)."""
        return (max(1, min(MAX_CANVAS_SIDE, round(self._w))), max(1, min(MAX_CANVAS_SIDE, round(self._h))))

    def set_size(self, width: float, height: float) -> None:
        self._w, self._h = float(width), float(height)
        self._show()

    def values(self) -> tuple[int, int, str]:
        w, h = self.size()
        return w, h, self.resample.currentData()


# --- Canvas Size -----------------------------------------------------------------------------

_ARROWS = {(-1, -1): "↖", (0, -1): "↑", (1, -1): "↗", (-1, 0): "←", (1, 0): "→", (-1, 1): "↙", (0, 1): "↓", (1, 1): "↘"}


class AnchorWidget(QWidget):
    """Photoshop's 3×3 anchor: where the current picture stays in the new canvas."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, anchor: str = "center") -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(2)
        grid.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        for i, name in enumerate(ANCHORS):
            button = QToolButton()
            button.setCheckable(True)
            button.setFixedSize(28, 28)
            button.setObjectName(f"anchor_{name}")
            button.setToolTip(name.replace("-", " ").capitalize())
            grid.addWidget(button, i // 3, i % 3)
            self.group.addButton(button, i)
            self.buttons[name] = button
        self.group.idClicked.connect(lambda i: self.set_anchor(ANCHORS[i]))
        self._anchor = ""
        self.set_anchor(anchor)

    @property
    def anchor(self) -> str:
        return self._anchor

    def set_anchor(self, anchor: str) -> None:
        if anchor not in ANCHORS:
            raise ValueError(f"unknown anchor {anchor!r}")
        changed = anchor != self._anchor
        self._anchor = anchor
        ai = ANCHORS.index(anchor)
        ar, ac = divmod(ai, 3)
        for i, name in enumerate(ANCHORS):
            r, c = divmod(i, 3)
            button = self.buttons[name]
            button.setChecked(i == ai)
            button.setText("●" if i == ai else _ARROWS.get((c - ac, r - ar), ""))
        if changed:
            self.changed.emit(anchor)


EXTENSION_COLOURS = ("Transparent", "Foreground", "Background", "White", "Black", "Gray", "Other…")


class CanvasSizeDialog(QDialog):
    """Image > Canvas Size: new width and height (or relative), a 3×3 anchor, extension colour."""

    def __init__(self, width: int, height: int, parent: QWidget | None = None, *,
                 foreground: QColor | None = None, background: QColor | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Canvas Size")
        self.setObjectName("canvasSizeDialog")
        self.original = (width, height)
        self.foreground = QColor(foreground or QColor(0, 0, 0))
        self.background = QColor(background or QColor(255, 255, 255))
        self.other = QColor(255, 255, 255)
        self.width_spin, self.height_spin = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, value in ((self.width_spin, width), (self.height_spin, height)):
            spin.setDecimals(0)
            spin.setSuffix(" px")
            spin.setRange(1, MAX_CANVAS_SIDE)
            spin.setValue(value)
            spin.valueChanged.connect(self._summarise)
        self.relative = QCheckBox("Relative")
        self.relative.toggled.connect(self._relative_toggled)
        self.anchor = AnchorWidget()
        self.extension = QComboBox()
        self.extension.addItems(EXTENSION_COLOURS)
        self.extension.activated.connect(self._extension_chosen)
        self.summary = QLabel()
        current = QGroupBox("Current size")
        QVBoxLayout(current).addWidget(QLabel(f"{width} × {height} px"))
        new = QGroupBox("New size")
        form = QFormLayout(new)
        form.addRow("Width", self.width_spin)
        form.addRow("Height", self.height_spin)
        form.addRow("", self.relative)
        anchor_row = QHBoxLayout()
        anchor_row.addWidget(self.anchor)
        anchor_row.addStretch(1)
        form.addRow("Anchor", anchor_row)
        form.addRow("Result", self.summary)
        extension = QFormLayout()
        extension.addRow("Canvas extension colour", self.extension)
        layout = QVBoxLayout(self)
        layout.addWidget(current)
        layout.addWidget(new)
        layout.addLayout(extension)
        layout.addWidget(_buttons(self))
        self._summarise()

    def _relative_toggled(self, on: bool) -> None:
        w, h = round(self.width_spin.value()), round(self.height_spin.value())  # as they were before the toggle
        if not on:
            w, h = w + self.original[0], h + self.original[1]
        for spin, absolute, orig in ((self.width_spin, w, self.original[0]), (self.height_spin, h, self.original[1])):
            spin.blockSignals(True)
            spin.setRange(1 - orig if on else 1, MAX_CANVAS_SIDE - orig if on else MAX_CANVAS_SIDE)
            spin.setValue(absolute - orig if on else absolute)
            spin.blockSignals(False)
        self._summarise()

    def _extension_chosen(self, row: int) -> None:
        if EXTENSION_COLOURS[row] == "Other…":
            colour = QColorDialog.getColor(self.other, self, "Canvas extension colour")
            if colour.isValid():
                self.other = colour

    def size(self) -> tuple[int, int]:
        w, h = round(self.width_spin.value()), round(self.height_spin.value())
        if self.relative.isChecked():
            w, h = w + self.original[0], h + self.original[1]
        return max(1, w), max(1, h)

    def set_size(self, width: int, height: int) -> None:
        """Absolute new size, whatever the Relative box says."""
        if self.relative.isChecked():
            width, height = width - self.original[0], height - self.original[1]
        self.width_spin.setValue(width)
        self.height_spin.setValue(height)

    def _summarise(self) -> None:
        w, h = self.size()
        self.summary.setText(f"{w} × {h} px")

    def fill(self) -> tuple[int, int, int, int] | None:
        """The straight RGBA the canvas gains, or None for transparent."""
        choice = EXTENSION_COLOURS[self.extension.currentIndex()]
        colour = {"Transparent": None, "Foreground": self.foreground, "Background": self.background,
                  "White": QColor(255, 255, 255), "Black": QColor(0, 0, 0), "Gray": QColor(128, 128, 128),
                  "Other…": self.other}[choice]
        if colour is None:
            return None
        return (colour.red(), colour.green(), colour.blue(), 255)

    def values(self) -> tuple[int, int, str, tuple[int, int, int, int] | None]:
        w, h = self.size()
        return w, h, self.anchor.anchor, self.fill()


# --- Rotate Canvas: Arbitrary ------------------------------------------------------------------

class RotateDialog(QDialog):
    """Image > Image Rotation > Arbitrary: an angle, clockwise or counter-clockwise, resampling."""

    def __init__(self, parent: QWidget | None = None, angle: float = 0.0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rotate Canvas")
        self.setObjectName("rotateDialog")
        self.angle = QDoubleSpinBox()
        self.angle.setRange(-359.99, 359.99)
        self.angle.setDecimals(2)
        self.angle.setSuffix(" °")
        self.angle.setValue(angle)
        self.clockwise = QRadioButton("Clockwise")
        self.counter = QRadioButton("Counter-clockwise")
        self.clockwise.setChecked(True)
        direction = QHBoxLayout()
        direction.addWidget(self.clockwise)
        direction.addWidget(self.counter)
        self.resample = resampling_combo("bicubic", ("nearest", "bilinear", "bicubic", "lanczos"))
        form = QFormLayout()
        form.addRow("Angle", self.angle)
        form.addRow("", direction)
        form.addRow("Resample", self.resample)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("The canvas grows to hold the whole rotated picture."))
        layout.addWidget(_buttons(self))

    def values(self) -> tuple[float, str]:
        """The clockwise angle in degrees and the resampling."""
        a = self.angle.value()
        return (a if self.clockwise.isChecked() else -a), self.resample.currentData()


# --- Trim ----------------------------------------------------------------------------------------

class TrimDialog(QDialog):
    """Image > Trim: based on transparent pixels or the top-left pixel's colour; which sides."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trim")
        self.setObjectName("trimDialog")
        based = QGroupBox("Based on")
        self.transparent = QRadioButton("Transparent pixels")
        self.top_left = QRadioButton("Top left pixel colour")
        self.transparent.setChecked(True)
        col = QVBoxLayout(based)
        col.addWidget(self.transparent)
        col.addWidget(self.top_left)
        away = QGroupBox("Trim away")
        self.sides: dict[str, QCheckBox] = {}
        row = QHBoxLayout(away)
        for side in ("top", "bottom", "left", "right"):
            box = QCheckBox(side.capitalize())
            box.setChecked(True)
            row.addWidget(box)
            self.sides[side] = box
        layout = QVBoxLayout(self)
        layout.addWidget(based)
        layout.addWidget(away)
        layout.addWidget(_buttons(self))

    def values(self) -> tuple[str, tuple[str, ...]]:
        based_on = "transparent" if self.transparent.isChecked() else "top_left_color"
        return based_on, tuple(s for s, box in self.sides.items() if box.isChecked())


__all__ = ["AnchorWidget", "CanvasSizeDialog", "ImageSizeDialog", "RESAMPLING", "RotateDialog", "TrimDialog",
           "resampling_combo"]
