"""A Qt item model over the document's layer tree, top layer first.

It adapts the core's change events: structure changes reset the model,
property and mask changes update their row, and thumbnails refresh lazily.
Edits made through the model (rename, visibility) go through core commands.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from editor.core import Change, Document, SetProperties, ops
from editor.core.layers import Group, Node

from .thumbnails import ThumbnailCache

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
EYE_COLUMN, LAYER_COLUMN = 0, 1

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root (a module constant: defaults must not be calls)


class LayerTreeModel(QAbstractItemModel):
    active_changed = Signal(object)  # the newly active Node or None
    structure_reset = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.thumbnails = ThumbnailCache(self)
        self.thumbnails.updated.connect(self._thumbnail_updated)
        self._nodes: dict[int, Node] = {}
        # The last Alt+click on an eye: (node, visibility before, visibility it set), to undo it on the next one.
        self._solo: tuple[Node, dict[Node, bool], dict[Node, bool]] | None = None

    # --- document -------------------------------------------------------------
    def set_document(self, doc: Document | None) -> None:
        self.beginResetModel()
        if self.doc is not None:
            self.doc.events.disconnect(self._on_change)
        self.doc = doc
        self.thumbnails.set_document(doc)
        self._reindex()
        if doc is not None:
            doc.events.connect(self._on_change)
        self.endResetModel()
        self.structure_reset.emit()

    def _reindex(self) -> None:
        self._nodes = {n.uid: n for n in self.doc.nodes()} if self.doc is not None else {}

    def _on_change(self, change: Change) -> None:
        if change.kind in ("structure", "document"):
            self.beginResetModel()
            self._reindex()
            self.endResetModel()
            self.structure_reset.emit()
        elif change.kind in ("property", "mask") and change.node is not None:
            self.node_changed(change.node)
        elif change.kind == "active":
            self.active_changed.emit(change.node)
        if change.kind in ("structure", "history") and self.doc is not None:
            self.active_changed.emit(self.doc.active)

    def node_changed(self, node: Node) -> None:
        index = self.index_of(node)
        if index.isValid():
            self.dataChanged.emit(index.siblingAtColumn(EYE_COLUMN), index.siblingAtColumn(LAYER_COLUMN))

    def _thumbnail_updated(self, node: Node) -> None:
        if node.uid in self._nodes:
            self.node_changed(node)

    # --- tree structure -------------------------------------------------------------
    def node(self, index: Index) -> Node | None:
        if not index.isValid():
            return None
        return self._nodes.get(index.internalId())

    def _group(self, parent: Index) -> Group | None:
        if self.doc is None:
            return None
        if not parent.isValid():
            return self.doc.root
        node = self.node(parent)
        return node if isinstance(node, Group) else None

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        group = self._group(parent)
        if group is None or not (0 <= row < len(group.children)) or not (0 <= column < 2):
            return QModelIndex()
        node = group.children[len(group.children) - 1 - row]  # top first
        return self.createIndex(row, column, node.uid)

    def index_of(self, node: Node | None, column: int = LAYER_COLUMN) -> QModelIndex:
        if node is None or node.parent is None or self.doc is None or node.uid not in self._nodes:
            return QModelIndex()
        siblings = node.parent.children
        return self.createIndex(len(siblings) - 1 - siblings.index(node), column, node.uid)

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None or node.parent is None or self.doc is None or node.parent is self.doc.root:
            return QModelIndex()
        return self.index_of(node.parent, 0)

    def rowCount(self, parent: Index = ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        group = self._group(parent)
        return len(group.children) if group is not None else 0

    def columnCount(self, parent: Index = ROOT) -> int:
        return 2

    def hasChildren(self, parent: Index = ROOT) -> bool:
        return self.rowCount(parent) > 0

    # --- data -----------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == NODE_ROLE:
            return node
        if index.column() == LAYER_COLUMN and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return node.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, index.column())
        return None

    @staticmethod
    def _tooltip(node: Node, column: int) -> str:
        if column == EYE_COLUMN:
            return "Hide layer" if node.visible else "Show layer"
        parts = [node.name, node.blend_mode.label, f"{round(node.opacity * 100)}%"]
        if node.fill < 1:
            parts.append(f"fill {round(node.fill * 100)}%")
        if node.mask is not None:
            parts.append("mask" + ("" if node.mask.enabled else " (disabled)"))
        if node.clipped:
            parts.append("clipped to the layer below")
        return " · ".join(parts)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node(index)
        if node is None or self.doc is None:
            return False
        if index.column() == LAYER_COLUMN and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name and name != node.name:
                ops.set_properties(self.doc, node, name=name, label=f"Rename to {name}")
            return True
        if index.column() == EYE_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
            ops.set_properties(self.doc, node, visible=bool(value), label="Show layer" if value else "Hide layer")
            return True
        return False

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == LAYER_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- edits from the view --------------------------------------------------------
    def set_visible(self, nodes: list[Node], visible: bool) -> None:
        """Show or hide these nodes, one undo step."""
        assert self.doc is not None
        label = ("Show " if visible else "Hide ") + ("layer" if len(nodes) == 1 else f"{len(nodes)} layers")
        ops.set_properties_each(self.doc, {n: {"visible": visible} for n in nodes}, label)

    def set_locked(self, nodes: list[Node], locked: bool) -> None:
        """Lock or unlock these nodes, one undo step."""
        assert self.doc is not None
        label = ("Lock " if locked else "Unlock ") + ("layer" if len(nodes) == 1 else f"{len(nodes)} layers")
        ops.set_properties_each(self.doc, {n: {"locked": locked} for n in nodes}, label)

    def solo(self, node: Node) -> None:
        """Alt+click on an eye: show `node` alone; on the same node again, bring back what was visible before.

        "Alone" hides every sibling of the node and of each of its groups, and shows the node
        and those groups; what lies inside them keeps its own visibility. Each is one undo step.
        """
        assert self.doc is not None
        path = [node, *(a for a in node.ancestors() if a is not self.doc.root)]
        alone = {n: True for n in path}
        for kept in path:
            assert kept.parent is not None
            alone.update({s: False for s in kept.parent.children if s is not kept})
        record = self._solo
        if record is not None and record[0] is node and all(n.uid in self._nodes and n.visible == v for n, v in record[2].items()):
            before = {n: v for n, v in record[1].items() if n.uid in self._nodes}
            ops.set_properties_each(self.doc, {n: {"visible": v} for n, v in before.items()}, "Show previous layers")
            return
        if all(n.visible == v for n, v in alone.items()):  # already alone, nothing remembered: show them all
            ops.set_properties_each(self.doc, {n: {"visible": True} for n in alone}, "Show all layers")
            return
        self._solo = (node, {n: n.visible for n in alone}, alone)
        ops.set_properties_each(self.doc, {n: {"visible": v} for n, v in alone.items()}, f"Show {node.name} alone")

    def toggle_mask_enabled(self, node: Node) -> None:
        assert self.doc is not None and node.mask is not None
        ops.set_mask_enabled(self.doc, node, not node.mask.enabled)

    def toggle_mask_link(self, node: Node) -> None:
        """The chain between the thumbnails: linked, move and transform take the mask along (one undo step)."""
        assert self.doc is not None and node.mask is not None
        linked = not node.mask.linked
        self.doc.execute(SetProperties(node, {"linked": linked}, target="mask",
                                       label="Link Layer and Mask" if linked else "Unlink Layer and Mask"))

    def move(self, nodes: list[Node], parent: Group, view_row: int) -> None:
        """Move `nodes`, keeping their order, so they show at `view_row` (top-first, counted before removal) of `parent`."""
        assert self.doc is not None
        below = parent.children[: max(0, len(parent.children) - view_row)]  # what stays under the drop line
        moving = set(nodes)
        ops.move_nodes(self.doc, nodes, parent, sum(1 for c in below if c not in moving))
