"""The hard keying scenes are what they claim: fractional hair, a solid core, look-alike colours, uneven light."""

import numpy as np
import pytest

from tests.masks.scenes_keying import core_loss, hard_hsv_key, keying_scene


@pytest.mark.parametrize("key", ["green", "blue"])
@pytest.mark.parametrize("seed", [0, 1])
def test_scene_has_what_makes_keying_hard(key, seed):
    s = keying_scene(300, 400, seed, key)
    partial = (s.alpha > 0.05) & (s.alpha < 0.95)
    assert partial.sum() > 0.005 * s.alpha.size  # soft edge and translucent strands
    assert s.core.any() and (s.alpha[s.core] == 1).all()
    screen = s.image[..., :3][s.alpha == 0].astype(np.float32)
    channel = 1 if key == "green" else 2
    assert np.percentile(screen[:, channel], 95) - np.percentile(screen[:, channel], 5) > 40  # uneven light
    # The hard HSV key eats part of the core: the subject holds screen-like colours.
    assert core_loss(hard_hsv_key(s.image, key), s.core) > 0.05


def test_scenes_differ_by_seed_and_repeat_by_seed():
    a, b = keying_scene(200, 300, 0), keying_scene(200, 300, 1)
    assert not np.array_equal(a.image, b.image)
    assert np.array_equal(a.image, keying_scene(200, 300, 0).image)


@pytest.mark.parametrize("key", ["green", "blue"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_subject_is_never_the_screen_colour(key, seed):
    """Fair scenes: every core colour (spill and light included, before noise) lies at least 18 levels
    from the screen behind it at any brightness from 0.6 to 1.4 of it (three noise sigmas at the most
    noise), so a keyer can tell it from screen; the look-alike palette is greenish (bluish), not screen."""
    s = keying_scene(400, 600, seed, key)
    colour, screen = s.foreground[s.core], s.backdrop[s.core]
    k = np.clip((colour * screen).sum(axis=1) / (screen * screen).sum(axis=1), 0.6, 1.4)
    assert np.linalg.norm(colour - k[:, None] * screen, axis=1).min() > 18.0
