"""Chroma key, colour range and luminance threshold dialogs (live preview, OK is one undo step)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from editor.core import Layer
from editor.masks.chroma import DESPILL_MODES, ChromaKeyParams, despill
from editor.masks.color_range import ColorRangeParams
from editor.masks.generators import apply_to_layer, generate, to_selection
from editor.masks.luminance import LuminanceParams

from .mask_preview import GeneratorDialog, Slider


class ChromaKeyDialog(GeneratorDialog):
    """Green, blue or a key colour clicked on the preview; tolerance, softness, despill."""

    title = "Chroma Key"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, parent)
        p = ChromaKeyParams.from_dict(params or {})
        self.key = QComboBox()
        self.key.addItems(["green", "blue"])
        if p.key not in ("green", "blue"):
            self.key.addItem(p.key)
        self.key.setCurrentText(p.key)
        self.key.setToolTip("Click the preview to pick the key colour from the backdrop")
        self.key.currentTextChanged.connect(lambda _t: self.schedule_preview())
        self.tolerance = Slider(0.0, 0.9, p.tolerance, on_change=self.schedule_preview)
        self.softness = Slider(0.0, 1.0, p.softness, on_change=self.schedule_preview)
        self.even_light = QCheckBox("Even out backdrop lighting")
        self.even_light.setChecked(p.even_light)
        self.even_light.toggled.connect(lambda _c: self.schedule_preview())
        self.despill = QCheckBox("Remove spill (changes the layer's pixels)")
        self.despill.setChecked(p.despill)
        self.despill_mode = QComboBox()
        self.despill_mode.addItems(DESPILL_MODES)
        self.despill_mode.setCurrentText(p.despill_mode)
        self.despill.toggled.connect(lambda _c: self.redraw())
        self.despill_mode.currentTextChanged.connect(lambda _t: self.redraw())
        for label, widget in (("Key", self.key), ("Tolerance", self.tolerance), ("Softness", self.softness),
                              ("", self.even_light), ("", self.despill), ("Despill limit", self.despill_mode)):
            self.form.addRow(label, widget)
        self.view_mode.setCurrentText("Matte")
        self.preview.pressed.connect(self._pick)

    def _pick(self, x: int, y: int, _modifiers) -> None:
        h, w = self.small.shape[:2]
        r, g, b = (int(c) for c in self.small[min(y, h - 1), min(x, w - 1), :3])
        colour = f"#{r:02x}{g:02x}{b:02x}"
        if max(r, g, b) - sorted((r, g, b))[1] < 16:
            return  # too grey to key on; keep the current key
        if self.key.findText(colour) < 0:
            self.key.addItem(colour)
        self.key.setCurrentText(colour)

    def preview_pixels(self) -> np.ndarray:
        """With despill on, the preview shows the despilled colours OK will write."""
        if not self.despill.isChecked():
            return self.small[..., :3]
        return despill(self.small, self.key.currentText(), self.despill_mode.currentText())[..., :3]

    def params(self) -> dict[str, Any]:
        return ChromaKeyParams(self.key.currentText(), self.tolerance.value(), self.softness.value(),
                               self.even_light.isChecked(), self.despill.isChecked(),
                               self.despill_mode.currentText()).to_dict()


class ColorRangeDialog(GeneratorDialog):
    """Click the preview to sample (Shift+click adds a sample, Alt+click removes the nearest)."""

    title = "Colour Range"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, parent)
        self.range = ColorRangeParams.from_dict(params or {})
        self.fuzziness = Slider(1.0, 200.0, self.range.fuzziness, decimals=0, on_change=self.schedule_preview)
        self.samples_label = QLabel()
        self.output = QComboBox()
        self.output.addItems(["Layer mask", "Selection"])
        self.form.addRow("Fuzziness", self.fuzziness)
        self.form.addRow("Samples", self.samples_label)
        self.form.addRow("Result", self.output)
        # With nothing sampled yet the matte is black: show the photo so there is something to click.
        self.view_mode.setCurrentText("Matte" if self.range.samples else "Overlay")
        self.preview.pressed.connect(self.sample)
        self._show_samples()

    def sample(self, x: int, y: int, modifiers) -> None:
        h, w = self.small.shape[:2]
        rgb = tuple(int(c) for c in self.small[min(y, h - 1), min(x, w - 1), :3])
        if modifiers & Qt.KeyboardModifier.AltModifier:
            self.range.remove_sample(rgb)
        elif modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.range.add_sample(rgb)
        else:
            self.range.samples = [rgb]  # type: ignore[list-item]
        self._show_samples()
        self.schedule_preview()

    def _show_samples(self) -> None:
        self.samples_label.setText(" ".join(f"#{r:02x}{g:02x}{b:02x}" for r, g, b in self.range.samples) or "click the preview")

    def params(self) -> dict[str, Any]:
        self.range.fuzziness = self.fuzziness.value()
        return self.range.to_dict()

    def accept(self) -> None:
        if self.output.currentText() == "Selection":
            to_selection(self.window_.document, self.layer, generate(self.layer.pixels, self.params()))
        else:
            apply_to_layer(self.window_.document, self.layer, self.params())
        GeneratorDialog.done(self, GeneratorDialog.DialogCode.Accepted)


class LuminanceDialog(GeneratorDialog):
    title = "Mask from Luminance"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, parent)
        p = LuminanceParams.from_dict(params or {})
        self.threshold = Slider(0.0, 255.0, p.threshold, decimals=0, on_change=self.schedule_preview)
        self.softness = Slider(0.0, 128.0, p.softness, decimals=0, on_change=self.schedule_preview)
        self.invert = QCheckBox("Dark areas show")
        self.invert.setChecked(p.invert)
        self.invert.toggled.connect(lambda _c: self.schedule_preview())
        self.form.addRow("Threshold", self.threshold)
        self.form.addRow("Softness", self.softness)
        self.form.addRow("", self.invert)
        self.view_mode.setCurrentText("Matte")

    def params(self) -> dict[str, Any]:
        return LuminanceParams(self.threshold.value(), self.softness.value(), self.invert.isChecked()).to_dict()

