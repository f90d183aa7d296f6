"""Select Subject on a segmentation model (Select > Subject, and the Mask menu's Select Subject).

The model runs in a worker with progress and Cancel; the result becomes the
selection or the active layer's mask (one undo step), with the model's name
and file hash remembered on the mask so Re-run Mask Generator repeats it.
With no model installed it says where to put one and uses the saliency
method instead, saying so.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from editor.core import Layer
from editor.masks.generators import apply_to_layer, to_selection
from editor.masks.models import ModelError, ModelInfo, SubjectParams, scan, select_subject
from editor.masks.models.registry import rembg_folder, veil_folder
from editor.masks.object_select import Cancelled, ObjectSelectParams, object_select

from .dialogs.preferences import PreferencesDialog
from .jobs import JobCancelled

NOTICE_MS = 10_000


def no_model_notice() -> str:
    return (f"No subject model installed: put rembg's .onnx files (u2net, isnet-general-use, birefnet-*, bria-rmbg) "
            f"in {rembg_folder()} or {veil_folder()}. Using the saliency method instead.")


class ModelActions:
    """Kept on the window as `window.model_actions`."""

    def __init__(self, window, select_menu: QMenu) -> None:
        self.window = window
        self.job = None
        self.subject_action = QAction("Subject", window)
        self.subject_action.setToolTip("Select the main subject with a segmentation model")
        self.subject_action.triggered.connect(lambda: self.select_subject("selection"))
        first = select_menu.actions()[3] if len(select_menu.actions()) > 3 else None
        select_menu.insertAction(first, self.subject_action)
        window.addAction(self.subject_action)
        self.preferences_action = QAction("Preferences…", window)
        self.preferences_action.setShortcut("Ctrl+K")  # Photoshop's
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(self.show_preferences)
        edit = next((a.menu() for a in window.menuBar().actions() if a.text() == "&Edit"), None)
        if edit is not None:
            edit.addSeparator()
            edit.addAction(self.preferences_action)
        window.addAction(self.preferences_action)
        self.preferences: PreferencesDialog | None = None

    def show_preferences(self) -> PreferencesDialog:
        """Edit > Preferences, on its Models page (non-modal; one at a time)."""
        if self.preferences is None:
            self.preferences = PreferencesDialog(self.window)
        self.preferences.models.refresh()
        self.preferences.show()
        self.preferences.raise_()
        return self.preferences

    def subject_model(self) -> ModelInfo | None:
        """The first salient-object model found (rembg's folder first)."""
        models = [m for m in scan()[0] if m.kind == "salient"]
        return models[0] if models else None

    def select_subject(self, target: str = "selection") -> None:
        """Run Select Subject on the active pixel layer into the selection or its mask."""
        window = self.window
        layer = window.document.active
        if not isinstance(layer, Layer):
            window.show_status("Choose a pixel layer first")
            return
        info = self.subject_model()
        pixels = layer.pixels.copy()
        if info is None:
            window.show_status(no_model_notice(), NOTICE_MS)
            params = {**ObjectSelectParams(subject=True).to_dict(), "refine_edge": False}

            def work(progress, cancelled):
                try:
                    return object_select(pixels, ObjectSelectParams(subject=True), progress=progress, cancel=cancelled)
                except Cancelled as e:
                    raise JobCancelled() from e
        else:
            params = SubjectParams(info.name).to_dict()

            def work(progress, cancelled):
                try:
                    digest = info.sha256()
                    mask = select_subject(pixels, SubjectParams(info.name, sha256=digest), progress=progress,
                                          cancel=cancelled, model=info)
                except Cancelled as e:
                    raise JobCancelled() from e
                params["sha256"] = digest
                return mask

        def done(mask: np.ndarray) -> None:
            self.job = None
            if layer.parent is None or window.document.active is None:
                return  # the layer went while the model ran: nothing to apply to
            if target == "mask":
                apply_to_layer(window.document, layer, params, data=mask)
            else:
                to_selection(window.document, layer, mask, label="Select Subject")

        def failed(error: Exception) -> None:
            self.job = None
            message = str(error) if isinstance(error, ModelError | ValueError) else f"Select Subject failed: {error}"
            window.show_status(message, NOTICE_MS)

        self.job = window.jobs.run(work, label="Select Subject", on_done=done, on_error=failed,
                                   on_cancel=lambda: setattr(self, "job", None))


def install_model_actions(window, select_menu: QMenu) -> ModelActions:
    window.model_actions = ModelActions(window, select_menu)
    return window.model_actions
