"""Mask generator benchmarks, each with its quality figures beside its time.

Scenes come from tests/masks/scenes.py (known ground truth); baselines are
what a user would otherwise reach for, measured in the same run.
"""

from __future__ import annotations

import time

import cv2
import numpy as np

from editor.masks.chroma import ChromaKeyParams, chroma_key, despill
from editor.masks.color_range import ColorRangeParams, color_range
from editor.masks.object_select import ObjectSelectParams, object_select
from editor.masks.refine import RefineParams, refine_edge
from tests.masks.scenes import edge_band, hair_scene, iou, mse, object_scene, sad, screen_scene
from tests.masks.scenes_keying import core_loss, hard_hsv_key, keying_scene
from tests.masks.scenes_lookalike import lookalike_scene

from .harness import cpu_median_ms, median_ms, record

W24, H24 = 6000, 4000
W12, H12 = 4000, 3000
HSV_GREEN = ((35, 60, 40), (85, 255, 255))


def _hard_hsv_key(image: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2HSV)
    return 255 - cv2.inRange(hsv, *HSV_GREEN)


def bench_chroma_key_24mp():
    scene = screen_scene(H24, W24, 0, "green")
    params = ChromaKeyParams()
    ours = median_ms(lambda: chroma_key(scene.image, params), repeat=7)
    baseline = median_ms(lambda: _hard_hsv_key(scene.image), repeat=7)
    alpha, hard = chroma_key(scene.image, params), _hard_hsv_key(scene.image)
    out = np.empty_like(scene.image)
    despill_ms = median_ms(lambda: despill(scene.image, "green", out=out), repeat=5)
    rgb = out[..., :3].astype(np.int16)
    excess = np.maximum(rgb[..., 1] - np.maximum(rgb[..., 0], rgb[..., 2]), 0)
    raw = scene.image[..., :3].astype(np.int16)
    raw_excess = np.maximum(raw[..., 1] - np.maximum(raw[..., 0], raw[..., 2]), 0)
    fg = scene.alpha > 0.5
    ours_sad, hsv_sad = sad(alpha, scene.alpha), sad(hard, scene.alpha)
    # A second seed, quality only: the defaults must not be tuned to one picture.
    other = screen_scene(H24, W24, 1, "green")
    other_ratio = sad(_hard_hsv_key(other.image), other.alpha) / sad(chroma_key(other.image, params), other.alpha)
    del other
    return record("chroma_key_24mp", ours, "hard HSV threshold (cvtColor+inRange)", baseline, budget_ms=50,
                  cpu_ms=round(cpu_median_ms(lambda: chroma_key(scene.image, params), warmup=1), 1),
                  baseline_cpu_ms=round(cpu_median_ms(lambda: _hard_hsv_key(scene.image), warmup=1), 1),
                  sad=round(ours_sad, 2), hsv_sad=round(hsv_sad, 2), sad_ratio=round(hsv_sad / ours_sad, 2),
                  sad_ratio_seed1=round(other_ratio, 2),
                  mse=round(mse(alpha, scene.alpha), 5), hsv_mse=round(mse(hard, scene.alpha), 5),
                  despill_ms=round(despill_ms, 1), fg_key_excess_before=round(float(raw_excess[fg].mean()), 2),
                  fg_key_excess_after=round(float(excess[fg].mean()), 2))


def _key_times(image: np.ndarray, params: ChromaKeyParams, key: str) -> dict:
    return {"ms": median_ms(lambda: chroma_key(image, params), repeat=5),
            "cpu_ms": cpu_median_ms(lambda: chroma_key(image, params), repeat=3, warmup=1),
            "hsv_ms": median_ms(lambda: hard_hsv_key(image, key), repeat=5)}


def _hard_key_figures(key: str, h: int, w: int, seeds: range, **scene_knobs) -> dict:
    """Time (first scene) and quality (every scene) of the keyer and the hard HSV key, same run."""
    params = ChromaKeyParams(key=key)
    ratios, cores, hsv_cores, band_ratios = [], [], [], []
    figures: dict = {}
    for seed in seeds:
        scene = keying_scene(h, w, seed, key, **scene_knobs)
        if not figures:
            figures = _key_times(scene.image, params, key)
        alpha, hard = chroma_key(scene.image, params), hard_hsv_key(scene.image, key)
        band = edge_band(scene.alpha, 2)
        ratios.append(round(sad(hard, scene.alpha) / sad(alpha, scene.alpha), 2))
        band_ratios.append(round(sad(hard, scene.alpha, band) / sad(alpha, scene.alpha, band), 2))
        cores.append(round(100 * core_loss(alpha, scene.core), 3))
        hsv_cores.append(round(100 * core_loss(hard, scene.core), 1))
        del scene, alpha, hard, band
    return {**figures, "sad_ratio": ratios, "sad_ratio_min": min(ratios), "edge_band_sad_ratio": band_ratios,
            "core_below_0_9_pct": cores, "core_pct_max": max(cores), "hsv_core_below_0_9_pct": hsv_cores}


def bench_chroma_key_hard_24mp():
    """Issue 18's hard green scenes: uneven light, noise, decaying spill, 1-3 px translucent strands,
    greenish, blue and dark patches in the subject (goal: SAD >= 3x lower than the hard HSV key on each,
    <= 0.5 % of the core below alpha 0.9, <= 50 ms)."""
    f = _hard_key_figures("green", H24, W24, range(3))
    return record("chroma_key_hard_24mp", f.pop("ms"), "hard HSV key (cvtColor+inRange)", f.pop("hsv_ms"),
                  budget_ms=50, **f)


def bench_chroma_key_blue_hair():
    """The hard scenes on a blue screen with twice the hair, 12 MP (goal: SAD >= 3x lower than the hard HSV key)."""
    f = _hard_key_figures("blue", H12, W12, range(3), hair=600)
    return record("chroma_key_blue_hair", f.pop("ms"), "hard HSV key (cvtColor+inRange)", f.pop("hsv_ms"), **f)


def _band_times(image: np.ndarray, params: ChromaKeyParams, plain: ChromaKeyParams) -> dict:
    return {"ms": median_ms(lambda: chroma_key(image, params), repeat=5),
            "cpu_ms": cpu_median_ms(lambda: chroma_key(image, params), repeat=3, warmup=1),
            "plain_ms": median_ms(lambda: chroma_key(image, plain), repeat=5),
            "plain_cpu_ms": cpu_median_ms(lambda: chroma_key(image, plain), repeat=3, warmup=1)}


def bench_chroma_key_band_matting_24mp():
    """The key with band matting on (issue 18: <= 1 s at 24 MP in a worker), beside the same-run
    key without it, and how much it lowers the edge band's alpha SAD on the hard green scenes (24 MP)
    and the blue hair scenes (12 MP)."""
    params, plain = ChromaKeyParams(band_matting=True), ChromaKeyParams()
    figures: dict = {}
    for key, h, w, knobs in (("green", H24, W24, {}), ("blue", H12, W12, {"hair": 600})):
        gains = []
        for seed in range(3):
            scene = keying_scene(h, w, seed, key, **knobs)
            if not figures:
                figures = _band_times(scene.image, params, plain)
            band = edge_band(scene.alpha, 2)
            keyed = sad(chroma_key(scene.image, ChromaKeyParams(key=key)), scene.alpha, band)
            matted = sad(chroma_key(scene.image, ChromaKeyParams(key=key, band_matting=True)), scene.alpha, band)
            gains.append(round(keyed / matted, 3))
            del scene, band
        figures[f"{key}_band_sad_ratio"] = gains
    return record("chroma_key_band_matting_24mp", figures.pop("ms"), "the key without band matting",
                  figures.pop("plain_ms"), budget_ms=1000, **figures)


def bench_color_range_24mp():
    scene = object_scene(H24, W24, 0)
    x, y, w, h = scene.rect
    sample = tuple(int(c) for c in scene.image[y + h // 2 - h // 5, x + w // 3, :3])
    params = ColorRangeParams([sample], fuzziness=40)
    ours = median_ms(lambda: color_range(scene.image, params), repeat=7)
    lo = tuple(max(0, c - 30) for c in sample)
    hi = tuple(min(255, c + 30) for c in sample)
    rgb = np.ascontiguousarray(scene.image[..., :3])
    baseline = median_ms(lambda: cv2.inRange(rgb, lo, hi), repeat=7)
    soft = color_range(scene.image, params)
    return record("color_range_24mp", ours, "cv2.inRange hard box (+-30)", baseline, budget_ms=50,
                  cpu_ms=round(cpu_median_ms(lambda: color_range(scene.image, params), warmup=1), 1),
                  baseline_cpu_ms=round(cpu_median_ms(lambda: cv2.inRange(rgb, lo, hi), warmup=1), 1),
                  selected_fraction=round(float((soft >= 128).mean()), 4),
                  soft_fraction=round(float(((soft > 0) & (soft < 255)).mean()), 4))


def bench_object_select_12mp():
    times, ious = [], []
    for seed in range(3):
        scene = object_scene(H12, W12, seed)
        t0 = time.perf_counter()
        mask = object_select(scene.image, ObjectSelectParams(rect=scene.rect))
        times.append((time.perf_counter() - t0) * 1000)
        ious.append(iou(mask, scene.alpha))
    # Baseline: plain full-resolution GrabCut, which is only affordable at 1 MP.
    small = object_scene(866, 1155, 0)
    bgr = cv2.cvtColor(small.image, cv2.COLOR_RGBA2BGR)
    mask = np.zeros(bgr.shape[:2], np.uint8)
    t0 = time.perf_counter()
    cv2.setRNGSeed(0)
    cv2.grabCut(bgr, mask, small.rect, np.zeros((1, 65)), np.zeros((1, 65)), 5, cv2.GC_INIT_WITH_RECT)
    base_ms = (time.perf_counter() - t0) * 1000
    base_iou = iou(((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8) * 255, small.alpha)
    return record("object_select_12mp", float(np.median(times)), "full-res GrabCut at 1 MP", base_ms, budget_ms=5000,
                  iou=[round(v, 4) for v in ious], iou_min=round(min(ious), 4), baseline_iou_1mp=round(base_iou, 4),
                  max_ms=round(max(times)))


def bench_object_select_lookalike_12mp():
    """Subjects painted from the clutter's own colours: the texture starts against plain GrabCut (Lab only)."""
    times, ious, plain_times, plain_ious = [], [], [], []
    for seed in range(3):
        scene = lookalike_scene(H12, W12, seed)
        for plain, ts, qs in ((False, times, ious), (True, plain_times, plain_ious)):
            t0 = time.perf_counter()
            mask = object_select(scene.image, ObjectSelectParams(rect=scene.rect, plain=plain))
            ts.append((time.perf_counter() - t0) * 1000)
            qs.append(iou(mask, scene.alpha))
        del scene
    return record("object_select_lookalike_12mp", float(np.median(times)), "plain GrabCut (Lab, one start)",
                  float(np.median(plain_times)), budget_ms=5000, iou=[round(v, 4) for v in ious],
                  iou_min=round(min(ious), 4), plain_iou=[round(v, 4) for v in plain_ious], max_ms=round(max(times)))


def bench_refine_edge_hair():
    scene = hair_scene(1000, 1300, 0)
    hard = ((scene.alpha >= 0.5) * 255).astype(np.uint8)  # what a binary object select gives
    band = edge_band(scene.alpha, 3)
    params = RefineParams(radius=8)
    t0 = time.perf_counter()
    refined, _ = refine_edge(scene.image, hard, params)
    ms = (time.perf_counter() - t0) * 1000
    guided = cv2.ximgproc.guidedFilter(np.ascontiguousarray(scene.image[..., :3]), hard.astype(np.float32) / 255, 8, 1e-4 * 65025)
    t0 = time.perf_counter()
    cv2.ximgproc.guidedFilter(np.ascontiguousarray(scene.image[..., :3]), hard.astype(np.float32) / 255, 8, 1e-4 * 65025)
    guided_ms = (time.perf_counter() - t0) * 1000
    before, after = sad(hard, scene.alpha, band), sad(refined, scene.alpha, band)
    return record("refine_edge_hair", ms, "guided filter of the hard mask", guided_ms,
                  megapixels=1.3, band_sad_before=round(before, 2), band_sad_after=round(after, 2),
                  band_sad_ratio=round(before / after, 2), band_sad_guided=round(sad(np.clip(guided, 0, 1), scene.alpha, band), 2))
