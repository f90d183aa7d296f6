"""Eyedropper, Hand, Zoom, the colour swatch's dialog, marquee styles and fill layers, through the real window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QColorDialog

from editor.core import Document, FillLayer, Layer, Rect, Selection, SetSelection, ops
from editor.ui import color_dialog
from editor.ui.layer_delegate import row_layout
from tests.ui.conftest import mouse_drag, send_mouse

ALT = Qt.KeyboardModifier.AltModifier


def stripes_document() -> Document:
    """Columns of distinct colours under a half-transparent green layer over the right half."""
    doc = Document(100, 60)
    bg = np.zeros((60, 100, 4), np.uint8)
    bg[..., 0] = (np.arange(100) * 2)[None, :]
    bg[..., 1] = 50
    bg[..., 2] = (np.arange(60) * 3)[:, None]
    bg[..., 3] = 255
    doc.root.insert(0, Layer("Background", bg))
    top = np.zeros((60, 50, 4), np.uint8)
    top[...] = (0, 255, 0, 128)
    layer = Layer("Green", top, offset=(50, 0))
    doc.root.insert(1, layer)
    doc.active = layer
    return doc


@pytest.fixture
def window(make_window):
    window = make_window(stripes_document())
    window.canvas.set_zoom(4.0, QPointF(0, 0))
    window.canvas.view.origin = QPointF(10.0, 10.0)
    return window


def wp(window, x, y) -> QPoint:
    return window.canvas.doc_to_widget(QPointF(x, y)).toPoint()


def click(window, x, y, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    p = wp(window, x, y)
    send_mouse(window.canvas, QEvent.Type.MouseButtonPress, p, modifiers=modifiers)
    send_mouse(window.canvas, QEvent.Type.MouseButtonRelease, p, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, modifiers)


def test_eyedropper_picks_point_and_averages_and_alt_sets_the_background(window):
    window.set_tool(window.tool("Eyedropper"))
    tool = window.canvas.tool
    tool.options.source.setCurrentIndex(0)  # All Layers
    click(window, 10.5, 20.5)
    assert window.foreground.getRgb()[:3] == (20, 50, 60)
    tool.options.size.setCurrentIndex(2)  # 5 by 5 Average: the mean of columns 8..12 and rows 18..22
    click(window, 10.5, 20.5)
    assert window.foreground.getRgb()[:3] == (20, 50, 60)
    tool.options.size.setCurrentIndex(1)
    click(window, 0.5, 0.5)  # at the corner only the 2x2 inside the canvas counts
    assert window.foreground.getRgb()[:3] == (1, 50, 2)
    tool.options.size.setCurrentIndex(0)
    click(window, 30.5, 10.5, ALT)
    assert window.background.getRgb()[:3] == (60, 50, 30)
    assert window.foreground.getRgb()[:3] == (1, 50, 2)


def test_eyedropper_samples_the_current_layer_or_the_composite(window):
    window.set_tool(window.tool("Eyedropper"))
    tool = window.canvas.tool
    click(window, 70.5, 30.5)  # All Layers: green at half over (140, 50, 90)
    r, g, b, _ = window.foreground.getRgb()
    assert abs(r - 70) <= 1 and abs(g - 153) <= 1 and abs(b - 45) <= 1
    tool.options.source.setCurrentIndex(1)  # Current Layer: the green itself
    click(window, 70.5, 30.5)
    assert window.foreground.getRgb()[:3] == (0, 255, 0)


def test_zoom_tool_click_alt_click_and_rectangle(window):
    canvas = window.canvas
    window.set_tool(window.tool("Zoom"))
    canvas.set_zoom(1.0, QPointF(0, 0))
    canvas.view.origin = QPointF(20.0, 20.0)
    click(window, 30, 20)
    assert canvas.zoom == 2.0
    assert canvas.widget_to_doc(QPointF(wp(window, 30, 20))).x() == pytest.approx(30, abs=0.5)
    click(window, 30, 20, ALT)
    click(window, 30, 20, ALT)
    assert canvas.zoom == pytest.approx(2 / 3)  # 200 %, 100 %, 66.7 %: Photoshop's stops
    canvas.set_zoom(1.0, QPointF(0, 0))
    canvas.view.origin = QPointF(20.0, 20.0)
    mouse_drag(canvas, wp(window, 20, 10), wp(window, 60, 40))
    expected = min(canvas.width() / 40, canvas.height() / 30)
    assert canvas.zoom == pytest.approx(min(expected, 32.0))
    centre = canvas.widget_to_doc(QPointF(canvas.width() / 2, canvas.height() / 2))
    assert (centre.x(), centre.y()) == pytest.approx((40, 25), abs=0.01)
    assert window.document.selection is None  # zooming selects nothing


def test_hand_tool_and_space_pan_the_view_without_painting(window, qtbot):
    canvas = window.canvas
    window.set_tool(window.tool("Hand"))
    origin = QPointF(canvas.view.origin)
    mouse_drag(canvas, QPoint(200, 200), QPoint(150, 230))
    assert canvas.view.origin == origin + QPointF(-50, 30)
    window.set_tool(window.tool("Brush"))
    steps = len(window.document.history.steps)
    canvas.setFocus()
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    mouse_drag(canvas, QPoint(200, 200), QPoint(210, 200))
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert canvas.view.origin == origin + QPointF(-40, 30)
    assert len(window.document.history.steps) == steps  # nothing painted


def test_clicking_the_foreground_swatch_opens_a_colour_dialog_with_hex_entry(window, qtbot):
    seen = {}

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QColorDialog):  # not open yet (a slow machine): look again soon
            QTimer.singleShot(50, answer)
            return
        seen["dialog"] = dialog
        field = color_dialog.hex_field(dialog)
        seen["hex"] = field is not None
        field.selectAll()
        QTest.keyClicks(field, "#12ab34")
        QTest.keyClick(field, Qt.Key.Key_Tab)
        dialog.accept()

    QTimer.singleShot(200, answer)
    swatch = window.swatch
    qtbot.mouseClick(swatch, Qt.MouseButton.LeftButton, pos=swatch._fg_rect().center())
    assert seen.get("hex") and seen["dialog"].testOption(QColorDialog.ColorDialogOption.DontUseNativeDialog)
    assert window.foreground.name() == "#12ab34"


def test_rectangle_marquee_fixed_ratio_fixed_size_and_readout(window):
    doc = window.document
    window.set_tool(window.tool("Rectangle Select"))
    tool = window.canvas.tool
    tool.set_style("ratio", 2, 1)
    canvas = window.canvas
    send_mouse(canvas, QEvent.Type.MouseButtonPress, wp(window, 10, 10))
    send_mouse(canvas, QEvent.Type.MouseMove, wp(window, 50, 15), Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
    assert tool.readout_text() == "W: 40 px  H: 20 px"
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, wp(window, 50, 15), Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    assert doc.selection.bounds() == Rect(10, 10, 40, 20)
    assert tool.readout_text() is None
    tool.set_style("size", 30, 12)
    click(window, 5, 40)
    assert doc.selection.bounds() == Rect(5, 40, 30, 12)
    window.set_tool(window.tool("Ellipse Select"))
    ellipse = window.canvas.tool
    ellipse.set_style("size", 20, 10)
    click(window, 60, 5)
    assert doc.selection.bounds() == Rect(60, 5, 20, 10)
    ellipse.set_style("normal")
    assert not ellipse.width_spin.isEnabled()


def test_double_click_on_a_fill_layer_changes_its_colour_in_one_step(window, monkeypatch, qtbot):
    doc = window.document
    fill = ops.new_fill_layer(doc, (255, 0, 0, 255))
    monkeypatch.setattr(color_dialog, "ask_colour", lambda *a, **k: QColor(10, 20, 30))
    view = window.layers_panel.view
    qtbot.waitUntil(lambda: view.layer_model.index_of(fill).isValid())
    rect = view.visualRect(view.layer_model.index_of(fill))
    thumb = row_layout(rect, fill)["thumb"].center()
    steps = len(doc.history.steps)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, thumb)
    assert fill.color == (10, 20, 30, 255)
    assert len(doc.history.steps) == steps + 1
    doc.undo()
    assert fill.color == (255, 0, 0, 255)


def test_a_new_fill_layer_takes_the_selection_as_its_mask(window, monkeypatch):
    doc = window.document
    data = np.zeros((60, 100), np.uint8)
    data[10:30, 20:70] = 255
    doc.execute(SetSelection(Selection(data)))
    monkeypatch.setattr(color_dialog, "ask_colour", lambda *a, **k: QColor(0, 0, 255))
    steps = len(doc.history.steps)
    window.layer_actions.actions["new_fill"].trigger()
    fill = doc.active
    assert isinstance(fill, FillLayer) and fill.color == (0, 0, 255, 255)
    assert np.array_equal(fill.mask.data, data) and doc.selection is None
    assert len(doc.history.steps) == steps + 1
    doc.undo()
    assert fill not in doc.root.children and np.array_equal(doc.selection.data, data)
