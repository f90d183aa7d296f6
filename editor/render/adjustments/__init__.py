"""Adjustments and filters, one module each, registered by name (the Adjustment node's
`adjustment` string). To add one, write its module (a `SPEC`, see `base`) and import it here.

`apply(name, params, rgba)` and `filtered(name, params, premultiplied)` run an operation,
`kernel_of(name, params)` gives the planes kernel the compositor fuses into its row loop;
`spec(name)` gives its parameter schema for panels and files.
"""

from __future__ import annotations

import json

import cv2
import numpy as np

from editor.core import Adjustment

from . import (
    black_white,
    brightness_contrast,
    channel_mixer,
    color_balance,
    color_lookup,
    curves,
    exposure,
    filters,
    gradient_map,
    hue_saturation,
    invert,
    levels,
    photo_filter,
    planes,
    posterize,
    selective_color,
    threshold,
    vibrance,
)
from ._colour import straight_bytes, straight_bytes_small
from .base import Param, Spec

SPECS: dict[str, Spec] = {}


def register(s: Spec) -> None:
    if s.name in SPECS:
        raise ValueError(f"adjustment {s.name!r} is registered twice")
    SPECS[s.name] = s


for _module in (levels, curves, hue_saturation, brightness_contrast, exposure, invert, posterize, threshold,
                color_balance, black_white, vibrance, gradient_map, channel_mixer, selective_color, photo_filter,
                color_lookup):
    register(_module.SPEC)
for _spec in filters.SPECS:
    register(_spec)


def spec(name: str) -> Spec:
    try:
        return SPECS[name]
    except KeyError:
        raise ValueError(f"unknown adjustment {name!r}; expected one of {', '.join(SPECS)}") from None


def adjustments() -> list[Spec]:
    return [s for s in SPECS.values() if s.category == "adjustment"]


def filter_specs() -> list[Spec]:
    return [s for s in SPECS.values() if s.category == "filter"]


def params_of(node: Adjustment) -> dict:
    """The node's params, defaults filled in and values clamped (what its operation uses)."""
    return spec(node.adjustment).normalise(node.params)


def radius(node: Adjustment) -> int:
    """How far beyond a pixel the node reads (0 for per-pixel adjustments)."""
    s = SPECS.get(node.adjustment)
    return 0 if s is None else int(s.radius(params_of(node)))


_PACKED: dict[tuple[str, str], tuple] = {}


def _cached(kind: str, s: Spec, params: dict, make):
    """A table or packed vector built from normalised params; the last few are kept, so
    re-rendering a dab's rect does not rebuild a curve."""
    key = (kind + s.name, json.dumps(params, sort_keys=True))
    value = _PACKED.get(key)
    if value is None:
        if len(_PACKED) > 64:
            _PACKED.clear()
        value = _PACKED[key] = make()
    return value


def lut4(s: Spec, params: dict) -> np.ndarray:
    """The spec's per-channel tables as cv2.LUT's (1, 256, 4) table (alpha kept)."""
    def make() -> np.ndarray:
        table = np.empty((1, 256, 4), np.uint8)
        table[0, :, :3] = s.lut(params).T
        table[0, :, 3] = np.arange(256)
        return table
    return _cached("lut4:", s, params, make)


def kernel_of(name: str, params: dict) -> tuple[planes.PlanesKernel, np.ndarray]:
    """The planes kernel of per-pixel adjustment `name` and its packed float64 parameters
    (what the compositor's fused row loop runs)."""
    s = spec(name)
    params = s.normalise(params)
    if s.lut is not None:
        return planes.LUT, _cached("lut:", s, params, lambda: np.ascontiguousarray(s.lut(params), np.float64).reshape(768))
    if s.kernel is None:
        raise ValueError(f"{name} is a filter, not a per-pixel adjustment")
    return s.kernel, _cached("pack:", s, params, lambda: np.ascontiguousarray(s.pack(params), np.float64))


def apply(name: str, params: dict, rgba: np.ndarray) -> None:
    """Run adjustment `name` on an (h, w, 4) uint8 straight image in place (alpha untouched)."""
    s = spec(name)
    if s.lut is not None:
        cv2.LUT(rgba, lut4(s, s.normalise(params)), dst=rgba)
        return
    kernel, packed = kernel_of(name, params)
    planes.apply_image(rgba, kernel, packed)


def adjusted(name: str, params: dict, premultiplied: np.ndarray) -> np.ndarray:
    """The adjusted colour of a float premultiplied buffer as 8-bit straight RGBA at alpha 255."""
    rgba = np.empty(premultiplied.shape, np.uint8)
    small = premultiplied.shape[0] * premultiplied.shape[1] < 1 << 18
    (straight_bytes_small if small else straight_bytes)(np.ascontiguousarray(premultiplied, np.float32), rgba)
    apply(name, params, rgba)
    return rgba


def filtered(name: str, params: dict, premultiplied: np.ndarray) -> np.ndarray:
    s = spec(name)
    assert s.filter is not None, f"{name} is not a filter"
    return s.filter(np.ascontiguousarray(premultiplied, np.float32), s.normalise(params))


def warm_up() -> None:
    """Compile (or load from numba's cache) the adjustments' kernels."""
    px = np.full((2, 2, 4), 128, np.uint8)
    for s in SPECS.values():
        if s.category == "adjustment":
            kernel, packed = kernel_of(s.name, s.defaults())
            planes.apply_image(px.copy(), kernel, packed)
    adjusted("invert", {}, np.zeros((2, 2, 4), np.float32))
    straight_bytes(np.zeros((2, 2, 4), np.float32), px)


__all__ = ["SPECS", "Param", "Spec", "adjusted", "adjustments", "apply", "filter_specs", "filtered", "kernel_of",
           "params_of", "radius", "register", "spec", "warm_up"]
