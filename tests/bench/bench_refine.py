"""Refine Edge's first use in a fresh process (issue 16): numba's cache emptied (a first launch
after installing) against the warm figure, with the start-up warm-up `veil` runs.

Each run is a new process (tests/bench/refine_first_use_probe.py) with a NUMBA_CACHE_DIR of its
own, so pymatting's kernels and Veil's compile from nothing; the warm figure is the median of
the calls after the first in the same processes."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .harness import record

ROOT = Path(__file__).resolve().parents[2]
RUNS = 3


def _probe(cache: Path, warm_up: str) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "tests.bench.refine_first_use_probe", "--warm-up", warm_up],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=1800)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 1)


def bench_refine_edge_first_use():
    """The first Refine Edge (1.3 MP hair scene, radius 8, decontaminate) once the start-up warm-up
    is done, numba's cache empty, against the warm calls; goal at most 2x. Beside it: the same
    first call without any warm-up (compiling inside the call, as before), the warm-up's own wall
    time (a Refine Edge started sooner waits for the rest of it), and the next launches (cache
    filled): the warm-up then, and a first Refine Edge started at once, racing the warm-up."""
    with tempfile.TemporaryDirectory(prefix="veil-numba-") as tmp:
        caches = [Path(tmp) / f"cold-{n}" for n in range(RUNS + 1)]
        for cache in caches:
            cache.mkdir()
        unwarmed = _probe(caches[-1], "none")
        cold = [_probe(cache, "join") for cache in caches[:RUNS]]
        cached = [_probe(caches[0], "join") for _ in range(RUNS)]
        racing = [_probe(caches[0], "race") for _ in range(RUNS)]
    first, warm = _median(cold, "first_ms"), _median(cold + cached, "warm_ms")
    return record("refine_edge_first_use", first, "the warm call (same processes, median)", warm,
                  ratio=round(first / warm, 2), goal_ratio=2.0,
                  first_cpu_ms=_median(cold, "first_cpu_ms"), warm_cpu_ms=_median(cold + cached, "warm_cpu_ms"),
                  cold_warm_up_ms=_median(cold, "warm_up_ms"), cold_first_without_warm_up_ms=unwarmed["first_ms"],
                  cached_warm_up_ms=_median(cached, "warm_up_ms"), cached_first_ms=_median(cached, "first_ms"),
                  cached_first_racing_warm_up_ms=_median(racing, "first_ms"))
