"""The Select menu's selection entries beyond All/Deselect/Inverse, and Quick Mask (Q).

`install_select_menu(window, menu)` adds them to the main window's Select menu;
each runs one operation of editor.masks.selection (one undo step). Amounts
are asked for in a small dialog (`ask` can be replaced, e.g. by tests).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from editor.masks.selection import ops
from editor.masks.selection.quickmask import toggle_quick_mask

from ..icons import icon

# (key, text, operation, unit, default, maximum, shortcut)
MODIFY = (
    ("grow", "Grow…", ops.grow, "px", 4, 500, None),
    ("shrink", "Shrink…", ops.shrink, "px", 4, 500, None),
    ("feather", "Feather…", ops.feather, "px", 5, 250, "Shift+F6"),
    ("border", "Border…", ops.border, "px", 4, 200, None),
    ("smooth", "Smooth…", ops.smooth, "px", 2, 100, None),
)


def ask_amount(parent: QWidget, title: str, unit: str, default: int, maximum: int) -> int | None:
    value, ok = QInputDialog.getInt(parent, title, f"{title} by ({unit}):", default, 1, maximum)
    return value if ok else None


class SelectMenu:
    """The actions, kept on the window as `window.select_menu`."""

    def __init__(self, window, menu: QMenu) -> None:
        self.window = window
        self.ask: Callable[..., int | None] = ask_amount
        self.actions: dict[str, QAction] = {}
        menu.addSeparator()
        modify = menu.addMenu("Modify")
        for key, text, operation, unit, default, maximum, shortcut in MODIFY:
            action = self._action(key, text, lambda _=False, o=operation, t=text, u=unit, d=default, m=maximum: self.modify(o, t, u, d, m), shortcut)
            modify.addAction(action)
        menu.addSeparator()
        menu.addAction(self._action("load_mask", "Load Mask as Selection", lambda: self.load_mask(), None, "selection-search"))
        menu.addAction(self._action("load_alpha", "Load Alpha as Selection", lambda: self.load_alpha(), None))
        menu.addAction(self._action("save_to_mask", "Save Selection to Mask", lambda: self.save_to_mask(), None, "content-save-outline"))
        menu.addAction(self._action("reveal_selection", "Layer Mask: Reveal Selection", lambda: self.mask_from_selection(False), None))
        menu.addAction(self._action("hide_selection", "Layer Mask: Hide Selection", lambda: self.mask_from_selection(True), None))
        menu.addSeparator()
        quick = self._action("quick_mask", "Quick Mask", lambda: self.toggle_quick_mask(), "Q", "draw")
        quick.setCheckable(True)
        menu.addAction(quick)
        menu.aboutToShow.connect(self._sync)

    def _action(self, key: str, text: str, slot, shortcut: str | None, icon_name: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.window.addAction(action)  # the shortcut works with the menu bar hidden
        self.actions[key] = action
        return action

    @property
    def document(self):
        return self.window.document

    def _sync(self) -> None:
        """Quick Mask's check mark follows the document (undo can turn it off too)."""
        self.actions["quick_mask"].setChecked(self.document.quick_mask is not None)

    def modify(self, operation, title: str, unit: str, default: int, maximum: int) -> None:
        doc = self.document
        if doc.selection is None:
            self.window.show_status("Nothing is selected")
            return
        amount = self.ask(self.window, title.rstrip("…"), unit, default, maximum)
        if amount:
            operation(doc, amount)

    def load_mask(self) -> None:
        doc = self.document
        if doc.active is None or doc.active.mask is None:
            self.window.show_status("The active layer has no mask")
            return
        ops.load_mask_as_selection(doc, doc.active)

    def load_alpha(self) -> None:
        doc = self.document
        try:
            ops.load_alpha_as_selection(doc, doc.active)
        except ValueError as e:
            self.window.show_status(str(e))

    def save_to_mask(self) -> None:
        doc = self.document
        if doc.active is None:
            self.window.show_status("Choose a layer for the mask")
            return
        if doc.selection is None:
            self.window.show_status("Nothing is selected")
            return
        ops.save_selection_to_mask(doc, doc.active)

    def mask_from_selection(self, hide: bool) -> None:
        """Photoshop's Layer Mask > Reveal / Hide Selection: a new mask for the active layer."""
        doc = self.document
        if doc.active is None or doc.selection is None:
            self.window.show_status("Select an area and a layer first")
            return
        ops.mask_from_selection(doc, doc.active, hide=hide)

    def toggle_quick_mask(self) -> None:
        on = toggle_quick_mask(self.document)
        self.actions["quick_mask"].setChecked(on)
        self.window.show_status("Quick mask: paint white to select, black to deselect; Q to finish" if on else "Quick mask off")


def install_select_menu(window, menu: QMenu) -> SelectMenu:
    window.select_menu = SelectMenu(window, menu)
    return window.select_menu
