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
