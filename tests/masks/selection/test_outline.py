import time

import numpy as np

from editor.masks.selection.outline import selection_outline
from editor.masks.selection.shapes import ellipse_coverage, rect_coverage


def test_outline_follows_the_half_way_edge_at_full_resolution():
    data = rect_coverage(200, 100, 20, 10, 120, 60)
    (poly,) = selection_outline(data)
    assert poly[:, 0].min() == 20.5 and poly[:, 0].max() == 119.5
    assert poly[:, 1].min() == 10.5 and poly[:, 1].max() == 59.5


def test_soft_edges_are_cut_at_fifty_percent():
    data = np.zeros((50, 50), np.uint8)
    data[10:40, 10:40] = 255
    data[10:40, 40] = 127  # below half: outside
    data[10:40, 9] = 128  # half: inside
    (poly,) = selection_outline(data)
    assert poly[:, 0].min() == 9.5 and poly[:, 0].max() == 39.5


def test_a_big_selection_is_traced_on_a_smaller_copy_within_a_pixel_or_two():
    data = ellipse_coverage(6000, 4000, 100, 100, 5900, 3900)
    polys = selection_outline(data)
    assert len(polys) == 1
    r = np.hypot((polys[0][:, 0] - 3000) / 2900, (polys[0][:, 1] - 2000) / 1900)
    assert np.abs(r - 1).max() * 1900 < 2.0


def test_a_speckled_selection_stays_bounded():
    rng = np.random.default_rng(0)
    data = (rng.random((3000, 4000)) > 0.5).astype(np.uint8) * 255
    t0 = time.process_time()  # CPU, not wall: a shared machine's neighbours must not fail it
    polys = selection_outline(data)
    assert time.process_time() - t0 < 3.0
    assert sum(len(p) for p in polys) <= 200_000
