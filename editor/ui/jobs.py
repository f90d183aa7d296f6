"""Long operations off the GUI thread, with progress and cancel in the status bar.

    def grabcut(progress, cancelled):
        for i in range(5):
            if cancelled():
                raise JobCancelled
            ...
            progress(i / 5)
        return mask

    window.jobs.run(grabcut, label="Object select", on_done=apply_mask)

The function runs in a QThreadPool worker; `progress(fraction)` may be called
from it at any rate (updates are sent to the GUI thread as signals), and
`cancelled()` turns True when the user presses Cancel. `on_done(result)`,
`on_error(exception)` and `on_cancel()` run on the GUI thread. The document
must not be changed from the worker: compute there, apply in `on_done`.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QToolButton,
    QWidget,
)

from .icons import icon


class JobCancelled(Exception):
    """Raise from a job function to stop early after `cancelled()` turned True."""


class _Signals(QObject):
    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], label: str) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.label = fn, label
        self.signals = _Signals()
        self._cancel = threading.Event()
        self._done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker finished (for tests and shutdown); True when it did."""
        return self._done.wait(timeout)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self._cancel.is_set)
        except JobCancelled:
            self.signals.cancelled.emit()
        except Exception as err:  # reported to the user on the GUI thread
            err.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(err)
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        finally:
            self._done.set()


class _Delivery(QObject):
    """Brings one job's progress and outcome to its runner on the GUI thread.

    A child of the runner, connected by its own methods (not lambdas), so Qt drops what is still
    queued when the runner's window is destroyed: a job cancelled as its window closed may end
    after the window is gone, and delivering that touched a deleted status-bar widget.
    """

    def __init__(self, runner: JobRunner, job: Job, on_done: Callable | None, on_error: Callable | None,
                 on_cancel: Callable | None) -> None:
        super().__init__(runner)
        self.runner, self.job = runner, job
        self.on_done, self.on_error, self.on_cancel = on_done, on_error, on_cancel

    def progress(self, fraction: float) -> None:
        self.runner.widget.set_progress(fraction)

    def finished(self, result: Any) -> None:
        self._end(self.on_done, result)

    def failed(self, err: Exception) -> None:
        self._end(self.on_error, err)

    def cancelled(self) -> None:
        self._end(self.on_cancel)

    def _end(self, callback: Callable | None, *args: Any) -> None:
        self.setParent(None)  # delivered: nothing more comes from this job
        self.runner._end(self.job, callback, *args)


class JobRunner(QObject):
    """Runs jobs one at a time per runner and shows the current one in a status-bar widget."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.widget = JobStatusWidget()
        self.widget.cancel_button.clicked.connect(self.cancel_all)
        self.jobs: list[Job] = []

    def run(
        self,
        fn: Callable[[Callable[[float], None], Callable[[], bool]], Any],
        *,
        label: str = "Working",
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> Job:
        job = Job(fn, label)
        job.delivery = delivery = _Delivery(self, job, on_done, on_error, on_cancel)
        job.signals.progress.connect(delivery.progress)
        job.signals.finished.connect(delivery.finished)
        job.signals.failed.connect(delivery.failed)
        job.signals.cancelled.connect(delivery.cancelled)
        self.jobs.append(job)
        self.widget.start(label)
        self.pool.start(job)
        return job

    def _end(self, job: Job, callback: Callable | None, *args: Any) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        if self.jobs:
            self.widget.start(self.jobs[-1].label)
        else:
            self.widget.stop()
        if callback is not None:
            callback(*args)

    def cancel_all(self) -> None:
        for job in self.jobs:
            job.cancel()

    @property
    def busy(self) -> bool:
        return bool(self.jobs)


# What makes a command built in a worker out of date: any change to what it read.
STALE_KINDS = ("pixels", "mask", "property", "structure", "selection", "document", "paths")


def run_command(
    jobs: JobRunner,
    doc,
    label: str,
    make: Callable[[Callable[[float], None]], Any],
    *,
    status: Callable[..., None],
    done: Callable[[Any], None] | None = None,
    ended: Callable[[], None] | None = None,
    still_current: Callable[[], bool] = lambda: True,
) -> Job:
    """Build a document command in a worker (`make(progress)`, reading `doc`, changing nothing) and
    execute it as one step when it is done (or hand it to `done(cmd)`).

    A change to the document meanwhile (or `still_current()` turning False: another document is
    shown) drops the result, since it was built on what no longer is; Cancel stops `make` at its
    next progress call. `ended()` runs first whatever the outcome; `status(text, ms)` tells the user.
    """
    stale = {"changed": False}

    def listen(change) -> None:
        if change.kind in STALE_KINDS:
            stale["changed"] = True

    doc.events.connect(listen)

    def work(progress, cancelled):
        def report(fraction: float) -> None:
            if cancelled():
                raise JobCancelled
            progress(fraction)

        return make(report)

    def finish() -> None:
        doc.events.disconnect(listen)
        if ended is not None:
            ended()

    def finished(cmd) -> None:
        finish()
        if stale["changed"] or not still_current():
            status(f"{label} was dropped: the document changed while it ran; run it again", 6000)
        elif cmd is None:
            status(f"{label}: nothing to change")
        elif done is not None:
            done(cmd)
        else:
            doc.execute(cmd, mergeable=False)

    def failed(err: Exception) -> None:
        finish()
        status(f"{label} failed: {err}", 8000)

    def cancelled() -> None:
        finish()
        status(f"{label} cancelled")

    return jobs.run(work, label=label, on_done=finished, on_error=failed, on_cancel=cancelled)


class _Waker(QObject):
    done = Signal()


def run_with_progress(parent: QWidget, label: str, fn: Callable[[Callable[[], bool]], Any]) -> Any:
    """Run `fn(cancelled)` on a worker thread behind a window-modal progress dialog with Cancel.

    For work the user waits for (saving): the window keeps repainting but takes no input, so
    the document cannot change meanwhile. Returns what `fn` returned, or raises what it raised,
    here on the GUI thread. The dialog only appears when the work takes longer than a moment.
    """
    cancel = threading.Event()
    outcome: dict[str, Any] = {}
    waker = _Waker()
    loop = QEventLoop()
    waker.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def work() -> None:
        try:
            outcome["result"] = fn(cancel.is_set)
        except BaseException as err:  # handed to the GUI thread as it is
            outcome["error"] = err
        finally:
            waker.done.emit()

    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(label)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.canceled.connect(cancel.set)
    appear = QTimer(dialog)
    appear.setSingleShot(True)
    appear.timeout.connect(dialog.show)
    appear.start(400)
    worker = threading.Thread(target=work, name=label, daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    appear.stop()
    dialog.canceled.disconnect(cancel.set)
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


class JobStatusWidget(QWidget):
    """Label, progress bar and cancel button; hidden while nothing runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("close-circle-outline"))
        self.cancel_button.setToolTip("Cancel")
        self.cancel_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, label: str) -> None:
        self.label.setText(label)
        self.bar.setValue(0)
        self.show()

    def set_progress(self, fraction: float) -> None:
        self.bar.setValue(round(max(0.0, min(1.0, fraction)) * 1000))

    def stop(self) -> None:
        self.hide()
