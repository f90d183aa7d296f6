"""Timing helpers shared by the benchmark modules.

Each module `tests/bench/bench_<area>.py` defines functions named `bench_*`
that return one record or a list of records built with `record(...)`.
Figures are medians of several runs in the same process, each beside the
same-run figure of what a user would otherwise reach for.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_ms(fn: Callable[[], Any], repeat: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def cpu_median_ms(fn: Callable[[], Any], repeat: int = 7, warmup: int = 0) -> float:
    """Median CPU time over all threads per call: on a shared machine the wall clock mostly
    measures the neighbours; this is what the code itself costs (CPU / 2 with both cores)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append((time.process_time() - t0) * 1000.0)
    return round(statistics.median(times), 3)


def percentile_ms(samples_ms: list[float], pct: float) -> float:
    ordered = sorted(samples_ms)
    k = min(len(ordered) - 1, max(0, round(pct / 100.0 * (len(ordered) - 1))))
    return ordered[k]


def record(name: str, median: float, baseline: str | None, baseline_median: float | None, budget_ms: float | None = None, **extra: Any) -> dict[str, Any]:
    """One row of bench-results.json; `extra` holds quality figures (SAD, IoU, bytes...)."""
    row: dict[str, Any] = {"name": name, "median_ms": round(median, 3), "baseline": baseline,
                           "baseline_median_ms": None if baseline_median is None else round(baseline_median, 3)}
    if budget_ms is not None:
        row["budget_ms"] = budget_ms
    row.update(extra)
    return row


VIEW_W, VIEW_H = 1600, 1000  # the canvas size the UI benches measure at


def fitted_canvas(doc, size: tuple[int, int] = (VIEW_W, VIEW_H)):
    """A shown Canvas (editor.ui) of `size` with `doc` on it at fit zoom, painted once: where a UI
    bench starts, as the window shows a document it has just opened (needs a QApplication)."""
    from PySide6.QtWidgets import QApplication

    from editor.ui.canvas import Canvas

    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    canvas.resize(*size)
    canvas.show()
    app.processEvents()
    canvas.set_document(doc)
    canvas.fit()
    canvas.repaint()
    return canvas
