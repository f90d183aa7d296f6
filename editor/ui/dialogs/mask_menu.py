"""The Mask menu's generator entries, built from the mask generators registered on the
operation registry (Colour Range, Chroma Key, Object Select, Select Subject, Refine Edge,
Mask from Luminance today), and Edit / Re-run the active mask's generator.

`install_mask_generators(window, menu)` adds them; the dialogs are created fresh each time
and reopen with the mask's stored parameters (Mask.generator).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from editor.core import Node
from editor.masks.generators import (
    apply_to_layer,
    generate,
    generator_op,
    mask_generators,
    maskable,
    rerun,
    runs_slow,
    source_pixels,
)

from . import mask_dialogs, mask_model, mask_object, mask_refine  # noqa: F401  (each registers its dialogs)
from .mask_object import ObjectSelectDialog
from .mask_preview import DIALOGS, GeneratorDialog

__all__ = ["DIALOGS", "MaskGeneratorMenu", "install_mask_generators"]


class MaskGeneratorMenu:
    """Kept on the window as `window.mask_generators`; `open_dialog` returns the dialog it showed.

    One entry per registered mask generator that has a menu entry, in its order: its dialog
    when one registered for it (`dialog_for`), Select Subject's own route, or else the
    operation run at once with its defaults (in a worker when it is slow)."""

    def __init__(self, window, menu: QMenu) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.needs_mask: set[str] = set()
        self.dialog: GeneratorDialog | None = None
        menu.addSeparator()
        entries: list[tuple[str, str, Callable[[], object], str | None]] = []
        for op in sorted((op for op in mask_generators() if op.menu is not None), key=lambda op: op.menu.order):
            entries.append((op.menu.key, op.menu.text, self._slot(op.id), op.menu.shortcut))
            if op.menu.needs_mask:
                self.needs_mask.add(op.menu.key)
        entries += [
            ("edit_generator", "Edit Mask Generator…", self.edit_generator, None),
            ("rerun_generator", "Re-run Mask Generator", self.rerun, None),
        ]
        for key, text, slot, shortcut in entries:
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(shortcut)
            action.triggered.connect(lambda _=False, s=slot: s())
            menu.addAction(action)
            window.addAction(action)
            self.actions[key] = action
        menu.aboutToShow.connect(self.update_state)

    def _slot(self, kind: str) -> Callable[[], object]:
        if kind == "model-subject":
            return self.select_subject
        if kind in DIALOGS:
            return lambda: self.open_dialog(kind)
        return lambda: self.run_default(kind)

    def run_default(self, kind: str) -> None:
        """A generator without a dialog: run it with its defaults on the active layer."""
        layer = self.layer()
        if layer is None:
            self.window.show_status("Choose a layer, a fill layer or a group first")
            return
        op = generator_op(kind)
        params = {"kind": kind, **op.schema.defaults()}
        if runs_slow(params):
            self._run_in_worker(layer, params, op.label)
        else:
            apply_to_layer(self.window.document, layer, params)

    def layer(self) -> Node | None:
        """The node whose mask the generators make: a pixel layer, a fill layer or a group
        (those two are masked from the composite below them)."""
        active = self.window.document.active
        return active if maskable(active) else None

    def update_state(self) -> None:
        layer = self.layer()
        has_layer = layer is not None
        generated = has_layer and layer.mask is not None and bool(layer.mask.generator)
        for action in self.actions.values():
            action.setEnabled(has_layer)
        for key in self.needs_mask:
            self.actions[key].setEnabled(has_layer and layer.mask is not None)
        self.actions["edit_generator"].setEnabled(generated)
        self.actions["rerun_generator"].setEnabled(generated)

    def open_dialog(self, kind: str, params: dict | None = None, *, modal: bool = True) -> GeneratorDialog | None:
        layer = self.layer()
        if layer is None:
            self.window.show_status("Choose a layer, a fill layer or a group first")
            return None
        op = generator_op(kind)
        if op.menu is not None and op.menu.needs_mask and layer.mask is None:
            self.window.show_status(f"{layer.name} has no mask to refine")
            return None
        self.dialog = DIALOGS[kind](self.window, layer, params)
        if modal:
            self.dialog.open()  # window-modal, does not block the event loop (jobs keep running)
        return self.dialog

    def select_subject(self) -> GeneratorDialog | None:
        """On a segmentation model when one is installed (in a worker, no dialog); otherwise the
        saliency method in Object Select's dialog, as before."""
        actions = getattr(self.window, "model_actions", None)
        if actions is not None and self.layer() is not None and actions.subject_model() is not None:
            actions.select_subject("mask")
            return None
        dialog = self.open_dialog("object")
        if isinstance(dialog, ObjectSelectDialog):
            dialog.select_subject()
        return dialog

    def edit_generator(self) -> GeneratorDialog | None:
        layer = self.layer()
        if layer is None or layer.mask is None or not layer.mask.generator:
            return None
        generator = layer.mask.generator
        return self.open_dialog(generator["kind"], generator)

    def rerun(self) -> None:
        layer = self.layer()
        if layer is None or layer.mask is None or not layer.mask.generator:
            return
        kind = layer.mask.generator.get("kind")
        if runs_slow(layer.mask.generator):
            if kind in DIALOGS:  # seconds of work: through the dialog's worker
                dialog = self.edit_generator()
                if dialog is not None:
                    dialog.accept()
            else:  # e.g. a model run: in a worker, no dialog to reopen
                self._run_in_worker(layer, dict(layer.mask.generator))
            return
        rerun(self.window.document, layer)

    def _run_in_worker(self, layer: Node, params: dict, label: str = "Re-run mask generator") -> None:
        # generate has no cancel points: Cancel drops the result when it arrives.
        pixels = source_pixels(self.window.document, layer).copy()
        window = self.window

        def done(mask) -> None:
            if layer.parent is not None:
                apply_to_layer(window.document, layer, params, data=mask)

        window.jobs.run(lambda progress, _cancelled: generate(pixels, params, progress=progress), label=label,
                        on_done=done, on_error=lambda e: window.show_status(str(e), 10_000))


def install_mask_generators(window, menu: QMenu) -> MaskGeneratorMenu:
    window.mask_generators = MaskGeneratorMenu(window, menu)
    return window.mask_generators
