"""The mask generator dialogs through the real main window and Mask menu."""

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from editor.core import Document
from editor.core.ops import add_mask
from tests.core.helpers import snapshot
from tests.masks.scenes import edge_band, hair_scene, iou, object_scene, sad, screen_scene
from tests.ui.conftest import send_mouse

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _window(make_window, image):
    doc = Document.from_pixels(image.copy(), name="Photo")
    return make_window(doc), doc


def _button(dialog, which):
    return dialog.buttons.button(which)


def test_chroma_key_preview_follows_sliders_cancel_changes_nothing_ok_is_one_step(qtbot, make_window):
    scene = screen_scene(120, 160, 0)
    window, doc = _window(make_window, scene.image)
    before, steps = snapshot(doc), len(doc.history.steps)
    window.mask_generators.actions["chroma_key"].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitUntil(lambda: dialog.preview_runs >= 1)
    first_runs, first = dialog.preview_runs, dialog.preview_mask.copy()
    for value in (100, 300, 500, 700):  # a quick drag: the throttle recomputes once it pauses
        dialog.tolerance.slider.setValue(value)
    qtbot.waitUntil(lambda: dialog.preview_runs > first_runs)
    qtbot.wait(150)
    assert dialog.preview_runs == first_runs + 1
    assert not np.array_equal(first, dialog.preview_mask)
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert snapshot(doc) == before and len(doc.history.steps) == steps

    window.mask_generators.actions["chroma_key"].trigger()
    dialog = window.mask_generators.dialog
    dialog.despill.setChecked(True)
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    layer = doc.active
    assert len(doc.history.steps) == steps + 1
    assert layer.mask.generator["kind"] == "chroma-key" and layer.mask.generator["despill"]
    assert iou(layer.mask.data, scene.alpha) > 0.9
    doc.undo()
    assert snapshot(doc) == before

    # Edit Mask Generator reopens the dialog with the stored parameters.
    doc.redo()
    window.mask_generators.actions["edit_generator"].trigger()
    assert window.mask_generators.dialog.despill.isChecked()
    window.mask_generators.dialog.reject()


@pytest.mark.parametrize("key", ["green", "blue"])
def test_chroma_key_starts_on_the_screen_the_picture_shows(qtbot, make_window, key):
    window, doc = _window(make_window, screen_scene(120, 160, 1, key).image)
    window.mask_generators.actions["chroma_key"].trigger()
    dialog = window.mask_generators.dialog
    assert dialog.key.currentText() == key
    dialog.reject()


def test_colour_range_samples_with_clicks_and_modifiers(qtbot, make_window):
    image = np.zeros((100, 150, 4), np.uint8)
    image[..., 3] = 255
    image[:, :50, :3] = (200, 40, 40)
    image[:, 50:100, :3] = (40, 40, 200)
    image[:, 100:, :3] = (40, 200, 40)
    window, doc = _window(make_window, image)
    window.mask_generators.actions["color_range"].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitExposed(dialog)
    to_preview = dialog.scale
    qtbot.mouseClick(dialog.preview, Qt.MouseButton.LeftButton, pos=QPoint(int(20 * to_preview), 10))
    qtbot.mouseClick(dialog.preview, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, QPoint(int(70 * to_preview), 10))
    qtbot.mouseClick(dialog.preview, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, QPoint(int(120 * to_preview), 10))
    qtbot.mouseClick(dialog.preview, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, QPoint(int(125 * to_preview), 20))
    assert dialog.range.samples == [(200, 40, 40), (40, 40, 200)]
    qtbot.waitUntil(lambda: dialog.preview_mask[:, : int(100 * to_preview) - 2].min() == 255)
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    mask = doc.active.mask.data
    assert mask[:, :100].min() == 255 and mask[:, 100:].max() == 0


def test_object_select_runs_in_a_worker_and_cancel_leaves_the_document(qtbot, make_window):
    scene = object_scene(300, 400, 1)
    window, doc = _window(make_window, scene.image)
    before, steps = snapshot(doc), len(doc.history.steps)
    window.mask_generators.actions["object_select"].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitExposed(dialog)
    x, y, w, h = scene.rect
    s = dialog.scale
    start, end = QPoint(int(x * s), int(y * s)), QPoint(int((x + w) * s), int((y + h) * s))
    send_mouse(dialog.preview, QEvent.Type.MouseButtonPress, start)
    send_mouse(dialog.preview, QEvent.Type.MouseMove, (start + end) / 2, Qt.MouseButton.NoButton)
    send_mouse(dialog.preview, QEvent.Type.MouseMove, end, Qt.MouseButton.NoButton)
    send_mouse(dialog.preview, QEvent.Type.MouseButtonRelease, end, buttons=Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: dialog.preview_runs >= 2 and dialog.preview_mask.any())
    small_truth = cv2.resize(scene.alpha, (dialog.small.shape[1], dialog.small.shape[0]))
    assert iou(dialog.preview_mask, small_truth) > 0.9

    # Cancel while the worker runs: nothing changes.
    dialog.accept()
    assert dialog.job is not None
    job = dialog.job
    dialog.reject()
    job.wait(30)
    qtbot.wait(50)
    assert snapshot(doc) == before and len(doc.history.steps) == steps

    window.mask_generators.actions["object_select"].trigger()
    dialog = window.mask_generators.dialog
    dialog.rect = (int(x * s), int(y * s), int(w * s), int(h * s))
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30000)
    assert len(doc.history.steps) == steps + 1
    assert iou(doc.active.mask.data, scene.alpha) > 0.95
    assert doc.active.mask.generator["kind"] == "object" and doc.active.mask.generator["rect"] is not None


def test_refine_edge_dialog_refines_the_active_mask_in_one_step(qtbot, make_window):
    scene = hair_scene(160, 200, 1)
    window, doc = _window(make_window, scene.image)
    add_mask(doc, doc.active, "white")
    hard = ((scene.alpha >= 0.5) * 255).astype(np.uint8)
    doc.active.mask.data[...] = hard
    steps = len(doc.history.steps)
    window.mask_generators.actions["refine_edge"].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitUntil(lambda: dialog.preview_runs >= 1)
    runs = dialog.preview_runs
    dialog.radius.set_value(6)
    qtbot.waitUntil(lambda: dialog.preview_runs > runs)
    dialog.view_mode.setCurrentText("On white")
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30000)
    assert len(doc.history.steps) == steps + 1
    band = edge_band(scene.alpha, 3)
    assert sad(doc.active.mask.data, scene.alpha, band) * 2 < sad(hard, scene.alpha, band)
    assert doc.active.mask.generator["kind"] == "refine-edge"
    doc.undo()
    assert np.array_equal(doc.active.mask.data, hard)


def test_colour_range_on_a_fill_layer_masks_it_from_the_pixels_below(qtbot, make_window):
    from editor.core import FillLayer

    image = np.zeros((60, 90, 4), np.uint8)
    image[..., 3] = 255
    image[:, :45, :3] = (200, 40, 40)
    image[:, 45:, :3] = (40, 40, 200)
    window, doc = _window(make_window, image)
    fill = FillLayer("Tint", (250, 250, 0, 255))
    doc.root.insert(1, fill)
    doc.set_active(fill)
    steps = len(doc.history.steps)
    window.mask_generators.update_state()
    assert window.mask_generators.actions["color_range"].isEnabled()
    window.mask_generators.actions["color_range"].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.preview, Qt.MouseButton.LeftButton, pos=QPoint(int(10 * dialog.scale), 10))
    assert dialog.range.samples == [(200, 40, 40)]  # the photo below, not the fill's yellow
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert fill.mask is not None and fill.mask.data.shape == (60, 90)
    assert fill.mask.data[:, :40].min() == 255 and fill.mask.data[:, 50:].max() == 0
    assert len(doc.history.steps) == steps + 1


def _refine_dialog(qtbot, make_window, scene):
    window, doc = _window(make_window, scene.image)
    add_mask(doc, doc.active, "white")
    hard = ((scene.alpha >= 0.5) * 255).astype(np.uint8)
    doc.active.mask.data[...] = hard
    window.mask_generators.actions["refine_edge"].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitUntil(lambda: dialog.preview_runs >= 1)
    return window, doc, dialog, hard


def _ok(qtbot, dialog):
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=60000)


def test_refine_radius_brush_widens_the_band_where_painted_and_alt_narrows_it(qtbot, make_window):
    from editor.masks.refine import PAINTED, radius_strokes_map
    from tests.ui.conftest import mouse_drag

    scene = hair_scene(360, 600, 2)
    window, doc, dialog, hard = _refine_dialog(qtbot, make_window, scene)
    assert dialog.scale < 1  # the preview is reduced: strokes must land in layer pixels all the same
    dialog.radius.set_value(0)  # no band of its own: only the brush makes one
    dialog.brush.set_value(24)
    contour = max(cv2.findContours(hard, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)[0], key=len)[:, 0, :]
    (x0, y0), (x1, y1) = contour[0], contour[len(contour) // 8]
    s = dialog.scale
    runs = dialog.preview_runs
    mouse_drag(dialog.preview, QPoint(int(x0 * s), int(y0 * s)), QPoint(int(x1 * s), int(y1 * s)), steps=12)
    qtbot.waitUntil(lambda: dialog.preview_runs > runs)
    assert len(dialog.strokes) == 1 and not dialog.strokes[0]["erase"] and len(dialog.strokes[0]["points"]) == 13
    assert np.hypot(*(np.subtract(dialog.strokes[0]["points"][0], (x0, y0)))) < 2 / s  # layer pixels
    tinted = dialog.preview.pixmap().toImage()
    assert tinted.width() == dialog.small.shape[1]
    # Alt-drag over the first half of the stroke takes the band back there.
    xm, ym = contour[len(contour) // 16]
    mouse_drag(dialog.preview, QPoint(int(x0 * s), int(y0 * s)), QPoint(int(xm * s), int(ym * s)), steps=6,
               modifiers=Qt.KeyboardModifier.AltModifier)
    assert dialog.strokes[1]["erase"] is True
    steps = len(doc.history.steps)
    _ok(qtbot, dialog)
    assert len(doc.history.steps) == steps + 1
    mask = doc.active.mask.data
    painted = radius_strokes_map(dialog.strokes[:1], hard.shape) == PAINTED
    erased = radius_strokes_map(dialog.strokes[1:], hard.shape) > 0
    kept = painted & ~erased
    assert kept.sum() > 500 and erased.sum() > 300
    assert sad(mask, scene.alpha, kept) < 0.6 * sad(hard, scene.alpha, kept)  # strands there are matted
    assert np.array_equal(mask[erased], hard[erased]) and np.array_equal(mask[~painted], hard[~painted])
    saved = doc.active.mask.generator["radius_strokes"]
    assert [st["erase"] for st in saved] == [False, True] and saved[0]["size"] == 24.0
    # Edit Mask Generator reopens the strokes.
    window.mask_generators.edit_generator()
    again = window.mask_generators.dialog
    assert again is not dialog and again.strokes == saved
    again.reject()


@pytest.mark.parametrize("output", ["Layer mask", "New layer with layer mask"])
def test_refine_edge_decontaminate_amount_writes_the_cleaned_colours_where_output_says(qtbot, make_window, output):
    from editor.masks.refine import RefineParams, refine_edge

    scene = hair_scene(200, 240, 3)
    window, doc, dialog, hard = _refine_dialog(qtbot, make_window, scene)
    original = doc.active
    before, steps = snapshot(doc), len(doc.history.steps)
    assert not dialog.amount.isEnabled()
    dialog.radius.set_value(6)
    dialog.decontaminate.setChecked(True)
    assert dialog.amount.isEnabled() and dialog.output.currentText() == "New layer with layer mask"  # as Photoshop
    dialog.amount.set_value(40)
    dialog.output.setCurrentText(output)
    runs = dialog.preview_runs
    qtbot.waitUntil(lambda: dialog.preview_runs > runs and dialog.cleaned is not None)
    _ok(qtbot, dialog)
    assert len(doc.history.steps) == steps + 1
    expected_mask, expected = refine_edge(scene.image, hard, RefineParams(radius=6, decontaminate=True,
                                                                           decontaminate_amount=0.4))
    assert np.any(expected != scene.image)
    target = doc.active
    assert np.array_equal(target.mask.data, expected_mask) and np.array_equal(target.pixels, expected)
    assert target.mask.generator["decontaminate_amount"] == pytest.approx(0.4)
    if output == "Layer mask":
        assert target is original and len(doc.root.children) == 1
    else:
        assert target is not original and doc.root.children == [original, target]
        assert not original.visible and target.visible and target.name == "Photo copy"
        assert np.array_equal(original.pixels, scene.image) and np.array_equal(original.mask.data, hard)
    doc.undo()
    assert snapshot(doc) == before


def test_object_select_scribbles_override_on_a_lookalike_scene_and_rerun_keeps_them(qtbot, make_window):
    from editor.masks.generators import generate
    from tests.masks.scenes_lookalike import lookalike_scene
    from tests.ui.conftest import mouse_drag

    scene = lookalike_scene(600, 800, 4)
    window, doc = _window(make_window, scene.image)
    window.mask_generators.actions["object_select"].trigger()
    dialog = window.mask_generators.dialog
    qtbot.waitExposed(dialog)
    x, y, w, h = scene.rect
    s = dialog.scale
    assert s < 1
    mouse_drag(dialog.preview, QPoint(int(x * s), int(y * s)), QPoint(int((x + w) * s), int((y + h) * s)))
    qtbot.waitUntil(lambda: dialog.preview_runs >= 2 and dialog.preview_mask.any(), timeout=30000)
    cy = y + h // 2
    row = int(cy * s)
    assert (dialog.preview_mask[row, int(x * s) : int((x + w) * s)] >= 128).any()  # the subject crosses the row
    # A background scribble straight through the subject: it must leave the selection.
    dialog.mode.setCurrentText("Background scribble")
    runs = dialog.preview_runs
    mouse_drag(dialog.preview, QPoint(int(x * s), row), QPoint(int((x + w) * s), row), steps=10)
    qtbot.waitUntil(lambda: dialog.preview_runs > runs, timeout=30000)
    assert (dialog.preview_mask[row - 1 : row + 2, int(x * s) : int((x + w) * s)] == 0).all()
    steps = len(doc.history.steps)
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=60000)
    assert len(doc.history.steps) == steps + 1
    mask = doc.active.mask.data.copy()
    strip = np.zeros(mask.shape, bool)
    strip[cy - 3 : cy + 4, x + 4 : x + w - 4] = True
    assert (mask[strip] == 0).all()
    assert iou(mask, scene.alpha * ~strip) > 0.9  # the rest of the look-alike subject is still found
    generator = doc.active.mask.generator
    assert [st["background"] for st in generator["scribbles"]] == [True]
    assert np.array_equal(generate(scene.image, generator), mask)  # headless, from the saved recipe
    window.mask_generators.rerun()  # Mask > Re-run: the dialog's worker, with the scribble
    qtbot.waitUntil(lambda: len(doc.history.steps) == steps + 2, timeout=60000)
    assert np.array_equal(doc.active.mask.data, mask)
    again = window.mask_generators.edit_generator()
    assert again.scribbles == generator["scribbles"]
    again.reject()


def test_chroma_key_band_matting_runs_in_a_worker_and_rerun_keeps_it(qtbot, make_window):
    from editor.masks.chroma import ChromaKeyParams, chroma_key
    from tests.masks.scenes_keying import keying_scene

    scene = keying_scene(200, 300, 1, "green", spill=40.0)
    window, doc = _window(make_window, scene.image)
    steps = len(doc.history.steps)
    window.mask_generators.actions["chroma_key"].trigger()
    dialog = window.mask_generators.dialog
    dialog.band_matting.setChecked(True)
    qtbot.mouseClick(_button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.job is not None  # a worker's job, not the GUI thread's
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30000)
    layer = doc.active
    assert len(doc.history.steps) == steps + 1 and layer.mask.generator["band_matting"]
    expected = chroma_key(scene.image, ChromaKeyParams(band_matting=True))
    np.testing.assert_array_equal(layer.mask.data, expected)
    assert not np.array_equal(expected, chroma_key(scene.image, ChromaKeyParams()))

    # Re-run goes through the dialog's worker with the stored parameters.
    layer.mask.data[:] = 0
    window.mask_generators.actions["rerun_generator"].trigger()
    qtbot.waitUntil(lambda: len(doc.history.steps) == steps + 2, timeout=30000)
    np.testing.assert_array_equal(doc.active.mask.data, expected)
