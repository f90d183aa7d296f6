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
