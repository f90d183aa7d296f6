import cv2
import numpy as np
import pytest

from editor.masks.object_select import Cancelled
from editor.masks.refine import RefineParams, refine_edge, shape_edge, trimap
from tests.masks.scenes import edge_band, hair_scene, sad


@pytest.fixture(scope="module")
def hair():
    return hair_scene(260, 320, 0)


def test_matting_recovers_hair_lost_by_a_hard_mask(hair):
    hard = ((hair.alpha >= 0.5) * 255).astype(np.uint8)
    band = edge_band(hair.alpha, 3)
    refined, colours = refine_edge(hair.image, hard, RefineParams(radius=8))
    assert colours is None
    assert sad(refined, hair.alpha, band) * 2 < sad(hard, hair.alpha, band)
    far = ~edge_band(hair.alpha, 12)
    assert np.array_equal(refined[far] >= 128, hard[far] >= 128)  # only the band changes


def test_decontaminate_pulls_edge_colours_away_from_the_background(hair):
    hard = ((hair.alpha >= 0.5) * 255).astype(np.uint8)
    _, colours = refine_edge(hair.image, hard, RefineParams(radius=8, decontaminate=True))
    assert colours is not None and colours.shape == hair.image.shape
    tri = trimap(hard, 8)
    outside_band = tri != 0.5
    assert np.array_equal(colours[outside_band], hair.image[outside_band])
    thin = (hair.alpha > 0.2) & (hair.alpha < 0.6)
    # Strands are dark/warm over a light blue-grey backdrop: cleaned strands are less blue than the mix.
    mixed_blue = hair.image[thin][:, 2].astype(float).mean()
    cleaned_blue = colours[thin][:, 2].astype(float).mean()
    assert cleaned_blue < mixed_blue - 5


def test_trimap_marks_the_band_as_unknown():
    mask = np.zeros((40, 40), np.uint8)
    mask[10:30, 10:30] = 255
    tri = trimap(mask, 3)
    assert tri[20, 20] == 1.0 and tri[0, 0] == 0.0 and tri[10, 20] == 0.5 and tri[7, 20] == 0.5 and tri[6, 20] == 0.0


def test_shaping_controls():
    mask = np.zeros((60, 60), np.uint8)
    mask[20:40, 20:40] = 255
    grown = refine_edge(np.zeros((60, 60, 3), np.uint8), mask, RefineParams(radius=4, shift_edge=1.0, matting=False))[0]
    shrunk = refine_edge(np.zeros((60, 60, 3), np.uint8), mask, RefineParams(radius=4, shift_edge=-1.0, matting=False))[0]
    assert (grown >= 128).sum() > (mask >= 128).sum() > (shrunk >= 128).sum()
    feathered = refine_edge(np.zeros((60, 60, 3), np.uint8), mask, RefineParams(feather=3, matting=False))[0]
    assert ((feathered > 0) & (feathered < 255)).sum() > 100
    steep = refine_edge(np.zeros((60, 60, 3), np.uint8), feathered, RefineParams(contrast=0.8, matting=False))[0]
    assert ((steep > 0) & (steep < 255)).sum() < ((feathered > 0) & (feathered < 255)).sum()
    jaggy = mask.copy()
    jaggy[20:40:2, 40] = 255  # a comb of one-pixel teeth
    smooth = shape_edge(jaggy, RefineParams(smooth=2.0))
    assert smooth[20:40, 40].std() < (jaggy[20:40, 40] / 255).std()
    assert RefineParams.from_dict(RefineParams(radius=3, decontaminate=True).to_dict()) == RefineParams(radius=3, decontaminate=True)


def test_cancel(hair):
    hard = ((hair.alpha >= 0.5) * 255).astype(np.uint8)
    with pytest.raises(Cancelled):
        refine_edge(hair.image, hard, RefineParams(radius=8), cancel=lambda: True)


def test_decontaminate_amount_blends_the_cleaned_colours_with_the_layers(hair):
    hard = ((hair.alpha >= 0.5) * 255).astype(np.uint8)
    _, full = refine_edge(hair.image, hard, RefineParams(radius=8, decontaminate=True))
    _, half = refine_edge(hair.image, hard, RefineParams(radius=8, decontaminate=True, decontaminate_amount=0.5))
    _, none = refine_edge(hair.image, hard, RefineParams(radius=8, decontaminate=True, decontaminate_amount=0.0))
    assert none is None  # nothing to clean: the layer's pixels stay as they are
    changed = np.any(full != hair.image, axis=2)
    assert changed.sum() > 100
    expected = (full[..., :3].astype(np.float32) + hair.image[..., :3]) / 2
    assert np.abs(half[..., :3] - expected).max() <= 1.0
    assert np.array_equal(half[..., 3], hair.image[..., 3])


def test_radius_strokes_make_a_band_where_painted_and_alt_strokes_take_it_back(hair):
    hard = ((hair.alpha >= 0.5) * 255).astype(np.uint8)
    contour = max(cv2.findContours(hard, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)[0], key=len)[:, 0, :]
    along = contour[: len(contour) // 4 : 4].tolist()  # a quarter of the outline, brushed along
    stroke = {"points": along, "size": 16.0}
    painted, _ = refine_edge(hair.image, hard, RefineParams(radius=0, radius_strokes=[stroke]))
    from editor.masks.refine import PAINTED, radius_strokes_map

    brushed = radius_strokes_map([stroke], hard.shape) == PAINTED
    assert sad(painted, hair.alpha, brushed) < 0.6 * sad(hard, hair.alpha, brushed)  # the strands there are matted
    assert np.array_equal(painted[~brushed], hard[~brushed])  # no radius: nothing else is touched
    erase = {"points": along[: len(along) // 2], "size": 24.0, "erase": True}
    erased, _ = refine_edge(hair.image, hard, RefineParams(radius=0, radius_strokes=[stroke, erase]))
    rubbed = radius_strokes_map([erase], hard.shape) > 0
    assert np.array_equal(erased[rubbed], hard[rubbed])  # Alt took the band back: the mask's own edge there
    assert sad(erased, hair.alpha, brushed & ~rubbed) < 0.6 * sad(hard, hair.alpha, brushed & ~rubbed)


def test_radius_strokes_replay_at_the_preview_scale_and_survive_the_schema():
    from editor.masks.generators import generator_op
    from editor.masks.refine import PAINTED, radius_strokes_map

    strokes = [{"points": [[100, 40], [100, 160]], "size": 20}]
    full, half = radius_strokes_map(strokes, (200, 200)), radius_strokes_map(strokes, (100, 100), 0.5)
    assert (full == PAINTED).sum() == pytest.approx(4 * (half == PAINTED).sum(), rel=0.15)
    assert full[100, 95] == PAINTED and half[50, 48] == PAINTED and full[100, 120] == 0
    schema = generator_op("refine-edge").schema
    saved = RefineParams(radius=4, radius_strokes=strokes, decontaminate_amount=0.3).to_dict()
    values = schema.from_json(schema.to_json({k: v for k, v in saved.items() if k != "kind"}))
    assert RefineParams.from_dict(values).radius_strokes == [{"points": [[100.0, 40.0], [100.0, 160.0]], "size": 20.0,
                                                              "erase": False}]
    with pytest.raises(ValueError, match="size"):
        schema.validate({"radius_strokes": [{"points": [[1, 2]], "size": 0}]})


def test_decontaminate_cleans_a_feathered_edge_without_matting():
    # A red card on a green screen, edge mixed over 6 px: a feather alone leaves green in the soft pixels.
    h, w = 80, 120
    ramp = np.clip((np.arange(w, dtype=np.float32) - 57) / 6.0, 0, 1)[None, :].repeat(h, 0)
    image = np.zeros((h, w, 4), np.uint8)
    image[..., 0] = (220 * ramp + 30 * (1 - ramp)).astype(np.uint8)
    image[..., 1] = (40 * ramp + 200 * (1 - ramp)).astype(np.uint8)
    image[..., 2], image[..., 3] = 40, 255
    mask = ((ramp >= 0.5) * 255).astype(np.uint8)
    params = RefineParams(radius=0, feather=2.0, matting=False, decontaminate=True)
    refined, cleaned = refine_edge(image, mask, params)
    soft = (refined > 0) & (refined < 255)
    assert soft.sum() > 4 * h
    green_before, green_after = image[soft][:, 1].astype(float).mean(), cleaned[soft][:, 1].astype(float).mean()
    assert green_after < green_before - 30  # the screen's green is gone from the edge, toward the card's 40
    assert np.array_equal(cleaned[refined == 255], image[refined == 255])
    assert np.array_equal(cleaned[refined == 0], image[refined == 0])
    assert np.array_equal(cleaned[..., 3], image[..., 3])


def _matte_whole_crops(rgb, tri):
    """matte_band as it was before solve_box: pymatting on each tile's whole crop."""
    from editor.masks.refine import _crops, pymatting_solvers

    estimate_alpha_cf, _ = pymatting_solvers()
    alpha = tri.astype(np.float32)
    unknown = tri == 0.5
    for target, crop, core in _crops(unknown, tri == 1.0, tri == 0.0):
        crop_alpha = estimate_alpha_cf(rgb[crop].astype(np.float64) / 255.0, tri[crop])
        np.copyto(alpha[target], crop_alpha[core].astype(np.float32), where=unknown[target])
    return np.clip(alpha, 0, 1)


def test_matting_on_the_solve_box_is_the_whole_crops_solve(hair):
    """Each tile is solved on its unknowns' bounds grown by the Laplacian's reach (the same
    system as the whole crop's), its unknowns in reverse Cuthill-McKee order: the same alpha as
    pymatting on the whole crop, to its solver's tolerance (a band through hair, two radii)."""
    from editor.masks.refine import matte_band, solve_box

    hard = ((hair.alpha >= 0.5) * 255).astype(np.uint8)
    rgb = np.ascontiguousarray(hair.image[..., :3])
    for radius in (3, 8):
        tri = trimap(hard, radius)
        ours, theirs = matte_band(rgb, tri), _matte_whole_crops(rgb, tri)
        assert np.abs(ours - theirs).max() < 1e-4
        assert np.abs(np.round(ours * 255) - np.round(theirs * 255)).max() <= 1
    box = solve_box(np.pad(np.ones((3, 5), bool), ((10, 20), (30, 1))))
    assert box == (slice(8, 15), slice(28, 36))  # 2 px around, clipped to the crop


def test_a_strand_thinner_than_the_band_is_matted_from_the_whole_crop():
    """A 3 px line erodes away: a band with no foreground of its own, beside a blob's, matted as
    pymatting matts the tile's whole crop (a box without both known sides falls back to it)."""
    from editor.masks.refine import matte_band

    rng = np.random.default_rng(5)
    image = rng.integers(0, 40, (300, 300, 3), dtype=np.uint8)
    hard = np.zeros((300, 300), np.uint8)
    hard[50:150, 50:150] = 255
    hard[20:280, 200:203] = 255
    image[hard > 0] = (200, 180, 160)
    tri = trimap(hard, 4)
    ours, theirs = matte_band(image, tri), _matte_whole_crops(image, tri)
    assert np.abs(ours - theirs).max() < 1e-4 and (tri[100, 197:206] == 0.5).all()


@pytest.mark.parametrize("params", [
    RefineParams(radius=4),
    RefineParams(radius=6, smooth=1.5, feather=1.0, shift_edge=0.5, contrast=0.3, decontaminate=True),
])
def test_refining_the_window_is_refining_the_whole_picture(params):
    """refine_window: refine_edge on the window gives the whole picture's result there and the
    refined mask is 0 outside it; the window is on the tile grid and smaller than the picture."""
    from editor.masks.refine import TILE, refine_window
    from tests.masks.scenes import hair_scene

    scene = hair_scene(260, 320, 1)
    h, w = 1300, 1500
    image = np.empty((h, w, 4), np.uint8)
    image[:] = scene.image[0, 0]  # the scene's backdrop all round
    image[500:760, 610:930] = scene.image
    mask = np.zeros((h, w), np.uint8)
    mask[500:760, 610:930] = ((scene.alpha >= 0.5) * 255).astype(np.uint8)
    ys, xs = np.nonzero(mask)
    window = refine_window((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1), (h, w), params)
    x0, y0, x1, y1 = window
    assert x0 % TILE == 0 and y0 % TILE == 0 and (x1 - x0) * (y1 - y0) < h * w / 2
    full_mask, full_colours = refine_edge(image, mask, params)
    part_mask, part_colours = refine_edge(image[y0:y1, x0:x1], mask[y0:y1, x0:x1], params)
    np.testing.assert_array_equal(part_mask, full_mask[y0:y1, x0:x1])
    outside = np.ones((h, w), bool)
    outside[y0:y1, x0:x1] = False
    assert not full_mask[outside].any()
    if params.decontaminate:
        np.testing.assert_array_equal(part_colours, full_colours[y0:y1, x0:x1])
    assert refine_window((0, 0, 5, 5), (h, w), RefineParams(radius_strokes=[{"points": [[1, 1]], "size": 3}])) is None
