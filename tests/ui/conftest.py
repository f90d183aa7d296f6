"""Fixtures for driving the real main window: private settings, recorded dialogs, a window factory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.core import Document, Layer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "sample.ora"


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    """Recent files and window layout go to a temporary folder, not the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()


class Dialogs:
    """QMessageBox calls recorded instead of blocking; `answers` gives the button to return.

    By default the unsaved-changes prompt (a warning) answers Discard, so closing a
    window at the end of any UI test never blocks on a modal dialog.
    """

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answers: dict[str, QMessageBox.StandardButton] = {"warning": QMessageBox.StandardButton.Discard}

    def record(self, kind: str):
        def show(parent, title, text, *args, **kwargs):
            self.shown.append((kind, title, text))
            return self.answers.get(kind, QMessageBox.StandardButton.Ok)

        return show

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.shown]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch) -> Dialogs:
    d = Dialogs()
    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(d.record(kind)))

    def exec_box(box):
        d.shown.append(("box", box.windowTitle(), box.text()))
        return d.answers.get("box", QMessageBox.StandardButton.No)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return d


@pytest.fixture
def make_window(qtbot, tmp_path, dialogs):
    """Build real main windows sharing one recovery folder."""
    from editor.ui.main_window import MainWindow

    def make(document: Document | None = None, **kw) -> MainWindow:
        kw.setdefault("recovery_folder", tmp_path / "recovery")
        window = MainWindow(document=document, **kw)
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        window.canvas.fit()
        return window

    yield make


def open_file(qtbot, window, path) -> bool:
    """File > Open of `path`, waiting for the worker that reads it; True when it opened."""
    outcome: list[bool] = []
    if not window.files.open(str(path), on_opened=outcome.append):
        return False
    qtbot.waitUntil(lambda: bool(outcome), timeout=30_000)
    return outcome[0]


def small_document(w: int = 120, h: int = 80) -> Document:
    """Background (blue) under a red square layer at (20, 10)."""
    doc = Document(w, h)
    bg = np.zeros((h, w, 4), np.uint8)
    bg[...] = (20, 40, 200, 255)
    top = np.zeros((30, 40, 4), np.uint8)
    top[...] = (230, 30, 30, 255)
    doc.root.insert(0, Layer("Background", bg))
    red = Layer("Red", top, offset=(20, 10))
    doc.root.insert(1, red)
    doc.active = red
    return doc


def send_mouse(widget, kind: QEvent.Type, pos: QPoint, button=Qt.MouseButton.LeftButton,
               buttons=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A real QMouseEvent with explicit button state (QTest's moves carry no buttons)."""
    local = QPointF(pos)
    event = QMouseEvent(kind, local, QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def mouse_drag(widget, start: QPoint, end: QPoint, steps: int = 6, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    send_mouse(widget, QEvent.Type.MouseButtonPress, start, modifiers=modifiers)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        send_mouse(widget, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, modifiers)
    send_mouse(widget, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton, modifiers)


def activate(qtbot, window) -> None:
    """Make the window active so its keyboard shortcuts fire (offscreen needs the explicit request)."""
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


class ToolHost:
    """What the tools use of the main window: the document, the canvas and the colours."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.document = canvas.document
        self.jobs = None
        self.foreground = QColor(255, 255, 255)
        self.background = QColor(0, 0, 0)
        self.messages: list[str] = []

    def show_status(self, text: str, timeout_ms: int = 3000) -> None:
        self.messages.append(text)

    def selected_layers(self):
        return [self.document.active] if self.document.active is not None else []


def tool_canvas(qtbot, doc: Document, zoom: float):
    """A real Canvas showing `doc` at `zoom`, its origin off the widget's corner so mapping is exercised."""
    from editor.ui.canvas import Canvas

    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(640, 480)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_document(doc)
    canvas.set_zoom(zoom, QPointF(0, 0))
    canvas.view.origin = QPointF(12.0, 9.0)
    return canvas
