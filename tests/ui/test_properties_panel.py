"""The Properties dock and the Blending Options dialog, driven through the real window."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from editor.core import Document, Layer, Mask, ops
from editor.core.blendif import FULL

from .conftest import mouse_drag


def masked_document() -> Document:
    """A blue background under a red layer whose black mask hides it (x 20..59, y 10..39)."""
    doc = Document(120, 80)
    bg = np.zeros((80, 120, 4), np.uint8)
    bg[...] = (20, 40, 200, 255)
    red = np.zeros((30, 40, 4), np.uint8)
    red[...] = (230, 30, 30, 255)
    doc.root.insert(0, Layer("Background", bg))
    layer = Layer("Red", red, offset=(20, 10), mask=Mask(np.zeros((30, 40), np.uint8)))
    doc.root.insert(1, layer)
    doc.active = layer
    return doc


def ramp_document() -> Document:
    """A white background under a gray ramp (black on the left, white on the right)."""
    doc = Document(256, 40)
    doc.root.insert(0, Layer("Background", np.full((40, 256, 4), 255, np.uint8)))
    ramp = np.zeros((40, 256, 4), np.uint8)
    ramp[..., :3] = np.arange(256, dtype=np.uint8)[None, :, None]
    ramp[..., 3] = 255
    layer = Layer("Ramp", ramp)
    doc.root.insert(1, layer)
    doc.active = layer
    return doc


def slider_x(slider, value: float) -> int:
    """The widget x of `value` on a plain QSlider's groove."""
    from PySide6.QtWidgets import QStyle, QStyleOptionSlider

    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    groove = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderGroove, slider)
    handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderHandle, slider)
    span = groove.width() - handle.width()
    t = (value - slider.minimum()) / (slider.maximum() - slider.minimum())
    return int(groove.x() + handle.width() / 2 + t * span)


def handle_center(slider, index: int) -> QPoint:
    return slider._handleRect(index).center()


def test_density_drag_changes_the_canvas_as_one_undo_step(make_window, qtbot):
    window = make_window(masked_document())
    doc, panel = window.document, window.properties_panel
    layer = doc.active
    assert window.properties_dock.isVisible() and panel.mask_box.isVisible()
    assert panel.density.value() == 100
    source = window.canvas.source
    assert source.pixel(30, 20) == (20, 40, 200, 255)  # the black mask hides the red layer
    slider = panel.density.slider
    steps = doc.history.index
    y = slider.height() // 2
    mouse_drag(slider, QPoint(slider_x(slider, 100), y), QPoint(slider_x(slider, 0), y), steps=8)
    assert layer.mask.density == 0.0
    assert doc.history.index == steps + 1 and doc.history.labels()[-1] == "Mask density"
    assert source.pixel(30, 20) == (230, 30, 30, 255)  # density 0: the mask no longer hides
    assert source.pixel(5, 5) == (20, 40, 200, 255)
    window.undo()
    qtbot.waitUntil(lambda: panel.density.value() == 100)
    assert layer.mask.density == 1.0 and source.pixel(30, 20) == (20, 40, 200, 255)


def test_feather_invert_and_enabled_through_the_panel(make_window, qtbot):
    window = make_window(masked_document())
    doc, panel = window.document, window.properties_panel
    layer = doc.active
    panel.feather.spin.setValue(4.5)
    assert layer.mask.feather == 4.5 and doc.history.labels()[-1] == "Mask feather"
    qtbot.mouseClick(panel.mask_inverted, Qt.MouseButton.LeftButton)
    assert layer.mask.inverted and window.canvas.source.pixel(40, 25) == (230, 30, 30, 255)
    qtbot.mouseClick(panel.mask_enabled, Qt.MouseButton.LeftButton)
    assert not layer.mask.enabled
    qtbot.waitUntil(lambda: not panel.density.isEnabled())  # the panel refreshes on a queued call
    for _ in range(3):
        window.undo()
    qtbot.waitUntil(lambda: panel.feather.value() == 0 and panel.mask_enabled.isChecked())
    assert layer.mask.feather == 0 and not layer.mask.inverted and layer.mask.enabled


def test_panel_follows_the_active_layer_and_offers_the_mask_menus_actions(make_window, qtbot):
    window = make_window(masked_document())
    doc, panel = window.document, window.properties_panel
    assert not panel.mask_buttons["rerun_generator"].isEnabled()  # this mask was painted, not generated
    # The buttons run the Mask menu's own actions: Colour Range opens its dialog on this layer.
    qtbot.mouseClick(panel.mask_buttons["color_range"], Qt.MouseButton.LeftButton)
    dialog = window.mask_generators.dialog
    assert dialog is not None and dialog.layer is doc.active
    dialog.reject()
    doc.set_active(doc.find_by_name("Background"))
    qtbot.waitUntil(lambda: not panel.mask_box.isVisible())
    assert panel.no_mask.isVisible() and panel.title.text().startswith("Background")
    ops.set_properties(doc, doc.active, opacity=0.25)
    qtbot.waitUntil(lambda: panel.opacity.value() == 25)
    panel.opacity.spin.setValue(60)
    assert doc.active.opacity == 0.6
    window.undo()
    window.undo()
    qtbot.waitUntil(lambda: panel.opacity.value() == 100)
    doc.set_active(doc.find_by_name("Red"))
    qtbot.waitUntil(lambda: panel.mask_box.isVisible())


def test_blend_if_hides_dark_pixels_live_and_undo_returns(make_window, qtbot):
    window = make_window(ramp_document())
    doc, panel = window.document, window.properties_panel
    layer = doc.active
    source = window.canvas.source
    assert source.pixel(10, 20) == (10, 10, 10, 255)
    qtbot.mouseClick(panel.blend_if_button, Qt.MouseButton.LeftButton)
    dialog = window.blending_options
    qtbot.waitExposed(dialog)
    slider = dialog.sliders["this"]
    start = handle_center(slider, 0)
    end = QPoint(start.x() + (slider.width() - 2 * start.x()) // 3, start.y())  # about a third of the way
    mouse_drag(slider, start, end, steps=6)
    b0, b1, w0, w1 = layer.blend_if.range("this", "gray")
    assert 60 < b0 == b1 < 110 and (w0, w1) == (255, 255)  # unsplit: both halves moved together
    assert source.pixel(10, 20) == (255, 255, 255, 255)  # dark pixels hidden: the white background shows
    assert source.pixel(200, 20) == (200, 200, 200, 255)
    steps = doc.history.index
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert doc.history.labels()[-1] == "Blending options" and doc.history.index == steps
    qtbot.waitUntil(lambda: "(on)" in panel.blend_if_button.text())
    window.undo()
    assert layer.blend_if is None and source.pixel(10, 20) == (10, 10, 10, 255)


def test_alt_drag_splits_a_handle_and_cancel_leaves_no_trace(make_window, qtbot):
    window = make_window(ramp_document())
    doc = window.document
    layer = doc.active
    steps, labels = doc.history.index, doc.history.labels()
    window.actions["blending_options"].trigger()
    dialog = window.blending_options
    qtbot.waitExposed(dialog)
    dialog.channel.setCurrentIndex(0)
    slider = dialog.sliders["this"]
    start = handle_center(slider, 0)
    mouse_drag(slider, start, QPoint(start.x() + 80, start.y()), steps=5, modifiers=Qt.KeyboardModifier.AltModifier)
    b0, b1, _w0, _w1 = layer.blend_if.range("this", "gray")
    assert b0 == 0 and b1 > 40  # the upper half came away: a soft ramp from 0 to b1
    alpha_mid = window.canvas.source.pixel(b1 // 2, 20)
    assert alpha_mid[0] > b1 // 2  # half-faded over white: lighter than the ramp itself
    # Underlying ranges on another channel, then Cancel: the layer and the history are as before.
    dialog.channel.setCurrentIndex(3)
    under = dialog.sliders["underlying"]
    top = handle_center(under, 3)
    mouse_drag(under, top, QPoint(top.x() - 60, top.y()), steps=4)
    assert layer.blend_if.range("underlying", "blue")[3] < 255
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert layer.blend_if is None and doc.history.index == steps and doc.history.labels() == labels
    assert window.canvas.source.pixel(10, 20) == (10, 10, 10, 255)


def test_dialog_edits_each_channel_and_reset(make_window, qtbot):
    window = make_window(ramp_document())
    layer = window.document.active
    dialog = window.properties_panel.open_blending_options()
    qtbot.waitExposed(dialog)
    dialog.channel.setCurrentIndex(2)
    dialog.set_range("underlying", (5, 10, 200, 210))
    assert layer.blend_if.range("underlying", "green") == (5, 10, 200, 210)
    assert dialog.labels["underlying"].text() == "5 / 10  …  200 / 210"
    assert dialog.sliders["underlying"].range_values() == (5, 10, 200, 210)
    dialog.channel.setCurrentIndex(0)
    assert dialog.sliders["underlying"].range_values() == FULL
    dialog.channel.setCurrentIndex(2)
    dialog.reset_channel()
    assert layer.blend_if is None
    dialog.accept()


def test_an_adjustments_controls_in_the_panel_one_undo_step_per_drag(make_window, qtbot):
    from editor.core import Adjustment

    window = make_window(ramp_document())
    doc, panel = window.document, window.properties_panel
    source = window.canvas.source
    levels = ops.new_adjustment_layer(doc, "levels", name="Levels")
    qtbot.waitUntil(lambda: panel.settings_box.isVisible() and panel.settings_box.title() == "Levels")
    controls = panel.adjustment_controls
    slider = controls.widgets["master.in_black:slider"]
    steps = doc.history.index
    y = slider.height() // 2
    mouse_drag(slider, QPoint(slider_x(slider, 0), y), QPoint(slider_x(slider, 100), y), steps=8)
    black = levels.params["master"]["in_black"]
    assert 90 <= black <= 110
    assert doc.history.index == steps + 1 and doc.history.labels()[-1] == "Levels settings"
    assert source.pixel(80, 20)[0] == 0  # the ramp below the new black point went black
    controls.widgets["master.gamma"].setValue(1.5)  # a typed value: a step of its own
    assert doc.history.index == steps + 2 and levels.params["master"]["gamma"] == 1.5
    window.undo()
    window.undo()
    qtbot.waitUntil(lambda: controls.widgets["master.in_black"].value() == 0)  # the panel follows undo
    assert source.pixel(80, 20) == (80, 80, 80, 255)

    # A Curves layer shows the lead's graph in the panel; one drag on it is one step.
    curves = ops.new_adjustment_layer(doc, "curves", name="Curves")
    qtbot.waitUntil(lambda: panel.settings_box.title() == "Curves")
    graph = panel.adjustment_controls.curves.graph
    steps = doc.history.index
    qtbot.mousePress(graph, Qt.MouseButton.LeftButton, pos=graph.to_screen(128, 128).toPoint())
    for out in (150, 180, 200):
        qtbot.mouseMove(graph, graph.to_screen(128, out).toPoint())
    qtbot.mouseRelease(graph, Qt.MouseButton.LeftButton, pos=graph.to_screen(128, 200).toPoint())
    assert curves.params["master"] == [[0, 0], [128, 200], [255, 255]]
    assert doc.history.index == steps + 1
    assert source.pixel(128, 20)[0] > 190
    doc.set_active(doc.find_by_name("Ramp"))  # a pixel layer: no settings
    qtbot.waitUntil(lambda: not panel.settings_box.isVisible())
    assert isinstance(curves, Adjustment)


def test_a_panel_drag_on_a_large_document_previews_then_renders_full_size(make_window, qtbot):
    from editor.render import render

    doc = Document(2400, 1600)  # over the 2 MP from which settings drags preview
    pixels = np.zeros((1600, 2400, 4), np.uint8)
    pixels[...] = (200, 60, 40, 255)
    doc.root.insert(0, Layer("Background", pixels))
    doc.active = doc.root.children[0]
    window = make_window(doc)
    panel, pyramid = window.properties_panel, window.canvas.source.pyramid
    node = ops.new_adjustment_layer(doc, "hue_saturation", name="Hue/Saturation")
    qtbot.waitUntil(lambda: panel.settings_box.title() == "Hue/Saturation")
    window.canvas.grab()  # a paint: the canvas shows a reduced level
    assert pyramid.preview_level >= 1
    full_before = pyramid.levels[0].copy()
    slider = panel.adjustment_controls.widgets["master.hue:slider"]
    slider.setSliderDown(True)
    slider.setValue(120)
    window.canvas.grab()
    assert pyramid.deferred is not None
    np.testing.assert_array_equal(pyramid.levels[0], full_before)
    _b, g, r, _a = (int(v) for v in pyramid.levels[pyramid.preview_level][10, 10])
    assert g > r + 80
    slider.setSliderDown(False)
    assert pyramid.deferred is None and node.params["master"]["hue"] == 120
    np.testing.assert_array_equal(pyramid.levels[0], render(doc))


def test_the_gradient_map_strip_in_the_panel_and_switching_between_adjustments(make_window, qtbot):
    from editor.render import adjustments

    window = make_window(ramp_document())
    doc, panel = window.document, window.properties_panel
    source = window.canvas.source
    first = ops.new_adjustment_layer(doc, "hue_saturation", name="Warm")
    qtbot.waitUntil(lambda: panel.settings_box.title() == "Hue/Saturation")
    panel.adjustment_controls.widgets["master.hue"].setValue(40)
    second = ops.new_adjustment_layer(doc, "hue_saturation", name="Cool")
    qtbot.waitUntil(lambda: panel.adjustment_controls.widgets["master.hue"].value() == 0)  # its own values
    doc.set_active(first)
    qtbot.waitUntil(lambda: panel.adjustment_controls.widgets["master.hue"].value() == 40)
    assert first.params["master"]["hue"] == 40
    assert adjustments.spec("hue_saturation").normalise(second.params)["master"]["hue"] == 0

    gmap = ops.new_adjustment_layer(doc, "gradient_map", name="Map")
    qtbot.waitUntil(lambda: panel.settings_box.title() == "Gradient Map")
    bar = panel.adjustment_controls.widgets["gradient"].bar
    qtbot.waitExposed(bar)
    steps = doc.history.index
    # A press on the track adds a stop and drags it: one undo step.
    y = bar.height() - 4
    mouse_drag(bar, QPoint(round(bar.x_of(0.5)), y), QPoint(round(bar.x_of(0.25)), y), steps=5)
    stops = gmap.params["gradient"]
    assert len(stops) == 3 and abs(stops[1][0] - 0.25) < 0.02
    assert doc.history.index == steps + 1
    panel.adjustment_controls.widgets["gradient"].set_stop_colour((255, 0, 0))  # a step of its own
    assert doc.history.index == steps + 2
    qtbot.waitUntil(lambda: source.pixel(64, 20)[0] > source.pixel(64, 20)[2] + 40)  # dark greys map to red
    window.undo()
    window.undo()
    qtbot.waitUntil(lambda: len(panel.adjustment_controls.widgets["gradient"].stops()) == 2)


def test_a_double_click_on_an_adjustments_thumbnail_brings_its_properties_forward(make_window, qtbot):
    from .test_end_to_end import part_pos

    window = make_window(ramp_document())
    doc, panel, dock = window.document, window.properties_panel, window.properties_dock
    curves = ops.new_adjustment_layer(doc, "curves", name="Curves")
    doc.set_active(doc.find_by_name("Ramp"))
    window.history_dock.raise_()
    qtbot.waitUntil(lambda: dock.visibleRegion().isEmpty())
    view = window.layers_panel.view
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=part_pos(window, curves, "thumb"))
    assert doc.active is curves
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    assert panel.settings_box.title() == "Curves"
    qtbot.waitUntil(lambda: panel.adjustment_controls.curves.graph.isVisible())


def test_channels_and_tones_behind_a_menu_and_colour_balance_sliders(make_window, qtbot):
    """As Photoshop: Levels' and Hue/Saturation's channels one at a time behind a menu, Colour
    Balance's tone menu over three sliders between opposite colours."""
    window = make_window(ramp_document())
    doc, panel = window.document, window.properties_panel
    source = window.canvas.source
    hue_sat = ops.new_adjustment_layer(doc, "hue_saturation", name="Hue/Saturation")
    qtbot.waitUntil(lambda: panel.settings_box.title() == "Hue/Saturation")
    controls = panel.adjustment_controls
    menu = controls.channel_menu
    assert [menu.itemText(i) for i in range(menu.count())][:2] == ["Master", "Reds"]
    qtbot.waitUntil(lambda: controls.widgets["master.hue"].isVisible())
    assert not controls.widgets["reds.hue"].isVisible()
    menu.setCurrentIndex(1)
    qtbot.waitUntil(lambda: controls.widgets["reds.hue"].isVisible())
    assert not controls.widgets["master.hue"].isVisible()
    controls.widgets["reds.saturation"].setValue(-50)
    assert hue_sat.params["reds"]["saturation"] == -50 and hue_sat.params["master"]["saturation"] == 0

    balance = ops.new_adjustment_layer(doc, "color_balance", name="Colour Balance")
    qtbot.waitUntil(lambda: panel.settings_box.title() == "Colour Balance")
    controls = panel.adjustment_controls
    assert controls.channel_menu.currentText() == "Midtones"
    steps = doc.history.index
    controls.widgets["midtones.0"].setValue(60)  # towards red
    assert balance.params["midtones"] == [60, 0, 0] and doc.history.index == steps + 1
    r, g, b, _ = source.pixel(128, 20)
    assert r > b + 10  # a grey midtone warmed
    window.undo()
    qtbot.waitUntil(lambda: controls.widgets["midtones.0"].value() == 0)


def test_color_lookup_loads_a_cube_in_the_panel(make_window, qtbot, tmp_path):
    from tests.io.test_cube_lut import write_swap_cube

    doc = Document(40, 20)
    px = np.zeros((20, 40, 4), np.uint8)
    px[...] = (220, 40, 10, 255)
    doc.root.insert(0, Layer("Background", px))
    doc.active = doc.root.children[0]
    window = make_window(doc)
    panel, source = window.properties_panel, window.canvas.source
    window.layer_actions.actions["adjust_color_lookup"].trigger()
    qtbot.waitUntil(lambda: panel.settings_box.title() == "Color Lookup")
    lookup = doc.active
    assert source.pixel(5, 5)[:3] == (220, 40, 10)  # the identity until a LUT is loaded
    write_swap_cube(tmp_path / "swap.cube")
    steps = doc.history.index
    panel.adjustment_controls.load_lut(str(tmp_path / "swap.cube"))  # what Load 3D LUT… does with the file
    assert doc.history.index == steps + 1 and lookup.params["table"]["size"] == 17
    qtbot.waitUntil(lambda: source.pixel(5, 5)[:3] == (10, 40, 220))
    window.undo()
    qtbot.waitUntil(lambda: source.pixel(5, 5)[:3] == (220, 40, 10))


def test_advanced_blending_in_the_panel_one_undo_step_each(make_window, qtbot):
    """Knockout, Channels and Blend Clipped Layers as Group, as in Photoshop's Blending Options."""
    from PySide6.QtWidgets import QComboBox

    doc = Document(40, 30)
    doc.root.insert(0, Layer("Background", np.full((30, 40, 4), (10, 20, 30, 255), np.uint8)))
    top = Layer("Top", np.full((30, 40, 4), (200, 100, 50, 255), np.uint8))
    doc.root.insert(1, top)
    doc.active = top
    window = make_window(doc)
    panel, source = window.properties_panel, window.canvas.source
    assert [panel.knockout.itemText(i) for i in range(panel.knockout.count())] == ["None", "Shallow", "Deep"]
    assert all(box.isChecked() for box in panel.channel_boxes.values()) and panel.clip_group_blend.isChecked()
    steps = doc.history.index

    qtbot.mouseClick(panel.channel_boxes["g"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.channel_boxes["b"], Qt.MouseButton.LeftButton)
    assert top.channels == "r" and doc.history.labels()[-1] == "Blend channels"
    qtbot.waitUntil(lambda: source.pixel(5, 5) == (200, 20, 30, 255))  # green and blue from below

    combo: QComboBox = panel.knockout
    combo.showPopup()
    view = combo.view()
    index = view.model().index(combo.findData("deep"), 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert top.knockout == "deep" and doc.history.labels()[-1] == "Knockout"

    qtbot.mouseClick(panel.clip_group_blend, Qt.MouseButton.LeftButton)
    assert not top.clip_group_blend and doc.history.labels()[-1] == "Blend clipped layers apart"
    assert doc.history.index == steps + 4

    for _ in range(4):
        window.undo()
    qtbot.waitUntil(lambda: all(box.isChecked() for box in panel.channel_boxes.values())
                    and panel.knockout.currentData() == "none" and panel.clip_group_blend.isChecked())
    assert (top.channels, top.knockout, top.clip_group_blend) == ("rgb", "none", True)
    qtbot.waitUntil(lambda: source.pixel(5, 5) == (200, 100, 50, 255))
