import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.masks.selection.shapes import (
    cubic_points,
    ellipse_coverage,
    polygons_coverage,
    rect_coverage,
)


def test_integer_rectangle_selects_exactly_its_pixels():
    data = rect_coverage(30, 20, 2, 3, 12, 13)
    expected = np.zeros((20, 30), np.uint8)
    expected[3:13, 2:12] = 255
    np.testing.assert_array_equal(data, expected)


def test_corners_in_any_order_give_the_same_rectangle():
    np.testing.assert_array_equal(rect_coverage(30, 20, 12, 13, 2, 3), rect_coverage(30, 20, 2, 3, 12, 13))


def test_fractional_edges_cover_partial_pixels():
    data = rect_coverage(20, 20, 2.5, 3.0, 6.0, 5.25)
    assert data[3, 2] == 128  # half a pixel wide
    assert data[3, 3] == 255
    assert data[5, 3] == 64  # a quarter of a pixel tall
    assert data[6, 3] == 0
    assert abs(data.sum() / 255 - 3.5 * 2.25) < 0.02


def test_without_antialias_a_pixel_is_in_when_half_covered():
    data = rect_coverage(20, 20, 2.5, 3.0, 6.4, 5.6, antialias=False)
    assert set(np.unique(data)) == {0, 255}
    assert data[3, 2] == 255 and data[3, 6] == 0 and data[5, 3] == 255 and data[6, 3] == 0


def test_shapes_are_clipped_to_the_canvas():
    data = rect_coverage(30, 30, -5, -5, 12, 13)
    assert data.sum() == 12 * 13 * 255
    assert rect_coverage(30, 30, 40, 40, 50, 50).sum() == 0
    assert rect_coverage(30, 30, -50, -50, -40, -40).sum() == 0
    assert (rect_coverage(30, 30, -5, -5, 40, 40) == 255).all()


def test_ellipse_area_and_soft_edge():
    data = ellipse_coverage(100, 100, 10, 10, 90, 70)
    assert abs(data.sum() / 255 - np.pi * 40 * 30) < 2
    assert len(np.unique(data)) > 10
    assert data[40, 50] == 255 and data[5, 5] == 0
    hard = ellipse_coverage(100, 100, 10, 10, 90, 70, antialias=False)
    assert set(np.unique(hard)) == {0, 255}
    # a hard pixel is in exactly when the soft one is at least half covered (same rounding)
    np.testing.assert_array_equal(hard == 255, data >= 128)


def test_ellipse_is_symmetric():
    data = ellipse_coverage(64, 48, 8, 8, 56, 40).astype(int)
    assert np.abs(data - data[:, ::-1]).max() <= 1
    assert np.abs(data - data[::-1, :]).max() <= 1


def test_overlapping_loops_of_one_outline_stay_selected():
    # a figure-eight: two lobes, opposite windings
    pts = [(2, 2), (10, 10), (18, 2), (18, 18), (10, 10), (2, 18)]
    data = polygons_coverage(20, 20, [pts])
    assert data[10, 4] == 255 and data[10, 16] == 255


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 63), st.floats(0, 47)), min_size=3, max_size=12))
def test_coverage_sums_to_the_polygon_area(points):
    hull = cv2.convexHull(np.array(points, np.float32)).reshape(-1, 2).astype(np.float64)
    if len(hull) < 3:
        return
    x, y = hull[:, 0], hull[:, 1]
    area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
    data = polygons_coverage(64, 48, [hull])
    # each partly covered pixel's 8-bit rounding errs by at most half a level; those pixels are the
    # ones the outline crosses (some may round to 0 or 255), at most sqrt(2) per unit length plus 2 per side
    perimeter = float(np.hypot(*(hull - np.roll(hull, 1, axis=0)).T).sum())
    crossed = 1.5 * perimeter + 2 * len(hull)
    assert abs(data.sum() / 255 - area) <= 0.5 / 255 * crossed + 1e-6 + area * 1e-5


def test_cubic_points_start_at_the_first_anchor_and_approach_the_last():
    pts = cubic_points((0, 0), (0, 10), (10, 10), (10, 0))
    np.testing.assert_allclose(pts[0], (0, 0))
    assert np.hypot(*(pts[-1] - (10, 0))) < 2.5
    # the apex at t = 0.5 is 7.5; two-pixel steps come within a fraction of it
    assert 7.3 < pts[:, 1].max() <= 7.5


def test_warm_up_compiles_the_kernels():
    from editor.masks.selection import shapes, wand, warm_up

    warm_up()
    for kernel in (shapes._accumulate, shapes._resolve, wand._runs, wand._flood, wand._paint, wand._match, wand._soften):
        assert kernel.signatures, kernel
