"""Refine edge (Photoshop's Select and Mask): reshape a mask's edge, matte hair in its band,
and decontaminate the colours there.

Shaping: `smooth` blurs the outline and re-cuts it at one half (rounds off
jaggies), `shift_edge` moves the cut in or out (-1..1 of the edge radius),
`contrast` steepens the soft ramp, `feather` blurs the result.

Matting: a trimap is built from the edge band (everything within `radius`
of the mask's 50 % contour is unknown, the rest definite foreground or
background) and pymatting's closed-form matting solves alpha inside it.
A global solve at 24 MP would not fit in memory, so the band is covered by
tiles and each tile is solved on its own crop (with a margin of known
pixels), writing back only its unknown pixels. `decontaminate` estimates
the true foreground colour in the band (pymatting's multilevel foreground
estimation) so the backdrop's colour does not bleed through the soft edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from .object_select import CancelFlag, Cancelled, Progress

TILE = 192
MARGIN = 16


@dataclass
class RefineParams:
    radius: int = 8  # edge band half-width in pixels (0: no band, no matting)
    smooth: float = 0.0  # outline smoothing, Gaussian sigma in pixels
    feather: float = 0.0  # Gaussian sigma of the final blur
    contrast: float = 0.0  # 0..1: steepens the soft edge
    shift_edge: float = 0.0  # -1..1 of the radius: shrink (negative) or grow the mask
    matting: bool = True  # solve alpha in the band (hair, fur)
    decontaminate: bool = False

    def to_dict(self) -> dict:
        return {"kind": "refine-edge", **self.__dict__}

    @classmethod
    def from_dict(cls, data: dict) -> RefineParams:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def trimap(mask: np.ndarray, radius: int) -> np.ndarray:
    """float64 trimap: 1 foreground, 0 background, 0.5 unknown within `radius` of the 50 % contour."""
    hard = (mask >= 128).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    grown, shrunk = cv2.dilate(hard, kernel), cv2.erode(hard, kernel)
    tri = np.where(shrunk > 0, 1.0, 0.0)
    tri[(grown > 0) & (shrunk == 0)] = 0.5
    return tri


def _band_tiles(unknown: np.ndarray):
    h, w = unknown.shape
    for ty in range(0, h, TILE):
        for tx in range(0, w, TILE):
            if unknown[ty : ty + TILE, tx : tx + TILE].any():
                yield ty, tx


def matte_band(rgb: np.ndarray, tri: np.ndarray, *, decontaminate: bool = False,
               progress: Progress | None = None, cancel: CancelFlag | None = None):
    """Alpha (float32) for the unknown pixels of `tri`, tile by tile; with `decontaminate`, also the
    estimated foreground colours (uint8 RGB) there. Known pixels keep the trimap's value."""
    from pymatting import (  # heavy import, only when matting
        estimate_alpha_cf,
        estimate_foreground_ml,
    )

    h, w = tri.shape
    alpha = tri.astype(np.float32).copy()
    colours = rgb.copy() if decontaminate else None
    unknown = tri == 0.5
    tiles = list(_band_tiles(unknown))
    for n, (ty, tx) in enumerate(tiles):
        if cancel is not None and cancel():
            raise Cancelled()
        # Grow the crop until it holds known foreground and background to learn colours from.
        for margin in (MARGIN, 4 * MARGIN, TILE):
            y0, x0 = max(0, ty - margin), max(0, tx - margin)
            y1, x1 = min(h, ty + TILE + margin), min(w, tx + TILE + margin)
            crop_tri = tri[y0:y1, x0:x1]
            if (crop_tri == 1.0).any() and (crop_tri == 0.0).any():
                break
        else:
            continue  # nothing known nearby: keep the shaped mask there
        crop_img = rgb[y0:y1, x0:x1].astype(np.float64) / 255.0
        crop_alpha = estimate_alpha_cf(crop_img, crop_tri)
        cy, cx = ty - y0, tx - x0
        core = (slice(cy, cy + min(TILE, h - ty)), slice(cx, cx + min(TILE, w - tx)))
        target = (slice(ty, ty + TILE), slice(tx, tx + TILE))
        where = unknown[target]
        np.copyto(alpha[target], crop_alpha[core].astype(np.float32), where=where)
        if colours is not None:
            fg = estimate_foreground_ml(crop_img, crop_alpha)
            fg8 = (np.clip(fg[core], 0, 1) * 255 + 0.5).astype(np.uint8)
            np.copyto(colours[target], fg8, where=where[..., None])
        if progress is not None:
            progress((n + 1) / len(tiles))
    return np.clip(alpha, 0, 1), colours


def shape_edge(mask: np.ndarray, params: RefineParams) -> np.ndarray:
    """Smooth, shift, steepen (float32 0..1), before matting."""
    m = mask.astype(np.float32) / 255.0
    if params.smooth > 0:
        m = cv2.GaussianBlur(m, (0, 0), params.smooth)
        m = np.clip((m - 0.5) * 4.0 + 0.5, 0.0, 1.0)  # re-cut at one half, keeping a narrow ramp
    if params.shift_edge:
        steps = int(round(abs(params.shift_edge) * max(params.radius, 1)))
        if steps:
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * steps + 1, 2 * steps + 1))
            m = cv2.dilate(m, kernel) if params.shift_edge > 0 else cv2.erode(m, kernel)
    return m


def finish_edge(alpha: np.ndarray, params: RefineParams) -> np.ndarray:
    a = alpha
    if params.contrast > 0:
        gain = 1.0 / max(1.0 - params.contrast, 0.02)
        a = np.clip((a - 0.5) * gain + 0.5, 0.0, 1.0)
    if params.feather > 0:
        a = cv2.GaussianBlur(a, (0, 0), params.feather)
    return (np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8)


def refine_edge(pixels: np.ndarray, mask: np.ndarray, params: RefineParams, *,
                progress: Callable[[float], None] | None = None,
                cancel: CancelFlag | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The refined mask (uint8) and, with `decontaminate`, the layer pixels with cleaned edge colours."""
    if mask.shape != pixels.shape[:2]:
        raise ValueError("the mask must be the size of the pixels")
    shaped = shape_edge(mask, params)
    cleaned = None
    if params.matting and params.radius > 0:
        rgb = np.ascontiguousarray(pixels[..., :3])
        tri = trimap((shaped * 255).astype(np.uint8), params.radius)
        alpha, colours = matte_band(rgb, tri, decontaminate=params.decontaminate, progress=progress, cancel=cancel)
        shaped = np.where(tri == 0.5, alpha, shaped).astype(np.float32)
        if colours is not None:
            cleaned = pixels.copy()
            cleaned[..., :3] = colours
    return finish_edge(shaped, params), cleaned
