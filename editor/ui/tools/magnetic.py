"""Magnetic lasso: click on an edge, move along it, and the outline snaps to it.

Each click fastens the outline; points are also fastened on their own as the
pointer travels (editor.masks.selection.scissors). Double-click, Enter or a
click on the start closes it; Backspace removes the last stretch; Esc
cancels. The image is prepared (composite and pyramid) in a background
thread when the tool is chosen, and again after the pixels change.
"""

from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QPainter

from editor.core import Change, Document
from editor.masks.selection import ops
from editor.masks.selection.scissors import EdgeImage, MagneticTrace

from .base import PointerEvent
from .lasso import CLOSE_DISTANCE_PX
from .selection_base import SelectionTool, draw_outline

STALE_KINDS = ("pixels", "mask", "property", "structure", "document")
_preparer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="magnetic-lasso")


def prepare_edges(doc: Document) -> EdgeImage:
    """The merged image as an EdgeImage (runs in the worker; reads the document only)."""
    return EdgeImage(ops.sample_image(doc, merged=True))


class MagneticLassoTool(SelectionTool):
    name = "Magnetic Lasso"
    icon = "magnet"
    shortcut = "Ctrl+Shift+L"
    tooltip = "Magnetic lasso (Ctrl+Shift+L): click an edge and follow it; double-click or Enter closes"

    def __init__(self, host) -> None:
        super().__init__(host)
        self.trace: MagneticTrace | None = None
        self._edges: Future | None = None
        self._watched: Document | None = None
        self._mode = "replace"
        self._outline: list[QPointF] = []

    # --- preparation -----------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.kind in STALE_KINDS:
            self._edges = None

    def prepare(self) -> Future:
        doc = self.document
        if self._watched is not doc:
            if self._watched is not None:
                self._watched.events.disconnect(self._on_change)
            doc.events.connect(self._on_change)
            self._watched, self._edges = doc, None
        if self._edges is None:
            self._edges = _preparer.submit(prepare_edges, doc)
        return self._edges

    def edges(self) -> EdgeImage:
        future = self.prepare()
        try:
            return future.result()
        except Exception:  # the document changed under the worker: prepare again, here
            self._edges = None
            edges = prepare_edges(self.document)
            done: Future = Future()
            done.set_result(edges)
            self._edges = done
            return edges

    def activate(self) -> None:
        self.prepare()

    # --- input -------------------------------------------------------------------
    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        if self.trace is None:
            self._mode = self.mode_for(event)
            self.trace = MagneticTrace(self.edges(), (pos.x(), pos.y()), zoom=self.canvas.zoom)
            self._update_outline()
        elif self._near_start(pos):
            self.close()
        else:
            self.trace.add_anchor((pos.x(), pos.y()))
            self._update_outline()

    def hover(self, pos: QPointF, event: PointerEvent) -> None:
        if self.trace is not None:
            self.trace.move((pos.x(), pos.y()))
            self._update_outline()

    move = hover

    def double_click(self, pos: QPointF, event: PointerEvent) -> None:
        if self.trace is not None:
            self.close()

    def takes_key(self, event: QKeyEvent) -> bool:
        return self.trace is not None and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def key_press(self, event: QKeyEvent) -> bool:
        if self.trace is None:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        elif event.key() == Qt.Key.Key_Backspace:
            if not self.trace.remove_last_anchor():
                self.cancel()
            else:
                self._update_outline()
        else:
            return False
        return True

    def deactivate(self) -> None:
        self.cancel()

    def _near_start(self, pos: QPointF) -> bool:
        assert self.trace is not None
        pts = self.trace.points()
        if len(pts) < 3:
            return False
        a = self.canvas.doc_to_widget(QPointF(*pts[0]))
        b = self.canvas.doc_to_widget(pos)
        return math.hypot(a.x() - b.x(), a.y() - b.y()) <= CLOSE_DISTANCE_PX

    def close(self) -> None:
        trace, self.trace = self.trace, None
        area = self.overlay_rect()
        self._outline = []
        self.repaint_outline(area)
        if trace is None:
            return
        points = trace.points()
        if len(points) < 3:
            return
        ops.select_polygon(self.document, points, self._mode, antialias=self.antialias, label="Magnetic lasso")

    def cancel(self) -> None:
        area = self.overlay_rect()
        self.trace, self._outline = None, []
        self.repaint_outline(area)

    # --- drawing -------------------------------------------------------------------
    def _update_outline(self) -> None:
        old = self.overlay_rect()
        pts = self.trace.points() if self.trace is not None else []
        step = max(1, len(pts) // 4000)  # a long outline is thinned for drawing only
        self._outline = [QPointF(x, y) for x, y in pts[::step]]
        self.repaint_outline(old, self.overlay_rect())

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        draw_outline(painter, canvas, self._outline, closed=False)

    def overlay_rect(self) -> QRectF | None:
        if not self._outline:
            return None
        xs = [p.x() for p in self._outline]
        ys = [p.y() for p in self._outline]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
