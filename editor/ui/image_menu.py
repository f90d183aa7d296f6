"""The Image menu (where Photoshop has it, between Edit and Layer): Image Size, Canvas Size,
Image Rotation, Flip Canvas, Crop to Selection, Trim, Reveal All.

Every entry calls one editor.geometry operation, which is one undo step. Resampling
ones (Image Size, an arbitrary rotation) build their command in a worker with progress
and Cancel in the status bar and execute it on the GUI thread; if the document changes
meanwhile the result is dropped (it was computed from what is no longer there).

Installed by `install_image_menu(window)` once the window's menus exist.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from editor import geometry
from editor.core import Change

from .dialogs.geometry_dialogs import CanvasSizeDialog, ImageSizeDialog, RotateDialog, TrimDialog
from .icons import icon
from .jobs import run_command


class ImageMenu:
    """Kept on the window as `window.image_menu`; `dialog` is the open dialog (for tests)."""

    def __init__(self, window) -> None:
        self.window = window
        self.dialog = None
        self.job = None
        self.actions: dict[str, QAction] = {}
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
        m = self.menu
        m.addAction(self._action("image_size", "Image Size…", self.image_size, "Ctrl+Alt+I", "resize"))
        m.addAction(self._action("canvas_size", "Canvas Size…", self.canvas_size, "Ctrl+Alt+C", "crop-free"))
        rotation = m.addMenu(icon("rotate-right"), "Image Rotation")
        rotation.addAction(self._action("rotate_180", "180°", lambda: self.rotate(180), None, "rotate-3d-variant"))
        rotation.addAction(self._action("rotate_cw", "90° Clockwise", lambda: self.rotate(90), None, "rotate-right"))
        rotation.addAction(self._action("rotate_ccw", "90° Counter Clockwise", lambda: self.rotate(-90), None, "rotate-left"))
        rotation.addAction(self._action("rotate_arbitrary", "Arbitrary…", self.rotate_arbitrary, None, "rotate-orbit"))
        rotation.addSeparator()
        rotation.addAction(self._action("flip_h", "Flip Canvas Horizontal", lambda: self.flip("horizontal"), None,
                                        "flip-horizontal"))
        rotation.addAction(self._action("flip_v", "Flip Canvas Vertical", lambda: self.flip("vertical"), None,
                                        "flip-vertical"))
        self.rotation_menu = rotation
        m.addSeparator()
        m.addAction(self._action("crop_to_selection", "Crop to Selection", self.crop_to_selection, None, "crop"))
        m.addAction(self._action("trim", "Trim…", self.trim, None, "crop-square"))
        m.addAction(self._action("reveal_all", "Reveal All", self.reveal_all, None, "arrow-expand-all"))
        self.menu.aboutToShow.connect(self.update_state)
        window.canvas.document_replaced.connect(self._watch)
        self._watched = None
        self._watch()

    def _action(self, key: str, text: str, slot: Callable[[], object], shortcut: str | None, icon_name: str) -> QAction:
        action = QAction(icon(icon_name), text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        action.setObjectName(f"action_{key}")
        self.window.addAction(action)  # the shortcut works with the menu bar hidden
        self.actions[key] = action
        if hasattr(self.window, "actions") and isinstance(self.window.actions, dict):
            self.window.actions[key] = action
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
        has_selection = doc is not None and doc.selection is not None and doc.selection.bounds() is not None
        self.actions["crop_to_selection"].setEnabled(has_selection)

    @property
    def busy(self) -> bool:
        return self.job is not None

    # --- running operations -------------------------------------------------------------
    def _apply(self, fn: Callable[[], object], what: str) -> None:
        try:
            if fn() is None:
                self.window.show_status(f"{what}: nothing to change")
        except ValueError as err:
            self.window.show_status(f"{what}: {err}", 6000)

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

    # --- the entries --------------------------------------------------------------------
    def image_size(self) -> None:
        doc = self.window.document
        dialog = ImageSizeDialog(doc.width, doc.height, self.window, resample=self.last_resample)
        dialog.accepted.connect(lambda: self._image_size_accepted(dialog))
        self._show(dialog)

    def _image_size_accepted(self, dialog: ImageSizeDialog) -> None:
        w, h, resample = dialog.values()
        self.last_resample = resample
        self.resize_image(w, h, resample)

    def resize_image(self, width: int, height: int, resample: str) -> None:
        doc = self.window.document
        if (width, height) == (doc.width, doc.height):
            return
        self._run("Image size", lambda progress: geometry.resize_image_command(doc, width, height, resample, progress))

    def canvas_size(self) -> None:
        doc = self.window.document
        dialog = CanvasSizeDialog(doc.width, doc.height, self.window, foreground=self.window.foreground,
                                  background=self.window.background)
        dialog.accepted.connect(lambda: self._canvas_size_accepted(dialog))
        self._show(dialog)

    def _canvas_size_accepted(self, dialog: CanvasSizeDialog) -> None:
        w, h, anchor, fill = dialog.values()
        doc = self.window.document
        self._apply(lambda: geometry.resize_canvas(doc, w, h, anchor, fill), "Canvas size")

    def rotate(self, angle: float, resample: str = "bicubic") -> None:
        doc = self.window.document
        if angle % 90 == 0:
            self._apply(lambda: geometry.rotate_canvas(doc, angle), "Rotate")
        else:
            self._run(f"Rotate {angle:g}°",
                      lambda progress: geometry.rotate_canvas_command(doc, angle, resample, progress))

    def rotate_arbitrary(self) -> None:
        dialog = RotateDialog(self.window)
        dialog.accepted.connect(lambda: self.rotate(*dialog.values()))
        self._show(dialog)

    def flip(self, direction: str) -> None:
        self._apply(lambda: geometry.flip_canvas(self.window.document, direction), "Flip canvas")

    def crop_to_selection(self) -> None:
        self._apply(lambda: geometry.crop_to_selection(self.window.document), "Crop")

    def trim(self) -> None:
        dialog = TrimDialog(self.window)

        def accepted() -> None:
            based_on, sides = dialog.values()
            if not sides:
                return
            self._apply(lambda: geometry.trim(self.window.document, based_on, sides=sides), "Trim")

        dialog.accepted.connect(accepted)
        self._show(dialog)

    def reveal_all(self) -> None:
        self._apply(lambda: geometry.reveal_all(self.window.document), "Reveal all")

    def _show(self, dialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()


def install_image_menu(window) -> ImageMenu:
    window.image_menu = ImageMenu(window)
    return window.image_menu
