"""The Layer and Mask commands, as QActions shared by the menus, the panel and its context menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QColorDialog, QMenu

from editor.core import ops
from editor.core.layers import FillLayer, Group, Layer, Node

from .icons import icon

if TYPE_CHECKING:
    from .main_window import MainWindow


def _render_ops():
    """editor.render.ops (merge down, flatten, apply mask) needs the compositor."""
    from editor.render import ops as render_ops

    return render_ops


MASK_ADD_KINDS = (
    ("white", "Reveal All", "mask-reveal", False),
    ("black", "Hide All", "mask-hide", False),
    ("selection", "From Selection", "mask-selection", False),
    ("alpha", "From Layer Alpha", "mask-alpha", False),
    ("grayscale", "From Grayscale Copy", "mask-gray", False),
)


class LayerActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.actions: dict[str, QAction] = {}
        a = self._add
        a("new_layer", "New Layer", "layers-plus", "Ctrl+Shift+N", lambda doc, n: ops.new_layer(doc), needs_node=False)
        a("new_group", "New Group", "folder-plus-outline", None, lambda doc, n: ops.new_group(doc), needs_node=False)
        a("group", "Group Layer", "folder-move-outline", "Ctrl+G", lambda doc, n: ops.group_nodes(doc, [n]))
        a("ungroup", "Ungroup", "folder-remove-outline", "Ctrl+Shift+G", lambda doc, n: ops.ungroup(doc, n), when=lambda n: isinstance(n, Group))
        a("new_fill", "New Fill Layer…", "format-color-fill", None, self._new_fill, needs_node=False)
        a("duplicate", "Duplicate Layer", "content-duplicate", "Ctrl+J", lambda doc, n: ops.duplicate_node(doc, n))
        a("delete", "Delete Layer", "delete-outline", None, lambda doc, n: ops.delete_node(doc, n))
        a("merge_down", "Merge Down", "arrow-collapse-down", "Ctrl+E", lambda doc, n: _render_ops().merge_down(doc, n), when=self._has_below)
        a("flatten", "Flatten Image", "layers-triple-outline", None, lambda doc, n: _render_ops().flatten(doc), needs_node=False)
        a("raise", "Bring Forward", "arrange-bring-forward", "Ctrl+]", lambda doc, n: ops.raise_node(doc, n, 1))
        a("lower", "Send Backward", "arrange-send-backward", "Ctrl+[", lambda doc, n: ops.raise_node(doc, n, -1))
        a("clip", "Clip to Layer Below", "arrow-down-right", "Ctrl+Alt+G", self._toggle_clip, checkable=True)
        a("lock", "Lock Layer", "lock-outline", "Ctrl+/", lambda doc, n: self.window.layers_panel.model.toggle_locked(n), checkable=True)
        for kind, text, _name, _inv in MASK_ADD_KINDS:
            a(f"mask_{kind}", text, "vector-difference-ab" if kind == "white" else "vector-difference-ba" if kind == "black" else "layers-outline",
              None, lambda doc, n, k=kind: ops.add_mask(doc, n, k),
              when=(lambda n: isinstance(n, Layer)) if kind in ("alpha", "grayscale") else None)
        a("mask_apply", "Apply Mask", "check-bold", None, lambda doc, n: _render_ops().apply_mask(doc, n), when=self._has_mask)
        a("mask_delete", "Delete Mask", "close-box-outline", None, lambda doc, n: ops.discard_mask(doc, n), when=self._has_mask)
        a("mask_invert", "Invert Mask", "invert-colors", "Ctrl+I", lambda doc, n: ops.invert_mask(doc, n), when=self._has_mask)
        a("mask_enable", "Disable Mask", "eye-off", None, lambda doc, n: ops.set_mask_enabled(doc, n, not n.mask.enabled), when=self._has_mask)
        a("mask_edit", "Edit Mask", "draw", None, lambda doc, n: doc.set_active(n, edit_mask=not doc.edit_mask), when=self._has_mask, checkable=True, undoable=False)

    def _add(self, key: str, text: str, icon_name: str, shortcut: str | None, fn: Callable, *, needs_node: bool = True,
             when: Callable[[Node], bool] | None = None, checkable: bool = False, undoable: bool = True) -> QAction:
        action = QAction(icon(icon_name), text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.setData((needs_node, when))
        action.triggered.connect(lambda _checked=False: self._run(fn, needs_node))
        self.actions[key] = action
        return action

    def _run(self, fn: Callable, needs_node: bool) -> None:
        doc = self.window.document
        node = doc.active
        if needs_node and node is None:
            self.window.show_status("Select a layer first")
            return
        try:
            fn(doc, node)
        except (ValueError, TypeError) as err:
            self.window.show_status(str(err), 5000)
        except ImportError:
            self.window.show_status("This needs the render module, which is not available", 5000)
        self.update_state()

    # --- the operations that need more than one call ------------------------------
    def _new_fill(self, doc, node) -> None:
        color = QColorDialog.getColor(self.window.foreground, self.window, "Fill layer colour",
                                      QColorDialog.ColorDialogOption.ShowAlphaChannel)
        if color.isValid():
            ops.new_fill_layer(doc, (color.red(), color.green(), color.blue(), color.alpha()))

    def _toggle_clip(self, doc, node) -> None:
        ops.set_properties(doc, node, clipped=not node.clipped,
                           label="Release clipping mask" if node.clipped else "Create clipping mask")

    @staticmethod
    def _has_mask(node: Node) -> bool:
        return node.mask is not None

    @staticmethod
    def _has_below(node: Node) -> bool:
        parent = node.parent
        return parent is not None and parent.children.index(node) > 0 and not isinstance(node, FillLayer | Group)

    def update_state(self) -> None:
        """Enable what applies to the active layer; reflect its clip/lock/mask state."""
        doc = self.window.document
        node = doc.active if doc is not None else None
        for action in self.actions.values():
            needs_node, when = action.data()
            ok = doc is not None and (not needs_node or node is not None)
            if ok and node is not None and when is not None:
                ok = when(node)
            action.setEnabled(ok)
        self.actions["clip"].setChecked(bool(node and node.clipped))
        self.actions["lock"].setChecked(bool(node and node.locked))
        self.actions["mask_edit"].setChecked(bool(doc and node and doc.edit_mask))
        enabled = bool(node and node.mask is not None and node.mask.enabled)
        self.actions["mask_enable"].setText("Disable Mask" if enabled or not (node and node.mask) else "Enable Mask")

    # --- menus --------------------------------------------------------------------
    def add_mask_menu(self, parent: QMenu | None = None) -> QMenu:
        menu = QMenu("Add Layer Mask", parent)
        menu.setIcon(icon("layers-outline"))
        for kind, *_ in MASK_ADD_KINDS:
            menu.addAction(self.actions[f"mask_{kind}"])
        return menu

    def fill_layer_menu(self, menu: QMenu) -> None:
        for key in ("new_layer", "new_group", "new_fill", None, "duplicate", "delete", None, "group", "ungroup",
                    "raise", "lower", None, "merge_down", "flatten", None, "clip", "lock"):
            if key is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[key])

    def fill_mask_menu(self, menu: QMenu) -> None:
        menu.addMenu(self.add_mask_menu(menu))
        for key in ("mask_apply", "mask_delete", "mask_invert", "mask_enable", "mask_edit"):
            menu.addAction(self.actions[key])

    def context_menu(self, parent) -> QMenu:
        menu = QMenu(parent)
        self.fill_layer_menu(menu)
        menu.addSeparator()
        self.fill_mask_menu(menu)
        return menu
