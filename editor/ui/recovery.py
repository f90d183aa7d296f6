"""Never lose work: autosave modified documents into a recovery folder, offer them back on start.

Each window owns one token; its autosave is `<token>.ora` beside `<token>.json`
(what the document was called and where it came from). A clean close removes
them; after a crash they remain, and the next start offers to restore them.

An autosave never holds the window for long: the GUI thread copies only the
layer tree (microseconds); a worker thread copies the pixel and mask arrays
(about a second per GB) and then encodes and writes them (tens of seconds for
a big project). Whether the arrays changed while the worker copied them is
judged back on the GUI thread, where every edit happens and announces itself
with a Change event: if one came, the copy may be torn, so it is dropped and
the autosave tried again a little later. The file is replaced atomically: a
crash mid-write leaves the previous autosave.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from editor.core import Document
from editor.core.ops import own_arrays, snapshot_document

DEFAULT_INTERVAL_MS = 3 * 60 * 1000
RETRY_MS = 10_000  # after an autosave dropped because the user was editing


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


class _Autosave:
    """One autosave in flight, shared by the GUI thread and its worker."""

    def __init__(self, copy: Document, state: tuple, info: dict, project: Path, info_path: Path, changes: int,
                 work: Callable[[_Autosave], None]) -> None:
        self.copy, self.state, self.info = copy, state, info
        self.project, self.info_path = project, info_path
        self.changes_at_start = changes
        self.copied = threading.Event()  # the worker has its own arrays now
        self.judged = threading.Event()  # the GUI thread said whether to write them
        self.go = False
        self.abandoned = threading.Event()  # the work is safe another way: write nothing
        self.error = ""
        self.ended = False
        # daemon: quitting never waits for an autosave (the atomic write leaves the old one)
        self.thread = threading.Thread(target=work, args=(self,), name="autosave", daemon=True)


class RecoveryManager(QObject):
    # an _Autosave: sent by the worker, received on the GUI thread
    _copied = Signal(object)
    _ended = Signal(object)

    def __init__(self, window, folder: Path | None = None, interval_ms: int = DEFAULT_INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.folder = Path(folder) if folder is not None else default_folder()
        self.token = uuid.uuid4().hex
        self._saved_state: tuple[int, int, int] | None = None
        self._current: _Autosave | None = None
        self._watched: Document | None = None
        self._changes = 0  # Change events seen from the watched document
        self._copied.connect(self._judge)
        self._ended.connect(self._end)
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
        """Start an autosave when the document changed since the last one; True when started.

        At most one runs at a time; `wait()` blocks until it is done."""
        doc: Document | None = self.window.document
        if doc is None or not doc.modified or self.writing:
            return False
        state = (id(doc), doc.history.index, len(doc.history.steps))
        if state == self._saved_state:
            return False
        self._watch(doc)
        info = {"name": self.window.document_name(), "original_path": doc.path, "pid": os.getpid()}
        job = _Autosave(snapshot_document(doc, copy_arrays=False), state, info, self.project_path, self.info_path,
                        self._changes, self._work)
        self._current = job
        self._saved_state = state  # taken back if the autosave is dropped or fails
        job.thread.start()
        return True

    @property
    def writing(self) -> bool:
        return self._current is not None

    def wait(self) -> None:
        """Block until the autosave in flight (if any) is on disk, dropped or failed (GUI thread only)."""
        job = self._current
        if job is None:
            return
        job.copied.wait()
        self._judge(job)
        job.thread.join()
        self._end(job)

    def _watch(self, doc: Document) -> None:
        if self._watched is not doc:
            if self._watched is not None:
                self._watched.events.disconnect(self._count_change)
            doc.events.connect(self._count_change)
            self._watched = doc

    def _count_change(self, change) -> None:
        # Any change may have written into an array the worker is copying, except these two,
        # whose data (the selection, the active layer) the snapshot does not share.
        if change.kind not in ("active", "selection"):
            self._changes += 1

    def _work(self, job: _Autosave) -> None:
        """The worker: copy the arrays, wait for the GUI thread's verdict, write."""
        from editor.io import SaveCancelled, write_project
        from editor.io.atomic import atomic_write

        try:
            own_arrays(job.copy)
        except MemoryError as err:
            job.error = f"not enough memory to copy the document ({err})"
        job.copied.set()
        self._copied.emit(job)
        job.judged.wait()
        if job.go and not job.error:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_project(job.copy, job.project, cancelled=job.abandoned.is_set)
                with atomic_write(job.info_path) as f:
                    f.write(json.dumps({**job.info, "saved_at": time.time()}).encode("utf-8"))
            except SaveCancelled:
                pass
            except Exception as err:  # autosave must never interrupt the user; said in the status bar
                job.error = str(err) or type(err).__name__
        job.copy = None  # the memory goes back now, not when the GUI thread gets round to it
        if job.abandoned.is_set():  # discarded while writing: take back what landed
            for path in (job.project, job.info_path):
                path.unlink(missing_ok=True)
        self._ended.emit(job)

    def _judge(self, job: _Autosave) -> None:
        """On the GUI thread, once the worker has copied: write only if no edit came meanwhile."""
        if job.judged.is_set():
            return
        job.go = not job.abandoned.is_set() and self._changes == job.changes_at_start
        job.judged.set()
        if not job.go and not job.abandoned.is_set():
            self._take_back(job)
            QTimer.singleShot(RETRY_MS, self, self.autosave)  # self as context: none once the window is gone

    def _end(self, job: _Autosave) -> None:
        """On the GUI thread, once the worker is done (from its signal, or from `wait`: once)."""
        if job.ended:
            return
        job.ended = True
        if self._current is job:
            self._current = None
        if job.error and not job.abandoned.is_set():
            self.window.show_status(f"Autosave failed: {job.error}", 8000)
            self._take_back(job)

    def _take_back(self, job: _Autosave) -> None:
        if self._saved_state == job.state:
            self._saved_state = None

    def discard(self) -> None:
        """The work is safe (saved, or knowingly thrown away): remove this window's autosave.

        An autosave in flight is abandoned, not waited for: it stops between layers and
        removes anything it wrote."""
        job = self._current
        if job is not None:
            job.abandoned.set()
            self._judge(job)  # before the worker's copy is judged: drop it
            self._current = None
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
