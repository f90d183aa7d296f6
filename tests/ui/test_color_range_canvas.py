"""Colour Range and Chroma Key sample from the main canvas while their dialog is open.

Real main window, real canvas, mouse events through QTest at two zoom levels; the brush is
the active tool throughout, so a click that reached it would paint and add a history step.
"""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from editor.core import Document, Layer
from editor.core.commands import ReplacePixels
from editor.core.ops import delete_node
from editor.masks.generators import generate
from tests.core.helpers import snapshot
from tests.ui.conftest import mouse_drag

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SHIFT, ALT = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
OFFSET = (14, 8)  # the photo layer sits off the document's corner: samples must subtract it


def _document() -> Document:
    """A grey backdrop under "Photo": every pixel a different colour, a transparent column at its right."""
    doc = Document(100, 70)
    doc.root.insert(0, Layer("Backdrop", np.full((70, 100, 4), (128, 128, 128, 255), np.uint8)))
    ys, xs = np.mgrid[0:40, 0:60]
    photo = np.zeros((40, 60, 4), np.uint8)
    photo[..., 0] = 10 + 4 * xs
    photo[..., 1] = 20 + 5 * ys
    photo[..., 2] = 200 - 3 * xs
    photo[..., 3] = 255
    photo[:, -2:, 3] = 0
    layer = Layer("Photo", photo, offset=OFFSET)
    doc.root.insert(1, layer)
    doc.active = layer
    return doc


def _open(window, qtbot, action: str, zoom: float):
    brush = window.tool("Brush")
    window.set_tool(brush)
    canvas = window.canvas
    canvas.set_zoom(zoom, QPointF(0, 0))
    canvas.view.origin = QPointF(30.0, 20.0)  # whole widget pixels: each click lands on one known document pixel
    canvas.update()
    window.mask_generators.actions[action].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitExposed(dialog)
    return canvas, dialog


def _click(canvas, doc_x: int, doc_y: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    widget = canvas.doc_to_widget(QPointF(doc_x + 0.4, doc_y + 0.4))
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, modifiers, QPoint(round(widget.x()), round(widget.y())))


def _rgb(layer: Layer, doc_x: int, doc_y: int) -> tuple[int, int, int]:
    r, g, b = layer.pixels[doc_y - layer.y, doc_x - layer.x, :3]
    return int(r), int(g), int(b)


@pytest.mark.parametrize("zoom", [0.5, 3.0])
def test_canvas_clicks_sample_the_layer_and_ok_masks_from_them_in_one_step(qtbot, make_window, zoom):
    doc = _document()
    window = make_window(doc)
    layer = doc.active
    before, steps = snapshot(doc), len(doc.history.steps)
    canvas, dialog = _open(window, qtbot, "color_range", zoom)
    assert QApplication.activeModalWidget() is None  # the window takes input (QTest would get past a modal dialog)
    assert canvas.cursor().shape() == Qt.CursorShape.BitmapCursor  # the eyedropper, not the brush's cross

    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing sampled yet: OK would write an all-black mask

    # Even document pixels: exact at zoom 0.5, where one widget pixel spans two.
    first, second, third = (20, 12), (40, 30), (60, 40)
    _click(canvas, *first)
    assert ok.isEnabled()
    assert dialog.range.samples == [_rgb(layer, *first)]
    _click(canvas, *second, SHIFT)
    _click(canvas, *third, SHIFT)
    assert dialog.range.samples == [_rgb(layer, *first), _rgb(layer, *second), _rgb(layer, *third)]
    _click(canvas, second[0] + 2, second[1], ALT)  # a neighbour of the second sample removes that one
    assert dialog.range.samples == [_rgb(layer, *first), _rgb(layer, *third)]
    shown = dialog.samples_label.text()
    assert all(f"#{r:02x}{g:02x}{b:02x}" in shown for r, g, b in dialog.range.samples)
    assert "#{:02x}{:02x}{:02x}".format(*_rgb(layer, *second)) not in shown

    # The brush did not paint, nothing entered the history.
    assert snapshot(doc) == before and len(doc.history.steps) == steps
    qtbot.waitUntil(lambda: dialog.preview_mask.max() == 255 and dialog.preview_mask.min() == 0)

    dialog.fuzziness.set_value(12)
    params = dialog.params()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert len(doc.history.steps) == steps + 1
    assert np.array_equal(layer.mask.data, generate(layer.pixels, params))
    assert layer.mask.generator["samples"] == [list(_rgb(layer, *first)), list(_rgb(layer, *third))]
    assert canvas.sampler is None and canvas.cursor().shape() == brush_cursor(window)
    doc.undo()
    assert snapshot(doc) == before


def brush_cursor(window):
    return window.tool("Brush").cursor().shape()


@pytest.mark.parametrize("zoom", [0.5, 3.0])
def test_cancel_changes_nothing_and_the_canvas_goes_back_to_the_tool(qtbot, make_window, zoom):
    doc = _document()
    window = make_window(doc)
    layer = doc.active
    before, steps = snapshot(doc), len(doc.history.steps)
    canvas, dialog = _open(window, qtbot, "color_range", zoom)
    _click(canvas, 30, 20)
    _click(canvas, 50, 36, SHIFT)
    assert len(dialog.range.samples) == 2
    _click(canvas, 5, 5)  # the backdrop, outside the dialog's layer: no sample
    _click(canvas, 72, 20, SHIFT)  # the photo's transparent column: no colour to sample
    assert len(dialog.range.samples) == 2
    assert "transparent" in window.statusBar().currentMessage()

    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert snapshot(doc) == before and len(doc.history.steps) == steps
    assert canvas.sampler is None and canvas.cursor().shape() == brush_cursor(window)

    # Clicks reach the brush again: a stroke paints the photo, one step.
    window.foreground.setRgb(255, 255, 255)
    start = canvas.doc_to_widget(QPointF(30, 20)).toPoint()
    end = canvas.doc_to_widget(QPointF(50, 20)).toPoint()
    mouse_drag(canvas, start, end)
    assert len(doc.history.steps) == steps + 1
    assert _rgb(layer, 40, 20) == (255, 255, 255)


def test_chroma_key_picks_its_key_on_the_canvas(qtbot, make_window):
    doc = _document()
    window = make_window(doc)
    layer = doc.active
    before = snapshot(doc)
    canvas, dialog = _open(window, qtbot, "chroma_key", 3.0)
    _click(canvas, 22, 30)
    r, g, b = _rgb(layer, 22, 30)
    assert dialog.key.currentText() == f"#{r:02x}{g:02x}{b:02x}"
    assert snapshot(doc) == before
    dialog.reject()
    assert canvas.sampler is None


def test_the_preview_follows_the_layer_when_its_pixels_change_under_the_dialog(qtbot, make_window):
    doc = _document()
    window = make_window(doc)
    layer = doc.active
    canvas, dialog = _open(window, qtbot, "color_range", 1.0)
    _click(canvas, 30, 20)
    first = dialog.range.samples[0]
    runs = dialog.preview_runs
    flat = np.full_like(layer.pixels, (*first, 255))  # e.g. Edit > Undo of an earlier edit, with the dialog up
    doc.execute(ReplacePixels(layer, flat))
    assert np.array_equal(dialog.small, flat[: dialog.small.shape[0], : dialog.small.shape[1]])
    qtbot.waitUntil(lambda: dialog.preview_runs > runs)
    assert dialog.preview_mask.min() == 255  # every pixel now has the sampled colour
    dialog.reject()


def test_the_dialog_lets_go_when_its_layer_or_document_goes(qtbot, make_window):
    doc = _document()
    window = make_window(doc)
    canvas, dialog = _open(window, qtbot, "color_range", 1.0)
    # A second colour dialog takes over the canvas; the first closes as Cancel.
    window.mask_generators.actions["chroma_key"].trigger()
    chroma = window.mask_generators.dialog
    qtbot.waitExposed(chroma)
    assert not dialog.isVisible() and canvas.sampler == chroma.sample_canvas

    # The layer leaves the document: OK could no longer apply.
    delete_node(doc, chroma.layer)
    assert doc.find(chroma.layer.uid) is None
    assert not chroma.isVisible() and canvas.sampler is None

    doc.undo()
    canvas, dialog = _open(window, qtbot, "color_range", 1.0)
    window.set_document(_document())  # File > Open or New replaces the document
    assert not dialog.isVisible() and canvas.sampler is None
