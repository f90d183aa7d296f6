"""The numba backend: packs a list of ops into tables and runs the fused kernels.

Importing this module fails when numba is missing; backends.py then falls back to numpy.
"""

from __future__ import annotations

import numpy as np
from numba import parallel_chunksize

from editor.core import BlendMode, Rect

from . import kernels as K
from .adjustments import planes
from .blendmath import hard_mix_fill_step
from .plan import MaskInput, Op, Source

name = "numba"
# Below this many pixel-ops a job runs on the calling thread: waking the pool costs more.
PARALLEL_WORK = 1 << 21
CHUNK_BANDS = 4  # bands (of K.BAND rows) a thread takes from the queue at a time

MODE_CODES = {
    BlendMode.NORMAL: K.NORMAL, BlendMode.MULTIPLY: K.MULTIPLY, BlendMode.SCREEN: K.SCREEN,
    BlendMode.OVERLAY: K.OVERLAY, BlendMode.DARKEN: K.DARKEN, BlendMode.LIGHTEN: K.LIGHTEN,
    BlendMode.COLOR_DODGE: K.COLOR_DODGE, BlendMode.COLOR_BURN: K.COLOR_BURN,
    BlendMode.HARD_LIGHT: K.HARD_LIGHT, BlendMode.SOFT_LIGHT: K.SOFT_LIGHT,
    BlendMode.DIFFERENCE: K.DIFFERENCE, BlendMode.EXCLUSION: K.EXCLUSION, BlendMode.HUE: K.HUE,
    BlendMode.SATURATION: K.SATURATION, BlendMode.COLOR: K.COLOR, BlendMode.LUMINOSITY: K.LUMINOSITY,
    BlendMode.ADD: K.ADD, BlendMode.DISSOLVE: K.DISSOLVE, BlendMode.LINEAR_BURN: K.LINEAR_BURN,
    BlendMode.LINEAR_LIGHT: K.LINEAR_LIGHT, BlendMode.VIVID_LIGHT: K.VIVID_LIGHT, BlendMode.PIN_LIGHT: K.PIN_LIGHT,
    BlendMode.HARD_MIX: K.HARD_MIX, BlendMode.SUBTRACT: K.SUBTRACT, BlendMode.DIVIDE: K.DIVIDE,
    BlendMode.DARKER_COLOR: K.DARKER_COLOR, BlendMode.LIGHTER_COLOR: K.LIGHTER_COLOR,
}
SOURCE_CODES = {Source.PIXELS: K.PIXELS, Source.FILL: K.FILL, Source.BUFFER: K.BUFFER, Source.ADJUST: K.ADJUST}

# Addresses of arrays stand in for the arrays in the op table; unused slots point here.
_DUMMY = np.zeros((1, 1, 4), np.float32)
_DUMMY_U8_2D = np.zeros((1, 1), np.uint8)
_DUMMY_F32_2D = np.zeros((1, 1), np.float32)
_NO_INIT = np.zeros((1, 1, 4), np.float32)
_BYTE_SHIFTS = np.array([[0], [8], [16]], np.uint32)


def _tables(rect: Rect, ops: list[Op]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The op table, and the arrays it points into (keep them alive while the kernel runs)."""
    ip = np.zeros((len(ops), K.N_INT), np.int64)
    fp = np.zeros((len(ops), K.N_FLOAT), np.float32)
    keep: list[np.ndarray] = []

    def address(array: np.ndarray) -> int:
        keep.append(array)
        return array.ctypes.data

    dummy = address(_DUMMY)
    for k, op in enumerate(ops):
        row = ip[k]
        row[K.SOURCE] = SOURCE_CODES[op.source]
        row[K.MODE] = MODE_CODES[op.mode]
        row[K.ATOP] = op.atop
        region = op.region
        row[K.R0], row[K.R1] = region.y - rect.y, region.bottom - rect.y
        row[K.C0], row[K.C1] = region.x - rect.x, region.right - rect.x
        # source[r + SY, c + SX] is the pixel at buffer position (r, c).
        row[K.SY], row[K.SX] = rect.y - op.origin[1], rect.x - op.origin[0]
        row[K.DY], row[K.DX] = rect.y, rect.x
        fp[k, K.OPACITY] = op.opacity
        fp[k, K.LAYER_FILL] = op.fill
        if op.fill < 1:
            fp[k, K.HM_STEP] = hard_mix_fill_step(op.fill)
        row[K.SRC_PTR], row[K.SRC_H], row[K.SRC_W] = dummy, 1, 1
        row[K.MASK_PTR], row[K.MASK_H], row[K.MASK_W] = dummy, 1, 1
        if op.source is Source.FILL:
            fp[k, K.FILL_R : K.FILL_A + 1] = op.color
        elif op.source is Source.ADJUST:
            assert op.adjust is not None
            params = np.ascontiguousarray(op.adjust.params, np.float64)
            if params.size == 0:
                params = np.zeros(1, np.float64)
            row[K.ADJ_FN] = op.adjust.kernel.address  # type: ignore[attr-defined]
            row[K.ADJ_PTR], row[K.ADJ_LEN] = address(params), params.size
            if op.adjust.kernel is planes.LUT:  # whole levels 0..255, one table per channel
                tables = params.reshape(3, 256).astype(np.uint32) << _BYTE_SHIFTS
                row[K.ADJ_LUT] = address(tables)
        else:
            dtype = np.uint8 if op.source is Source.PIXELS else np.float32
            pixels = np.ascontiguousarray(op.pixels, dtype)
            row[K.SRC_PTR], row[K.SRC_H], row[K.SRC_W] = address(pixels), pixels.shape[0], pixels.shape[1]
        mask = op.mask
        if mask is not None:
            row[K.MY], row[K.MX] = rect.y - mask.origin[1], rect.x - mask.origin[0]
            data = np.ascontiguousarray(mask.data, np.float32 if mask.effective else np.uint8)
            row[K.MASK_PTR], row[K.MASK_H], row[K.MASK_W] = address(data), data.shape[0], data.shape[1]
            row[K.MASK_KIND] = K.MASK_F32 if mask.effective else K.MASK_U8
            row[K.INVERTED] = mask.inverted
            fp[k, K.DENSITY] = mask.density
        if op.blend_if is not None:
            row[K.BLEND_IF] = 1
            fp[k, K.BI:K.BI + 32] = np.asarray(op.blend_if, np.float32).reshape(32)
    return ip, fp, keep


def _run(rect: Rect, ops: list[Op], acc: np.ndarray | None, out_f32: np.ndarray | None, out_bgra: np.ndarray | None) -> None:
    """out_bgra: (h, w, 4) uint8 whose pixels are 4 contiguous bytes (rows may be any stride)."""
    ip, fp, keep = _tables(rect, ops)
    bgra_ptr, bgra_stride = (0, 0) if out_bgra is None else (out_bgra.ctypes.data, out_bgra.strides[0])
    args = (rect.w, _NO_INIT if acc is None else acc, acc is not None,
            _NO_INIT if out_f32 is None else out_f32, out_f32 is not None,
            bgra_ptr, bgra_stride, out_bgra is not None, ip, fp)
    work = rect.h * rect.w * (len(ops) + 1)
    if work < PARALLEL_WORK:
        K.composite_band(0, rect.h, *args)
    else:
        # Bands handed out a few at a time rather than split evenly up front: on a shared
        # machine a thread that loses its core would otherwise hold up the whole frame.
        with parallel_chunksize(CHUNK_BANDS):
            K.composite_rows(rect.h, *args)
    del keep  # the arrays the table points into lived until here


def composite(rect: Rect, ops: list[Op], acc: np.ndarray | None) -> np.ndarray:
    if acc is None:
        out = np.empty((rect.h, rect.w, 4), np.float32)
        _run(rect, ops, None, out, None)
        return out
    if ops:
        _run(rect, ops, acc, acc, None)  # each row is read whole before it is written back
    return acc


def _writable_in_place(out: np.ndarray) -> bool:
    """True when the kernel can store into `out` directly: rows of whole uint32 pixels."""
    return out.strides[1:] == (4, 1) and out.strides[0] > 0 and out.flags.writeable


def composite_bgra(rect: Rect, ops: list[Op], acc: np.ndarray | None, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        out = np.empty((rect.h, rect.w, 4), np.uint8)
    elif not _writable_in_place(out):
        out[...] = composite_bgra(rect, ops, acc)
        return out
    _run(rect, ops, acc, None, out)
    return out


def lerp(backdrop: np.ndarray, result: np.ndarray, rect: Rect, opacity: float, mask: MaskInput | None) -> None:
    kind, my, mx = K.NO_MASK, 0, 0
    m8, m32, inverted, density = _DUMMY_U8_2D, _DUMMY_F32_2D, False, 1.0
    if mask is not None:
        my, mx = rect.y - mask.origin[1], rect.x - mask.origin[0]
        if mask.effective:
            kind, m32 = K.MASK_F32, np.ascontiguousarray(mask.data, np.float32)
        else:
            kind, m8, inverted, density = K.MASK_U8, np.ascontiguousarray(mask.data), mask.inverted, mask.density
    K.lerp_rows(backdrop, result, np.float32(opacity), kind, m8, m32, my, mx, inverted, np.float32(density))


def warm_up() -> None:
    """Compile (or load from numba's cache) every kernel, on a tiny document."""
    from .plan import MaskInput as M

    rect = Rect(0, 0, 2, 2)
    px = np.zeros((2, 2, 4), np.uint8)
    buf = np.zeros((2, 2, 4), np.float32)
    from .plan import AdjustInput

    ops = [Op(Source.PIXELS, rect, BlendMode.NORMAL, 1.0, px, mask=M(np.zeros((2, 2), np.uint8), (0, 0))),
           Op(Source.BUFFER, rect, BlendMode.HUE, 0.5, buf, mask=M(np.ones((2, 2), np.float32), (0, 0), effective=True),
              blend_if=np.array([[(0, 0, 255, 255)] * 4] * 2, np.float32)),
           Op(Source.ADJUST, rect, BlendMode.NORMAL, 0.5, atop=True,
              adjust=AdjustInput(planes.LUT, np.tile(np.arange(256, dtype=np.float64), 3)))]
    composite_bgra(rect, ops, composite(rect, ops, None))
    lerp(buf, buf.copy(), rect, 0.5, None)
    ip, fp, keep = _tables(rect, ops)
    K.composite_rows(rect.h, rect.w, buf, True, buf, True, 0, 0, False, ip, fp)
    del keep
