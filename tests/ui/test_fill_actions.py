"""Edit > Fill…, Stroke…, Clear, the Backspace fills and the paint bucket, through the real window."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QKeyEvent

from editor.core import Layer, Mask, Rect, Selection
from editor.masks.selection.wand import magic_wand
from editor.ui.dialogs.fill_dialogs import FillDialog, StrokeDialog

from .conftest import activate, small_document


def selected(doc, rect):
    doc.selection = Selection.from_rect(doc.width, doc.height, rect)


def window_with(make_window, qtbot, doc=None):
    window = make_window(doc or small_document())
    activate(qtbot, window)
    window.canvas.setFocus()
    return window


def test_delete_with_a_selection_clears_it_on_pixels(make_window, qtbot):
    window = window_with(make_window, qtbot)
    doc = window.document
    red = doc.find_by_name("Red")
    selected(doc, Rect(20, 10, 10, 30))  # the red layer's own columns 0..9
    qtbot.keyClick(window.canvas, Qt.Key.Key_Delete)
    assert (red.pixels[:, :10, 3] == 0).all() and (red.pixels[:, 10:, 3] == 255).all()
    assert doc.history.labels() == ["Clear"] and len(doc.root.children) == 2
    doc.undo()
    assert (red.pixels[..., 3] == 255).all()


def test_backspace_on_a_mask_writes_black_respecting_inversion(make_window, qtbot):
    doc = small_document()
    red = doc.find_by_name("Red")
    red.mask = Mask.filled(30, 40, 0)
    red.mask.inverted = True  # stored 0 shows white
    doc.set_active(red, edit_mask=True)
    window = window_with(make_window, qtbot, doc)
    selected(doc, Rect(20, 10, 20, 30))
    qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace)
    assert (red.mask.data[:, :20] == 255).all() and (red.mask.data[:, 20:] == 0).all()  # shows black there
    assert (red.pixels[..., 3] == 255).all()
    assert doc.history.labels() == ["Clear on mask"]


def test_layers_panel_delete_clears_with_a_selection_and_deletes_without(make_window, qtbot):
    window = window_with(make_window, qtbot)
    doc, view = window.document, window.layers_panel.view
    red = doc.find_by_name("Red")
    selected(doc, Rect(0, 0, 30, 80))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(doc.root.children) == 2, "Delete must not remove a layer while there is a selection"
    assert (red.pixels[:, :10, 3] == 0).all() and doc.history.labels() == ["Clear"]
    # The view's own handler, as when no window shortcut takes the key first.
    doc.selection = Selection.from_rect(doc.width, doc.height, Rect(0, 0, 5, 5))
    cleared = []
    view.clear_requested.connect(lambda: cleared.append(True))
    view.keyPressEvent(QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier))
    assert cleared and len(doc.root.children) == 2
    doc.selection = None
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(doc.root.children) == 1  # no selection: the layer goes, as before


def test_alt_and_ctrl_backspace_fill_with_the_colours(make_window, qtbot):
    window = window_with(make_window, qtbot)
    doc = window.document
    red = doc.find_by_name("Red")
    window.foreground, window.background = QColor(0, 255, 0), QColor(9, 8, 7)
    selected(doc, Rect(20, 10, 10, 10))
    qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace, Qt.KeyboardModifier.AltModifier)
    assert (red.pixels[:10, :10, :3] == (0, 255, 0)).all() and (red.pixels[:10, 10:, :3] == (230, 30, 30)).all()
    doc.selection = None
    qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert (red.pixels[..., :3] == (9, 8, 7)).all()  # no selection: the whole layer
    assert doc.history.labels() == ["Fill", "Fill"]


def test_fill_dialog_with_preserve_transparency_leaves_alpha(make_window, qtbot, monkeypatch):
    doc = small_document()
    red = doc.find_by_name("Red")
    red.pixels[:, :20, 3] = 0
    red.pixels[:, 20:30, 3] = 100
    alpha = red.pixels[..., 3].copy()
    window = window_with(make_window, qtbot, doc)
    shown = []

    def run(dialog):
        shown.append(dialog.windowTitle())
        dialog.contents.setCurrentIndex(dialog.contents.findData("grey"))
        dialog.preserve.setChecked(True)
        return 1

    monkeypatch.setattr(FillDialog, "exec", run)
    qtbot.keyClick(window.canvas, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    assert shown == ["Fill"]
    assert np.array_equal(red.pixels[..., 3], alpha)
    assert (red.pixels[:, 20:, :3] == 128).all()
    assert doc.history.labels() == ["Fill"]
    doc.undo()
    assert (red.pixels[..., :3] == (230, 30, 30)).all()


def test_stroke_dialog_strokes_the_selection_edge(make_window, qtbot, monkeypatch):
    window = window_with(make_window, qtbot)
    doc = window.document
    bg = doc.find_by_name("Background")
    doc.set_active(bg)
    selected(doc, Rect(50, 30, 40, 30))

    def run(dialog):
        dialog.width_.setValue(4)
        dialog.location_buttons["inside"].setChecked(True)
        dialog.colour.set_rgb((255, 255, 0))
        return 1

    monkeypatch.setattr(StrokeDialog, "exec", run)
    window.actions["stroke"].trigger()
    row = bg.pixels[45, :, :3]
    assert (row[50:54] == (255, 255, 0)).all() and (row[54:86] == (20, 40, 200)).all()
    assert (row[86:90] == (255, 255, 0)).all() and (row[90] == (20, 40, 200)).all()
    assert doc.history.labels() == ["Stroke"]


def test_bucket_click_fills_what_the_wand_would_select(make_window, qtbot):
    doc = small_document(160, 100)
    bg = doc.find_by_name("Background")
    bg.pixels[:, 80] = (0, 0, 0, 255)
    bg.pixels[..., 2] = np.clip(bg.pixels[..., 2].astype(int) + (np.arange(160) % 7)[None, :], 0, 255)
    before = bg.pixels.copy()
    doc.set_active(bg)
    window = window_with(make_window, qtbot, doc)
    window.set_tool(window.tool("Paint Bucket"))
    tool = window.canvas.tool
    tool.options.tolerance.setValue(10)
    window.foreground = QColor(255, 128, 0)
    click = window.canvas.doc_to_widget(QPointF(5.5, 70.5)).toPoint()
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=click)
    doc_point = window.canvas.widget_to_doc(QPointF(click))
    wand = magic_wand(before, int(doc_point.x()), int(doc_point.y()), tolerance=10).astype(float) / 255
    expected = before[..., 0] * (1 - wand) + 255 * wand
    assert np.abs(bg.pixels[..., 0] - expected).max() <= 1.0
    assert wand[:, 81:].max() == 0 and wand[60:, :79].min() == 1  # the wall held, the left half filled (soft at the wall)
    assert doc.history.labels() == ["Paint bucket"]
    doc.undo()
    assert np.array_equal(bg.pixels, before)


def test_g_and_shift_g_pick_and_cycle_gradient_and_bucket(make_window, qtbot):
    window = window_with(make_window, qtbot)
    qtbot.keyClick(window.canvas, Qt.Key.Key_G)
    assert window.canvas.tool.name == "Gradient"
    qtbot.keyClick(window.canvas, Qt.Key.Key_G, Qt.KeyboardModifier.ShiftModifier)
    assert window.canvas.tool.name == "Paint Bucket"
    qtbot.keyClick(window.canvas, Qt.Key.Key_B)
    qtbot.keyClick(window.canvas, Qt.Key.Key_G)
    assert window.canvas.tool.name == "Paint Bucket"  # the one used last
    qtbot.keyClick(window.canvas, Qt.Key.Key_G, Qt.KeyboardModifier.ShiftModifier)
    assert window.canvas.tool.name == "Gradient"


def test_polygon_lasso_backspace_still_removes_a_corner(make_window, qtbot):
    window = window_with(make_window, qtbot)
    doc = window.document
    selected(doc, Rect(0, 0, 50, 50))
    window.set_tool(window.tool("Polygon Lasso"))
    tool = window.canvas.tool
    for x, y in ((60, 20), (100, 20), (100, 60)):
        qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.doc_to_widget(QPointF(x, y)).toPoint())
    corners = len(tool.points)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Backspace)
    assert len(tool.points) == corners - 1
    assert doc.history.labels() == []  # nothing cleared


def test_gradient_on_the_mask_in_the_window(make_window, qtbot):
    doc = small_document()
    red = doc.find_by_name("Red")
    red.mask = Mask.filled(30, 40, 255)
    doc.set_active(red, edit_mask=True)
    window = window_with(make_window, qtbot, doc)
    window.foreground, window.background = QColor(255, 255, 255), QColor(0, 0, 0)
    window.set_tool(window.tool("Gradient"))
    canvas = window.canvas
    a = canvas.doc_to_widget(QPointF(20, 20)).toPoint()
    b = canvas.doc_to_widget(QPointF(60, 20)).toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(canvas, b)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=b)
    m = red.mask.data.astype(int)
    assert m[0, 0] > 240 and m[0, -1] < 15 and (np.diff(m[5]) <= 1).all()
    assert isinstance(red, Layer) and doc.history.labels() == ["Gradient on mask"]


def test_bucket_and_wand_share_a_sample_that_follows_every_change(make_window, qtbot, monkeypatch):
    """A second click (bucket or wand, Sample merged) composites nothing anew; the sample follows a fill,
    a layer switch, the Sample merged toggle and undo."""
    import editor.render as render_module

    doc = small_document(160, 100)
    bg, red = doc.find_by_name("Background"), doc.find_by_name("Red")
    doc.set_active(bg)
    window = window_with(make_window, qtbot, doc)
    full_renders = []
    real = render_module.flatten_rgba
    monkeypatch.setattr(render_module, "flatten_rgba", lambda d, *a, **kw: full_renders.append(1) or real(d, *a, **kw))

    def click(x, y):
        qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.doc_to_widget(QPointF(x, y)).toPoint())

    def wand_selects(sample, x, y):
        return magic_wand(sample, x, y, tolerance=0, antialias=False) == 255

    window.set_tool(window.tool("Paint Bucket"))
    bucket = window.canvas.tool.options
    bucket.tolerance.setValue(0)
    bucket.antialias.setChecked(False)
    bucket.sample_merged.setChecked(True)
    window.foreground = QColor(0, 200, 0)
    click(100.5, 80.5)  # the blue backdrop around the red square, filled green
    assert full_renders == [1] and tuple(bg.pixels[90, 150, :3]) == (0, 200, 0)
    window.foreground = QColor(250, 250, 0)
    click(30.5, 20.5)  # the red square as seen: the merged sample is brought up to date, not rebuilt
    assert full_renders == [1] and tuple(bg.pixels[20, 30, :3]) == (250, 250, 0)  # under the square, on bg

    window.set_tool(window.tool("Magic Wand"))
    wand = window.canvas.tool
    wand.tolerance.setValue(0)
    wand.options.antialias.setChecked(False)
    wand.contiguous.setChecked(True)
    wand.sample_merged.setChecked(True)
    click(100.5, 80.5)
    assert full_renders == [1], "the wand reuses the bucket's merged sample"
    np.testing.assert_array_equal(doc.selection.data == 255, wand_selects(real(doc), 100, 80))
    doc.undo()  # the selection
    doc.undo()  # the yellow fill
    click(30.5, 20.5)
    np.testing.assert_array_equal(doc.selection.data == 255, wand_selects(real(doc), 30, 20))
    assert (doc.selection.data[10:40, 20:60] == 255).all(), "after undo the red square is red again"
    wand.sample_merged.setChecked(False)
    doc.set_active(red)
    doc.selection = None
    click(30.5, 20.5)  # the red layer's own pixels, placed on the canvas
    assert (doc.selection.data[10:40, 20:60] == 255).all() and doc.selection.data[5, 5] == 0
    doc.set_active(bg)
    doc.selection = None
    click(100.5, 80.5)  # the backdrop's own pixels: green all round the blue it keeps under the square
    assert (doc.selection.data[10:40, 20:60] == 0).all() and (doc.selection.data[:10] == 255).all()
    assert full_renders == [1]
