"""Modes the user must be able to see: check marks on the toggles, the Quick Mask sign.

- Show Mask Alone, Edit Mask, Show Mask Overlay, Quick Mask, Clip and Lock are checkable
  actions whose check follows the document and the canvas (an undo, File > Open or a click
  in the Layers panel changes them too). In a menu, Qt's Fusion style draws a checkable
  action that has an icon as a slightly sunken icon and no check mark, so these actions
  show no icon in menus: the check mark is the sign.
- Quick mask shows in the title ("(Quick Mask)", as Photoshop's document tab does) and as a
  red "Quick Mask" badge in the status bar, beside the red overlay on the canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

if TYPE_CHECKING:
    from .main_window import MainWindow

QUICK_MASK_STYLE = ("QLabel { background: rgba(220, 40, 40, 200); color: white; font-weight: 600;"
                    " border-radius: 3px; padding: 0 6px; }")


class ViewState:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.quick_mask_label = QLabel("Quick Mask")
        self.quick_mask_label.setObjectName("quickMaskIndicator")
        self.quick_mask_label.setStyleSheet(QUICK_MASK_STYLE)
        self.quick_mask_label.setToolTip("Quick mask is on: paint white to select, black to deselect; Q to finish")
        self.quick_mask_label.hide()
        window.statusBar().insertPermanentWidget(0, self.quick_mask_label)
        for menu in window.menus.values():
            if hasattr(menu, "aboutToShow"):
                menu.aboutToShow.connect(self.sync)
        self.sync()

    def toggles(self) -> list:
        w = self.window
        actions = [a for a in (*w.actions.values(), *w.layer_actions.actions.values()) if a.isCheckable()]
        select_menu = getattr(w, "select_menu", None)
        if select_menu is not None:
            actions += [a for a in select_menu.actions.values() if a.isCheckable()]
        return actions

    def sync(self) -> None:
        """Every check mark and the Quick Mask sign from the current state."""
        w = self.window
        doc = w._document
        if doc is None:
            return
        for action in self.toggles():
            action.setIconVisibleInMenu(False)
        node = doc.active
        checks = {
            "mask_alone": w.canvas.mask_alone_node is not None,
            "mask_overlay": w.canvas.show_mask_overlay,
        }
        for key, on in checks.items():
            if key in w.actions:
                w.actions[key].setChecked(on)
        mask_edit = w.layer_actions.actions.get("mask_edit")
        if mask_edit is not None:
            mask_edit.setChecked(bool(node is not None and node.mask is not None and doc.edit_mask))
        quick = doc.quick_mask is not None
        select_menu = getattr(w, "select_menu", None)
        if select_menu is not None and "quick_mask" in select_menu.actions:
            select_menu.actions["quick_mask"].setChecked(quick)
        self.quick_mask_label.setVisible(quick)


def install_view_state(window: MainWindow) -> ViewState:
    window.view_state = ViewState(window)
    return window.view_state
