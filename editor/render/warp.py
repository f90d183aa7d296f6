"""Warping one array by an affine or perspective matrix (OpenCV), for Free Transform.

Matrices are 3x3 and map DOCUMENT coordinates to document coordinates, with
pixel (x, y) covering [x, x+1) x [y, y+1), so its centre is (x + 0.5, y + 0.5).
An array placed at `offset` has its pixel (i, j) centred at
(offset.x + j + 0.5, offset.y + i + 0.5). `warp` resamples the source into a
destination frame (a document `Rect`) by inverse mapping every destination pixel
centre, so a matrix is applied exactly where the layer's pixels sit.

RGBA is straight alpha: it is premultiplied around the warp and divided back
afterwards, so the transparent pixels' colour does not leak into the edge (no
dark fringe). A mask is warped by the same code path as the alpha channel, so a
mask equal to a layer's alpha stays equal to it after a linked transform.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from editor.core import Rect

# Interpolation names used across Veil's geometry operations.
INTERPOLATIONS: dict[str, int] = {
    "nearest": cv2.INTER_NEAREST,
    "bilinear": cv2.INTER_LINEAR,
    "bicubic": cv2.INTER_CUBIC,
    "lanczos": cv2.INTER_LANCZOS4,
}
DEFAULT_INTERPOLATION = "bicubic"
MAX_WARP_SIDE = 30_000  # a perspective that sends a corner toward infinity is refused, not allocated
_STRIP = 1024  # rows per warp call: bounds float memory and gives progress


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


def _source_window(m: np.ndarray, rows: tuple[int, int], width: int, shape: tuple[int, int], pad: int) -> Rect:
    """The source rectangle a strip of destination rows reads (interpolation support included)."""
    y0, y1 = rows
    pts = np.array([[-0.5, y0 - 0.5], [width - 0.5, y0 - 0.5], [width - 0.5, y1 - 0.5], [-0.5, y1 - 0.5]], np.float64)
    src = apply_points(m, pts)
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
) -> np.ndarray:
    """Resample `array` (placed at document rect `src`) through `matrix` into document rect `dst`.

    array: (h, w, 4) straight RGBA uint8 (premultiplied around the warp) or (h, w) uint8
    (a mask or selection; `border` fills what the source does not cover).
    Returns a new uint8 array of dst's size. `progress(fraction)` is called per strip.
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
    m = _array_matrix(mat, src, dst)
    rgba = array.ndim == 3
    out = np.zeros((dst.h, dst.w, 4) if rgba else (dst.h, dst.w), np.uint8)
    if not rgba:
        out[...] = border
    pad = 4 if flag == cv2.INTER_LANCZOS4 else 2
    strips = max(1, math.ceil(dst.h / _STRIP))
    for n, y0 in enumerate(range(0, dst.h, _STRIP)):
        y1 = min(dst.h, y0 + _STRIP)
        win = _source_window(m, (y0, y1), dst.w, array.shape[:2], pad)
        if not win.empty:
            # Warp this strip from the part of the source it reads: same matrix, moved origins.
            ms = translation(-win.x, -win.y) @ m @ translation(0, y0)
            piece = array[win.slices()]
            size = (dst.w, y1 - y0)
            if rgba:
                out[y0:y1] = _warp_rgba(piece, ms, size, flag)
            else:
                out[y0:y1] = _to_uint8(_warp_float(piece.astype(np.float32), ms, size, flag, float(border)))
        if progress is not None:
            progress((n + 1) / strips)
    return out


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(values + 0.5, 0, 255).astype(np.uint8)


def _warp_rgba(piece: np.ndarray, m: np.ndarray, size: tuple[int, int], flag: int) -> np.ndarray:
    f = piece.astype(np.float32)
    alpha = f[..., 3:4] * np.float32(1 / 255)
    f[..., :3] *= alpha  # premultiply
    warped = _warp_float(f, m, size, flag, 0.0)
    a = np.clip(warped[..., 3], 0, 255)
    out = np.empty(warped.shape, np.uint8)
    out[..., 3] = _to_uint8(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(a > 0, np.float32(255) / a, np.float32(0))
    out[..., :3] = _to_uint8(warped[..., :3] * scale[..., None])
    out[out[..., 3] == 0] = 0  # fully transparent pixels carry no colour
    return out


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
