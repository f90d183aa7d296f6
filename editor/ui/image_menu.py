"""The Image menu (where Photoshop has it, between Edit and Layer), built from the geometry
operations' menu entries on the one registry (editor.geometry.operations): Image Size, Canvas
Size, Image Rotation (180°, 90° either way, Arbitrary, Flip Canvas), Crop to Selection, Trim,
Reveal All.

Every entry runs its registered operation with its fixed params plus what its dialog asked
for, as one undo step. Slow ones (Image Size, an arbitrary rotation) build their command in a
worker with progress and Cancel in the status bar and execute it on the GUI thread; if the
document changes meanwhile the result is dropped (it was computed from what is no longer there).
The dialogs are named by the entries and kept here (DIALOGS): each gathers values and turns
them into the operation's params.

Installed by `install_image_menu(window)` once the window's menus exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

import editor.geometry  # noqa: F401  (registers the geometry operations)
from editor.core import Change
from editor.core.operations import REGISTRY, MenuEntry, Operation, ParamError

from .dialogs.geometry_dialogs import CanvasSizeDialog, ImageSizeDialog, RotateDialog, TrimDialog
from .icons import icon
from .jobs import run_command

SUBMENU_ICONS = {"Image Rotation": "rotate-right"}


# --- the dialogs the entries name: (the dialog, its values -> params or None for "nothing to do") ---

def _image_size_dialog(menu: ImageMenu):
    doc = menu.window.document
    dialog = ImageSizeDialog(doc.width, doc.height, menu.window, resample=menu.last_resample)

    def params() -> dict[str, Any] | None:
        w, h, resample = dialog.values()
        menu.last_resample = resample
        if (w, h) == (doc.width, doc.height):
            return None
        return {"width": w, "height": h, "resample": resample}
    return dialog, params


def _canvas_size_dialog(menu: ImageMenu):
    doc, window = menu.window.document, menu.window
    dialog = CanvasSizeDialog(doc.width, doc.height, window, foreground=window.foreground,
                              background=window.background)

    def params() -> dict[str, Any]:
        w, h, anchor, fill = dialog.values()
        colour = None if fill is None else "#{:02x}{:02x}{:02x}".format(*fill[:3])
        return {"width": w, "height": h, "anchor": anchor, "colour": colour}
    return dialog, params


def _rotate_dialog(menu: ImageMenu):
    dialog = RotateDialog(menu.window)

    def params() -> dict[str, Any]:
        angle, resample = dialog.values()
        return {"angle": angle, "resample": resample}
    return dialog, params


def _trim_dialog(menu: ImageMenu):
    dialog = TrimDialog(menu.window)

    def params() -> dict[str, Any] | None:
        based_on, sides = dialog.values()
        return {"based_on": based_on, "sides": list(sides)} if sides else None
    return dialog, params


DIALOGS: dict[str, Callable[[ImageMenu], tuple[Any, Callable[[], dict[str, Any] | None]]]] = {
    "image-size": _image_size_dialog, "canvas-size": _canvas_size_dialog, "rotate": _rotate_dialog,
    "trim": _trim_dialog,
}


class ImageMenu:
    """Kept on the window as `window.image_menu`; `dialog` is the open dialog (for tests).
    `entries[key]` is the (operation, entry) behind `actions[key]`."""

    def __init__(self, window) -> None:
        self.window = window
        self.dialog = None
        self.job = None
        self.actions: dict[str, QAction] = {}
        self.entries: dict[str, tuple[Operation, MenuEntry]] = {}
        self.submenus: dict[str, QMenu] = {}
        self.last_resample = "bicubic"
        self.menu = QMenu("&Image", window)
        self.menu.setObjectName("imageMenu")
        bar = window.menuBar()
        layer_menu = window.menus.get("layer")
        if isinstance(layer_menu, QMenu):
            bar.insertMenu(layer_menu.menuAction(), self.menu)
        else:
            bar.addMenu(self.menu)
        window.menus["image"] = self.menu
        self._build()
        self.rotation_menu = self.submenus.get("image/Image Rotation")
        self.menu.aboutToShow.connect(self.update_state)
        window.canvas.document_replaced.connect(self._watch)
        self._watched = None
        self._watch()

    def _build(self) -> None:
        last_section: dict[int, int] = {}
        for op, entry in REGISTRY.menu_entries("image"):
            target = self._submenu(entry.menu)
            if id(target) in last_section and last_section[id(target)] != entry.section:
                target.addSeparator()
            last_section[id(target)] = entry.section
            target.addAction(self._action(op, entry))

    def _submenu(self, path: str) -> QMenu:
        """The menu at `path` ("image", "image/Image Rotation"), its submenus made as first met."""
        parent, sofar = self.menu, "image"
        for part in path.split("/")[1:]:
            sofar += "/" + part
            if sofar not in self.submenus:
                self.submenus[sofar] = parent.addMenu(icon(SUBMENU_ICONS[part]), part) if part in SUBMENU_ICONS \
                    else parent.addMenu(part)
            parent = self.submenus[sofar]
        return parent

    def _action(self, op: Operation, entry: MenuEntry) -> QAction:
        action = QAction(icon(entry.icon), entry.text, self.window) if entry.icon else QAction(entry.text, self.window)
        if entry.shortcut:
            action.setShortcut(QKeySequence(entry.shortcut))
        action.triggered.connect(lambda _=False: self.trigger(entry.key))
        action.setObjectName(f"action_{entry.key}")
        self.window.addAction(action)  # the shortcut works with the menu bar hidden
        self.actions[entry.key] = action
        self.entries[entry.key] = (op, entry)
        if hasattr(self.window, "actions") and isinstance(self.window.actions, dict):
            self.window.actions[entry.key] = action
        return action

    # --- keeping up with the document --------------------------------------------------
    def _watch(self) -> None:
        if self._watched is not None:
            self._watched.events.disconnect(self._on_change)
        self._watched = self.window.document if self.window._document is not None else None
        if self._watched is not None:
            self._watched.events.connect(self._on_change)
        self.update_state()

    def _on_change(self, change: Change) -> None:
        if change.kind == "document":
            doc = self.window.document
            self.window.size_label.setText(f"{doc.width} × {doc.height} px")
        if change.kind in ("selection", "document", "history"):
            self.update_state()

    def update_state(self) -> None:
        doc = self.window._document
        for key, (_op, entry) in self.entries.items():
            if entry.enabled is not None:
                self.actions[key].setEnabled(doc is not None and bool(entry.enabled(doc)))

    @property
    def busy(self) -> bool:
        return self.job is not None

    # --- running operations -------------------------------------------------------------
    def trigger(self, key: str) -> None:
        """What the action `key` does: its dialog first when it names one, then its operation."""
        op, entry = self.entries[key]
        if entry.dialog is None:
            self.run(op.id, entry.params, slow=op.entry_slow(entry))
            return
        dialog, params = DIALOGS[entry.dialog](self)

        def accepted() -> None:
            values = params()
            if values is not None:
                self.run(op.id, {**entry.params, **values}, slow=op.entry_slow(entry))

        dialog.accepted.connect(accepted)
        self._show(dialog)

    def run(self, op_id: str, params: Mapping[str, Any], *, slow: bool | None = None) -> None:
        """Run a registered operation on the document as one undo step (in a worker when slow)."""
        op = REGISTRY.get(op_id)
        doc = self.window.document
        try:
            values = op.validate(params)
        except ParamError as err:
            self.window.show_status(f"{op.label}: {err}", 6000)
            return
        if op.slow if slow is None else slow:
            self._run(op.label, lambda progress: op.extra["command"](doc, values, progress))
            return
        try:
            if op.run(doc, values) is None:
                self.window.show_status(f"{op.label}: nothing to change")
        except ValueError as err:
            self.window.show_status(f"{op.label}: {err}", 6000)

    def _run(self, label: str, make: Callable[..., object]) -> None:
        """Build a command in a worker (`make(progress)`), execute it when it is done."""
        if self.job is not None:
            self.window.show_status(f"Wait for {self.job.label} to finish")
            return
        doc = self.window.document

        def ended() -> None:
            self.job = None

        self.job = run_command(self.window.jobs, doc, label, make, status=self.window.show_status, ended=ended,
                               still_current=lambda: doc is self.window._document)

    # --- the entries by name (for code and tests that call them directly) ---------------------
    def image_size(self) -> None:
        self.trigger("image_size")

    def resize_image(self, width: int, height: int, resample: str) -> None:
        doc = self.window.document
        if (width, height) != (doc.width, doc.height):
            self.run("image-size", {"width": width, "height": height, "resample": resample})

    def canvas_size(self) -> None:
        self.trigger("canvas_size")

    def rotate(self, angle: float, resample: str = "bicubic") -> None:
        self.run("rotate-canvas", {"angle": angle, "resample": resample}, slow=angle % 90 != 0)

    def rotate_arbitrary(self) -> None:
        self.trigger("rotate_arbitrary")

    def flip(self, direction: str) -> None:
        self.run("flip-canvas", {"direction": direction})

    def crop_to_selection(self) -> None:
        self.trigger("crop_to_selection")

    def trim(self) -> None:
        self.trigger("trim")

    def reveal_all(self) -> None:
        self.trigger("reveal_all")

    def _show(self, dialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()


def install_image_menu(window) -> ImageMenu:
    window.image_menu = ImageMenu(window)
    return window.image_menu
