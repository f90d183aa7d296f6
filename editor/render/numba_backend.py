"""The numba backend: packs a list of ops into tables and runs the fused kernels.

Importing this module fails when numba is missing; backends.py then falls back to numpy.
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.typed import List

from editor.core import BlendMode, Rect

from . import kernels as K
from .plan import MaskInput, Op, Source

name = "numba"
# Below this many pixel-ops a job runs on the calling thread: waking the pool costs more.
PARALLEL_WORK = 1 << 21

MODE_CODES = {
    BlendMode.NORMAL: K.NORMAL, BlendMode.MULTIPLY: K.MULTIPLY, BlendMode.SCREEN: K.SCREEN,
    BlendMode.OVERLAY: K.OVERLAY, BlendMode.DARKEN: K.DARKEN, BlendMode.LIGHTEN: K.LIGHTEN,
    BlendMode.COLOR_DODGE: K.COLOR_DODGE, BlendMode.COLOR_BURN: K.COLOR_BURN,
    BlendMode.HARD_LIGHT: K.HARD_LIGHT, BlendMode.SOFT_LIGHT: K.SOFT_LIGHT,
    BlendMode.DIFFERENCE: K.DIFFERENCE, BlendMode.EXCLUSION: K.EXCLUSION, BlendMode.HUE: K.HUE,
    BlendMode.SATURATION: K.SATURATION, BlendMode.COLOR: K.COLOR, BlendMode.LUMINOSITY: K.LUMINOSITY,
    BlendMode.ADD: K.ADD,
}
SOURCE_CODES = {Source.PIXELS: K.PIXELS, Source.FILL: K.FILL, Source.BUFFER: K.BUFFER}

_U8_3D = types.Array(types.uint8, 3, "C")
_F32_3D = types.Array(types.float32, 3, "C")
_U8_2D = types.Array(types.uint8, 2, "C")
_F32_2D = types.Array(types.float32, 2, "C")
# Every list starts with a dummy so the kernel can always index entry 0.
_DUMMY_U8_3D = np.zeros((1, 1, 4), np.uint8)
_DUMMY_F32_3D = np.zeros((1, 1, 4), np.float32)
_DUMMY_U8_2D = np.zeros((1, 1), np.uint8)
_DUMMY_F32_2D = np.zeros((1, 1), np.float32)
_NO_INIT = np.zeros((1, 1, 4), np.float32)
_NO_U8 = np.zeros((1, 1, 4), np.uint8)


class _Arrays:
    """The typed lists of arrays the ops refer to by index."""

    def __init__(self) -> None:
        self.lists = {key: List.empty_list(typ) for key, typ in
                      (("u8", _U8_3D), ("f32", _F32_3D), ("m8", _U8_2D), ("m32", _F32_2D))}
        for key, dummy in (("u8", _DUMMY_U8_3D), ("f32", _DUMMY_F32_3D), ("m8", _DUMMY_U8_2D), ("m32", _DUMMY_F32_2D)):
            self.lists[key].append(dummy)
        self.seen: dict[tuple[str, int], int] = {}

    def index(self, key: str, array: np.ndarray) -> int:
        # The same array (a layer drawn twice, the fill dummy) is sent once.
        found = self.seen.get((key, id(array)))
        if found is not None:
            return found
        typed = self.lists[key]
        typed.append(np.ascontiguousarray(array))
        self.seen[(key, id(array))] = len(typed) - 1
        return len(typed) - 1


def _tables(rect: Rect, ops: list[Op]) -> tuple[np.ndarray, np.ndarray, _Arrays]:
    ip = np.zeros((len(ops), K.N_INT), np.int64)
    fp = np.zeros((len(ops), K.N_FLOAT), np.float32)
    arrays = _Arrays()
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
        fp[k, K.OPACITY] = op.opacity
        if op.source is Source.PIXELS:
            row[K.SRC_INDEX] = arrays.index("u8", op.pixels)
        elif op.source is Source.BUFFER:
            row[K.SRC_INDEX] = arrays.index("f32", op.pixels)
        else:
            fp[k, K.FILL_R : K.FILL_A + 1] = op.color
        mask = op.mask
        if mask is not None:
            row[K.MY], row[K.MX] = rect.y - mask.origin[1], rect.x - mask.origin[0]
            if mask.effective:
                row[K.MASK_KIND] = K.MASK_F32
                row[K.MASK_INDEX] = arrays.index("m32", mask.data)
            else:
                row[K.MASK_KIND] = K.MASK_U8
                row[K.MASK_INDEX] = arrays.index("m8", mask.data)
                row[K.INVERTED] = mask.inverted
                fp[k, K.DENSITY] = mask.density
    return ip, fp, arrays


def _run(rect: Rect, ops: list[Op], acc: np.ndarray | None, out_f32: np.ndarray | None, out_u8: np.ndarray | None) -> None:
    ip, fp, arrays = _tables(rect, ops)
    lists = arrays.lists
    args = (rect.w, _NO_INIT if acc is None else acc, acc is not None,
            _NO_INIT if out_f32 is None else out_f32, out_f32 is not None,
            _NO_U8 if out_u8 is None else out_u8, out_u8 is not None,
            ip, fp, lists["u8"], lists["f32"], lists["m8"], lists["m32"])
    work = rect.h * rect.w * (len(ops) + 1)
    if work < PARALLEL_WORK:
        K.composite_band(0, rect.h, *args)
    else:
        K.composite_rows(rect.h, *args)


def composite(rect: Rect, ops: list[Op], acc: np.ndarray | None) -> np.ndarray:
    if acc is None:
        out = np.empty((rect.h, rect.w, 4), np.float32)
        _run(rect, ops, None, out, None)
        return out
    if ops:
        _run(rect, ops, acc, acc, None)  # each row is read whole before it is written back
    return acc


def composite_bgra(rect: Rect, ops: list[Op], acc: np.ndarray | None) -> np.ndarray:
    out = np.empty((rect.h, rect.w, 4), np.uint8)
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
    ops = [Op(Source.PIXELS, rect, BlendMode.NORMAL, 1.0, px, mask=M(np.zeros((2, 2), np.uint8), (0, 0))),
           Op(Source.BUFFER, rect, BlendMode.HUE, 0.5, buf, mask=M(np.ones((2, 2), np.float32), (0, 0), effective=True))]
    composite_bgra(rect, ops, composite(rect, ops, None))
    lerp(buf, buf.copy(), rect, 0.5, None)
    ip, fp, arrays = _tables(rect, ops)
    lists = arrays.lists
    K.composite_rows(rect.h, rect.w, buf, True, buf, True, _NO_U8, False, ip, fp,
                     lists["u8"], lists["f32"], lists["m8"], lists["m32"])
