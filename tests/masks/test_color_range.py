import cv2
import numpy as np
import pytest

from editor.masks.color_range import ColorRangeParams, color_range, parse_hex, srgb_to_lab


def _reference(pixels: np.ndarray, params: ColorRangeParams) -> np.ndarray:
    """Per-pixel Lab distances without the lookup table."""
    lab = srgb_to_lab(pixels[..., :3])
    fuzz = params.fuzziness
    weight = np.zeros(pixels.shape[:2], np.float32)
    for s in srgb_to_lab(np.asarray(params.samples, np.float32)):
        d = np.sqrt(((lab - s) ** 2).sum(axis=-1))
        weight = np.maximum(weight, np.clip((fuzz - d) / (fuzz / 2), 0, 1))
    return weight * 255


def test_lookup_table_matches_per_pixel_lab_distance():
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (64, 64, 4), dtype=np.uint8)
    params = ColorRangeParams([(200, 40, 40), (40, 90, 200)], fuzziness=60)
    got = color_range(pixels, params).astype(np.float32)
    ref = _reference(pixels, params)
    assert np.abs(got - ref).mean() < 2.0
    assert np.abs(got - ref).max() < 40  # only where quantisation crosses a steep ramp


def test_sampled_colour_is_selected_and_distant_colours_are_not():
    pixels = np.zeros((2, 3, 3), np.uint8)
    pixels[0] = [(200, 40, 40), (205, 45, 38), (40, 200, 40)]
    pixels[1] = [(30, 30, 30), (250, 250, 250), (190, 50, 50)]
    mask = color_range(pixels, ColorRangeParams([(200, 40, 40)], fuzziness=40))
    assert mask[0, 0] == 255 and mask[0, 1] == 255
    assert mask[0, 2] == 0 and mask[1, 0] == 0 and mask[1, 1] == 0
    assert 0 < mask[1, 2] <= 255


def test_selection_is_soft_and_falls_with_distance():
    ramp = np.zeros((1, 64, 3), np.uint8)
    ramp[0, :, 0] = 200
    ramp[0, :, 1] = np.linspace(40, 200, 64).astype(np.uint8)
    ramp[0, :, 2] = 40
    mask = color_range(ramp, ColorRangeParams([(200, 40, 40)], fuzziness=50))[0].astype(int)
    assert mask[0] == 255 and mask[-1] == 0
    assert np.all(np.diff(mask) <= 0)
    assert ((mask > 0) & (mask < 255)).sum() >= 5  # a real ramp, not a cut


def test_more_fuzziness_selects_more_and_samples_add_up():
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (50, 50, 3), dtype=np.uint8)
    narrow = color_range(pixels, ColorRangeParams([(120, 60, 200)], 20))
    wide = color_range(pixels, ColorRangeParams([(120, 60, 200)], 80))
    assert (wide >= narrow).all() and wide.sum() > narrow.sum()
    two = color_range(pixels, ColorRangeParams([(120, 60, 200), (10, 200, 100)], 20))
    other = color_range(pixels, ColorRangeParams([(10, 200, 100)], 20))
    assert np.array_equal(two, np.maximum(narrow, other))


def test_shading_of_the_sampled_colour_counts_less_than_a_change_of_hue():
    """Lab with half-weighted lightness: a darker red is closer than an orange at a similar RGB distance."""
    pixels = np.array([[(150, 30, 30), (200, 90, 40)]], np.uint8)  # darker red (RGB distance 51) / orange (50)
    mask = color_range(pixels, ColorRangeParams([(200, 40, 40)], fuzziness=30))
    assert mask[0, 0] > mask[0, 1]


def test_empty_samples_select_nothing_and_remove_sample_takes_the_nearest():
    pixels = np.full((4, 4, 3), 128, np.uint8)
    params = ColorRangeParams()
    assert color_range(pixels, params).max() == 0
    params.add_sample((128, 128, 128))
    params.add_sample((10, 200, 10))
    params.add_sample((128, 128, 128))  # duplicates are ignored
    assert len(params.samples) == 2
    assert color_range(pixels, params).min() == 255
    params.remove_sample((120, 130, 125))
    assert params.samples == [(10, 200, 10)]
    assert ColorRangeParams.from_dict(params.to_dict()) == params


def test_parse_hex_and_bad_input():
    assert parse_hex("#FF8000") == (255, 128, 0)
    assert parse_hex("00ff00") == (0, 255, 0)
    with pytest.raises(ValueError):
        parse_hex("#12345")
    with pytest.raises(ValueError):
        color_range(np.zeros((4, 4), np.uint8), ColorRangeParams([(0, 0, 0)]))


def test_beats_a_hard_in_range_cut_on_a_shaded_object():
    """A shaded ball: colour range follows the shading softly, inRange either clips or spills."""
    h = w = 200
    yy, xx = np.mgrid[0:h, 0:w]
    inside = (xx - 100) ** 2 + (yy - 100) ** 2 < 70**2
    shade = np.clip(1.1 - ((xx - 70) ** 2 + (yy - 70) ** 2) / 140.0**2, 0.55, 1.0)
    pixels = np.empty((h, w, 3), np.uint8)
    pixels[:] = (70, 130, 90)  # green-grey backdrop
    ball = np.stack([220 * shade, 60 * shade, 50 * shade], axis=-1)
    pixels[inside] = ball[inside].astype(np.uint8)
    mask = color_range(pixels, ColorRangeParams([(220, 60, 50)], fuzziness=60))
    assert (mask[inside] > 128).mean() > 0.97
    assert (mask[~inside] > 0).mean() < 0.01
    hard = cv2.inRange(pixels, (190, 40, 30), (255, 80, 70))  # a box around the sample
    assert (hard[inside] > 0).mean() < (mask[inside] > 128).mean()
