"""Canvas: zoom keys and wheel around the cursor, pans, the Move tool, repainting from document changes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from editor.core import Rect, ops
from editor.ui.tools import TOOL_CLASSES, MoveTool

from .conftest import activate, mouse_drag, send_mouse, small_document


def shown(canvas, x, y):
    c = canvas.grab().toImage().pixelColor(canvas.doc_to_widget(QPointF(x, y)).toPoint())
    return c.red(), c.green(), c.blue()


def test_zoom_keys(make_window, qtbot):
    window = make_window(small_document())
    canvas = window.canvas
    activate(qtbot, window)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom == 1.0
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.zoom == 2.0
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.zoom == 2 / 3
    qtbot.keyClick(canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    doc_on_screen = canvas.doc_rect_to_widget(Rect(0, 0, 120, 80))
    assert canvas.rect().toRectF().contains(doc_on_screen)  # fit: the whole image is visible
    assert doc_on_screen.width() > canvas.width() * 0.5 or doc_on_screen.height() > canvas.height() * 0.5


def test_ctrl_wheel_zooms_around_cursor_and_wheel_pans(make_window):
    window = make_window(small_document())
    canvas = window.canvas
    cursor = QPointF(200, 150)
    under = canvas.widget_to_doc(cursor)
    wheel = QWheelEvent(cursor, canvas.mapToGlobal(cursor), QPoint(), QPoint(0, 240), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    zoom = canvas.zoom
    QApplication.sendEvent(canvas, wheel)
    assert canvas.zoom > zoom
    after = canvas.widget_to_doc(cursor)
    assert abs(after.x() - under.x()) < 1e-6 and abs(after.y() - under.y()) < 1e-6
    origin = QPointF(canvas.view.origin)
    plain = QWheelEvent(cursor, canvas.mapToGlobal(cursor), QPoint(), QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, plain)
    assert canvas.view.origin.y() == origin.y() - 60


def test_middle_drag_and_space_drag_pan(make_window, qtbot):
    window = make_window(small_document())
    canvas = window.canvas
    origin = QPointF(canvas.view.origin)
    qtbot.mousePress(canvas, Qt.MouseButton.MiddleButton, pos=QPoint(100, 100))
    send_mouse(canvas, QEvent.Type.MouseMove, QPoint(130, 90), Qt.MouseButton.NoButton, Qt.MouseButton.MiddleButton)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, QPoint(130, 90), Qt.MouseButton.MiddleButton, Qt.MouseButton.NoButton)
    assert canvas.view.origin == origin + QPointF(30, -10)
    red = window.document.find_by_name("Red")
    canvas.setFocus()
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    mouse_drag(canvas, QPoint(100, 100), QPoint(80, 100))
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert canvas.view.origin == origin + QPointF(10, -10)
    assert red.offset == (20, 10)  # space-drag panned; the Move tool did not move the layer


def test_move_tool_drag_and_nudge(make_window, qtbot):
    assert MoveTool in TOOL_CLASSES
    window = make_window(small_document())
    canvas, doc = window.canvas, window.document
    red = doc.find_by_name("Red")
    window.set_tool(window.tool("Move"))
    canvas.set_zoom(2.0, QPointF(0, 0))
    start = canvas.doc_to_widget(QPointF(30, 20)).toPoint()
    steps = doc.history.index
    mouse_drag(canvas, start, start + QPoint(20, 10))  # 20x10 widget px at 200% = 10x5 document px
    assert red.offset == (30, 15)
    assert doc.history.index == steps + 1  # one drag, one undo step
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert red.offset == (29, 25)
    doc.undo()
    doc.undo()
    doc.undo()
    assert red.offset == (20, 10)


def test_canvas_repaints_document_changes(make_window):
    window = make_window(small_document())
    canvas, doc = window.canvas, window.document
    assert shown(canvas, 30, 20) == (230, 30, 30)
    red = doc.find_by_name("Red")
    ops.set_properties(doc, red, visible=False)
    assert shown(canvas, 30, 20) == (20, 40, 200)
    bg = doc.find_by_name("Background")
    ops.edit_array(doc, bg, "pixels", lambda a: a.__setitem__((slice(0, 5), slice(0, 5)), (0, 255, 0, 255)), "Paint")
    assert shown(canvas, 2, 2) == (0, 255, 0)
    window.toggle_mask_overlay()
    ops.add_mask(doc, bg, "black")
    r, g, b = shown(canvas, 60, 60)
    assert r > g and r > b  # a hidden area under the overlay is tinted red
    window.toggle_mask_overlay()
    np.testing.assert_array_equal(bg.mask.data, 0)
