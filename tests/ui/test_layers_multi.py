"""Several layers selected in the layers panel, and Alt+click on an eye, driven by real mouse and key events."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from editor.core import BlendMode, Document, Group, Layer, Mask
from editor.render import render
from tests.core.helpers import snapshot

from .conftest import activate, mouse_drag
from .test_end_to_end import part_pos

CTRL, SHIFT, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


def _layer(name: str, color, size=(40, 30), offset=(0, 0), **kw) -> Layer:
    w, h = size
    pixels = np.zeros((h, w, 4), np.uint8)
    pixels[...] = color
    return Layer(name, pixels, offset=offset, **kw)


def stack_document() -> Document:
    """Root, bottom first: Background, A, Folder(F1, F2), B, C; A is active."""
    doc = Document(96, 64)
    rng = np.random.default_rng(7)
    bg = np.zeros((64, 96, 4), np.uint8)
    bg[...] = (20, 40, 200, 255)
    a = _layer("A", (230, 30, 30, 255), offset=(10, 8))
    a.mask = Mask(rng.integers(0, 256, (30, 40), dtype=np.uint8))
    b = Layer("B", rng.integers(0, 256, (36, 50, 4), dtype=np.uint8), offset=(30, 20), opacity=0.6)
    c = _layer("C", (20, 220, 60, 140), size=(30, 40), offset=(50, 4), blend_mode=BlendMode.MULTIPLY)
    folder = Group("Folder", [_layer("F1", (250, 250, 0, 255), offset=(0, 30)), _layer("F2", (0, 250, 250, 128), offset=(60, 30))])
    for node in (Layer("Background", bg), a, folder, b, c):
        doc.root.insert(len(doc.root.children), node)
    doc.active = a
    return doc


def click(qtbot, window, node, part="name", mods=NONE) -> None:
    qtbot.mouseClick(window.layers_panel.view.viewport(), Qt.MouseButton.LeftButton, mods, part_pos(window, node, part))


def names(nodes) -> list[str]:
    return [n.name for n in nodes]


def test_ctrl_and_shift_click_select_and_set_the_active_layer(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    a, b, c, f2 = (doc.find_by_name(n) for n in ("A", "B", "C", "F2"))
    click(qtbot, window, c)
    assert names(view.selected_nodes()) == ["C"] and doc.active is c
    click(qtbot, window, a, mods=CTRL)
    assert names(view.selected_nodes()) == ["A", "C"] and doc.active is a
    # Shift+click selects the rows shown between the last clicked (A) and F2, inside the open group too.
    click(qtbot, window, f2, mods=SHIFT)
    assert names(view.selected_nodes()) == ["A", "F1", "F2"] and doc.active is f2
    click(qtbot, window, c, mods=CTRL | SHIFT)  # adds the range A..C to what is selected
    assert names(view.selected_nodes()) == ["A", "Folder", "F1", "F2", "B", "C"] and doc.active is c
    # Ctrl+click on the active row deselects it; the topmost row left becomes active.
    click(qtbot, window, c, mods=CTRL)
    assert c not in view.selected_nodes() and doc.active is b
    # A plain click inside the selection keeps it while the button is down (to drag), then selects that row alone.
    click(qtbot, window, a)
    assert names(view.selected_nodes()) == ["A"] and doc.active is a
    # Ctrl+click on the only selected row keeps it: there is always an active layer.
    click(qtbot, window, a, mods=CTRL)
    assert names(view.selected_nodes()) == ["A"] and doc.active is a
    assert doc.history.index == 0  # selecting is not an undo step


def test_delete_key_deletes_every_selected_layer_in_one_step(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    before = snapshot(doc)
    click(qtbot, window, doc.find_by_name("A"))
    click(qtbot, window, doc.find_by_name("F2"), mods=CTRL)
    click(qtbot, window, doc.find_by_name("C"), mods=CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert names(doc.root.children) == ["Background", "Folder", "B"]
    assert names(doc.find_by_name("Folder").children) == ["F1"]
    assert doc.history.index == 1 and doc.active is not None and doc.active.parent is not None
    doc.undo()
    assert snapshot(doc) == before
    doc.redo()
    assert names(doc.root.children) == ["Background", "Folder", "B"]


def test_ctrl_g_groups_the_selection_in_stacking_order(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    before = snapshot(doc)
    activate(qtbot, window)
    click(qtbot, window, doc.find_by_name("C"))
    click(qtbot, window, doc.find_by_name("A"), mods=CTRL)  # selected top-down in a different order
    qtbot.keyClick(view, Qt.Key.Key_G, CTRL)
    group = doc.active
    assert isinstance(group, Group) and names(group.children) == ["A", "C"]  # bottom first, as they were stacked
    assert names(doc.root.children) == ["Background", "Folder", "B", group.name]  # where the topmost (C) was
    assert doc.history.index == 1
    doc.undo()
    assert snapshot(doc) == before
    # Layers of different groups: the new group goes where the topmost of them was.
    click(qtbot, window, doc.find_by_name("F1"))
    click(qtbot, window, doc.find_by_name("Background"), mods=CTRL)
    qtbot.keyClick(view, Qt.Key.Key_G, CTRL)
    group = doc.active
    assert names(group.children) == ["Background", "F1"] and group.parent is doc.find_by_name("Folder")
    assert names(group.parent.children) == [group.name, "F2"] and names(doc.root.children) == ["A", "Folder", "B", "C"]
    doc.undo()
    assert snapshot(doc) == before


def _alone(doc: Document, keep: list) -> np.ndarray:
    """The render with only `keep` (and the groups holding them) visible; the document is left as it was."""
    saved = {n: n.visible for n in doc.nodes()}
    shown = set(keep) | {a for n in keep for a in n.ancestors()}
    inside = {d for n in keep if isinstance(n, Group) for d in n.walk()}
    for n in doc.nodes():
        n.visible = saved[n] if n in inside else n in shown and saved[n]
    try:
        return render(doc).astype(np.int16)
    finally:
        for n, v in saved.items():
            n.visible = v


def test_ctrl_e_merges_the_selected_layers_into_what_they_rendered_together(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    a, b, c, folder = (doc.find_by_name(n) for n in ("A", "B", "C", "Folder"))
    before = snapshot(doc)
    together = _alone(doc, [a, folder, c])  # masked A, the group, multiply C; B between them is not merged
    activate(qtbot, window)
    click(qtbot, window, a)
    click(qtbot, window, folder, mods=CTRL)
    click(qtbot, window, c, mods=CTRL)
    assert window.layer_actions.actions["merge_down"].text() == "Merge Layers"
    qtbot.keyClick(view, Qt.Key.Key_E, CTRL)
    merged = doc.active
    assert isinstance(merged, Layer) and merged.name == "C" and merged.blend_mode is BlendMode.NORMAL
    assert names(doc.root.children) == ["Background", "B", "C"] and merged is doc.root.children[-1]
    assert doc.history.index == 1
    assert np.abs(_alone(doc, [merged]) - together).max() <= 1
    doc.undo()
    assert snapshot(doc) == before


def test_merging_normal_layers_keeps_the_picture(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    whole = render(doc).astype(np.int16)
    activate(qtbot, window)
    click(qtbot, window, doc.find_by_name("Folder"))
    click(qtbot, window, doc.find_by_name("B"), mods=SHIFT)  # normal-mode neighbours: Folder and B (opacity 0.6)
    qtbot.keyClick(view, Qt.Key.Key_E, CTRL)
    assert names(doc.root.children) == ["Background", "A", "B", "C"] and doc.history.index == 1
    assert np.abs(render(doc).astype(np.int16) - whole).max() <= 1


def test_merge_refuses_a_clipped_layer_without_its_base(make_window, qtbot):
    window = make_window(stack_document())
    doc = window.document
    c = doc.find_by_name("C")
    c.clipped = True  # clipped to B, which stays unselected
    click(qtbot, window, doc.find_by_name("A"))
    click(qtbot, window, c, mods=CTRL)
    window.layer_actions.actions["merge_down"].trigger()
    assert doc.history.index == 0 and names(doc.root.children) == ["Background", "A", "Folder", "B", "C"]
    assert "select B too" in window.statusBar().currentMessage()
    # Nor a base whose clipped layer stays behind, unless it is the topmost: the merged layer takes its place.
    c.clipped = False
    folder = doc.find_by_name("Folder")
    folder.clipped = True  # clipped to A
    click(qtbot, window, doc.find_by_name("B"), mods=CTRL)
    window.layer_actions.actions["merge_down"].trigger()
    assert doc.history.index == 0 and "Folder is clipped to A" in window.statusBar().currentMessage()
    click(qtbot, window, doc.find_by_name("Background"))
    click(qtbot, window, doc.find_by_name("A"), mods=CTRL)
    window.layer_actions.actions["merge_down"].trigger()
    assert names(doc.root.children) == ["A", "Folder", "B", "C"] and folder.clipped and doc.history.index == 1


def test_duplicate_copies_each_selected_layer_above_itself(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    before = snapshot(doc)
    click(qtbot, window, doc.find_by_name("A"))
    click(qtbot, window, doc.find_by_name("B"), mods=CTRL)
    window.layer_actions.actions["duplicate"].trigger()
    assert names(doc.root.children) == ["Background", "A", "A copy", "Folder", "B", "B copy", "C"]
    assert names(view.selected_nodes()) == ["A copy", "B copy"] and doc.active.name == "B copy"
    assert np.array_equal(doc.find_by_name("A copy").pixels, doc.find_by_name("A").pixels)
    assert doc.history.index == 1
    doc.undo()
    assert snapshot(doc) == before


def test_eye_and_lock_of_a_selected_row_apply_to_the_whole_selection(make_window, qtbot):
    window = make_window(stack_document())
    doc = window.document
    a, b, c = (doc.find_by_name(n) for n in ("A", "B", "C"))
    b.visible = False  # a mixed selection takes the clicked row's new state
    click(qtbot, window, a)
    click(qtbot, window, b, mods=CTRL)
    click(qtbot, window, c, mods=CTRL)
    click(qtbot, window, a, "eye")
    assert (a.visible, b.visible, c.visible) == (False, False, False) and doc.history.index == 1
    click(qtbot, window, c, "lock")
    assert a.locked and b.locked and c.locked and doc.history.index == 2
    # The eye of a row outside the selection changes that row only.
    click(qtbot, window, doc.find_by_name("Background"), "eye")
    assert not doc.find_by_name("Background").visible and not a.visible and doc.history.index == 3
    doc.undo()
    doc.undo()
    assert not (a.locked or b.locked or c.locked)
    doc.undo()
    assert (a.visible, b.visible, c.visible) == (True, False, True)


def test_alt_click_on_an_eye_shows_that_layer_alone_then_restores(make_window, qtbot):
    window = make_window(stack_document())
    doc = window.document
    folder, f1, f2, b = (doc.find_by_name(n) for n in ("Folder", "F1", "F2", "B"))
    b.visible = False
    f1.visible = False  # the layer shown alone may be hidden itself
    before = snapshot(doc)
    click(qtbot, window, f1, "eye", ALT)
    shown = {n.name for n in doc.nodes() if n.visible}
    assert shown == {"Folder", "F1"} and doc.history.index == 1
    click(qtbot, window, f1, "eye", ALT)  # again: the previous visibility, exactly
    assert snapshot(doc) == before and doc.history.index == 2
    doc.undo()
    assert {n.name for n in doc.nodes() if n.visible} == {"Folder", "F1"}
    doc.undo()
    assert snapshot(doc) == before
    # A group shown alone keeps its children's own visibility.
    click(qtbot, window, folder, "eye", ALT)
    assert {n.name for n in doc.nodes() if n.visible} == {"Folder", "F2"} and not f1.visible


def test_dragging_a_selection_moves_every_selected_layer(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    a, c, folder = doc.find_by_name("A"), doc.find_by_name("C"), doc.find_by_name("Folder")
    before = snapshot(doc)
    click(qtbot, window, a)
    click(qtbot, window, c, mods=CTRL)
    # Drag C (selected with A) into the folder's middle: both go in, at its top, in their order.
    target = view.visualRect(view.layer_model.index_of(folder)).center()
    mouse_drag(view.viewport(), part_pos(window, c, "name"), target)
    assert names(folder.children) == ["F1", "F2", "A", "C"] and names(doc.root.children) == ["Background", "Folder", "B"]
    assert doc.history.index == 1 and set(view.selected_nodes()) == {a, c}
    # And out again below Background, the bottom of the stack.
    bg_rect = view.visualRect(view.layer_model.index_of(doc.find_by_name("Background")))
    mouse_drag(view.viewport(), part_pos(window, a, "name"), QPoint(bg_rect.center().x(), bg_rect.bottom() - 3))
    assert names(doc.root.children) == ["A", "C", "Background", "Folder", "B"] and doc.history.index == 2
    doc.undo()
    doc.undo()
    assert snapshot(doc) == before


def test_single_layer_actions_are_disabled_with_several_selected(make_window, qtbot):
    window = make_window(stack_document())
    doc, act = window.document, window.layer_actions.actions
    click(qtbot, window, doc.find_by_name("A"))
    assert act["clip"].isEnabled() and act["mask_apply"].isEnabled() and act["merge_down"].text() == "Merge Down"
    click(qtbot, window, doc.find_by_name("B"), mods=CTRL)
    for key in ("clip", "ungroup", "mask_white", "mask_apply", "mask_invert", "mask_edit"):
        assert not act[key].isEnabled(), key
    for key in ("delete", "duplicate", "group", "merge_down", "lock", "new_layer", "flatten", "raise", "lower"):
        assert act[key].isEnabled(), key
    assert act["delete"].text() == "Delete Layers"
    act["raise"].trigger()  # Ctrl+]: each selected layer one place up, one step
    assert names(doc.root.children) == ["Background", "Folder", "A", "C", "B"]


def test_arrow_keys_move_the_active_layer_and_shift_extends(make_window, qtbot):
    window = make_window(stack_document())
    doc, view = window.document, window.layers_panel.view
    click(qtbot, window, doc.find_by_name("B"))
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert names(view.selected_nodes()) == ["C"] and doc.active.name == "C"
    qtbot.keyClick(view, Qt.Key.Key_Down, SHIFT)
    qtbot.keyClick(view, Qt.Key.Key_Down, SHIFT)
    assert names(view.selected_nodes()) == ["Folder", "B", "C"] and doc.active.name == "Folder"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert names(doc.root.children) == ["Background", "A"] and doc.history.index == 1


def test_opacity_drag_and_blend_mode_apply_to_every_selected_layer_in_one_step(make_window, qtbot):
    window = make_window(stack_document())
    doc, panel = window.document, window.layers_panel
    a, b, c = (doc.find_by_name(n) for n in ("A", "B", "C"))
    click(qtbot, window, b)
    click(qtbot, window, c, mods=CTRL)
    before, steps = snapshot(doc), len(doc.history.steps)
    slider = panel.opacity_slider
    slider.setSliderDown(True)  # a drag: several values, one undo step
    panel._new_edit("opacity")
    for value in (50, 40, 30):
        slider.setValue(value)
    slider.setSliderDown(False)
    assert (b.opacity, c.opacity, a.opacity) == (0.3, 0.3, 1.0)
    assert len(doc.history.steps) == steps + 1
    panel.blend.activated.emit(panel.blend.findData(BlendMode.SCREEN))
    assert b.blend_mode == c.blend_mode == BlendMode.SCREEN and a.blend_mode == BlendMode.NORMAL
    assert len(doc.history.steps) == steps + 2
    doc.undo()
    doc.undo()
    assert snapshot(doc) == before


def test_the_move_tool_drags_and_nudges_every_selected_layer_in_one_step(make_window, qtbot):
    from PySide6.QtCore import QPointF

    window = make_window(stack_document())
    doc, canvas = window.document, window.canvas
    a, b, folder, f1 = (doc.find_by_name(n) for n in ("A", "B", "Folder", "F1"))
    click(qtbot, window, a)
    click(qtbot, window, folder, mods=CTRL)
    click(qtbot, window, b, mods=CTRL)
    before, steps = snapshot(doc), len(doc.history.steps)
    window.set_tool(window.tool("Move"))
    canvas.set_zoom(2.0, QPointF(0, 0))
    start = canvas.doc_to_widget(QPointF(40, 30)).toPoint()
    mouse_drag(canvas, start, start + QPoint(20, 10))  # 10x5 document px at 200 %
    assert (a.offset, b.offset, f1.offset) == ((20, 13), (40, 25), (10, 35))
    assert len(doc.history.steps) == steps + 1
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert (a.offset, b.offset, f1.offset) == ((21, 13), (41, 25), (11, 35))
    assert doc.find_by_name("C").offset == (50, 4)  # not selected, not moved
    doc.undo()
    doc.undo()
    assert snapshot(doc) == before
    c = doc.find_by_name("C")
    click(qtbot, window, c, mods=CTRL)
    c.locked = True
    mouse_drag(canvas, start, start + QPoint(20, 10))  # one selected layer is locked: nothing moves
    assert (a.offset, c.offset) == ((10, 8), (50, 4)) and "locked" in window.statusBar().currentMessage()
