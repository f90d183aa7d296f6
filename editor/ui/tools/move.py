"""The Move tool (V): drag the selected layers with their masks (the active one when alone); arrow keys nudge."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QCursor, QKeyEvent

from editor.core import ops
from editor.core.layers import Group, Layer
from editor.render.transform import move_unlinked

from .base import PointerEvent, Tool

_drag_ids = itertools.count(1)

NUDGE_KEYS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


def movable(node) -> bool:
    if node is None or node.locked:
        return False
    return isinstance(node, Layer) or (isinstance(node, Group) and any(isinstance(n, Layer) for n in node.walk()))


class MoveTool(Tool):
    name = "Move"
    icon = "cursor-move"
    shortcut = "V"
    tooltip = "Move the selected layers and their masks (V); arrow keys nudge, Shift+arrow by 10"

    def _move_by(self, nodes: list, dx: int, dy: int, merge_key: str) -> None:
        """Linked masks move with their layers; an unlinked one stays, or moves alone while it is being edited."""
        doc = self.document
        unlinked = any(l.mask is not None and not l.mask.linked
                       for n in nodes for l in ([n] if isinstance(n, Layer) else n.walk() if isinstance(n, Group) else [])
                       if isinstance(l, Layer))
        if unlinked:
            move_unlinked(doc, nodes, dx, dy, "mask" if doc.edit_mask else "pixels", merge_key=merge_key)
        else:
            ops.move_nodes_by(doc, nodes, dx, dy, merge_key=merge_key)

    def __init__(self, host) -> None:
        super().__init__(host)
        self._start: QPointF | None = None
        self._moved = (0, 0)
        self._merge_key = ""

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.SizeAllCursor)

    def targets(self) -> list:
        """What moves: the selected layers (Photoshop moves them all), if every one of them can."""
        nodes = self.host.selected_layers()
        return nodes if nodes and all(movable(n) for n in nodes) else []

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        if not self.targets():
            self.host.show_status("A selected layer is locked or cannot move")
            return
        self._start = QPointF(pos)
        self._moved = (0, 0)
        self._merge_key = f"move-tool-{next(_drag_ids)}"  # one drag = one undo step

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self._start is None:
            return
        dx = round(pos.x() - self._start.x())
        dy = round(pos.y() - self._start.y())
        if event.has(Qt.KeyboardModifier.ShiftModifier):  # constrain to an axis
            dx, dy = (dx, 0) if abs(dx) >= abs(dy) else (0, dy)
        step = (dx - self._moved[0], dy - self._moved[1])
        if step != (0, 0):
            self._move_by(self.targets(), *step, self._merge_key)
            self._moved = (dx, dy)

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        self._start = None

    def deactivate(self) -> None:
        self._start = None

    def key_press(self, event: QKeyEvent) -> bool:
        delta = NUDGE_KEYS.get(Qt.Key(event.key()))
        nodes = self.targets()
        if delta is None or not nodes:
            return False
        step = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        if not event.isAutoRepeat() or not self._merge_key:  # a held key's repeats are one step
            self._merge_key = f"nudge-{next(_drag_ids)}"
        self._move_by(nodes, delta[0] * step, delta[1] * step, self._merge_key)
        return True
