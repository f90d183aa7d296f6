"""Device links read into Color Lookup tables: mft2 and mAB, curves, the CLUT's order."""

import numpy as np
import pytest

from editor.io.icc_link import ProfileError, device_link_table

from .icc_builders import mab_link, mft2_link, swap_grid


@pytest.mark.parametrize("build", [mft2_link, mab_link])
def test_a_link_swapping_red_and_blue(build):
    table = device_link_table(build(swap_grid()), size=5).astype(int)
    axis = np.round(np.linspace(0, 255, 5)).astype(int)
    assert np.abs(table[:, 2, 0, 2] - axis).max() <= 1  # red in: blue out
    assert np.abs(table[4, :, 1, 1] - axis).max() <= 1  # green kept
    assert np.abs(table[0, 0, :, 0] - axis).max() <= 1  # blue in: red out


def test_a_parametric_curve_before_the_clut():
    identity = swap_grid(2)[..., ::-1]
    table = device_link_table(mab_link(identity, gamma=2.0), size=3)
    assert table[1, 1, 1].tolist() == [64, 64, 64]  # 0.5 squared


def test_not_a_link():
    with pytest.raises(ProfileError):
        device_link_table(b"\0" * 200)
