"""Warping one array by an affine or perspective matrix (OpenCV), for Free Transform.

Matrices are 3x3 and map DOCUMENT coordinates to document coordinates, with
pixel (x, y) covering [x, x+1) x [y, y+1), so its centre is (x + 0.5, y + 0.5).
An array placed at `offset` has its pixel (i, j) centred at
(offset.x + j + 0.5, offset.y + i + 0.5). `warp` resamples the source into a
destination frame (a document `Rect`) by inverse mapping every destination pixel
centre, so a matrix is applied exactly where the layer's pixels sit.

Affine warps (every Free Transform commit but perspective and distort) resample separably,
in two 1-D passes with the kernel widened on a shrink: the lead's decision for issue #13, with
its reasons, in separable.py. Perspective and nearest keep OpenCV's 2-D warp.

RGBA is straight alpha: it is premultiplied around the warp and divided back
afterwards, so the transparent pixels' colour does not leak into the edge (no
dark fringe). A mask is warped by the same code path as the alpha channel, so a
mask equal to a layer's alpha stays equal to it after a linked transform.
"""

from __future__ import annotations

import functools
import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

from editor.core import Rect

from . import separable
from . import warp_kernels as kernels

# Interpolation names used across Veil's geometry operations.
INTERPOLATIONS: dict[str, int] = {
    "nearest": cv2.INTER_NEAREST,
    "bilinear": cv2.INTER_LINEAR,
    "bicubic": cv2.INTER_CUBIC,
    "lanczos": cv2.INTER_LANCZOS4,
}
DEFAULT_INTERPOLATION = "bicubic"
MAX_WARP_SIDE = 30_000  # a perspective that sends a corner toward infinity is refused, not allocated
_TILE = 512  # destination pixels a side per warp call: bounds float memory, spreads over threads, gives progress
_THREADS = max(1, min(8, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    """Strips run side by side: OpenCV and numpy release the GIL for the whole of each call."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(_THREADS, thread_name_prefix="veil-warp")
    return _pool


_local = threading.local()


def _scratch(h: int, w: int) -> np.ndarray:
    """A contiguous (h, w) float32 buffer of this thread's, kept between tiles and calls."""
    buf = getattr(_local, "buffer", None)
    if buf is None or buf.size < h * w:
        buf = _local.buffer = np.empty(h * w, np.float32)
    return buf[:h * w].reshape(h, w)


@functools.cache
def _weights(interpolation: str) -> tuple[np.ndarray, int]:
    return kernels.weight_table(interpolation)


def translation(dx: float, dy: float) -> np.ndarray:
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]], np.float64)


def scaling(sx: float, sy: float, cx: float = 0.0, cy: float = 0.0) -> np.ndarray:
    return translation(cx, cy) @ np.diag([sx, sy, 1.0]) @ translation(-cx, -cy)


def rotation(degrees: float, cx: float = 0.0, cy: float = 0.0) -> np.ndarray:
    """Clockwise on screen (y points down) by `degrees` about (cx, cy)."""
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    # Exact for right angles, so 90-degree turns and flips move pixels without resampling.
    c, s = (round(c) if abs(c - round(c)) < 1e-12 else c), (round(s) if abs(s - round(s)) < 1e-12 else s)
    r = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], np.float64)
    return translation(cx, cy) @ r @ translation(-cx, -cy)


def apply_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Transform (n, 2) points; perspective divide included."""
    pts = np.asarray(points, np.float64)
    h = np.c_[pts, np.ones(len(pts))] @ np.asarray(matrix, np.float64).T
    return h[:, :2] / h[:, 2:3]


def is_affine(matrix: np.ndarray) -> bool:
    m = np.asarray(matrix, np.float64)
    return bool(abs(m[2, 0]) < 1e-12 and abs(m[2, 1]) < 1e-12 and abs(m[2, 2] - 1) < 1e-12)


def _rect_corners(rect: Rect) -> np.ndarray:
    return np.array([[rect.x, rect.y], [rect.right, rect.y], [rect.right, rect.bottom], [rect.x, rect.bottom]], np.float64)


def warped_extent(matrix: np.ndarray, rect: Rect) -> Rect:
    """The whole-pixel document rectangle the transformed `rect` covers."""
    m = np.asarray(matrix, np.float64)
    corners = _rect_corners(rect)
    w = np.c_[corners, np.ones(4)] @ m[2]
    if (w <= 1e-9).any():
        raise ValueError("the perspective sends a corner to infinity")
    pts = apply_points(m, corners)
    # Tolerance: a corner at 99.9999999 from floating error stays on pixel 100's edge.
    x0, y0 = np.floor(pts.min(axis=0) + 1e-6)
    x1, y1 = np.ceil(pts.max(axis=0) - 1e-6)
    out = Rect.from_bounds(int(x0), int(y0), int(x1), int(y1))
    if out.w > MAX_WARP_SIDE or out.h > MAX_WARP_SIDE:
        raise ValueError(f"the transformed layer would be {out.w}x{out.h} pixels, over {MAX_WARP_SIDE} a side")
    return out


def _array_matrix(matrix: np.ndarray, src: Rect, dst: Rect) -> np.ndarray:
    """Destination array coordinates -> source array coordinates (OpenCV's inverse map; integer = centre)."""
    inv = np.linalg.inv(np.asarray(matrix, np.float64))
    to_doc = translation(dst.x + 0.5, dst.y + 0.5)
    to_src = translation(-src.x - 0.5, -src.y - 0.5)
    return to_src @ inv @ to_doc


def _warp_float(image: np.ndarray, m: np.ndarray, size: tuple[int, int], flag: int, border: float) -> np.ndarray:
    flags = flag | cv2.WARP_INVERSE_MAP
    value = (border,) * 4
    if is_affine(m):
        return cv2.warpAffine(image, m[:2], size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=value)
    return cv2.warpPerspective(image, m, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=value)


def _source_window(m: np.ndarray, tile: Rect, shape: tuple[int, int], pad: int) -> Rect:
    """The source rectangle a destination tile (array coordinates) reads, interpolation support included."""
    x0, y0, x1, y1 = tile.x - 0.5, tile.y - 0.5, tile.right - 0.5, tile.bottom - 0.5
    src = apply_points(m, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64))
    sx0, sy0 = np.floor(src.min(axis=0)) - pad
    sx1, sy1 = np.ceil(src.max(axis=0)) + pad + 1
    h, w = shape
    return Rect.from_bounds(max(0, int(sx0)), max(0, int(sy0)), min(w, int(sx1)), min(h, int(sy1)))


def warp(
    array: np.ndarray,
    matrix: np.ndarray,
    src: Rect,
    dst: Rect,
    interpolation: str = DEFAULT_INTERPOLATION,
    *,
    border: int = 0,
    progress=None,
    crop: bool = True,
) -> np.ndarray:
    """Resample `array` (placed at document rect `src`) through `matrix` into document rect `dst`.

    array: (h, w, 4) straight RGBA uint8 (premultiplied around the warp) or (h, w) uint8
    (a mask or selection; `border` fills what the source does not cover).
    Returns a new uint8 array of dst's size. `progress(fraction)` is called per tile.
    crop: an RGBA source is read only within its non-transparent bounds. A linked mask passes
    crop=False with its layer's pixels, so both are read through the same windows and a mask
    equal to the alpha channel stays equal to it bit for bit.

    Speed: an affine matrix takes the two-pass path (separable.py). Otherwise: tiles run on a thread pool; an opaque source warps as bytes (it is its own
    premultiplied form); alpha and masks warp as bytes too (OpenCV's fixed-point path), and
    only the colour of a translucent source goes through float: premultiplied into a buffer
    each thread keeps, resampled and divided back by Veil's vectorised kernel (warp_kernels).
    Memory: a tile's float copy, never the layer's.
    Quality: a shrink past 1.5x along an axis is area-averaged to the destination's pixel size
    first (on premultiplied colour), so the interpolation kernel never skips source pixels.
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"unknown interpolation {interpolation!r}; expected one of {', '.join(INTERPOLATIONS)}")
    flag = INTERPOLATIONS[interpolation]
    mat = np.asarray(matrix, np.float64)
    if is_affine(mat) and np.array_equal(mat[:2, :2], np.eye(2)) and np.array_equal(mat[:2, 2], np.round(mat[:2, 2])):
        # A whole-pixel move resamples nothing: copy exactly.
        moved = src.translated(int(mat[0, 2]), int(mat[1, 2]))
        if progress is not None:
            progress(1.0)
        return place(array, moved, dst, 0 if array.ndim == 3 else border)
    rgba = array.ndim == 3
    out = np.zeros((dst.h, dst.w, 4) if rgba else (dst.h, dst.w), np.uint8)
    if not rgba:
        out[...] = border
    if rgba and crop:
        # Only the layer's content is read: transparent margins warp to transparent margins.
        content = _content_rect(array)
        if content is None:
            if progress is not None:
                progress(1.0)
            return out
        array = array[content.slices()]
        src = content.translated(src.x, src.y)
    m = _array_matrix(mat, src, dst)
    pad = 4 if flag == cv2.INTER_LANCZOS4 else 2
    # Destination rows the source can reach (kernel support included); the rest keeps the border.
    reach = warped_extent(mat, src).adjusted(pad + 1).intersect(dst) if rgba and crop else dst
    if reach.empty:
        if progress is not None:
            progress(1.0)
        return out
    area = reach.translated(-dst.x, -dst.y)
    if is_affine(m) and flag != cv2.INTER_NEAREST and kernels.COMPILED:
        # Affine: two 1-D passes, the kernel widened on a shrink (separable.py: the decision and why).
        _warp_separable(array, m, area, out, interpolation, 0 if rgba else border, progress)
        return out
    size = _reduced_size(mat, src, flag)
    alpha: np.ndarray | None = None  # the alpha bytes of a reduced RGBA source, its colour premultiplied float
    if size != (src.w, src.h):
        # A strong shrink: area-average to the destination's pixel size first, so the warp's kernel
        # does not skip source pixels (aliasing, moire); what is left is a rotation at about 1:1.
        tables = kernels.area_table(src.h, size[1]) + kernels.area_table(src.w, size[0])
        if rgba:
            array, alpha = kernels.area_rgba(np.ascontiguousarray(array), *tables)
        else:
            array = kernels.area_bytes(np.ascontiguousarray(array), *tables)
        m = _reduced_frame(src.w / size[0], src.h / size[1]) @ m
    opaque = rgba and alpha is None and bool((array[..., 3] == 255).all())
    # Square tiles: a rotated tile reads a window at most twice its area (a strip's is many times
    # it), so the float copy made of each window stays small and is not made over and over.
    tiles = [Rect.from_bounds(x, y, min(area.right, x + _TILE), min(area.bottom, y + _TILE))
             for y in range(area.y, area.bottom, _TILE) for x in range(area.x, area.right, _TILE)]

    def warp_tile(tile: Rect) -> None:
        win = _source_window(m, tile, array.shape[:2], pad)
        if win.empty:
            return
        # Warp this tile from the part of the source it reads: same matrix, moved origins.
        ms = translation(-win.x, -win.y) @ m @ translation(tile.x, tile.y)
        piece = array[win.slices()]
        size = (tile.w, tile.h)
        target = out[tile.slices()]
        if alpha is not None:
            kernels.straight_from_warped(_warp_float(piece, ms, size, flag, 0.0),
                                         _warp_bytes(alpha[win.slices()], ms, size, flag), target)
        elif opaque:
            warped = _warp_bytes(piece, ms, size, flag)
            kernels.straighten_bytes(warped)  # an opaque source is its own premultiplied form
            target[...] = warped
        elif rgba and flag != cv2.INTER_NEAREST and kernels.COMPILED:
            # Premultiplied into this thread's reused buffer (a fresh one per tile page-faults), colour
            # resampled by Veil's kernel; alpha through the same byte path as masks, so a mask equal
            # to the alpha stays equal to it.
            flat = _scratch(win.h, win.w * 4)
            kernels.premultiply_into(piece, flat)
            table, first = _weights(interpolation)
            kernels.RESAMPLE_RGBA[interpolation](flat, 0, 0, win.w, win.h, ms, not is_affine(ms), table, first,
                                                 target, 0, 0)
            kernels.store_alpha(target, _warp_bytes(piece[..., 3], ms, size, flag))
        elif rgba:
            kernels.straight_from_warped(_warp_float(kernels.premultiplied(piece), ms, size, flag, 0.0),
                                         _warp_bytes(piece[..., 3], ms, size, flag), target)
        else:
            target[...] = _warp_bytes(piece, ms, size, flag, border)

    done = 0
    for _ in _executor().map(warp_tile, tiles):
        done += 1
        if progress is not None:
            progress(done / len(tiles))
    return out


_SEP_TILE = (256, 1024)  # separable tiles: tall, so pass 1 computes few rows more than the tile has (measured)


def _int_scratch(name: str, size: int) -> np.ndarray:
    """A 1-D int32 buffer of this thread's, kept between tiles and calls (fresh ones page-fault)."""
    buf = getattr(_local, name, None)
    if buf is None or buf.size < size:
        buf = np.empty(size, np.int32)
        setattr(_local, name, buf)
    return buf


def _warp_separable(array: np.ndarray, m: np.ndarray, area: Rect, out: np.ndarray, interpolation: str,
                    border: int, progress) -> None:
    """`out[area]` = `array` warped by the affine array matrix m in two 1-D passes, tile by tile."""
    if abs(m[0, 1]) > abs(m[1, 1]):
        # Past 45 degrees: an exact quarter turn first (lossless), so the vertical pass's scale stays
        # large and the intermediate never degenerates. np.rot90's (u', v') = (v, w - 1 - u).
        w = array.shape[1]
        array = cv2.rotate(np.ascontiguousarray(array), cv2.ROTATE_90_COUNTERCLOCKWISE)
        m = np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], np.float64) @ m
    shrink_x, shrink_y = separable.shrinks(m)
    t1, first1 = separable.axis_table(interpolation, shrink_x)
    t2, first2 = separable.axis_table(interpolation, shrink_y)
    tw, th = _SEP_TILE
    channels = 4 if array.ndim == 3 else 1
    line_size, inter_size, run_size = separable.scratch_sizes(array.shape[1], t1.shape[1], tw, th, m, t2.shape[1],
                                                              channels)
    tiles = [Rect.from_bounds(x, y, min(area.right, x + tw), min(area.bottom, y + th))
             for y in range(area.y, area.bottom, th) for x in range(area.x, area.right, tw)]

    def run(tile: Rect) -> None:
        separable.affine_tile(array, border, m, tile.x, tile.y, out[tile.slices()], t1, first1, t2, first2,
                              _int_scratch("line", line_size), _int_scratch("inter", inter_size),
                              _int_scratch("run", run_size))

    done = 0
    for _ in _executor().map(run, tiles):
        done += 1
        if progress is not None:
            progress(done / len(tiles))


SHRINK_FIRST = 2 / 3  # a shrink past this along a source axis is area-averaged before the warp


def _reduced_size(matrix: np.ndarray, src: Rect, flag: int) -> tuple[int, int]:
    """The size to area-average the source to before warping: its own, unless the matrix shrinks it a lot.

    The shrink along a source axis is how far one source pixel's step moves in the destination
    (the Jacobian's column); for a perspective, the least shrink over the layer, so no part of
    it is blurred below its destination size. Nearest neighbour is never reduced: it was asked for.
    """
    if flag == cv2.INTER_NEAREST:
        return src.w, src.h
    m = np.asarray(matrix, np.float64)
    pts = np.vstack([_rect_corners(src), [[src.x + src.w / 2, src.y + src.h / 2]]])
    steps = []
    for x, y in pts:
        w = m[2, 0] * x + m[2, 1] * y + m[2, 2]
        p = apply_points(m, np.array([[x, y]]))[0]
        steps.append(np.linalg.norm((m[:2, :2] - np.outer(p, m[2, :2])) / w, axis=0))  # d(dst)/d(src x), d(src y)
    fx, fy = np.max(steps, axis=0)
    return (max(1, math.ceil(src.w * fx)) if fx < SHRINK_FIRST else src.w,
            max(1, math.ceil(src.h * fy)) if fy < SHRINK_FIRST else src.h)


def _reduced_frame(qx: float, qy: float) -> np.ndarray:
    """Source array coordinates -> those of the source area-averaged by qx, qy source pixels to one."""
    return np.array([[1 / qx, 0, 0.5 / qx - 0.5], [0, 1 / qy, 0.5 / qy - 0.5], [0, 0, 1]], np.float64)


def _content_rect(rgba: np.ndarray) -> Rect | None:
    """The bounding box of the pixels with any alpha, in array coordinates; None when all are transparent."""
    alpha = rgba[..., 3]
    rows = np.flatnonzero(alpha.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(alpha[rows[0]:rows[-1] + 1].any(axis=0))
    return Rect.from_bounds(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)


def _warp_bytes(piece: np.ndarray, m: np.ndarray, size: tuple[int, int], flag: int, border: int = 0) -> np.ndarray:
    """OpenCV's uint8 warp (fixed point, saturating): masks, alpha, and opaque RGBA."""
    flags = flag | cv2.WARP_INVERSE_MAP
    value = (border,) * 4  # OpenCV reads a row-strided view as it is: no copy of the window
    if is_affine(m):
        return cv2.warpAffine(piece, m[:2], size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=value)
    return cv2.warpPerspective(piece, m, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=value)


def place(array: np.ndarray, src: Rect, dst: Rect, fill: int = 0) -> np.ndarray:
    """`array` (at document rect src) copied into a new array for document rect dst, `fill` elsewhere."""
    shape = (dst.h, dst.w) + array.shape[2:]
    out = np.full(shape, fill, np.uint8)
    common = src.intersect(dst)
    if not common.empty:
        out[common.translated(-dst.x, -dst.y).slices()] = array[common.translated(-src.x, -src.y).slices()]
    return out


def mask_background(data: np.ndarray) -> int:
    """The value a mask shows around its edge: what fills where a transformed mask no longer reaches.

    Photoshop keeps a mask's "background colour" for this; Veil's masks end at their layer's
    edge and the renderer repeats that edge outside it, so the edge's median stands in.
    """
    if data.size == 0:
        return 255
    edge = np.concatenate([data[0], data[-1], data[:, 0], data[:, -1]])
    return int(np.median(edge))
