"""Brush engine benchmarks: a dab and its recomposite, pointer event to repaint, undo memory."""

from __future__ import annotations

import time

import numpy as np

from editor.core import Document, Layer, Mask
from editor.paint import Brush, Stroke
from tests.bench.harness import median_ms, record

W24, H24 = 6000, 4000  # 24 MP
UNDO_BUDGET_BYTES = 5 * 1024 * 1024


def _masked_layer(w: int, h: int, name: str = "Layer") -> Layer:
    pixels = np.empty((h, w, 4), np.uint8)
    pixels[...] = (90, 120, 150, 255)
    return Layer(name, pixels, mask=Mask.filled(h, w, 255))


def bench_stroke_undo_bytes_24mp():
    """Undo memory of one diagonal stroke (radius-50 brush) across a 24 MP mask; baseline: a whole-mask snapshot."""
    doc = Document(W24, H24)
    layer = _masked_layer(W24, H24)
    doc.root.insert(0, layer)
    doc.set_active(layer, edit_mask=True)
    brush = Brush(size=100, hardness=0.5)
    points = [(W24 * t, H24 * t, 1.0) for t in np.linspace(0.0, 1.0, 500)]

    times = []
    for value in (0, 255, 0):  # alternate so every stroke really changes the mask
        t0 = time.perf_counter()
        stroke = Stroke(doc, layer, "mask", brush, value)
        for p in points:
            stroke.add_point(*p)
        cmd = stroke.end()
        times.append((time.perf_counter() - t0) * 1000.0)
    held = cmd.nbytes()
    snapshot_ms = median_ms(lambda: layer.mask.data.copy())
    return record("stroke_undo_bytes_24mp", float(np.median(times)), "whole-mask snapshot (copy)", snapshot_ms,
                  bytes=held, budget_bytes=UNDO_BUDGET_BYTES, baseline_bytes=layer.mask.data.nbytes,
                  tiles=len(cmd.delta.before), within_budget=held <= UNDO_BUDGET_BYTES)
