"""The Crop tool through the real window and canvas: handles, ratio presets at two zooms, Enter,
Escape, straighten, delete cropped pixels, W x H px, undo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from editor.core import Document, Layer
from editor.core.ops import set_properties
from editor.render import flatten_rgba
from editor.ui.tools.crop import CropTool, largest_inner_rect, straighten_angle

from .conftest import activate, send_mouse, small_document

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def wp(canvas, x, y) -> QPoint:
    return canvas.doc_to_widget(QPointF(x, y)).toPoint()


def drag(canvas, points, modifiers=NO):
    send_mouse(canvas, QEvent.Type.MouseButtonPress, wp(canvas, *points[0]), modifiers=modifiers)
    for p in points[1:]:
        send_mouse(canvas, QEvent.Type.MouseMove, wp(canvas, *p), Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                   modifiers)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, wp(canvas, *points[-1]), Qt.MouseButton.LeftButton,
               Qt.MouseButton.NoButton, modifiers)


def crop_window(qtbot, make_window, doc, zoom):
    window = make_window(doc)
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_C)  # the tool's shortcut
    tool = window.canvas.tool
    assert isinstance(tool, CropTool)
    assert window.options_stack.currentWidget() is tool.options
    window.canvas.set_zoom(zoom, QPointF(0, 0))
    window.canvas.view.origin = QPointF(30.0, 25.0)
    window.canvas.setFocus()
    return window, tool


def press_key(window, key):
    QTest.keyClick(window.canvas, key)


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_square_preset_corner_drag_and_enter(qtbot, make_window, zoom):
    doc = small_document(120, 80)
    before = flatten_rgba(doc)
    window, tool = crop_window(qtbot, make_window, doc, zoom)
    tool.options.set_preset(1.0)
    assert tool.frame() == (20, 0, 80, 80)  # the largest square, centred
    drag(window.canvas, [(100, 80), (90, 75), (80, 60)])  # the bottom-right handle; the wider side wins
    assert tool.frame() == (20, 0, 60, 60)
    assert doc.history.labels() == []  # nothing happens until Enter
    press_key(window, Qt.Key.Key_Return)
    assert (doc.width, doc.height) == (60, 60)
    assert doc.history.labels() == ["Crop"]
    np.testing.assert_array_equal(flatten_rgba(doc), before[0:60, 20:80])
    assert tool.rect is None and tool.frame() == doc.canvas  # a fresh frame on the new canvas
    window.undo()
    np.testing.assert_array_equal(flatten_rgba(doc), before)


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_free_edges_move_and_escape_cancels(qtbot, make_window, zoom):
    doc = small_document(120, 80)
    window, tool = crop_window(qtbot, make_window, doc, zoom)
    drag(window.canvas, [(0, 40), (5, 40), (10, 40)])  # the left handle
    drag(window.canvas, [(65, 0), (65, 3), (65, 5)])  # the top handle, mid-way along the frame
    assert tool.frame() == (10, 5, 110, 75)
    drag(window.canvas, [(50, 50), (55, 52), (57, 53)])  # inside: moves the frame
    assert tool.frame() == (17, 8, 110, 75)
    press_key(window, Qt.Key.Key_Escape)
    assert tool.rect is None and doc.history.labels() == [] and (doc.width, doc.height) == (120, 80)


def test_a_drag_outside_draws_a_new_frame_with_the_ratio_and_a_readout(qtbot, make_window):
    doc = small_document(120, 80)
    window, tool = crop_window(qtbot, make_window, doc, 2.0)
    tool.options.set_preset(16 / 9)
    tool.rect = None
    tool.options.set_preset(None)  # free: draw any frame
    window.canvas.view.origin = QPointF(60.0, 60.0)
    drag(window.canvas, [(-20, -20), (10, 10), (40, 20)])  # starts outside the canvas frame
    assert tool.frame() == (-20, -20, 60, 40)
    tool.options.set_preset(16 / 9)
    f = tool.frame()
    assert abs(f.w / f.h - 16 / 9) < 0.05
    # the readout shows while dragging
    send_mouse(window.canvas, QEvent.Type.MouseButtonPress, wp(window.canvas, f.right, f.bottom))
    send_mouse(window.canvas, QEvent.Type.MouseMove, wp(window.canvas, f.right + 5, f.bottom + 3), Qt.MouseButton.NoButton,
               Qt.MouseButton.LeftButton)
    image = window.canvas.grab().toImage()
    assert tool._drag is not None
    send_mouse(window.canvas, QEvent.Type.MouseButtonRelease, wp(window.canvas, f.right + 5, f.bottom + 3),
               Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    assert not image.isNull()


def test_keep_cropped_pixels_then_reveal_all(qtbot, make_window):
    doc = small_document(120, 80)
    before = flatten_rgba(doc)
    window, tool = crop_window(qtbot, make_window, doc, 1.0)
    tool.options.delete_pixels.setChecked(False)
    drag(window.canvas, [(120, 80), (110, 70), (100, 60)])
    press_key(window, Qt.Key.Key_Enter)
    assert (doc.width, doc.height) == (100, 60)
    assert doc.find_by_name("Background").pixels.shape == (80, 120, 4)  # kept
    window.image_menu.reveal_all()
    np.testing.assert_array_equal(flatten_rgba(doc), before)


def test_pixels_preset_crops_and_resamples_in_one_step(qtbot, make_window):
    doc = small_document(120, 80)
    window, tool = crop_window(qtbot, make_window, doc, 1.0)
    tool.options.width_spin.setValue(30)
    tool.options.height_spin.setValue(30)
    tool.options.set_preset("pixels")
    assert tool.frame() == (20, 0, 80, 80)
    tool.commit()
    assert tool.busy and (doc.width, doc.height) == (80, 80)  # cropped at once, resampled in a worker
    qtbot.waitUntil(lambda: not tool.busy)
    assert (doc.width, doc.height) == (30, 30)
    assert doc.history.labels() == ["Crop"]
    window.undo()
    assert (doc.width, doc.height) == (120, 80)


def test_straighten_turns_then_crops_inside_as_one_step(qtbot, make_window):
    doc = Document.from_pixels(np.random.default_rng(0).integers(0, 256, (90, 160, 4), dtype=np.uint8))
    doc.layers()[0].pixels[..., 3] = 255
    before = flatten_rgba(doc)
    window, tool = crop_window(qtbot, make_window, doc, 2.0)
    window.canvas.view.origin = QPointF(20.0, 20.0)
    # a horizon that rises 10 px over 100: the canvas turns clockwise by atan(0.1)
    drag(window.canvas, [(20, 60), (70, 55), (120, 50)], modifiers=CTRL)
    qtbot.waitUntil(lambda: not tool.busy)  # the turn is resampled in a worker
    angle = math.degrees(math.atan2(10, 100))
    assert tool.angle == pytest.approx(angle, abs=0.6)  # within the pointer's whole-pixel rounding
    assert doc.history.labels() == [f"Rotate {tool.angle:g}°"]
    frame = tool.frame()
    assert frame.w < doc.width and frame.h < doc.height
    assert (flatten_rgba(doc)[frame.slices()][..., 3] == 255).all()  # no transparent corner inside
    press_key(window, Qt.Key.Key_Return)
    assert doc.history.labels() == ["Crop"]  # the turn folded into the crop's one step
    assert (doc.width, doc.height) == (frame.w, frame.h)
    assert (flatten_rgba(doc)[..., 3] == 255).all()
    window.undo()
    np.testing.assert_array_equal(flatten_rgba(doc), before)


def test_escape_undoes_a_straighten(qtbot, make_window):
    doc = small_document(120, 80)
    before = flatten_rgba(doc)
    window, tool = crop_window(qtbot, make_window, doc, 1.0)
    tool.options.straighten.setChecked(True)
    drag(window.canvas, [(10, 10), (60, 20), (110, 30)])
    qtbot.waitUntil(lambda: not tool.busy)
    assert doc.history.labels() and (doc.width, doc.height) != (120, 80)
    press_key(window, Qt.Key.Key_Escape)
    assert (doc.width, doc.height) == (120, 80)
    np.testing.assert_array_equal(flatten_rgba(doc), before)
    assert not doc.history.can_undo


def _held(monkeypatch, name):
    """Make editor.geometry's `name` command wait (reporting progress) until released: a slow resample."""
    import threading

    from editor import geometry

    release, started = threading.Event(), threading.Event()
    real = getattr(geometry, name)

    def slow(*args, progress=None, **kw):
        started.set()
        while not release.wait(0.01):
            progress(0.5)  # where Cancel is noticed
        return real(*args, **kw)

    monkeypatch.setattr(geometry, name, lambda *a: slow(*a[:-1], progress=a[-1]))
    return started, release


def test_straighten_runs_in_a_worker_and_cancel_leaves_the_picture_unturned(qtbot, make_window, monkeypatch):
    doc = small_document(120, 80)
    before = flatten_rgba(doc)
    window, tool = crop_window(qtbot, make_window, doc, 1.0)
    started, release = _held(monkeypatch, "rotate_canvas_command")
    tool.straighten(4.0)
    assert started.wait(5) and tool.busy and window.jobs.busy
    assert window.jobs.widget.isVisibleTo(window)  # progress and Cancel in the status bar
    tool.commit()  # refused while the turn is being built
    assert (doc.width, doc.height) == (120, 80) and not doc.history.can_undo
    window.jobs.widget.cancel_button.click()
    qtbot.waitUntil(lambda: not tool.busy)
    release.set()
    assert not doc.history.can_undo and tool.angle == 0.0
    np.testing.assert_array_equal(flatten_rgba(doc), before)
    # Again, released: to the end, one step, the frame fitted inside the turned picture.
    tool.straighten(4.0)
    qtbot.waitUntil(lambda: not tool.busy)
    assert doc.history.labels() == ["Rotate 4°"] and tool.angle == 4.0 and tool.frame().w < doc.width


def test_an_edit_while_the_resample_runs_drops_it_and_keeps_the_crop(qtbot, make_window, monkeypatch):
    doc = small_document(120, 80)
    window, tool = crop_window(qtbot, make_window, doc, 1.0)
    tool.options.width_spin.setValue(30)
    tool.options.height_spin.setValue(30)
    tool.options.set_preset("pixels")
    started, release = _held(monkeypatch, "resize_image_command")
    tool.commit()
    assert started.wait(5) and (doc.width, doc.height) == (80, 80)
    set_properties(doc, doc.layers()[0], opacity=0.5)  # the document changes under the worker
    release.set()
    qtbot.waitUntil(lambda: not tool.busy)
    assert (doc.width, doc.height) == (80, 80) and doc.history.labels() == ["Crop", "Opacity"]


def test_switching_tools_cancels(qtbot, make_window):
    doc = small_document(120, 80)
    window, tool = crop_window(qtbot, make_window, doc, 1.0)
    drag(window.canvas, [(0, 0), (10, 10), (20, 20)])
    assert tool.rect is not None
    window.set_tool(window.tool("Move"))
    assert tool.rect is None and doc.history.labels() == []


def test_straighten_angle_and_inner_rect():
    assert straighten_angle(QPointF(0, 0), QPointF(100, 0)) == 0
    assert straighten_angle(QPointF(0, 0), QPointF(100, -10)) == pytest.approx(math.degrees(math.atan(0.1)))
    assert straighten_angle(QPointF(0, 0), QPointF(10, 100)) == pytest.approx(math.degrees(math.atan(0.1)))
    r = largest_inner_rect(160, 90, 0.0, 160, 90)
    assert r == (0, 0, 160, 90)
    r = largest_inner_rect(160, 90, 10.0, 200, 130)
    t = math.radians(10)
    for x, y in ((r.x, r.y), (r.right, r.y), (r.x, r.bottom), (r.right, r.bottom)):
        dx, dy = x - 100, y - 65  # back into the unturned picture
        ux, uy = math.cos(t) * dx + math.sin(t) * dy, -math.sin(t) * dx + math.cos(t) * dy
        assert abs(ux) <= 80 + 1e-6 and abs(uy) <= 45 + 1e-6


def test_a_layer_offset_survives_crop_and_undo(qtbot, make_window):
    doc = Document(100, 100)
    doc.root.insert(0, Layer("L", np.full((10, 10, 4), 200, np.uint8), offset=(50, 50)))
    window, tool = crop_window(qtbot, make_window, doc, 1.0)
    drag(window.canvas, [(0, 0), (20, 20), (40, 30)])
    tool.commit()
    assert doc.layers()[0].offset == (10, 20)
    window.undo()
    assert doc.layers()[0].offset == (50, 50)
