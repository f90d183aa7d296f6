"""Adjustment layers through the real window: the Layer menu and the panel's button add them and
bring their controls forward in the Properties panel; Layer > Adjustment Settings…'s dialog
changes the canvas (one undo step), Cancel takes it back."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
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
    panel, dock = window.properties_panel, window.properties_dock
    window.history_dock.raise_()  # the Properties tab behind History
    for action in adjust.actions() + filters.actions():
        action.trigger()  # as Photoshop: no modal dialog, the controls in Properties
        assert getattr(window, "adjustment_dialog", None) is None
        assert not dock.visibleRegion().isEmpty() and panel.settings_box.isVisible()
        assert panel.settings_box.title() == action.text().rstrip("…")  # "&&" in both
        assert panel.adjustment_controls.spec.name == window.document.active.adjustment
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
    qtbot.waitUntil(lambda: shown(window, 5, 5).blue() < 100, timeout=3000)  # blue backdrop inverted
    steps = doc.history.index

    _menu_action(button.menu(), "Levels…").trigger()
    levels = doc.active
    assert isinstance(levels, Adjustment) and levels.adjustment == "levels"
    window.layer_actions.actions["adjust_settings"].trigger()
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
    window.layer_actions.actions["adjust_settings"].trigger()
    dialog = window.adjustment_dialog
    before = shown(window, 5, 5)
    assert before.blue() > before.red() + 60  # the blue backdrop
    dialog.widgets["red.red"].setValue(0)
    dialog.widgets["red.blue"].setValue(100)  # red output = the source's blue
    dialog.accept()
    qtbot.waitUntil(lambda: abs(shown(window, 5, 5).red() - before.blue()) <= 2, timeout=3000)
    assert shown(window, 5, 5).blue() == before.blue()


def test_curves_graph_adds_drags_and_removes_points(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Layer")
    _menu_action(_menu_action(layer_menu, "New Adjustment Layer").menu(), "Curves…").trigger()
    window.layer_actions.actions["adjust_settings"].trigger()
    dialog = window.adjustment_dialog
    node = doc.active
    steps = doc.history.index
    before = shown(window, 5, 5)
    graph = dialog.curves.graph
    qtbot.waitExposed(graph)

    # Click on the diagonal at input 128 and drag the new point up to output 200: the midtones lift.
    start = graph.to_screen(128, 128).toPoint()
    qtbot.mousePress(graph, Qt.MouseButton.LeftButton, pos=start)
    for y in (150, 180, 200):
        qtbot.mouseMove(graph, graph.to_screen(128, y).toPoint())
    qtbot.mouseRelease(graph, Qt.MouseButton.LeftButton, pos=graph.to_screen(128, 200).toPoint())
    assert node.params["master"] == [[0, 0], [128, 200], [255, 255]]
    assert doc.history.index == steps + 1  # the whole drag is one settings step
    qtbot.waitUntil(lambda: shown(window, 5, 5).blue() > before.blue() + 10, timeout=3000)
    assert dialog.curves.input.value() == 128 and dialog.curves.output.value() == 200

    # The arrow keys nudge the chosen point; the Output field moves it too.
    graph.setFocus()
    qtbot.keyClick(graph, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert node.params["master"][1] == [128, 210]
    dialog.curves.output.setValue(190)
    assert node.params["master"][1] == [128, 190]

    # Red channel: a point there leaves the master curve alone.
    dialog.curves.channel_menu.setCurrentIndex(dialog.curves.channel_menu.findData("red"))
    qtbot.mouseClick(graph, Qt.MouseButton.LeftButton, pos=graph.to_screen(64, 32).toPoint())
    assert node.params["red"] == [[0, 0], [64, 32], [255, 255]]
    qtbot.keyClick(graph, Qt.Key.Key_Delete)  # Delete removes the chosen point
    assert node.params["red"] == [[0, 0], [255, 255]]

    # Dragging a point off the graph removes it; the end points stay (a curve keeps two).
    dialog.curves.channel_menu.setCurrentIndex(0)
    point = graph.to_screen(128, 190).toPoint()
    qtbot.mousePress(graph, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseMove(graph, point + QPoint(0, graph.height() + 40))
    qtbot.mouseRelease(graph, Qt.MouseButton.LeftButton, pos=point + QPoint(0, graph.height() + 40))
    assert node.params["master"] == [[0, 0], [255, 255]]
    qtbot.waitUntil(lambda: shown(window, 5, 5) == before, timeout=3000)

    dialog.accept()
    assert doc.history.index == steps + 1
    doc.undo()
    assert node.params["master"] == [[0, 0], [255, 255]] and node.params["red"] == [[0, 0], [255, 255]]


def test_a_slider_drag_previews_at_the_screen_level_and_the_release_renders_full_size(make_window, qtbot):
    import numpy as np

    from editor.core import Document, Layer, ops
    from editor.render import render

    doc = Document(2400, 1600)  # over the 2 MP from which settings drags preview
    pixels = np.zeros((1600, 2400, 4), np.uint8)
    pixels[...] = (200, 60, 40, 255)
    doc.root.insert(0, Layer("Background", pixels))
    doc.active = doc.root.children[0]
    window = make_window(doc)
    pyramid = window.canvas.source.pyramid
    node = ops.new_adjustment_layer(doc, "hue_saturation", name="Hue/Saturation")
    window.layer_actions.edit_adjustment(doc, node)
    dialog = window.adjustment_dialog
    window.canvas.grab()  # a paint
    level = window.canvas.source.level_for(window.canvas.zoom * window.canvas.devicePixelRatioF())
    assert level >= 1 and pyramid.preview_level == level
    full_before = pyramid.levels[0].copy()
    slider = dialog.widgets["master.hue:slider"]
    slider.setSliderDown(True)  # the drag
    slider.setValue(120)  # red to green
    window.canvas.grab()  # a paint
    assert pyramid.deferred is not None  # shown from the preview...
    np.testing.assert_array_equal(pyramid.levels[0], full_before)  # ...full resolution not rendered yet
    b, g, r, _ = (int(v) for v in pyramid.levels[level][10, 10])
    assert g > r + 80  # the displayed level is already green
    assert shown(window, 100, 100).green() > shown(window, 100, 100).red() + 80
    slider.setSliderDown(False)  # the release renders at full resolution at once, not after the timer
    assert pyramid.deferred is None
    np.testing.assert_array_equal(pyramid.levels[0], render(doc))
    assert node.params["master"]["hue"] == 120
    dialog.accept()


def test_gradient_map_stops_edited_on_the_strip(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Layer")
    _menu_action(_menu_action(layer_menu, "New Adjustment Layer").menu(), "Gradient Map…").trigger()
    window.layer_actions.actions["adjust_settings"].trigger()
    dialog = window.adjustment_dialog
    node = doc.active
    editor = dialog.widgets["gradient"]
    bar = editor.bar
    qtbot.waitExposed(bar)
    assert node.params["gradient"] == [[0.0, 0, 0, 0], [1.0, 255, 255, 255]]

    # A click on the track under the strip adds a stop there, coloured as the gradient is.
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(round(bar.x_of(0.5)), bar.height() - 4))
    positions = [s[0] for s in node.params["gradient"]]
    assert len(positions) == 3 and abs(positions[1] - 0.5) < 0.01  # within a pixel of the click
    editor.set_stop_colour((255, 0, 0))  # what the stop's Colour… button sets
    assert node.params["gradient"][1][1:] == [255, 0, 0]
    editor.location.setValue(30)
    assert node.params["gradient"][1] == [0.3, 255, 0, 0]
    # The blue backdrop's luminosity is low: its grey maps between black and the red stop.
    qtbot.waitUntil(lambda: shown(window, 5, 5).red() > shown(window, 5, 5).blue() + 20, timeout=3000)

    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_Delete)
    assert node.params["gradient"] == [[0.0, 0, 0, 0], [1.0, 255, 255, 255]]
    dialog.accept()
