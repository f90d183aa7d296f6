"""Brush and Eraser tools driven with real Qt mouse, key and tablet events on the real canvas."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from editor.core import Document, Layer, Mask
from editor.paint import Brush
from editor.ui.tools import TOOL_CLASSES
from editor.ui.tools.brush import BrushTool, EraserTool
from tests.ui.conftest import ToolHost as Host
from tests.ui.conftest import tool_canvas


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    """Keep remembered brush settings away from the user's own."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings().clear()


def masked_doc(w=300, h=200, offset=(0, 0)):
    doc = Document(w + max(0, offset[0]), h + max(0, offset[1]))
    pixels = np.zeros((h, w, 4), np.uint8)
    pixels[...] = (30, 90, 160, 255)
    layer = Layer("Photo", pixels, offset=offset, mask=Mask.filled(h, w, 0))
    doc.root.insert(0, layer)
    doc.set_active(layer, edit_mask=True)
    return doc, layer


def with_tool(qtbot, doc, zoom=1.0, tool_class=BrushTool, brush=None):
    canvas = tool_canvas(qtbot, doc, zoom)
    host = Host(canvas)
    tool = tool_class(host)
    if brush is not None:
        tool.set_brush(brush)
    canvas.set_tool(tool)
    return canvas, host, tool


def widget_point(canvas, x, y) -> QPoint:
    return canvas.doc_to_widget(QPointF(x, y)).toPoint()


def drag(qtbot, canvas, points, modifier=Qt.KeyboardModifier.NoModifier):
    """Press at the first document point, move through the rest with the button held, release."""
    first = widget_point(canvas, *points[0])
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, modifier, first)
    for p in points[1:]:
        qtbot.mouseMove(canvas, widget_point(canvas, *p))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, modifier, widget_point(canvas, *points[-1]))


@pytest.mark.parametrize("zoom", [0.5, 2.0])
def test_a_mouse_stroke_paints_the_mask_where_the_pointer_went(qtbot, zoom):
    doc, layer = masked_doc(offset=(20, 10))
    canvas, host, tool = with_tool(qtbot, doc, zoom, brush=Brush(size=12, hardness=1.0))
    path = [(60 + 10 * i, 80) for i in range(13)]  # document coordinates, y = 80
    drag(qtbot, canvas, path)
    m = layer.mask.data
    row = 80 - 10  # the layer sits at (20, 10)
    on_path = m[row, 60 - 20 + 2: 180 - 20 - 2]
    assert (on_path == 255).all(), on_path
    painted_rows = np.flatnonzero(m.any(axis=1))
    painted_cols = np.flatnonzero(m.any(axis=0))
    assert abs(painted_rows.mean() - row) < 1.0  # centred on the pointer's path
    assert painted_rows.min() >= row - 8 and painted_rows.max() <= row + 8
    assert painted_cols.min() >= 60 - 20 - 8 and painted_cols.max() <= 180 - 20 + 8
    assert layer.pixels[..., :3].max() == 160  # pixels untouched: the mask is being edited
    assert doc.history.labels() == ["Brush on mask"]
    doc.undo()
    assert (layer.mask.data == 0).all()


def test_the_tools_are_in_the_toolbox_registry():
    assert BrushTool in TOOL_CLASSES and EraserTool in TOOL_CLASSES
    assert (BrushTool.shortcut, EraserTool.shortcut) == ("B", "E")


def test_eraser_on_pixels_removes_alpha_and_paints_the_background_on_a_mask(qtbot):
    doc, layer = masked_doc()
    layer.mask.data[...] = 255
    doc.set_active(layer, edit_mask=False)
    canvas, host, tool = with_tool(qtbot, doc, 1.0, EraserTool, Brush(size=10, hardness=1.0))
    drag(qtbot, canvas, [(50, 50), (150, 50)])
    assert layer.pixels[50, 100, 3] == 0 and layer.pixels[50, 100, :3].tolist() == [30, 90, 160]
    assert layer.pixels[100, 100, 3] == 255
    doc.set_active(layer, edit_mask=True)
    drag(qtbot, canvas, [(50, 120), (150, 120)])
    assert layer.mask.data[120, 100] == 0 and layer.mask.data[50, 100] == 255  # background is black here


def test_keys_change_size_hardness_opacity_and_flow_and_are_remembered(qtbot):
    doc, _ = masked_doc()
    canvas, host, tool = with_tool(qtbot, doc, brush=Brush(size=40, hardness=0.5))
    options = tool.options_widget()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight)
    assert tool.brush.size == 44 and options.spins["size"].value() == 44
    qtbot.keyClick(canvas, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(canvas, Qt.Key.Key_BracketLeft)
    assert tool.brush.size == 36
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ShiftModifier)
    assert tool.brush.hardness == 0.75 and options.spins["hardness"].value() == 75
    qtbot.keyClick(canvas, Qt.Key.Key_3)
    assert tool.brush.opacity == pytest.approx(0.3)
    qtbot.keyClick(canvas, Qt.Key.Key_0)  # 3 then 0 quickly: 30 %
    assert tool.brush.opacity == pytest.approx(0.3)
    tool._digit = None
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert tool.brush.opacity == 1.0
    qtbot.keyClick(canvas, Qt.Key.Key_5, Qt.KeyboardModifier.ShiftModifier)
    assert tool.brush.flow == pytest.approx(0.5) and options.spins["flow"].value() == 50
    options.spins["spacing"].setValue(40)
    options.checks["pressure_opacity"].setChecked(True)
    assert tool.brush.spacing == pytest.approx(0.4) and tool.brush.pressure_opacity
    assert BrushTool(host).brush == tool.brush  # remembered between runs
    assert EraserTool(host).brush == EraserTool.default_brush  # the eraser keeps its own


def test_alt_click_picks_the_mask_value_and_shift_click_draws_a_line(qtbot):
    doc, layer = masked_doc()
    layer.mask.data[:, 200:] = 77
    canvas, host, tool = with_tool(qtbot, doc, 1.0, brush=Brush(size=6, hardness=1.0))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, widget_point(canvas, 250, 50))
    assert host.foreground == QColor(77, 77, 77)
    assert not doc.history.steps
    host.foreground = QColor(255, 255, 255)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget_point(canvas, 20, 20))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, widget_point(canvas, 180, 100))
    for x in range(20, 181, 20):
        assert layer.mask.data[20 + (x - 20) // 2, x] == 255
    assert len(doc.history.steps) == 2


def test_a_locked_layer_refuses_with_a_message(qtbot):
    doc, layer = masked_doc()
    layer.locked = True
    canvas, host, tool = with_tool(qtbot, doc)
    drag(qtbot, canvas, [(50, 50), (100, 50)])
    assert (layer.mask.data == 0).all() and "locked" in host.messages[-1]


@pytest.fixture
def pen(qapp):
    """A stylus; it must outlive every event that names it."""
    device = QPointingDevice("test pen", 1, QPointingDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                             QPointingDevice.Capability.Position | QPointingDevice.Capability.Pressure, 1, 2)
    yield device


def tablet_event(device, kind, canvas, x, y, pressure, buttons):
    pos = QPointF(widget_point(canvas, x, y))
    button = Qt.MouseButton.NoButton if kind == QTabletEvent.Type.TabletMove else Qt.MouseButton.LeftButton
    return QTabletEvent(kind, device, pos, canvas.mapToGlobal(pos), pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
                        Qt.KeyboardModifier.NoModifier, button, buttons)


def test_tablet_pressure_sets_the_width(qtbot, pen):
    doc, layer = masked_doc()
    canvas, host, tool = with_tool(qtbot, doc, 1.0, brush=Brush(size=30, hardness=1.0))
    held, free = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    events = [(QTabletEvent.Type.TabletPress, 40, 0.2, held)]
    events += [(QTabletEvent.Type.TabletMove, x, 0.2 + 0.8 * (x - 40) / 220, held) for x in range(45, 261, 5)]
    events += [(QTabletEvent.Type.TabletRelease, 260, 1.0, free)]
    for kind, x, pressure, buttons in events:
        QApplication.sendEvent(canvas, tablet_event(pen, kind, canvas, x, 100, pressure, buttons))
    m = layer.mask.data
    thin, thick = int((m[:, 60] > 128).sum()), int((m[:, 240] > 128).sum())
    assert thin == pytest.approx(30 * (0.2 + 0.8 * 20 / 220), abs=2)
    assert thick == pytest.approx(30 * (0.2 + 0.8 * 200 / 220), abs=2)
    assert len(doc.history.steps) == 1


def test_the_outline_shows_the_true_size_at_the_zoom(qtbot):
    doc, layer = masked_doc()
    layer.mask.data[...] = 255
    canvas, host, tool = with_tool(qtbot, doc, 2.0, brush=Brush(size=40))
    centre = QPointF(100, 80)
    qtbot.mouseMove(canvas, widget_point(canvas, centre.x(), centre.y()))
    assert tool.hover_pos is not None
    image = canvas.grab().toImage()
    c = canvas.doc_to_widget(tool.hover_pos)
    radius = 40 / 2 * 2.0  # widget pixels

    def contrast(dx, dy):
        colour = image.pixelColor(round(c.x() + dx), round(c.y() + dy))
        return colour.red() + colour.green() + colour.blue()

    plain = contrast(0, radius / 2)
    assert any(abs(contrast(r, 0) - plain) > 60 for r in (radius - 1, radius, radius + 1))
    assert any(abs(contrast(0, -r) - plain) > 60 for r in (radius - 1, radius, radius + 1))
    assert abs(contrast(radius + 6, 0) - plain) < 10


def test_in_the_main_window_the_brush_paints_the_foreground_and_its_options_show(qtbot):
    from editor.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_tool(window.tool("Brush"))
    tool = window.tool("Brush")
    assert window.options_stack.currentWidget() is tool.options_widget()
    tool.set_brush(Brush(size=8, hardness=1.0))
    doc = window.document
    layer = doc.active
    window.foreground = QColor(200, 10, 20)
    canvas = window.canvas
    drag(qtbot, canvas, [(800, 540), (1100, 540)])
    ox, oy = layer.offset
    mid = layer.pixels[540 - oy, 950 - ox]
    assert mid.tolist() == [200, 10, 20, 255]
    assert doc.history.labels()[-1] == "Brush"


def test_in_quick_mask_the_brush_paints_the_selection_not_the_layer(qtbot):
    from editor.masks.selection.quickmask import toggle_quick_mask
    from tests.ui.conftest import mouse_drag

    doc, layer = masked_doc()
    layer_mask = layer.mask.data.copy()
    toggle_quick_mask(doc)  # no selection: quick mask starts with nothing selected
    canvas, host, tool = with_tool(qtbot, doc, brush=Brush(size=20, hardness=1.0))
    mouse_drag(canvas, widget_point(canvas, 40, 100), widget_point(canvas, 200, 100))
    quick = doc.quick_mask.mask.data
    assert quick[100, 120] == 255 and quick[20, 120] == 0  # host.foreground is white: selects
    np.testing.assert_array_equal(layer.mask.data, layer_mask)
    toggle_quick_mask(doc)
    assert doc.selection.data[100, 120] == 255 and doc.selection.data[20, 120] == 0
