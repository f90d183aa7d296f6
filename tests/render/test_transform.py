"""Free Transform of layers with their masks: the warp, the linked mask, groups, unlinked parts, undo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from editor.core import Document, Group, Layer, Mask, Rect
from editor.render import render
from editor.render.transform import move_unlinked, target_bounds, transform_nodes
from editor.render.warp import (
    INTERPOLATIONS,
    apply_points,
    rotation,
    scaling,
    translation,
    warp,
    warped_extent,
)
from tests.core.helpers import snapshot


def smooth_rgba(h: int, w: int, seed: int = 0) -> np.ndarray:
    """A low-frequency opaque picture: resampling error on it is small and predictable."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    out = np.empty((h, w, 4), np.uint8)
    for c in range(3):
        fx, fy, ph = rng.uniform(0.02, 0.08), rng.uniform(0.02, 0.08), rng.uniform(0, 6)
        out[..., c] = np.clip(128 + 100 * np.sin(x * fx + y * fy + ph), 0, 255)
    out[..., 3] = 255
    return out


def doc_with_layer(pixels: np.ndarray, offset=(0, 0), mask: np.ndarray | None = None, size=(64, 48)) -> tuple[Document, Layer]:
    doc = Document(*size)
    layer = Layer("L", pixels, offset=offset, mask=None if mask is None else Mask(mask))
    doc.root.insert(0, layer)
    doc.active = layer
    return doc, layer


def test_2x_upscale_of_one_pixel_stays_centred():
    a = np.zeros((9, 9, 4), np.uint8)
    a[4, 4] = (255, 255, 255, 255)
    m = scaling(2, 2, 4.5, 4.5)  # about the bright pixel's centre
    src = Rect(0, 0, 9, 9)
    dst = warped_extent(m, src)
    assert dst == Rect(-5, -5, 19, 19)  # [-4.5, 13.5] rounded out to whole pixels
    for name in INTERPOLATIONS:
        out = warp(a, m, src, dst, name)[..., 3].astype(int)
        if name == "nearest":
            # The bright pixel becomes a block whose edges fall exactly on output pixel centres:
            # which side a tie rounds to is OpenCV's (and its version's) choice, so only ask that the
            # block holds the centre pixel and is off it by at most half a pixel.
            ys, xs = np.nonzero(out)
            assert len(ys) in (4, 9) and out[9, 9] == 255, name  # 2x2, or 3x3 when ties go both ways
            assert abs(ys.mean() - 9) <= 0.5 and abs(xs.mean() - 9) <= 0.5, name
            continue
        assert np.array_equal(out, out[::-1, :]) and np.array_equal(out, out[:, ::-1]), name
        assert out[9, 9] == out.max() > 0, name  # pixel 9 is centred on 4.5, the bright pixel's centre


@pytest.mark.parametrize("interpolation", list(INTERPOLATIONS))
def test_right_angles_and_flips_are_exact(interpolation):
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (7, 11, 4), dtype=np.uint8)
    a[..., 3] = 255
    src = Rect(3, 5, 11, 7)
    cx, cy = 3 + 5.5, 5 + 3.5
    m = rotation(90, cx, cy)
    out = warp(a, m, src, warped_extent(m, src), interpolation)
    assert np.array_equal(out, np.rot90(a, -1))
    flip = scaling(-1, 1, cx, cy)
    assert warped_extent(flip, src) == src
    assert np.array_equal(warp(a, flip, src, src, interpolation), a[:, ::-1])


def test_four_quarter_turns_of_a_layer_are_the_identity_bit_for_bit():
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 256, (10, 14, 4), dtype=np.uint8)
    doc, layer = doc_with_layer(pixels, (5, 7), rng.integers(0, 256, (10, 14), dtype=np.uint8))
    before = snapshot(doc)
    for _ in range(4):
        b = layer.bounds()
        transform_nodes(doc, [layer], rotation(90, b.x + b.w / 2, b.y + b.h / 2), "lanczos")
    assert snapshot(doc) == before


def test_no_dark_fringe_at_transparent_edges():
    a = np.zeros((40, 40, 4), np.uint8)
    a[10:30, 10:30] = (255, 0, 0, 255)  # red on transparent black
    src = Rect(0, 0, 40, 40)
    m = rotation(23, 20, 20) @ scaling(1.3, 0.8, 20, 20)
    for name in ("bilinear", "bicubic", "lanczos"):
        out = warp(a, m, src, warped_extent(m, src), name)
        seen = out[..., 3] > 0
        assert seen.any() and (out[..., 3] < 255).any()
        assert out[seen][:, 0].min() >= 254, name  # the soft edge stays red, not darker
        assert out[seen][:, 1:3].max() <= 1, name
        assert not out[~seen].any()


@settings(max_examples=30, deadline=None)
@given(angle=st.floats(-180, 180), sx=st.floats(0.8, 1.6), sy=st.floats(0.8, 1.6),
       dx=st.floats(-20, 20), dy=st.floats(-20, 20), name=st.sampled_from(["bilinear", "bicubic", "lanczos"]))
@example(angle=129.0, sx=1.0, sy=0.8125, dx=0.0, dy=0.0, name="lanczos")  # a 4 px margin sat inside the inverse's reach
def test_transform_then_inverse_stays_within_resampling_error(angle, sx, sy, dx, dy, name):
    pixels = smooth_rgba(48, 64)
    doc, layer = doc_with_layer(pixels, (10, 20), pixels[..., 1].copy())
    m = translation(dx, dy) @ rotation(angle, 42, 44) @ scaling(sx, sy, 42, 44)
    transform_nodes(doc, [layer], m, name)
    transform_nodes(doc, [layer], np.linalg.inv(m), name)
    # Back where it was: compare in the original frame, away from the edge by the two warps' support
    # (the kernel's radius, and the inverse's radius grown by its enlargement: 1 / min(sx, sy)).
    radius = {"bilinear": 1, "bicubic": 2, "lanczos": 3}[name]
    edge = math.ceil(radius + radius / min(sx, sy)) + 1
    back = np.zeros_like(pixels)
    common = layer.bounds().intersect(Rect(10, 20, 64, 48))
    back_mask = np.zeros(pixels.shape[:2], np.uint8)
    back[common.translated(-10, -20).slices()] = layer.pixels[common.translated(-layer.x, -layer.y).slices()]
    back_mask[common.translated(-10, -20).slices()] = layer.mask.data[common.translated(-layer.x, -layer.y).slices()]
    inner = (slice(edge, -edge), slice(edge, -edge))
    err = np.abs(back[inner].astype(int) - pixels[inner].astype(int))
    # Alpha goes through OpenCV's fixed-point byte path (as masks do): two Lanczos passes may add a level.
    assert err[..., 3].max() <= (3 if name == "lanczos" else 2)
    assert err[..., :3].mean() < 3.0 and err[..., :3].max() <= 24
    mask_err = np.abs(back_mask[inner].astype(int) - pixels[inner][..., 1].astype(int))
    assert mask_err.mean() < 3.0


@settings(max_examples=40, deadline=None)
@given(angle=st.floats(-180, 180), sx=st.floats(0.3, 2.5), sy=st.floats(0.3, 2.5), shear=st.floats(-0.5, 0.5),
       persp=st.floats(-0.002, 0.002), dx=st.floats(-30, 30), dy=st.floats(-30, 30),
       name=st.sampled_from(list(INTERPOLATIONS)), seed=st.integers(0, 1000))
def test_linked_mask_lands_exactly_where_its_pixels_land(angle, sx, sy, shear, persp, dx, dy, name, seed):
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (20, 30, 4), dtype=np.uint8)
    pixels[rng.random((20, 30)) < 0.3, 3] = 0
    pixels[[0, -1], :, 3] = 0  # a transparent rim, so the mask's edge value (what fills around it) is 0 too
    pixels[:, [0, -1], 3] = 0
    doc, layer = doc_with_layer(pixels, (7, 3), pixels[..., 3].copy())  # a mask equal to the layer's alpha
    m = translation(dx, dy) @ rotation(angle, 22, 13) @ np.array([[sx, shear, 0], [0, sy, 0], [persp, 0, 1]])
    try:
        warped_extent(m, layer.bounds())
    except ValueError:
        return  # the perspective folds the layer through infinity: refused
    if not transform_nodes(doc, [layer], m, name):
        assert np.allclose(m, np.eye(3))  # the identity records nothing
        return
    assert layer.mask.data.shape == layer.pixels.shape[:2]
    assert np.array_equal(layer.mask.data, layer.pixels[..., 3])
    # ...and the frame is the warped extent of the layer's corners.
    corners = apply_points(m, np.array([[7, 3], [37, 3], [37, 23], [7, 23]], float))
    b = layer.bounds()
    assert b.x <= corners[:, 0].min() + 1e-6 and b.right >= corners[:, 0].max() - 1e-6
    assert b.y <= corners[:, 1].min() + 1e-6 and b.bottom >= corners[:, 1].max() - 1e-6


def test_one_undo_step_restores_bit_for_bit_and_redo_reapplies():
    pixels = smooth_rgba(30, 40)
    doc, layer = doc_with_layer(pixels, (3, 4), np.full((30, 40), 200, np.uint8))
    before = snapshot(doc)
    transform_nodes(doc, [layer], rotation(31, 20, 20) @ scaling(1.5, 1.2), "lanczos")
    after = snapshot(doc)
    assert after != before and len(doc.history.steps) == 1 and doc.history.labels() == ["Free Transform"]
    doc.undo()
    assert snapshot(doc) == before
    doc.redo()
    assert snapshot(doc) == after


def test_a_group_transforms_as_a_whole_with_one_matrix():
    doc = Document(80, 60)
    a = Layer("a", smooth_rgba(20, 30, 1), offset=(5, 5), mask=Mask(np.full((20, 30), 255, np.uint8)))
    b = Layer("b", smooth_rgba(10, 10, 2), offset=(40, 30))
    group = Group("g", [a, b], mask=Mask(np.full((60, 80), 255, np.uint8)))
    group.mask.data[:, 40:] = 0
    doc.root.insert(0, group)
    m = rotation(15, 40, 30) @ scaling(0.8, 0.8, 40, 30)
    # What each layer alone would become under the same matrix:
    ref = Document(80, 60)
    ra, rb = Layer("a", a.pixels.copy(), offset=a.offset, mask=a.mask.copy()), Layer("b", b.pixels.copy(), offset=b.offset)
    ref.root.insert(0, ra)
    ref.root.insert(1, rb)
    transform_nodes(ref, [ra, rb], m, "bicubic")
    transform_nodes(doc, [group, a], m, "bicubic")  # a child listed with its group moves once
    assert len(doc.history.steps) == 1
    for got, want in ((a, ra), (b, rb)):
        assert got.offset == want.offset and np.array_equal(got.pixels, want.pixels)
    assert np.array_equal(a.mask.data, ra.mask.data)
    assert group.mask.data.shape == (60, 80)
    assert group.mask.data[30, 20] == 255 and group.mask.data[30, 70] == 0
    assert group.mask.data[30, 40 + 8] == 0 and group.mask.data[30, 40 - 8] == 255  # the edge rotated about (40, 30)


def test_unlinked_mask_stays_while_the_pixels_move_and_vice_versa():
    pixels = smooth_rgba(20, 20)
    mask = np.full((20, 20), 255, np.uint8)
    mask[5:10, 5:10] = 0  # a hole
    doc, layer = doc_with_layer(pixels, (10, 10), mask)
    layer.mask.linked = False
    full_before = render(doc)
    move_unlinked(doc, [layer], 7, 0, "pixels", merge_key="drag")
    move_unlinked(doc, [layer], 3, 0, "pixels", merge_key="drag")
    assert len(doc.history.steps) == 1  # one drag, one step
    assert layer.bounds() == Rect(10, 10, 30, 20)  # the frame holds both the moved pixels and the mask
    # The hole is still at document (15..20, 15..20); the pixels are 10 px to the right.
    assert (layer.mask.data[5:10, 5:10] == 0).all() and (layer.mask.data[:, 20:] == 255).all()
    assert np.array_equal(layer.pixels[:, 10:], pixels) and not layer.pixels[:, :10].any()
    doc.undo()
    assert np.array_equal(render(doc), full_before) and layer.bounds() == Rect(10, 10, 20, 20)
    # Now the mask alone, rotated half a turn about the layer's centre: the hole goes to the other corner.
    transform_nodes(doc, [layer], rotation(180, 20, 20), "nearest", part="mask")
    assert layer.bounds() == Rect(10, 10, 20, 20) and np.array_equal(layer.pixels, pixels)
    assert (layer.mask.data[10:15, 10:15] == 0).all() and layer.mask.data[5:10, 5:10].min() == 255


def test_handles_frame_the_layers_or_the_unlinked_mask():
    pixels = smooth_rgba(20, 20)
    mask = np.full((20, 20), 255, np.uint8)
    mask[2:6, 3:9] = 0
    doc, layer = doc_with_layer(pixels, (10, 10), mask)
    assert target_bounds(doc, [layer]) == Rect(10, 10, 20, 20)
    layer.mask.linked = False
    assert target_bounds(doc, [layer], "mask") == Rect(13, 12, 6, 4)


def test_locked_layers_refuse_and_identity_changes_nothing():
    doc, layer = doc_with_layer(smooth_rgba(10, 10))
    assert not transform_nodes(doc, [layer], np.eye(3))
    layer.locked = True
    with pytest.raises(ValueError):
        transform_nodes(doc, [layer], rotation(10))
    assert not doc.history.steps


def test_a_perspective_through_infinity_is_refused():
    with pytest.raises(ValueError):
        warped_extent(np.array([[1, 0, 0], [0, 1, 0], [-0.2, 0, 1]], float), Rect(0, 0, 10, 10))
