import numpy as np

from editor.io import swizzle


def test_swaps_red_and_blue_in_place() -> None:
    rng = np.random.default_rng(3)
    bgra = rng.integers(0, 256, (37, 53, 4), dtype=np.uint8)
    expected = bgra[..., [2, 1, 0, 3]].copy()
    out = swizzle.bgra_to_rgba_inplace(bgra)
    assert out is bgra
    assert np.array_equal(out, expected)


def test_without_numba_opencv_swaps_the_same(monkeypatch) -> None:
    monkeypatch.setattr(swizzle, "_compiled", lambda: None)
    bgra = np.arange(5 * 7 * 4, dtype=np.uint8).reshape(5, 7, 4)
    expected = bgra[..., [2, 1, 0, 3]].copy()
    assert np.array_equal(swizzle.bgra_to_rgba_inplace(bgra), expected)


def test_a_strided_view_is_swapped_too() -> None:
    base = np.arange(6 * 10 * 4, dtype=np.uint8).reshape(6, 10, 4)
    view = base[:, ::2]
    expected = view[..., [2, 1, 0, 3]].copy()
    assert np.array_equal(swizzle.bgra_to_rgba_inplace(view), expected)
