"""Free Transform and Transform Selection through the real window and canvas, with real mouse and key events."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from editor.core import Document, Layer, Mask, Rect, SetSelection
from editor.core.selection import Selection
from tests.ui.conftest import activate, mouse_drag, small_document
from tests.ui.conftest import send_mouse as send

ZOOMS = [1.0, 3.0]


def open_transform(qtbot, make_window, doc: Document | None = None, zoom: float | None = None):
    window = make_window(doc or small_document())
    if zoom is not None:
        window.canvas.set_zoom(zoom, QPointF(window.canvas.width() / 2, window.canvas.height() / 2))
    activate(qtbot, window)
    window.canvas.setFocus()
    previous = window.canvas.tool
    window.actions["free_transform"].trigger()
    tool = window.transform.tool
    assert tool.active and window.canvas.tool is tool
    return window, tool, previous


def wait_done(qtbot, tool) -> None:
    qtbot.waitUntil(lambda: not tool.active, timeout=10000)


def widget_point(window, x: float, y: float) -> QPoint:
    return window.canvas.doc_to_widget(QPointF(x, y)).toPoint()


@pytest.mark.parametrize("zoom", ZOOMS)
def test_drag_a_corner_handle_then_enter_scales_the_layer_as_one_undo_step(qtbot, make_window, zoom):
    window, tool, previous = open_transform(qtbot, make_window, zoom=zoom)
    doc = window.document
    red = doc.find_by_name("Red")
    before = red.pixels.copy()
    steps = doc.history.index
    assert tool.session.rect == Rect(20, 10, 40, 30)
    # Bottom-right corner (60, 40) to (80, 55): proportional by default, projected on the diagonal.
    mouse_drag(window.canvas, widget_point(window, 60, 40), widget_point(window, 80, 55))
    assert np.array_equal(red.pixels, before)  # only the preview moved
    f = tool.fields()
    assert f.w == pytest.approx(f.h, abs=1e-6) and f.w > 130
    QTest.keyClick(window.canvas, Qt.Key.Key_Return)
    wait_done(qtbot, tool)
    assert window.canvas.tool is previous
    assert doc.history.index == steps + 1
    assert red.bounds().x == 20 and red.bounds().y == 10
    assert red.bounds().w == pytest.approx(40 * f.w / 100, abs=1.01)
    assert red.pixels[red.pixels.shape[0] // 2, red.pixels.shape[1] // 2].tolist() == [230, 30, 30, 255]
    window.undo()
    assert np.array_equal(red.pixels, before) and red.offset == (20, 10)


def test_shift_drag_scales_freely(qtbot, make_window):
    window, tool, _ = open_transform(qtbot, make_window)
    mouse_drag(window.canvas, widget_point(window, 60, 40), widget_point(window, 80, 40), modifiers=Qt.KeyboardModifier.ShiftModifier)
    f = tool.fields()
    assert f.w == pytest.approx(150, abs=3) and f.h == pytest.approx(100, abs=1e-6)


def test_typed_rotation_then_enter_turns_the_layer_exactly(qtbot, make_window):
    doc = small_document()
    red = doc.find_by_name("Red")
    red.pixels[0, 0] = (0, 255, 0, 255)  # a marker in the top-left corner
    window, tool, _ = open_transform(qtbot, make_window, doc)
    before = red.pixels.copy()
    box = tool.options_widget().fields["angle"]
    box.setFocus()
    box.lineEdit().selectAll()
    QTest.keyClicks(box, "90")
    QTest.keyClick(box, Qt.Key.Key_Return)  # applies the field
    assert tool.fields().angle == pytest.approx(90)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Return)  # commits
    wait_done(qtbot, tool)
    assert red.bounds() == Rect(25, 5, 30, 40)  # turned about the centre (40, 25)
    assert np.array_equal(red.pixels, np.rot90(before, -1))  # clockwise, exact at a right angle
    window.undo()
    assert np.array_equal(red.pixels, before)


def test_escape_cancels_and_leaves_no_step(qtbot, make_window):
    window, tool, previous = open_transform(qtbot, make_window)
    doc = window.document
    steps = doc.history.index
    red = doc.find_by_name("Red")
    mouse_drag(window.canvas, widget_point(window, 40, 25), widget_point(window, 70, 45))  # a move
    assert tool.fields().x == pytest.approx(70, abs=0.5)
    QTest.keyClick(window.canvas, Qt.Key.Key_Escape)
    assert not tool.active and window.canvas.tool is previous
    assert doc.history.index == steps and red.offset == (20, 10)


def test_drag_inside_moves_and_outside_rotates(qtbot, make_window):
    window, tool, _ = open_transform(qtbot, make_window)
    mouse_drag(window.canvas, widget_point(window, 40, 25), widget_point(window, 50, 30))
    assert (tool.fields().x, tool.fields().y) == pytest.approx((50, 30), abs=0.5)
    # Outside the box to the right of the reference point (50, 30), swept a quarter turn down.
    mouse_drag(window.canvas, widget_point(window, 100, 30), widget_point(window, 50, 80), steps=10)
    assert tool.fields().angle == pytest.approx(90, abs=1.5)
    QTest.keyClick(window.canvas, Qt.Key.Key_Escape)


def test_linked_mask_and_group_transform_together(qtbot, make_window):
    doc = small_document()
    red = doc.find_by_name("Red")
    red.mask = Mask(np.full((30, 40), 255, np.uint8))
    red.mask.data[:, :20] = 0
    window, tool, _ = open_transform(qtbot, make_window, doc)
    tool.apply("flip_h")
    QTest.keyClick(window.canvas, Qt.Key.Key_Return)
    wait_done(qtbot, tool)
    assert red.offset == (20, 10)
    assert red.mask.data[:, 20:].max() == 0 and red.mask.data[:, :20].min() == 255


def test_transform_menu_flip_applies_at_once(qtbot, make_window):
    doc = small_document()
    red = doc.find_by_name("Red")
    red.pixels[:, :10] = (0, 255, 0, 255)
    before = red.pixels.copy()
    window = make_window(doc)
    window.actions["transform_flip_h"].trigger()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=10000)
    assert np.array_equal(red.pixels, before[:, ::-1]) and red.offset == (20, 10)
    window.actions["transform_rotate_cw"].trigger()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=10000)
    assert np.array_equal(red.pixels, np.rot90(before[:, ::-1], -1))


def test_several_selected_layers_take_one_frame(qtbot, make_window):
    doc = small_document()
    blue = Layer("Blue", np.full((10, 10, 4), (0, 0, 255, 255), np.uint8), offset=(80, 50))
    doc.root.insert(2, blue)
    window = make_window(doc)
    red = doc.find_by_name("Red")
    window.layers_panel.view.select_nodes([red, blue])
    assert len(window.selected_layers()) == 2
    window.actions["free_transform"].trigger()
    tool = window.transform.tool
    assert tool.session.rect == Rect(20, 10, 70, 50)
    tool.apply("rotate_180")  # about the frame's centre (55, 35)
    activate(qtbot, window)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Return)
    wait_done(qtbot, tool)
    assert blue.offset == (20, 10) and red.offset == (50, 30)
    assert window.document.history.index == 1  # one step for both


def test_ctrl_drag_a_corner_distorts(qtbot, make_window):
    window, tool, _ = open_transform(qtbot, make_window)
    mouse_drag(window.canvas, widget_point(window, 60, 10), widget_point(window, 70, 0), modifiers=Qt.KeyboardModifier.ControlModifier)
    pts = tool.handles_doc()
    assert pts[2] == pytest.approx((70, 0), abs=0.5) and pts[0] == pytest.approx((20, 10))
    QTest.keyClick(window.canvas, Qt.Key.Key_Return)
    wait_done(qtbot, tool)
    red = window.document.find_by_name("Red")
    assert red.bounds().right >= 70 and red.bounds().y <= 1


def test_undo_during_a_transform_cancels_it(qtbot, make_window):
    window, tool, _ = open_transform(qtbot, make_window)
    window.document.execute(SetSelection(Selection.all(120, 80)))
    assert not tool.active


def test_transform_selection_moves_and_scales_the_outline(qtbot, make_window):
    window = make_window(small_document())
    doc = window.document
    doc.execute(SetSelection(Selection.from_rect(120, 80, Rect(10, 10, 20, 20))))
    activate(qtbot, window)
    window.actions["transform_selection"].trigger()
    tool = window.transform.tool
    assert tool.active and tool.session.rect == Rect(10, 10, 20, 20)
    assert window.canvas.suppress_ants
    mouse_drag(window.canvas, widget_point(window, 15, 15), widget_point(window, 45, 35))  # away from the reference point
    QTest.keyClick(window.canvas, Qt.Key.Key_Return)
    wait_done(qtbot, tool)
    assert doc.selection.bounds() == Rect(40, 30, 20, 20)
    assert doc.find_by_name("Red").offset == (20, 10)  # the layers stay
    window.undo()
    assert doc.selection.bounds() == Rect(10, 10, 20, 20)


def masked_document() -> Document:
    doc = small_document()
    red = doc.find_by_name("Red")
    red.mask = Mask(np.full((30, 40), 255, np.uint8))
    red.mask.data[10:20, 10:20] = 0  # a hole the move can be seen by
    return doc


def test_chain_click_toggles_the_link_as_an_undo_step(qtbot, make_window):
    from tests.ui.test_end_to_end import part_pos

    window = make_window(masked_document())
    doc = window.document
    red = doc.find_by_name("Red")
    viewport = window.layers_panel.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, red, "link"))
    assert red.mask.linked is False
    assert doc.history.steps[doc.history.index - 1].label == "Unlink Layer and Mask"
    window.undo()
    assert red.mask.linked is True
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, red, "link"))
    assert red.mask.linked is False
    assert doc.active is red and not doc.edit_mask  # the chain is not a thumbnail: what is edited stays


def test_move_tool_moves_only_the_pixels_or_only_the_mask_when_unlinked(qtbot, make_window):
    from tests.ui.test_end_to_end import part_pos

    window = make_window(masked_document())
    doc = window.document
    red = doc.find_by_name("Red")
    viewport = window.layers_panel.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, red, "link"))
    window.set_tool(window.tool("Move"))
    mouse_drag(window.canvas, widget_point(window, 40, 25), widget_point(window, 50, 25))  # pixels +10 in x
    hole = np.argwhere(red.mask.data == 0)
    assert red.pixels[..., 3].any()
    # The mask stayed in the document: its hole is still at document (30..40, 20..30).
    assert (hole[:, 1].min() + red.x, hole[:, 0].min() + red.y) == (30, 20)
    opaque = np.argwhere(red.pixels[..., 3] == 255)
    assert (opaque[:, 1].min() + red.x, opaque[:, 1].max() + 1 + red.x) == (30, 70)  # the pixels moved by 10
    steps = doc.history.index
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, red, "mask"))
    assert doc.edit_mask
    mouse_drag(window.canvas, widget_point(window, 40, 25), widget_point(window, 40, 30))  # the mask +5 in y
    hole = np.argwhere(red.mask.data == 0)
    assert (hole[:, 1].min() + red.x, hole[:, 0].min() + red.y) == (30, 25)
    assert doc.history.index == steps + 1  # one drag, one step
    window.undo()
    hole = np.argwhere(red.mask.data == 0)
    assert (hole[:, 1].min() + red.x, hole[:, 0].min() + red.y) == (30, 20)


def test_free_transform_of_an_unlinked_mask_leaves_the_pixels(qtbot, make_window):
    doc = masked_document()
    red = doc.find_by_name("Red")
    red.mask.linked = False
    doc.set_active(red, edit_mask=True)
    pixels = red.pixels.copy()
    window, tool, _ = open_transform(qtbot, make_window, doc)
    assert tool.session.part == "mask" and tool.session.rect == Rect(30, 20, 10, 10)
    mouse_drag(window.canvas, widget_point(window, 32, 22), widget_point(window, 42, 22))
    QTest.keyClick(window.canvas, Qt.Key.Key_Return)
    wait_done(qtbot, tool)
    hole = np.argwhere(red.mask.data == 0)
    assert (hole[:, 1].min() + red.x, hole[:, 0].min() + red.y) == (40, 20)
    visible = red.pixels[..., 3] > 0
    assert np.array_equal(red.pixels[visible], pixels.reshape(-1, 4))


@pytest.mark.parametrize("tool_name", ["Rectangle Select", "Lasso"])
def test_dragging_inside_a_selection_moves_its_outline(qtbot, make_window, tool_name):
    window = make_window(small_document())
    doc = window.document
    doc.execute(SetSelection(Selection.from_rect(120, 80, Rect(10, 10, 20, 20))))
    window.set_tool(window.tool(tool_name))
    tool = window.canvas.tool
    pixels = doc.find_by_name("Red").pixels.copy()
    send(window.canvas, QEvent.Type.MouseButtonPress, widget_point(window, 15, 15))
    send(window.canvas, QEvent.Type.MouseMove, widget_point(window, 30, 25), Qt.MouseButton.NoButton)
    assert tool.outline_move.active and tool.outline_move.offset == (15, 10)
    assert window.canvas.suppress_ants  # the moving outline is drawn instead
    send(window.canvas, QEvent.Type.MouseMove, widget_point(window, 40, 30), Qt.MouseButton.NoButton)
    send(window.canvas, QEvent.Type.MouseButtonRelease, widget_point(window, 40, 30), Qt.MouseButton.LeftButton,
         Qt.MouseButton.NoButton)
    assert doc.selection.bounds() == Rect(35, 25, 20, 20)
    assert np.array_equal(doc.find_by_name("Red").pixels, pixels)  # the outline moved, not the pixels
    assert doc.history.steps[doc.history.index - 1].label == "Move Selection"
    window.undo()
    assert doc.selection.bounds() == Rect(10, 10, 20, 20)
    # A click inside without a drag deselects, as before.
    QTest.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=widget_point(window, 15, 15))
    assert doc.selection is None or doc.selection.is_empty


def test_the_transform_submenu_turns_are_the_registrys_entries_each_one_undo_step(qtbot, make_window):
    from editor.core.operations import REGISTRY

    doc = small_document()
    red = doc.find_by_name("Red")
    red.pixels[:, :10] = (0, 255, 0, 255)
    window = make_window(doc)
    sub = window.transform.submenu
    texts = [a.text() if not a.isSeparator() else "-" for a in sub.actions()]
    assert texts == ["Scale", "Rotate", "Skew", "Distort", "Perspective", "-", "Rotate 180°", "Rotate 90° Clockwise",
                     "Rotate 90° Counter Clockwise", "-", "Flip Horizontal", "Flip Vertical"]
    entries = REGISTRY.menu_entries("edit/Transform")
    assert [e.text for _op, e in entries] == texts[6:9] + texts[10:]
    for op, entry in entries:
        twin = small_document()
        twin_red = twin.find_by_name("Red")
        twin_red.pixels[:, :10] = (0, 255, 0, 255)
        op(twin, {**entry.params, "layers": ["Red"]})
        doc = small_document()
        red = doc.find_by_name("Red")
        red.pixels[:, :10] = (0, 255, 0, 255)
        window.set_document(doc)
        steps = len(doc.history.steps)
        before = (red.pixels.copy(), red.offset)
        window.actions[entry.key].trigger()
        qtbot.waitUntil(lambda: not window.jobs.busy, timeout=10000)
        assert len(doc.history.steps) == steps + 1 and doc.history.labels()[-1] == entry.text
        assert np.array_equal(red.pixels, twin_red.pixels) and red.offset == twin_red.offset, entry.key
        window.undo()
        assert np.array_equal(red.pixels, before[0]) and red.offset == before[1]
