"""The numba row loop's own paths for ADJUST ops, pinned against the general path they replace
(the op's planes kernel called on the row's 8-bit levels, then mixed in): the same numbers for
every mask kind, opacity and region, up to float32 rounding (the compiler may fuse a mix's
multiply-adds differently in two loops: a few units in the last place). One level off would show:
it moves a premultiplied value by alpha / 255, far more than that at any alpha the test draws."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import BlendMode, Rect
from editor.render import adjustments as A
from editor.render.backends import available
from editor.render.plan import AdjustInput, MaskInput, Op, Source

pytestmark = pytest.mark.skipif("numba" not in available(), reason="the fused loop is the numba backend's")

CURVES = {"master": [[0, 0], [70, 110], [190, 220], [255, 255]], "red": [[0, 30], [255, 200]]}
LEVELS = {"master": {"in_black": 12, "in_white": 240, "gamma": 1.2, "out_black": 0, "out_white": 255}}
W, H = 67, 23  # not a multiple of any vector width
ULPS = 2.5e-7  # a few units in the last place of float32 values below 1


def backdrop(seed: int) -> np.ndarray:
    """A float premultiplied buffer with transparent, faint and opaque pixels."""
    rng = np.random.default_rng(seed)
    alpha = rng.choice([0.0, 0.01, 0.2, 0.5, 1.0], (H, W)).astype(np.float32)
    alpha = np.where(rng.random((H, W)) < 0.5, rng.uniform(0.01, 1, (H, W)).astype(np.float32), alpha)
    acc = np.empty((H, W, 4), np.float32)
    acc[..., 3] = alpha
    acc[..., :3] = rng.random((H, W, 3)).astype(np.float32) * alpha[..., None]
    return acc


def masks(seed: int):
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 256, (H + 4, W + 6), dtype=np.uint8)
    yield None
    yield MaskInput(data, (-3, -2))
    yield MaskInput(data, (-3, -2), inverted=True, density=0.6)


def through_planes(kernel) -> object:
    """The same kernel as a planes kernel the row loop knows nothing about (the general path)."""
    return A.planes.PlanesKernel(kernel.fn, kernel._c_wrapper)


@pytest.mark.parametrize("name, params", [("curves", CURVES), ("levels", LEVELS)])
@pytest.mark.parametrize("opacity", [1.0, 0.83])
def test_table_adjustments_looked_up_in_the_row_loop_equal_the_planes_kernel(name, params, opacity):
    from editor.render import numba_backend as NB

    kernel, packed = A.kernel_of(name, params)
    assert kernel is A.planes.LUT
    general = through_planes(kernel)
    rect = Rect(0, 0, W, H)
    region = Rect(5, 3, W - 12, H - 7)
    for seed, mask in enumerate(masks(1)):
        acc = backdrop(seed)
        ops = [Op(Source.ADJUST, region, BlendMode.NORMAL, opacity, mask=mask, atop=True,
                  adjust=AdjustInput(k, packed)) for k in (kernel, general)]
        fused, reference = (NB.composite(rect, [op], acc.copy()) for op in ops)
        assert not np.array_equal(reference, acc)  # the adjustment did something
        assert np.abs(fused - reference).max() <= ULPS
        bgra = [NB.composite_bgra(rect, [op], acc.copy()).astype(int) for op in ops]
        assert np.abs(bgra[0] - bgra[1]).max() <= 1  # a rounding tie may fall either way


def layer_ops(count: int, seed: int, region: Rect) -> list[Op]:
    """uint8 source-over ops with raw, inverted and no masks and opacities below 1."""
    rng = np.random.default_rng(seed)
    ops = []
    for i in range(count):
        px = rng.integers(0, 256, (H + 2, W + 3, 4), dtype=np.uint8)
        mask = [None, MaskInput(rng.integers(0, 256, (H, W), dtype=np.uint8), (0, 0)),
                MaskInput(rng.integers(0, 256, (H, W), dtype=np.uint8), (0, 0), inverted=True, density=0.7)][i % 3]
        ops.append(Op(Source.PIXELS, region, BlendMode.NORMAL, (0.8, 1.0, 0.45)[i % 3], px, origin=(-1, -2), mask=mask))
    return ops


@pytest.mark.parametrize("count", [3, 4, 5, 7, 10])
@pytest.mark.parametrize("region", [Rect(0, 0, W, H), Rect(4, 2, W - 9, H - 5)])
@pytest.mark.parametrize("onto", [False, True])
def test_runs_of_layers_drawn_in_threes_and_twos_equal_one_op_at_a_time(count, region, onto):
    """A run of source-over layers drawn three or two to a pass (runs of 3, 5, 7, 10 use the
    triple) against each op composited on its own, one call after the other."""
    from editor.render import numba_backend as NB

    rect = Rect(0, 0, W, H)
    ops = layer_ops(count, count, region)
    start = backdrop(count) if onto else None
    fused = NB.composite(rect, ops, None if start is None else start.copy())
    one_by_one = None if start is None else start.copy()
    for op in ops:
        one_by_one = NB.composite(rect, [op], one_by_one)
    assert np.abs(fused - one_by_one).max() <= ULPS
