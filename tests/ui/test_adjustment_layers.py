"""Adjustment layers through the real window: the Layer menu and the panel's button add them,
the settings dialog's slider changes the canvas (one undo step), Cancel takes it back."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMenu, QToolButton

from editor.core import Adjustment

from .conftest import small_document


def shown(window, x: int, y: int):
    canvas = window.canvas
    pos = canvas.doc_to_widget(QPointF(x, y)).toPoint()
    return canvas.grab().toImage().pixelColor(pos)


def _menu_action(menu: QMenu, text: str):
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"{text!r} not in {[a.text() for a in menu.actions()]}")


def test_every_adjustment_from_the_layer_menu(make_window, qtbot):
    window = make_window(small_document())
    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Layer")
    adjust = _menu_action(layer_menu, "New Adjustment Layer").menu()
    filters = _menu_action(layer_menu, "New Filter Layer").menu()
    labels = [a.text() for a in adjust.actions()] + [a.text() for a in filters.actions()]
    assert "Curves…" in labels and "Hue/Saturation…" in labels and "Gaussian Blur…" in labels
    for action in adjust.actions() + filters.actions():
        action.trigger()
        dialog = window.adjustment_dialog
        assert dialog.isVisible()
        dialog.accept()
    added = [n for n in window.document.root.children if isinstance(n, Adjustment)]
    assert len(added) == len(labels)
    assert window.layers_panel.model.thumbnails.layer(added[0]) is not None


def test_panel_button_and_slider_drag_then_cancel(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    button = window.layers_panel.findChild(QToolButton, "newAdjustmentButton")
    assert button is not None
    invert = _menu_action(button.menu(), "Invert…")
    before = shown(window, 5, 5)
    invert.trigger()
    window.adjustment_dialog.accept()
    qtbot.waitUntil(lambda: shown(window, 5, 5).blue() < 100, timeout=3000)  # blue backdrop inverted
    steps = doc.history.index

    _menu_action(button.menu(), "Levels…").trigger()
    levels = doc.active
    assert isinstance(levels, Adjustment) and levels.adjustment == "levels"
    dialog = window.adjustment_dialog
    slider = dialog.widgets["master.in_black:slider"]
    for v in (20, 60, 120):  # a drag: one undo step
        slider.setValue(v)
    assert levels.params["master"]["in_black"] == 120
    assert doc.history.index == steps + 2  # the new layer, then one settings step
    dialog.reject()
    assert levels.params["master"]["in_black"] == 0 and doc.history.index == steps + 1
    doc.undo()  # the levels layer
    doc.undo()  # the invert layer
    qtbot.waitUntil(lambda: shown(window, 5, 5) == before, timeout=3000)


def test_channel_mixer_moves_blue_into_red_on_the_canvas(make_window, qtbot):
    window = make_window(small_document())
    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Layer")
    _menu_action(_menu_action(layer_menu, "New Adjustment Layer").menu(), "Channel Mixer…").trigger()
    dialog = window.adjustment_dialog
    before = shown(window, 5, 5)
    assert before.blue() > before.red() + 60  # the blue backdrop
    dialog.widgets["red.red"].setValue(0)
    dialog.widgets["red.blue"].setValue(100)  # red output = the source's blue
    dialog.accept()
    qtbot.waitUntil(lambda: abs(shown(window, 5, 5).red() - before.blue()) <= 2, timeout=3000)
    assert shown(window, 5, 5).blue() == before.blue()
