"""Chroma key, colour range and luminance threshold dialogs (live preview, OK is one undo step).

Chroma key and colour range also sample colours from the main canvas, where the user can zoom
in: see `CanvasEyedropper`.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import qtawesome as qta
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QCursor, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QLabel, QWidget

from editor.core import Change, Layer
from editor.masks.chroma import DESPILL_MODES, ChromaKeyParams, detect_screen
from editor.masks.color_range import ColorRangeParams
from editor.masks.generators import apply_to_layer, despill_for, generate, runs_slow, to_selection
from editor.masks.luminance import LuminanceParams

from .mask_preview import GeneratorDialog, Slider, dialog_for

CURSOR_SIDE = 24
SAMPLES_WIDTH = 240  # logical pixels: four samples a line


@cache
def eyedropper_cursor() -> QCursor:
    """mdi's eyedropper, white with a dark outline so it shows on any photo; the hot spot is its tip."""
    side = CURSOR_SIDE
    dark = qta.icon("mdi6.eyedropper", color="#000000").pixmap(side, side)
    light = qta.icon("mdi6.eyedropper", color="#ffffff").pixmap(side, side)
    pixmap = QPixmap(side + 2, side + 2)
    pixmap.setDevicePixelRatio(dark.devicePixelRatio())
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    for dx, dy in ((0, 1), (2, 1), (1, 0), (1, 2), (0, 0), (2, 2), (0, 2), (2, 0)):
        painter.drawPixmap(QPoint(dx, dy), dark)
    painter.drawPixmap(QPoint(1, 1), light)
    painter.end()
    tip = round(side * 4 / 24) + 1, round(side * 20 / 24) + 1  # the glyph's tip in its 24-unit box, past the outline
    return QCursor(pixmap, *tip)


class CanvasEyedropper:
    """Mixed into the colour-picking dialogs: a click on the main canvas samples the dialog's layer
    at that document pixel, with the same modifiers as a click on the preview (Photoshop's Colour
    Range and GIMP's Select by Color sample the image window, where the user can zoom in).

    So the dialog is shown without modality; while it is up the canvas shows an eyedropper and
    its tool gets no clicks. Only one such dialog is up at a time, and it closes (as Cancel) when
    its layer leaves the document or another document is opened, so OK never writes a mask into
    a document the layer is not part of.
    """

    window_: Any
    layer: Layer

    def use_colour(self, rgb: tuple[int, int, int], modifiers: Qt.KeyboardModifier) -> None:
        """A sampled colour, from the preview or the canvas."""
        raise NotImplementedError

    def open(self) -> None:
        """Shown, not window-modal (QDialog.open's default): the canvas must take the clicks."""
        self.setWindowModality(Qt.WindowModality.NonModal)  # type: ignore[attr-defined]
        self.show()  # type: ignore[attr-defined]

    def _canvas(self):
        return getattr(self.window_, "canvas", None)

    def showEvent(self, event) -> None:
        super().showEvent(event)  # type: ignore[misc]
        canvas = self._canvas()
        if canvas is None or canvas.sampler == self.sample_canvas:
            return
        for other in self.window_.findChildren(GeneratorDialog):
            if other is not self and isinstance(other, CanvasEyedropper) and other.isVisible():
                other.reject()
        self.document = self.window_.document
        self.document.events.connect(self._document_changed)
        canvas.document_replaced.connect(self.reject)  # type: ignore[attr-defined]
        canvas.set_sampler(self.sample_canvas, eyedropper_cursor())

    def hideEvent(self, event) -> None:
        canvas = self._canvas()
        if canvas is not None and canvas.sampler == self.sample_canvas:
            canvas.set_sampler(None)
            canvas.document_replaced.disconnect(self.reject)  # type: ignore[attr-defined]
            self.document.events.disconnect(self._document_changed)
        super().hideEvent(event)  # type: ignore[misc]

    def sample_canvas(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        ox, oy = self.layer.offset
        x, y = math.floor(pos.x()) - ox, math.floor(pos.y()) - oy
        h, w = self.source.shape[:2]
        if not (0 <= x < w and 0 <= y < h):
            self.window_.show_status(f"Click inside {self.layer.name} to sample its colours")
            return
        r, g, b, a = (int(c) for c in self.source[y, x])
        if a == 0:
            self.window_.show_status(f"{self.layer.name} is transparent there: no colour to sample")
            return
        self.use_colour((r, g, b), modifiers)

    def _document_changed(self, change: Change) -> None:
        if change.kind in ("structure", "document") and self.document.find(self.layer.uid) is None:
            self.reject()  # type: ignore[attr-defined]
        elif change.kind == "pixels" and change.node is self.layer:  # e.g. an undo: preview what OK would use
            self.shrink_layer()  # type: ignore[attr-defined]
            self.schedule_preview()  # type: ignore[attr-defined]


@dialog_for("chroma-key")
class ChromaKeyDialog(CanvasEyedropper, GeneratorDialog):
    """Green, blue or a key colour clicked on the preview or the image; tolerance, softness, despill."""

    title = "Chroma Key"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, parent)
        # A new key starts on the screen the picture's border shows; a re-run keeps its own.
        p = ChromaKeyParams.from_dict(params or {"key": detect_screen(self.source)})
        self.key = QComboBox()
        self.key.addItems(["green", "blue"])
        if p.key not in ("green", "blue"):
            self.key.addItem(p.key)
        self.key.setCurrentText(p.key)
        self.key.setToolTip("Click the backdrop on the image or the preview to pick the key colour")
        self.key.currentTextChanged.connect(lambda _t: self.schedule_preview())
        self.tolerance = Slider(0.0, 0.9, p.tolerance, on_change=self.schedule_preview)
        self.softness = Slider(0.0, 1.0, p.softness, on_change=self.schedule_preview)
        self.even_light = QCheckBox("Even out backdrop lighting")
        self.even_light.setChecked(p.even_light)
        self.even_light.toggled.connect(lambda _c: self.schedule_preview())
        self.hold_core = QCheckBox("Keep the subject's inside opaque")
        self.hold_core.setToolTip("Colours far from the screen behind them (a greenish garment, a dark area with "
                                  "green spill) stay opaque; strands and soft edges keep their soft alpha")
        self.hold_core.setChecked(p.hold_core)
        self.hold_core.toggled.connect(lambda _c: self.schedule_preview())
        self.band_matting = QCheckBox("Matte the soft edge (slower)")
        self.band_matting.setToolTip("Re-estimate the soft edge against the backdrop and the subject beside it, "
                                     "so spill-cast edges are not keyed part-transparent; OK runs in the background")
        self.band_matting.setChecked(p.band_matting)
        self.band_matting.toggled.connect(lambda _c: self.schedule_preview())
        self.job = None
        self.despill = QCheckBox("Remove spill (changes the layer's pixels)")
        self.despill.setChecked(p.despill)
        self.despill_mode = QComboBox()
        self.despill_mode.addItems(DESPILL_MODES)
        self.despill_mode.setCurrentText(p.despill_mode)
        self.despill.toggled.connect(lambda _c: self.redraw())
        self.despill_mode.currentTextChanged.connect(lambda _t: self.redraw())
        for label, widget in (("Key", self.key), ("Tolerance", self.tolerance), ("Softness", self.softness),
                              ("", self.even_light), ("", self.hold_core), ("", self.band_matting), ("", self.despill),
                              ("Despill limit", self.despill_mode)):
            self.form.addRow(label, widget)
        self.view_mode.setCurrentText("Matte")
        self.preview.pressed.connect(self._pick)

    def _pick(self, x: int, y: int, modifiers) -> None:
        h, w = self.small.shape[:2]
        r, g, b = (int(c) for c in self.small[min(y, h - 1), min(x, w - 1), :3])
        self.use_colour((r, g, b), modifiers)

    def use_colour(self, rgb: tuple[int, int, int], _modifiers=None) -> None:
        r, g, b = rgb
        colour = f"#{r:02x}{g:02x}{b:02x}"
        if max(r, g, b) - sorted((r, g, b))[1] < 16:
            self.window_.show_status(f"{colour} is too grey to key on; the key stays {self.key.currentText()}")
            return
        if self.key.findText(colour) < 0:
            self.key.addItem(colour)
        self.key.setCurrentText(colour)

    def preview_pixels(self) -> np.ndarray:
        """With despill on, the preview shows the despilled colours OK will write."""
        despilled = despill_for(self.small, self.params())
        return (self.small if despilled is None else despilled)[..., :3]

    def params(self) -> dict[str, Any]:
        return ChromaKeyParams(self.key.currentText(), self.tolerance.value(), self.softness.value(),
                               self.even_light.isChecked(), self.despill.isChecked(),
                               self.despill_mode.currentText(), hold_core=self.hold_core.isChecked(),
                               band_matting=self.band_matting.isChecked()).to_dict()

    def accept(self) -> None:
        """At once when the key is fast; with band matting, in a worker with progress (the mask is
        set, one undo step, when it finishes; Cancel drops it)."""
        params = self.params()
        if not runs_slow(params):
            GeneratorDialog.accept(self)
            return
        pixels = self.source.copy()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.job = self.window_.jobs.run(lambda progress, _cancelled: generate(pixels, params, progress=progress),
                                         label=self.title, on_done=lambda mask: self._finished(params, mask),
                                         on_error=self._failed, on_cancel=self._failed)

    def _finished(self, params: dict[str, Any], mask: np.ndarray) -> None:
        self.job = None
        if self.layer.parent is not None:
            apply_to_layer(self.window_.document, self.layer, params, data=mask)
        GeneratorDialog.done(self, GeneratorDialog.DialogCode.Accepted)

    def _failed(self, error: Exception | None = None) -> None:
        self.job = None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        if error is not None:
            self.setToolTip(str(error))

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()  # the key has no cancel points: its result is dropped when it arrives
        super().reject()


@dialog_for("color-range")
class ColorRangeDialog(CanvasEyedropper, GeneratorDialog):
    """Click the image or the preview to sample (Shift+click adds a sample, Alt+click removes the nearest)."""

    title = "Colour Range"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, parent)
        self.range = ColorRangeParams.from_dict(params or {})
        self.fuzziness = Slider(1.0, 200.0, self.range.fuzziness, decimals=0, on_change=self.schedule_preview)
        self.samples_label = QLabel()
        self.samples_label.setWordWrap(True)  # many Shift+clicks wrap instead of widening the dialog over the image
        self.samples_label.setFixedWidth(SAMPLES_WIDTH)
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
        r, g, b = (int(c) for c in self.small[min(y, h - 1), min(x, w - 1), :3])
        self.use_colour((r, g, b), modifiers)

    def use_colour(self, rgb: tuple[int, int, int], modifiers: Qt.KeyboardModifier) -> None:
        if modifiers & Qt.KeyboardModifier.AltModifier:
            self.range.remove_sample(rgb)
        elif modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.range.add_sample(rgb)
        else:
            self.range.samples = [rgb]  # type: ignore[list-item]
        self._show_samples()
        self.schedule_preview()

    def _show_samples(self) -> None:
        chips = (f'<span style="color:#{r:02x}{g:02x}{b:02x}">\u25a0</span>&nbsp;#{r:02x}{g:02x}{b:02x}'
                 for r, g, b in self.range.samples)
        self.samples_label.setText(" ".join(chips) or "click the image or the preview")
        # nothing sampled selects nothing: OK would only write an all-black mask
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.range.samples))

    def params(self) -> dict[str, Any]:
        self.range.fuzziness = self.fuzziness.value()
        return self.range.to_dict()

    def accept(self) -> None:
        if self.output.currentText() == "Selection":
            to_selection(self.window_.document, self.layer, generate(self.source, self.params()))
        else:
            apply_to_layer(self.window_.document, self.layer, self.params())
        GeneratorDialog.done(self, GeneratorDialog.DialogCode.Accepted)


@dialog_for("luminance")
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

