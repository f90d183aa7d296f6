"""Edit > Fill… and Edit > Stroke… dialogs (Photoshop's): what to paint, how, and for Stroke where."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.core import BlendMode
from editor.core.blend import MENU_GROUPS

# Photoshop's Contents list.
CONTENTS = (("foreground", "Foreground Colour"), ("background", "Background Colour"), ("colour", "Colour…"),
            ("black", "Black"), ("grey", "50 % Grey"), ("white", "White"))
FIXED = {"black": (0, 0, 0), "grey": (128, 128, 128), "white": (255, 255, 255)}
LOCATIONS = (("inside", "Inside"), ("center", "Centre"), ("outside", "Outside"))


@dataclass
class FillChoice:
    contents: str = "foreground"
    colour: tuple[int, int, int] = (0, 0, 0)  # for "colour"
    opacity: float = 1.0
    mode: BlendMode = BlendMode.NORMAL
    preserve_transparency: bool = False

    def rgb(self, fg: QColor, bg: QColor) -> tuple[int, int, int]:
        if self.contents == "foreground":
            return fg.red(), fg.green(), fg.blue()
        if self.contents == "background":
            return bg.red(), bg.green(), bg.blue()
        if self.contents == "colour":
            return self.colour
        return FIXED[self.contents]


@dataclass
class StrokeChoice:
    width: int = 3
    colour: tuple[int, int, int] = (0, 0, 0)
    location: str = "center"
    opacity: float = 1.0
    mode: BlendMode = BlendMode.NORMAL
    preserve_transparency: bool = False


def _mode_combo(mode: BlendMode) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("mode")
    for k, group in enumerate(MENU_GROUPS):
        if k:
            combo.insertSeparator(combo.count())
        for m in group:
            combo.addItem(m.label, m)
    combo.setCurrentIndex(combo.findData(mode))
    return combo


def _opacity_spin(value: float) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName("opacity")
    spin.setRange(0, 100)
    spin.setSuffix(" %")
    spin.setValue(round(value * 100))
    return spin


class ColourButton(QPushButton):
    """A swatch that opens the colour dialog."""

    def __init__(self, rgb: tuple[int, int, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(64)
        self.set_rgb(rgb)
        self.clicked.connect(self.pick)

    def set_rgb(self, rgb) -> None:
        self.rgb = tuple(int(c) for c in rgb)
        pix = QPixmap(44, 16)
        pix.fill(QColor(*self.rgb))
        self.setIcon(QIcon(pix))
        self.setIconSize(pix.size())

    def pick(self) -> None:
        colour = QColorDialog.getColor(QColor(*self.rgb), self.window(), "Choose a colour")
        if colour.isValid():
            self.set_rgb((colour.red(), colour.green(), colour.blue()))


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class FillDialog(QDialog):
    def __init__(self, choice: FillChoice, *, on_mask: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fill")
        self.setObjectName("fillDialog")
        self.contents = QComboBox()
        self.contents.setObjectName("contents")
        for key, label in CONTENTS:
            self.contents.addItem(label, key)
        self.contents.setCurrentIndex(self.contents.findData(choice.contents))
        self.colour = ColourButton(choice.colour)
        self.colour.setObjectName("colour")
        self.contents.activated.connect(self._contents_chosen)
        self.mode = _mode_combo(choice.mode)
        self.opacity = _opacity_spin(choice.opacity)
        self.preserve = QCheckBox("Preserve Transparency")
        self.preserve.setObjectName("preserve")
        self.preserve.setChecked(choice.preserve_transparency and not on_mask)
        self.preserve.setEnabled(not on_mask)
        if on_mask:
            self.preserve.setToolTip("A mask has no transparency: the fill paints its grey")
        row = QHBoxLayout()
        row.addWidget(self.contents, 1)
        row.addWidget(self.colour)
        form = QFormLayout()
        form.addRow("Contents", row)
        form.addRow("Mode", self.mode)
        form.addRow("Opacity", self.opacity)
        form.addRow(self.preserve)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(_buttons(self))
        self._contents_chosen()

    def _contents_chosen(self, _index: int | None = None) -> None:
        is_colour = self.contents.currentData() == "colour"
        self.colour.setVisible(is_colour)
        if is_colour and _index is not None:
            self.colour.pick()

    def choice(self) -> FillChoice:
        return FillChoice(self.contents.currentData(), self.colour.rgb, self.opacity.value() / 100.0,
                          BlendMode(self.mode.currentData()), self.preserve.isChecked())


class StrokeDialog(QDialog):
    def __init__(self, choice: StrokeChoice, *, on_mask: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Stroke")
        self.setObjectName("strokeDialog")
        self.width_ = QSpinBox()
        self.width_.setObjectName("width")
        self.width_.setRange(1, 250)
        self.width_.setSuffix(" px")
        self.width_.setValue(choice.width)
        self.colour = ColourButton(choice.colour)
        self.colour.setObjectName("colour")
        self.locations = QButtonGroup(self)
        self.location_buttons: dict[str, QRadioButton] = {}
        loc_row = QHBoxLayout()
        for key, label in LOCATIONS:
            button = QRadioButton(label)
            button.setObjectName(f"location_{key}")
            self.locations.addButton(button)
            self.location_buttons[key] = button
            loc_row.addWidget(button)
        self.location_buttons[choice.location].setChecked(True)
        self.mode = _mode_combo(choice.mode)
        self.opacity = _opacity_spin(choice.opacity)
        self.preserve = QCheckBox("Preserve Transparency")
        self.preserve.setChecked(choice.preserve_transparency and not on_mask)
        self.preserve.setEnabled(not on_mask)
        form = QFormLayout()
        form.addRow("Width", self.width_)
        form.addRow("Colour", self.colour)
        form.addRow("Location", loc_row)
        form.addRow("Mode", self.mode)
        form.addRow("Opacity", self.opacity)
        form.addRow(self.preserve)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(_buttons(self))

    def choice(self) -> StrokeChoice:
        location = next(k for k, b in self.location_buttons.items() if b.isChecked())
        return StrokeChoice(self.width_.value(), self.colour.rgb, location, self.opacity.value() / 100.0,
                            BlendMode(self.mode.currentData()), self.preserve.isChecked())
