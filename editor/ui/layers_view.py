"""The layers tree view: clicks on eye, thumbnails and lock; several rows selected; drag to reorder and (un)group.

Selection follows Photoshop and Krita: a click selects one layer, Ctrl+click adds or
removes one, Shift+click selects the range from the last clicked row; the clicked row
becomes the document's active layer, which the tools act on. The eye and lock of a
selected row apply to every selected row (Krita's way: a selection is a thing to act
on); Alt+click on an eye shows that layer alone, and again brings the others back.

Reordering is done here with plain mouse events rather than Qt's platform
drag and drop: the drop is always a move of every selected layer inside the
document, one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyleOptionViewItem,
    QTreeView,
)

from editor.core.layers import Adjustment, FillLayer, GradientFillLayer, Group, Node

from .layer_delegate import LayerDelegate, hit_part, row_fill
from .layers_model import EYE_COLUMN, LAYER_COLUMN, LayerTreeModel
from .theme import ACCENT


@dataclass
class DropTarget:
    parent: Group
    view_row: int  # top-first row in `parent` where the node lands
    line_y: int | None  # indicator: a line at this y, or
    box: QRect | None = None  # a frame around the group it drops into


Select = QItemSelectionModel.SelectionFlag


class LayerTreeView(QTreeView):
    mask_view_requested = Signal(object)  # Alt+click on a mask thumbnail: show that mask alone
    context_menu_requested = Signal(QPoint)
    selection_changed = Signal()  # the set of selected layers changed
    delete_requested = Signal()  # the Delete key, with nothing selected on the canvas
    clear_requested = Signal()  # the Delete key while the canvas has a selection: clear it, never delete the layer
    fill_edit_requested = Signal(object)  # double-click on a fill layer: its colour, or its gradient
    settings_requested = Signal(object)  # double-click on an adjustment's thumbnail: its Properties

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
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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
        self._anchor: Node | None = None  # where a Shift+click range starts
        # The selection as nodes, noted whenever it changes: the core edits the tree before the
        # model resets, so by then Qt's row-based selection may already name other rows.
        self._selected: set[Node] = set()
        self._select_alone_on_release: Node | None = None  # a plain press inside a multi-selection, unless it drags
        model.structure_reset.connect(self._restore_state)
        model.active_changed.connect(self.select_node)
        self.selectionModel().selectionChanged.connect(self._note_selection)
        self.expanded.connect(lambda index: self._set_expanded(index, True))
        self.collapsed.connect(lambda index: self._set_expanded(index, False))

    # --- the selection ------------------------------------------------------------
    def selected_nodes(self) -> list[Node]:
        """The selected layers and groups in stacking order (bottom first, depth first)."""
        doc = self.layer_model.doc
        if doc is None:
            return []
        return [n for n in doc.nodes() if n in self._selected]

    def _note_selection(self) -> None:
        indexes = self.selectionModel().selectedIndexes()
        self._selected = {n for i in indexes if i.column() == LAYER_COLUMN and (n := self.layer_model.node(i)) is not None}
        self.selection_changed.emit()

    def targets(self, node: Node) -> list[Node]:
        """What a click on `node`'s eye or lock acts on: the whole selection when `node` is in it."""
        selected = self.selected_nodes()
        return selected if node in selected else [node]

    def select_nodes(self, nodes: list[Node], current: Node | None = None) -> None:
        """Select exactly these rows (opening the groups that hide them); `current` gets the keyboard focus."""
        selection = QItemSelection()
        for node in nodes:
            index = self.layer_model.index_of(node, EYE_COLUMN)
            if index.isValid():
                self._reveal(node)
                selection.select(index, index.siblingAtColumn(LAYER_COLUMN))
        self.selectionModel().select(selection, Select.ClearAndSelect)
        if current is not None:
            index = self.layer_model.index_of(current)
            if index.isValid():
                self.selectionModel().setCurrentIndex(index, Select.NoUpdate)
                self.scrollTo(index)
        self.viewport().update()

    def select_node(self, node: Node | None) -> None:
        """Follow the document's active layer: kept inside the selection, or selected alone."""
        if not self.layer_model.index_of(node).isValid():
            self.selectionModel().clearSelection()
            return
        assert node is not None
        if node in self.selected_nodes():
            self.select_nodes(self.selected_nodes(), node)
        else:
            self._anchor = node
            self.select_nodes([node], node)

    def _reveal(self, node: Node) -> None:
        for ancestor in node.ancestors():
            if ancestor.parent is not None:
                self.setExpanded(self.layer_model.index_of(ancestor, 0), True)

    def _rows_in_view(self) -> list[Node]:
        """Every row the tree shows (inside open groups), top to bottom."""
        rows: list[Node] = []
        index = self.layer_model.index(0, LAYER_COLUMN)
        while index.isValid():
            node = self.layer_model.node(index)
            if node is not None:
                rows.append(node)
            index = self.indexBelow(index)
        return rows

    def _click_select(self, node: Node, mods: Qt.KeyboardModifier) -> None:
        """Ctrl+click adds or removes a row; Shift+click selects the range from the anchor (Ctrl+Shift adds it)."""
        doc = self.layer_model.doc
        assert doc is not None
        selected = self.selected_nodes()
        if mods & Qt.KeyboardModifier.ShiftModifier:
            rows = self._rows_in_view()
            anchor = self._anchor if self._anchor in rows else doc.active if doc.active in rows else node
            a, b = sorted((rows.index(anchor), rows.index(node)))
            span = rows[a : b + 1]
            chosen = [*selected, *(n for n in span if n not in selected)] if mods & Qt.KeyboardModifier.ControlModifier else span
            self.select_nodes(chosen, node)
            doc.set_active(node)
            return
        self._anchor = node
        if node not in selected:
            self.select_nodes([*selected, node], node)
            doc.set_active(node)
        elif len(selected) > 1:  # the last selected row stays: there is always an active layer
            rest = [n for n in selected if n is not node]
            active = doc.active if doc.active in rest else rest[-1]
            self.select_nodes(rest, active)
            doc.set_active(active)

    # --- sync with the document ---------------------------------------------------
    def _restore_state(self) -> None:
        doc = self.layer_model.doc
        if doc is None:
            return
        for node in doc.nodes():
            if isinstance(node, Group) and node.expanded:
                self.setExpanded(self.layer_model.index_of(node, 0), True)
        self.select_nodes(self.selected_nodes())
        self.select_node(doc.active)

    def _set_expanded(self, index: QModelIndex, expanded: bool) -> None:
        node = self.layer_model.node(index)
        if isinstance(node, Group):
            node.expanded = expanded  # view state, not an undo step (as in Krita)

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
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        node, part = self.part_at(pos)
        assert node is not None
        mods = event.modifiers()
        select_mods = mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        if part == "eye" and mods & Qt.KeyboardModifier.AltModifier:
            self.layer_model.solo(node)
        elif part == "eye":
            self.layer_model.set_visible(self.targets(node), not node.visible)
        elif part == "lock":
            self.layer_model.set_locked(self.targets(node), not node.locked)
        elif part == "link" and node.mask is not None:
            self.layer_model.toggle_mask_link(node)
        elif part == "mask" and mods & Qt.KeyboardModifier.ShiftModifier:
            self.layer_model.toggle_mask_enabled(node)
        elif part == "mask" and mods & Qt.KeyboardModifier.AltModifier:
            self._select_one(node)
            doc.set_active(node, edit_mask=True)
            self.mask_view_requested.emit(node)
        elif select_mods:
            self._click_select(node, mods)
        else:
            self._select_one(node)
            doc.set_active(node, edit_mask=part == "mask" if part in ("mask", "thumb") else None)
        self._press = (pos, node)
        event.accept()

    def _select_one(self, node: Node) -> None:
        """A plain press: the row alone, or, inside a multi-selection, alone once the button is up without a drag."""
        self._anchor = node
        selected = self.selected_nodes()
        if node in selected and len(selected) > 1:
            self._select_alone_on_release = node
        else:
            self.select_nodes([node], node)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        if self._drop is None and (pos - self._press[0]).manhattanLength() < QApplication.startDragDistance():
            return
        self._select_alone_on_release = None
        self._drop = self.drop_target(pos, self.targets(self._press[1]))
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, drop, alone = self._press, self._drop, self._select_alone_on_release
        self._press = self._drop = self._select_alone_on_release = None
        self.viewport().update()
        if press is not None and drop is not None:
            try:
                self.layer_model.move(self.targets(press[1]), drop.parent, drop.view_row)
            except ValueError:
                pass  # a group cannot go into itself
            return
        if alone is not None:
            self.select_nodes([alone], alone)
        if press is None:
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node, part = self.part_at(event.position().toPoint())
        if isinstance(node, FillLayer | GradientFillLayer) and part in ("thumb", "row"):
            self.fill_edit_requested.emit(node)  # as Photoshop: the colour picker, the Gradient Fill dialog
            return
        if isinstance(node, Adjustment) and part == "thumb":
            self.settings_requested.emit(node)
            return
        if node is not None and part in ("name", "row"):
            self.edit(self.layer_model.index_of(node))
            return
        if node is not None and part in ("eye", "lock", "mask", "thumb", "link"):
            return  # second click of a quick double toggle is handled by press
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            doc = self.layer_model.doc
            if doc is not None and doc.selection is not None and not doc.selection.is_empty:
                self.clear_requested.emit()  # Photoshop: Delete with a selection clears it
            else:
                self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
        # Arrow keys and type-ahead move the current row: it becomes the active layer.
        doc, node = self.layer_model.doc, self.layer_model.node(self.currentIndex())
        if doc is not None and node is not None and node is not doc.active:
            doc.set_active(node)

    # --- drag reorder -----------------------------------------------------------------
    def drop_target(self, pos: QPoint, dragged: list[Node]) -> DropTarget | None:
        doc = self.layer_model.doc
        assert doc is not None
        index = self.indexAt(pos)
        node = self.layer_model.node(index)
        if node is None:  # below the last row: the bottom of the stack
            last = self.visualRect(self.layer_model.index(self.layer_model.rowCount() - 1, LAYER_COLUMN))
            return DropTarget(doc.root, len(doc.root.children), last.bottom() if last.isValid() else 0)
        if any(n in dragged for n in (node, *node.ancestors())):
            return None  # onto itself, or into a group being dragged
        rect = self.visualRect(index.siblingAtColumn(LAYER_COLUMN))
        rel = (pos.y() - rect.top()) / max(1, rect.height())
        parent = node.parent
        assert parent is not None
        row = len(parent.children) - 1 - parent.children.index(node)
        if isinstance(node, Group) and 0.25 < rel < 0.75:
            return DropTarget(node, 0, None, rect)
        if rel < 0.5:
            return DropTarget(parent, row, rect.top())
        return DropTarget(parent, row + 1, rect.bottom())

    def drawBranches(self, painter: QPainter, rect: QRect, index: QModelIndex) -> None:
        """The indentation left of a nested row takes the row's selection colour, so the row reads as one band."""
        node = self.layer_model.node(index)
        doc = self.layer_model.doc
        if node is not None and node in self._selected:
            option = QStyleOptionViewItem()
            option.state = QStyle.StateFlag.State_Selected
            fill = row_fill(option, doc is not None and doc.active is node)
            if fill is not None:
                painter.fillRect(rect, fill)
        super().drawBranches(painter, rect, index)

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
