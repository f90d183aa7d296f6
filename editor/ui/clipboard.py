"""Edit > Cut / Copy / Copy Merged / Paste / Paste Special, and Layer > Layer via Copy / Cut.

The operations are editor.render.clipboard's; this module binds them to Photoshop's
shortcuts and to the system clipboard. What Veil copies goes on the system clipboard as
PNG ("image/png", which keeps alpha where a plain image would lose it in some programs)
and as a plain image, with a private token; Veil also keeps the `Clip` itself, with where
the pixels came from. Pasting finds the token to know the clipboard still holds Veil's
copy (so Paste can put the pixels back where they were); anything else another program
put there is read as PNG first, then as an image, and pasted centred in the view.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QObject, QPointF
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QMenu

from editor.paint import PaintRefused
from editor.render import clipboard as clip_ops

from .icons import icon

if TYPE_CHECKING:
    from .main_window import MainWindow

VEIL_MIME = "application/x-veil-clip"
PNG_MIME = "image/png"

def qimage_to_rgba(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    array = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(h, image.bytesPerLine())
    return array[:, : w * 4].reshape(h, w, 4).copy()


def rgba_to_qimage(rgba: np.ndarray) -> QImage:
    rgba = np.ascontiguousarray(rgba)
    h, w = rgba.shape[:2]
    return QImage(rgba.data, w, h, rgba.strides[0], QImage.Format.Format_RGBA8888).copy()


_tokens = itertools.count(1)
_held: tuple[bytes, clip_ops.Clip] | None = None  # the application's last copy and its token


def put_on_clipboard(clip: clip_ops.Clip) -> None:
    """Put `clip` on the system clipboard (PNG, image, token) and keep it for Veil's own pastes."""
    global _held
    token = f"{next(_tokens)}".encode()
    image = rgba_to_qimage(clip.pixels)
    png = QByteArray()
    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    mime = QMimeData()
    mime.setData(PNG_MIME, png)
    mime.setImageData(image)
    mime.setData(VEIL_MIME, QByteArray(token))
    _held = (token, clip)
    QGuiApplication.clipboard().setMimeData(mime)


def clip_from_clipboard() -> clip_ops.Clip | None:
    """What Paste pastes: Veil's own copy while the clipboard still holds it, else an image from
    another program (PNG first: it keeps alpha), or None."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return None
    if _held is not None and mime.hasFormat(VEIL_MIME) and bytes(mime.data(VEIL_MIME).data()) == _held[0]:
        return _held[1]
    image = QImage()
    if mime.hasFormat(PNG_MIME):
        image = QImage.fromData(mime.data(PNG_MIME), "PNG")
    if image.isNull() and mime.hasImage():
        data = mime.imageData()
        image = data if isinstance(data, QImage) else QImage()
    if image.isNull():
        image = QGuiApplication.clipboard().image()
    if image.isNull():
        return None
    return clip_ops.Clip(qimage_to_rgba(image))


class ClipboardActions(QObject):
    """The actions, kept on the window as `window.clipboard`."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.actions: dict[str, QAction] = {}
        a = self._add
        a("cut", "Cut", self.cut, "Ctrl+X", "content-cut")
        a("copy", "Copy", self.copy, "Ctrl+C", "content-copy")
        a("copy_merged", "Copy Merged", self.copy_merged, "Ctrl+Shift+C", "content-copy")
        a("paste", "Paste", self.paste, "Ctrl+V", "content-paste")
        a("paste_in_place", "Paste in Place", self.paste_in_place, "Ctrl+Shift+V", "content-paste")
        a("paste_into", "Paste Into", self.paste_into, "Ctrl+Alt+Shift+V", "selection-drag")
        a("layer_via_copy", "Layer via Copy", self.layer_via_copy, "Ctrl+J", "content-duplicate")
        a("layer_via_cut", "Layer via Cut", self.layer_via_cut, "Ctrl+Shift+J", "content-cut")

    def _add(self, key: str, text: str, slot, shortcut: str, icon_name: str) -> QAction:
        action = QAction(icon(icon_name), text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)  # the shortcut works with the menu bar hidden
        self.actions[key] = action
        return action

    # --- menus ----------------------------------------------------------------------
    def fill_edit_menu(self, menu: QMenu) -> None:
        for key in ("cut", "copy", "copy_merged", "paste"):
            menu.addAction(self.actions[key])
        special = menu.addMenu("Paste Special")
        special.addAction(self.actions["paste_in_place"])
        special.addAction(self.actions["paste_into"])
        self.paste_special = special

    def fill_layer_menu(self, menu: QMenu) -> None:
        """Layer via Copy and Layer via Cut, right after Duplicate Layer when the menu has it."""
        duplicate = self.window.layer_actions.actions.get("duplicate")
        actions = menu.actions()
        index = actions.index(duplicate) + 1 if duplicate in actions else len(actions)
        before = actions[index] if index < len(actions) else None
        for key in ("layer_via_copy", "layer_via_cut"):
            if before is None:
                menu.addAction(self.actions[key])
            else:
                menu.insertAction(before, self.actions[key])

    # --- the commands ---------------------------------------------------------------
    @property
    def document(self):
        return self.window.document

    def _run(self, fn):
        try:
            return fn()
        except (clip_ops.ClipboardError, PaintRefused) as err:
            self.window.show_status(str(err), 5000)
            return None

    def view_centre(self) -> tuple[float, float]:
        canvas = self.window.canvas
        centre = canvas.widget_to_doc(QPointF(canvas.width() / 2, canvas.height() / 2))
        return centre.x(), centre.y()

    def copy(self, *, merged: bool = False) -> bool:
        clip = self._run(lambda: clip_ops.copy(self.document, merged=merged))
        if clip is None:
            return False
        put_on_clipboard(clip)
        w, h = clip.size
        self.window.show_status(f"Copied {w} × {h} px{' merged' if merged else ' of the mask' if clip.from_mask else ''}")
        return True

    def copy_merged(self) -> bool:
        return self.copy(merged=True)

    def cut(self) -> bool:
        clip = self._run(lambda: clip_ops.cut(self.document))
        if clip is None:
            return False
        put_on_clipboard(clip)
        return True

    def _clip(self) -> clip_ops.Clip | None:
        clip = clip_from_clipboard()
        if clip is None:
            self.window.show_status("The clipboard holds no image")
        return clip

    def paste(self, *, in_place: bool = False) -> bool:
        clip = self._clip()
        if clip is None:
            return False
        return self._run(lambda: clip_ops.paste(self.document, clip, in_place=in_place, centre=self.view_centre())) is not None

    def paste_in_place(self) -> bool:
        return self.paste(in_place=True)

    def paste_into(self) -> bool:
        clip = self._clip()
        if clip is None:
            return False
        return self._run(lambda: clip_ops.paste_into(self.document, clip)) is not None

    def layer_via_copy(self) -> bool:
        """Ctrl+J: the selection to a new layer; with no selection, Duplicate Layer (as Photoshop)."""
        if self.document.selection is None:
            self.window.layer_actions.actions["duplicate"].trigger()
            return True
        return self._run(lambda: clip_ops.layer_via_copy(self.document)) is not None

    def layer_via_cut(self) -> bool:
        return self._run(lambda: clip_ops.layer_via_cut(self.document)) is not None


def install_clipboard(window: MainWindow, edit_menu: QMenu) -> ClipboardActions:
    window.clipboard = ClipboardActions(window)
    window.clipboard.fill_edit_menu(edit_menu)
    return window.clipboard
