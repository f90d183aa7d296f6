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
