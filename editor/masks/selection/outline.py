"""The outline of a soft selection at its 50% edge, for marching ants.

Polygons in document coordinates through the centres of the boundary pixels
of (selection >= 128). A big or speckled selection is traced on an
area-averaged smaller copy, so the work stays bounded: at most MAX_SIDE
pixels a side, and coarser again while the boundary would have more than
EDGE_BUDGET pixels (a global magic wand on a noisy photo has millions,
which would take seconds to trace and to draw). Ants are a display aid, so
this costs them at most a few pixels of accuracy on such selections only.
"""

from __future__ import annotations

import cv2
import numpy as np

MAX_SIDE = 4096
EDGE_BUDGET = 400_000
MAX_POINTS = 200_000


def _binary(data: np.ndarray, factor: int) -> np.ndarray:
    h, w = data.shape
    if factor > 1:  # a whole factor keeps INTER_AREA on its fast path
        data = cv2.resize(data, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
    return cv2.threshold(data, 127, 1, cv2.THRESH_BINARY)[1]


def _edge_estimate(binary: np.ndarray) -> int:
    """Boundary pixels, estimated from the row transitions of every 8th row."""
    rows = binary[::8]
    return int(np.count_nonzero(rows[:, 1:] != rows[:, :-1])) * 8 * 2


def selection_outline(data: np.ndarray, *, max_side: int = MAX_SIDE, edge_budget: int = EDGE_BUDGET,
                      max_points: int = MAX_POINTS) -> list[np.ndarray]:
    """Closed polygons ((n, 2) float64, document coordinates) around the selected area."""
    h, w = data.shape
    factor = -(-max(h, w) // max_side)
    binary = _binary(data, factor)
    while _edge_estimate(binary) > edge_budget and min(binary.shape) > 64:
        factor *= 2
        binary = _binary(data, factor)
    contours, _ = cv2.findContours(binary, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    contours = sorted(contours, key=len, reverse=True)
    sx, sy = w / binary.shape[1], h / binary.shape[0]
    out, total = [], 0
    for contour in contours:
        if total + len(contour) > max_points:
            break  # the smallest specks go first
        total += len(contour)
        out.append((contour.reshape(-1, 2).astype(np.float64) + 0.5) * (sx, sy))
    return out
