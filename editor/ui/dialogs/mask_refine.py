"""Refine Edge (Select and Mask): shape the active layer's mask edge, matte hair in the band,
decontaminate its colours; preview on black, white, as overlay or the mask alone."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PySide6.QtWidgets import QCheckBox, QWidget

from editor.core import Layer
from editor.masks.generators import apply_to_layer
from editor.masks.object_select import Cancelled
from editor.masks.refine import RefineParams, refine_edge

from ..jobs import JobCancelled
from .mask_preview import GeneratorDialog, Slider, dialog_for


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
        self.decontaminate = QCheckBox("Decontaminate colours (changes the layer's pixels)")
        self.decontaminate.setChecked(p.decontaminate)
        self.decontaminate.toggled.connect(lambda _c: self.schedule_preview())
        for label, widget in (("Edge radius", self.radius), ("Smooth", self.smooth), ("Feather", self.feather),
                              ("Contrast", self.contrast), ("Shift edge", self.shift), ("", self.matting),
                              ("", self.decontaminate)):
            self.form.addRow(label, widget)
        self.preview_mask = self.small_mask.copy()
        self.cleaned: np.ndarray | None = None  # decontaminated preview colours
        self.job = None
        self.view_mode.setCurrentText("On black")

    def refine_params(self, scale: float = 1.0) -> RefineParams:
        """The parameters, with lengths scaled for the preview."""
        return RefineParams(round(self.radius.value() * scale), self.smooth.value() * scale, self.feather.value() * scale,
                            self.contrast.value(), self.shift.value(), self.matting.isChecked(), self.decontaminate.isChecked())

    def params(self) -> dict[str, Any]:
        return {**self.refine_params().to_dict(), "base": self.base}

    def update_preview(self) -> None:
        self.preview_runs += 1
        mask, cleaned = refine_edge(self.small, self.small_mask, self.refine_params(self.scale))
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
