"""The long-operation runner: result, progress, errors and cancel, with the GUI thread free."""

from __future__ import annotations

import threading
import time

from editor.ui.jobs import JobCancelled, JobRunner


def test_job_reports_progress_and_result(qtbot):
    runner = JobRunner()
    progress, done = [], []

    def work(report, cancelled):
        for i in range(5):
            report((i + 1) / 5)
        return threading.get_ident()

    job = runner.run(work, label="Counting", on_done=done.append)
    assert runner.widget.isVisibleTo(runner.widget.parentWidget() or runner.widget) or runner.busy
    runner.widget.bar.valueChanged.connect(progress.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done[0] != threading.get_ident()  # it ran off the GUI thread
    assert job.wait(1)
    assert not runner.busy and runner.widget.isHidden()


def test_cancel_and_errors(qtbot):
    runner = JobRunner()
    cancelled, errors, started = [], [], threading.Event()

    def slow(report, is_cancelled):
        started.set()
        while not is_cancelled():
            time.sleep(0.005)
        raise JobCancelled

    runner.run(slow, on_cancel=lambda: cancelled.append(True))
    assert started.wait(2)
    runner.widget.cancel_button.click()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)

    def broken(report, is_cancelled):
        raise RuntimeError("no memory for the model")

    runner.run(broken, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert "no memory" in str(errors[0])


def test_a_job_ending_after_its_window_is_gone_is_dropped(qtbot):
    """A job cancelled as its window closes may end after the window (and its status bar) is
    deleted: the outcome must be dropped, not delivered to a deleted JobStatusWidget."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    runner = JobRunner(window)
    runner.widget.setParent(window)  # as the main window's status bar holds it
    release, started, outcomes = threading.Event(), threading.Event(), []

    def held(report, is_cancelled):
        started.set()
        release.wait(5)
        report(0.5)
        raise JobCancelled

    job = runner.run(held, on_cancel=lambda: outcomes.append("cancelled"), on_done=outcomes.append)
    assert started.wait(5)
    runner.cancel_all()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, 0)  # DeferredDelete: the window, runner and widget are gone
    qtbot.waitUntil(lambda: not _alive(window))
    release.set()
    assert job.wait(5)
    for _ in range(5):  # what the worker queued is delivered here, if anything still listens
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert outcomes == []


def _alive(obj) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
