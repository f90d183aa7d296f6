"""Magnetic lasso, pen, quick mask and the Select menu through the real canvas and main window."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.core import Document
from editor.core.ops import edit_array
from editor.core.paths import Anchor, VectorPath
from editor.masks.selection import ops
from editor.masks.selection.ops import path_coverage
from editor.masks.selection.shapes import polygons_coverage
from editor.ui.tools.magnetic import MagneticLassoTool
from editor.ui.tools.pen import PenTool
from tests.masks.selection.test_scissors import blob_scene, wobbly
from tests.ui.test_selection_tools import click, drag, send_mouse, with_tool, wp


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    """A real main window with private settings and recovery folder, no blocking message boxes."""
    from editor.ui.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.No)

    def make(document):
        window = MainWindow(document=document, recovery_folder=tmp_path / "recovery")
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def activate(qtbot, window) -> None:
    """Make the window active so its keyboard shortcuts fire."""
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def hover(canvas, x, y):
    send_mouse(canvas, QEvent.Type.MouseMove, wp(canvas, x, y), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)


def doc_coords(canvas, x, y):
    d = canvas.widget_to_doc(QPointF(wp(canvas, x, y)))
    return d.x(), d.y()


def iou(a, b):
    return float((a & b).sum()) / float((a | b).sum())


def test_magnetic_lasso_snaps_to_the_object_edge(qtbot):
    img, _, outline = blob_scene()
    inside_truth = np.zeros(img.shape[:2], bool)
    cv2.fillPoly(inside_truth.view(np.uint8), [outline.astype(np.int32)], 1)
    rgba = np.dstack([img, np.full(img.shape[:2], 255, np.uint8)])
    doc = Document.from_pixels(rgba)
    canvas, tool = with_tool(qtbot, doc, MagneticLassoTool, 1.0)
    canvas.resize(900, 700)
    tool.prepare().result(timeout=30)
    freehand = wobbly(outline, amplitude=6.0, step=8)
    click(canvas, *freehand[0])
    for p in freehand[1:]:
        hover(canvas, *p)
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    assert doc.history.labels() == ["Magnetic lasso"]
    selected = doc.selection.data >= 128
    freehand_sel = polygons_coverage(doc.width, doc.height, [freehand]) >= 128
    assert iou(selected, inside_truth) > 0.985
    assert iou(selected, inside_truth) > iou(freehand_sel, inside_truth)


def test_magnetic_lasso_escape_and_backspace(qtbot):
    img, _, outline = blob_scene()
    doc = Document.from_pixels(np.dstack([img, np.full(img.shape[:2], 255, np.uint8)]))
    canvas, tool = with_tool(qtbot, doc, MagneticLassoTool, 1.0)
    click(canvas, *outline[0])
    click(canvas, *outline[40])
    assert len(tool.trace.fixed) >= 2
    QTest.keyClick(canvas, Qt.Key.Key_Backspace)
    assert len(tool.trace.fixed) == 1
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    assert tool.trace is None and doc.selection is None and doc.history.labels() == []


def pen_doc():
    pixels = np.zeros((120, 160, 4), np.uint8)
    pixels[...] = (90, 120, 150, 255)
    return Document.from_pixels(pixels)


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_pen_path_with_curves_becomes_the_expected_antialiased_selection_and_mask(qtbot, zoom):
    doc = pen_doc()
    canvas, tool = with_tool(qtbot, doc, PenTool, zoom)
    click(canvas, 20, 20)  # corner
    drag(canvas, [(100, 30), (110, 50), (120, 70)])  # smooth anchor, handle dragged out to (120, 70)
    click(canvas, 40, 90)  # corner
    click(canvas, 20, 20)  # back on the first anchor: closes
    assert len(doc.paths) == 1 and doc.paths[0].closed
    a, b, c = doc_coords(canvas, 20, 20), doc_coords(canvas, 100, 30), doc_coords(canvas, 40, 90)
    h = doc_coords(canvas, 120, 70)
    expected_path = VectorPath("x", [Anchor.corner(*a), Anchor.smooth(*b, *h), Anchor.corner(*c)], closed=True)
    assert doc.paths[0].anchors == expected_path.anchors
    QTest.keyClick(canvas, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    expected = path_coverage(doc, expected_path)
    np.testing.assert_array_equal(doc.selection.data, expected)
    assert 0 < expected[expected > 0].min() < 128 and len(np.unique(expected)) > 20  # really antialiased
    assert doc.history.labels() == ["New path", "Add anchor", "Add anchor", "Close path", "Path to selection"]
    tool.to_mask()
    np.testing.assert_array_equal(doc.active.mask.data, expected)


def test_pen_edits_a_path_afterwards_in_one_undo_step(qtbot):
    doc = pen_doc()
    canvas, tool = with_tool(qtbot, doc, PenTool, 1.0)
    for p in [(20, 20), (80, 20), (80, 80), (20, 20)]:
        click(canvas, *p)
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    before = doc.paths[0].anchors
    drag(canvas, [(80, 80), (90, 95), (100, 100)])  # drag an anchor of the finished path
    assert doc.paths[0].anchors[2].point == doc_coords(canvas, 100, 100)
    assert doc.history.labels()[-1] == "Edit path" and len(doc.history.labels()) == 5
    doc.undo()
    assert doc.paths[0].anchors == before
    while doc.undo():
        pass
    assert doc.paths == []


def test_quick_mask_round_trip_through_the_window(qtbot, make_window):
    doc = pen_doc()
    window = make_window(doc)
    activate(qtbot, window)
    # select a rectangle, Q, paint into the quick mask (as the brush records it), Q again
    ops.select_rect(doc, 10, 10, 50, 50)
    canvas = window.canvas
    outside, inside = wp(canvas, 100, 100), wp(canvas, 30, 30)
    before = canvas.grab().toImage()
    QTest.keyClick(canvas, Qt.Key.Key_Q)
    assert doc.quick_mask is not None and doc.selection is None
    shown = canvas.grab().toImage()
    # red overlay where nothing is selected, the image untouched where it is
    assert shown.pixelColor(outside).red() > before.pixelColor(outside).red() + 30
    assert shown.pixelColor(outside).blue() < before.pixelColor(outside).blue()
    assert shown.pixelColor(inside) == before.pixelColor(inside)

    def paint(a):
        a[60:80, 60:80] = 255

    edit_array(doc, doc.quick_mask, "mask", paint, "Paint")
    QTest.keyClick(window.canvas, Qt.Key.Key_Q)
    assert doc.quick_mask is None
    assert (doc.selection.data[10:50, 10:50] == 255).all() and (doc.selection.data[60:80, 60:80] == 255).all()
    assert doc.selection.data.sum() == (40 * 40 + 20 * 20) * 255


def test_select_menu_modify_and_mask_entries(qtbot, make_window):
    doc = pen_doc()
    window = make_window(doc)
    activate(qtbot, window)
    menu = window.select_menu
    menu.ask = lambda parent, title, unit, default, maximum: 3
    ops.select_rect(doc, 20, 20, 40, 40)
    menu.actions["grow"].trigger()
    assert doc.selection.data[30, 17] == 255 and doc.selection.data[30, 16] == 0
    menu.actions["shrink"].trigger()
    menu.actions["feather"].trigger()
    assert 0 < doc.selection.data[30, 20] < 255
    menu.actions["save_to_mask"].trigger()
    np.testing.assert_array_equal(doc.active.mask.data, doc.selection.data)
    QTest.keyClick(window.canvas, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert doc.selection is None
    menu.actions["load_mask"].trigger()
    np.testing.assert_array_equal(doc.selection.data, doc.active.mask.data)
    menu.actions["hide_selection"].trigger()
    np.testing.assert_array_equal(doc.active.mask.data, 255 - doc.selection.data)
    labels = doc.history.labels()[:-1]
    assert doc.history.labels()[-1] == "Add mask"
    assert labels[-6:] == ["Grow selection by 3 px", "Shrink selection by 3 px", "Feather selection by 3 px",
                           "Save selection to mask", "Deselect", "Mask to selection"]


def test_the_selection_tools_are_in_the_toolbox_with_their_shortcuts(qtbot, make_window):
    window = make_window(pen_doc())
    activate(qtbot, window)
    names = {t.name: t for t in window.tools}
    for name in ("Rectangle Select", "Ellipse Select", "Lasso", "Polygon Lasso", "Magnetic Lasso", "Magic Wand", "Pen"):
        assert name in names
    QTest.keyClick(window.canvas, Qt.Key.Key_W)
    assert window.canvas.tool is names["Magic Wand"]
    QTest.keyClick(window.canvas, Qt.Key.Key_M)
    assert window.canvas.tool is names["Rectangle Select"]
    QTest.keyClick(window.canvas, Qt.Key.Key_P)
    assert window.canvas.tool is names["Pen"]
