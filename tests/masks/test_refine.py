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
