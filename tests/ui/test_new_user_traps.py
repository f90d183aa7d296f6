"""What a new user hit (issue 14, point 7), each through the real window."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from editor.core import Document, FillLayer, Layer, Mask, Rect, ops
from editor.io import save_document
from editor.paint import Brush
from editor.render.plan import feather_radius
from editor.ui.dialogs.export_options import EXPORT_FILTERS, ExportOptions, with_extension
from tests.ui.conftest import activate, mouse_drag, open_file, send_mouse, small_document


def test_export_keeps_a_typed_extension_whatever_the_filter(make_window, tmp_path, monkeypatch):
    assert with_extension("x.jpg", "PNG image (*.png)") == "x.jpg"
    assert with_extension("x", "PNG image (*.png)") == "x.png"
    window = make_window(small_document())
    png_filter = EXPORT_FILTERS[0][0]
    target = tmp_path / "x.jpg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), png_filter)))
    assert window.files.export(options=ExportOptions(quality=80))
    assert target.exists() and not (tmp_path / "x.jpg.png").exists()
    assert target.read_bytes()[:2] == b"\xff\xd8"  # a JPEG, as typed


def test_quit_closes_every_window_asking_about_each_unsaved_document(make_window, dialogs, qtbot):
    first = make_window(small_document())
    second = first.new_window()
    for window in (first, second):
        ops.new_layer(window.document)  # unsaved changes in both
    dialogs.answers["warning"] = QMessageBox.StandardButton.Cancel
    first.actions["quit"].trigger()
    assert first.isVisible() and second.isVisible()  # Cancel stops the quit
    dialogs.shown.clear()
    dialogs.answers["warning"] = QMessageBox.StandardButton.Discard
    first.actions["quit"].trigger()
    assert not first.isVisible() and not second.isVisible()
    assert dialogs.kinds().count("warning") == 2  # each window asked about its own document


def test_close_ends_only_this_window_after_asking_about_its_changes(make_window, dialogs, qtbot):
    first = make_window(small_document())
    second = first.new_window()
    ops.new_layer(first.document)
    dialogs.answers["warning"] = QMessageBox.StandardButton.Cancel
    first.actions["close"].trigger()
    assert first.isVisible()  # Cancel keeps the document open
    assert first.actions["close"].shortcut().toString() == "Ctrl+W"
    dialogs.answers["warning"] = QMessageBox.StandardButton.Discard
    first.actions["close"].trigger()
    assert not first.isVisible() and second.isVisible()


def test_history_labels_read_move_and_restack(make_window, qtbot):
    doc = small_document()
    fill = FillLayer("Colour fill", (0, 200, 0, 255))
    doc.root.insert(2, fill)
    window = make_window(doc)
    canvas = window.canvas
    doc.set_active(doc.find_by_name("Red"))
    window.set_tool(window.tool("Move"))
    canvas.set_zoom(2.0, QPointF(0, 0))
    start = canvas.doc_to_widget(QPointF(30, 20)).toPoint()
    mouse_drag(canvas, start, start + QPoint(20, 10))
    assert doc.history.labels()[-1] == "Move"
    assert window.actions["undo"].text() == "Undo Move"
    ops.move_nodes(doc, [fill], doc.root, 0)
    assert doc.history.labels()[-1] == "Restack “Colour fill”"
    doc.set_active(fill)
    window.layers_panel.view.select_nodes([fill], fill)
    window.layer_actions.actions["raise"].trigger()
    assert doc.history.labels()[-1] == "Bring forward"


def masked_document() -> Document:
    doc = small_document()
    red = doc.find_by_name("Red")
    red.mask = Mask.filled(30, 40)
    return doc


def test_show_mask_alone_and_edit_mask_show_their_check_marks(make_window):
    window = make_window(masked_document())
    doc = window.document
    red = doc.find_by_name("Red")
    alone, edit = window.actions["mask_alone"], window.layer_actions.actions["mask_edit"]
    for action in (alone, edit, window.actions["mask_overlay"], window.select_menu.actions["quick_mask"]):
        assert action.isCheckable() and not action.isIconVisibleInMenu()  # Fusion draws no check beside an icon
    alone.trigger()
    assert alone.isChecked() and window.canvas.mask_alone_node is red
    doc.set_active(red, edit_mask=True)
    assert edit.isChecked()
    doc.set_active(red, edit_mask=False)
    assert not edit.isChecked()
    window.set_document(masked_document())  # File > Open: nothing is shown alone any more
    assert not alone.isChecked()


def test_quick_mask_shows_in_the_title_and_the_status_bar(make_window, qtbot):
    window = make_window(small_document())
    activate(qtbot, window)
    badge = window.view_state.quick_mask_label
    assert "Quick Mask" not in window.windowTitle() and not badge.isVisible()
    QTest.keyClick(window.canvas, Qt.Key.Key_Q)
    assert window.document.quick_mask is not None
    assert "(Quick Mask)" in window.windowTitle() and badge.isVisible() and badge.text() == "Quick Mask"
    window.document.undo()  # undo leaves quick mask too
    assert "Quick Mask" not in window.windowTitle() and not badge.isVisible()


def test_open_recent_tells_two_files_of_the_same_name_apart(make_window, tmp_path):
    window = make_window(small_document())
    for folder in ("shoot-a", "shoot-b"):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "sample.ora"
        save_document(small_document(), path)
        window.files.add_recent(str(path))
    texts = [a.text() for a in window.files.recent_menu.actions() if a.text() and a.text() != "Clear Recent"]
    assert texts == ["sample.ora — shoot-b", "sample.ora — shoot-a"]


def test_no_brush_outline_is_left_after_file_open(make_window, tmp_path, qtbot):
    path = tmp_path / "other.ora"
    save_document(small_document(60, 40), path)
    window = make_window(small_document())
    window.set_tool(window.tool("Brush"))
    tool = window.canvas.tool
    send_mouse(window.canvas, QEvent.Type.MouseMove, QPoint(200, 200), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    assert tool.overlay_rect() is not None
    assert open_file(qtbot, window, path)
    assert tool.overlay_rect() is None


def test_inverse_of_select_all_is_no_selection_and_the_brush_still_paints(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    activate(qtbot, window)
    window.actions["select_all"].trigger()
    window.actions["select_inverse"].trigger()
    assert doc.selection is None
    red = doc.find_by_name("Red")
    doc.set_active(red)
    window.set_tool(window.tool("Brush"))
    window.canvas.tool.set_brush(Brush(size=6, hardness=1.0))
    window.foreground = window.foreground.fromRgb(0, 255, 0)
    canvas = window.canvas
    p = canvas.doc_to_widget(QPointF(40, 25)).toPoint()
    mouse_drag(canvas, p, p + QPoint(4, 0))
    assert tuple(red.pixels[15, 20][:3]) == (0, 255, 0)


def test_a_stroke_on_a_feathered_mask_repaints_the_feathered_halo(make_window, qtbot, monkeypatch):
    doc = Document(200, 120)
    bg = np.full((120, 200, 4), 255, np.uint8)
    doc.root.insert(0, Layer("Background", bg))
    top = np.zeros((120, 200, 4), np.uint8)
    top[...] = (200, 0, 0, 255)
    layer = Layer("Top", top, mask=Mask(np.zeros((120, 200), np.uint8), feather=5.0))
    doc.root.insert(1, layer)
    doc.active, doc.edit_mask = layer, True
    window = make_window(doc)
    canvas = window.canvas
    canvas.set_zoom(2.0, QPointF(0, 0))
    window.set_tool(window.tool("Brush"))
    canvas.tool.set_brush(Brush(size=4, hardness=1.0))
    window.foreground = window.foreground.fromRgb(255, 255, 255)
    repainted: list[QRect] = []
    real_update = canvas.update

    def record(*args):
        if args and isinstance(args[0], QRect):
            repainted.append(QRect(args[0]))
        return real_update(*args)

    monkeypatch.setattr(canvas, "update", record)
    centre = QPointF(100, 60)
    p = canvas.doc_to_widget(centre).toPoint()
    send_mouse(canvas, QEvent.Type.MouseButtonPress, p)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, p, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    assert layer.mask.data[60, 100] == 255
    area = QRect()
    for r in repainted:
        area = area.united(r)
    reach = feather_radius(5.0) + 2  # the dab's radius plus the feather's reach, in document pixels
    halo = canvas.doc_rect_to_widget(Rect(100 - reach, 60 - reach, 2 * reach, 2 * reach)).toAlignedRect()
    assert area.contains(halo.adjusted(2, 2, -2, -2))


def test_ctrl_shift_d_reselects_after_a_deselect(make_window, qtbot):
    window = make_window(small_document())
    activate(qtbot, window)
    window.set_tool(window.tool("Rectangle Select"))
    canvas = window.canvas
    canvas.set_zoom(2.0, QPointF(0, 0))
    mouse_drag(canvas, canvas.doc_to_widget(QPointF(10, 10)).toPoint(), canvas.doc_to_widget(QPointF(40, 30)).toPoint())
    drawn = window.document.selection.data.copy()
    QTest.keySequence(canvas, "Ctrl+D")
    assert window.document.selection is None
    QTest.keySequence(canvas, "Ctrl+Shift+D")
    assert np.array_equal(window.document.selection.data, drawn)
    assert window.document.history.labels()[-1] == "Reselect"
