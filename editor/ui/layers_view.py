"""The layers tree view: clicks on eye, thumbnails and lock; drag to reorder and (un)group.

Reordering is done here with plain mouse events rather than Qt's platform
drag and drop: the drop is always a move inside the document, one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTreeView

from editor.core.layers import Group, Node

from .layer_delegate import LayerDelegate, hit_part
from .layers_model import EYE_COLUMN, LAYER_COLUMN, LayerTreeModel
from .theme import ACCENT


@dataclass
class DropTarget:
    parent: Group
    view_row: int  # top-first row in `parent` where the node lands
    line_y: int | None  # indicator: a line at this y, or
    box: QRect | None = None  # a frame around the group it drops into


class LayerTreeView(QTreeView):
    mask_view_requested = Signal(object)  # Alt+click on a mask thumbnail: show that mask alone
    context_menu_requested = Signal(QPoint)

    def __init__(self, model: LayerTreeModel, parent=None) -> None:
        super().__init__(parent)
        self.layer_model = model
        self.setModel(model)
        self.delegate = LayerDelegate(model, self)
        self.setItemDelegate(self.delegate)
        self.setTreePosition(LAYER_COLUMN)  # the eye column stays unindented, as in Photoshop
        self.setHeaderHidden(True)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setExpandsOnDoubleClick(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self.context_menu_requested)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(EYE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(EYE_COLUMN, 30)
        self._press: tuple[QPoint, Node] | None = None
        self._drop: DropTarget | None = None
        model.structure_reset.connect(self._restore_state)
        model.active_changed.connect(self.select_node)
        self.expanded.connect(lambda index: self._set_expanded(index, True))
        self.collapsed.connect(lambda index: self._set_expanded(index, False))

    # --- sync with the document ---------------------------------------------------
    def _restore_state(self) -> None:
        doc = self.layer_model.doc
        if doc is None:
            return
        for node in doc.nodes():
            if isinstance(node, Group) and node.expanded:
                self.setExpanded(self.layer_model.index_of(node, 0), True)
        self.select_node(doc.active)

    def _set_expanded(self, index: QModelIndex, expanded: bool) -> None:
        node = self.layer_model.node(index)
        if isinstance(node, Group):
            node.expanded = expanded  # view state, not an undo step (as in Krita)

    def select_node(self, node: Node | None) -> None:
        index = self.layer_model.index_of(node)
        if not index.isValid():
            self.selectionModel().clearSelection()
            return
        for ancestor in node.ancestors():
            if ancestor.parent is not None:
                self.setExpanded(self.layer_model.index_of(ancestor, 0), True)
        self.selectionModel().setCurrentIndex(index, self.selectionModel().SelectionFlag.ClearAndSelect | self.selectionModel().SelectionFlag.Rows)
        self.scrollTo(index)
        self.viewport().update()

    # --- clicks ---------------------------------------------------------------------
    def part_at(self, pos: QPoint) -> tuple[Node | None, str | None]:
        index = self.indexAt(pos)
        node = self.layer_model.node(index)
        if node is None:
            return None, None
        if index.column() == EYE_COLUMN:
            return node, "eye"
        return node, hit_part(self.visualRect(index), node, pos) or "row"

    def mousePressEvent(self, event: QMouseEvent) -> None:
        doc = self.layer_model.doc
        index = self.indexAt(event.position().toPoint())
        if doc is None or not index.isValid() or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position().toPoint()
        if index.column() == LAYER_COLUMN and pos.x() < self.visualRect(index).left():
            super().mousePressEvent(event)  # the expand arrow
            return
        node, part = self.part_at(pos)
        assert node is not None
        mods = event.modifiers()
        if part == "eye":
            self.layer_model.toggle_visible(node)
        elif part == "lock":
            self.layer_model.toggle_locked(node)
        elif part == "mask" and mods & Qt.KeyboardModifier.ShiftModifier:
            self.layer_model.toggle_mask_enabled(node)
        elif part == "mask" and mods & Qt.KeyboardModifier.AltModifier:
            doc.set_active(node, edit_mask=True)
            self.mask_view_requested.emit(node)
        elif part == "mask":
            doc.set_active(node, edit_mask=True)
        elif part == "thumb":
            doc.set_active(node, edit_mask=False)
        else:
            doc.set_active(node)
        self._press = (pos, node)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        if self._drop is None and (pos - self._press[0]).manhattanLength() < QApplication.startDragDistance():
            return
        self._drop = self.drop_target(pos, self._press[1])
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, drop = self._press, self._drop
        self._press = self._drop = None
        self.viewport().update()
        if press is not None and drop is not None:
            try:
                self.layer_model.move(press[1], drop.parent, drop.view_row)
            except ValueError:
                pass  # a group cannot go into itself
            return
        if press is None:
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node, part = self.part_at(event.position().toPoint())
        if node is not None and part in ("name", "row"):
            self.edit(self.layer_model.index_of(node))
            return
        if node is not None and part in ("eye", "lock", "mask", "thumb"):
            return  # second click of a quick double toggle is handled by press
        super().mouseDoubleClickEvent(event)

    # --- drag reorder -----------------------------------------------------------------
    def drop_target(self, pos: QPoint, dragged: Node) -> DropTarget | None:
        doc = self.layer_model.doc
        assert doc is not None
        index = self.indexAt(pos)
        node = self.layer_model.node(index)
        if node is None:  # below the last row: the bottom of the stack
            last = self.visualRect(self.layer_model.index(self.layer_model.rowCount() - 1, LAYER_COLUMN))
            return DropTarget(doc.root, len(doc.root.children), last.bottom() if last.isValid() else 0)
        if node is dragged:
            return None
        rect = self.visualRect(index.siblingAtColumn(LAYER_COLUMN))
        rel = (pos.y() - rect.top()) / max(1, rect.height())
        parent = node.parent
        assert parent is not None
        row = len(parent.children) - 1 - parent.children.index(node)
        if isinstance(node, Group) and 0.25 < rel < 0.75:
            if dragged in [node, *node.ancestors()]:
                return None
            return DropTarget(node, 0, None, rect)
        if rel < 0.5:
            return DropTarget(parent, row, rect.top())
        return DropTarget(parent, row + 1, rect.bottom())

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._drop is None:
            return
        p = QPainter(self.viewport())
        p.setPen(QPen(ACCENT, 2))
        if self._drop.box is not None:
            p.setBrush(QColor(62, 133, 207, 40))
            p.drawRect(self._drop.box.adjusted(1, 1, -1, -1))
        elif self._drop.line_y is not None:
            p.drawLine(0, self._drop.line_y, self.viewport().width(), self._drop.line_y)
        p.end()
