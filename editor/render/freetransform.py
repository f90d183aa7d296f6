"""Free Transform's geometry, without Qt: handles, drags and the numeric fields.

The state of a transform in progress is a 3x3 document matrix `M` (see warp.py:
document coordinates, pixel (x, y) covers [x, x+1)) applied to a source rectangle
(the layers' bounds), and a reference point given in SOURCE coordinates (the
centre by default), shown at M(ref). The handles are the images under M of the
rectangle's corners and edge midpoints, numbered clockwise from the top left:

    0 --- 1 --- 2
    |           |
    7    ref    3
    |           |
    6 --- 5 --- 4

Every drag starts from the matrix at the press and returns a new matrix, so a
drag never accumulates rounding. The numeric fields decompose the affine part
(M itself, or its local affine approximation at the reference point when M has
perspective) as  T(x, y) . R(angle) . K(h skew, v skew) . S(w, h) . T(-ref)
with K = [[1, tan h], [tan v, 1]]; the V skew is kept by the caller (a 2x2 matrix
has four numbers for five fields), and editing fields composes
Aff(new) . Aff(old)^-1 . M, which keeps any perspective.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from editor.core import Rect

from .warp import apply_points, rotation, scaling, translation

CORNERS = (0, 2, 4, 6)
EDGES = (1, 3, 5, 7)
# Source-rectangle position of each handle as fractions of (w, h).
_HANDLE_UV = ((0, 0), (0.5, 0), (1, 0), (1, 0.5), (1, 1), (0.5, 1), (0, 1), (0, 0.5))
# The four corners of a rectangle in handle order, as indices into the corner list (tl, tr, br, bl).
_CORNER_INDEX = {0: 0, 2: 1, 4: 2, 6: 3}
# An edge handle's two corners (in corner-list indices).
_EDGE_CORNERS = {1: (0, 1), 3: (1, 2), 5: (2, 3), 7: (3, 0)}


def handle_source_points(rect: Rect) -> np.ndarray:
    """(8, 2) source positions of the handles of `rect`."""
    return np.array([(rect.x + u * rect.w, rect.y + v * rect.h) for u, v in _HANDLE_UV], np.float64)


def source_corners(rect: Rect) -> np.ndarray:
    return np.array([(rect.x, rect.y), (rect.right, rect.y), (rect.right, rect.bottom), (rect.x, rect.bottom)], np.float64)


def handle_points(rect: Rect, matrix: np.ndarray) -> np.ndarray:
    """(8, 2) document positions of the handles under `matrix`."""
    return apply_points(matrix, handle_source_points(rect))


def opposite(handle: int) -> int:
    return (handle + 4) % 8


def homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 3x3 projective matrix sending four points `src` to `dst` (no three collinear)."""
    a = np.zeros((8, 8), np.float64)
    b = np.zeros(8, np.float64)
    for i, ((x, y), (u, v)) in enumerate(zip(np.asarray(src, np.float64), np.asarray(dst, np.float64), strict=True)):
        a[2 * i] = (x, y, 1, 0, 0, 0, -u * x, -u * y)
        a[2 * i + 1] = (0, 0, 0, x, y, 1, -v * x, -v * y)
        b[2 * i], b[2 * i + 1] = u, v
    h = np.linalg.solve(a, b)
    return np.append(h, 1.0).reshape(3, 3)


def is_convex_quad(points: np.ndarray) -> bool:
    """True when the four points make a convex quadrilateral in order (either winding): a valid distort."""
    p = np.asarray(points, np.float64)
    cross = []
    for i in range(4):
        a, b, c = p[i], p[(i + 1) % 4], p[(i + 2) % 4]
        cross.append((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]))
    return all(c > 1e-9 for c in cross) or all(c < -1e-9 for c in cross)


def inside_quad(points: np.ndarray, x: float, y: float) -> bool:
    """Point in the (convex or not) quadrilateral, by the even-odd rule."""
    p = np.asarray(points, np.float64)
    inside = False
    for i in range(len(p)):
        (x0, y0), (x1, y1) = p[i], p[(i + 1) % len(p)]
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _local(matrix: np.ndarray, x: float, y: float) -> np.ndarray:
    return apply_points(np.linalg.inv(matrix), np.array([[x, y]]))[0]


# --- drags -------------------------------------------------------------------------

def move(m0: np.ndarray, dx: float, dy: float) -> np.ndarray:
    return translation(dx, dy) @ m0


def scale_drag(m0: np.ndarray, rect: Rect, handle: int, x: float, y: float, *, proportional: bool,
               anchor: tuple[float, float] | None = None) -> np.ndarray:
    """Drag handle `handle` to document (x, y): scale in the layer's own frame.

    The opposite handle stays put, or `anchor` (a SOURCE point: the reference point, with
    Alt) does. Corners scale both axes, edges one; `proportional` keeps the aspect ratio
    (an edge then scales both axes by its own factor). A drag across the anchor flips.
    """
    pts = handle_source_points(rect)
    h = pts[handle]
    a = np.asarray(anchor, np.float64) if anchor is not None else pts[opposite(handle)]
    p = _local(m0, x, y)
    d = h - a
    sx = (p[0] - a[0]) / d[0] if abs(d[0]) > 1e-12 else 1.0
    sy = (p[1] - a[1]) / d[1] if abs(d[1]) > 1e-12 else 1.0
    if handle in (1, 5):
        sx = abs(sy) if proportional else 1.0
    elif handle in (3, 7):
        sy = abs(sx) if proportional else 1.0
    elif proportional:
        # The pointer projected on the diagonal through the anchor: Photoshop's proportional corner.
        s = float(np.dot(p - a, d) / np.dot(d, d)) if np.dot(d, d) > 1e-12 else 1.0
        sx = sy = s
    sx = sx if abs(sx) > 1e-4 else math.copysign(1e-4, sx or 1.0)
    sy = sy if abs(sy) > 1e-4 else math.copysign(1e-4, sy or 1.0)
    return m0 @ scaling(sx, sy, a[0], a[1])


def rotate_drag(m0: np.ndarray, centre: tuple[float, float], start: tuple[float, float], x: float, y: float,
                *, snap: float | None = None, base_angle: float = 0.0) -> np.ndarray:
    """Rotate about document point `centre` by the angle the pointer swept from `start` to (x, y).

    With `snap` (degrees, Shift: 15) the resulting angle `base_angle + sweep` lands on a multiple of it.
    """
    cx, cy = centre
    a0 = math.degrees(math.atan2(start[1] - cy, start[0] - cx))
    a1 = math.degrees(math.atan2(y - cy, x - cx))
    sweep = a1 - a0
    if snap:
        sweep = round((base_angle + sweep) / snap) * snap - base_angle
    return rotation(sweep, cx, cy) @ m0


def distort_drag(m0: np.ndarray, rect: Rect, handle: int, dx: float, dy: float, *, along_edge: bool = False) -> np.ndarray:
    """Ctrl-drag: a corner moves freely (distort), an edge moves its two corners (along it only: skew).

    Returns m0 unchanged when the result would fold the quadrilateral over itself.
    """
    quad = apply_points(m0, source_corners(rect))
    new = quad.copy()
    if handle in _CORNER_INDEX:
        new[_CORNER_INDEX[handle]] += (dx, dy)
    else:
        i, j = _EDGE_CORNERS[handle]
        d = np.array([dx, dy], np.float64)
        if along_edge:
            e = quad[j] - quad[i]
            n = float(np.dot(e, e))
            d = e * (np.dot(d, e) / n) if n > 1e-12 else d * 0
        new[i] += d
        new[j] += d
    return _quad_matrix(m0, rect, new)


def perspective_drag(m0: np.ndarray, rect: Rect, handle: int, dx: float, dy: float) -> np.ndarray:
    """Perspective mode: a corner moves along one side and its neighbour on that side moves the other way.

    The side is the one the drag runs along most (a horizontal drag of the top-left corner
    widens or narrows the top edge symmetrically). Edge handles skew along their edge.
    """
    if handle not in _CORNER_INDEX:
        return distort_drag(m0, rect, handle, dx, dy, along_edge=True)
    quad = apply_points(m0, source_corners(rect))
    k = _CORNER_INDEX[handle]
    d = np.array([dx, dy], np.float64)
    # Neighbours of corner k: along the top/bottom edge (k^1) and along the left/right edge (3-k).
    horizontal, vertical = k ^ 1, 3 - k
    eh, ev = quad[horizontal] - quad[k], quad[vertical] - quad[k]
    use_h = abs(np.dot(d, eh)) / (np.linalg.norm(eh) + 1e-12) >= abs(np.dot(d, ev)) / (np.linalg.norm(ev) + 1e-12)
    e = eh if use_h else ev
    other = horizontal if use_h else vertical
    n = float(np.dot(e, e))
    step = e * (np.dot(d, e) / n) if n > 1e-12 else d * 0
    new = quad.copy()
    new[k] += step
    new[other] -= step
    return _quad_matrix(m0, rect, new)


def skew_corner_drag(m0: np.ndarray, rect: Rect, handle: int, dx: float, dy: float) -> np.ndarray:
    """Skew mode's corner: it slides alone along the side the drag runs along most."""
    quad = apply_points(m0, source_corners(rect))
    k = _CORNER_INDEX[handle]
    d = np.array([dx, dy], np.float64)
    eh, ev = quad[k ^ 1] - quad[k], quad[3 - k] - quad[k]
    use_h = abs(np.dot(d, eh)) / (np.linalg.norm(eh) + 1e-12) >= abs(np.dot(d, ev)) / (np.linalg.norm(ev) + 1e-12)
    e = eh if use_h else ev
    n = float(np.dot(e, e))
    new = quad.copy()
    if n > 1e-12:
        new[k] += e * (np.dot(d, e) / n)
    return _quad_matrix(m0, rect, new)


def _quad_matrix(m0: np.ndarray, rect: Rect, quad: np.ndarray) -> np.ndarray:
    if not is_convex_quad(quad):
        return m0
    m = homography(source_corners(rect), quad)
    return m / m[2, 2]


# --- flips and turns about the reference point -----------------------------------------

def about(matrix: np.ndarray, m0: np.ndarray, centre: tuple[float, float]) -> np.ndarray:
    """`matrix` (a linear map about the origin) applied about document point `centre`, after m0."""
    cx, cy = centre
    return translation(cx, cy) @ matrix @ translation(-cx, -cy) @ m0


def flip(m0: np.ndarray, centre: tuple[float, float], horizontal: bool) -> np.ndarray:
    return about(np.diag([-1.0, 1.0, 1.0]) if horizontal else np.diag([1.0, -1.0, 1.0]), m0, centre)


def turn(m0: np.ndarray, centre: tuple[float, float], degrees: float) -> np.ndarray:
    return rotation(degrees, *centre) @ m0


# --- numeric fields --------------------------------------------------------------------

@dataclass(frozen=True)
class Fields:
    """What the options bar shows: reference point position, scale in percent, angle and skews in degrees."""

    x: float
    y: float
    w: float = 100.0
    h: float = 100.0
    angle: float = 0.0
    skew_h: float = 0.0
    skew_v: float = 0.0


def local_affine(matrix: np.ndarray, ref: tuple[float, float]) -> np.ndarray:
    """The affine map that agrees with `matrix` at source point `ref` to first order (M itself when affine)."""
    m = np.asarray(matrix, np.float64)
    if abs(m[2, 0]) < 1e-12 and abs(m[2, 1]) < 1e-12:
        return m / m[2, 2]
    x, y = ref
    w = m[2, 0] * x + m[2, 1] * y + m[2, 2]
    u = (m[0, 0] * x + m[0, 1] * y + m[0, 2]) / w
    v = (m[1, 0] * x + m[1, 1] * y + m[1, 2]) / w
    jac = np.array([[(m[0, 0] - u * m[2, 0]) / w, (m[0, 1] - u * m[2, 1]) / w],
                    [(m[1, 0] - v * m[2, 0]) / w, (m[1, 1] - v * m[2, 1]) / w]])
    out = np.eye(3)
    out[:2, :2] = jac
    out[:2, 2] = (u, v) - jac @ np.asarray(ref, np.float64)
    return out


def decompose(matrix: np.ndarray, ref: tuple[float, float], skew_v: float = 0.0) -> Fields:
    """The fields of `matrix` with the reference point at source `ref`, for a given V skew."""
    a = local_affine(matrix, ref)
    x, y = apply_points(a, np.array([ref]))[0]
    lin = a[:2, :2]
    flip = np.linalg.det(lin) < 0
    c0 = -lin[:, 0] if flip else lin[:, 0]
    ky = math.radians(skew_v)
    theta = math.atan2(c0[1], c0[0]) - math.atan2(math.tan(ky), 1.0)
    sx = math.hypot(*c0) * math.cos(ky) * (-1 if flip else 1)
    c, s = math.cos(theta), math.sin(theta)
    rt_c1 = np.array([[c, s], [-s, c]]) @ lin[:, 1]
    sy = rt_c1[1]
    kx = math.atan2(rt_c1[0], sy) if sy > 0 else math.atan2(-rt_c1[0], -sy)
    angle = (math.degrees(theta) + 180.0) % 360.0 - 180.0
    return Fields(float(x), float(y), sx * 100.0, float(sy) * 100.0, angle, math.degrees(kx), skew_v)


def compose(fields: Fields, ref: tuple[float, float]) -> np.ndarray:
    """The affine matrix of `fields` with the reference point at source `ref`."""
    t = math.radians(fields.angle)
    c, s = math.cos(t), math.sin(t)
    r = np.array([[c, -s], [s, c]])
    k = np.array([[1.0, math.tan(math.radians(fields.skew_h))], [math.tan(math.radians(fields.skew_v)), 1.0]])
    lin = r @ k @ np.diag([fields.w / 100.0, fields.h / 100.0])
    out = np.eye(3)
    out[:2, :2] = lin
    out[:2, 2] = (fields.x, fields.y) - lin @ np.asarray(ref, np.float64)
    return out


def with_fields(matrix: np.ndarray, ref: tuple[float, float], old: Fields, new: Fields) -> np.ndarray:
    """`matrix` changed so its fields read `new` instead of `old` (perspective kept)."""
    if np.linalg.det(compose(new, ref)[:2, :2]) == 0:
        return matrix
    m = compose(new, ref) @ np.linalg.inv(compose(old, ref)) @ np.asarray(matrix, np.float64)
    return m / m[2, 2]
