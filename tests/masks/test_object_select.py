import cv2
import numpy as np
import pytest

from editor.masks.object_select import (
    Cancelled,
    ObjectSelectParams,
    feature_image,
    grabcut_energy,
    object_select,
    subject_prior,
    texture_map,
)
from editor.masks.strokes import strokes_map
from tests.masks.scenes import iou, object_scene
from tests.masks.scenes_lookalike import lookalike_scene

SIZE = (450, 600)


@pytest.mark.parametrize("seed", [0, 1, 2, 5])
def test_rectangle_selects_the_object_at_reduced_scale(seed):
    scene = object_scene(*SIZE, seed)
    progress: list[float] = []
    mask = object_select(scene.image, ObjectSelectParams(rect=scene.rect, work_pixels=60_000), progress=progress.append)
    assert mask.shape == SIZE and mask.dtype == np.uint8
    assert iou(mask, scene.alpha) > 0.97  # the benchmark asks 0.95 at 12 MP
    assert progress == sorted(progress) and progress[-1] == 1.0 and len(progress) >= 5


def test_edge_band_refinement_snaps_to_the_full_resolution_edge():
    scene = object_scene(*SIZE, 3)
    params = dict(rect=scene.rect, work_pixels=25_000)
    coarse = object_select(scene.image, ObjectSelectParams(refine=False, **params))
    fine = object_select(scene.image, ObjectSelectParams(refine=True, **params))
    assert iou(fine, scene.alpha) > iou(coarse, scene.alpha)


def test_scribbles_correct_the_cut():
    scene = object_scene(*SIZE, 4)
    x, y, w, h = scene.rect
    params = ObjectSelectParams(rect=scene.rect, work_pixels=60_000)
    before = object_select(scene.image, params)
    # Mark a strip of the object as background: it must leave the selection.
    bg = np.zeros(SIZE, np.uint8)
    cy = y + h // 2
    bg[cy - 3 : cy + 3, x : x + w] = 1
    after_bg = object_select(scene.image, params, bg_scribbles=bg)
    strip = (slice(cy - 3, cy + 3), slice(x, x + w))
    assert (after_bg[strip] < 128).all() and (before[strip] >= 128).any()
    # Mark a piece of clutter inside the box as foreground: it joins.
    fg = np.zeros(SIZE, np.uint8)
    outside = (scene.alpha < 0.5) & (before < 128)
    ys, xs = np.nonzero(outside[y : y + h, x : x + w])
    py, px = ys[len(ys) // 2] + y, xs[len(xs) // 2] + x
    fg[py - 2 : py + 3, px - 2 : px + 3] = 1
    after_fg = object_select(scene.image, params, fg_scribbles=fg)
    assert (after_fg[py - 2 : py + 3, px - 2 : px + 3] >= 128).all()


def test_cancel_stops_between_iterations():
    scene = object_scene(*SIZE, 0)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        object_select(scene.image, ObjectSelectParams(rect=scene.rect, work_pixels=60_000), cancel=cancel)
    assert len(calls) == 3


def test_same_input_gives_the_same_mask():
    scene = object_scene(300, 400, 5)
    params = ObjectSelectParams(rect=scene.rect, work_pixels=40_000)
    assert np.array_equal(object_select(scene.image, params), object_select(scene.image, params))


def test_select_subject_finds_a_centred_product():
    """Where it works: a subject inside the frame that differs from the backdrop."""
    hits = [iou(object_select(s.image, ObjectSelectParams(subject=True, work_pixels=60_000)), s.alpha)
            for s in (object_scene(*SIZE, seed) for seed in range(3))]
    assert min(hits) > 0.85 and np.mean(hits) > 0.9, hits


def test_select_subject_fails_when_the_subject_fills_the_frame_edge():
    """Where it fails (documented): a subject cut by the frame is taken for backdrop at the border."""
    scene = object_scene(*SIZE, 0)
    x, y, w, h = scene.rect
    crop = np.ascontiguousarray(scene.image[y + h // 3 :, x + w // 3 :])  # the product now runs off two edges
    truth = scene.alpha[y + h // 3 :, x + w // 3 :]
    mask = object_select(crop, ObjectSelectParams(subject=True, work_pixels=60_000))
    assert iou(mask, truth) < 0.9


def test_subject_prior_is_higher_on_the_subject():
    scene = object_scene(300, 400, 1)
    small = cv2.resize(np.ascontiguousarray(scene.image[..., :3]), (200, 150), interpolation=cv2.INTER_AREA)
    prior = subject_prior(small)
    truth = cv2.resize(scene.alpha, (200, 150)) > 0.5
    assert prior[truth].mean() > prior[~truth].mean() + 0.2


def test_bad_requests_are_refused():
    image = np.zeros((50, 50, 3), np.uint8)
    with pytest.raises(ValueError):
        object_select(image, ObjectSelectParams())
    with pytest.raises(ValueError):
        object_select(image, ObjectSelectParams(rect=(10, 10, 0, 5)))
    params = ObjectSelectParams(rect=(1, 2, 3, 4), subject=False)
    assert ObjectSelectParams.from_dict(params.to_dict()) == params


# --- look-alike backgrounds: the subject's colours are the clutter's --------------------------

LOOKALIKE_PARAMS = dict(work_pixels=60_000)


@pytest.mark.parametrize("seed", [0, 3, 6, 11])
def test_lookalike_background_is_told_apart_by_texture(seed):
    scene = lookalike_scene(*SIZE, seed)
    ours = object_select(scene.image, ObjectSelectParams(rect=scene.rect, **LOOKALIKE_PARAMS))
    plain = object_select(scene.image, ObjectSelectParams(rect=scene.rect, plain=True, **LOOKALIKE_PARAMS))
    assert iou(ours, scene.alpha) >= 0.97  # the bench asks 0.95 at 12 MP
    assert iou(ours, scene.alpha) > iou(plain, scene.alpha)


def test_lookalike_scenes_differ_by_seed_and_share_colours():
    a, b = lookalike_scene(*SIZE, 0), lookalike_scene(*SIZE, 1)
    assert iou(a.alpha, b.alpha) < 0.9
    # With the grain blurred away, nearly every subject colour (in 32-level bins) is also a backdrop colour.
    bins = (cv2.GaussianBlur(a.image[..., :3], (0, 0), 3) // 32).astype(np.int32) @ np.array([64, 8, 1])
    backdrop = np.isin(bins[a.alpha > 0.5], np.unique(bins[a.alpha < 0.5]))
    assert backdrop.mean() > 0.95


def test_the_lowest_energy_labelling_is_the_truth_not_a_grown_one():
    scene = lookalike_scene(*SIZE, 2)
    lab = cv2.cvtColor(np.ascontiguousarray(scene.image[..., :3]), cv2.COLOR_RGB2Lab)
    image = feature_image(lab, texture_map(np.ascontiguousarray(scene.image[..., :3]), SIZE[::-1], 1.0))
    truth = np.where(scene.alpha > 0.5, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    grown = np.where(cv2.dilate((scene.alpha > 0.5).astype(np.uint8), np.ones((15, 15), np.uint8)) > 0,
                     cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    assert grabcut_energy(image, truth) < grabcut_energy(image, grown)


def test_texture_map_does_not_spill_the_grain_past_the_edge():
    rng = np.random.default_rng(0)
    rgb = np.full((200, 200, 3), 128, np.uint8)
    rgb[:, :100] = np.clip(128 + rng.normal(0, 30, (200, 100, 3)), 0, 255).astype(np.uint8)
    tex = texture_map(rgb, (200, 200), 0.25)  # a 7 px window
    assert tex[:, 10:95].min() > 10 and tex[:, 100:].max() < 1


def test_scribbles_override_the_texture_starts():
    scene = lookalike_scene(*SIZE, 4)
    x, y, w, h = scene.rect
    bg = np.zeros(SIZE, np.uint8)
    cy = y + h // 2
    bg[cy - 3 : cy + 3, x : x + w] = 1
    mask = object_select(scene.image, ObjectSelectParams(rect=scene.rect, **LOOKALIKE_PARAMS), bg_scribbles=bg)
    assert (mask[cy - 3 : cy + 3, x : x + w] == 0).all()
    assert iou(mask, scene.alpha * (1 - bg)) > 0.9


def test_scribble_strokes_in_the_parameters_act_as_scribble_masks():
    scene = lookalike_scene(*SIZE, 4)
    x, y, w, h = scene.rect
    cy = y + h // 2
    stroke = {"points": [[x, cy], [x + w, cy]], "size": 7, "background": True}
    bg = (strokes_map([stroke], SIZE, "background") > 0).astype(np.uint8)
    by_mask = object_select(scene.image, ObjectSelectParams(rect=scene.rect, **LOOKALIKE_PARAMS), bg_scribbles=bg)
    params = ObjectSelectParams(rect=scene.rect, scribbles=[stroke], **LOOKALIKE_PARAMS)
    assert np.array_equal(object_select(scene.image, params), by_mask)
    assert (by_mask[bg > 0] == 0).all()
    assert ObjectSelectParams.from_dict(params.to_dict()) == ObjectSelectParams(
        rect=scene.rect, scribbles=[{"points": [[x, cy], [x + w, cy]], "size": 7.0, "background": True}], **LOOKALIKE_PARAMS)
    with pytest.raises(ValueError, match="not both"):
        object_select(scene.image, params, bg_scribbles=bg)
