"""The sample project through the real window: eye, drag reorder, mask from the menu, Alt+click,
undo/redo keys, save as, reopen and compare pixels."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

from editor.core.layers import Layer
from editor.render import render
from editor.ui.layer_delegate import row_layout

from .conftest import SAMPLE, activate, mouse_drag, open_file


def part_pos(window, node, part: str) -> QPoint:
    """Centre of a part ("eye", "thumb", "mask", "name") of a node's row in the layers view."""
    view = window.layers_panel.view
    index = view.layer_model.index_of(node, 0 if part == "eye" else 1)
    rect = view.visualRect(index)
    assert rect.isValid(), f"{node.name} has no visible row"
    return rect.center() if part == "eye" else row_layout(rect, node)[part].center()


def seen(window, x: float, y: float) -> QColor:
    """The colour the canvas shows at a document point."""
    canvas = window.canvas
    pos = canvas.doc_to_widget(QPointF(x, y)).toPoint()
    return canvas.grab().toImage().pixelColor(pos)


def menu_action(window, menu: str, text: str):
    for action in window.menus[menu].actions():
        if action.menu() is not None:
            for sub in action.menu().actions():
                if sub.text() == text:
                    return sub
        if action.text() == text:
            return action
    raise AssertionError(f"no {text!r} in {menu}")


def view_order(doc) -> list[str]:
    return [n.name for n in reversed(doc.root.children)]


def test_sample_session(make_window, qtbot, tmp_path, dialogs):
    window = make_window()
    assert open_file(qtbot, window, SAMPLE)
    doc = window.document
    assert view_order(doc) == ["Vignette", "Deep field", "Portrait", "Coffee", "Backdrop"]
    view = window.layers_panel.view
    viewport = view.viewport()

    # Hide "Coffee" with its eye: the cup disappears from the canvas.
    coffee = doc.find_by_name("Coffee")
    before = seen(window, 1000, 450)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, coffee, "eye"))
    assert coffee.visible is False
    after = seen(window, 1000, 450)
    assert abs(before.red() - after.red()) + abs(before.green() - after.green()) > 40

    # Drag "Backdrop" (bottom) onto the top half of "Coffee": it lands above Coffee.
    backdrop = doc.find_by_name("Backdrop")
    coffee_rect = view.visualRect(view.layer_model.index_of(coffee))
    mouse_drag(viewport, part_pos(window, backdrop, "name"), QPoint(coffee_rect.center().x(), coffee_rect.top() + 4))
    assert view_order(doc) == ["Vignette", "Deep field", "Portrait", "Backdrop", "Coffee"]
    assert view.layer_model.index_of(backdrop).row() == 3  # the view follows the model

    # Select "Deep field"'s row... then give "Coffee" a hide-all mask from the Mask menu.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=part_pos(window, coffee, "name"))
    assert doc.active is coffee
    coffee.mask = None  # the sample's coffee has a mask; start from none to see the menu add one
    window.layers_panel.model.node_changed(coffee)
    menu_action(window, "mask", "Hide All").trigger()
    assert coffee.mask is not None and not coffee.mask.data.any()
    assert doc.edit_mask

    # Alt+click the mask thumbnail: the canvas shows that mask alone, in grayscale (all black).
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, part_pos(window, coffee, "mask"))
    assert window.canvas.mask_alone_node is coffee
    shown = seen(window, 600, 400)
    assert (shown.red(), shown.green(), shown.blue()) == (0, 0, 0)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, part_pos(window, coffee, "mask"))
    assert window.canvas.mask_alone_node is None

    # Undo and redo with the keyboard.
    steps = doc.history.index
    activate(qtbot, window)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.history.index == steps - 1 and coffee.mask is None
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert doc.history.index == steps and coffee.mask is not None
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert coffee.mask is not None
    assert window.windowTitle().startswith("sample.ora*")

    # Save as, reopen in a new window, and compare the pixels.
    out = tmp_path / "session.ora"
    assert window.files.save_as(str(out))
    assert not doc.modified and window.windowTitle().startswith("session.ora —")
    again = make_window()
    assert open_file(qtbot, again, out)
    reopened = again.document
    assert view_order(reopened) == view_order(doc)
    assert reopened.find_by_name("Coffee").visible is False
    np.testing.assert_array_equal(reopened.find_by_name("Coffee").mask.data, coffee.mask.data)
    np.testing.assert_array_equal(render(reopened), render(doc))
    assert "critical" not in dialogs.kinds()
    assert all(isinstance(n, Layer) or n.kind in ("group", "fill") for n in reopened.nodes())
