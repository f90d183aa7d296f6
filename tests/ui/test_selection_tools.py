"""Selection tools driven with real Qt mouse and key events on the real canvas, at two zoom levels."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from editor.core import Document, Layer
from editor.masks.selection.shapes import ellipse_coverage, polygons_coverage
from editor.ui.tools.lasso import LassoTool, PolygonLassoTool
from editor.ui.tools.marquee import EllipseMarqueeTool, RectMarqueeTool
from editor.ui.tools.wand import MagicWandTool
from tests.ui.conftest import ToolHost as Host
from tests.ui.conftest import tool_canvas

NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
ZOOMS = [1.0, 2.0]


def scene_doc(w=160, h=120):
    """Grey backdrop, a flat blue square at (20..60, 20..60) and a slightly different blue bar beside it."""
    pixels = np.zeros((h, w, 4), np.uint8)
    pixels[...] = (128, 128, 128, 255)
    pixels[20:60, 20:60] = (30, 60, 200, 255)
    pixels[20:60, 60:80] = (30, 60, 240, 255)  # blue differs by 40
    return Document.from_pixels(pixels)


def with_tool(qtbot, doc, tool_class, zoom):
    canvas = tool_canvas(qtbot, doc, zoom)
    host = Host(canvas)
    tool = tool_class(host)
    canvas.set_tool(tool)
    return canvas, tool


def send_mouse(widget, kind: QEvent.Type, pos: QPoint, button=Qt.MouseButton.LeftButton,
               buttons=Qt.MouseButton.LeftButton, modifiers=NO) -> None:
    """A real QMouseEvent with explicit button state (QTest's moves carry no buttons)."""
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def wp(canvas, x, y) -> QPoint:
    return canvas.doc_to_widget(QPointF(x, y)).toPoint()


def drag(canvas, points, modifiers=NO, press_modifiers=None):
    send_mouse(canvas, QEvent.Type.MouseButtonPress, wp(canvas, *points[0]),
               modifiers=modifiers if press_modifiers is None else press_modifiers)
    for p in points[1:]:
        send_mouse(canvas, QEvent.Type.MouseMove, wp(canvas, *p), Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, modifiers)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, wp(canvas, *points[-1]), Qt.MouseButton.LeftButton,
               Qt.MouseButton.NoButton, modifiers)


def click(canvas, x, y, modifiers=NO):
    send_mouse(canvas, QEvent.Type.MouseButtonPress, wp(canvas, x, y), modifiers=modifiers)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, wp(canvas, x, y), Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, modifiers)


def rect_data(doc, x0, y0, x1, y1):
    out = np.zeros((doc.height, doc.width), np.uint8)
    out[y0:y1, x0:x1] = 255
    return out


@pytest.mark.parametrize("zoom", ZOOMS)
def test_rectangle_marquee_selects_the_pixels_it_frames(qtbot, zoom):
    doc = scene_doc()
    canvas, _ = with_tool(qtbot, doc, RectMarqueeTool, zoom)
    drag(canvas, [(10, 5), (25, 15), (40, 25)])
    np.testing.assert_array_equal(doc.selection.data, rect_data(doc, 10, 5, 40, 25))
    assert doc.history.labels() == ["Rectangle select"]


@pytest.mark.parametrize("zoom", ZOOMS)
def test_marquee_modifiers_add_subtract_intersect(qtbot, zoom):
    doc = scene_doc()
    canvas, _ = with_tool(qtbot, doc, RectMarqueeTool, zoom)
    drag(canvas, [(10, 10), (50, 50)])
    drag(canvas, [(40, 40), (80, 80)], modifiers=NO, press_modifiers=SHIFT)  # Shift at the press: add
    expected = np.maximum(rect_data(doc, 10, 10, 50, 50), rect_data(doc, 40, 40, 80, 80))
    np.testing.assert_array_equal(doc.selection.data, expected)
    drag(canvas, [(0, 0), (30, 30)], press_modifiers=ALT)  # subtract
    expected[0:30, 0:30] = 0
    np.testing.assert_array_equal(doc.selection.data, expected)
    drag(canvas, [(35, 35), (60, 60)], press_modifiers=SHIFT | ALT)  # intersect
    np.testing.assert_array_equal(doc.selection.data, np.minimum(expected, rect_data(doc, 35, 35, 60, 60)))
    assert len(doc.history.labels()) == 4


def test_mode_buttons_in_the_options_bar(qtbot):
    doc = scene_doc()
    canvas, tool = with_tool(qtbot, doc, RectMarqueeTool, 1.0)
    drag(canvas, [(10, 10), (50, 50)])
    tool.options.mode_buttons["subtract"].click()
    drag(canvas, [(10, 10), (30, 50)])
    np.testing.assert_array_equal(doc.selection.data, rect_data(doc, 30, 10, 50, 50))


@pytest.mark.parametrize("zoom", ZOOMS)
def test_shift_constrains_and_alt_draws_from_the_centre(qtbot, zoom):
    doc = scene_doc()
    canvas, _ = with_tool(qtbot, doc, RectMarqueeTool, zoom)
    drag(canvas, [(10, 10), (40, 20)], modifiers=SHIFT, press_modifiers=NO)  # square while dragging
    np.testing.assert_array_equal(doc.selection.data, rect_data(doc, 10, 10, 40, 40))
    drag(canvas, [(50, 50), (60, 55)], modifiers=ALT, press_modifiers=NO)  # from the centre
    np.testing.assert_array_equal(doc.selection.data, rect_data(doc, 40, 45, 60, 55))


@pytest.mark.parametrize("zoom", ZOOMS)
def test_ellipse_marquee_is_antialiased(qtbot, zoom):
    doc = scene_doc()
    canvas, _ = with_tool(qtbot, doc, EllipseMarqueeTool, zoom)
    drag(canvas, [(20, 10), (60, 40), (100, 70)])
    np.testing.assert_array_equal(doc.selection.data, ellipse_coverage(doc.width, doc.height, 20, 10, 100, 70))


def test_a_click_without_a_drag_deselects(qtbot):
    doc = scene_doc()
    canvas, _ = with_tool(qtbot, doc, RectMarqueeTool, 1.0)
    drag(canvas, [(10, 10), (50, 50)])
    click(canvas, 70, 70)
    assert doc.selection is None


@pytest.mark.parametrize("zoom", ZOOMS)
def test_freehand_lasso_selects_the_polygon_it_traced(qtbot, zoom):
    doc = scene_doc()
    canvas, _ = with_tool(qtbot, doc, LassoTool, zoom)
    pts = [(20, 20), (60, 20), (80, 50), (40, 90), (10, 60)]
    drag(canvas, pts)
    widget_exact = [(canvas.widget_to_doc(QPointF(wp(canvas, *p))).x(), canvas.widget_to_doc(QPointF(wp(canvas, *p))).y()) for p in pts]
    np.testing.assert_array_equal(doc.selection.data, polygons_coverage(doc.width, doc.height, [widget_exact]))


@pytest.mark.parametrize("zoom", ZOOMS)
def test_polygon_lasso_closes_on_the_first_corner_and_on_double_click(qtbot, zoom):
    doc = scene_doc()
    canvas, _ = with_tool(qtbot, doc, PolygonLassoTool, zoom)
    for p in [(10, 10), (70, 10), (70, 50), (10, 10)]:
        click(canvas, *p)
    np.testing.assert_array_equal(doc.selection.data, polygons_coverage(doc.width, doc.height, [[(10, 10), (70, 10), (70, 50)]]))
    for p in [(100, 10), (140, 10), (140, 50)]:
        click(canvas, *p, modifiers=SHIFT if p == (100, 10) else NO)
    QTest.mouseDClick(canvas, Qt.MouseButton.LeftButton, NO, wp(canvas, 140, 50))
    assert doc.selection.data[20, 40] == 255 and doc.selection.data[20, 130] == 255
    assert doc.history.labels() == ["Lasso select", "Lasso select"]


def test_polygon_lasso_keys(qtbot):
    doc = scene_doc()
    canvas, tool = with_tool(qtbot, doc, PolygonLassoTool, 1.0)
    for p in [(10, 10), (70, 10), (99, 99), ]:
        click(canvas, *p)
    QTest.keyClick(canvas, Qt.Key.Key_Backspace)
    click(canvas, 70, 50)
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    np.testing.assert_array_equal(doc.selection.data, polygons_coverage(doc.width, doc.height, [[(10, 10), (70, 10), (70, 50)]]))
    click(canvas, 5, 5)
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    assert tool.points == []


@pytest.mark.parametrize("zoom", ZOOMS)
def test_wand_selects_a_flat_region_and_not_beyond_the_tolerance(qtbot, zoom):
    doc = scene_doc()
    canvas, tool = with_tool(qtbot, doc, MagicWandTool, zoom)
    tool.options.antialias.setChecked(False)
    tool.tolerance.setValue(39)
    click(canvas, 30, 30)
    np.testing.assert_array_equal(doc.selection.data, rect_data(doc, 20, 20, 60, 60))
    tool.tolerance.setValue(40)
    click(canvas, 30, 30)
    np.testing.assert_array_equal(doc.selection.data, rect_data(doc, 20, 20, 80, 60))
    click(canvas, 5, 5, modifiers=SHIFT)
    assert (doc.selection.data == 255).all()


def test_wand_global_sample_merged_and_antialias(qtbot):
    doc = scene_doc()
    top = np.zeros((doc.height, doc.width, 4), np.uint8)
    top[90:110, 100:140] = (30, 60, 200, 255)
    doc.root.insert(1, Layer("Top", top))
    canvas, tool = with_tool(qtbot, doc, MagicWandTool, 1.0)
    tool.tolerance.setValue(5)
    tool.contiguous.setChecked(False)
    click(canvas, 30, 30)  # the active layer is the backdrop: the top square is not in it
    assert doc.selection.data[100, 120] == 0
    tool.sample_merged.setChecked(True)
    click(canvas, 30, 30)
    assert doc.selection.data[100, 120] == 255 and doc.selection.data[30, 30] == 255
    assert 0 < doc.selection.data[19, 30] < 128 < doc.selection.data[20, 30]  # antialiased edge
    # a change to the pixels refreshes the sample
    doc.layers()[0].pixels[0:5, 0:5] = (30, 60, 200, 255)
    doc.notify("pixels", doc.layers()[0], doc.canvas)
    click(canvas, 30, 30)
    assert doc.selection.data[2, 2] == 255
