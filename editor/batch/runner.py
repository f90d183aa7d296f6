"""Running a recipe over many images without ever losing work.

- A manifest (out_dir/.veil-batch/manifest.jsonl) records each finished image under the
  hash of its content and of the recipe: a rerun skips what is done (`force` redoes it).
  It is appended (and fsynced) by the driver only after all of an image's outputs are
  written, each atomically under its final name: an image cut off midway leaves no file
  under a final name that is not whole, and no manifest line, so a rerun simply redoes it.
- A bad or unreadable image gets a line in the report and the batch goes on.
- Where: in this process (jobs=1), a process pool (jobs=N), or a Dask distributed cluster
  (`scheduler` address or `cluster="local:N"`); Dask re-runs the image of a worker that
  dies on another worker, and the atomic writes make that retry invisible.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .recipe import Recipe
from .steps import mask_path, output_paths, process_image

MANIFEST = Path(".veil-batch") / "manifest.jsonl"
POOL_RETRIES = 2  # times an image is retried when its pool worker dies


@dataclass
class Job:
    src: Path
    key: str  # input content hash + recipe hash
    outputs: list[Path]


@dataclass
class BatchReport:
    done: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        rate = len(self.done) / self.seconds * 60 if self.seconds > 0 and self.done else 0.0
        text = f"{len(self.done)} done, {len(self.skipped)} skipped (done before), {len(self.failed)} failed " \
               f"in {self.seconds:.1f} s"
        return text + (f" ({rate:.1f} images/min)" if rate else "")

    def entries(self) -> list[dict[str, Any]]:
        """Every image finished now or before, in input order."""
        return sorted(self.done + self.skipped, key=lambda e: e.get("order", 0))


# --- the manifest ------------------------------------------------------------------------------

class Manifest:
    """Append-only JSON lines; a torn last line (a kill mid-append) is ignored on reading."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                with contextlib.suppress(json.JSONDecodeError, KeyError, TypeError):
                    entry = json.loads(line)
                    self.entries[entry["key"]] = entry

    def done(self, key: str) -> dict[str, Any] | None:
        entry = self.entries.get(key)
        if entry is None or not all(Path(p).exists() for p in entry["outputs"]):
            return None  # an output deleted since: do it again
        return entry

    def record(self, entry: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, separators=(",", ":")) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        self.entries[entry["key"]] = entry


def content_hash(src: Path, recipe: Recipe) -> str:
    """The image's bytes (and its mask file's, for a mask beside each image) and the recipe."""
    h = hashlib.sha256()
    with open(src, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    mask = recipe.get("mask")
    if mask and mask["generator"] == "file":
        with contextlib.suppress(OSError):
            h.update(mask_path(src, mask["pattern"]).read_bytes())
    return f"{h.hexdigest()[:32]}-{recipe.hash[:16]}"


def sweep_partials(paths: Iterable[Path]) -> int:
    """Remove the temporary files an atomic write cut off by a kill left beside `paths`."""
    removed = 0
    for path in paths:
        if path.parent.is_dir():
            for tmp in path.parent.glob(f".{path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed += 1
    return removed


# --- workers -----------------------------------------------------------------------------------

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
REUSE_BELOW = 32 << 20  # glibc's largest mmap threshold: freed blocks below it are reused
KEEP_FREE = 512 << 20  # freed memory at the heap's top kept for the next image
_malloc_set = False


def keep_freed_memory() -> None:
    """Let glibc's malloc reuse the memory of one image's temporaries for the next. Dask starts
    its workers with MALLOC_TRIM_THRESHOLD_=65536, which (as any explicit threshold does) fixes
    the mmap threshold at 128 kB: every temporary past that (a tile's matting system, a crop,
    a row buffer) is a fresh mapping, page-faulted in and unmapped again. The page faults were a
    quarter of a worker's CPU on the 12 MP bench (510 ms of kernel time per image, 106 ms with
    this), and two workers faulting at once slow each other in the kernel. Numpy's large arrays
    (past 32 MB) still map and unmap; those it backs by huge pages. No-op where it is not glibc."""
    global _malloc_set
    if _malloc_set:
        return
    _malloc_set = True
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(M_MMAP_THRESHOLD, REUSE_BELOW)
        libc.mallopt(M_TRIM_THRESHOLD, KEEP_FREE)


def one_thread() -> None:
    """One core per worker: the pool (or cluster) already uses every core; and malloc that keeps
    the memory it frees (keep_freed_memory)."""
    keep_freed_memory()
    with contextlib.suppress(Exception):
        import numba

        numba.set_num_threads(1)
    with contextlib.suppress(Exception):
        import cv2

        cv2.setNumThreads(1)


def run_one(src: str, out_dir: str, recipe: Recipe) -> dict[str, Any]:
    """A worker's task: {"ok": result dict} or {"error": reason}. Never raises for a bad image,
    so neither the pool nor Dask retries what cannot succeed."""
    one_thread()
    try:
        result = process_image(src, out_dir, recipe)
    except MemoryError:
        return {"error": f"{src}: out of memory"}
    except Exception as e:  # noqa: BLE001 - any failure of one image is that image's report line
        return {"error": f"{src}: {e}" if str(src) in str(e) else f"{src}: {e}"}
    return {"ok": {"outputs": result.outputs, "size": list(result.size), "uncertainty": result.uncertainty,
                   "seconds": result.seconds, "cpu_seconds": result.cpu_seconds, "peak_mb": peak_mb(), "worker": os.getpid(),
                   "annotation": result.annotation}}


def peak_mb() -> int:
    """This process's peak resident memory so far, in MiB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# --- planning and running ----------------------------------------------------------------------

def expand(inputs: Sequence[str | Path]) -> list[Path]:
    from editor.masks.batch import expand_inputs

    return [p for p in expand_inputs([str(i) for i in inputs]) if not p.name.endswith(".mask.png")]


def plan(inputs: Sequence[Path], out_dir: Path, recipe: Recipe, manifest: Manifest, force: bool,
         report: BatchReport) -> list[Job]:
    todo = []
    for order, src in enumerate(inputs):
        try:
            key = content_hash(src, recipe)
        except OSError as e:
            report.failed.append((str(src), f"{src}: cannot read it ({e.strerror or e})"))
            continue
        entry = None if force else manifest.done(key)
        if entry is not None:
            report.skipped.append({**entry, "order": order, "input": str(src)})
            continue
        todo.append(Job(src, key, output_paths(src, out_dir, recipe)))
    return todo


Progress = Callable[[int, int], None]  # done, total


def run_batch(inputs: Sequence[str | Path], out_dir: str | Path, recipe: Recipe, *, jobs: int = 1,
              scheduler: str | None = None, cluster: str | None = None, client: Any = None,
              force: bool = False, progress: Progress | None = None,
              cancelled: Callable[[], bool] = lambda: False) -> BatchReport:
    """Run `recipe` over `inputs` (files or folders) into `out_dir`; see the module note."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = expand(inputs)
    order = {str(p): i for i, p in enumerate(files)}
    manifest = Manifest(out_dir)
    report = BatchReport()
    todo = plan(files, out_dir, recipe, manifest, force, report)
    sweep_partials(p for job in todo for p in job.outputs)
    total = len(todo)
    finished = 0
    if progress is not None:
        progress(0, total)

    def finish(job: Job, outcome: dict[str, Any]) -> None:
        nonlocal finished
        finished += 1
        if "error" in outcome:
            report.failed.append((str(job.src), outcome["error"]))
        else:
            entry = {"key": job.key, "input": str(job.src), **outcome["ok"]}
            manifest.record(entry)  # after every output is in place under its final name
            report.done.append({**entry, "order": order.get(str(job.src), 0)})
        if progress is not None:
            progress(finished, total)

    if todo:
        if scheduler or cluster or client is not None:
            _run_dask(todo, out_dir, recipe, finish, scheduler=scheduler, cluster=cluster, client=client,
                      cancelled=cancelled)
        elif jobs > 1 and len(todo) > 1:
            _run_pool(todo, out_dir, recipe, finish, jobs, cancelled)
        else:
            for job in todo:
                if cancelled():
                    break
                finish(job, run_one(str(job.src), str(out_dir), recipe))
    sweep_partials(p for job in todo for p in job.outputs)
    _write_labels(out_dir, recipe, report)
    report.seconds = time.perf_counter() - t0
    return report


def _run_pool(todo: list[Job], out_dir: Path, recipe: Recipe, finish, workers: int, cancelled) -> None:
    """A process pool; when a worker dies (the pool breaks), the images not finished yet go to a
    new pool, each at most POOL_RETRIES times."""
    pending = list(todo)
    tries: dict[str, int] = {}
    while pending and not cancelled():
        retry: list[Job] = []
        # spawn, not fork: a parent that already ran numba's OpenMP threads cannot fork safely.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(pending)), initializer=one_thread,
                                 mp_context=context) as pool:
            futures = {pool.submit(run_one, str(job.src), str(out_dir), recipe): job for job in pending}
            try:
                for future in as_completed(futures):
                    job = futures.pop(future)
                    finish(job, future.result())
                    if cancelled():
                        for f in futures:
                            f.cancel()
                        break
            except BrokenProcessPool:
                for f, job in futures.items():
                    if f.done() and not f.cancelled() and f.exception() is None:
                        finish(job, f.result())
                        continue
                    tries[job.key] = tries.get(job.key, 0) + 1
                    if tries[job.key] > POOL_RETRIES:
                        finish(job, {"error": f"{job.src}: its worker process died {tries[job.key]} times"})
                    else:
                        retry.append(job)
        pending = retry


def parse_cluster(spec: str) -> int:
    kind, _, count = spec.partition(":")
    if kind != "local" or not count.isdigit() or int(count) < 1:
        raise ValueError(f"--cluster is local:N (N worker processes on this machine), not {spec!r}")
    return int(count)


def local_cluster(workers: int):
    """A Dask LocalCluster of `workers` single-threaded processes on loopback, no dashboard."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None, protocol="tcp", silence_logs=40)


def _run_dask(todo: list[Job], out_dir: Path, recipe: Recipe, finish, *, scheduler, cluster, client, cancelled) -> None:
    from distributed import Client
    from distributed import as_completed as dask_completed

    made_cluster = made_client = None
    try:
        if client is None:
            if cluster:
                made_cluster = local_cluster(parse_cluster(cluster))
                made_client = Client(made_cluster)
            else:
                made_client = Client(scheduler, timeout="20s")
            client = made_client
        futures = {}
        for job in todo:
            # pure=False: every submission runs; a worker lost mid-image has its task re-run elsewhere.
            future = client.submit(run_one, str(job.src), str(out_dir), recipe, pure=False,
                                   key=f"veil-batch-{job.key}-{time.monotonic_ns()}")
            futures[future] = job
        for future in dask_completed(list(futures)):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as e:  # noqa: BLE001 - e.g. KilledWorker after too many worker deaths
                outcome = {"error": f"{job.src}: {type(e).__name__}: {e}"}
            finish(job, outcome)
            if cancelled():
                client.cancel([f for f in futures if not f.done()])
                break
    finally:
        if made_client is not None:
            made_client.close()
        if made_cluster is not None:
            made_cluster.close()


def _write_labels(out_dir: Path, recipe: Recipe, report: BatchReport) -> None:
    labels = recipe.get("labels")
    if not labels:
        return
    from editor.io.atomic import atomic_write

    from .labels import write_coco

    klass = labels.get("class") or recipe.get("mask")["name"]
    folder = out_dir / "labels"
    folder.mkdir(parents=True, exist_ok=True)
    if "coco" in labels["formats"]:
        images = []
        for entry in report.entries():
            width, height = entry["size"]
            stem = Path(entry["input"]).stem
            name = Path(entry["outputs"][0]).name if recipe.exports else f"{stem}.png"
            images.append({"file_name": name, "width": width, "height": height,
                           "instances": [entry["annotation"]] if entry.get("annotation") else []})
        write_coco(folder, images, [klass])
    if "yolo" in labels["formats"]:
        with atomic_write(folder / "classes.txt") as f:
            f.write(f"{klass}\n".encode())


def print_failures(report: BatchReport, stream=sys.stderr) -> None:
    for _src, reason in report.failed:
        print(f"veil batch: {reason}", file=stream)
