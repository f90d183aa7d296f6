"""Adjustment layer benchmarks (issue 12): a full-frame composite with adjustments between
masked layers, and a dab under a Curves layer."""

from __future__ import annotations

import numpy as np

from editor.core import Adjustment, Document, Layer, Mask, Rect
from editor.render import Renderer, adjustments, render, warm_up

from .bench_render import _layers
from .harness import cpu_median_ms, fitted_canvas, median_ms, record

CURVES = {"master": [[0, 0], [70, 110], [190, 220], [255, 255]]}
HUE = {"master": {"hue": 25, "saturation": 20, "lightness": 0}}
LEVELS = {"master": {"in_black": 12, "in_white": 240, "gamma": 1.2, "out_black": 0, "out_white": 255}}
PLACES = {3: ("curves", CURVES), 6: ("hue_saturation", HUE), 8: ("levels", LEVELS)}  # after these layers


def _stack(size, layers) -> Document:
    doc = Document(*size)
    for i, (px, mask) in enumerate(layers):
        doc.root.insert(len(doc.root.children), Layer(f"Layer {i}", px, opacity=0.8, mask=Mask(mask)))
        if i in PLACES:
            name, params = PLACES[i]
            doc.root.insert(len(doc.root.children), Adjustment(name, name, params))
    return doc


def _numpy_baseline(layers) -> np.ndarray:
    """The same stack by hand in numpy: straight colour composited in float, each adjustment
    applied to the composite so far (the same tables and kernels), per layer."""
    h, w = layers[0][0].shape[:2]
    acc = np.zeros((h, w, 4), np.float32)
    for i, (px, mask) in enumerate(layers):
        a = px[..., 3:4].astype(np.float32) * (mask[..., None].astype(np.float32) * np.float32(0.8 / 65025))
        acc[..., :3] = px[..., :3].astype(np.float32) * np.float32(1 / 255) * a + acc[..., :3] * (1 - a)
        acc[..., 3:] = a + acc[..., 3:] * (1 - a)
        if i in PLACES:
            name, params = PLACES[i]
            adjusted = adjustments.adjusted(name, params, acc)
            acc[..., :3] = adjusted[..., :3].astype(np.float32) * np.float32(1 / 255) * acc[..., 3:]
    return acc


def bench_composite_10_layers_3_adjustments_4096():
    warm_up()
    size = (4096, 4096)
    layers = _layers(size, 10)
    doc = _stack(size, layers)
    frame = np.empty((size[1], size[0], 4), np.uint8)
    ours = median_ms(lambda: render(doc, out=frame), repeat=5)
    ours_cpu = cpu_median_ms(lambda: render(doc, out=frame), 3)
    plain = _stack(size, layers)
    for node in [n for n in plain.root.children if isinstance(n, Adjustment)]:
        plain.root.remove(node)
    without = median_ms(lambda: render(plain, out=frame), repeat=3)
    baseline = median_ms(lambda: _numpy_baseline(layers), repeat=3)
    return record("composite_10_layers_3_adjustments_4096", ours, "numpy per layer, same adjustments", baseline,
                  budget_ms=90, cpu_ms=ours_cpu, same_stack_without_adjustments_ms=round(without, 3))


def bench_dab_under_curves_8000x6000():
    warm_up()
    size = (8000, 6000)
    (px, mask), = _layers(size, 1, seed=1)
    doc = Document(*size)
    for i in range(10):
        doc.root.insert(i, Layer(f"Layer {i}", px.copy() if i == 5 else px, opacity=0.8, mask=Mask(mask)))
    doc.root.insert(6, Adjustment("Curves", "curves", CURVES))
    active = doc.root.children[5]
    doc.set_active(active)
    renderer = Renderer(doc)
    rect = Rect(3000, 2000, 200, 200)
    renderer.render(rect)
    dab = np.full((200, 200, 4), 128, np.uint8)

    def dab_and_render() -> None:
        active.pixels[rect.slices()] = dab
        doc.notify("pixels", active, rect)
        renderer.render(rect)

    ours = median_ms(dab_and_render, repeat=31, warmup=3)
    cpu = cpu_median_ms(dab_and_render, 31)
    doc.root.remove(doc.root.children[6])
    renderer.reset()
    renderer.render(rect)
    without = median_ms(dab_and_render, repeat=31, warmup=3)
    renderer.close()
    return record("dab_under_curves_8000x6000", ours, "same dab, no Curves layer", without, budget_ms=1.5, cpu_ms=cpu)


def bench_adjustment_drag_24mp():
    """One step of a Hue/Saturation slider drag in the adjustment dialog to the repainted canvas at fit
    zoom: a 1600x1000 view of the 24 MP 10-layer document with a masked Hue/Saturation layer on top
    (the screen's mipmap level previews the step; the full render follows the release). Baseline: the
    naive path, the full composite re-rendered (render()) and scaled to the view by OpenCV."""
    import os
    import statistics
    import time

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import cv2
    from PySide6.QtWidgets import QApplication

    from editor.core import ops
    from editor.ui.dialogs.adjustment_dialog import AdjustmentDialog

    from .bench_ui import H24, VIEW_H, VIEW_W, W24, ten_layer_document
    from .harness import percentile_ms

    app = QApplication.instance() or QApplication([])
    warm_up()
    doc = ten_layer_document()
    node = ops.new_adjustment_layer(doc, "hue_saturation", HUE, name="Hue/Saturation")
    node.mask = Mask(np.tile(np.linspace(0, 255, W24, dtype=np.uint8), (H24, 1)))
    canvas = fitted_canvas(doc)
    dialog = AdjustmentDialog(None, doc, node)
    slider = dialog.widgets["master.hue:slider"]

    def steps(n: int) -> list[float]:
        times = []
        for i in range(n):
            t0 = time.perf_counter()
            slider.setValue(-60 + 7 * (i % 17))
            canvas.repaint()
            times.append((time.perf_counter() - t0) * 1000.0)
        app.processEvents()
        return times

    steps(2)  # the first step reduces the layers the later ones reuse
    times = steps(15)
    t0 = time.perf_counter()
    canvas.settle()  # the release: the full-resolution render and repaint
    release_ms = (time.perf_counter() - t0) * 1000.0

    def naive() -> float:
        t0 = time.perf_counter()
        node.params = dict(node.params, master=dict(HUE["master"], hue=int(np.random.randint(-90, 90))))
        full = render(doc)
        cv2.resize(full, (round(W24 * canvas.zoom), round(H24 * canvas.zoom)), interpolation=cv2.INTER_AREA)
        return (time.perf_counter() - t0) * 1000.0

    baseline = [naive() for _ in range(5)]
    dialog.close()
    canvas.set_document(None)
    canvas.close()
    median = statistics.median(times)
    return record("adjustment_drag_24mp", median, "full render() + cv2 resize to the view", statistics.median(baseline),
                  budget_ms=33.0, zoom=round(canvas.zoom, 4), view=f"{VIEW_W}x{VIEW_H}",
                  p90_ms=round(percentile_ms(times, 90), 1), release_full_render_ms=round(release_ms, 1),
                  within_budget=median <= 33.0)
