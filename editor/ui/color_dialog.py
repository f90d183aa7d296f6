"""The colour picker every part of Veil opens: Qt's own dialog (never the platform's), so it
always has the hex field ("HTML: #rrggbb") beside RGB and HSV, and a screen picker."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QLineEdit, QWidget


def colour_dialog(parent: QWidget | None, initial: QColor, title: str, *, alpha: bool = False) -> QColorDialog:
    dialog = QColorDialog(initial, parent)
    dialog.setObjectName("colourDialog")
    dialog.setWindowTitle(title)
    dialog.setOption(QColorDialog.ColorDialogOption.DontUseNativeDialog, True)
    dialog.setOption(QColorDialog.ColorDialogOption.ShowAlphaChannel, alpha)
    return dialog


def hex_field(dialog: QColorDialog) -> QLineEdit | None:
    """The dialog's hex entry (Qt labels it "HTML:")."""
    return next((e for e in dialog.findChildren(QLineEdit) if e.text().startswith("#")), None)


def ask_colour(parent: QWidget | None, initial: QColor, title: str, *, alpha: bool = False) -> QColor | None:
    """The chosen colour, or None when the dialog was cancelled."""
    dialog = colour_dialog(parent, initial, title, alpha=alpha)
    if not dialog.exec():
        return None
    colour = dialog.currentColor()
    return colour if colour.isValid() else None
