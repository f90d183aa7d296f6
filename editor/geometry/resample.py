"""Pixel resampling for document geometry: resize and affine warps of layers and masks.

Conventions (the same as Pillow's and OpenCV's resize): pixel (i, j) covers
[i, i+1) x [j, j+1) and is sampled at its centre, so a resize maps destination
centre x' + 0.5 to source x = (x' + 0.5) / scale - 0.5; a 2x upscale of one
bright pixel stays centred on the same spot. Straight-alpha RGBA is resampled
premultiplied, so transparent pixels' colours never bleed into edges (no dark
fringes), and converted back to straight alpha afterwards.

Resize uses Pillow's convolution resampler, which widens the filter when
shrinking (antialiased, as Photoshop's and GIMP's are; OpenCV's bilinear,
bicubic and Lanczos alias when shrinking), computed over all cores by
editor.geometry.fast_resize (numba; Pillow's own code for nearest); warps use
OpenCV's warpAffine.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from . import fast_resize

RESAMPLE = ("nearest", "bilinear", "bicubic", "lanczos", "area")

_PIL = {
    "nearest": Image.Resampling.NEAREST,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
    "area": Image.Resampling.BOX,
}
_CV = {
    "nearest": cv2.INTER_NEAREST,
    "bilinear": cv2.INTER_LINEAR,
    "bicubic": cv2.INTER_CUBIC,
    "lanczos": cv2.INTER_LANCZOS4,
    "area": cv2.INTER_LINEAR,  # area averaging has no meaning for a rotation; bilinear stands in
}


def check_method(method: str) -> str:
    if method not in RESAMPLE:
        raise ValueError(f"unknown resampling {method!r}; expected one of {', '.join(RESAMPLE)}")
    return method


def resize_rgba(pixels: np.ndarray, width: int, height: int, method: str = "bicubic") -> np.ndarray:
    """Straight RGBA uint8 (h, w, 4) resized to (height, width, 4), resampled premultiplied."""
    check_method(method)
    if pixels.shape[:2] == (height, width):
        return pixels.copy()
    if method != "nearest":  # Pillow's arithmetic over all cores (editor.geometry.fast_resize)
        return fast_resize.resize(pixels, width, height, method)
    image = Image.fromarray(np.ascontiguousarray(pixels), "RGBA")
    # Pillow resamples RGBA premultiplied (it converts to RGBa and back) for every filter but nearest.
    return np.asarray(image.resize((width, height), _PIL[method])).copy()


def resize_gray(data: np.ndarray, width: int, height: int, method: str = "bicubic") -> np.ndarray:
    """A (h, w) uint8 mask or selection resized to (height, width)."""
    check_method(method)
    if data.shape == (height, width):
        return data.copy()
    if method != "nearest":
        return fast_resize.resize(data, width, height, method)
    image = Image.fromarray(np.ascontiguousarray(data), "L")
    return np.asarray(image.resize((width, height), _PIL[method])).copy()


def warp_rgba(pixels: np.ndarray, matrix: np.ndarray, width: int, height: int, method: str = "bicubic") -> np.ndarray:
    """Straight RGBA warped by the 2x3 affine `matrix` (source index -> destination index
    coordinates, pixel centres at integers) into (height, width, 4); transparent outside."""
    check_method(method)
    flags = _CV[method]
    if method == "nearest":
        return cv2.warpAffine(pixels, matrix, (width, height), flags=flags, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=(0, 0, 0, 0))
    f = pixels.astype(np.float32)
    f[..., :3] *= f[..., 3:4] * np.float32(1 / 255)
    out = cv2.warpAffine(f, matrix, (width, height), flags=flags, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=(0, 0, 0, 0))
    return _unpremultiply(out)


def warp_gray(data: np.ndarray, matrix: np.ndarray, width: int, height: int, method: str = "bicubic", *,
              outside: int | None = 0) -> np.ndarray:
    """A (h, w) uint8 array warped like `warp_rgba`; `outside` fills what the source does not
    cover, or None to extend the source's edge (a layer mask, whose layer's alpha already ends there)."""
    check_method(method)
    if outside is None:
        border, value = cv2.BORDER_REPLICATE, 0
    else:
        border, value = cv2.BORDER_CONSTANT, int(outside)
    return cv2.warpAffine(data, matrix, (width, height), flags=_CV[method], borderMode=border, borderValue=value)


def _unpremultiply(f: np.ndarray) -> np.ndarray:
    alpha = np.clip(f[..., 3:4], 0, 255)
    with np.errstate(divide="ignore", invalid="ignore"):
        rgb = np.where(alpha > 0, f[..., :3] * (np.float32(255) / alpha), 0)
    out = np.empty(f.shape, np.uint8)
    out[..., :3] = np.clip(rgb + 0.5, 0, 255)
    out[..., 3:4] = alpha + 0.5
    return out
