"""Selection benchmarks: magic wand and magnetic lasso on 24 MP images."""

from __future__ import annotations

import time

import cv2
import numpy as np

from editor.masks.selection.scissors import EdgeImage, MagneticTrace
from editor.masks.selection.wand import magic_wand
from tests.bench.harness import median_ms, percentile_ms, record

W24, H24 = 6000, 4000  # 24 MP


def _photo_like(seed: int = 0) -> np.ndarray:
    """A 24 MP RGBA image: a flat-ish backdrop with light noise and a large object on it."""
    rng = np.random.default_rng(seed)
    img = np.empty((H24, W24, 4), np.uint8)
    img[..., :3] = (rng.integers(0, 12, size=(H24, W24, 1), dtype=np.uint8) + np.array([120, 140, 160], np.uint8))
    img[..., 3] = 255
    cv2.circle(img, (W24 // 2, H24 // 2), 1500, (220, 90, 40, 255), -1)
    return img


def _baseline_flood(img: np.ndarray, x: int, y: int, tolerance: int) -> np.ndarray:
    """What one would write without the kernel: skimage's flood, or numpy + scipy's label."""
    try:
        from skimage.segmentation import flood

        return flood(img[..., :3], (y, x), tolerance=tolerance)
    except ImportError:
        from scipy import ndimage

        seed = img[y, x].astype(np.int16)
        match = (np.abs(img.astype(np.int16) - seed) <= tolerance).all(axis=2)
        labels, _ = ndimage.label(match)
        return labels == labels[y, x]


def _baseline_name() -> str:
    try:
        import skimage.segmentation  # noqa: F401

        return "skimage.segmentation.flood"
    except ImportError:
        return "numpy tolerance + scipy.ndimage.label"


def bench_magic_wand_24mp():
    """A contiguous, antialiased wand click on the 16 MP backdrop of a 24 MP RGBA image."""
    img = _photo_like()
    x, y, tol = 50, 50, 32
    ours = magic_wand(img, x, y, tolerance=tol, contiguous=True, antialias=True)
    median = median_ms(lambda: magic_wand(img, x, y, tolerance=tol, contiguous=True, antialias=True))
    hard = median_ms(lambda: magic_wand(img, x, y, tolerance=tol, contiguous=True, antialias=False))
    global_ms = median_ms(lambda: magic_wand(img, x, y, tolerance=tol, contiguous=False, antialias=True))
    base = _baseline_flood(img, x, y, tol)
    base_ms = median_ms(lambda: _baseline_flood(img, x, y, tol), repeat=3)
    agree = float(((ours >= 128) == base).mean())

    def cv2_flood():
        mask = np.zeros((H24 + 2, W24 + 2), np.uint8)
        rgb = np.ascontiguousarray(img[..., :3])
        flags = 4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8)
        cv2.floodFill(rgb, mask, (x, y), 0, (tol,) * 3, (tol,) * 3, flags)

    # Grain too fine for runs: the pixel-flood path (see wand.py), for the record.
    noise = np.random.default_rng(2).integers(0, 256, img.shape, dtype=np.uint8)
    noise_ms = median_ms(lambda: magic_wand(noise, x, y, tolerance=100), repeat=3)
    return record("magic_wand_24mp", median, _baseline_name(), base_ms, budget_ms=50,
                  no_antialias_ms=round(hard, 1), global_ms=round(global_ms, 1), noise_image_ms=round(noise_ms, 1),
                  cv2_floodfill_rgb_ms=round(median_ms(cv2_flood, repeat=3), 1),
                  selected_mp=round(float((ours >= 128).sum()) / 1e6, 2), agreement_with_baseline=round(agree, 6))


def bench_scissors_move_24mp():
    """Magnetic lasso: per pointer move along a 24 MP object's edge after preparation.

    Most moves are a getContour in the current window; the p95 and max include
    the moves that fasten a new anchor (applyImage + buildMap on a 256 px window).
    Baseline: one buildMap over a whole image, what each anchor would cost
    without the window, measured at 6 MP (half size) to spare memory.
    """
    img = _photo_like(1)
    t0 = time.perf_counter()
    edges = EdgeImage(img)
    prepare_ms = (time.perf_counter() - t0) * 1000.0
    cx, cy, r = W24 // 2, H24 // 2, 1500
    angles = np.linspace(0, np.pi / 2, 1200)
    wobble = 6 * np.sin(np.arange(angles.size) / 4.0)
    pointer = np.stack([cx + (r + wobble) * np.cos(angles), cy + (r + wobble) * np.sin(angles)], 1)
    trace = MagneticTrace(edges, tuple(pointer[0]))
    samples = []
    for p in pointer[1:]:
        t0 = time.perf_counter()
        path = trace.move((float(p[0]), float(p[1])))
        samples.append((time.perf_counter() - t0) * 1000.0)
    error = float(np.abs(np.hypot(path[:, 0] - cx, path[:, 1] - cy) - r).mean())

    half = edges.levels[1]
    tool = cv2.segmentation.IntelligentScissorsMB()
    tool.setEdgeFeatureCannyParameters(32, 100)
    tool.setGradientMagnitudeMaxLimit(200)
    tool.applyImage(half)
    base_ms = median_ms(lambda: tool.buildMap((half.shape[1] // 2, 10)), repeat=1, warmup=0)
    return record("scissors_move_24mp", float(np.median(samples)), "IntelligentScissorsMB.buildMap on a whole 6 MP image",
                  base_ms, budget_ms=30, p95_ms=round(percentile_ms(samples, 95), 2),
                  max_ms=round(max(samples), 1), moves=len(samples), anchors=len(trace.fixed),
                  prepare_ms=round(prepare_ms, 1), mean_edge_error_px=round(error, 2))
