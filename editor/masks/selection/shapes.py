"""Rasterise selection shapes to antialiased, document-sized uint8 coverage.

Coordinates are document pixels as floats: pixel (col, row) covers the square
[col, col+1) x [row, row+1), so a rectangle from (0, 0) to (10, 10) selects
exactly ten by ten pixels. Antialiasing is the exact fraction of each pixel a
shape covers, computed by a signed-area accumulation rasteriser (the method
of font-rs and stb_truetype): each edge adds its signed area to the cells it
crosses, and a running sum along each row turns that into coverage. Nonzero
winding: overlapping loops of one outline stay selected. Without antialiasing
a pixel is in when at least half of it is covered.

cv2.fillPoly is not used because it rounds each span end to the nearest pixel
inclusively, which grows every shape by up to half a pixel per side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numba import njit, prange

Point = tuple[float, float]


@njit(cache=True)
def _accumulate_line(acc: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> None:
    """Add the signed area of one edge to `acc` ((h, w + 1) float32), x clamped to [0, w]."""
    if y0 == y1:
        return
    h, w1 = acc.shape
    w = w1 - 1
    direction = 1.0
    if y0 > y1:
        x0, y0, x1, y1 = x1, y1, x0, y0
        direction = -1.0
    dxdy = (x1 - x0) / (y1 - y0)
    x = x0
    if y0 < 0.0:
        x -= y0 * dxdy
        y0 = 0.0
    y_end = min(float(h), y1)
    row = int(math.floor(y0))
    while row < y_end:
        dy = min(row + 1.0, y_end) - max(float(row), y0)
        xnext = x + dxdy * dy
        d = dy * direction
        xa = min(max(min(x, xnext), 0.0), float(w))
        xb = min(max(max(x, xnext), 0.0), float(w))
        xa_floor = math.floor(xa)
        xa_i = int(xa_floor)
        xb_ceil = int(math.ceil(xb))
        if xb_ceil <= xa_i + 1:
            # the edge stays within one column in this row
            xmf = 0.5 * (xa + xb) - xa_floor
            acc[row, xa_i] += d - d * xmf
            if xa_i + 1 <= w:
                acc[row, xa_i + 1] += d * xmf
        else:
            s = 1.0 / (xb - xa)
            xa_frac = xa - xa_floor
            a0 = 0.5 * s * (1.0 - xa_frac) ** 2
            xb_frac = xb - xb_ceil + 1.0
            am = 0.5 * s * xb_frac * xb_frac
            acc[row, xa_i] += d * a0
            if xb_ceil == xa_i + 2:
                acc[row, xa_i + 1] += d * (1.0 - a0 - am)
            else:
                a1 = s * (1.5 - xa_frac)
                acc[row, xa_i + 1] += d * (a1 - a0)
                for xi in range(xa_i + 2, xb_ceil - 1):
                    acc[row, xi] += d * s
                a2 = a1 + (xb_ceil - xa_i - 3) * s
                acc[row, xb_ceil - 1] += d * (1.0 - a2 - am)
            if xb_ceil <= w:
                acc[row, xb_ceil] += d * am
        x = xnext
        row += 1


@njit(cache=True)
def _accumulate(acc: np.ndarray, points: np.ndarray, starts: np.ndarray) -> None:
    """Every closed polygon: points[starts[i]:starts[i+1]] (the last one wraps round)."""
    for i in range(starts.size - 1):
        a, b = starts[i], starts[i + 1]
        for k in range(a, b):
            nxt = k + 1 if k + 1 < b else a
            _accumulate_line(acc, points[k, 0], points[k, 1], points[nxt, 0], points[nxt, 1])


@njit(cache=True, parallel=True)
def _resolve(acc: np.ndarray, out: np.ndarray, antialias: bool) -> None:
    h, w = out.shape
    for r in prange(h):
        total = 0.0
        for c in range(w):
            total += acc[r, c]
            cover = min(abs(total), 1.0)
            if antialias:
                out[r, c] = np.uint8(cover * 255.0 + 0.5)
            else:
                out[r, c] = 255 if cover >= 0.5 else 0


def polygons_coverage(width: int, height: int, polygons: Sequence[np.ndarray | Sequence[Point]], *, antialias: bool = True) -> np.ndarray:
    """Coverage of closed polygons, as a (height, width) uint8 array (255 = fully inside)."""
    polys = [np.asarray(p, np.float64).reshape(-1, 2) for p in polygons]
    polys = [p for p in polys if len(p) >= 3 and np.isfinite(p).all()]
    out = np.zeros((height, width), np.uint8)
    if not polys:
        return out
    allpts = np.concatenate(polys)
    x0 = max(0, int(math.floor(allpts[:, 0].min())))
    y0 = max(0, int(math.floor(allpts[:, 1].min())))
    x1 = min(width, int(math.ceil(allpts[:, 0].max())))
    y1 = min(height, int(math.ceil(allpts[:, 1].max())))
    if x1 <= x0 or y1 <= y0 or allpts[:, 0].max() <= 0 or allpts[:, 1].max() <= 0:
        return out
    # Work in the shape's bounding box; points left of it clamp to its edge, which
    # keeps their area contribution (everything left of column 0 lands in column 0).
    acc = np.zeros((y1 - y0, x1 - x0 + 1), np.float32)
    starts = np.cumsum([0] + [len(p) for p in polys]).astype(np.int64)
    _accumulate(acc, allpts - (x0, y0), starts)
    _resolve(acc, out[y0:y1, x0:x1], antialias)
    return out


def rect_polygon(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], np.float64)


def rect_coverage(width: int, height: int, x0: float, y0: float, x1: float, y1: float, *, antialias: bool = True) -> np.ndarray:
    """The rectangle with these corners (in any order)."""
    return polygons_coverage(width, height, [rect_polygon(x0, y0, x1, y1)], antialias=antialias)


def ellipse_polygon(cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    """An ellipse as a polygon with a vertex about every pixel of its outline."""
    rx, ry = abs(rx), abs(ry)
    perimeter = math.pi * (3 * (rx + ry) - math.sqrt(max(0.0, (3 * rx + ry) * (rx + 3 * ry))))
    n = int(min(20000, max(16, math.ceil(perimeter))))
    t = np.linspace(0.0, 2 * math.pi, n, endpoint=False)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def ellipse_coverage(width: int, height: int, x0: float, y0: float, x1: float, y1: float, *, antialias: bool = True) -> np.ndarray:
    """The ellipse inscribed in the rectangle with these corners."""
    poly = ellipse_polygon((x0 + x1) / 2, (y0 + y1) / 2, abs(x1 - x0) / 2, abs(y1 - y0) / 2)
    return polygons_coverage(width, height, [poly], antialias=antialias)


def cubic_points(p0: Point, c0: Point, c1: Point, p1: Point) -> np.ndarray:
    """A cubic Bézier flattened to a polyline (without its last point), about 2 px per step."""
    ctrl = np.array([p0, c0, c1, p1], np.float64)
    length = float(np.linalg.norm(np.diff(ctrl, axis=0), axis=1).sum())
    n = int(min(1024, max(1, math.ceil(length / 2))))
    t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
    u = 1.0 - t
    return u**3 * ctrl[0] + 3 * u * u * t * ctrl[1] + 3 * u * t * t * ctrl[2] + t**3 * ctrl[3]
