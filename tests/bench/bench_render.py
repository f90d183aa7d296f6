"""Compositor benchmarks (issue 2): full-frame composite and dirty-rectangle recomposite."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops

from editor.core import Document, Layer, Mask, Rect
from editor.render import Renderer, render, warm_up

from .harness import cpu_median_ms, median_ms, record


def _layers(size: tuple[int, int], count: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    w, h = size
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        px = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
        mask = rng.integers(0, 256, (h, w), dtype=np.uint8)
        out.append((px, mask))
    return out


def _document(size: tuple[int, int], layers: list[tuple[np.ndarray, np.ndarray]], opacity: float = 0.8) -> Document:
    doc = Document(*size)
    for i, (px, mask) in enumerate(layers):
        doc.root.insert(i, Layer(f"Layer {i}", px, opacity=opacity, mask=Mask(mask)))
    return doc


def bench_composite_10_layers_4096():
    warm_up()
    size = (4096, 4096)
    layers = _layers(size, 10)
    doc = _document(size, layers)
    # Into a kept frame, as the canvas does (its mipmap renders into level 0); a fresh array
    # costs page faults on top (reported as fresh_output_median_ms).
    frame = np.empty((size[1], size[0], 4), np.uint8)
    ours = median_ms(lambda: render(doc, out=frame), repeat=5)
    ours_cpu = cpu_median_ms(lambda: render(doc, out=frame), 3)
    fresh = median_ms(lambda: render(doc), repeat=5)

    # Pillow's fastest path: each layer's alpha times its mask times the opacity, then paste with that mask.
    images = [(Image.fromarray(px, "RGBA"), Image.fromarray(mask, "L")) for px, mask in layers]
    opacity_lut = [round(v * 0.8) for v in range(256)]

    def pillow() -> Image.Image:
        canvas = Image.new("RGBA", size, (0, 0, 0, 0))
        for image, mask in images:
            alpha = ImageChops.multiply(image.getchannel("A"), mask).point(opacity_lut)
            canvas.paste(image, (0, 0), alpha)
        return canvas

    baseline = median_ms(pillow, repeat=3)
    return record("composite_10_layers_4096", ours, "Pillow paste with mask", baseline, budget_ms=70,
                  cpu_ms=ours_cpu, baseline_cpu_ms=cpu_median_ms(pillow, 2), fresh_output_median_ms=round(fresh, 3))


def bench_rect_200_8000x6000_10_layers():
    warm_up()
    size = (8000, 6000)
    # Ten layers sharing two big arrays keep memory modest; the kernels read them as ten layers.
    (px, mask), = _layers(size, 1, seed=1)
    doc = _document(size, [(px, mask)] * 5 + [(px.copy(), mask)] + [(px, mask)] * 4)
    active = doc.root.children[5]
    rng = np.random.default_rng(2)
    rects = [Rect(int(x), int(y), 200, 200) for x, y in zip(rng.integers(0, 7800, 32), rng.integers(0, 5800, 32), strict=True)]
    i = iter(range(10**9))

    def cold_render() -> None:
        render(doc, rects[next(i) % len(rects)])

    cold = median_ms(cold_render, repeat=31, warmup=3)
    cold_cpu = cpu_median_ms(cold_render, 31)
    numpy_cold = median_ms(lambda: render(doc, rects[next(i) % len(rects)], backend="numpy"), repeat=5)

    doc.set_active(active)
    renderer = Renderer(doc)
    rect = Rect(3000, 2000, 200, 200)
    renderer.render(rect)  # fill the caches around the active layer
    dab = np.full((200, 200, 4), 128, np.uint8)

    def dab_and_render() -> None:
        active.pixels[rect.slices()] = dab
        doc.notify("pixels", active, rect)
        renderer.render(rect)

    warm = median_ms(dab_and_render, repeat=31, warmup=3)
    warm_cpu = cpu_median_ms(dab_and_render, 31)
    renderer.close()
    return [
        record("rect_200_8000x6000_10_layers_cold", cold, "numpy path, same rect", numpy_cold, budget_ms=1.5,
               cpu_ms=cold_cpu),
        record("rect_200_8000x6000_10_layers_warm", warm, "cold rect render (numba, no caches)", cold, budget_ms=0.5,
               cpu_ms=warm_cpu),
    ]
