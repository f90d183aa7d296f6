"""The warp against references written from the definitions: float64 premultiplied Lanczos, and shrinking.

Affine matrices take the two-pass path (editor/render/separable.py): it is checked against a
float64 reference of the same separable definition (tests/render/separable_reference.py) to a
level, and against the 2-D Lanczos within stated bounds; perspective keeps the 2-D path.

The reference is OpenCV's Lanczos-4 kernel as its documentation defines it (8 taps, sinc windowed
by sinc(x/4), normalised), evaluated at the exact sample position in float64 on premultiplied
colour; the fast path quantises positions to 1/32 px and works in bytes and float32, so the
tolerances are a couple of levels on content whose slope is a few levels a pixel.
"""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import Rect
from editor.render.warp import (
    _array_matrix,
    apply_points,
    rotation,
    scaling,
    translation,
    warp,
    warped_extent,
)


def _lanczos4(t: np.ndarray) -> np.ndarray:
    return np.sinc(t) * np.sinc(t / 4) * (np.abs(t) < 4)


def reference_warp(rgba: np.ndarray, matrix: np.ndarray, src: Rect, dst: Rect) -> np.ndarray:
    """Float64 (h, w, 4) straight RGBA (alpha 0..255) of `rgba` warped into `dst`, premultiplied around it."""
    p = rgba.astype(np.float64)
    p[..., :3] *= p[..., 3:4] / 255
    h, w = rgba.shape[:2]
    inv = _array_matrix(matrix, src, dst)
    ys, xs = np.mgrid[0:dst.h, 0:dst.w].astype(np.float64)
    hom = inv @ np.stack([xs.ravel(), ys.ravel(), np.ones(xs.size)])
    u, v = hom[0] / hom[2], hom[1] / hom[2]
    x0, y0 = np.floor(u).astype(int), np.floor(v).astype(int)
    taps = np.arange(-3, 5)
    wx = _lanczos4(u[:, None] - (x0[:, None] + taps))
    wy = _lanczos4(v[:, None] - (y0[:, None] + taps))
    wx /= wx.sum(axis=1, keepdims=True)
    wy /= wy.sum(axis=1, keepdims=True)
    acc = np.zeros((u.size, 4))
    for j, dy in enumerate(taps):
        yy = y0 + dy
        for i, dx in enumerate(taps):
            xx = x0 + dx
            ok = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)  # outside the source: transparent
            sample = np.zeros((u.size, 4))
            sample[ok] = p[yy[ok], xx[ok]]
            acc += (wy[:, j] * wx[:, i])[:, None] * sample
    acc = acc.reshape(dst.h, dst.w, 4)
    a = np.clip(acc[..., 3], 0, 255)
    out = np.zeros_like(acc)
    seen = a > 0
    out[seen, :3] = np.clip(acc[seen, :3] * (255 / a[seen, None]), 0, 255)
    out[..., 3] = a
    return out


def soft_cutout(h: int, w: int) -> np.ndarray:
    """Smooth colour with a smooth alpha falling to 0 inside the frame: a translucent cut-out."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    out = np.empty((h, w, 4), np.uint8)
    out[..., 0] = np.clip(128 + 90 * np.sin(x * 0.07 + y * 0.03), 0, 255)
    out[..., 1] = np.clip(128 + 90 * np.cos(x * 0.04 - y * 0.06), 0, 255)
    out[..., 2] = np.clip(60 + x + y, 0, 255)
    r = np.hypot(x - w / 2, y - h / 2) / (min(h, w) / 2)
    out[..., 3] = np.clip(255 * (1.15 - r) / 0.5, 0, 255)
    return out


@pytest.mark.parametrize("matrix", [
    np.array([[1.1, 0.2, 0], [-0.1, 0.9, 0], [0.0008, 0.0005, 1]]),  # a perspective: the 2-D path
], ids=["perspective"])
def test_lanczos_of_a_translucent_layer_matches_the_float64_premultiplied_reference(matrix):
    pixels = soft_cutout(50, 60)
    src = Rect(0, 0, 60, 50)
    dst = warped_extent(matrix, src)
    out = warp(pixels, matrix, src, dst, "lanczos").astype(np.float64)
    ref = reference_warp(pixels, matrix, src, dst)
    assert np.abs(out[..., 3] - ref[..., 3]).max() <= 2.5  # byte weights, 1/32 px positions, rounding
    # What is seen: premultiplied colour.
    seen = np.abs(out[..., :3] * out[..., 3:4] - ref[..., :3] * ref[..., 3:4]) / 255
    assert seen.max() <= 1.5
    solid = ref[..., 3] >= 64  # straight colour is only defined to a level where there is coverage
    assert np.abs(out[..., :3] - ref[..., :3])[solid].max() <= 1
    assert not out[out[..., 3] == 0].any()  # fully transparent pixels carry no colour


@pytest.mark.parametrize("scale,angle", [(0.3, 0.0), (0.3, 12.0), (0.22, -35.0), (0.45, 5.0)])
def test_a_strong_shrink_does_not_alias_and_keeps_its_place(scale, angle):
    h, w = 240, 300
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    m = rotation(angle, w / 2, h / 2) @ scaling(scale, scale, w / 2, h / 2)
    src = Rect(0, 0, w, h)
    dst = warped_extent(m, src)
    inner = (slice(6, -6), slice(6, -6))
    inside = np.zeros((dst.h, dst.w), bool)
    inside[inner] = True
    # Destination pixel centres back in the source: where each output pixel samples.
    inv = _array_matrix(m, src, dst)
    dy, dx = np.mgrid[0:dst.h, 0:dst.w].astype(np.float64)
    u = inv[0, 0] * dx + inv[0, 1] * dy + inv[0, 2]
    v = inv[1, 0] * dx + inv[1, 1] * dy + inv[1, 2]
    edge = 4 / scale + 2  # the kernel's reach, in source pixels, past which the layer's edge shows
    inside &= (u > edge) & (u < w - 1 - edge) & (v > edge) & (v < h - 1 - edge)

    # One-pixel stripes are far past the destination's Nyquist limit: they must average to grey, not moire.
    stripes = np.zeros((h, w, 4), np.uint8)
    stripes[..., :3] = ((x + y) % 2 * 255)[..., None]
    stripes[..., 3] = 255
    for interpolation in ("bilinear", "bicubic", "lanczos"):
        grey = warp(stripes, m, src, dst, interpolation)[..., 0].astype(np.float64)
        assert abs(grey[inside].mean() - 127.5) < 4, interpolation
        assert grey[inside].std() < 6, interpolation

    # A smooth picture lands where the matrix puts it: a sub-pixel error in the reduced frame would show.
    def picture(px, py):
        return 128 + 100 * np.sin(px * 0.05 + py * 0.03)

    smooth = np.zeros((h, w, 4), np.uint8)
    smooth[..., :3] = np.clip(picture(x, y) + 0.5, 0, 255).astype(np.uint8)[..., None]
    smooth[..., 3] = 255
    out = warp(smooth, m, src, dst, "lanczos")[..., 1].astype(np.float64)
    assert np.abs(out - picture(u, v))[inside].max() <= 2  # rounding in and out, and the kernel


def test_a_shrunk_linked_mask_equal_to_the_alpha_stays_equal_to_it():
    pixels = soft_cutout(90, 120)
    pixels[[0, -1], :, 3] = 0
    pixels[:, [0, -1], 3] = 0
    src = Rect(5, 7, 120, 90)
    m = rotation(31, 60, 50) @ scaling(0.2, 0.35, 60, 50)
    dst = warped_extent(m, src)
    out = warp(pixels, m, src, dst, "lanczos", crop=False)
    mask = warp(pixels[..., 3].copy(), m, src, dst, "lanczos", border=0)
    assert np.array_equal(out[..., 3], mask)


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic", "lanczos"])
@pytest.mark.parametrize("matrix", [
    np.array([[1.1, 0.2, 0], [-0.1, 0.9, 0], [0.0008, 0.0005, 1]]),
], ids=["perspective"])
def test_the_translucent_colour_kernel_agrees_with_opencvs_float_warp(monkeypatch, interpolation, matrix):
    """A translucent layer's colour goes through Veil's own kernel (its weight tables written from
    each filter's definition); OpenCV's float warp of the premultiplied colour is the other path."""
    from editor.render import warp_kernels

    pixels = soft_cutout(50, 60)
    src = Rect(0, 0, 60, 50)
    dst = warped_extent(matrix, src)
    ours = warp(pixels, matrix, src, dst, interpolation).astype(np.float64)
    monkeypatch.setattr(warp_kernels, "COMPILED", False)
    theirs = warp(pixels, matrix, src, dst, interpolation).astype(np.float64)
    assert np.array_equal(ours[..., 3], theirs[..., 3])  # alpha: the same byte path for both
    seen = np.abs(ours[..., :3] * ours[..., 3:4] - theirs[..., :3] * theirs[..., 3:4]) / 255
    assert seen.max() <= 1.5  # OpenCV's 1/32 px positions against 1/1024
    assert not ours[ours[..., 3] == 0].any()


def detailed_picture(h: int, w: int, seed: int = 4) -> np.ndarray:
    """Opaque, natural-ish: a few sinusoids per channel and a little grain (detail up to Nyquist)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    out = np.empty((h, w, 4), np.uint8)
    for c in range(3):
        f = 128 + 60 * np.sin(x * rng.uniform(0.05, 0.2) + y * rng.uniform(0.05, 0.2)) + 30 * np.sin(x * 0.4 - y * 0.3 + c)
        out[..., c] = np.clip(f + rng.normal(0, 6, (h, w)), 0, 255)
    out[..., 3] = 255
    return out


AFFINES = {
    "rotate-scale": rotation(23, 30, 25) @ scaling(1.3, 0.8, 30, 25),
    "rotate-move": translation(2.25, -1.5) @ rotation(-67, 30, 25),  # past 45 degrees: a quarter turn first
    "shrink": rotation(8, 30, 25) @ scaling(0.3, 0.45, 30, 25),  # widened kernels
    "skew": np.array([[1.0, 0.35, 0.4], [0.1, 1.2, -0.3], [0, 0, 1]]),
}


@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic", "lanczos"])
@pytest.mark.parametrize("name", list(AFFINES))
def test_an_affine_warp_is_the_separable_definition_to_a_level(name, interpolation):
    from tests.render.separable_reference import separable_reference

    matrix = AFFINES[name]
    pixels = soft_cutout(50, 60)
    src = Rect(0, 0, 60, 50)
    dst = warped_extent(matrix, src)
    out = warp(pixels, matrix, src, dst, interpolation, crop=False).astype(np.float64)
    ref = separable_reference(pixels, _array_matrix(matrix, src, dst), (dst.h, dst.w), interpolation)
    assert np.abs(out[..., 3] - ref[..., 3]).max() <= 1  # 1/1024 px, 14-bit weights, rounding once
    seen = np.abs(out[..., :3] * out[..., 3:4] - ref[..., :3] * ref[..., 3:4]) / 255
    assert seen.max() <= 1
    solid = ref[..., 3] >= 64
    assert np.abs(out[..., :3] - ref[..., :3])[solid].max() <= 1
    assert not out[out[..., 3] == 0].any()
    # The same arithmetic for a mask: one equal to the alpha lands bit-equal to it.
    mask = warp(pixels[..., 3].copy(), matrix, src, dst, interpolation, border=0)
    assert np.array_equal(mask, out[..., 3].astype(np.uint8))


@pytest.mark.parametrize("angle,scale,mean,p99", [(17, 1.1, 1.0, 4.0), (30, 1.0, 2.0, 8.0)])
def test_the_separable_warp_stays_close_to_the_2d_lanczos_where_it_does_not_shrink(angle, scale, mean, p99):
    """Two passes are not the 2-D kernel: pass 1 samples a source row every 1/cos(angle) pixels, so the
    top of the band along rows is lost (worst at 45 degrees). On a detailed picture with grain, against
    the float64 2-D Lanczos-4: mean <= 1 level at 17 degrees, <= 2 at 30; 99th percentile <= 4 and 8."""
    h, w = 80, 100
    pixels = detailed_picture(h, w)
    matrix = rotation(angle, 50, 40) @ scaling(scale, scale, 50, 40)
    src = Rect(0, 0, w, h)
    dst = warped_extent(matrix, src)
    out = warp(pixels, matrix, src, dst, "lanczos").astype(np.float64)
    ref = reference_warp(pixels, matrix, src, dst)
    inside = ref[..., 3] >= 254.5  # away from the layer's edge, where both are exact about coverage
    err = np.abs(out[..., :3] - ref[..., :3])[inside]
    assert err.mean() <= mean and np.percentile(err, 99) <= p99


def test_a_fractional_move_and_a_one_axis_scale_resample_one_axis_only():
    """A horizontal move or scale leaves the vertical pass at whole pixels (the identity): a picture
    constant down each column stays so exactly, and equals the 1-D resample of its row."""
    from tests.render.separable_reference import separable_reference

    row = detailed_picture(1, 90)
    pixels = np.repeat(row, 40, axis=0)
    src = Rect(0, 0, 90, 40)
    for matrix in (translation(0.37, 0), scaling(0.6, 1, 45, 20), scaling(1.7, 1, 45, 20) @ translation(-0.25, 0)):
        dst = warped_extent(matrix, src)
        out = warp(pixels, matrix, src, dst, "lanczos", crop=False)
        assert dst.y == 0 and dst.h == 40
        assert (out == out[:1]).all()
        ref = separable_reference(row, _array_matrix(matrix, Rect(0, 0, 90, 1), Rect(dst.x, 0, dst.w, 1)),
                                  (1, dst.w), "lanczos")
        assert np.abs(out[0].astype(np.float64) - ref[0]).max() <= 1


def test_quarter_turns_through_the_pre_rotation_are_lossless():
    pixels = detailed_picture(30, 44)
    src = Rect(3, 5, 44, 30)
    for angle, k in ((90, -1), (-90, 1), (270, 1), (180, 2)):
        m = rotation(angle, 3 + 22, 5 + 15)
        out = warp(pixels, m, src, warped_extent(m, src), "lanczos")
        assert np.array_equal(out, np.rot90(pixels, k)), angle
    # A quarter turn and a whole-pixel move: still exact.
    m = translation(4, -2) @ rotation(90, 25, 20)
    assert np.array_equal(warp(pixels, m, src, warped_extent(m, src), "lanczos"), np.rot90(pixels, -1))


def test_a_shrink_by_4_of_a_fine_checkerboard_is_flat_grey_where_the_2d_warp_aliased():
    import cv2

    h, w = 240, 320
    y, x = np.mgrid[0:h, 0:w]
    board = np.zeros((h, w, 4), np.uint8)
    board[..., :3] = ((x + y) % 2 * 255)[..., None]
    board[..., 3] = 255
    matrix = rotation(10, w / 2, h / 2) @ scaling(0.25, 0.25, w / 2, h / 2)
    src = Rect(0, 0, w, h)
    dst = warped_extent(matrix, src)
    out = warp(board, matrix, src, dst, "lanczos")
    inside = cv2.erode((out[..., 3] == 255).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0  # off the edge
    ours = out[..., 0][inside].astype(np.float64)
    assert abs(ours.mean() - 127.5) < 3 and ours.std() < 3
    old = cv2.warpAffine(board, _array_matrix(matrix, src, dst)[:2], (dst.w, dst.h),
                         flags=cv2.INTER_LANCZOS4 | cv2.WARP_INVERSE_MAP)[..., 0][inside].astype(np.float64)
    assert old.std() > 20  # OpenCV's 2-D Lanczos, no prefilter: moire


def opaque_layer_with_mask(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """What a compositor commits: an opaque photo (a clear band down its left, as after a crop with
    its pixels kept) and a soft mask, flat (255) outside a disc of 40 and a blurred ring between."""
    import cv2

    pixels = detailed_picture(h, w)
    pixels[:, : w // 6] = 0
    mask = np.full((h, w), 255, np.uint8)
    cv2.circle(mask, (w // 2, h // 2), min(h, w) // 3, 40, -1)
    return pixels, cv2.GaussianBlur(mask, (0, 0), 3)


@pytest.mark.parametrize("interpolation", ["bicubic", "lanczos"])
@pytest.mark.parametrize("name", ["rotate-scale", "shrink", "skew"])
def test_an_opaque_layer_and_its_mask_commit_as_the_separable_definition(name, interpolation):
    """The commit path on an opaque layer (its opaque, clear and flat areas are not summed where all
    taps agree): pixels and mask within a level of the float64 two-pass definition, the layer's
    inside exactly opaque, and the clear band clear."""
    from editor.core import Document, Layer, Mask
    from editor.render.transform import transform_command
    from editor.render.warp import mask_background
    from tests.render.separable_reference import separable_reference

    h, w = 90, 120
    pixels, mask = opaque_layer_with_mask(h, w)
    doc = Document(w, h)
    layer = Layer("Photo", pixels.copy(), mask=Mask(mask.copy()))
    doc.root.insert(0, layer)
    matrix = AFFINES[name]
    _, out, offset, out_mask = transform_command(doc, [layer], matrix, interpolation).new[0]
    src = Rect(0, 0, w, h)
    dst = Rect(offset[0], offset[1], out.shape[1], out.shape[0])
    assert dst == warped_extent(matrix, src)
    inv = _array_matrix(matrix, src, dst)
    ref = separable_reference(pixels, inv, (dst.h, dst.w), interpolation)
    out = out.astype(np.float64)
    assert np.abs(out[..., 3] - ref[..., 3]).max() <= 1
    assert (np.abs(out[..., :3] * out[..., 3:4] - ref[..., :3] * ref[..., 3:4]) / 255).max() <= 1
    solid = ref[..., 3] >= 64
    assert np.abs(out[..., :3] - ref[..., :3])[solid].max() <= 1
    assert (out[ref[..., 3] >= 254.999, 3] == 255).all() and (ref[..., 3] >= 254.999).sum() > 0.3 * dst.w * dst.h
    assert not out[ref[..., 3] <= 0.001].any()
    ref_mask = separable_reference(mask, inv, (dst.h, dst.w), interpolation, border=mask_background(mask))
    assert np.abs(out_mask.astype(np.float64) - ref_mask).max() <= 1


@pytest.mark.parametrize("name", list(AFFINES))
def test_where_all_taps_agree_the_warp_is_the_sum_bit_for_bit(name):
    """Opaque, clear and flat areas take a shortcut: the same arrays with one pixel changed far from
    any such area's sample (so every sample there is summed tap by tap instead) land bit-equal
    except within that pixel's kernel footprint."""
    matrix = AFFINES[name]
    h, w = 50, 60
    src = Rect(0, 0, w, h)
    dst = warped_extent(matrix, src)
    pixels, mask = opaque_layer_with_mask(h, w)
    mask[...] = np.where(mask > 150, 255, 40)  # flat areas with a hard edge between
    for array, border in ((pixels, 0), (mask, 255)):
        base = warp(array, matrix, src, dst, "lanczos", border=border, crop=False)
        for y, x in ((h // 2, w - 8), (4, w // 2)):
            poked = array.copy()
            poked[y, x] = 128 if array.ndim == 2 else (*array[y, x, :3], 128)
            other = warp(poked, matrix, src, dst, "lanczos", border=border, crop=False)
            near = np.zeros((dst.h, dst.w), bool)
            cx, cy = apply_points(np.linalg.inv(_array_matrix(matrix, src, dst)), np.array([[x, y]], np.float64))[0]
            near[max(0, int(cy) - 14):int(cy) + 15, max(0, int(cx) - 14):int(cx) + 15] = True
            assert np.array_equal(base[~near], other[~near])
            assert not np.array_equal(base[near], other[near])  # the poke is seen: the sums ran there


def test_a_tile_inside_a_clear_layer_or_a_flat_mask_is_what_its_sums_give():
    """A tile whose source window is all clear (RGBA) or all one mask value is filled without
    pass 2's sums; poking one pixel inside makes that tile sum tap by tap: the two agree bit for
    bit away from the pixel (the tiles are 256 x 1024: the layer is large, so that some read no edge)."""
    h, w = 3000, 1400
    src = Rect(0, 0, w, h)
    matrix = rotation(11, w / 2, h / 2) @ scaling(0.9, 0.9, w / 2, h / 2)
    dst = warped_extent(matrix, src)
    inv = _array_matrix(matrix, src, dst)
    y, x = 1500, 700
    cx, cy = apply_points(np.linalg.inv(inv), np.array([[x, y]], np.float64))[0]
    near = np.zeros((dst.h, dst.w), bool)
    near[int(cy) - 14:int(cy) + 15, int(cx) - 14:int(cx) + 15] = True
    for array, border, poke in ((np.zeros((h, w, 4), np.uint8), 0, (90, 60, 30, 200)),
                                (np.full((h, w), 200, np.uint8), 255, 30)):
        base = warp(array, matrix, src, dst, "lanczos", border=border, crop=False)
        poked = array.copy()
        poked[y, x] = poke
        other = warp(poked, matrix, src, dst, "lanczos", border=border, crop=False)
        assert np.array_equal(base[~near], other[~near])
        assert not np.array_equal(base[near], other[near])
        inside = base[int(cy) - 40:int(cy) + 40, int(cx) - 40:int(cx) + 40]
        assert (inside == (0 if array.ndim == 3 else 200)).all()
