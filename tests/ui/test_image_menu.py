"""The Image menu through the real window: Image Size, Canvas Size, rotation, flip, crop, trim, reveal all."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from editor.core import Document, Layer, Rect, SetSelection
from editor.core.selection import Selection
from editor.render import flatten_rgba

from .conftest import activate, small_document


def _fits(window) -> bool:
    """The whole canvas is on screen and one side fills the view (less the fit margin)."""
    canvas, doc = window.canvas, window.document
    r = canvas.doc_rect_to_widget(Rect(0, 0, doc.width, doc.height))
    inside = r.left() >= -0.5 and r.top() >= -0.5 and r.right() <= canvas.width() + 0.5 and r.bottom() <= canvas.height() + 0.5
    return inside and (abs(r.width() - (canvas.width() - 48)) < 1.5 or abs(r.height() - (canvas.height() - 48)) < 1.5)


def _wait_job(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.image_menu.busy, timeout=20000)


def test_the_image_menu_sits_between_edit_and_layer(make_window):
    window = make_window(small_document())
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Image") == titles.index("&Edit") + 1 == titles.index("&Layer") - 1
    texts = [a.text() for a in window.image_menu.menu.actions() if not a.isSeparator()]
    assert texts == ["Image Size…", "Canvas Size…", "Image Rotation", "Crop to Selection", "Trim…", "Reveal All"]
    assert window.image_menu.actions["image_size"].shortcut().toString() == "Ctrl+Alt+I"
    assert window.image_menu.actions["canvas_size"].shortcut().toString() == "Ctrl+Alt+C"


def test_image_size_dialog_in_percent_resizes_in_a_worker_as_one_step_and_refits(qtbot, make_window):
    doc = small_document(120, 80)
    window = make_window(doc)
    window.canvas.set_zoom(4.0)
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.image_menu.dialog is not None, timeout=2000)
    dialog = window.image_menu.dialog
    assert dialog.isVisible()
    dialog.units.setCurrentIndex(dialog.units.findData("%"))
    dialog.width_spin.setValue(50)  # constrain proportions: the height follows
    assert dialog.height_spin.value() == pytest.approx(50)
    assert dialog.size() == (60, 40)
    dialog.resample.setCurrentIndex(dialog.resample.findData("lanczos"))
    dialog.accept()
    _wait_job(qtbot, window)
    assert (doc.width, doc.height) == (60, 40)
    assert doc.history.labels()[-1] == "Image size" and len(doc.history.steps) == 1
    red = doc.find_by_name("Red")
    assert red.offset == (10, 5) and red.pixels.shape == (15, 20, 4)
    assert window.size_label.text() == "60 × 40 px"
    assert _fits(window)  # the canvas re-fitted the new size
    window.undo()
    assert (doc.width, doc.height) == (120, 80) and red.offset == (20, 10)
    assert _fits(window)


def test_image_size_unconstrained_pixels(qtbot, make_window):
    window = make_window(small_document(120, 80))
    window.image_menu.image_size()
    dialog = window.image_menu.dialog
    dialog.constrain.setChecked(False)
    dialog.width_spin.setValue(200)
    dialog.height_spin.setValue(30)
    assert dialog.values() == (200, 30, "bicubic")
    dialog.reject()
    assert window.document.history.labels() == []


def test_canvas_size_top_left_anchor_with_a_white_extension(qtbot, make_window):
    doc = small_document(120, 80)
    window = make_window(doc)
    before = flatten_rgba(doc)
    window.image_menu.canvas_size()
    dialog = window.image_menu.dialog
    dialog.width_spin.setValue(150)
    dialog.height_spin.setValue(100)
    qtbot.mouseClick(dialog.anchor.buttons["top-left"], Qt.MouseButton.LeftButton)
    assert dialog.anchor.anchor == "top-left"
    assert dialog.anchor.buttons["top-left"].text() == "●" and dialog.anchor.buttons["center"].text() == "↘"
    assert dialog.anchor.buttons["bottom-right"].text() == ""  # arrows only around the anchor, as in Photoshop
    dialog.extension.setCurrentIndex(dialog.extension.findText("White"))
    dialog.accept()
    assert (doc.width, doc.height) == (150, 100)
    after = flatten_rgba(doc)
    np.testing.assert_array_equal(after[:80, :120], before)
    assert (after[80:, :] == (255, 255, 255, 255)).all() and (after[:, 120:] == (255, 255, 255, 255)).all()
    assert doc.history.labels() == ["Canvas size"]
    assert _fits(window)


def test_canvas_size_relative_and_centre(qtbot, make_window):
    doc = small_document(120, 80)
    window = make_window(doc)
    window.image_menu.canvas_size()
    dialog = window.image_menu.dialog
    dialog.relative.setChecked(True)
    assert dialog.width_spin.value() == 0
    dialog.width_spin.setValue(-20)
    dialog.height_spin.setValue(10)
    assert dialog.values()[:3] == (100, 90, "center")
    dialog.accept()
    assert (doc.width, doc.height) == (100, 90)
    assert doc.find_by_name("Red").offset == (10, 15)  # centred: shifted by (-10, +5)


def test_rotation_and_flip_entries(qtbot, make_window):
    doc = small_document(120, 80)
    window = make_window(doc)
    before = flatten_rgba(doc)
    window.image_menu.actions["rotate_cw"].trigger()
    assert (doc.width, doc.height) == (80, 120)
    np.testing.assert_array_equal(flatten_rgba(doc), np.rot90(before, -1))
    assert window.size_label.text() == "80 × 120 px" and _fits(window)
    window.image_menu.actions["rotate_ccw"].trigger()
    window.image_menu.actions["rotate_180"].trigger()
    np.testing.assert_array_equal(flatten_rgba(doc), before[::-1, ::-1])
    window.image_menu.actions["flip_h"].trigger()
    window.image_menu.actions["flip_v"].trigger()
    np.testing.assert_array_equal(flatten_rgba(doc), before)
    assert doc.history.labels() == ["Rotate 90° clockwise", "Rotate 90° counter-clockwise", "Rotate 180°",
                                    "Flip canvas horizontal", "Flip canvas vertical"]


def test_arbitrary_rotation_dialog_runs_in_a_worker(qtbot, make_window):
    doc = small_document(120, 80)
    window = make_window(doc)
    window.image_menu.actions["rotate_arbitrary"].trigger()
    dialog = window.image_menu.dialog
    dialog.angle.setValue(30)
    dialog.counter.setChecked(True)
    assert dialog.values() == (-30, "bicubic")
    dialog.accept()
    _wait_job(qtbot, window)
    assert doc.history.labels() == ["Rotate 330°"]
    assert doc.width > 120 and doc.height > 80


def test_a_change_while_the_worker_runs_drops_the_result(qtbot, make_window, monkeypatch):
    import threading

    from editor import geometry

    doc = small_document(120, 80)
    window = make_window(doc)
    gate = threading.Event()
    real = geometry.resize_image_command

    def slow(*args, **kw):
        gate.wait(5)
        return real(*args, **kw)

    monkeypatch.setattr(geometry, "resize_image_command", slow)
    window.image_menu.resize_image(60, 40, "bilinear")
    assert window.image_menu.busy
    window.select_all()  # the document changes meanwhile
    gate.set()
    _wait_job(qtbot, window)
    assert (doc.width, doc.height) == (120, 80)
    assert doc.history.labels() == ["Select all"]
    assert "dropped" in window.statusBar().currentMessage()


def test_crop_to_selection_is_enabled_by_a_selection(qtbot, make_window):
    doc = small_document(120, 80)
    window = make_window(doc)
    action = window.image_menu.actions["crop_to_selection"]
    assert not action.isEnabled()
    sel = Selection.empty(120, 80)
    sel.data[10:40, 20:60] = 255
    doc.execute(SetSelection(sel, "Select"))
    assert action.isEnabled()
    action.trigger()
    assert (doc.width, doc.height) == (40, 30)
    assert doc.find_by_name("Red").offset == (0, 0)
    window.undo()
    assert (doc.width, doc.height) == (120, 80)


def test_trim_dialog_and_reveal_all(qtbot, make_window):
    doc = Document(100, 60)
    px = np.zeros((20, 30, 4), np.uint8)
    px[...] = (10, 200, 10, 255)
    doc.root.insert(0, Layer("Patch", px, offset=(40, 20)))
    window = make_window(doc)
    window.image_menu.actions["trim"].trigger()
    dialog = window.image_menu.dialog
    assert dialog.transparent.isChecked()
    dialog.sides["left"].setChecked(False)
    dialog.accept()
    assert (doc.width, doc.height) == (70, 20)  # the left border stays
    assert doc.find_by_name("Patch").offset == (40, 0)
    window.undo()
    from editor.geometry import crop

    crop(doc, (50, 25, 10, 10), delete_pixels=False)
    window.image_menu.actions["reveal_all"].trigger()
    assert (doc.width, doc.height) == (30, 20)
    assert doc.history.labels()[-1] == "Reveal all"
    window.image_menu.actions["reveal_all"].trigger()
    assert "nothing to change" in window.statusBar().currentMessage()


def test_dialogs_are_window_modal_and_cancel_changes_nothing(qtbot, make_window):
    window = make_window(small_document())
    for key in ("image_size", "canvas_size", "rotate_arbitrary", "trim"):
        window.image_menu.actions[key].trigger()
        dialog = window.image_menu.dialog
        assert isinstance(dialog, QDialog) and dialog.isVisible()
        dialog.reject()
        qtbot.waitUntil(lambda: window.image_menu.dialog is None, timeout=1000)
    assert window.document.history.labels() == []
    assert window.canvas.widget_to_doc(QPointF(0, 0)) is not None
