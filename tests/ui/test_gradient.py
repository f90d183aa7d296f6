"""The Gradient tool driven with real mouse events on the real canvas, and its editor dialog."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from editor.core import Document, Layer, Mask, Rect, Selection
from editor.paint.gradient import Gradient, Stop
from editor.ui.tools.gradient import GradientTool
from tests.ui.conftest import ToolHost as Host
from tests.ui.conftest import tool_canvas


def masked_doc(w=300, h=200, offset=(0, 0), value=0):
    doc = Document(w + offset[0], h + offset[1])
    pixels = np.zeros((h, w, 4), np.uint8)
    pixels[...] = (30, 90, 160, 255)
    layer = Layer("Photo", pixels, offset=offset, mask=Mask.filled(h, w, value))
    doc.root.insert(0, layer)
    doc.set_active(layer, edit_mask=True)
    return doc, layer


def with_gradient(qtbot, doc, zoom):
    canvas = tool_canvas(qtbot, doc, zoom)
    host = Host(canvas)
    host.foreground, host.background = Qt.GlobalColor.white, Qt.GlobalColor.black
    from PySide6.QtGui import QColor

    host.foreground, host.background = QColor(255, 255, 255), QColor(0, 0, 0)
    tool = GradientTool(host)
    canvas.set_tool(tool)
    tool.options.preset.setCurrentIndex(0)  # foreground to background
    tool.options.dither.setChecked(False)
    return canvas, host, tool


def wpoint(canvas, x, y) -> QPoint:
    return canvas.doc_to_widget(QPointF(x, y)).toPoint()


def drag(qtbot, canvas, a, b, modifier=Qt.KeyboardModifier.NoModifier, steps=5):
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, modifier, wpoint(canvas, *a))
    for i in range(1, steps + 1):
        qtbot.mouseMove(canvas, wpoint(canvas, a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, modifier, wpoint(canvas, *b))


@pytest.mark.parametrize("zoom", [0.5, 2.0])
def test_linear_gradient_on_a_mask_is_the_expected_ramp(qtbot, zoom):
    doc, layer = masked_doc(offset=(20, 10))
    canvas, host, tool = with_gradient(qtbot, doc, zoom)
    # Whole widget pixels at this zoom, so the line the canvas hands over is the one asked for.
    a, b = (40.0, 60.0), (140.0, 60.0)
    drag(qtbot, canvas, a, b)
    start, end = canvas.widget_to_doc(QPointF(wpoint(canvas, *a))), canvas.widget_to_doc(QPointF(wpoint(canvas, *b)))
    xs = np.arange(layer.mask.shape[1]) + 20 + 0.5
    t = np.clip((xs - start.x()) / (end.x() - start.x()), 0, 1)
    # The preset's smoothness is Photoshop's default, 100 %: the two-stop ramp eases in and out.
    expected = 255 * (1 - (t / 2 + 1.5 * t**2 - t**3))
    m = layer.mask.data.astype(float)
    assert np.abs(m - expected[None, :]).max() <= 1.0
    assert (layer.pixels[..., :3] == (30, 90, 160)).all()  # the mask was edited, not the pixels
    assert doc.history.labels() == ["Gradient on mask"]
    doc.undo()
    assert (layer.mask.data == 0).all()


def test_radial_gradient_is_symmetric_and_shift_snaps(qtbot):
    doc, layer = masked_doc(201, 161)
    canvas, host, tool = with_gradient(qtbot, doc, 1.0)
    tool.options.set_shape("radial")
    centre = canvas.widget_to_doc(QPointF(wpoint(canvas, 100.5, 80.5)))
    cx, cy = centre.x(), centre.y()
    drag(qtbot, canvas, (cx, cy), (cx + 60, cy + 3), modifier=Qt.KeyboardModifier.ShiftModifier)
    m = layer.mask.data.astype(int)
    ix, iy = int(cx), int(cy)
    assert (ix, iy) == (cx, cy)  # a pixel corner at zoom 1: the gradient is symmetric about it
    k = min(ix, iy, 201 - ix, 161 - iy)
    block = m[iy - k: iy + k, ix - k: ix + k]
    assert np.abs(block - block[::-1, :]).max() <= 1 and np.abs(block - block[:, ::-1]).max() <= 1
    assert np.abs(block - block.T).max() <= 1
    assert m[iy, ix] >= 250 and m[0, 0] == 0
    # Shift snapped the end to 0°: 60.07 px to the right gives t = 1 at that distance.
    assert m[iy, ix + 62] == 0 and m[iy, ix + 58] > 0
    assert doc.history.labels() == ["Gradient on mask"]


def test_preview_draws_while_dragging_and_escape_abandons(qtbot):
    doc, layer = masked_doc(value=128)
    canvas, host, tool = with_gradient(qtbot, doc, 1.0)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, wpoint(canvas, 10, 10))
    qtbot.mouseMove(canvas, wpoint(canvas, 200, 10))
    qtbot.waitUntil(lambda: layer.mask.data[5, 2] > 200, timeout=2000)  # the preview, before the release
    assert doc.history.labels() == []
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert (layer.mask.data == 128).all() and doc.history.labels() == []


def test_selection_confines_and_pixels_take_colours(qtbot):
    doc, layer = masked_doc()
    doc.set_active(layer, edit_mask=False)
    doc.selection = Selection.from_rect(doc.width, doc.height, Rect(0, 0, 150, 200))
    canvas, host, tool = with_gradient(qtbot, doc, 1.0)
    from PySide6.QtGui import QColor

    host.foreground, host.background = QColor(255, 0, 0), QColor(0, 0, 255)
    drag(qtbot, canvas, (0, 50), (300, 50))
    p = layer.pixels
    assert p[0, 1, 0] > 240 and p[0, 1, 2] < 15
    assert (p[:, 150:, :3] == (30, 90, 160)).all()
    assert (layer.mask.data == 0).all()
    assert doc.history.labels() == ["Gradient"]


def test_a_click_without_a_line_changes_nothing(qtbot):
    doc, layer = masked_doc(value=9)
    canvas, host, tool = with_gradient(qtbot, doc, 1.0)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=wpoint(canvas, 50, 50))
    assert (layer.mask.data == 9).all() and doc.history.labels() == []


def test_gradient_editor_edits_stops(qtbot):
    from editor.ui.dialogs.gradient_editor import GradientEditor

    g = Gradient("Two", (Stop(0.0, (0, 0, 0)), Stop(1.0, (255, 255, 255))))
    dialog = GradientEditor([g], 0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.bar
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(int(bar.x_of(0.5)), 38))  # the track: a new stop
    assert len(dialog.gradient.stops) == 3 and dialog.gradient.stops[1].position == pytest.approx(0.5, abs=0.01)
    dialog.set_stop_colour((255, 0, 0))
    dialog.opacity.setValue(40)
    dialog.location.setValue(25)
    mid = dialog.gradient.stops[1]
    assert mid.color == (255, 0, 0) and mid.opacity == pytest.approx(0.4) and mid.position == pytest.approx(0.25)
    dialog.kind.setCurrentIndex(dialog.kind.findData("foreground"))
    assert dialog.gradient.stops[1].color == "foreground"
    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_Delete)
    assert len(dialog.gradient.stops) == 2
    dialog.name.setText("Renamed")
    dialog.name.textEdited.emit("Renamed")
    assert dialog.gradients()[0].name == "Renamed"


def test_a_gradient_on_a_large_mask_shows_at_the_screen_level_and_nothing_stale_after(qtbot, tmp_path):
    from PIL import Image

    from editor.io.files import export_image
    from editor.render import render
    from editor.render.mipmap import PREVIEW_AREA

    doc, layer = masked_doc(2400, 1600, value=255)
    assert 2400 * 1600 > PREVIEW_AREA
    black = np.zeros((1600, 2400, 4), np.uint8)
    black[..., 3] = 255
    doc.root.insert(0, Layer("Black", black))  # an opaque composite: the screen shows it as it is
    canvas, host, tool = with_gradient(qtbot, doc, 0.25)  # the whole document on screen, at level 2
    qtbot.wait(1)
    canvas.repaint()
    assert canvas.source.pyramid.preview_level == 2
    drag(qtbot, canvas, (40.0, 800.0), (2360.0, 800.0))
    canvas.repaint()
    pyramid = canvas.source.pyramid
    assert doc.history.labels() == ["Gradient on mask"] and pyramid.deferred is not None  # full render waits
    exact = render(doc)  # premultiplied BGRA; the layer is opaque, its mask the ramp over black
    level2 = pyramid.levels[2].astype(int)
    assert level2[200, 20, 0] > 120 and level2[200, 580, 0] < 10  # the screen's level shows the ramp already

    canvas.set_zoom(1.0, QPointF(0, 0))  # zooming in shows the full render, never the preview's level 0
    canvas.view.origin = QPointF(-1000.0, -600.0)  # widget (0, 0) is document (1000, 600)
    from PySide6.QtGui import QImage

    shot = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    screen = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), shot.bytesPerLine() // 4, 4)
    np.testing.assert_array_equal(screen[:480, :640, :3], exact[600:1080, 1000:1640, :3])
    assert canvas.source.pixel(2000, 100)[:3] == tuple(int(v) for v in exact[100, 2000, 2::-1])  # the eyedropper
    export_image(doc, tmp_path / "out.png")
    png = np.asarray(Image.open(tmp_path / "out.png").convert("RGB"))
    np.testing.assert_array_equal(png, exact[..., 2::-1])


def test_zoomed_in_a_large_gradient_renders_the_view_first_and_panning_shows_the_rest(qtbot):
    from PySide6.QtGui import QImage

    from editor.render import render

    doc, layer = masked_doc(2400, 1600, value=255)
    black = np.zeros((1600, 2400, 4), np.uint8)
    black[..., 3] = 255
    doc.root.insert(0, Layer("Black", black))
    canvas, host, tool = with_gradient(qtbot, doc, 1.0)
    qtbot.wait(1)
    canvas.repaint()
    drag(qtbot, canvas, (40.0, 100.0), (600.0, 300.0))
    canvas.repaint()
    pyramid = canvas.source.pyramid
    assert pyramid.deferred is not None and not pyramid.covers(Rect(1500, 1000, 640, 480))  # the rest waits
    exact = render(doc)
    canvas.view.origin = QPointF(-1500.0, -1000.0)  # pan: widget (0, 0) is document (1500, 1000)
    canvas.repaint()
    shot = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    screen = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), shot.bytesPerLine() // 4, 4)
    np.testing.assert_array_equal(screen[:480, :640, :3], exact[1000:1480, 1500:2140, :3])


def test_the_editors_smoothness_slider_is_saved_in_the_presets_and_the_tool_draws_it(qtbot, monkeypatch):
    """Edit… opens the Gradient Editor; its Smoothness slider (Photoshop's, a preset at 100 %)
    changes the preset, OK keeps it in the saved presets, and the next drag draws it."""
    from editor.ui.dialogs.gradient_editor import GradientEditor
    from editor.ui.tools.gradient import GradientPresets

    doc, layer = masked_doc(offset=(20, 10))
    canvas, host, tool = with_gradient(qtbot, doc, 1.0)
    seen: list[int] = []

    def run(dialog: GradientEditor) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        slider = dialog.stops.smoothness_slider
        seen.append(slider.value())
        slider.setFocus()
        qtbot.keyClick(slider, Qt.Key.Key_Home)
        for _ in range(3):
            qtbot.keyClick(slider, Qt.Key.Key_PageUp)  # a page is 10 %
        assert dialog.stops.smoothness.value() == 30 and dialog.gradient.smoothness == 30.0
        return 1

    monkeypatch.setattr(GradientEditor, "exec", run)
    tool.options.edit.click()
    assert seen == [100]  # Photoshop's default
    assert tool.options.gradient.smoothness == 30.0
    assert GradientPresets().items[0].smoothness == 30.0  # saved with the presets
    assert GradientPresets().items[1].smoothness == 100.0  # the others untouched
    a, b = (40.0, 60.0), (140.0, 60.0)
    drag(qtbot, canvas, a, b)
    start, end = canvas.widget_to_doc(QPointF(wpoint(canvas, *a))), canvas.widget_to_doc(QPointF(wpoint(canvas, *b)))
    xs = np.arange(layer.mask.shape[1]) + 20 + 0.5
    t = np.clip((xs - start.x()) / (end.x() - start.x()), 0, 1)
    eased = t / 2 + 1.5 * t**2 - t**3
    expected = 255 * (1 - (t + 0.3 * (eased - t)))
    assert np.abs(layer.mask.data.astype(float) - expected[None, :]).max() <= 1.0


def test_a_midpoint_diamond_drags_and_its_location_types(qtbot):
    """Beside the selected stop each ramp shows its midpoint diamond (Photoshop's): a drag moves
    where the ramp is halfway, the Location field then edits it (5..95 %), and a click on a stop
    gives the field back to the stop."""
    from editor.ui.dialogs.gradient_editor import GradientEditor

    g = Gradient("Two", (Stop(0.0, (0, 0, 0)), Stop(1.0, (255, 255, 255))))
    dialog = GradientEditor([g], 0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.bar
    y = int(bar._bar().bottom() + 6)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(int(bar.x_of(1.0)), y))  # the white stop
    assert bar.current == 1 and bar.shown_midpoints() == [1]
    assert bar.midpoint_x(1) == pytest.approx(bar.x_of(0.5))
    qtbot.mousePress(bar, Qt.MouseButton.LeftButton, pos=QPoint(round(bar.x_of(0.5)), y))
    qtbot.mouseMove(bar, QPoint(round(bar.x_of(0.25)), y))
    qtbot.mouseRelease(bar, Qt.MouseButton.LeftButton, pos=QPoint(round(bar.x_of(0.25)), y))
    assert dialog.gradient.stops[1].midpoint == pytest.approx(0.25, abs=0.01)
    assert dialog.location.value() == 25 and not dialog.opacity.isEnabled()
    assert dialog.gradient.sample(np.array([0.25]))[0, 0] == pytest.approx(127.5, abs=1.5)  # halfway there
    dialog.location.setValue(70)
    assert dialog.gradient.stops[1].midpoint == pytest.approx(0.7)
    dialog.location.setValue(2)  # a midpoint stays 5..95 % of its ramp
    assert dialog.gradient.stops[1].midpoint == pytest.approx(0.05)
    assert dialog.gradients()[0].stops[1].midpoint == pytest.approx(0.05)  # the preset took it
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(int(bar.x_of(1.0)), y))
    assert bar.current_mid is None and dialog.location.value() == 100 and dialog.opacity.isEnabled()
