"""Document geometry benchmarks (issue 13): Image Size of a 24 MP layer, memory of undoing a crop."""

from __future__ import annotations

import numpy as np
from PIL import Image

from editor.core import Document, Layer, Mask
from editor.geometry import crop, fast_resize, resize_image

from .harness import cpu_median_ms, median_ms, record

W24, H24 = 6000, 4000


def _layer_pixels(seed: int = 0) -> np.ndarray:
    """A photo-like 24 MP layer: smooth gradients with noise, opaque."""
    rng = np.random.default_rng(seed)
    y, x = np.ogrid[0:H24, 0:W24]
    px = np.empty((H24, W24, 4), np.uint8)
    px[..., 0] = ((x * 255) // W24).astype(np.uint8)
    px[..., 1] = ((y * 255) // H24).astype(np.uint8)
    px[..., 2] = rng.integers(0, 256, (H24, W24), dtype=np.uint8)
    px[..., 3] = 255
    return px


def bench_image_size_24mp_to_6mp():
    """One 24 MP layer (6000x4000) to 6 MP (3000x2000), Lanczos, premultiplied: the resampler
    Image > Image Size runs, beside Pillow's resize on the same array in the same run."""
    fast_resize.warm_up()
    px = _layer_pixels()
    ours = median_ms(lambda: fast_resize.resize(px, 3000, 2000, "lanczos"), repeat=5)
    ours_cpu = cpu_median_ms(lambda: fast_resize.resize(px, 3000, 2000, "lanczos"), 3)
    image = Image.fromarray(px, "RGBA")

    def pillow():
        return image.resize((3000, 2000), Image.Resampling.LANCZOS)

    baseline = median_ms(pillow, repeat=3)
    same = np.array_equal(fast_resize.resize(px, 3000, 2000, "lanczos"), np.asarray(pillow()))
    # the whole command: a document with that layer and its mask, one undo step
    doc = Document(W24, H24)
    doc.root.insert(0, Layer("Photo", px, mask=Mask(px[..., 2].copy())))

    def command():
        resize_image(doc, 3000, 2000, "lanczos")
        doc.undo()

    whole = median_ms(command, repeat=3)
    return record("image_size_24mp_to_6mp", ours, "Pillow resize LANCZOS", baseline, budget_ms=400,
                  cpu_ms=ours_cpu, baseline_cpu_ms=cpu_median_ms(pillow, 2), equals_pillow=bool(same),
                  document_step_with_mask_ms=round(whole, 3))


def bench_crop_undo_bytes_24mp():
    """Undo memory of a crop with Delete Cropped Pixels on a 24 MP layer with a mask: the budget
    is the pixels cut away (layer and mask), not the document."""
    px = _layer_pixels(1)
    doc = Document(W24, H24)
    doc.root.insert(0, Layer("Photo", px, mask=Mask(np.full((H24, W24), 255, np.uint8))))
    rect = (1000, 500, 4000, 3000)  # keeps 12 MP of 24
    kept = rect[2] * rect[3]
    cut_away_bytes = (W24 * H24 - kept) * 5  # RGBA + mask bytes per pixel
    document_bytes = W24 * H24 * 5

    def step():
        crop(doc, rect, delete_pixels=True)
        n = doc.history.steps[-1].nbytes()
        doc.undo()
        return n

    held = step()
    ms = median_ms(step, repeat=3)
    return record("crop_undo_bytes_24mp", ms, None, None, undo_bytes=int(held), budget_bytes=int(cut_away_bytes),
                  document_bytes=int(document_bytes), within_budget=bool(held <= cut_away_bytes))
