"""Refine Edge (Select and Mask): shape the active layer's mask edge, matte hair in the band,
decontaminate its colours by an amount; preview on black, white, as overlay or the mask alone.

Dragging on the preview is Photoshop's Refine Radius tool: it paints where the band should be
wider; Erase Refinements (or Alt) narrows it back. Strokes are kept in layer pixels with the
generator's parameters, so Edit Mask Generator reopens them.

Output to, as Photoshop offers it: the layer's own mask (decontaminated colours written into the
layer's pixels, in the same undo step), or a new layer with the mask and the cleaned colours above
the original, which is hidden and left untouched (Photoshop's choice once Decontaminate is on)."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QWidget

from editor.core import Layer
from editor.masks.generators import apply_to_layer, apply_to_new_layer
from editor.masks.object_select import Cancelled
from editor.masks.refine import (
    PAINTED,
    RefineParams,
    radius_strokes_map,
    refine_edge,
    refine_preview,
)

from ..jobs import JobCancelled
from .mask_preview import GeneratorDialog, Slider, dialog_for

LAYER_MASK, NEW_LAYER = "Layer mask", "New layer with layer mask"


@dialog_for("refine-edge")
class RefineEdgeDialog(GeneratorDialog):
    title = "Refine Edge"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        if layer.mask is None:
            raise ValueError(f"{layer.name} has no mask to refine")
        super().__init__(window, layer, parent)
        p = RefineParams.from_dict(params or {})
        previous = layer.mask.generator or {}
        # Re-running a refined mask re-runs what made it, then refines: keep that generator.
        self.base = (params or {}).get("base") or (previous.get("base") if previous.get("kind") == "refine-edge" else previous) or None
        size = (self.small.shape[1], self.small.shape[0])
        self.small_mask = cv2.resize(layer.mask.data, size, interpolation=cv2.INTER_AREA) if self.scale < 1 else layer.mask.data.copy()
        self.radius = Slider(0, 64, p.radius, decimals=0, on_change=self.schedule_preview)
        self.smooth = Slider(0.0, 10.0, p.smooth, decimals=1, on_change=self.schedule_preview)
        self.feather = Slider(0.0, 20.0, p.feather, decimals=1, on_change=self.schedule_preview)
        self.contrast = Slider(0.0, 1.0, p.contrast, on_change=self.schedule_preview)
        self.shift = Slider(-1.0, 1.0, p.shift_edge, on_change=self.schedule_preview)
        self.matting = QCheckBox("Alpha matting in the edge band (hair, fur)")
        self.matting.setChecked(p.matting)
        self.matting.toggled.connect(lambda _c: self.schedule_preview())
        self.decontaminate = QCheckBox("Decontaminate colours")
        self.decontaminate.setChecked(p.decontaminate)
        self.decontaminate.toggled.connect(lambda _c: self.schedule_preview())
        self.amount = Slider(0, 100, p.decontaminate_amount * 100, decimals=0, on_change=self.schedule_preview)
        self.amount.setEnabled(p.decontaminate)  # greyed out until Decontaminate is on, as in Photoshop
        self.decontaminate.toggled.connect(self.amount.setEnabled)
        self.output = QComboBox()
        self.output.addItem(LAYER_MASK)
        if isinstance(layer, Layer):  # a fill layer or a group has no pixels of its own to copy
            self.output.addItem(NEW_LAYER)
            self.decontaminate.toggled.connect(lambda on: on and self.output.setCurrentText(NEW_LAYER))
        h, w = self.source.shape[:2]
        self.brush = Slider(1, max(64, max(h, w) // 8), p.radius_strokes[-1]["size"] if p.radius_strokes
                            else max(8, max(h, w) // 40), decimals=0)
        self.strokes: list[dict] = [dict(st) for st in p.radius_strokes]
        self.erase = QCheckBox("Erase refinements (or hold Alt)")  # Photoshop's Erase Refinements tool
        self.clear_strokes = QPushButton("Clear radius strokes")
        self.clear_strokes.clicked.connect(self._clear_strokes)
        for label, widget in (("Edge radius", self.radius), ("Smooth", self.smooth), ("Feather", self.feather),
                              ("Contrast", self.contrast), ("Shift edge", self.shift), ("", self.matting),
                              ("", self.decontaminate), ("Decontaminate amount (%)", self.amount),
                              ("Refine radius brush", self.brush), ("", self.erase), ("", self.clear_strokes),
                              ("Output to", self.output)):
            self.form.addRow(label, widget)
        self.preview.setToolTip("Paint where the edge band should be wider (Alt: erase)")
        self.preview.pressed.connect(self._press)
        self.preview.dragged.connect(self._drag)
        self.preview.released.connect(lambda _x, _y: self.schedule_preview())
        self.preview_mask = self.small_mask.copy()
        self.cleaned: np.ndarray | None = None  # decontaminated preview colours
        self.job = None
        self.view_mode.setCurrentText("On black")

    def refine_params(self) -> RefineParams:
        return RefineParams(round(self.radius.value()), self.smooth.value(), self.feather.value(), self.contrast.value(),
                            self.shift.value(), self.matting.isChecked(), self.decontaminate.isChecked(),
                            self.amount.value() / 100.0, self.strokes)

    def params(self) -> dict[str, Any]:
        return {**self.refine_params().to_dict(), "base": self.base}

    # --- refine radius brush ----------------------------------------------------------
    def _press(self, x: int, y: int, modifiers) -> None:
        erase = self.erase.isChecked() != bool(modifiers & Qt.KeyboardModifier.AltModifier)  # Alt flips the tool
        self.strokes.append({"points": [list(self.full_res(x, y))], "size": self.brush.value(), "erase": erase})
        self.redraw()

    def _drag(self, x: int, y: int) -> None:
        if self.strokes:
            self.strokes[-1]["points"].append(list(self.full_res(x, y)))
            self.redraw()

    def _clear_strokes(self) -> None:
        self.strokes.clear()
        self.schedule_preview()

    def draw_marks(self, rgb: np.ndarray) -> None:
        """Tint where the strokes widen the band, as Photoshop shows the refine radius."""
        if not self.strokes:
            return
        painted = radius_strokes_map(self.strokes, rgb.shape[:2], self.scale) == PAINTED
        rgb[painted] = (rgb[painted] * 0.55 + np.array([40, 200, 90]) * 0.45).astype(np.uint8)

    def update_preview(self) -> None:
        self.preview_runs += 1
        mask, cleaned = refine_preview(self.small, self.small_mask, self.refine_params(), self.scale)
        self.preview_mask, self.cleaned = mask, cleaned
        self.redraw()

    def preview_pixels(self) -> np.ndarray:
        return (self.cleaned if self.cleaned is not None else self.small)[..., :3]

    def accept(self) -> None:
        params, pixels, mask = self.params(), self.source.copy(), self.layer.mask.data.copy()

        def work(progress, cancelled):
            try:
                return refine_edge(pixels, mask, RefineParams.from_dict(params), progress=progress, cancel=cancelled)
            except Cancelled as e:
                raise JobCancelled() from e

        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(False)
        self.job = self.window_.jobs.run(work, label="Refine edge", on_done=self._finished,
                                         on_error=self._failed, on_cancel=self._failed)

    def _finished(self, result: tuple[np.ndarray, np.ndarray | None]) -> None:
        self.job = None
        mask, cleaned = result
        if self.output.currentText() == NEW_LAYER:
            apply_to_new_layer(self.window_.document, self.layer, self.params(), mask, cleaned)
        else:
            apply_to_layer(self.window_.document, self.layer, self.params(), data=mask, new_pixels=cleaned)
        GeneratorDialog.done(self, GeneratorDialog.DialogCode.Accepted)

    def _failed(self, error: Exception | None = None) -> None:
        self.job = None
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(True)
        if error is not None:
            self.setToolTip(str(error))

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        super().reject()
