"""File > New: canvas size, resolution and background."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPushButton,
    QSpinBox,
)

from editor.core import Document, Layer
from editor.core.document import MAX_CANVAS_SIDE

PRESETS = (
    ("Custom", None),
    ("Full HD 1920 × 1080", (1920, 1080)),
    ("4K UHD 3840 × 2160", (3840, 2160)),
    ("Square 2048 × 2048", (2048, 2048)),
    ("A4 300 ppi 2480 × 3508", (2480, 3508)),
    ("Product shot 2000 × 2000", (2000, 2000)),
)
BACKGROUNDS = ("White", "Transparent", "Colour…")


class NewDocumentDialog(QDialog):
    def __init__(self, parent=None, width: int = 1920, height: int = 1080) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Image")
        self.preset = QComboBox()
        for label, size in PRESETS:
            self.preset.addItem(label, size)
        self.preset.activated.connect(self._preset_chosen)
        self.width_spin = self._side(width)
        self.height_spin = self._side(height)
        self.resolution = QDoubleSpinBox()
        self.resolution.setRange(1, 10000)
        self.resolution.setValue(72)
        self.resolution.setSuffix(" ppi")
        self.background = QComboBox()
        self.background.addItems(BACKGROUNDS)
        self.color = QColor(255, 255, 255)
        self.color_button = QPushButton("Pick…")
        self.color_button.clicked.connect(self._pick_color)
        self.background.currentIndexChanged.connect(lambda i: self.color_button.setEnabled(i == 2))
        self.color_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Preset", self.preset)
        form.addRow("Width", self.width_spin)
        form.addRow("Height", self.height_spin)
        form.addRow("Resolution", self.resolution)
        form.addRow("Background", self.background)
        form.addRow("Colour", self.color_button)
        form.addRow(buttons)

    @staticmethod
    def _side(value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, MAX_CANVAS_SIDE)
        spin.setValue(value)
        spin.setSuffix(" px")
        return spin

    def _preset_chosen(self, row: int) -> None:
        size = self.preset.itemData(row)
        if size:
            self.width_spin.setValue(size[0])
            self.height_spin.setValue(size[1])

    def _pick_color(self) -> None:
        color = QColorDialog.getColor(self.color, self, "Background colour")
        if color.isValid():
            self.color = color

    def background_rgba(self) -> tuple[int, int, int, int] | None:
        """The background layer's colour; None for a transparent canvas."""
        choice = self.background.currentIndex()
        if choice == 1:
            return None
        c = self.color if choice == 2 else QColor(255, 255, 255)
        return (c.red(), c.green(), c.blue(), 255)

    def document(self) -> Document:
        return new_document(self.width_spin.value(), self.height_spin.value(), self.resolution.value(), self.background_rgba())


def new_document(width: int, height: int, resolution: float = 72.0, background: tuple[int, int, int, int] | None = (255, 255, 255, 255)) -> Document:
    """A new document with one layer, filled with `background` or transparent; clean history."""
    doc = Document(width, height, resolution=resolution)
    pixels = np.zeros((height, width, 4), np.uint8)
    if background is not None:
        pixels[...] = background
    layer = Layer("Background" if background is not None else "Layer 1", pixels)
    doc.root.insert(0, layer)
    doc.active = layer
    return doc
