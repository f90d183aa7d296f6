"""Paints a layers-panel row as Photoshop does: thumbnails side by side, name, badges."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from editor.core.layers import Group, Node

from .icons import icon
from .layers_model import EYE_COLUMN, NODE_ROLE, LayerTreeModel
from .theme import ACCENT
from .thumbnails import THUMB_SIZE

ROW_HEIGHT = THUMB_SIZE + 8
CLIP_WIDTH = 16
GAP = 4
LOCK_SIZE = 16
LINK_WIDTH = 14  # Photoshop's chain between the layer and mask thumbnails
CHECKER = (QColor(200, 200, 200), QColor(150, 150, 150))
# Every selected row is clearly blue; the active one (what the tools act on) brighter, with a bar at its left.
ACTIVE_FILL, SELECTED_FILL, HOVER_FILL = QColor(64, 104, 152), QColor(48, 74, 106), QColor(52, 52, 56)
ACTIVE_BAR = QColor(130, 190, 255)


def row_fill(option: QStyleOptionViewItem, active: bool) -> QColor | None:
    """The background of a row: the view paints the tree's indentation with it too."""
    if option.state & QStyle.StateFlag.State_Selected:
        return ACTIVE_FILL if active else SELECTED_FILL
    if option.state & QStyle.StateFlag.State_MouseOver:
        return HOVER_FILL
    return None


def row_layout(rect: QRect, node: Node) -> dict[str, QRect]:
    """Where each part of the layer column sits; the view hit-tests clicks with the same layout."""
    top = rect.top() + (rect.height() - THUMB_SIZE) // 2
    x = rect.left() + 2
    parts: dict[str, QRect] = {}
    if node.clipped:
        parts["clip"] = QRect(x, top, CLIP_WIDTH, THUMB_SIZE)
        x += CLIP_WIDTH
    parts["thumb"] = QRect(x, top, THUMB_SIZE, THUMB_SIZE)
    x += THUMB_SIZE + GAP
    if node.mask is not None:
        parts["link"] = QRect(x - GAP + 1, top, LINK_WIDTH, THUMB_SIZE)
        x += LINK_WIDTH - GAP + 2
        parts["mask"] = QRect(x, top, THUMB_SIZE, THUMB_SIZE)
        x += THUMB_SIZE + GAP
    lock_x = rect.right() - LOCK_SIZE - 6
    parts["lock"] = QRect(lock_x, rect.top() + (rect.height() - LOCK_SIZE) // 2, LOCK_SIZE, LOCK_SIZE)
    parts["name"] = QRect(x + 2, rect.top(), max(10, lock_x - x - 6), rect.height())
    return parts


def hit_part(rect: QRect, node: Node, pos: QPoint) -> str | None:
    for name, part in row_layout(rect, node).items():
        if part.contains(pos):
            return name
    return None


class LayerDelegate(QStyledItemDelegate):
    def __init__(self, model: LayerTreeModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.mask_alone_node: Node | None = None  # the mask being shown alone on the canvas

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(120 if index.column() else 28, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        node: Node | None = index.data(NODE_ROLE)
        if node is None:
            return
        painter.save()
        doc = self.model.doc
        active = doc is not None and doc.active is node
        fill = row_fill(option, active)
        if fill is not None:
            painter.fillRect(option.rect, fill)
        painter.setPen(QColor(30, 30, 32))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        if index.column() == EYE_COLUMN:
            if active:
                painter.fillRect(QRect(option.rect.left(), option.rect.top(), 3, option.rect.height() - 1), ACTIVE_BAR)
            self._paint_eye(painter, option.rect, node)
        else:
            self._paint_layer(painter, option, node, active)
        painter.restore()

    def _paint_eye(self, painter: QPainter, rect: QRect, node: Node) -> None:
        visible_in_tree = all(a.visible for a in node.ancestors())
        name, color = ("eye", "#d8d8d8" if visible_in_tree else "#777777") if node.visible else ("eye-off-outline", "#555555")
        icon(name, color).paint(painter, QRect(rect.center().x() - 9, rect.center().y() - 9, 18, 18))

    def _paint_layer(self, painter: QPainter, option: QStyleOptionViewItem, node: Node, active: bool) -> None:
        parts = row_layout(option.rect, node)
        doc = self.model.doc
        editing_mask = doc is not None and doc.active is node and doc.edit_mask
        if "clip" in parts:
            icon("arrow-down-right", "#bbbbbb").paint(painter, parts["clip"].adjusted(0, 10, 0, -10))
        thumb_rect = parts["thumb"]
        if isinstance(node, Group):
            painter.fillRect(thumb_rect, QColor(44, 44, 47))
            icon("folder-open" if node.expanded else "folder", "#e0b050").paint(painter, thumb_rect.adjusted(6, 6, -6, -6))
        else:
            self._paint_checker(painter, thumb_rect)
            image = self.model.thumbnails.layer(node)
            if image is not None:
                painter.drawImage(self._centered(thumb_rect, image.size()), image)
        self._frame(painter, thumb_rect, active=active and not editing_mask)
        if "link" in parts and node.mask is not None and node.mask.linked:
            link = parts["link"]
            box = QRect(link.center().x() - 6, link.center().y() - 6, 13, 13)
            painter.save()  # the chain stands upright between the thumbnails, as in Photoshop
            painter.translate(box.center())
            painter.rotate(90)
            painter.translate(-box.center())
            icon("link", "#d0d0d0").paint(painter, box)
            painter.restore()
        if "mask" in parts:
            mask_rect = parts["mask"]
            painter.fillRect(mask_rect, Qt.GlobalColor.black)
            image = self.model.thumbnails.mask(node)
            if image is not None:
                painter.drawImage(self._centered(mask_rect, image.size()), image)
            self._frame(painter, mask_rect, active=active and editing_mask)
            if node.mask is not None and not node.mask.enabled:  # Shift+click disabled it: a red cross
                painter.setPen(QPen(QColor(230, 40, 40), 2.5))
                painter.drawLine(mask_rect.topLeft() + QPoint(3, 3), mask_rect.bottomRight() - QPoint(3, 3))
                painter.drawLine(mask_rect.topRight() + QPoint(-3, 3), mask_rect.bottomLeft() + QPoint(3, -3))
            if node is self.mask_alone_node:
                painter.setPen(QPen(QColor(255, 200, 60), 2))
                painter.drawRect(mask_rect.adjusted(-2, -2, 1, 1))
        name_rect = parts["name"]
        font = painter.font()
        font.setItalic(not node.visible)
        font.setBold(isinstance(node, Group))
        painter.setFont(font)
        painter.setPen(QColor(240, 240, 240) if node.visible else QColor(140, 140, 140))
        text = painter.fontMetrics().elidedText(node.name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        if node.locked:
            icon("lock", "#c8c8c8").paint(painter, parts["lock"])

    @staticmethod
    def _centered(box: QRect, size: QSize) -> QRect:
        return QRect(box.x() + (box.width() - size.width()) // 2, box.y() + (box.height() - size.height()) // 2,
                     size.width(), size.height())

    @staticmethod
    def _paint_checker(painter: QPainter, rect: QRect, cell: int = 5) -> None:
        for j in range(0, rect.height(), cell):
            for i in range(0, rect.width(), cell):
                color = CHECKER[((i // cell) + (j // cell)) % 2]
                painter.fillRect(QRect(rect.x() + i, rect.y() + j, min(cell, rect.width() - i), min(cell, rect.height() - j)), color)

    @staticmethod
    def _frame(painter: QPainter, rect: QRect, *, active: bool) -> None:
        """A thin border; a bright double frame on what the tools are editing (pixels or mask)."""
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if active:
            painter.setPen(QPen(QColor(255, 255, 255), 2))
            painter.drawRect(rect.adjusted(-1, -1, 0, 0))
            painter.setPen(QPen(ACCENT, 1))
            painter.drawRect(rect.adjusted(-3, -3, 2, 2))
        else:
            painter.setPen(QPen(QColor(20, 20, 20), 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))

    # --- renaming -----------------------------------------------------------------
    def updateEditorGeometry(self, editor, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        node = index.data(NODE_ROLE)
        if node is not None:
            rect = row_layout(option.rect, node)["name"]
            editor.setGeometry(rect.adjusted(-2, (rect.height() - 24) // 2, 0, -(rect.height() - 24) // 2))
        else:
            super().updateEditorGeometry(editor, option, index)
