"""Free Transform's handle geometry and numeric fields (no Qt)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from editor.core import Rect
from editor.render import freetransform as ft
from editor.render.warp import apply_points, rotation, scaling, translation

RECT = Rect(10, 20, 200, 100)


def test_handles_are_numbered_clockwise_from_the_top_left():
    pts = ft.handle_points(RECT, np.eye(3))
    assert pts.tolist() == [[10, 20], [110, 20], [210, 20], [210, 70], [210, 120], [110, 120], [10, 120], [10, 70]]


def test_corner_scale_keeps_the_opposite_corner_still():
    m = ft.scale_drag(np.eye(3), RECT, 4, 310, 170, proportional=False)
    pts = ft.handle_points(RECT, m)
    assert np.allclose(pts[0], (10, 20))
    assert np.allclose(pts[4], (310, 170))


def test_proportional_corner_scale_keeps_the_aspect_ratio():
    m = ft.scale_drag(np.eye(3), RECT, 4, 410, 130, proportional=True)
    f = ft.decompose(m, (110, 70))
    assert f.w == pytest.approx(f.h)
    assert np.allclose(ft.handle_points(RECT, m)[0], (10, 20))


def test_edge_scale_moves_one_axis_unless_proportional():
    free = ft.scale_drag(np.eye(3), RECT, 3, 310, 999, proportional=False)
    assert ft.decompose(free, (0, 0)).w == pytest.approx(150.0)
    assert ft.decompose(free, (0, 0)).h == pytest.approx(100.0)
    both = ft.scale_drag(np.eye(3), RECT, 3, 310, 999, proportional=True)
    assert ft.decompose(both, (0, 0)).h == pytest.approx(150.0)


def test_alt_scales_about_the_reference_point():
    ref = (110.0, 70.0)
    m = ft.scale_drag(np.eye(3), RECT, 4, 310, 170, proportional=False, anchor=ref)
    assert np.allclose(apply_points(m, np.array([ref]))[0], ref)
    assert np.allclose(ft.handle_points(RECT, m)[0], (-90, -30))


def test_scaling_in_a_rotated_frame_follows_the_layer_axes():
    m0 = rotation(30, 110, 70)
    target = apply_points(m0, np.array([[310.0, 120.0]]))[0]  # the right-bottom corner, twice as wide
    m = ft.scale_drag(m0, RECT, 4, *target, proportional=False)
    f = ft.decompose(m, (110, 70))
    assert (f.w, f.h, f.angle) == pytest.approx((150.0, 100.0, 30.0))


def test_rotate_drag_snaps_with_shift():
    m = ft.rotate_drag(np.eye(3), (0, 0), (10, 0), 10, 3, snap=15.0)
    assert ft.decompose(m, (0, 0)).angle == pytest.approx(15.0)
    m = ft.rotate_drag(np.eye(3), (0, 0), (10, 0), 0, 10)
    assert ft.decompose(m, (0, 0)).angle == pytest.approx(90.0)


def test_distort_moves_one_corner_and_refuses_a_fold():
    m = ft.distort_drag(np.eye(3), RECT, 2, 30, -10)
    quad = apply_points(m, ft.source_corners(RECT))
    assert np.allclose(quad, [[10, 20], [240, 10], [210, 120], [10, 120]])
    folded = ft.distort_drag(np.eye(3), RECT, 2, -400, 200)
    assert np.array_equal(folded, np.eye(3))


def test_perspective_moves_the_neighbour_the_other_way():
    m = ft.perspective_drag(np.eye(3), RECT, 0, 20, 3)
    quad = apply_points(m, ft.source_corners(RECT))
    assert np.allclose(quad, [[30, 20], [190, 20], [210, 120], [10, 120]])


def test_skew_edge_slides_along_itself():
    m = ft.distort_drag(np.eye(3), RECT, 1, 25, 40, along_edge=True)
    quad = apply_points(m, ft.source_corners(RECT))
    assert np.allclose(quad, [[35, 20], [235, 20], [210, 120], [10, 120]])
    assert ft.decompose(m, (110, 70)).skew_h == pytest.approx(-math.degrees(math.atan(0.25)))


def test_flip_shows_as_negative_width():
    f = ft.decompose(ft.flip(np.eye(3), (110, 70), True), (110, 70))
    assert (f.x, f.y, f.w, f.h, f.angle) == pytest.approx((110, 70, -100, 100, 0))


@settings(max_examples=60, deadline=None)
@given(x=st.floats(-500, 500), y=st.floats(-500, 500), w=st.floats(5, 400), h=st.floats(5, 400),
       angle=st.floats(-179, 179), skew_h=st.floats(-60, 60), skew_v=st.floats(-60, 60))
def test_fields_compose_and_decompose_back(x, y, w, h, angle, skew_h, skew_v):
    assume(1 - math.tan(math.radians(skew_h)) * math.tan(math.radians(skew_v)) > 0.1)  # no fold: the skews keep a positive area
    fields = ft.Fields(x, y, w, h, angle, skew_h, skew_v)
    ref = (110.0, 70.0)
    back = ft.decompose(ft.compose(fields, ref), ref, skew_v)
    assert (back.x, back.y, back.w, back.h, back.skew_h) == pytest.approx((x, y, w, h, skew_h), abs=1e-6)
    assert (back.angle - angle + 180) % 360 - 180 == pytest.approx(0, abs=1e-6)


def test_editing_a_field_keeps_the_others_and_the_perspective():
    m = ft.perspective_drag(np.eye(3), RECT, 0, 20, 0)
    ref = (110.0, 70.0)
    old = ft.decompose(m, ref)
    turned = ft.with_fields(m, ref, old, ft.Fields(old.x, old.y, old.w, old.h, old.angle + 90, old.skew_h, old.skew_v))
    assert ft.decompose(turned, ref).angle == pytest.approx(old.angle + 90)
    assert not np.allclose(turned[2, :2], 0)  # still a perspective
    moved = ft.with_fields(m, ref, old, ft.Fields(old.x + 5, old.y, old.w, old.h, old.angle, old.skew_h, old.skew_v))
    assert np.allclose(moved, translation(5, 0) @ m)


def test_homography_maps_the_four_corners():
    dst = np.array([[0, 0], [100, 10], [90, 80], [5, 70]], np.float64)
    m = ft.homography(ft.source_corners(RECT), dst)
    assert np.allclose(apply_points(m, ft.source_corners(RECT)), dst)
    assert np.allclose(ft.homography(ft.source_corners(RECT), apply_points(scaling(2, 3), ft.source_corners(RECT))),
                       scaling(2, 3))
