"""Model/view sync both ways, and the row gestures of the layers panel."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from editor.core import ops
from editor.ui.layers_model import EYE_COLUMN, LAYER_COLUMN

from .conftest import mouse_drag, small_document
from .test_end_to_end import part_pos


def test_core_changes_update_rows(make_window):
    window = make_window(small_document())
    doc, model = window.document, window.layers_panel.model
    red = doc.find_by_name("Red")
    changed = []
    model.dataChanged.connect(lambda a, b: changed.append(model.node(a)))
    ops.set_properties(doc, red, name="Crimson", opacity=0.5)
    assert changed and changed[-1] is red
    assert model.index_of(red).data() == "Crimson"
    assert window.layers_panel.opacity_spin.value() == 50
    layer = ops.new_layer(doc, "Fresh")  # structure: a new top row, selected
    assert model.index(0, LAYER_COLUMN).data() == "Fresh"
    assert window.layers_panel.view.currentIndex().data() == "Fresh"
    doc.undo()
    assert model.rowCount() == 2 and model.index_of(layer).isValid() is False


def test_row_edits_change_layers(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    view = window.layers_panel.view
    bg = doc.find_by_name("Background")
    # Double-click the name, type, Enter: one rename step.
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=part_pos(window, bg, "name"))
    editor = view.findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Sky")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bg.name == "Sky")  # the delegate commits on a queued call
    assert bg.name == "Sky" and doc.history.labels()[-1] == "Rename to Sky"
    # Setting data through the model's eye column hides the layer.
    model = window.layers_panel.model
    model.setData(model.index_of(bg, EYE_COLUMN), False, Qt.ItemDataRole.CheckStateRole)
    assert bg.visible is False
    # Opacity slider: one drag is one undo step.
    doc.set_active(bg)
    slider = window.layers_panel.opacity_slider
    steps = doc.history.index
    slider.setSliderDown(True)
    window.layers_panel._new_edit("opacity")
    for v in (90, 70, 40):
        slider.setValue(v)
    slider.setSliderDown(False)
    assert bg.opacity == 0.4 and doc.history.index == steps + 1
    # Blend mode combo.
    combo = window.layers_panel.blend
    combo.setCurrentIndex(combo.findText("Multiply"))
    combo.activated.emit(combo.currentIndex())
    assert bg.blend_mode.value == "multiply"


def test_mask_thumbnail_clicks(make_window, qtbot):
    window = make_window(small_document())
    doc = window.document
    red = doc.find_by_name("Red")
    ops.add_mask(doc, red, "white")
    viewport = window.layers_panel.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, red, "thumb"))
    assert doc.active is red and doc.edit_mask is False
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, red, "mask"))
    assert doc.edit_mask is True
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, part_pos(window, red, "mask"))
    assert red.mask.enabled is False
    doc.undo()
    assert red.mask.enabled is True


def test_drag_into_and_out_of_group(make_window):
    window = make_window(small_document())
    doc = window.document
    view = window.layers_panel.view
    group = ops.new_group(doc, "Folder")  # above Red
    red, bg = doc.find_by_name("Red"), doc.find_by_name("Background")
    group_rect = view.visualRect(view.layer_model.index_of(group))
    mouse_drag(view.viewport(), part_pos(window, bg, "name"), group_rect.center())
    assert bg.parent is group
    bg_rect = view.visualRect(view.layer_model.index_of(bg))
    red_rect = view.visualRect(view.layer_model.index_of(red))
    # Out again: onto the lower half of Red (root level), so below Red.
    mouse_drag(view.viewport(), part_pos(window, bg, "name"), QPoint(red_rect.center().x(), red_rect.bottom() - 3))
    assert bg.parent is doc.root and doc.root.children.index(bg) == 0
    assert bg_rect.isValid()
    doc.undo()
    assert bg.parent is group


def test_layer_and_mask_actions(make_window):
    window = make_window(small_document())
    doc, act = window.document, window.layer_actions.actions
    red = doc.find_by_name("Red")
    doc.set_active(red)
    act["clip"].trigger()
    assert red.clipped and act["clip"].isChecked()
    act["clip"].trigger()
    act["mask_grayscale"].trigger()
    luma = int(round(0.2126 * 230 + 0.7152 * 30 + 0.0722 * 30))  # Rec. 709 luma of the red (230, 30, 30)
    assert red.mask is not None and int(red.mask.data[0, 0]) == luma
    act["mask_invert"].trigger()
    assert int(red.mask.data[0, 0]) == 255 - luma
    act["mask_apply"].trigger()
    assert red.mask is None and abs(int(red.pixels[0, 0, 3]) - (255 - luma)) <= 1
    act["duplicate"].trigger()
    assert doc.active.name == "Red copy"
    act["merge_down"].trigger()
    assert [n.name for n in doc.root.children] == ["Background", "Red"]
    act["flatten"].trigger()
    assert len(doc.root.children) == 1
    for _ in range(6):
        doc.undo()
    assert [n.name for n in doc.root.children] == ["Background", "Red"] and red.mask is None and not red.clipped


def test_blend_modes_listed_in_photoshops_groups_and_chosen_by_keyboard(make_window, qtbot):
    from PySide6.QtGui import QStandardItemModel

    from editor.core import BlendMode
    from editor.core.blend import MENU_GROUPS

    window = make_window(small_document())
    panel, doc = window.layers_panel, window.document
    combo = panel.blend
    listed, groups = [], [[]]
    for row in range(combo.count()):
        mode = combo.itemData(row)
        if mode is None:  # a separator, which the keyboard skips
            assert not combo.model().item(row).isEnabled() if isinstance(combo.model(), QStandardItemModel) else True
            groups.append([])
        else:
            groups[-1].append(mode)
            listed.append(mode)
    assert [tuple(g) for g in groups] == list(MENU_GROUPS) and sorted(listed) == sorted(BlendMode)
    layer = doc.active
    layer.blend_mode = BlendMode.NORMAL
    panel._sync_controls()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert layer.blend_mode is BlendMode.DISSOLVE
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # over the separator into the darken group
    assert layer.blend_mode is BlendMode.DARKEN
    doc.undo()
    assert layer.blend_mode is BlendMode.DISSOLVE


def test_fill_slider_sets_fill_in_one_undo_step_and_only_where_fill_renders(make_window, qtbot):
    window = make_window(small_document())
    doc, panel = window.document, window.layers_panel
    red = doc.find_by_name("Red")
    doc.set_active(red)
    steps = doc.history.index
    panel.fill_slider.setSliderDown(True)
    panel._new_edit("fill")
    for v in (80, 55, 30):
        panel.fill_slider.setValue(v)
    panel.fill_slider.setSliderDown(False)
    assert red.fill == 0.3 and red.opacity == 1.0 and doc.history.index == steps + 1
    assert panel.fill_spin.value() == 30
    doc.undo()
    assert red.fill == 1.0 and panel.fill_spin.value() == 100
    ops.set_properties(doc, red, fill=0.45)
    assert panel.fill_spin.value() == 45
    props = window.properties_panel
    qtbot.waitUntil(lambda: props.fill.value() == 45)
    props.fill.spin.setValue(70)
    assert red.fill == 0.7
    group = ops.new_group(doc, "G")
    doc.set_active(group)
    assert not panel.fill_slider.isEnabled() and not panel.fill_spin.isEnabled()
    qtbot.waitUntil(lambda: not props.fill.isVisible())
