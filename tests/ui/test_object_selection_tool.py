"""The Object Selection tool through the real window, on a tiny segment-anything pair.

The tiny decoder's mask is a disc of radius 40 (encoder-frame pixels) around
the first prompt point, so a click must select a disc centred on the pixel
clicked: that proves the prompt's coordinate mapping end to end.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QPointF, Qt

pytest.importorskip("onnxruntime")

from editor.core import Document  # noqa: E402
from tests.masks.onnx_models import sam_pair  # noqa: E402

from .conftest import send_mouse  # noqa: E402

W, H = 160, 120  # 4:3, so the encoder's frame is the tiny decoder's 1024 x 768
RADIUS = 40 * W / 1024  # the disc's radius in document pixels
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def _document() -> Document:
    pixels = np.full((H, W, 4), 255, np.uint8)
    pixels[30:90, 40:120, :3] = (200, 60, 30)
    return Document.from_pixels(pixels)


def _tool_window(make_window, qtbot, with_model: bool = True):
    if with_model:
        from editor.masks.models.registry import rembg_folder

        sam_pair(rembg_folder(), "mobile_sam")
    window = make_window(_document())
    window.document.active = window.document.root.children[0]
    tool = window.tool("Object Selection")
    window.set_tool(tool)
    return window, tool


def _click(canvas, x, y, modifiers=Qt.KeyboardModifier.NoModifier):
    p = canvas.doc_to_widget(QPointF(x, y)).toPoint()
    send_mouse(canvas, QEvent.Type.MouseButtonPress, p, modifiers=modifiers)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, p, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, modifiers)


def _disc(cx, cy) -> np.ndarray:
    ys, xs = np.mgrid[0:H, 0:W] + 0.5
    return np.hypot(xs - (cx + 0.5), ys - (cy + 0.5)) < RADIUS


def _wait_embedding(qtbot, tool):
    qtbot.waitUntil(lambda: tool._embedding is not None, timeout=30_000)


def test_a_click_selects_the_object_under_the_pointer_in_one_undo_step(make_window, qtbot, model_home):
    window, tool = _tool_window(make_window, qtbot)
    _wait_embedding(qtbot, tool)
    _click(window.canvas, 50, 40)
    sel = window.document.selection
    assert sel is not None
    inside = sel.data > 127
    expected = _disc(50, 40)
    # the disc lands on the clicked pixel: at most its one-pixel soft rim differs
    assert (inside != expected).sum() <= 2 * np.pi * RADIUS
    assert inside[40, 50] and not inside[40, 50 + int(RADIUS) + 2] and not inside[40 - int(RADIUS) - 2, 50]
    window.undo()
    assert window.document.selection is None


def test_shift_adds_and_alt_subtracts(make_window, qtbot, model_home):
    window, tool = _tool_window(make_window, qtbot)
    _wait_embedding(qtbot, tool)
    _click(window.canvas, 40, 40)
    _click(window.canvas, 120, 80, SHIFT)
    sel = window.document.selection.data
    assert sel[40, 40] > 200 and sel[80, 120] > 200
    _click(window.canvas, 40, 40, ALT)
    sel = window.document.selection.data
    assert sel[40, 40] < 50 and sel[80, 120] > 200


def test_a_click_before_the_image_is_encoded_waits_for_it(make_window, qtbot, model_home):
    window, tool = _tool_window(make_window, qtbot)
    _click(window.canvas, 60, 60)  # most likely while the encoder still runs
    qtbot.waitUntil(lambda: window.document.selection is not None, timeout=30_000)
    assert window.document.selection.data[60, 60] > 200


def test_hovering_highlights_the_object(make_window, qtbot, model_home):
    window, tool = _tool_window(make_window, qtbot)
    _wait_embedding(qtbot, tool)
    p = window.canvas.doc_to_widget(QPointF(80, 60)).toPoint()
    send_mouse(window.canvas, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: tool._hover_image is not None, timeout=10_000)
    image = tool._hover_image
    fw, fh = image.width(), image.height()
    assert (fw, fh) == (1024, 768)
    assert image.pixelColor(int(80.5 * fw / W), int(60.5 * fh / H)).alpha() > 0  # under the pointer
    assert image.pixelColor(5, 5).alpha() == 0
    assert window.document.selection is None  # hovering changes nothing


def test_pixel_changes_make_it_encode_again(make_window, qtbot, model_home):
    window, tool = _tool_window(make_window, qtbot)
    _wait_embedding(qtbot, tool)
    layer = window.document.active
    from editor.core import Rect

    layer.pixels[0:10, 0:10] = 0
    window.document.notify("pixels", layer, Rect(0, 0, 10, 10))
    assert tool._embedding is None
    _click(window.canvas, 30, 30)
    qtbot.waitUntil(lambda: window.document.selection is not None, timeout=30_000)


def test_with_no_model_it_says_where_to_put_one_and_a_box_uses_grabcut(make_window, qtbot, model_home):
    window, tool = _tool_window(make_window, qtbot, with_model=False)
    assert "No object selection model installed" in window.statusBar().currentMessage()
    from .conftest import mouse_drag

    canvas = window.canvas
    mouse_drag(canvas, canvas.doc_to_widget(QPointF(30, 20)).toPoint(), canvas.doc_to_widget(QPointF(130, 100)).toPoint())
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=60_000)
    sel = window.document.selection
    assert sel is not None
    assert sel.data[60, 80] > 200 and sel.data[5, 5] < 50


def test_preferences_lists_models_and_adds_a_file_from_anywhere(make_window, qtbot, model_home, tmp_path):
    window, tool = _tool_window(make_window, qtbot, with_model=False)
    elsewhere = tmp_path / "my models"
    sam_pair(elsewhere, "edge_sam")
    (elsewhere / "mystery.onnx").write_bytes(b"not a model")
    from .test_end_to_end import menu_action

    menu_action(window, "edit", "Preferences…").trigger()
    page = window.model_actions.preferences.models
    assert page.table.rowCount() == 0
    errors = page.add_files([elsewhere / "edge_sam.encoder.onnx", elsewhere / "mystery.onnx"])
    assert len(errors) == 1 and "mystery.onnx" in errors[0]
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "edge_sam"
    assert page.table.item(0, 2).text() == "Object Selection"
    # the tool finds it at once, and its prompts work
    window.set_tool(window.tool("Move"))
    window.set_tool(tool)
    assert tool.model is not None and tool.model.name == "edge_sam"
    _wait_embedding(qtbot, tool)
    _click(window.canvas, 80, 60)
    assert window.document.selection.data[60, 80] > 200
    # Through the selection model: QTableView.selectRow reads the application's keyboard
    # modifiers, which a Shift or Alt click earlier in the same test process can leave set.
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    page.table.selectionModel().select(page.table.model().index(0, 0), flags)
    assert page.remove_button.isEnabled()
    page.remove_selected()
    assert page.table.rowCount() == 0


def test_layer_mask_output_keeps_the_prompts_live_and_reopens_in_its_dialog(make_window, qtbot, model_home):
    window, tool = _tool_window(make_window, qtbot)
    tool.output.setCurrentText("Layer Mask")
    layer = window.document.active
    _wait_embedding(qtbot, tool)
    _click(window.canvas, 50, 40)
    assert layer.mask is not None and window.document.selection is None
    gen = layer.mask.generator
    assert gen["kind"] == "model-object" and gen["model"] == "mobile_sam" and len(gen["sha256"]) == 64
    assert [p[:2] for p in gen["points"]] == [[50, 40]]
    assert layer.mask.data[40, 50] > 200 and layer.mask.data[100, 140] < 50
    _click(window.canvas, 120, 90, SHIFT)  # one more point, given to the model with the first
    assert [p[2] for p in layer.mask.generator["points"]] == [1, 1]
    _click(window.canvas, 20, 100, ALT)
    assert [p[2] for p in layer.mask.generator["points"]] == [1, 1, 0]
    steps = len(window.document.history.steps)

    dialog = window.mask_generators.edit_generator()
    assert type(dialog).__name__ == "ObjectModelDialog"
    assert dialog.model.currentText() == "mobile_sam" and len(dialog.points) == 3
    dialog.clear_prompts()
    dialog._press(int(100 * dialog.scale), int(60 * dialog.scale), Qt.KeyboardModifier.NoModifier)
    dialog._release(int(100 * dialog.scale), int(60 * dialog.scale))
    dialog.accept()
    qtbot.waitUntil(lambda: not window.jobs.busy and dialog.job is None, timeout=30_000)
    assert len(window.document.history.steps) == steps + 1
    assert layer.mask.data[60, 100] > 200 and layer.mask.data[40, 50] < 50
    assert len(layer.mask.generator["points"]) == 1


def test_a_subject_model_mask_reopens_with_its_model(make_window, qtbot, model_home):
    from tests.masks.onnx_models import salient

    from .test_end_to_end import menu_action

    salient(model_home / "u2netp.onnx", 320)
    window, tool = _tool_window(make_window, qtbot, with_model=False)
    layer = window.document.active
    menu_action(window, "mask", "Select Subject").trigger()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=30_000)
    assert layer.mask.generator["kind"] == "model-subject"
    dialog = window.mask_generators.edit_generator()
    assert type(dialog).__name__ == "SubjectModelDialog" and dialog.model.currentText() == "u2netp"
    dialog.refine.setChecked(False)
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.job is None and not window.jobs.busy, timeout=30_000)
    assert layer.mask.generator["refine"] is False and len(layer.mask.generator["sha256"]) == 64
