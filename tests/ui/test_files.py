"""Files through the window: failed open, autosave and restore, unsaved prompt, export, paste, drop, new."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QMessageBox

from editor.core import ops
from editor.io import open_document, save_document
from editor.ui.dialogs.export_options import ExportOptions
from editor.ui.dialogs.new_document import new_document

from .conftest import open_file, small_document


def test_failed_open_shows_error_and_keeps_document(make_window, tmp_path, dialogs, qtbot):
    window = make_window(small_document())
    doc = window.document
    ops.new_layer(doc, "Work")
    before = (doc.history.index, [n.name for n in doc.nodes()], window.windowTitle())
    bad = tmp_path / "broken.ora"
    bad.write_bytes(b"PK\x03\x04 this is not a zip archive")
    dialogs.answers["warning"] = QMessageBox.StandardButton.Cancel
    assert window.files.open(str(bad)) is False  # cancelled at the unsaved-changes prompt
    assert dialogs.kinds() == ["warning"]
    # The unsaved-changes prompt came first (answered Discard), then the error.
    dialogs.answers["warning"] = QMessageBox.StandardButton.Discard
    assert open_file(qtbot, window, bad) is False
    kind, title, text = dialogs.shown[-1]
    assert kind == "critical" and "broken.ora" in text
    assert window.document is doc
    assert (doc.history.index, [n.name for n in doc.nodes()], window.windowTitle()) == before


def test_autosave_then_a_new_window_restores(make_window, tmp_path, dialogs):
    first = make_window(small_document(), autosave_ms=60_000)
    assert first.recovery.autosave() is False  # nothing changed, nothing written
    ops.new_layer(first.document, "Unsaved work")
    assert first.recovery.autosave() is True
    first.recovery.wait()
    assert first.recovery.project_path.exists()
    assert first.document.modified  # autosave does not count as saving
    assert first.recovery.autosave() is False  # unchanged since the last autosave

    dialogs.answers["box"] = QMessageBox.StandardButton.Yes
    second = make_window()
    assert second.offer_recovery() is True
    assert "Recover" in dialogs.shown[-1][1]
    restored = second.document
    assert [n.name for n in restored.nodes()] == ["Background", "Red", "Unsaved work"]
    assert restored.modified
    np.testing.assert_array_equal(restored.find_by_name("Red").pixels, first.document.find_by_name("Red").pixels)


@pytest.fixture
def held_save(monkeypatch):
    """write_project held at its start until `release` is set; `writing` tells it was reached."""
    import editor.io

    held = SimpleNamespace(writing=threading.Event(), release=threading.Event())
    real_save = editor.io.write_project

    def save(doc, path, **kw):
        held.writing.set()
        assert held.release.wait(10)
        real_save(doc, path, **kw)

    monkeypatch.setattr(editor.io, "write_project", save)
    yield held
    held.release.set()


def test_autosave_writes_on_a_worker_what_the_document_was_when_it_started(make_window, qtbot, held_save):
    """The window goes on while the autosave writes; edits made meanwhile wait for the next one."""
    window = make_window(small_document(), autosave_ms=60_000)
    red = window.document.find_by_name("Red")
    ops.new_layer(window.document, "Before")
    assert window.recovery.autosave() is True
    qtbot.waitUntil(held_save.writing.is_set)  # copied, judged on this thread, now writing
    assert window.recovery.autosave() is False  # one at a time
    red.pixels[:] = (0, 0, 255, 255)  # the user paints on meanwhile
    window.document.notify("pixels", red)
    ops.new_layer(window.document, "After")
    held_save.release.set()
    window.recovery.wait()
    saved = open_document(window.recovery.project_path)
    assert [n.name for n in saved.nodes()] == ["Background", "Red", "Before"]
    assert tuple(saved.find_by_name("Red").pixels[20, 30]) == (230, 30, 30, 255)
    assert window.recovery.autosave() is True  # the later edits make the next autosave
    window.recovery.wait()
    saved = open_document(window.recovery.project_path)
    assert [n.name for n in saved.nodes()][-1] == "After"
    assert tuple(saved.find_by_name("Red").pixels[20, 30]) == (0, 0, 255, 255)


def test_an_edit_during_the_copy_drops_that_autosave_and_it_is_tried_again(make_window, qtbot, monkeypatch):
    """The worker copies the arrays while the user may paint into them: a torn copy is never written."""
    from editor.ui import recovery

    copying, release = threading.Event(), threading.Event()
    real_own_arrays = recovery.own_arrays

    def held_copy(doc):
        copying.set()
        assert release.wait(10)
        real_own_arrays(doc)

    monkeypatch.setattr(recovery, "own_arrays", held_copy)
    monkeypatch.setattr(recovery, "RETRY_MS", 50)
    window = make_window(small_document(), autosave_ms=60_000)
    red = window.document.find_by_name("Red")
    ops.new_layer(window.document)
    assert window.recovery.autosave() is True
    assert copying.wait(10)
    red.pixels[:5] = (0, 255, 0, 255)  # a dab lands in an array being copied
    window.document.notify("pixels", red)
    release.set()
    qtbot.waitUntil(lambda: window.recovery.project_path.exists(), timeout=10_000)  # the retry, by itself
    window.recovery.wait()
    saved = open_document(window.recovery.project_path)
    assert (saved.find_by_name("Red").pixels[:5] == (0, 255, 0, 255)).all()


def test_discard_abandons_an_autosave_in_flight_without_waiting(make_window, qtbot, held_save):
    window = make_window(small_document(), autosave_ms=60_000)
    ops.new_layer(window.document)
    assert window.recovery.autosave() is True
    qtbot.waitUntil(held_save.writing.is_set)
    job = window.recovery._current
    window.recovery.discard()  # returns at once although the writer is held
    assert not window.recovery.writing
    held_save.release.set()
    job.thread.join(10)
    assert not job.thread.is_alive()
    assert not list(window.recovery.folder.iterdir())  # nothing written, no temporary file left


def test_a_failed_autosave_says_so_and_is_tried_again(make_window, tmp_path, qtbot):
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    window = make_window(small_document(), autosave_ms=60_000)
    window.recovery.folder = blocker / "recovery"  # cannot be created: a file is in the way
    ops.new_layer(window.document)
    assert window.recovery.autosave() is True
    window.recovery.wait()
    qtbot.waitUntil(lambda: "Autosave failed" in window.statusBar().currentMessage())
    window.recovery.folder = tmp_path / "recovery"
    assert window.recovery.autosave() is True  # the failure did not count as saved
    window.recovery.wait()
    assert window.recovery.project_path.exists()


def test_clean_close_removes_autosave_and_prompt_can_cancel(make_window, dialogs):
    window = make_window(small_document())
    ops.new_layer(window.document)
    window.recovery.autosave()
    window.recovery.wait()
    dialogs.answers["warning"] = QMessageBox.StandardButton.Cancel
    assert window.close() is False  # cancelled: the window stays with its work
    assert window.recovery.project_path.exists()
    dialogs.answers["warning"] = QMessageBox.StandardButton.Discard
    assert window.close() is True
    assert not window.recovery.project_path.exists()


def test_save_runs_behind_a_progress_dialog_and_cancel_keeps_the_old_file(make_window, tmp_path, qtbot, held_save):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    window = make_window(small_document(), autosave_ms=60_000)
    path = tmp_path / "work.ora"
    held_save.release.set()
    assert window.files.save_as(str(path))
    assert not window.document.modified and window.document.path == str(path)
    before = path.read_bytes()

    ops.new_layer(window.document, "More")
    held_save.release.clear()
    held_save.writing.clear()
    seen = []

    def press_cancel():
        dialog = window.findChild(QProgressDialog)
        seen.append(dialog is not None and dialog.isVisible() and dialog.labelText())
        dialog.findChild(QPushButton).click()
        held_save.release.set()

    QTimer.singleShot(800, press_cancel)  # the dialog shows after 400 ms
    assert window.files.save() is False
    assert seen == ["Saving work.ora"]
    assert path.read_bytes() == before and window.document.modified
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_failed_save_says_why_and_keeps_the_document_modified(make_window, tmp_path, dialogs):
    window = make_window(small_document(), autosave_ms=60_000)
    ops.new_layer(window.document)
    assert window.files.save_as(str(tmp_path / "missing-folder" / "work.ora")) is False
    kind, title, text = dialogs.shown[-1]
    assert kind == "critical" and "work.ora" in text
    assert window.document.modified and window.document.path is None


def test_open_in_new_window_keeps_this_document_and_a_failure_leaves_no_window(make_window, tmp_path, dialogs,
                                                                           monkeypatch, qtbot):
    from editor.ui.main_window import _WINDOWS

    window = make_window(small_document(), autosave_ms=60_000)
    ops.new_layer(window.document, "Unsaved here")
    first = tmp_path / "first.ora"
    second = tmp_path / "second.ora"
    save_document(small_document(), first)
    save_document(small_document(40, 30), second)
    before = window.document

    assert window.files.open_in_new_window(str(first))
    (other,) = _WINDOWS
    qtbot.waitUntil(lambda: other.files.open_job is None)
    assert other.document.path == str(first) and other.isVisible()
    assert window.document is before and window.document.modified  # nothing asked, nothing replaced
    assert other.recovery.folder == window.recovery.folder and other.recovery.token != window.recovery.token

    bad = tmp_path / "broken.ora"
    bad.write_bytes(b"not a zip")
    assert window.files.open_in_new_window(str(bad))  # it starts, fails on the worker, and its window goes
    qtbot.waitUntil(lambda: _WINDOWS == {other})
    assert dialogs.kinds()[-1] == "critical"  # the empty window closed and went

    # File > Open with several files: the first here (after the unsaved prompt), the rest in new windows.
    monkeypatch.setattr(window.files, "_ask_open_paths", lambda title: [str(first), str(second)])
    dialogs.answers["warning"] = QMessageBox.StandardButton.Discard
    assert window.files.open()
    qtbot.waitUntil(lambda: all(w.files.open_job is None for w in [window, *_WINDOWS]))
    assert window.document.path == str(first)
    assert sorted(w.document.width for w in _WINDOWS) == [40, 120]
    for w in list(_WINDOWS):
        w.close()
    qtbot.waitUntil(lambda: not _WINDOWS)


def test_export_png_and_jpeg(make_window, tmp_path):
    window = make_window(small_document())
    png = tmp_path / "out.png"
    assert window.files.export(str(png))
    rgba = open_document(png).layers()[0].pixels
    assert tuple(rgba[20, 30]) == (230, 30, 30, 255)
    jpg = tmp_path / "out.jpg"
    assert window.files.export(str(jpg), ExportOptions(quality=80))
    assert jpg.stat().st_size > 0


def test_paste_and_copy_merged(make_window):
    window = make_window(small_document())
    doc = window.document
    window.clipboard.copy_merged()
    image = QGuiApplication.clipboard().image()
    assert image.size().width() == 120
    assert image.pixelColor(30, 20).red() == 230
    pasted = QImage(10, 6, QImage.Format.Format_RGBA8888)
    pasted.fill(Qt.GlobalColor.green)
    QGuiApplication.clipboard().setImage(pasted)
    assert window.clipboard.paste()
    layer = doc.active
    assert layer.name == "Pasted layer" and layer.pixels.shape == (6, 10, 4)
    assert tuple(layer.pixels[0, 0]) == (0, 255, 0, 255)
    cx, cy = window.clipboard.view_centre()  # from another program: centred in the view
    assert layer.offset == (round(cx - 5), round(cy - 3))


def test_drop_images_as_layers_and_project(make_window, tmp_path, qtbot):
    window = make_window(small_document())
    project = tmp_path / "p.ora"
    save_document(new_document(64, 48), project)
    image = tmp_path / "dot.png"
    QImage(8, 8, QImage.Format.Format_RGB32).save(str(image))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image))])
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)  # the window's handler, as the platform's drag and drop calls it
    qtbot.waitUntil(lambda: window.document.active.name == "dot")  # opened after the drop returns
    window.files.drop([str(project)])
    qtbot.waitUntil(lambda: (window.document.width, window.document.height) == (64, 48))


def test_new_document_backgrounds():
    white = new_document(30, 20)
    assert tuple(white.layers()[0].pixels[5, 5]) == (255, 255, 255, 255) and not white.modified
    clear = new_document(30, 20, background=None)
    assert clear.layers()[0].pixels[..., 3].max() == 0


def test_export_psd_keeps_adjustments_live_and_names_what_it_bakes(make_window, tmp_path, dialogs):
    from editor.core import Adjustment

    doc = small_document()
    doc.root.insert(len(doc.root.children), Adjustment("Curves", "curves", {"master": [[0, 0], [90, 160], [255, 255]]}))
    doc.root.insert(len(doc.root.children), Adjustment("Blur", "gaussian_blur", {"radius": 2.0}))
    window = make_window(doc)
    path = tmp_path / "out.psd"
    assert window.files.export(str(path))
    kind, title, text = dialogs.shown[-1]
    assert kind == "information" and "'Blur'" in text and "Curves" not in text
    back = open_document(path)
    names = {n.name: n for n in back.layers()} | {n.name: n for n in back.root.children}
    assert isinstance(names["Curves"], Adjustment) and names["Curves"].params["master"][1] == [90, 160]
    assert not isinstance(names["Blur"], Adjustment)


def test_open_reads_on_a_worker_with_progress_and_cancel_keeps_the_document(make_window, tmp_path, dialogs,
                                                                            qtbot, monkeypatch):
    """The window stays live while a file is read, the status bar shows progress and Cancel, and
    a cancelled open leaves the open document exactly as it was; the next open then works."""
    import editor.io.files as files

    path = tmp_path / "big.ora"
    project = small_document(64, 48)
    for i in range(4):
        ops.new_layer(project, f"Extra {i}")
    save_document(project, path)
    window = make_window(small_document())
    doc = window.document
    before = [n.name for n in doc.nodes()]

    gate = threading.Event()  # holds the reader at its second layer image until the test lets go
    real_read = files.read_ora

    def slow_read(data, p, limits, progress):
        def held(fraction: float) -> None:
            progress(fraction)
            if fraction > 0:
                gate.wait(10)
                progress(fraction)  # the cancel, if pressed meanwhile, stops the read here
        return real_read(data, p, limits, progress=held)

    monkeypatch.setattr(files, "read_ora", slow_read)
    assert window.files.open(str(path))
    widget = window.jobs.widget
    qtbot.waitUntil(lambda: widget.isVisible() and widget.bar.value() > 0)
    assert widget.label.text() == "Opening big.ora"
    assert window.document is doc  # nothing replaced while it reads
    assert window.files.open(str(path)) is False  # one open at a time
    qtbot.mouseClick(widget.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: window.files.open_job is None)
    assert not widget.isVisible()
    assert window.document is doc and [n.name for n in doc.nodes()] == before
    assert "cancelled" in window.statusBar().currentMessage()
    assert not any(kind == "critical" for kind in dialogs.kinds())

    assert open_file(qtbot, window, path)
    assert window.document.path == str(path)
    assert [n.name for n in window.document.nodes()] == [n.name for n in project.nodes()]


def test_a_krita_document_opens_from_the_filter_a_drop_and_as_layers(make_window, qtbot):
    from pathlib import Path

    from editor.ui.file_actions import OPEN_FILTER

    kra = Path(__file__).parents[1] / "io" / "fixtures" / "foreign" / "krita-native.kra"
    assert "*.kra" in OPEN_FILTER
    window = make_window(small_document())
    before = len(window.document.root.children)
    assert window.files.open_as_layers([str(kra)])
    assert [n.name for n in window.document.root.children[before:]] == ["Background", "Masked"]
    window.files.drop([str(kra)])  # a project: opens as the document
    qtbot.waitUntil(lambda: window.document.path == str(kra))
    assert [n.name for n in window.document.root.children] == ["Background", "Masked"]
