"""One fresh process's first Refine Edge (run by bench_refine.bench_refine_edge_first_use, with the
NUMBA_CACHE_DIR it chooses: empty for a first launch, filled for the next ones).

`--warm-up join`: the editor's start-up warm-up (editor.app.warm_up_in_background, as `veil`
starts it) finishes, then the user's first Refine Edge; `--warm-up race`: the first Refine Edge
at start-up, while the warm-up runs; `--warm-up none`: no warm-up at all (the old first use).
Prints one JSON line: the warm-up's and the first call's wall time, and the median of the next
calls in the same process (the warm figure); the calls' CPU time too (all threads: on a shared
machine, what the call itself cost; with `race` it includes the warm-up's)."""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm-up", choices=("join", "race", "none"), required=True)
    parser.add_argument("--again", type=int, default=3, help="warm calls after the first")
    args = parser.parse_args()
    t_start = time.perf_counter()
    thread = None
    if args.warm_up != "none":
        from editor.app import warm_up_in_background

        thread = warm_up_in_background()
    # The scene is made while the warm-up runs, as the user opens a photo and masks it meanwhile.
    from tests.masks.scenes import hair_scene

    scene = hair_scene(1000, 1300, 0)
    hard = ((scene.alpha >= 0.5) * 255).astype(np.uint8)
    warm_up_ms = None
    if thread is not None and args.warm_up == "join":
        thread.join()
        warm_up_ms = (time.perf_counter() - t_start) * 1000
    from editor.masks.refine import RefineParams, refine_edge

    params = RefineParams(radius=8, decontaminate=True)  # both solvers: matting and decontamination
    t0, c0 = time.perf_counter(), time.process_time()
    refine_edge(scene.image, hard, params)
    first_ms, first_cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    if thread is not None and args.warm_up == "race":
        thread.join()
        warm_up_ms = (time.perf_counter() - t_start) * 1000
    again, again_cpu = [], []
    for _ in range(args.again):
        t0, c0 = time.perf_counter(), time.process_time()
        refine_edge(scene.image, hard, params)
        again.append((time.perf_counter() - t0) * 1000)
        again_cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({"first_ms": round(first_ms, 1), "warm_ms": round(statistics.median(again), 1),
                      "first_cpu_ms": round(first_cpu_ms, 1), "warm_cpu_ms": round(statistics.median(again_cpu), 1),
                      "warm_up_ms": None if warm_up_ms is None else round(warm_up_ms, 1)}))


if __name__ == "__main__":
    main()
