"""The clipboard through the real window: a marquee drawn on the canvas, then the shortcuts."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtTest import QTest

from editor.core import Document, Layer
from editor.render import flatten_rgba
from tests.ui.conftest import activate, send_mouse

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def pattern_document() -> Document:
    """Grey background under a 60x40 layer at (25, 15) whose every pixel differs."""
    doc = Document(160, 100)
    bg = np.zeros((100, 160, 4), np.uint8)
    bg[...] = (128, 128, 128, 255)
    top = np.zeros((40, 60, 4), np.uint8)
    top[..., 0] = np.arange(60, dtype=np.uint8)[None, :] * 4
    top[..., 1] = np.arange(40, dtype=np.uint8)[:, None] * 6
    top[..., 2] = 77
    top[..., 3] = 255
    doc.root.insert(0, Layer("Background", bg))
    layer = Layer("Pattern", top, offset=(25, 15))
    doc.root.insert(1, layer)
    doc.active = layer
    return doc


@pytest.fixture
def window(make_window, qtbot):
    window = make_window(pattern_document())
    window.canvas.set_zoom(3.0, QPointF(0, 0))
    window.canvas.view.origin = QPointF(7.0, 5.0)  # whole widget pixels per document pixel
    window.set_tool(window.tool("Rectangle Select"))
    activate(qtbot, window)
    return window


def wp(window, x, y) -> QPoint:
    return window.canvas.doc_to_widget(QPointF(x, y)).toPoint()


def marquee(window, x0, y0, x1, y1) -> None:
    canvas = window.canvas
    send_mouse(canvas, QEvent.Type.MouseButtonPress, wp(window, x0, y0))
    for t in (0.3, 0.7, 1.0):
        send_mouse(canvas, QEvent.Type.MouseMove, wp(window, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t),
                   Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, wp(window, x1, y1), Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)


def keys(window, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.canvas, key, modifiers)


def test_copy_then_paste_in_place_lands_on_the_source_pixels(window):
    doc = window.document
    source = doc.active
    marquee(window, 40, 20, 52, 31)
    assert doc.selection.bounds() == (40, 20, 12, 11)
    keys(window, Qt.Key.Key_C, CTRL)
    steps = len(doc.history.steps)
    keys(window, Qt.Key.Key_V, CTRL | SHIFT)
    pasted = doc.active
    assert pasted is not source and pasted.offset == (40, 20)
    assert np.array_equal(pasted.pixels, source.pixels[5:16, 15:27])
    assert len(doc.history.steps) == steps + 1 and doc.history.labels()[-1] == "Paste in place"
    doc.undo()
    assert pasted not in doc.root.children


def test_plain_paste_in_the_same_document_is_in_place_too(window):
    doc = window.document
    marquee(window, 40, 20, 52, 31)
    keys(window, Qt.Key.Key_C, CTRL)
    window.canvas.pan_by(-60, -20)  # the view moved: the paste still goes where the pixels were
    keys(window, Qt.Key.Key_V, CTRL)
    assert doc.active.offset == (40, 20) and doc.history.labels()[-1] == "Paste"


def test_paste_into_makes_a_layer_whose_mask_is_the_selection(window):
    doc = window.document
    marquee(window, 30, 18, 40, 26)
    keys(window, Qt.Key.Key_C, CTRL)
    marquee(window, 90, 50, 130, 80)
    selection = doc.selection.data.copy()
    steps = len(doc.history.steps)
    keys(window, Qt.Key.Key_V, CTRL | ALT | SHIFT)
    layer = doc.active
    assert layer.mask is not None and layer.offset == (0, 0)
    assert np.array_equal(layer.mask.data, selection)
    assert doc.selection is None
    assert len(doc.history.steps) == steps + 1 and doc.history.labels()[-1] == "Paste into"
    doc.undo()
    assert np.array_equal(doc.selection.data, selection) and layer not in doc.root.children


def test_ctrl_j_with_a_selection_makes_a_layer_of_only_those_pixels(window):
    doc = window.document
    source = doc.active
    look = flatten_rgba(doc)
    marquee(window, 20, 10, 35, 22)  # overlaps the layer's top-left corner at (25, 15)
    steps = len(doc.history.steps)
    keys(window, Qt.Key.Key_J, CTRL)
    new = doc.active
    assert new is not source and new.offset == (25, 15) and new.pixels.shape == (7, 10, 4)
    assert np.array_equal(new.pixels, source.pixels[:7, :10])
    assert np.array_equal(flatten_rgba(doc), look)
    assert len(doc.history.steps) == steps + 1 and doc.history.labels()[-1] == "Layer via copy"


def test_ctrl_j_without_a_selection_duplicates_and_shift_ctrl_j_cuts(window):
    doc = window.document
    source = doc.active
    keys(window, Qt.Key.Key_J, CTRL)
    copy = doc.active
    assert copy.name == "Pattern copy" and np.array_equal(copy.pixels, source.pixels)
    doc.undo()
    marquee(window, 40, 20, 50, 30)
    before = source.pixels.copy()
    doc.set_active(source)
    keys(window, Qt.Key.Key_J, CTRL | SHIFT)
    assert doc.active.offset == (40, 20) and not source.pixels[5:15, 15:25, 3].any()
    assert doc.history.labels()[-1] == "Layer via cut"
    doc.undo()
    assert np.array_equal(source.pixels, before)


def test_cut_clears_the_selection_and_copy_merged_takes_the_composite(window):
    doc = window.document
    source = doc.active
    marquee(window, 40, 20, 50, 30)
    keys(window, Qt.Key.Key_X, CTRL)
    assert not source.pixels[5:15, 15:25, 3].any() and doc.history.labels()[-1] == "Cut"
    keys(window, Qt.Key.Key_C, CTRL | SHIFT)
    image = QImage.fromData(QGuiApplication.clipboard().mimeData().data("image/png"), "PNG")
    assert (image.width(), image.height()) == (10, 10)
    assert image.pixelColor(3, 3).getRgb() == (128, 128, 128, 255)  # the background shows through the cut


def test_copy_puts_png_with_alpha_on_the_system_clipboard(window):
    doc = window.document
    data = np.zeros((100, 160), np.uint8)
    data[20:30, 40:50] = 255
    data[20:30, 45:50] = 100
    from editor.core import Selection, SetSelection

    doc.execute(SetSelection(Selection(data)))
    keys(window, Qt.Key.Key_C, CTRL)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat("image/png") and mime.hasImage()
    image = QImage.fromData(mime.data("image/png"), "PNG")
    assert image.pixelColor(0, 0).alpha() == 255 and image.pixelColor(7, 0).alpha() == 100


def test_an_image_with_alpha_from_another_program_pastes_centred_in_the_view(window):
    doc = window.document
    image = QImage(8, 6, QImage.Format.Format_RGBA8888)
    image.fill(Qt.GlobalColor.transparent)
    for x in range(4):
        for y in range(6):
            image.setPixelColor(x, y, Qt.GlobalColor.green)
    png = QByteArray()
    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    mime = QMimeData()
    mime.setData("image/png", png)
    QGuiApplication.clipboard().setMimeData(mime)
    keys(window, Qt.Key.Key_V, CTRL)
    layer = doc.active
    assert layer.pixels.shape == (6, 8, 4)
    assert tuple(layer.pixels[0, 0]) == (0, 255, 0, 255) and layer.pixels[0, 6, 3] == 0
    canvas = window.canvas
    centre = canvas.widget_to_doc(QPointF(canvas.width() / 2, canvas.height() / 2))
    assert abs(layer.offset[0] + 4 - centre.x()) <= 1 and abs(layer.offset[1] + 3 - centre.y()) <= 1


def test_edit_menu_lists_the_clipboard_commands(window):
    texts = [a.text() for a in window.menus["edit"].actions()]
    for text in ("Cut", "Copy", "Copy Merged", "Paste", "Paste Special"):
        assert text in texts
    layer_texts = [a.text() for a in window.menus["layer"].actions()]
    assert layer_texts.index("Layer via Copy") == layer_texts.index("Duplicate Layer") + 1
