"""Gradient fill layers through the real window: Layer > New Fill Layer > Gradient… opens the
Gradient Fill dialog over a new layer shown live on the canvas; OK is one undo step, Cancel
leaves the document and its history as they were; a selection becomes the layer's mask; the
layer stays live through an ORA save and reopen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QToolButton

from editor.core import FillLayer, GradientFillLayer, Rect, Selection, ops
from editor.core.commands import SetSelection
from editor.paint.gradient_fill import fill_pixels, normalised
from editor.render import render
from editor.ui import color_dialog
from editor.ui.dialogs.gradient_fill_dialog import open_gradient_fill
from editor.ui.layer_delegate import row_layout

from .conftest import open_file, small_document

RED_TO_BLUE = [{"position": 0.0, "color": [255, 0, 0], "opacity": 1.0},
               {"position": 1.0, "color": [0, 0, 255], "opacity": 1.0}]


def _menu_action(menu: QMenu, text: str):
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"{text!r} not in {[a.text() for a in menu.actions()]}")


def fill_submenu(window) -> QMenu:
    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Layer")
    return _menu_action(layer_menu, "New Fill Layer").menu()


def open_from_menu(window):
    """Layer > New Fill Layer > Gradient…: the dialog (open, window-modal) and the layer it shows."""
    _menu_action(fill_submenu(window), "Gradient…").trigger()
    dialog = window.gradient_fill_dialog
    assert dialog.isVisible() and isinstance(window.document.active, GradientFillLayer)
    return dialog, window.document.active


def shown(window, x: float, y: float) -> QColor:
    canvas = window.canvas
    pos = canvas.doc_to_widget(QPointF(x, y)).toPoint()
    return canvas.grab().toImage().pixelColor(pos)


def rgb(bgra: np.ndarray) -> np.ndarray:
    return bgra[..., 2::-1].astype(np.int16)


def set_red_to_blue(dialog) -> None:
    """Stops through the stop editor: the two stops of the preset recoloured."""
    stops = dialog.stops
    stops.bar.current = 0
    stops.set_stop_colour((255, 0, 0))
    stops.bar.current = len(stops.gradient.stops) - 1
    stops.set_stop_colour((0, 0, 255))


def test_the_submenu_keeps_solid_colour_and_adds_gradient(make_window, monkeypatch):
    window = make_window(small_document())
    menu = fill_submenu(window)
    assert [a.text() for a in menu.actions()] == ["Solid Colour…", "Gradient…"]
    assert _menu_action(menu, "Solid Colour…") is window.layer_actions.actions["new_fill"]
    monkeypatch.setattr(color_dialog, "ask_colour", lambda *a, **k: QColor(0, 128, 0))
    button = window.layers_panel.findChild(QToolButton, "newFillButton")
    button.click()  # the panel's button: still a solid colour at once
    assert isinstance(window.document.active, FillLayer) and window.document.active.color == (0, 128, 0, 255)
    assert [a.text() for a in button.menu().actions()] == ["Solid Colour…", "Gradient…"]


def test_ok_makes_a_layer_rendering_its_settings_in_one_step(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    steps, labels = doc.history.index, doc.history.labels()
    dialog, node = open_from_menu(window)
    assert doc.history.labels() == labels  # nothing recorded while it is open
    set_red_to_blue(dialog)
    dialog.style.setCurrentIndex(dialog.style.findData("linear"))
    dialog.angle.setValue(0.0)  # red on the left, blue on the right
    qtbot.waitUntil(lambda: shown(window, 2, 40).red() > 200 and shown(window, 117, 40).blue() > 200, timeout=3000)
    dialog.style.setCurrentIndex(dialog.style.findData("radial"))
    dialog.scale.setValue(50)
    dialog.reverse.setChecked(True)
    dialog.offset_x.setValue(20.0)
    # Live: the canvas shows the new settings before OK (reversed radial: blue in the middle, red out).
    qtbot.waitUntil(lambda: shown(window, 84, 40).blue() > 200 and shown(window, 2, 2).red() > 200, timeout=3000)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    settings = normalised(node.gradient)
    assert settings["style"] == "radial" and settings["scale"] == 50 and settings["reverse"]
    assert settings["offset"] == [20.0, 0.0] and settings["stops"] == RED_TO_BLUE
    # The layer renders its settings: on top, opaque, normal mode, the composite is its pixels.
    expected = fill_pixels(node.gradient, doc.canvas, doc.canvas)
    assert np.abs(rgb(render(doc)) - expected[..., :3].astype(np.int16)).max() <= 1
    assert doc.history.index == steps + 1 and doc.history.labels() == [*labels, "New gradient fill layer"]
    doc.undo()
    assert node.parent is None and doc.history.index == steps
    doc.redo()
    assert node.parent is doc.root and normalised(node.gradient) == settings
    assert np.abs(rgb(render(doc)) - expected[..., :3].astype(np.int16)).max() <= 1


def test_cancel_leaves_the_document_and_its_history_as_they_were(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    ops.new_layer(doc, "Undone")
    doc.undo()  # a redo step the dialog must not lose
    assert doc.history.can_redo
    before_render = render(doc)
    before = (doc.history.index, list(doc.history.steps), list(doc.root.children), doc.active)
    dialog, node = open_from_menu(window)
    set_red_to_blue(dialog)
    dialog.angle.setValue(0.0)
    qtbot.waitUntil(lambda: shown(window, 2, 40).red() > 200, timeout=3000)  # the preview is up
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert (doc.history.index, list(doc.history.steps), list(doc.root.children), doc.active) == before
    assert node.parent is None and doc.history.can_redo
    assert np.array_equal(render(doc), before_render)
    qtbot.waitUntil(lambda: shown(window, 2, 40).blue() > 150, timeout=3000)  # the blue backdrop again


def test_made_with_a_selection_it_takes_the_selection_as_its_mask(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    data = np.zeros((80, 120), np.uint8)
    data[20:50, 30:90] = 255
    doc.execute(SetSelection(Selection(data)))
    steps = doc.history.index
    dialog, node = open_from_menu(window)
    set_red_to_blue(dialog)
    dialog.angle.setValue(0.0)
    dialog.accept()
    assert np.array_equal(node.mask.data, data) and doc.selection is None
    # Aligned with the layer: the gradient runs across the selection's box, red at its left edge.
    assert node.gradient["box"] == [30, 20, 60, 30] and node.gradient["align"]
    out = rgb(render(doc))
    assert out[35, 30, 0] > 245 and out[35, 89, 2] > 245 and tuple(out[5, 5]) == (20, 40, 200)
    assert doc.history.index == steps + 1
    doc.undo()
    assert node.parent is None and np.array_equal(doc.selection.data, data)


def test_the_dial_turns_the_way_the_gradient_turns(make_window, qtbot):
    window = make_window(small_document())
    dialog, node = open_from_menu(window)
    set_red_to_blue(dialog)
    dial = dialog.dial
    centre = QPoint(dial.width() // 2, dial.height() // 2)
    QTest.mouseClick(dial, Qt.MouseButton.LeftButton, pos=centre + QPoint(10, -10))  # up and right on screen
    assert dialog.angle.value() == pytest.approx(45.0)
    assert node.gradient["angle"] == pytest.approx(45.0)
    tip = dial.tip()
    assert tip.x() > centre.x() and tip.y() < centre.y()
    # The last stop (blue) lies up and to the right on the canvas too.
    doc = window.document
    out = rgb(render(doc, Rect(0, 0, 120, 80)))
    assert out[0, 119, 2] > 200 and out[79, 0, 0] > 200
    dialog.angle.setValue(-90.0)
    assert dial.tip().y() > centre.y()  # down, as blue now lies at the bottom
    out = rgb(render(doc))
    assert out[79, 60, 2] > 200 and out[0, 60, 0] > 200
    dialog.reject()


def test_an_ora_save_and_reopen_keeps_it_live(make_window, qtbot, tmp_path):
    window = make_window(small_document())
    dialog, node = open_from_menu(window)
    set_red_to_blue(dialog)
    dialog.style.setCurrentIndex(dialog.style.findData("diamond"))
    dialog.dither.setChecked(False)
    dialog.accept()
    settings = normalised(node.gradient)
    before = render(window.document)
    path = tmp_path / "gradient.ora"
    assert window.files.save_as(str(path))
    assert open_file(qtbot, window, path)
    again = window.document.root.children[-1]
    assert isinstance(again, GradientFillLayer) and normalised(again.gradient) == settings
    assert np.array_equal(render(window.document), before)


def test_the_core_operation_needs_no_window():
    doc = small_document()
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE, "angle": 0.0})
    assert doc.history.labels() == ["New gradient fill layer"] and doc.active is node
    expected = fill_pixels(node.gradient, doc.canvas, doc.canvas)
    assert np.abs(rgb(render(doc)) - expected[..., :3].astype(np.int16)).max() <= 1
    ops.set_gradient_fill(doc, node, {**node.gradient, "style": "angle"})
    assert node.gradient["style"] == "angle" and len(doc.history.labels()) == 2
    doc.undo()
    assert node.gradient.get("style", "linear") == "linear"


def double_click_thumbnail(window, qtbot, node) -> None:
    view = window.layers_panel.view
    qtbot.waitUntil(lambda: view.layer_model.index_of(node).isValid())
    rect = view.visualRect(view.layer_model.index_of(node))
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      row_layout(rect, node)["thumb"].center())


def test_double_click_reopens_the_dialog_on_its_settings_and_ok_is_one_step(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE, "angle": 0.0, "style": "reflected", "scale": 80.0})
    original = dict(node.gradient)
    steps = doc.history.index
    double_click_thumbnail(window, qtbot, node)
    dialog = window.gradient_fill_dialog
    assert dialog.isVisible() and dialog.node is node
    assert dialog.style.currentData() == "reflected" and dialog.scale.value() == 80 and dialog.angle.value() == 0.0
    assert [s.to_dict() for s in dialog.stops.gradient.stops] == RED_TO_BLUE
    dialog.style.setCurrentIndex(dialog.style.findData("diamond"))
    dialog.angle.setValue(45.0)
    assert node.gradient["style"] == "diamond" and doc.history.index == steps  # live, not yet a step
    dialog.accept()
    assert node.gradient["style"] == "diamond" and node.gradient["angle"] == 45.0
    assert doc.history.index == steps + 1 and doc.history.labels()[-1] == f"Gradient fill of “{node.name}”"
    expected = fill_pixels(node.gradient, doc.canvas, doc.canvas)
    assert np.abs(rgb(render(doc)) - expected[..., :3].astype(np.int16)).max() <= 1
    doc.undo()
    assert node.gradient == original
    doc.redo()
    assert node.gradient["style"] == "diamond"


def test_layer_content_options_opens_it_and_cancel_puts_the_settings_back(make_window, qtbot, monkeypatch):
    window = make_window(small_document())
    doc = window.document
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE})
    original, steps = dict(node.gradient), doc.history.index
    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Layer")
    window.layer_actions.update_state()
    content = _menu_action(layer_menu, "Layer Content Options…")
    assert content.isEnabled()
    content.trigger()
    dialog = window.gradient_fill_dialog
    qtbot.waitUntil(lambda: shown(window, 60, 2).blue() > 200, timeout=3000)  # 90°: the last stop at the top
    dialog.reverse.setChecked(True)
    assert node.gradient["reverse"]
    qtbot.waitUntil(lambda: shown(window, 60, 2).red() > 200, timeout=3000)  # reversed, live
    dialog.reject()
    assert node.gradient == original and doc.history.index == steps and len(doc.history.steps) == steps
    # A colour fill's content options: its colour picker (one step).
    fill = ops.new_fill_layer(doc, (255, 0, 0, 255))
    monkeypatch.setattr(color_dialog, "ask_colour", lambda *a, **k: QColor(1, 2, 3))
    window.layer_actions.update_state()
    content.trigger()
    assert fill.color == (1, 2, 3, 255)
    ops.new_layer(doc)  # a pixel layer has no content options
    window.layer_actions.update_state()
    assert not content.isEnabled()


# --- a fill layer of any kind: the window's checks --------------------------------------

def test_the_fill_slider_applies_to_a_gradient_fill(make_window, qtbot):
    window = make_window(small_document())
    doc, panel, props = window.document, window.layers_panel, window.properties_panel
    below = rgb(render(doc)).astype(float)
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE, "angle": 0.0})
    qtbot.waitUntil(lambda: "Gradient fill layer" in props.title.text())
    assert props.fill.isVisible() and panel.fill_slider.isEnabled() and panel.fill_spin.isEnabled()
    steps = doc.history.index
    panel.fill_spin.setValue(40)
    assert node.fill == 0.4 and doc.history.index == steps + 1
    # Fill 40 % in normal mode: the gradient at 40 % over what lies below.
    expected = fill_pixels(node.gradient, doc.canvas, doc.canvas)[..., :3] * 0.4 + below * 0.6
    assert np.abs(rgb(render(doc)).astype(float) - expected).max() <= 1.5
    window.layer_actions.update_state()
    assert not window.layer_actions.actions["merge_down"].isEnabled()  # as for a colour fill


def test_rasterize_layer_turns_a_gradient_fill_into_the_pixels_it_draws(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    data = np.zeros((80, 120), np.uint8)
    data[10:70, 10:100] = 200
    doc.execute(SetSelection(Selection(data)))
    node = ops.new_gradient_fill_layer(doc, {"stops": [*RED_TO_BLUE[:1], {"position": 1.0, "color": [0, 0, 255], "opacity": 0.5}],
                                             "style": "angle", "angle": 30.0})
    ops.set_properties(doc, node, opacity=0.8, fill=0.9)
    before, steps = render(doc), doc.history.index
    rasterize = window.layer_actions.actions["rasterize"]
    window.layer_actions.update_state()
    assert rasterize.isEnabled()
    layer_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Layer")
    assert _menu_action(layer_menu, "Rasterize Layer") is rasterize
    rasterize.trigger()
    layer = doc.active
    assert type(layer).__name__ == "Layer" and layer.name == node.name and node.parent is None
    assert (layer.opacity, layer.fill) == (0.8, 0.9) and np.array_equal(layer.mask.data, data)
    assert np.array_equal(layer.pixels, fill_pixels(node.gradient, doc.canvas, doc.canvas))
    assert np.array_equal(render(doc), before) and doc.history.index == steps + 1
    window.layer_actions.update_state()
    assert not rasterize.isEnabled()  # a pixel layer is pixels already
    doc.undo()
    assert node.parent is doc.root and layer.parent is None and np.array_equal(render(doc), before)


def test_a_gradient_fill_previews_at_reduced_levels_and_samples_and_copies_its_gradient():
    from editor.masks.generators import maskable
    from editor.render.clipboard import copy
    from editor.render.preview import PreviewRenderer
    from editor.render.sample import sample_colour

    doc = small_document(256, 192)
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE, "angle": 0.0, "box": [64, 0, 128, 192]})
    preview = PreviewRenderer(doc)
    got = preview.render(2)
    assert got is not None  # a proxy of its own: the drag previews at the screen's level
    full = render(doc).astype(np.float32)
    want = full.reshape(48, 4, 64, 4, 4).mean(axis=(1, 3))
    assert np.percentile(np.abs(got.astype(np.float32) - want), 99) <= 12
    preview.close()
    assert sample_colour(doc, 130.5, 20.5, merged=False)[:3] == tuple(fill_pixels(node.gradient, Rect(130, 20, 1, 1),
                                                                                doc.canvas)[0, 0, :3])
    clip = copy(doc)
    assert np.array_equal(clip.pixels, fill_pixels(node.gradient, doc.canvas, doc.canvas))
    assert maskable(node)


def test_an_ora_save_keeps_a_gradient_fills_fill(tmp_path):
    from editor.io import open_document, save_document

    doc = small_document()
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE})
    ops.set_properties(doc, node, fill=0.5, opacity=0.8)
    path = tmp_path / "fill.ora"
    save_document(doc, path)
    again = open_document(path).root.children[-1]
    assert isinstance(again, GradientFillLayer) and (again.fill, again.opacity) == (0.5, 0.8)


def test_ok_keeps_settings_finer_than_the_fields_it_did_not_touch(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE, "angle": 33.333333, "scale": 93.75,
                                             "offset": [1.23456, 0.0]})
    dialog = window.layer_actions.edit_content(node) and window.gradient_fill_dialog
    dialog.reverse.setChecked(True)
    dialog.accept()
    assert (node.gradient["angle"], node.gradient["scale"], node.gradient["offset"]) == (33.333333, 93.75, [1.23456, 0.0])
    assert node.gradient["reverse"]


def test_reset_alignment_puts_the_centre_back(make_window, qtbot):
    window = make_window(small_document())
    dialog, node = open_from_menu(window)
    dialog.offset_x.setValue(30.0)
    dialog.offset_y.setValue(-12.5)
    assert node.gradient["offset"] == [30.0, -12.5]
    dialog.reset_alignment.click()
    assert (dialog.offset_x.value(), dialog.offset_y.value()) == (0.0, 0.0) and node.gradient["offset"] == [0.0, 0.0]
    dialog.reject()


def test_ok_without_a_change_records_nothing(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE})  # partial settings: the rest are defaults
    before, steps = dict(node.gradient), doc.history.index
    window.layer_actions.edit_content(node)
    dialog = window.gradient_fill_dialog
    dialog.angle.setValue(10.0)
    dialog.angle.setValue(90.0)  # and back
    dialog.accept()
    assert node.gradient == before and doc.history.index == steps == len(doc.history.steps)


def test_free_transform_moves_a_gradient_fill_with_its_mask(make_window, qtbot):
    from tests.ui.conftest import activate, mouse_drag

    doc = small_document()
    data = np.zeros((80, 120), np.uint8)
    data[10:40, 15:60] = 255
    doc.execute(SetSelection(Selection(data)))
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE, "angle": 0.0, "dither": False})
    window = make_window(doc)
    activate(qtbot, window)
    window.canvas.setFocus()
    window.actions["free_transform"].trigger()
    tool = window.transform.tool
    assert tool.active
    canvas = window.canvas
    mouse_drag(canvas, canvas.doc_to_widget(QPointF(30, 20)).toPoint(), canvas.doc_to_widget(QPointF(50, 35)).toPoint())
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not tool.active, timeout=10000)
    box = node.gradient["box"]
    assert abs(box[0] - 35) <= 1 and abs(box[1] - 25) <= 1 and box[2:] == [45, 30]
    assert node.mask.data[30, 40] == 255 and node.mask.data[12, 17] == 0  # the mask went with it
    out = rgb(render(doc))
    assert out[40, box[0] + 1, 0] > 240 and out[40, box[0] + 43, 2] > 240  # red at its left edge, blue at its right


def _smooth_red(t: float, smoothness: float) -> float:
    """Red of the red-to-blue ramp at t, Photoshop's Classic ease blended in by smoothness %."""
    eased = t / 2 + 1.5 * t**2 - t**3
    return 255 * (1 - (t + (eased - t) * smoothness / 100))


def test_the_smoothness_slider_previews_live_and_survives_ora_and_psd(make_window, qtbot, tmp_path):
    """The Gradient Fill dialog's Smoothness (the Gradient Editor's): a new layer starts at its
    preset's 100 %, Photoshop's default; the slider eases the ramp on the canvas before OK, OK is
    one step, and the value comes back from an ORA and from a PSD ('Intr' = smoothness x 4096)."""
    from psd_tools import PSDImage
    from psd_tools.constants import Tag

    window = make_window(small_document())
    doc = window.document
    steps = doc.history.index
    dialog, node = open_from_menu(window)
    assert dialog.stops.smoothness.value() == 100 and node.gradient["smoothness"] == 100.0
    set_red_to_blue(dialog)
    dialog.angle.setValue(0.0)
    dialog.dither.setChecked(False)
    x = 30  # a quarter of the way: t = 30.5 / 120
    t = (x + 0.5) / 120
    assert abs(int(rgb(render(doc))[40, x, 0]) - _smooth_red(t, 100)) <= 1
    slider = dialog.stops.smoothness_slider
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_Home)  # all the way down: straight ramps
    assert dialog.stops.smoothness.value() == 0 and node.gradient["smoothness"] == 0.0
    assert abs(int(rgb(render(doc))[40, x, 0]) - _smooth_red(t, 0)) <= 1
    for _ in range(4):
        qtbot.keyClick(slider, Qt.Key.Key_PageUp)  # a page is 10 %
    assert slider.value() == 40 and dialog.stops.smoothness.value() == 40
    assert node.gradient["smoothness"] == 40.0  # live, before OK
    assert abs(int(rgb(render(doc))[40, x, 0]) - _smooth_red(t, 40)) <= 1
    qtbot.waitUntil(lambda: abs(shown(window, x, 40).red() - _smooth_red(t, 40)) <= 3, timeout=3000)
    assert dialog.preset.currentIndex() == -1  # no preset has these stops at 40 %
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert doc.history.index == steps + 1 and normalised(node.gradient)["smoothness"] == 40.0
    before = render(doc)

    ora, psd = tmp_path / "smooth.ora", tmp_path / "smooth.psd"
    assert window.files.save_as(str(ora))
    assert window.files.export(str(psd))
    (item,) = [layer for layer in PSDImage.open(psd).descendants() if layer.name == node.name]
    assert float(item.tagged_blocks.get_data(Tag.GRADIENT_FILL_SETTING)[b"Grad"][b"Intr"]) == pytest.approx(0.4 * 4096)
    for path in (ora, psd):
        assert open_file(qtbot, window, path)
        again = next(n for n in window.document.root.children if isinstance(n, GradientFillLayer))
        assert again.gradient["smoothness"] == pytest.approx(40.0)
        assert np.abs(render(window.document).astype(int) - before.astype(int)).max() <= 1
    # Reopened, the dialog shows the layer's smoothness.
    reopened = open_gradient_fill(window, again)
    assert reopened.stops.smoothness.value() == 40 and reopened.stops.smoothness_slider.value() == 40
    reopened.reject()


def test_a_layer_made_without_a_smoothness_keeps_none_until_it_is_set(make_window, qtbot):
    """Veil's gradient fills from before the slider drew straight ramps: the dialog shows 0 %, and
    OK without touching it records nothing and adds no smoothness."""
    window = make_window(small_document())
    doc = window.document
    node = ops.new_gradient_fill_layer(doc, {"stops": RED_TO_BLUE, "angle": 0.0})
    steps = doc.history.index
    dialog = open_gradient_fill(window, node)
    assert dialog.stops.smoothness.value() == 0
    dialog.accept()
    assert "smoothness" not in node.gradient and doc.history.index == steps
