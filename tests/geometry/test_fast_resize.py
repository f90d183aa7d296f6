"""The numba resampler against Pillow's (its reference) and OpenCV, and its pixel-centre convention."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from editor.geometry import fast_resize
from editor.geometry.resample import resize_gray, resize_rgba

PIL_FILTERS = {
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
    "area": Image.Resampling.BOX,
}


def _rgba(h: int, w: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    a[..., 3] = rng.choice(np.array([0, 7, 128, 200, 255], np.uint8), (h, w))
    return a


def _pillow(a: np.ndarray, size: tuple[int, int], method: str) -> np.ndarray:
    return np.asarray(Image.fromarray(a).resize(size, PIL_FILTERS[method]))


@pytest.mark.parametrize("method", list(PIL_FILTERS))
@pytest.mark.parametrize(("shape", "size"), [((37, 53), (20, 71)), ((100, 80), (40, 50)), ((64, 64), (128, 128)),
                                             ((61, 47), (13, 11)), ((40, 90), (91, 40)), ((33, 20), (20, 7)),
                                             ((3, 5), (1, 1))])
def test_rgba_equals_pillow(method, shape, size):
    """Scaling both sides alike, or one side only: the same passes in the same order as Pillow, so
    the same bytes, premultiplied alpha included."""
    a = _rgba(*shape, seed=sum(shape))
    got = fast_resize.resize(a, *size, method)
    ref = _pillow(a, size, method)
    assert got.shape == ref.shape
    assert int(np.abs(got.astype(int) - ref).max()) <= 1
    assert (got == ref).mean() > 0.999


@pytest.mark.parametrize("method", list(PIL_FILTERS))
def test_gray_equals_pillow(method):
    a = np.random.default_rng(5).integers(0, 256, (70, 90), dtype=np.uint8)
    for size in ((45, 35), (180, 140), (90, 20), (31, 70)):
        np.testing.assert_array_equal(fast_resize.resize(a, *size, method), _pillow(a, size, method))


@settings(max_examples=40, deadline=None)
@given(w=st.integers(1, 12).map(lambda v: 4 * v), h=st.integers(1, 12).map(lambda v: 4 * v),
       f=st.sampled_from([0.25, 0.5, 0.75, 1.5, 2.0, 3.0]),
       method=st.sampled_from(list(PIL_FILTERS)), seed=st.integers(0, 1000))
def test_proportional_resizes_match_pillow_within_one_level(w, h, f, method, seed):
    """Image Size with Constrain Proportions: both sides scale by the same exact factor. Colours
    are compared where they are opaque (unpremultiplying a faint pixel magnifies a one-level
    difference of its premultiplied value), alpha everywhere."""
    assume(h <= w)  # Pillow 13 turns the pass order round for tall images; see the next test
    a = _rgba(h, w, seed)
    size = (round(w * f), round(h * f))
    got = fast_resize.resize(a, *size, method).astype(int)
    ref = _pillow(a, size, method).astype(int)
    assert np.abs(got[..., 3] - ref[..., 3]).max() <= 1
    premultiplied = np.abs(got[..., :3] * got[..., 3:] - ref[..., :3] * ref[..., 3:]) / 255.0
    assert premultiplied.max() <= 2.0


def test_any_aspect_on_a_photo_like_image_stays_within_two_levels():
    """Pillow 13 runs the vertical pass first when the height shrinks much more than the width
    (this resampler always runs the horizontal one first, as Pillow 12 did); on smooth content
    the order only moves the rounding between the passes: two levels at most, rarely one."""
    y, x = np.mgrid[0:120, 0:160].astype(np.float64)
    img = np.empty((120, 160, 4), np.uint8)
    img[..., 0] = 127 + 100 * np.sin(x / 13.0)
    img[..., 1] = 127 + 100 * np.cos(y / 9.0)
    img[..., 2] = (x + y) * 0.9
    img[..., 3] = 255
    for size in ((150, 20), (300, 30), (40, 119)):
        for method in PIL_FILTERS:
            diff = np.abs(fast_resize.resize(img, *size, method).astype(int) - _pillow(img, size, method))
            assert diff.max() <= 2 and (diff > 0).mean() < 0.5, (size, method)


def test_a_bright_pixel_upscaled_twice_stays_centred():
    """No half-pixel shift: pixel (i, j) covers [i, i+1); its 2x image is centred on (2i+1, 2j+1)."""
    a = np.zeros((9, 9), np.uint8)
    a[4, 4] = 255
    for method in ("bilinear", "bicubic", "lanczos"):
        up = fast_resize.resize(a, 18, 18, method).astype(np.float64)
        ys, xs = np.mgrid[0:18, 0:18]
        cy, cx = (up * (ys + 0.5)).sum() / up.sum(), (up * (xs + 0.5)).sum() / up.sum()
        assert cy == pytest.approx(9.0, abs=1e-6) and cx == pytest.approx(9.0, abs=1e-6)
        assert up[8:10, 8:10].min() == up.max()  # the four centre pixels are the brightest


def test_bilinear_and_area_agree_with_opencv():
    """OpenCV's INTER_LINEAR upscale and INTER_AREA integer shrink use the same pixel centres."""
    a = np.random.default_rng(2).integers(0, 256, (40, 60), dtype=np.uint8)
    up = fast_resize.resize(a, 120, 80, "bilinear").astype(int)
    cv_up = cv2.resize(a, (120, 80), interpolation=cv2.INTER_LINEAR).astype(int)
    assert np.abs(up - cv_up)[1:-1, 1:-1].max() <= 1  # the borders differ: OpenCV replicates the edge
    down = fast_resize.resize(a, 20, 10, "area").astype(int)
    cv_down = cv2.resize(a, (20, 10), interpolation=cv2.INTER_AREA).astype(int)
    assert np.abs(down - cv_down).max() <= 1


def test_transparent_pixels_do_not_bleed_colour():
    a = np.zeros((10, 20, 4), np.uint8)
    a[:, :10] = (255, 255, 255, 255)
    a[:, 10:] = (255, 0, 0, 0)  # invisible red
    out = fast_resize.resize(a, 10, 5, "lanczos")
    visible = out[..., 3] > 0
    assert (out[visible][:, 1] >= 250).all()  # no red fringe where the white fades out


def test_the_geometry_resamplers_use_it():
    a = _rgba(30, 40, 1)
    np.testing.assert_array_equal(resize_rgba(a, 20, 15, "lanczos"), fast_resize.resize(a, 20, 15, "lanczos"))
    g = a[..., 0].copy()
    np.testing.assert_array_equal(resize_gray(g, 80, 60, "bicubic"), fast_resize.resize(g, 80, 60, "bicubic"))
    np.testing.assert_array_equal(resize_rgba(a, 20, 15, "nearest"), _pillow_nearest(a, (20, 15)))


def _pillow_nearest(a, size):
    return np.asarray(Image.fromarray(a).resize(size, Image.Resampling.NEAREST))


def test_bad_arguments():
    with pytest.raises(ValueError, match="filter"):
        fast_resize.resize(np.zeros((2, 2), np.uint8), 1, 1, "sinc")
    with pytest.raises(ValueError, match="resize to"):
        fast_resize.resize(np.zeros((2, 2), np.uint8), 0, 1, "bilinear")
    with pytest.raises(ValueError, match="uint8"):
        fast_resize.resize(np.zeros((2, 2), np.float32), 1, 1, "bilinear")
    same = np.arange(12, dtype=np.uint8).reshape(3, 4)
    out = fast_resize.resize(same, 4, 3, "lanczos")
    assert out is not same and np.array_equal(out, same)
