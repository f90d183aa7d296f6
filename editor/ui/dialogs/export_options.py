"""File > Export: choose the format and its options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
)

# (label for the file dialog, extensions); the first extension is the default.
EXPORT_FILTERS = (
    ("PNG image (*.png)", (".png",)),
    ("JPEG image (*.jpg *.jpeg)", (".jpg", ".jpeg")),
    ("WebP image (*.webp)", (".webp",)),
    ("TIFF image (*.tif *.tiff)", (".tif", ".tiff")),
    ("Photoshop, layered (*.psd)", (".psd",)),
    ("Photoshop large document, layered (*.psb)", (".psb",)),
    ("OpenRaster, masks flattened (*.flat.ora)", (".flat.ora",)),
)


@dataclass
class ExportOptions:
    quality: int = 90
    background: tuple[int, int, int] = (255, 255, 255)


def export_kind(path: str) -> str:
    """'image', 'psd' or 'flat-ora' from the chosen file name."""
    name = path.lower()
    if name.endswith((".psd", ".psb")):
        return "psd"
    if name.endswith(".ora"):
        return "flat-ora"
    return "image"


def with_extension(path: str, filter_label: str) -> str:
    """Append the filter's extension only when the user typed a name without a known one: a typed
    extension wins over the filter ("x.jpg" with the PNG filter exports a JPEG, not "x.jpg.png")."""
    name = path.lower()
    if any(name.endswith(e) for _label, exts in EXPORT_FILTERS for e in exts):
        return path
    for label, exts in EXPORT_FILTERS:
        if label == filter_label:
            return str(Path(path)) + exts[0]
    return path


def needs_options(path: str) -> bool:
    return Path(path).suffix.lower() in (".jpg", ".jpeg", ".webp")


class ExportOptionsDialog(QDialog):
    """Quality for JPEG/WebP and the background JPEG flattens onto."""

    def __init__(self, path: str, parent=None, options: ExportOptions | None = None) -> None:
        super().__init__(parent)
        self.options = options or ExportOptions()
        self.setWindowTitle(f"Export {Path(path).name}")
        self.quality = QSpinBox()
        self.quality.setRange(1, 100)
        self.quality.setValue(self.options.quality)
        self.color = QColor(*self.options.background)
        self.color_button = QPushButton()
        self._show_color()
        self.color_button.clicked.connect(self._pick)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Quality", self.quality)
        if Path(path).suffix.lower() in (".jpg", ".jpeg"):
            form.addRow("Background", self.color_button)
            form.addRow(QLabel("JPEG has no transparency: it is flattened onto this colour."))
        form.addRow(buttons)

    def _show_color(self) -> None:
        self.color_button.setText(self.color.name())
        self.color_button.setStyleSheet(f"background: {self.color.name()}; color: {'#000' if self.color.lightness() > 128 else '#fff'}")

    def _pick(self) -> None:
        color = QColorDialog.getColor(self.color, self, "Background colour")
        if color.isValid():
            self.color = color
            self._show_color()

    def result_options(self) -> ExportOptions:
        return ExportOptions(self.quality.value(), (self.color.red(), self.color.green(), self.color.blue()))
