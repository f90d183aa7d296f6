import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from editor.core import Document, ops
from tests.ui.conftest import activate


def test_d_resets_black_on_white_and_white_on_black_for_a_mask(make_window, qtbot):
    doc = Document.from_pixels(np.zeros((40, 60, 4), np.uint8))
    window = make_window(doc)
    activate(qtbot, window)
    window.canvas.setFocus()
    window.foreground = QColor("red")
    qtbot.keyClick(window.canvas, Qt.Key.Key_D)
    assert (window.foreground.name(), window.background.name()) == ("#000000", "#ffffff")

    ops.add_mask(doc, doc.layers()[0], "white")  # edits the mask from now on
    assert doc.edit_mask
    qtbot.keyClick(window.canvas, Qt.Key.Key_D)
    assert (window.foreground.name(), window.background.name()) == ("#ffffff", "#000000")
    qtbot.keyClick(window.canvas, Qt.Key.Key_X)
    assert (window.foreground.name(), window.background.name()) == ("#000000", "#ffffff")
