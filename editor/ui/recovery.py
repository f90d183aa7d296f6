"""Never lose work: autosave modified documents into a recovery folder, offer them back on start.

Each window owns one token; its autosave is `<token>.ora` beside `<token>.json`
(what the document was called and where it came from). A clean close removes
them; after a crash they remain, and the next start offers to restore them.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from editor.core import Document

DEFAULT_INTERVAL_MS = 3 * 60 * 1000


def default_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".veil") / "recovery"


@dataclass
class RecoveryEntry:
    token: str
    project: Path  # the autosaved .ora
    original_path: str | None
    name: str
    saved_at: float

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        return f"{self.name} (autosaved {when})"


def write_snapshot(doc: Document, path: Path) -> None:
    """Save a copy of the document without making it clean or changing its path."""
    from editor.io import save_document

    path_before, clean_before = doc.path, doc.history.clean_index
    try:
        save_document(doc, path)
    finally:
        doc.path, doc.history.clean_index = path_before, clean_before


class RecoveryManager(QObject):
    def __init__(self, window, folder: Path | None = None, interval_ms: int = DEFAULT_INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.folder = Path(folder) if folder is not None else default_folder()
        self.token = uuid.uuid4().hex
        self._saved_state: tuple[int, int, int] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    @property
    def project_path(self) -> Path:
        return self.folder / f"{self.token}.ora"

    @property
    def info_path(self) -> Path:
        return self.folder / f"{self.token}.json"

    def autosave(self) -> bool:
        """Write the document when it changed since the last autosave; True when written."""
        doc: Document | None = self.window.document
        if doc is None or not doc.modified:
            return False
        state = (id(doc), doc.history.index, len(doc.history.steps))
        if state == self._saved_state:
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            write_snapshot(doc, self.project_path)
        except Exception as err:  # autosave must never interrupt the user; say it in the status bar
            self.window.show_status(f"Autosave failed: {err}", 8000)
            return False
        info = {"name": self.window.document_name(), "original_path": doc.path, "saved_at": time.time(), "pid": os.getpid()}
        self.info_path.write_text(json.dumps(info), encoding="utf-8")
        self._saved_state = state
        return True

    def discard(self) -> None:
        """The work is safe (saved, or knowingly thrown away): remove this window's autosave."""
        for path in (self.project_path, self.info_path):
            path.unlink(missing_ok=True)
        self._saved_state = None

    def entries(self) -> list[RecoveryEntry]:
        """Autosaves left by other windows (crashed sessions), newest first."""
        found = []
        for info_path in self.folder.glob("*.json"):
            token = info_path.stem
            project = self.folder / f"{token}.ora"
            if token == self.token or not project.exists():
                continue
            try:
                info = json.loads(info_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found.append(RecoveryEntry(token, project, info.get("original_path"), info.get("name", project.name), float(info.get("saved_at", 0))))
        return sorted(found, key=lambda e: e.saved_at, reverse=True)

    def restore(self, entry: RecoveryEntry) -> Document:
        """Open an autosave as a modified document; this window takes its files over."""
        from editor.io import open_document

        doc = open_document(entry.project)
        doc.path = entry.original_path
        doc.history.clean_index = None  # unsaved work: the user must save it somewhere
        self.discard()
        self.token = entry.token
        return doc

    def forget(self, entry: RecoveryEntry) -> None:
        for path in (entry.project, self.folder / f"{entry.token}.json"):
            path.unlink(missing_ok=True)
