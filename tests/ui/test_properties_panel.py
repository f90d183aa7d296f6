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
