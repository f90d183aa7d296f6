"""Pen (P): draw Bézier paths with handles, edit them, turn them into a selection or a mask.

Click: a corner anchor. Press and drag: a smooth anchor whose handles follow
the pointer (Alt breaks the symmetry). A click on the first anchor closes the
path. With no path in progress, dragging an anchor or a handle of any path
edits it; Ctrl+drag moves an anchor of the path in progress. Enter or Esc
ends the path; Ctrl+Enter (or "Selection" in the options) makes it the
selection, "Mask" gives the active layer a mask from it. Paths live in
the document (doc.paths), so they are undoable and saved with the project.
Each anchor with its drag is one undo step.
"""

from __future__ import annotations

import itertools
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QPushButton

from editor.core.paths import AddPath, Anchor, EditPath, VectorPath
from editor.masks.selection import ops

from .base import PointerEvent
from .selection_base import SelectionOptions, SelectionTool

HIT_PX = 6
_edits = itertools.count(1)
PATH_COLOUR = QColor(40, 160, 255)


class PenTool(SelectionTool):
    name = "Pen"
    icon = "fountain-pen-tip"
    shortcut = "P"
    tooltip = "Pen (P): click corners, drag curves; click the first anchor to close; Ctrl+Enter selects"

    def __init__(self, host) -> None:
        super().__init__(host)
        self.path: VectorPath | None = None  # the path being drawn or edited
        self._drag: tuple[str, int] | None = None  # ("new" | "point" | "in" | "out", anchor index)
        self._key = ""
        self._origin = QPointF()

    def build_options(self, options: SelectionOptions) -> None:
        self.to_selection_button = options.add(QPushButton("Selection"))
        self.to_selection_button.setToolTip("Make the path the selection (Ctrl+Enter), combined by the mode")
        self.to_selection_button.clicked.connect(self.to_selection)
        self.to_mask_button = options.add(QPushButton("Mask"))
        self.to_mask_button.setToolTip("Give the active layer a mask from the path")
        self.to_mask_button.clicked.connect(self.to_mask)

    def activate(self) -> None:
        self.options  # noqa: B018 - build the option widgets

    # --- finding things under the pointer -----------------------------------------
    def _close_to(self, a: tuple[float, float], pos: QPointF) -> bool:
        wa, wb = self.canvas.doc_to_widget(QPointF(*a)), self.canvas.doc_to_widget(pos)
        return math.hypot(wa.x() - wb.x(), wa.y() - wb.y()) <= HIT_PX

    def _hit(self, pos: QPointF) -> tuple[VectorPath, str, int] | None:
        """An anchor or handle under the pointer: the current path first, then the others."""
        paths = ([self.path] if self.path is not None else []) + [p for p in reversed(self.document.paths) if p is not self.path]
        for path in paths:
            for i, a in enumerate(path.anchors):
                if self._close_to(a.point, pos):
                    return path, "point", i
            for i, a in enumerate(path.anchors):
                if a.handle_out != a.point and self._close_to(a.handle_out, pos):
                    return path, "out", i
                if a.handle_in != a.point and self._close_to(a.handle_in, pos):
                    return path, "in", i
        return None

    # --- input ----------------------------------------------------------------------------
    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        doc, p = self.document, (pos.x(), pos.y())
        self._key = f"pen-{next(_edits)}"
        self._origin = QPointF(pos)
        drawing = self.path is not None and not self.path.closed and self.path in doc.paths
        hit = self._hit(pos)
        if drawing and hit is not None and hit[0] is self.path and hit[1] == "point" and hit[2] == 0 and len(self.path.anchors) > 1:
            doc.execute(EditPath(self.path, self.path.anchors, True, label="Close path", merge_key=self._key))
            self._drag = None
        elif hit is not None and (not drawing or event.has(Qt.KeyboardModifier.ControlModifier) or hit[1] != "point"):
            self.path, kind, index = hit
            self._drag = (kind, index)
        elif drawing:
            assert self.path is not None
            doc.execute(EditPath(self.path, (*self.path.anchors, Anchor.corner(*p)), label="Add anchor", merge_key=self._key))
            self._drag = ("new", len(self.path.anchors) - 1)
        else:
            self.path = VectorPath(f"Path {len(doc.paths) + 1}", [Anchor.corner(*p)])
            doc.execute(AddPath(self.path, merge_key=self._key))
            self._drag = ("new", 0)
        self.canvas.update_overlay()

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self._drag is None or self.path is None:
            return
        kind, i = self._drag
        anchors = list(self.path.anchors)
        a = anchors[i]
        x, y = pos.x(), pos.y()
        mirror = not event.has(Qt.KeyboardModifier.AltModifier)
        if kind == "new":
            anchors[i] = Anchor.smooth(*a.point, x, y)
        elif kind == "point":
            anchors[i] = a.moved(x - a.point[0], y - a.point[1])
        elif kind == "out":
            handle_in = (2 * a.point[0] - x, 2 * a.point[1] - y) if mirror else a.handle_in
            anchors[i] = Anchor(a.point, handle_in, (x, y))
        else:
            handle_out = (2 * a.point[0] - x, 2 * a.point[1] - y) if mirror else a.handle_out
            anchors[i] = Anchor(a.point, (x, y), handle_out)
        label = "Add anchor" if kind == "new" else "Edit path"
        self.document.execute(EditPath(self.path, anchors, label=label, merge_key=self._key))
        self.canvas.update_overlay()

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if self._drag is not None and pos != self._origin:
            self.move(pos, event)
        self._drag = None

    def key_press(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.to_selection()
            else:
                self.finish()
            return True
        if key == Qt.Key.Key_Escape and self.path is not None:
            self.finish()
            return True
        return False

    def finish(self) -> None:
        """End the path in progress; it stays in the document."""
        self.path = None
        self._drag = None
        self.canvas.update_overlay()

    def deactivate(self) -> None:
        self.finish()

    def _target(self) -> VectorPath | None:
        if self.path is not None and self.path in self.document.paths:
            return self.path
        return self.document.paths[-1] if self.document.paths else None

    def to_selection(self) -> None:
        path = self._target()
        if path is None or len(path.anchors) < 2:
            self.host.show_status("Draw a path first")
            return
        ops.select_path(self.document, path, self.options.mode, antialias=self.antialias)

    def to_mask(self) -> None:
        path, node = self._target(), self.document.active
        if path is None or len(path.anchors) < 2:
            self.host.show_status("Draw a path first")
            return
        if node is None:
            self.host.show_status("Choose a layer for the mask")
            return
        ops.path_to_mask(self.document, path, node, antialias=self.antialias)

    # --- drawing ------------------------------------------------------------------------------
    def paint_overlay(self, painter: QPainter, canvas) -> None:
        path = self._target()
        if path is None or not path.anchors:
            return
        to_w = canvas.doc_to_widget
        shape = QPainterPath(to_w(QPointF(*path.anchors[0].point)))
        for _p0, c0, c1, p1 in path.segments():
            shape.cubicTo(to_w(QPointF(*c0)), to_w(QPointF(*c1)), to_w(QPointF(*p1)))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(PATH_COLOUR, 1.5))
        painter.drawPath(shape)
        editing = path is self.path
        for a in path.anchors:
            centre = to_w(QPointF(*a.point))
            if editing:
                painter.setPen(QPen(PATH_COLOUR, 1))
                for h in (a.handle_in, a.handle_out):
                    if h != a.point:
                        hw = to_w(QPointF(*h))
                        painter.drawLine(centre, hw)
                        painter.drawEllipse(hw, 3, 3)
            painter.setPen(QPen(Qt.GlobalColor.white, 1))
            painter.setBrush(PATH_COLOUR if editing else Qt.GlobalColor.white)
            painter.drawRect(QRectF(centre.x() - 3, centre.y() - 3, 6, 6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.restore()
