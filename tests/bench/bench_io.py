"""editor.io benchmarks: opening a 24 MP JPEG, saving a 10-layer 24 MP project."""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from editor.core import Document, Layer
from editor.io import open_document, save_document

from .harness import cpu_median_ms, median_ms, record

W, H = 6000, 4000  # 24 MP
ROOT = Path(__file__).resolve().parents[2]  # processes run from here, so they import this tree's editor


def photo_like(seed: int, alpha: bool = False) -> np.ndarray:
    """Smooth gradients with mild noise: compresses like a photograph, not like random bytes."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    out = np.empty((H, W, 4), np.uint8)
    for c in range(3):
        fx, fy = rng.uniform(0.0005, 0.003, 2)
        wave = 127 + 100 * np.sin(x * fx + c) * np.cos(y * fy - c)
        out[..., c] = np.clip(wave + rng.normal(0, 4, (H, W)).astype(np.float32), 0, 255)
    out[..., 3] = 255
    if alpha:
        out[..., 3] = np.clip((np.sin(x * 0.002 + seed) + 1) * 160, 0, 255).astype(np.uint8)
    return out


def bench_open_jpeg_24mp():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo.jpg"
        Image.fromarray(photo_like(1)[..., :3]).save(path, quality=90)
        ours = median_ms(lambda: open_document(path), repeat=5)
        pillow = median_ms(lambda: np.asarray(Image.open(path).convert("RGBA")), repeat=5)
    return record("open_jpeg_24mp", ours, "Pillow Image.open().convert('RGBA')", pillow, budget_ms=300,
                  note="budget is for open to first paint; this row is the open")


def bench_save_ora_10_layers_24mp():
    doc = Document(W, H)
    layers = [photo_like(i, alpha=i > 0) for i in range(10)]
    for i, px in enumerate(layers):
        doc.root.insert(i, Layer(f"layer {i}", px))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "project.ora"
        ours = median_ms(lambda: save_document(doc, path), repeat=3, warmup=1)
        size = path.stat().st_size

        def pillow_default() -> None:
            for px in layers:
                Image.fromarray(px, "RGBA").save(io.BytesIO(), "PNG")

        pillow = median_ms(pillow_default, repeat=1, warmup=0)
    return record("save_ora_10_layers_24mp", ours, "Pillow PNG default (level 6), layers only", pillow,
                  file_mb=round(size / 2**20, 1), includes="layers + mergedimage render + thumbnail + fsync")


def masked_4096_document(n: int = 4096, layers: int = 10) -> Document:
    """`layers` patterned layers of n x n, each with a patterned mask."""
    from editor.core import Mask

    y, x = np.mgrid[0:n, 0:n]
    doc = Document(n, n)
    for i in range(layers):
        px = np.empty((n, n, 4), np.uint8)
        px[..., 0], px[..., 1] = (x * (i + 1)) % 256, (y // (i + 1)) % 256
        px[..., 2], px[..., 3] = ((x + y) // 7) % 256, 200 + i
        doc.root.insert(i, Layer(f"layer {i}", px, mask=Mask(((x + y * i) % 256).astype(np.uint8))))
    return doc


def bench_open_ora_10_layers_4096(n: int = 4096):
    import zipfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "masked.ora"
        save_document(masked_4096_document(n), path)
        ours = median_ms(lambda: open_document(path), repeat=3, warmup=1)
        ours_cpu = cpu_median_ms(lambda: open_document(path), repeat=3)
        with zipfile.ZipFile(path) as zf:
            pngs = [zf.read(name) for name in zf.namelist() if name.startswith("data/") and name.endswith(".png")]

        def pillow_one_thread() -> None:
            for data in pngs:
                np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))

        pillow = median_ms(pillow_one_thread, repeat=3, warmup=0)
        pillow_cpu = cpu_median_ms(pillow_one_thread, repeat=2)
    return record("open_ora_10_layers_4096" if n == 4096 else f"open_ora_10_layers_{n}", ours,
                  "Pillow decode of the same PNGs, one thread", pillow, budget_ms=2000, cpu_ms=ours_cpu,
                  baseline_cpu_ms=pillow_cpu)


def _process(command: list[str]) -> dict[str, float]:
    """Wall and CPU time (ms, CPU over all its threads and waited-for children) and peak resident
    memory (MB) of one `python -m` process (its own peak, through tests/bench/peak.py); for
    another program the peak is wait4's, which counts this process's resident memory at the fork."""
    with tempfile.NamedTemporaryFile(suffix=".peak") as report:
        if command[0] == sys.executable and command[1] == "-m":
            command = [sys.executable, "-m", "tests.bench.peak", report.name, *command[2:]]
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = (time.perf_counter() - t0) * 1000.0
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited with {proc.returncode}")
        own = Path(report.name).read_text()
    peak = float(own) if own else usage.ru_maxrss / 1024
    return {"wall": wall, "cpu": (usage.ru_utime + usage.ru_stime) * 1000.0, "peak_mb": peak}


def _processes(command: list[str], repeat: int) -> dict[str, float]:
    """Medians over `repeat` runs of `_process`."""
    runs = [_process(command) for _ in range(repeat)]
    return {key: round(statistics.median(run[key] for run in runs), 1) for key in runs[0]}


def bench_render_cli_10_layers_4096():
    """The whole `veil render` process on the 10-layer 4096² masked .ora: start, open, composite, PNG."""
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder) / "masked.ora", Path(folder) / "out.png"
        save_document(masked_4096_document(), src)
        ours = _processes([sys.executable, "-m", "editor", "render", str(src), str(out)], repeat=3)
        pillow = _processes([sys.executable, "-m", "tests.bench.process_baselines", "render", str(src), str(out)], 1)
        app, xvfb = shutil.which("krita"), shutil.which("xvfb-run")  # Krita's export needs an X server
        krita = None if app is None or xvfb is None else \
            _processes([xvfb, "-a", app, str(src), "--export", "--export-filename", str(out)], 1)
    return record("render_cli_10_layers_4096", ours["wall"], "Pillow in one process (decode, mask, alpha_composite, PNG)",
                  pillow["wall"], budget_ms=4000, cpu_ms=ours["cpu"], peak_mb=ours["peak_mb"], budget_peak_mb=1536,
                  baseline_cpu_ms=pillow["cpu"], baseline_peak_mb=pillow["peak_mb"],
                  krita_cli_export_ms=krita["wall"] if krita else "Krita (and xvfb-run) not installed",
                  krita_cli_export_cpu_ms=krita["cpu"] if krita else None)


def bench_convert_ora_to_psd_10_layers_4096():
    """The whole `veil convert` process, the 10-layer 4096² masked .ora to PSD."""
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder) / "masked.ora", Path(folder) / "out.psd"
        save_document(masked_4096_document(), src)
        ours = _processes([sys.executable, "-m", "editor", "convert", str(src), str(out)], repeat=3)
        size = out.stat().st_size
        theirs = _processes([sys.executable, "-m", "tests.bench.process_baselines", "psd", str(src), str(out)], 1)
    return record("convert_ora_to_psd_10_layers_4096", ours["wall"], "psd-tools' own writer in one process (Pillow decode)",
                  theirs["wall"], budget_ms=8000, cpu_ms=ours["cpu"], peak_mb=ours["peak_mb"], budget_peak_mb=2048,
                  baseline_cpu_ms=theirs["cpu"], baseline_peak_mb=theirs["peak_mb"], file_mb=round(size / 2**20, 1))
