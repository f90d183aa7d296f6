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

    from editor.geometry import ops

    doc = small_document(120, 80)
    window = make_window(doc)
    gate = threading.Event()
    real = ops.resize_image_command

    def slow(*args, **kw):
        gate.wait(5)
        return real(*args, **kw)

    monkeypatch.setattr(ops, "resize_image_command", slow)  # what the registered image-size calls
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


# --- the menu is built from the registry ---------------------------------------------------------

def _menu_tree(menu) -> list:
    """The menu's items in order: text, "-" for a separator, (title, [...]) for a submenu."""
    out: list = []
    for a in menu.actions():
        if a.isSeparator():
            out.append("-")
        elif a.menu() is not None:
            out.append((a.text(), _menu_tree(a.menu())))
        else:
            out.append(a.text())
    return out


def test_the_menu_keeps_photoshops_items_order_and_separators(make_window):
    window = make_window(small_document())
    assert _menu_tree(window.image_menu.menu) == [
        "Image Size…", "Canvas Size…",
        ("Image Rotation", ["180°", "90° Clockwise", "90° Counter Clockwise", "Arbitrary…", "-",
                            "Flip Canvas Horizontal", "Flip Canvas Vertical"]),
        "-", "Crop to Selection", "Trim…", "Reveal All"]


def test_the_menu_lists_every_registry_entry_flagged_for_it(make_window):
    from editor.core.operations import REGISTRY

    window = make_window(small_document())
    image = window.image_menu
    entries = REGISTRY.menu_entries("image")
    assert {op.id for op, _e in entries} >= {"image-size", "canvas-size", "rotate-canvas", "flip-canvas",
                                             "crop-to-selection", "trim", "reveal-all"}
    assert set(image.actions) == {e.key for _op, e in entries}
    for op, entry in entries:
        action = image.actions[entry.key]
        assert action.text() == entry.text and image.entries[entry.key] == (op, entry)
        assert action.shortcut().toString() == (entry.shortcut or "")
        menu = image.menu if entry.menu == "image" else image.submenus[entry.menu]
        assert action in menu.actions()
        assert menu.title() == entry.menu.split("/")[-1] if entry.menu != "image" else True


def _scene() -> Document:
    """Transparent borders (for Trim), a layer past the canvas (for Reveal All), two colours."""
    doc = Document(100, 60)
    patch = np.zeros((20, 30, 4), np.uint8)
    patch[...] = (10, 200, 10, 255)
    patch[:, :10] = (200, 10, 10, 255)
    doc.root.insert(0, Layer("Patch", patch, offset=(40, 20)))
    over = np.zeros((12, 16, 4), np.uint8)
    over[...] = (30, 30, 220, 200)
    doc.root.insert(1, Layer("Over", over, offset=(-6, 52)))
    sel = Selection.empty(100, 60)
    sel.data[10:40, 30:80] = 255
    doc.selection = sel
    return doc


# per dialog: set it as a user would, and the params that means for the operation
_DIALOG_INPUT = {
    "image-size": (lambda d: d.width_spin.setValue(50), {"width": 50, "height": 30, "resample": "bicubic"}),
    "canvas-size": (lambda d: (d.width_spin.setValue(130), d.height_spin.setValue(70)),
                    {"width": 130, "height": 70, "anchor": "center"}),
    "rotate": (lambda d: d.angle.setValue(30), {"angle": 30, "resample": "bicubic"}),
    "trim": (lambda d: None, {"based_on": "transparent"}),
}


def _state(doc: Document):
    return (doc.width, doc.height), [n.offset for n in doc.nodes()], flatten_rgba(doc)


def _same(a, b) -> bool:
    return a[0] == b[0] and a[1] == b[1] and np.array_equal(a[2], b[2])


def test_each_action_runs_its_operation_as_one_undo_step(qtbot, make_window):
    from editor.core.operations import REGISTRY

    window = make_window(_scene())
    for op, entry in REGISTRY.menu_entries("image"):
        doc = _scene()
        window.set_document(doc)
        before = _state(doc)
        steps = len(doc.history.steps)
        action = window.image_menu.actions[entry.key]
        window.image_menu.update_state()
        assert action.isEnabled(), entry.key
        action.trigger()
        params = dict(entry.params)
        if entry.dialog is not None:
            dialog = window.image_menu.dialog
            assert dialog is not None and dialog.isVisible(), entry.key
            fill_in, values = _DIALOG_INPUT[entry.dialog]
            fill_in(dialog)
            params.update(values)
            dialog.accept()
        _wait_job(qtbot, window)
        assert len(doc.history.steps) == steps + 1, entry.key
        twin = _scene()
        op(twin, params)  # the registered operation, headless
        assert _same(_state(doc), _state(twin)), entry.key
        window.undo()
        assert _same(_state(doc), before), entry.key


def test_a_registered_geometry_operation_appears_in_the_menu_with_nothing_else_to_change(qtbot, make_window,
                                                                                         monkeypatch):
    from editor.core.operations import REGISTRY, MenuEntry, Operation, Schema
    from editor.geometry import ops

    monkeypatch.setattr(REGISTRY, "_ops", dict(REGISTRY._ops))  # registered for this test only

    def command(doc, params, progress=None):
        return ops.crop_command(doc, Rect(0, 0, doc.width // 2, doc.height))

    def run(doc, params):
        cmd = command(doc, params)
        doc.execute(cmd)
        return cmd

    REGISTRY.register(Operation("left-half", "Left Half", Schema(), run, category="geometry",
                                menu=MenuEntry("left_half", "Left Half", 55, "Ctrl+Alt+H", menu="image", section=1,
                                               enabled=lambda doc: doc.width > 1),
                                extra={"command": command}))
    doc = small_document(120, 80)
    window = make_window(doc)
    texts = _menu_tree(window.image_menu.menu)
    assert texts[texts.index("Trim…") + 1] == "Left Half"  # by its order, in its section
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert (doc.width, doc.height) == (60, 80) and len(doc.history.steps) == 1
