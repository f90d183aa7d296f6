"""The dialog of a mask made by a segmentation model (Edit Mask Generator on such a mask).

Select Subject's mask reopens with its model and edge refinement; an object
selection's mask reopens with its model and its prompts drawn on the
preview, where a click adds a point on the object, Alt+click a point off it
and a drag a box. The preview of an object mask decodes the prompts on an
embedding of the preview-sized picture (computed once, in a worker); OK runs
the model at full resolution in a worker and sets the mask, remembering the
model's file hash, as one undo step.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QWidget

from editor.core import Layer
from editor.masks.generators import apply_to_layer
from editor.masks.models import ModelError, ObjectParams, SubjectParams, scan, select_subject
from editor.masks.models.prompt import ADD, REMOVE, decode, embed, select_object
from editor.masks.object_select import Cancelled

from ..jobs import JobCancelled
from .mask_preview import GeneratorDialog, dialog_for

MARK = 4  # a prompt point's radius on the preview


class _ModelDialog(GeneratorDialog):
    kind = ""  # the generator
    model_kind = ""  # the registry's kind of model it needs

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, parent)
        self.stored = dict(params or {})
        self.model = QComboBox()
        for info in scan()[0]:
            if info.kind == self.model_kind:
                self.model.addItem(info.name, info)
        wanted = self.model.findText(str(self.stored.get("model", "")))
        if wanted >= 0:
            self.model.setCurrentIndex(wanted)
        self.form.addRow("Model", self.model)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.form.addRow(self.note)
        if self.model.count() == 0:
            self.note.setText("No such model is installed: see Edit > Preferences > Models.")
        self.job = None
        if layer.mask is not None and layer.mask.data.shape == layer.pixels.shape[:2]:
            self.preview_mask = cv2.resize(layer.mask.data, self.small.shape[1::-1], interpolation=cv2.INTER_AREA)

    def info(self):
        return self.model.currentData()

    # --- OK: the full-resolution run --------------------------------------------------------
    def run(self, pixels: np.ndarray, params: dict[str, Any], info, progress, cancelled) -> np.ndarray:
        raise NotImplementedError

    def accept(self) -> None:
        info = self.info()
        if info is None:
            self.note.setText("Choose a model first (Edit > Preferences > Models lists what was found).")
            return
        try:
            params = self.params()
        except ValueError as e:
            self.note.setText(str(e))
            return
        pixels = self.layer.pixels.copy()

        def work(progress, cancelled):
            try:
                digest = info.sha256()
                return self.run(pixels, params, info, progress, cancelled), digest
            except Cancelled as e:
                raise JobCancelled() from e

        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(False)
        self.job = self.window_.jobs.run(work, label=self.title, on_done=lambda r: self._finished(params, *r),
                                         on_error=self._failed, on_cancel=self._cancelled)

    def _finished(self, params: dict[str, Any], mask: np.ndarray, digest: str) -> None:
        self.job = None
        if self.layer.parent is not None:
            apply_to_layer(self.window_.document, self.layer, {**params, "sha256": digest}, data=mask)
        GeneratorDialog.done(self, GeneratorDialog.DialogCode.Accepted)

    def _failed(self, error: Exception) -> None:
        self.job = None
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(True)
        self.note.setText(str(error) if isinstance(error, ModelError | ValueError) else f"Failed: {error}")

    def _cancelled(self) -> None:
        self.job = None
        self.buttons.button(self.buttons.StandardButton.Ok).setEnabled(True)

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        super().reject()

    def update_preview(self) -> None:  # the preview shows the mask as it is until a model has run on it
        self.preview_runs += 1
        self.redraw()


@dialog_for("model-subject")
class SubjectModelDialog(_ModelDialog):
    title = "Select Subject (model)"
    kind = "model-subject"
    model_kind = "salient"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, params, parent)
        self.refine = QCheckBox("Refine the edge at full resolution")
        self.refine.setChecked(bool(self.stored.get("refine", True)))
        self.form.addRow("", self.refine)

    def params(self) -> dict[str, Any]:
        info = self.info()
        return SubjectParams(info.name if info else str(self.stored.get("model", "")), self.refine.isChecked(),
                             str(self.stored.get("filters", "fast"))).to_dict()

    def run(self, pixels, params, info, progress, cancelled):
        return select_subject(pixels, SubjectParams.from_dict(params), progress=progress, cancel=cancelled, model=info)


@dialog_for("model-object")
class ObjectModelDialog(_ModelDialog):
    title = "Object Selection (model)"
    kind = "model-object"
    model_kind = "prompt"

    def __init__(self, window, layer: Layer, params: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(window, layer, params, parent)
        self.points: list[tuple[float, float, int]] = []  # layer pixels
        self.box: tuple[float, float, float, float] | None = None
        if self.stored.get("points") or self.stored.get("box"):
            p = ObjectParams.from_dict({**self.stored, "model": self.stored.get("model") or "?"})
            self.points, self.box = list(p.points), p.box
        self.form.addRow(QLabel("Click: on the object · Alt+click: not on it · drag: a box"))
        clear = QPushButton("Clear Prompts")
        clear.clicked.connect(self.clear_prompts)
        self.form.addRow("", clear)
        self.preview.pressed.connect(self._press)
        self.preview.dragged.connect(self._drag)
        self.preview.released.connect(self._release)
        self._anchor: tuple[int, int, bool] | None = None
        self._drag_box: tuple[int, int, int, int] | None = None
        self.embedding = None  # of the preview-sized picture, for the preview only
        self.embed_job = None
        self.model.currentIndexChanged.connect(lambda _i: self._new_model())

    # --- prompts on the preview ---------------------------------------------------------------
    def _press(self, x: int, y: int, modifiers) -> None:
        self._anchor = (x, y, bool(modifiers & Qt.KeyboardModifier.AltModifier))
        self._drag_box = None

    def _drag(self, x: int, y: int) -> None:
        if self._anchor is None:
            return
        ax, ay, _ = self._anchor
        if abs(x - ax) + abs(y - ay) >= 4:
            self._drag_box = (min(ax, x), min(ay, y), abs(x - ax) + 1, abs(y - ay) + 1)
            self.redraw()

    def _release(self, x: int, y: int) -> None:
        if self._anchor is None:
            return
        ax, ay, alt = self._anchor
        self._anchor = None
        s = self.scale
        if self._drag_box is not None:
            bx, by, bw, bh = self._drag_box
            self.box = (bx / s, by / s, bw / s, bh / s)
            self._drag_box = None
        else:
            self.points.append(((ax + 0.5) / s - 0.5, (ay + 0.5) / s - 0.5, REMOVE if alt else ADD))
        self.schedule_preview()

    def clear_prompts(self) -> None:
        self.points, self.box = [], None
        self.preview_mask[:] = 0
        self.redraw()

    def draw_marks(self, rgb: np.ndarray) -> None:
        s = self.scale
        for x, y, label in self.points:
            colour = (0, 220, 0) if label == ADD else (230, 0, 0)
            cv2.circle(rgb, (int((x + 0.5) * s), int((y + 0.5) * s)), MARK, colour, -1)
        for box in ([self.box] if self.box else []) + ([None] if self._drag_box else []):
            if box is None:
                x, y, w, h = self._drag_box  # type: ignore[misc]
            else:
                x, y, w, h = (round(v * s) for v in box)
            cv2.rectangle(rgb, (x, y), (x + w - 1, y + h - 1), (255, 200, 0), 1)

    # --- preview: decode on a small embedding -----------------------------------------------------
    def _new_model(self) -> None:
        self.embedding = None
        self.schedule_preview()

    def update_preview(self) -> None:
        self.preview_runs += 1
        info = self.info()
        if info is None or (not self.points and self.box is None):
            self.redraw()
            return
        if self.embedding is None:
            if self.embed_job is None:
                small = np.ascontiguousarray(self.small[..., :3])
                self.embed_job = self.window_.jobs.run(lambda _p, c: embed(info, small, c), label="Analysing image",
                                                       on_done=self._embedded, on_error=self._failed,
                                                       on_cancel=lambda: setattr(self, "embed_job", None))
            self.redraw()
            return
        s = self.scale
        points = [((x + 0.5) * s - 0.5, (y + 0.5) * s - 0.5, label) for x, y, label in self.points]
        box = tuple(v * s for v in self.box) if self.box else None
        try:
            self.preview_mask = decode(info, self.embedding, points, box)  # type: ignore[arg-type]
        except (ModelError, ValueError) as e:
            self.note.setText(str(e))
        self.redraw()

    def _embedded(self, embedding) -> None:
        self.embed_job = None
        self.embedding = embedding
        self.update_preview()

    def params(self) -> dict[str, Any]:
        info = self.info()
        return ObjectParams.from_dict({"model": info.name if info else self.stored.get("model"),
                                       "points": [list(p) for p in self.points],
                                       "box": list(self.box) if self.box else None}).to_dict()

    def run(self, pixels, params, info, progress, cancelled):
        return select_object(pixels, ObjectParams.from_dict(params), cancel=cancelled, model=info)

    def reject(self) -> None:
        if self.embed_job is not None:
            self.embed_job.cancel()
        super().reject()
