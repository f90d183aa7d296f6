"""Select Subject through the real window, on a tiny model of u2net's interface."""

from __future__ import annotations

import pytest

pytest.importorskip("onnxruntime")

from tests.masks.onnx_models import salient  # noqa: E402

from .conftest import small_document  # noqa: E402
from .test_end_to_end import menu_action  # noqa: E402


def _one_layer():
    doc = small_document()
    doc.active = doc.root.children[0]  # the full-canvas background
    return doc


def _blue_subject(make_window, model_home):
    """A window on a yellow layer with a blue square, and u2netp's interface installed: the tiny
    model's map is 0.5 R - 0.25 G + B, so the blue square is the "subject"."""
    salient(model_home / "u2netp.onnx", 320)
    window = make_window(_one_layer())
    layer = window.document.active
    layer.pixels[:] = (200, 200, 20, 255)
    layer.pixels[20:60, 30:90] = (20, 20, 230, 255)
    return window, layer


def _wait_jobs(qtbot, window):
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=60_000)


def test_select_subject_makes_the_selection_with_the_model(make_window, qtbot, model_home):
    window, layer = _blue_subject(make_window, model_home)
    menu_action(window, "select", "Subject").trigger()
    _wait_jobs(qtbot, window)
    sel = window.document.selection
    assert sel is not None
    assert sel.data[40, 60] > 200 and sel.data[5, 5] < 50
    window.undo()
    assert window.document.selection is None


def test_select_subject_on_the_mask_remembers_the_model_and_reruns(make_window, qtbot, model_home):
    window, layer = _blue_subject(make_window, model_home)
    menu_action(window, "mask", "Select Subject").trigger()
    _wait_jobs(qtbot, window)
    assert layer.mask is not None and layer.mask.generator["kind"] == "model-subject"
    assert layer.mask.generator["model"] == "u2netp" and len(layer.mask.generator["sha256"]) == 64
    assert layer.mask.data[40, 60] > 200 and layer.mask.data[5, 5] < 50
    layer.pixels[:] = (200, 200, 20, 255)
    layer.pixels[0:30, 0:40] = (20, 20, 230, 255)
    menu_action(window, "mask", "Re-run Mask Generator").trigger()
    _wait_jobs(qtbot, window)
    assert layer.mask.data[10, 10] > 200 and layer.mask.data[40, 60] < 50


def test_with_no_model_it_says_where_to_put_one_and_falls_back(make_window, qtbot, model_home):
    window = make_window(_one_layer())
    layer = window.document.active
    layer.pixels[:] = (200, 200, 200, 255)
    layer.pixels[20:60, 30:90] = (200, 20, 20, 255)
    menu_action(window, "select", "Subject").trigger()
    assert "No subject model installed" in window.statusBar().currentMessage()
    assert str(model_home) in window.statusBar().currentMessage()
    _wait_jobs(qtbot, window)
    assert window.document.selection is not None


def test_cancel_leaves_the_document_as_it_was(make_window, qtbot, model_home):
    window, layer = _blue_subject(make_window, model_home)
    steps = len(window.document.history.steps)
    menu_action(window, "select", "Subject").trigger()
    window.jobs.cancel_all()  # the status bar's Cancel
    _wait_jobs(qtbot, window)
    assert window.document.selection is None and len(window.document.history.steps) == steps
