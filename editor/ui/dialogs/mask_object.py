"""Object Select: drag a rectangle on the preview (or Select Subject), add foreground and
background scribbles; OK runs GrabCut at full size in a worker with progress and cancel.

Scribbles are strokes in layer pixels saved with the generator's parameters, so Edit Mask
Generator reopens them and Re-run (or a batch recipe) repeats the same correction."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QWidget

from editor.core import Layer
from editor.masks.generators import apply_to_layer
from editor.masks.object_select import Cancelled, ObjectSelectParams, object_select, scribble_maps
from editor.masks.refine import RefineParams, refine_edge
from editor.masks.strokes import scaled_strokes

from ..jobs import JobCancelled
from .mask_preview import GeneratorDialog, dialog_for

MODES = ("Rectangle", "Foreground scribble", "Background scribble")
BRUSH = 4  # scribble radius on the preview, in preview pixels


@dialog_for("object")
class ObjectSelectDialog(GeneratorDialog):
    title = "Object Select"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, parent)
        p = ObjectSelectParams.from_dict(params or {})
        self.rect: tuple[int, int, int, int] | None = None  # in preview pixels
        if p.rect is not None:
            x, y, w, h = p.rect
            self.rect = (round(x * self.scale), round(y * self.scale), max(2, round(w * self.scale)), max(2, round(h * self.scale)))
        self.subject = p.subject
        self.scribbles: list[dict] = [dict(st) for st in p.scribbles]  # layer pixels
        self._anchor: tuple[int, int] | None = None
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        self.subject_button = QPushButton("Select Subject")
        self.subject_button.clicked.connect(self.select_subject)
        self.refine = QCheckBox("Refine edge (alpha matting)")
        self.refine.setChecked(bool((params or {}).get("refine_edge", False)))
        self.clear_scribbles = QPushButton("Clear scribbles")
        self.clear_scribbles.clicked.connect(self._clear_scribbles)
        self.form.addRow("Drag to draw", self.mode)
        self.form.addRow("", self.subject_button)
        self.form.addRow("", self.clear_scribbles)
        self.form.addRow("", self.refine)
        self.preview.pressed.connect(self._press)
        self.preview.dragged.connect(self._drag)
        self.preview.released.connect(self._release)
        self.job = None
        self.preview_mask[:] = 0

    # --- drawing on the preview ------------------------------------------------------------
    def _press(self, x: int, y: int, _modifiers) -> None:
        self._anchor = (x, y)
        if self.mode.currentText() != "Rectangle":
            background = self.mode.currentText() == "Background scribble"
            self.scribbles.append({"points": [], "size": (2 * BRUSH + 1) / self.scale, "background": background})
            self._scribble(x, y)

    def _drag(self, x: int, y: int) -> None:
        if self._anchor is None:
            return
        if self.mode.currentText() == "Rectangle":
            ax, ay = self._anchor
            self.rect = (min(ax, x), min(ay, y), abs(x - ax) + 1, abs(y - ay) + 1)
            self.subject = False
            self.redraw()
        else:
            self._scribble(x, y)

    def _release(self, x: int, y: int) -> None:
        self._drag(x, y)
        self._anchor = None
        self.schedule_preview()

    def _scribble(self, x: int, y: int) -> None:
        self.scribbles[-1]["points"].append([x / self.scale, y / self.scale])
        self.redraw()

    def _clear_scribbles(self) -> None:
        self.scribbles.clear()
        self.schedule_preview()

    def select_subject(self) -> None:
        self.rect, self.subject = None, True
        self.schedule_preview()

    def draw_marks(self, rgb: np.ndarray) -> None:
        if self.rect is not None:
            x, y, w, h = self.rect
            cv2.rectangle(rgb, (x, y), (x + w - 1, y + h - 1), (255, 200, 0), 1)
        fg, bg = scribble_maps(self.scribbles, rgb.shape[:2], self.scale)
        if fg is not None:
            rgb[fg > 0] = (0, 220, 0)
        if bg is not None:
            rgb[bg > 0] = (230, 0, 0)

    # --- parameters and running ------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        rect = None
        if self.rect is not None:
            x, y, w, h = self.rect
            rect = (round(x / self.scale), round(y / self.scale), max(1, round(w / self.scale)), max(1, round(h / self.scale)))
        out = ObjectSelectParams(rect=rect, subject=self.subject and rect is None, scribbles=self.scribbles).to_dict()
        out["refine_edge"] = self.refine.isChecked()
        return out

    def update_preview(self) -> None:
        self.preview_runs += 1
        if self.rect is None and not self.subject:
            self.redraw()
            return
        rect = self.rect if self.rect is None or (self.rect[2] > 2 and self.rect[3] > 2) else None
        params = ObjectSelectParams(rect=rect, subject=rect is None, work_pixels=self.small.shape[0] * self.small.shape[1],
                                    scribbles=scaled_strokes(self.scribbles, self.scale))  # the preview's pixels
        try:
            self.preview_mask = object_select(self.small, params)
        except ValueError as e:
            self.setToolTip(str(e))
        self.redraw()

    def accept(self) -> None:
        """Run at full size in a worker; the mask is set (one undo step) when it finishes."""
        if self.rect is None and not self.subject:
            self.setToolTip("Drag a rectangle around the object, or press Select Subject")
            return
        params, pixels = self.params(), self.source.copy()

        def work(progress, cancelled):
            try:
                refine = params["refine_edge"]
                mask = object_select(pixels, ObjectSelectParams.from_dict(params),
                                     progress=(lambda f: progress(f * (0.7 if refine else 1.0))), cancel=cancelled)
                if refine:
                    mask, _ = refine_edge(pixels, mask, RefineParams(), progress=lambda f: progress(0.7 + 0.3 * f), cancel=cancelled)
                return mask
            except Cancelled as e:
                raise JobCancelled() from e

        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(False)
        self.job = self.window_.jobs.run(work, label="Object select", on_done=self._finished,
                                         on_error=self._failed, on_cancel=self._cancelled)

    def _finished(self, mask: np.ndarray) -> None:
        self.job = None
        apply_to_layer(self.window_.document, self.layer, self.params(), data=mask)
        GeneratorDialog.done(self, GeneratorDialog.DialogCode.Accepted)

    def _failed(self, error: Exception) -> None:
        self.job = None
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(True)
        self.setToolTip(str(error))

    def _cancelled(self) -> None:
        self.job = None
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(True)

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()  # the document stays as it was; the worker stops between iterations
        super().reject()
