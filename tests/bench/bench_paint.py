"""Brush engine benchmarks: a dab and its recomposite, pointer event to repaint, undo memory."""

from __future__ import annotations

import os
import time

import numpy as np

from editor.core import BlendMode, Document, Layer, Mask
from editor.paint import Brush, Stroke
from editor.paint import warm_up as warm_up_paint
from editor.render import Renderer, render
from editor.render import warm_up as warm_up_render
from tests.bench.harness import median_ms, percentile_ms, record

W24, H24 = 6000, 4000  # 24 MP
UNDO_BUDGET_BYTES = 5 * 1024 * 1024
DAB_BUDGET_MS = 1.0
EVENT_BUDGET_MS = 8.0


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


def ten_layer_document(w: int, h: int) -> tuple[Document, Layer]:
    """Ten full-size masked layers with varied opacity and a multiply layer; the fifth one is active,
    its mask being edited."""
    rng = np.random.default_rng(5)
    doc = Document(w, h)
    for i in range(10):
        layer = _masked_layer(w, h, f"Layer {i}")
        layer.pixels[..., :3] = rng.integers(0, 256, 3, dtype=np.uint8)
        layer.mask.data[:, (i * w) // 10 :] = 128 + 12 * i  # masks with real edges, never all white
        layer.opacity = 0.6 + 0.04 * i
        layer.blend_mode = BlendMode.MULTIPLY if i == 8 else BlendMode.NORMAL
        doc.root.insert(i, layer)
    active = doc.root.children[4]
    doc.set_active(active, edit_mask=True)
    return doc, active


def bench_dab_8000x6000_10_layers():
    """A radius-50 dab on the active mask plus the recomposite of its rectangle through Renderer's
    caches, for each step of a stroke; baseline: the same dab followed by a full-frame recomposite."""
    warm_up_render()
    warm_up_paint()
    doc, layer = ten_layer_document(8000, 6000)
    renderer = Renderer(doc)
    renderer.render(doc.canvas)  # the first paint of the window, which fills the caches it keeps
    brush = Brush(size=100, hardness=0.5, flow=0.5)
    stroke = Stroke(doc, layer, "mask", brush, 0)
    samples, dab_only = [], []
    for i in range(300):  # one dab per event: steps of 15 px = the brush's spacing
        x, y = 1500 + 15 * i, 1500 + 7 * i
        t0 = time.perf_counter()
        rect = stroke.add_point(x, y)
        t1 = time.perf_counter()
        renderer.render(rect)
        samples.append((time.perf_counter() - t0) * 1000.0)
        dab_only.append((t1 - t0) * 1000.0)
    stroke.end()

    stroke = Stroke(doc, layer, "mask", brush, 255)
    baseline = []
    for i in range(3):
        t0 = time.perf_counter()
        stroke.add_point(3000 + 15 * i, 3000)
        render(doc, doc.canvas)
        baseline.append((time.perf_counter() - t0) * 1000.0)
    stroke.end()
    dab = float(np.median(samples))
    return record("dab_8000x6000_10_layers", dab, "same dab + full-frame recomposite", float(np.median(baseline)),
                  DAB_BUDGET_MS, p95_ms=round(percentile_ms(samples, 95), 3), dabs=len(samples),
                  dab_only_median_ms=round(float(np.median(dab_only)), 3),
                  within_budget=dab <= DAB_BUDGET_MS)


def bench_stroke_event_to_paint_24mp():
    """From a synthetic mouse-move event on the real canvas (offscreen) to the end of its repaint,
    over a 500-event brush stroke on a 24 MP, 10-layer document at 100 % zoom; baseline: the same
    event followed by a full-frame recomposite of the document."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor, QMouseEvent
    from PySide6.QtWidgets import QApplication

    from editor.ui.canvas import Canvas
    from editor.ui.tools.brush import BrushTool

    class CountingCanvas(Canvas):
        paints = 0

        def paintEvent(self, event):
            super().paintEvent(event)
            self.paints += 1

    class Host:
        jobs = None
        foreground, background = QColor(0, 0, 0), QColor(255, 255, 255)

        def show_status(self, text, timeout_ms=3000):
            pass

    app = QApplication.instance() or QApplication([])
    warm_up_render()
    warm_up_paint()
    doc, _ = ten_layer_document(W24, H24)
    canvas = CountingCanvas()
    canvas.resize(1600, 1000)
    canvas.show()
    canvas.set_document(doc)
    canvas.set_zoom(1.0, QPointF(0, 0))
    canvas.view.origin = QPointF(-2000.0, -1500.0)  # document (2000, 1500) at the top left
    host = Host()
    host.document, host.canvas = doc, canvas
    tool = BrushTool(host)
    tool.brush = Brush(size=100, hardness=0.5)
    canvas.set_tool(tool)
    app.processEvents()

    def send(kind, x, y, button, buttons):
        pos = QPointF(x, y)
        event = QMouseEvent(kind, pos, canvas.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(canvas, event)

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send(QMouseEvent.Type.MouseButtonPress, 100, 100, left, left)
    app.processEvents()
    samples = []
    paints_before = canvas.paints
    for i in range(1, 501):
        t0 = time.perf_counter()
        send(QMouseEvent.Type.MouseMove, 100 + 2.8 * i, 100 + 1.6 * i, none, left)
        app.processEvents()  # the posted update request: re-render the dirty rect, repaint it
        samples.append((time.perf_counter() - t0) * 1000.0)
    repaints = canvas.paints - paints_before
    send(QMouseEvent.Type.MouseButtonRelease, 1500, 900, left, none)
    app.processEvents()

    def event_then_full_frame():
        send(QMouseEvent.Type.MouseButtonPress, 300, 600, left, left)
        send(QMouseEvent.Type.MouseButtonRelease, 300, 600, left, none)
        render(doc, doc.canvas)

    baseline = median_ms(event_then_full_frame, repeat=3, warmup=0)
    canvas.close()
    p95 = percentile_ms(samples, 95)
    return record("stroke_event_to_paint_24mp", float(np.median(samples)), "same event + full-frame recomposite",
                  baseline, EVENT_BUDGET_MS, p95_ms=round(p95, 3), events=len(samples), repaints=repaints,
                  within_budget=p95 <= EVENT_BUDGET_MS)
