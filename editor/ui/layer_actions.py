"""The Layer and Mask commands, as QActions shared by the menus, the panel and its context menu.

With several layers selected in the panel, Delete, Duplicate, Group, Merge (Ctrl+E merges
the selection instead of merging down) and Lock act on all of them, each as one undo
step; the commands that only make sense for one layer are disabled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QMenu

from editor.core import ops
from editor.core.layers import (
    FILL_LAYERS,
    Adjustment,
    FillLayer,
    GradientFillLayer,
    Group,
    Layer,
    Node,
)

from . import color_dialog
from .icons import icon

if TYPE_CHECKING:
    from .main_window import MainWindow


def _render_ops():
    """editor.render.ops (merge down, merge layers, flatten, apply mask) needs the compositor."""
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
        a("group", "Group Layer", "folder-move-outline", "Ctrl+G", lambda doc, n: ops.group_together(doc, self.selected()), multi=True)
        a("ungroup", "Ungroup", "folder-remove-outline", "Ctrl+Shift+G", lambda doc, n: ops.ungroup(doc, n), when=lambda n: isinstance(n, Group))
        # Layer > New Fill Layer > Solid Colour… / Gradient… ("new_fill" keeps its id: the panel's button)
        a("new_fill", "Solid Colour…", "format-color-fill", None, self._new_fill, needs_node=False)
        a("new_gradient_fill", "Gradient…", "gradient-horizontal", None, lambda doc, n: self.new_gradient_fill(),
          needs_node=False)
        from editor.render import adjustments

        for spec in adjustments.SPECS.values():
            a(f"adjust_{spec.name}", f"{spec.label.replace('&', '&&')}…", "tune-variant" if spec.category == "adjustment" else "blur",
              None, lambda doc, n, name=spec.name: self._new_adjustment(doc, name), needs_node=False)
        a("adjust_settings", "Adjustment Settings…", "tune-vertical", None, self.edit_adjustment,
          when=lambda n: isinstance(n, Adjustment))
        a("content_options", "Layer Content Options…", "pencil-outline", None, lambda doc, n: self.edit_content(n),
          when=lambda n: isinstance(n, FillLayer | GradientFillLayer | Adjustment))
        a("duplicate", "Duplicate Layer", "content-duplicate", None, self._duplicate, multi=True)  # Ctrl+J: clipboard.py
        a("delete", "Delete Layer", "delete-outline", None, lambda doc, n: ops.delete_nodes(doc, self.selected()), multi=True)
        a("merge_down", "Merge Down", "arrow-collapse-down", "Ctrl+E", self._merge, when=self._has_below, multi=True)
        a("rasterize", "Rasterize Layer", "image-outline", None, self._rasterize, when=lambda n: isinstance(n, FILL_LAYERS))
        a("flatten", "Flatten Image", "layers-triple-outline", None, lambda doc, n: _render_ops().flatten(doc), needs_node=False)
        a("raise", "Bring Forward", "arrange-bring-forward", "Ctrl+]", lambda doc, n: ops.raise_nodes(doc, self.selected(), 1),
          multi=True)
        a("lower", "Send Backward", "arrange-send-backward", "Ctrl+[", lambda doc, n: ops.raise_nodes(doc, self.selected(), -1),
          multi=True)
        a("clip", "Clip to Layer Below", "arrow-down-right", "Ctrl+Alt+G", self._toggle_clip, checkable=True)
        a("lock", "Lock Layer", "lock-outline", "Ctrl+/",
          lambda doc, n: self.window.layers_panel.model.set_locked(self.selected(), not n.locked), checkable=True, multi=True)
        for kind, text, _name, _inv in MASK_ADD_KINDS:
            a(f"mask_{kind}", text, "vector-difference-ab" if kind == "white" else "vector-difference-ba" if kind == "black" else "layers-outline",
              None, lambda doc, n, k=kind: ops.add_mask(doc, n, k),
              when=(lambda n: isinstance(n, Layer)) if kind in ("alpha", "grayscale") else None)
        a("mask_apply", "Apply Mask", "merge", None, lambda doc, n: _render_ops().apply_mask(doc, n), when=self._has_mask)
        a("mask_delete", "Delete Mask", "close-box-outline", None, lambda doc, n: ops.discard_mask(doc, n), when=self._has_mask)
        a("mask_invert", "Invert Mask", "invert-colors", "Ctrl+I", lambda doc, n: ops.invert_mask(doc, n), when=self._has_mask)
        a("mask_enable", "Disable Mask", "eye-off", None, lambda doc, n: ops.set_mask_enabled(doc, n, not n.mask.enabled), when=self._has_mask)
        a("mask_edit", "Edit Mask", "draw", None, lambda doc, n: doc.set_active(n, edit_mask=not doc.edit_mask), when=self._has_mask, checkable=True, undoable=False)

    def _add(self, key: str, text: str, icon_name: str, shortcut: str | None, fn: Callable, *, needs_node: bool = True,
             when: Callable[[Node], bool] | None = None, checkable: bool = False, undoable: bool = True,
             multi: bool = False) -> QAction:
        """`multi`: acts on every selected layer; otherwise, with several selected, the action is disabled."""
        action = QAction(icon(icon_name), text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.setData((needs_node, when, multi))
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

    def selected(self) -> list[Node]:
        """The layers selected in the panel (bottom first); the active layer when the panel is not built yet."""
        panel = getattr(self.window, "layers_panel", None)
        nodes = panel.view.selected_nodes() if panel is not None else []
        doc = self.window.document
        if not nodes and doc is not None and doc.active is not None:
            nodes = [doc.active]
        return nodes

    # --- the operations that need more than one call ------------------------------
    def _duplicate(self, doc, node) -> None:
        originals = ops.top_level(doc, self.selected())
        copies = ops.duplicate_nodes(doc, originals)
        twin = dict(zip(originals, copies, strict=True))
        active = twin.get(node, copies[-1])
        doc.set_active(active)
        self.window.layers_panel.view.select_nodes(copies, active)

    def _merge(self, doc, node) -> None:
        """Ctrl+E: merge the selected layers when there are several (Photoshop's Merge Layers), else merge down."""
        selected = self.selected()
        if len(selected) > 1:
            _render_ops().merge_layers(doc, selected)
        else:
            _render_ops().merge_down(doc, node)
    def _new_fill(self, doc, node) -> None:
        """A new fill layer; with a selection active it takes the selection as its mask."""
        color = color_dialog.ask_colour(self.window, self.window.foreground, "Fill layer colour", alpha=True)
        if color is not None:
            ops.new_fill_layer(doc, (color.red(), color.green(), color.blue(), color.alpha()))

    def new_gradient_fill(self):
        """Layer > New Fill Layer > Gradient…: the Gradient Fill dialog over a new layer, shown live."""
        from .dialogs.gradient_fill_dialog import open_gradient_fill

        return open_gradient_fill(self.window)

    def _rasterize(self, doc, node) -> None:
        """Layer > Rasterize Layer: a fill layer becomes the pixels it draws (its mask kept)."""
        from editor.io import kinds as file_kinds

        raster = file_kinds.of(node).raster(node, doc.canvas)
        if raster is None:
            raise ValueError(f"{node.name} has no pixels of its own to keep")
        ops.rasterize_fill(doc, node, raster[0])

    def _new_adjustment(self, doc, name: str) -> None:
        """Layer > New Adjustment Layer > (one): the layer above the active one (its mask from the
        selection when there is one), its controls in the Properties panel, as in Photoshop."""
        from editor.render import adjustments

        spec = adjustments.spec(name)
        node = ops.new_adjustment_layer(doc, name, spec.defaults(), name=spec.label)
        self.show_adjustment_properties(node)

    def show_adjustment_properties(self, node) -> None:
        """The node's controls in the Properties panel, brought forward; the settings dialog
        where there is no panel."""
        panel = getattr(self.window, "properties_panel", None)
        doc = self.window.document
        if panel is None:
            self.edit_adjustment(doc, node)
            return
        if doc.active is not node:
            doc.set_active(node)
        panel.refresh()
        panel.show_settings()

    def edit_adjustment(self, doc, node) -> None:
        """Layer > Adjustment Settings…: the settings in a dialog of their own, Cancel taking back
        what it did."""
        from .dialogs.adjustment_dialog import AdjustmentDialog

        dialog = AdjustmentDialog(self.window, doc, node)
        self.window.adjustment_dialog = dialog  # for tests and screenshots
        # A drag previews at the screen's level; its end and OK/Cancel show the full render at once.
        dialog.released.connect(self.window.canvas.settle)
        dialog.finished.connect(lambda _r: self.window.canvas.settle())
        dialog.open()

    def adjustment_menu(self, parent, category: str = "adjustment") -> QMenu:
        from editor.render import adjustments

        title = "New Adjustment Layer" if category == "adjustment" else "New Filter Layer"
        menu = QMenu(title, parent)
        menu.setIcon(icon("tune-variant" if category == "adjustment" else "blur"))
        for spec in adjustments.SPECS.values():
            if spec.category == category:
                menu.addAction(self.actions[f"adjust_{spec.name}"])
        return menu

    def edit_content(self, node) -> bool:
        """Layer > Layer Content Options… and double-click on a fill layer (Photoshop's): a colour
        fill's colour picker, a gradient fill's Gradient Fill dialog, an adjustment's settings."""
        if isinstance(node, GradientFillLayer):
            from .dialogs.gradient_fill_dialog import open_gradient_fill

            return open_gradient_fill(self.window, node) is not None
        if isinstance(node, Adjustment):
            self.edit_adjustment(self.window.document, node)
            return True
        return self.change_fill_colour(node)

    def change_fill_colour(self, node) -> bool:
        """Double-click on a fill layer: pick its colour again (one undo step)."""
        if not isinstance(node, FillLayer):
            return False
        color = color_dialog.ask_colour(self.window, QColor(*node.color), f"{node.name}: colour", alpha=True)
        if color is None:
            return False
        ops.set_properties(self.window.document, node, color=(color.red(), color.green(), color.blue(), color.alpha()),
                           label=f"Fill colour of “{node.name}”")
        return True

    def _toggle_clip(self, doc, node) -> None:
        ops.set_properties(doc, node, clipped=not node.clipped,
                           label="Release clipping mask" if node.clipped else "Create clipping mask")

    @staticmethod
    def _has_mask(node: Node) -> bool:
        return node.mask is not None

    @staticmethod
    def _has_below(node: Node) -> bool:
        parent = node.parent
        return parent is not None and parent.children.index(node) > 0 and not isinstance(node, (*FILL_LAYERS, Group))

    def update_state(self) -> None:
        """Enable what applies to the selection (or the active layer alone); reflect its clip/lock/mask state."""
        doc = self.window.document
        node = doc.active if doc is not None else None
        several = len(self.selected()) > 1 if doc is not None else False
        for action in self.actions.values():
            needs_node, when, multi = action.data()
            ok = doc is not None and (not needs_node or node is not None)
            if ok and several and needs_node:
                ok = multi
            elif ok and node is not None and when is not None:
                ok = when(node)
            action.setEnabled(ok)
        for key, one, many in (("merge_down", "Merge Down", "Merge Layers"), ("delete", "Delete Layer", "Delete Layers"),
                               ("duplicate", "Duplicate Layer", "Duplicate Layers"), ("group", "Group Layer", "Group Layers"),
                               ("lock", "Lock Layer", "Lock Layers")):
            self.actions[key].setText(many if several else one)
        self.actions["clip"].setChecked(bool(node and node.clipped))
        self.actions["lock"].setChecked(bool(node and node.locked))
        self.actions["mask_edit"].setChecked(bool(doc and node and doc.edit_mask))
        enabled = bool(node and node.mask is not None and node.mask.enabled)
        self.actions["mask_enable"].setText("Disable Mask" if enabled or not (node and node.mask) else "Enable Mask")

    # --- menus --------------------------------------------------------------------
    def fill_menu(self, parent=None) -> QMenu:
        """Layer > New Fill Layer: Solid Colour…, Gradient… (Photoshop's)."""
        menu = QMenu("New Fill Layer", parent)
        menu.setIcon(icon("format-color-fill"))
        menu.addAction(self.actions["new_fill"])
        menu.addAction(self.actions["new_gradient_fill"])
        return menu

    def add_mask_menu(self, parent: QMenu | None = None) -> QMenu:
        menu = QMenu("Add Layer Mask", parent)
        menu.setIcon(icon("layers-outline"))
        for kind, *_ in MASK_ADD_KINDS:
            menu.addAction(self.actions[f"mask_{kind}"])
        return menu

    def fill_layer_menu(self, menu: QMenu) -> None:
        for key in ("new_layer", "new_group", "fill_menu", "adjust_menus", "adjust_settings", "content_options", None, "duplicate", "delete", None, "group", "ungroup",
                    "raise", "lower", None, "merge_down", "rasterize", "flatten", None, "clip", "lock"):
            if key is None:
                menu.addSeparator()
            elif key == "fill_menu":
                menu.addMenu(self.fill_menu(menu))
            elif key == "adjust_menus":
                menu.addMenu(self.adjustment_menu(menu))
                menu.addMenu(self.adjustment_menu(menu, "filter"))
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
