"""The screen plate follows uneven light under and around the subject, and reads the noise."""

import numpy as np
import pytest

from editor.masks.screen_plate import plate_at, screen_plate
from tests.masks.scenes import screen_scene
from tests.masks.scenes_keying import keying_scene


@pytest.mark.parametrize("key", ["green", "blue"])
@pytest.mark.parametrize("seed", [0, 1])
def test_plate_follows_the_uneven_screen(key, seed):
    s = keying_scene(600, 900, seed, key, noise=5.0)
    plate = screen_plate(s.image, 1 if key == "green" else 2)
    error = np.linalg.norm(plate_at(plate, s.alpha.shape) - s.backdrop, axis=2)
    spread = np.linalg.norm(s.backdrop - s.backdrop.reshape(-1, 3).mean(axis=0), axis=2)
    screen = s.alpha == 0
    assert np.percentile(spread[screen], 90) > 25  # the light really is uneven
    assert np.median(error[screen]) < 2.0 and np.percentile(error[screen], 99) < 12.0
    assert 3.5 < plate.noise < 6.5  # per-channel sigma read off the screen


def test_a_screen_coloured_patch_inside_the_subject_is_not_screen():
    """Navy and lavender on a blue screen are screen-like in hue; the plate under them stays the screen's."""
    s = keying_scene(600, 900, 4, "blue")
    plate = plate_at(screen_plate(s.image, 2), s.alpha.shape)
    error = np.linalg.norm(plate - s.backdrop, axis=2)
    assert np.percentile(error[s.core], 90) < 15.0


def test_without_even_light_one_colour_for_the_frame():
    s = screen_scene(200, 300, 0, "green")
    plate = screen_plate(s.image, 1, even_light=False)
    assert plate.grid.shape == (1, 1, 3)
    assert plate.grid[0, 0, 1] > plate.grid[0, 0, 0] + 60


@pytest.mark.parametrize("shape", [(333, 517, 4), (250, 371, 3), (64, 900, 4)])
def test_the_cell_order_statistics_are_the_sorted_samples(shape):
    """_cell_medians sorts each cell's 16 samples with a network run across a grid row at once: the
    median and IQR / 1.349 of the plainly sorted samples, per cell and channel, at odd sizes, RGB and RGBA."""
    from editor.masks.screen_plate import SUBSAMPLES, _cell_medians, grid_step

    pixels = np.random.default_rng(shape[1]).integers(0, 256, shape, np.uint8)
    step = grid_step(shape)
    median, spread = _cell_medians(pixels, step)
    gh, gw = median.shape[:2]
    offsets = np.array([int((i + 0.5) * step / SUBSAMPLES) for i in range(SUBSAMPLES)])
    ys = (np.arange(gh)[:, None] * step + offsets[None, :]).reshape(-1)
    xs = (np.arange(gw)[:, None] * step + offsets[None, :]).reshape(-1)
    samples = pixels[ys][:, xs, :3].astype(np.int32).reshape(gh, SUBSAMPLES, gw, SUBSAMPLES, 3)
    ordered = np.sort(samples.transpose(0, 2, 4, 1, 3).reshape(gh, gw, 3, -1), axis=-1)
    m = ordered.shape[-1]
    assert np.array_equal(median, (0.5 * (ordered[..., m // 2 - 1] + ordered[..., m // 2])).astype(np.float32))
    iqr = (ordered[..., (3 * m) // 4] - ordered[..., m // 4]).astype(np.float32)
    assert np.array_equal(spread, iqr / np.float32(1.349))
