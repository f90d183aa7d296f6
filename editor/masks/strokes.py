"""Brush strokes that a generator keeps as vectors in its parameters: Refine Edge's radius
strokes, Object Select's scribbles.

A stroke is {"points": [[x, y], ...], "size": brush diameter, FLAG: bool} in layer pixels;
FLAG names what the stroke's second kind is ("erase" for Refine Edge's Erase Refinements,
"background" for a background scribble). Being vectors, strokes are saved with the mask's
generator, reopen in its dialog and replay at any scale (the preview's or full size).
"""

from __future__ import annotations

import cv2
import numpy as np

PLAIN, FLAGGED = 1, 2  # a stroke map's values: 0 where no stroke went, later strokes over earlier ones


def check_strokes(strokes: list, flag: str) -> None:
    """Raise ValueError unless each stroke is {"points": [[x, y], ...], "size": > 0, flag: bool}."""
    for n, stroke in enumerate(strokes):
        if not isinstance(stroke, dict) or not isinstance(stroke.get("points"), list) or not stroke["points"]:
            raise ValueError(f"stroke {n}: needs a table with a non-empty list of points")
        if any(not isinstance(p, list | tuple) or len(p) != 2 or not all(isinstance(v, int | float) for v in p)
               for p in stroke["points"]):
            raise ValueError(f"stroke {n}: each point is [x, y]")
        size = stroke.get("size")
        if isinstance(size, bool) or not isinstance(size, int | float) or size <= 0:
            raise ValueError(f"stroke {n}: size must be a positive number of pixels")
        if not isinstance(stroke.get(flag, False), bool):
            raise ValueError(f"stroke {n}: {flag} is true or false")


def plain_strokes(strokes: list[dict], flag: str) -> list[dict]:
    """The strokes as plain JSON data (floats, lists), for a generator's saved parameters."""
    return [{"points": [[float(x), float(y)] for x, y in st["points"]], "size": float(st["size"]),
             flag: bool(st.get(flag, False))} for st in strokes]


def strokes_map(strokes: list[dict], shape: tuple[int, int], flag: str, scale: float = 1.0) -> np.ndarray:
    """uint8 (h, w): PLAIN under a stroke without `flag`, FLAGGED under one with it, 0 elsewhere;
    strokes are painted in order (the last one over a pixel decides), drawn at `scale`."""
    out = np.zeros(shape, np.uint8)
    shift = 4
    for stroke in strokes:
        pts = np.round(np.asarray(stroke["points"], np.float64).reshape(-1, 2) * scale * (1 << shift)).astype(np.int32)
        thick = max(1, int(round(float(stroke["size"]) * scale)))
        value = FLAGGED if stroke.get(flag) else PLAIN
        cv2.polylines(out, [pts], False, value, thick, cv2.LINE_8, shift)
        for x, y in pts:  # round caps, and single clicks
            cv2.circle(out, (int(x), int(y)), max(1, thick // 2) << shift, value, -1, cv2.LINE_8, shift)
    return out


def scaled_strokes(strokes: list[dict], factor: float) -> list[dict]:
    """The strokes with points and sizes multiplied by `factor` (layer pixels to a reduced copy's)."""
    return [{**st, "points": [[x * factor, y * factor] for x, y in st["points"]], "size": st["size"] * factor}
            for st in strokes]
