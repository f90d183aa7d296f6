"""Gradient and paint bucket benchmarks on 24 MP: what a user waits for after the release or click."""

from __future__ import annotations

import os
import statistics
import time

import cv2
import numpy as np

from editor.core import Document, Layer, Mask
from tests.bench.harness import fitted_canvas, record

W24, H24 = 6000, 4000  # 24 MP
GRADIENT_BUDGET_MS = 60.0
BUCKET_BUDGET_MS = 60.0
RUNS = 7


def _timed(fn, runs: int = RUNS, before=None, after=None) -> tuple[float, float]:
    """(median wall ms, median CPU ms over all threads) of fn(i); before/after(i) run untimed."""
    wall, cpu = [], []
    for i in range(runs):
        if before is not None:
            before(i)
        c0, t0 = time.process_time(), time.perf_counter()
        fn(i)
        wall.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
        if after is not None:
            after(i)
    return statistics.median(wall), statistics.median(cpu)


def _numpy_gradient(target, lut_v: np.ndarray, start, end) -> None:
    """The same dithered linear gradient written with plain numpy (float32 throughout)."""
    from editor.paint.target import BAYER8

    h, w = target.array.shape
    (sx, sy), (ex, ey) = start, end
    dx, dy = ex - sx, ey - sy
    inv = np.float32(1.0 / (dx * dx + dy * dy))
    xs = (np.arange(w, dtype=np.float32) + np.float32(0.5 - sx)) * np.float32(dx) * inv
    ys = (np.arange(h, dtype=np.float32) + np.float32(0.5 - sy))[:, None] * np.float32(dy) * inv
    t = np.clip(xs + ys, 0.0, 1.0)
    v = lut_v[(t * np.float32(len(lut_v) - 1) + np.float32(0.5)).astype(np.int32)]
    v += np.tile(BAYER8, (-(-h // 8), -(-w // 8)))[:h, :w]
    np.clip(v, 0.0, 255.0, out=v)
    target.array[...] = v
    target.changed(target.bounds)


def bench_gradient_mask_24mp():
    """A full-canvas dithered linear gradient on a 24 MP mask, from the release to the repainted
    canvas (1600x1000 at fit zoom): snapshot for undo, the kernel, the undo step, the re-render;
    baseline: the same with the gradient computed by numpy."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from editor.paint import PaintTarget
    from editor.paint.gradient import Gradient, GradientPaint, GradientSettings, Stop, _grey
    from editor.paint.gradient import warm_up as warm_up_gradient
    from editor.render import warm_up as warm_up_render

    warm_up_render()
    warm_up_gradient()
    doc = Document(W24, H24)
    pixels = np.empty((H24, W24, 4), np.uint8)
    pixels[...] = (90, 120, 150, 255)
    layer = Layer("Photo", pixels, mask=Mask.filled(H24, W24, 255))
    doc.root.insert(0, layer)
    doc.set_active(layer, edit_mask=True)
    canvas = fitted_canvas(doc)
    reveal_to_hide = Gradient("White, Black", (Stop(0.0, (255, 255, 255)), Stop(1.0, (0, 0, 0))))
    lut_v = _grey(reveal_to_hide.lut())
    parts: dict[str, list[float]] = {"gradient": [], "repaint": []}

    def line(i: int):
        return (0.0, 0.0), (W24 - 17.0 * i, H24 - 11.0 * i)  # a new line each run: every tile changes

    def ours(i: int) -> None:
        t0 = time.perf_counter()
        paint = GradientPaint(PaintTarget.current(doc), reveal_to_hide, GradientSettings(dither=True))
        paint.draw(*line(i))
        paint.commit()
        t1 = time.perf_counter()
        canvas.repaint()
        parts["gradient"].append((t1 - t0) * 1000.0)
        parts["repaint"].append((time.perf_counter() - t1) * 1000.0)

    def numpy_path(i: int) -> None:
        target = PaintTarget.current(doc)
        target.snapshot(target.bounds)
        _numpy_gradient(target, lut_v, *line(i))
        target.commit("Gradient")
        canvas.repaint()

    def undo(_i: int) -> None:
        doc.undo()  # the next step drops it: history stays small

    ours(0)
    undo(0)
    wall, cpu = _timed(ours, after=undo)
    base_wall, base_cpu = _timed(numpy_path, runs=3, after=undo)
    canvas.set_document(None)
    canvas.close()
    return record("gradient_mask_24mp", wall, "same, gradient by numpy", base_wall, GRADIENT_BUDGET_MS,
                  cpu_ms=round(cpu, 1), baseline_cpu_ms=round(base_cpu, 1),
                  gradient_and_undo_ms=round(statistics.median(parts["gradient"][1:]), 1),
                  repaint_ms=round(statistics.median(parts["repaint"][1:]), 1),
                  within_budget=wall <= GRADIENT_BUDGET_MS)


def _photo_like(seed: int = 0) -> np.ndarray:
    """A 24 MP RGBA image: a flat-ish backdrop with light noise and a large object on it."""
    rng = np.random.default_rng(seed)
    img = np.empty((H24, W24, 4), np.uint8)
    img[..., :3] = rng.integers(0, 12, size=(H24, W24, 1), dtype=np.uint8) + np.array([120, 140, 160], np.uint8)
    img[..., 3] = 255
    cv2.circle(img, (W24 // 2, H24 // 2), 1500, (220, 90, 40, 255), -1)
    return img


def bench_bucket_fill_24mp():
    """A paint bucket click on the backdrop of a 24 MP photo (about 70 % of it, antialiased edge),
    from the click to the repainted canvas (1600x1000 at fit zoom): the wand's flood, the fill,
    the undo step, the repaint; baseline: cv2.floodFill's mask, numpy's masked fill, then the
    same repaint."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from editor.masks.selection.wand import warm_up as warm_up_wand
    from editor.paint.fill import bucket_fill
    from editor.paint.target import PaintTarget
    from editor.render import warm_up as warm_up_render

    warm_up_render()
    warm_up_wand()
    image = _photo_like()
    doc = Document(W24, H24)
    layer = Layer("Photo", image.copy())
    doc.root.insert(0, layer)
    doc.set_active(layer)
    canvas = fitted_canvas(doc)
    colours = [(255, 0, 0), (0, 255, 0)]
    parts: dict[str, list[float]] = {"fill": [], "repaint": []}

    def ours(i: int) -> None:
        t0 = time.perf_counter()
        assert bucket_fill(doc, 100, 100, colours[i % 2], tolerance=16, antialias=True) is not None
        t1 = time.perf_counter()
        canvas.repaint()
        parts["fill"].append((t1 - t0) * 1000.0)
        parts["repaint"].append((time.perf_counter() - t1) * 1000.0)

    def undo(_i: int) -> None:
        doc.undo()
        canvas.repaint()  # as the screen shows an undo: at its level first
        canvas.settle()  # then the full render a pause brings, untimed
        canvas.repaint()

    bucket_fill(doc, 100, 100, (1, 2, 3), tolerance=16)  # compile what the warm-up did not
    undo(0)
    wall, cpu = _timed(ours, after=undo)
    PaintTarget.current(doc)  # the same document state for the baseline

    def baseline(i: int) -> None:
        work = layer.pixels
        filled = np.zeros((H24 + 2, W24 + 2), np.uint8)
        cv2.floodFill(np.ascontiguousarray(work[..., :3]), filled, (100, 100), 0, (16, 16, 16), (16, 16, 16),
                      4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8))
        work[filled[1:-1, 1:-1] > 0, :3] = colours[i % 2]
        doc.notify("pixels", layer, doc.canvas)
        canvas.repaint()

    def put_back(_i: int) -> None:
        layer.pixels[...] = image
        doc.notify("pixels", layer, doc.canvas)
        undo(0)

    base_wall, base_cpu = _timed(baseline, runs=3, after=put_back)
    ours(0)
    filled_share = (layer.pixels[..., 0] != image[..., 0]).mean()
    doc.undo()
    canvas.set_document(None)
    canvas.close()
    return record("bucket_fill_24mp", wall, "cv2.floodFill + numpy masked fill + repaint", base_wall, BUCKET_BUDGET_MS,
                  cpu_ms=round(cpu, 1), baseline_cpu_ms=round(base_cpu, 1), filled_share=round(float(filled_share), 3),
                  fill_and_undo_ms=round(statistics.median(parts["fill"][1:]), 1),
                  repaint_ms=round(statistics.median(parts["repaint"][1:]), 1),
                  within_budget=wall <= BUCKET_BUDGET_MS)


def bench_gradient_fill_layer_24mp():
    """A gradient fill layer's pixels over a 24 MP canvas (what every full render, the settle after
    each Gradient Fill dialog change, and a save draw): the fused kernel; baseline: the two-step
    form (the gradient tool's float kernel, then numpy's dither and bytes). Beside them, what a
    dialog change costs on screen first: the preview renderer's level 2 (1500 x 1000)."""
    from editor.core import Rect, ops
    from editor.paint.gradient_fill import fill_pixels, fill_pixels_reference, normalised
    from editor.paint.gradient_fill import warm_up as warm_up_fill
    from editor.render.preview import PreviewRenderer

    warm_up_fill()
    settings = normalised({"style": "radial", "angle": 30.0, "scale": 120.0})
    canvas = Rect(0, 0, W24, H24)
    wall, cpu = _timed(lambda i: fill_pixels({**settings, "angle": 30.0 + i}, canvas, canvas))
    base_wall, base_cpu = _timed(lambda i: fill_pixels_reference({**settings, "angle": 30.0 + i}, canvas, canvas), runs=3)
    doc = Document(W24, H24)
    doc.root.insert(0, Layer("Photo", np.full((H24, W24, 4), 128, np.uint8)))
    doc.active = doc.root.children[0]
    node = ops.new_gradient_fill_layer(doc, settings)
    preview = PreviewRenderer(doc)
    preview.render(2)

    def change(i: int) -> None:
        node.gradient = {**settings, "angle": 31.0 + i}  # as the dialog's step sets it
        preview.render(2)

    preview_wall, _ = _timed(change)
    preview.close()
    return record("gradient_fill_layer_24mp", wall, "same, float kernel then numpy dither", base_wall,
                  cpu_ms=round(cpu, 1), baseline_cpu_ms=round(base_cpu, 1), preview_level2_ms=round(preview_wall, 1))
