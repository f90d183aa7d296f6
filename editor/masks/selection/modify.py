"""Select menu operations on selection data: (h, w) uint8, 255 selected.

Grow and shrink are grey dilation and erosion with a disc, so a soft edge
stays soft; shrinking treats the area outside the canvas as selected (as
Photoshop and GIMP do by default), so a select-all stays whole. Work is
limited to the selection's bounding box plus the radius.
"""

from __future__ import annotations

import cv2
import numpy as np


def _disc(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _box(data: np.ndarray, margin: int) -> tuple[slice, slice] | None:
    """Slices of the non-zero bounding box grown by `margin`, clipped to the array."""
    rows = np.flatnonzero(data.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(data.any(axis=0))
    h, w = data.shape
    return (slice(max(0, rows[0] - margin), min(h, rows[-1] + 1 + margin)),
            slice(max(0, cols[0] - margin), min(w, cols[-1] + 1 + margin)))


def grow(data: np.ndarray, radius: int) -> np.ndarray:
    if radius <= 0:
        return data.copy()
    out = np.zeros_like(data)
    box = _box(data, radius)
    if box is not None:
        # dilating a crop is exact here: outside it the selection is 0
        out[box] = cv2.dilate(data[box], _disc(radius), borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return out


def shrink(data: np.ndarray, radius: int) -> np.ndarray:
    if radius <= 0:
        return data.copy()
    out = np.zeros_like(data)
    box = _box(data, 1)
    if box is not None:
        # erode with a one-pixel margin of 0 around the crop so the selection's own
        # edge shrinks, while the canvas border (outside the array) counts as selected
        crop = data[box]
        out[box] = cv2.erode(crop, _disc(radius), borderType=cv2.BORDER_REPLICATE)
    return out


def feather(data: np.ndarray, radius: float) -> np.ndarray:
    """Gaussian blur; `radius` is the sigma, so the soft edge spans about 2x radius each side."""
    if radius <= 0:
        return data.copy()
    out = np.zeros_like(data)
    box = _box(data, int(np.ceil(3 * radius)))
    if box is not None:
        out[box] = cv2.GaussianBlur(data[box], (0, 0), radius, borderType=cv2.BORDER_REPLICATE)
    return out


def border(data: np.ndarray, width: int) -> np.ndarray:
    """A band `width` pixels wide centred on the selection's edge (Select > Modify > Border)."""
    if width <= 0:
        return np.zeros_like(data)
    outer = grow(data, (width + 1) // 2)
    inner = shrink(data, width // 2)
    band = np.minimum(outer, 255 - inner)
    return feather(band, 0.5)


def smooth(data: np.ndarray, radius: int) -> np.ndarray:
    """Median filter: rounds off jagged corners and drops specks smaller than the radius."""
    if radius <= 0:
        return data.copy()
    out = np.zeros_like(data)
    box = _box(data, radius)
    if box is not None:
        out[box] = cv2.medianBlur(np.ascontiguousarray(data[box]), 2 * radius + 1)
    return out


def invert(data: np.ndarray) -> np.ndarray:
    return 255 - data
