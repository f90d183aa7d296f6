"""editor.io benchmarks: opening a 24 MP JPEG, saving a 10-layer 24 MP project."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from editor.core import Document, Layer
from editor.io import open_document, save_document

from .harness import median_ms, record

W, H = 6000, 4000  # 24 MP


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
        with zipfile.ZipFile(path) as zf:
            pngs = [zf.read(name) for name in zf.namelist() if name.startswith("data/") and name.endswith(".png")]

        def pillow_one_thread() -> None:
            for data in pngs:
                np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))

        pillow = median_ms(pillow_one_thread, repeat=3, warmup=0)
    return record("open_ora_10_layers_4096" if n == 4096 else f"open_ora_10_layers_{n}", ours,
                  "Pillow decode of the same PNGs, one thread", pillow, budget_ms=2000)
