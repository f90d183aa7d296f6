import numpy as np

from editor.masks.selection import modify
from editor.masks.selection.shapes import rect_coverage


def square(size=40, a=10, b=30):
    return rect_coverage(size, size, a, a, b, b)


def test_grow_and_shrink_move_the_edge_by_the_radius():
    data = square()
    grown = modify.grow(data, 3)
    assert grown[20, 7] == 255 and grown[20, 6] == 0 and grown[20, 32] == 255 and grown[20, 33] == 0
    assert grown[7, 7] == 0  # a disc rounds the corner
    shrunk = modify.shrink(data, 3)
    assert shrunk[20, 13] == 255 and shrunk[20, 12] == 0 and shrunk[20, 26] == 255 and shrunk[20, 27] == 0


def test_shrink_keeps_the_canvas_border_selected():
    data = np.full((30, 30), 255, np.uint8)
    assert (modify.shrink(data, 4) == 255).all()


def test_shrink_away_a_small_selection_leaves_nothing():
    assert not modify.shrink(rect_coverage(20, 20, 5, 5, 8, 8), 3).any()


def test_feather_softens_the_edge_and_keeps_its_mass():
    data = square()
    soft = modify.feather(data, 2.0)
    assert 0 < soft[20, 10] < 255 and 100 < soft[20, 10] < 155  # the 50% edge stays put
    assert soft[20, 20] == 255 and soft[20, 2] == 0
    assert abs(int(soft.astype(int).sum()) - int(data.astype(int).sum())) < 0.01 * data.astype(int).sum()


def test_border_is_a_band_round_the_edge():
    band = modify.border(square(), 4)
    assert band[20, 10] > 200 and band[20, 20] == 0 and band[20, 2] == 0
    assert band[20, 9] > 100 and band[20, 11] > 100


def test_smooth_drops_specks_and_keeps_large_areas():
    data = square()
    data[2, 2] = 255
    smoothed = modify.smooth(data, 2)
    assert smoothed[2, 2] == 0
    assert smoothed[20, 20] == 255


def test_operations_on_an_empty_selection_stay_empty():
    empty = np.zeros((10, 10), np.uint8)
    for fn in (modify.grow, modify.shrink, modify.smooth):
        assert not fn(empty, 2).any()
    assert not modify.feather(empty, 2.0).any()
    assert not modify.border(empty, 2).any()


def test_invert():
    np.testing.assert_array_equal(modify.invert(square()), 255 - square())
