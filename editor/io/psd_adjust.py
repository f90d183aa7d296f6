"""Photoshop adjustment layers read into live Veil adjustments, with their stored values
(psd-tools parses the blocks: `psd_tools.api.adjustments`). Kept apart from psd.py, which
reads and writes the other layer kinds; it calls `read_adjustment` for layers of these kinds.

Levels and Curves records are Photoshop's (master first, then red, green, blue); a Curves
point is stored output first, then input (Adobe's file-format specification).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from editor.core import Adjustment

CHANNELS = ("master", "red", "green", "blue")
RANGES = ("reds", "yellows", "greens", "cyans", "blues", "magentas")


def _levels(item) -> dict[str, Any]:
    out = {}
    for name, rec in zip(CHANNELS, list(item.data or [])[:4], strict=False):
        out[name] = {"in_black": rec.input_floor, "in_white": rec.input_ceiling or 255, "gamma": (rec.gamma or 100) / 100,
                     "out_black": rec.output_floor, "out_white": rec.output_ceiling}
    return out


def _curves(item) -> dict[str, Any]:
    raw = item.data
    if raw is None or raw.is_map:
        raise ValueError("a Curves map (pencil-drawn curve) is not read")
    if raw.version == 1:
        channels = [i for i in range(32) if raw.count_map >> i & 1]
    else:
        channels = list(range(len(raw.data)))
    out = {}
    for channel, points in zip(channels, raw.data, strict=False):
        if channel < 4:
            out[CHANNELS[channel]] = sorted([[int(i), int(o)] for o, i in points])
    return out


def _hue_saturation(item) -> dict[str, Any]:
    h, s, light = item.master
    out: dict[str, Any] = {"master": {"hue": h, "saturation": s, "lightness": light}}
    for name, (rng, settings) in zip(RANGES, item.data or [], strict=False):
        out[name] = {"range": [float(v) for v in rng], "hue": settings[0], "saturation": settings[1],
                     "lightness": settings[2]}
    ch, cs, cl = item.colorization
    out["colorize"] = {"on": bool(item.enable_colorization), "hue": ch % 360, "saturation": cs, "lightness": cl}
    return out


def _black_white(item) -> dict[str, Any]:
    out: dict[str, Any] = {"reds": item.red, "yellows": item.yellow, "greens": item.green, "cyans": item.cyan,
                           "blues": item.blue, "magentas": item.magenta, "tint": bool(item.use_tint)}
    colour = item.tint_color
    if colour is not None:
        try:
            out["tint_color"] = [int(round(float(colour[k]))) for k in (b"Rd  ", b"Grn ", b"Bl  ")]
        except (KeyError, TypeError, ValueError):
            pass
    return out


def _gradient_map(item) -> dict[str, Any]:
    stops = []
    for stop in item.color_stops or []:
        colour = stop.color if hasattr(stop, "color") else None
        location = getattr(stop, "location", None)
        if colour is None or location is None:
            raise ValueError("gradient stops without colours")
        rgb = [int(round(float(colour[k]))) for k in (b"Rd  ", b"Grn ", b"Bl  ")]
        stops.append([location / 4096, *rgb])
    if not stops:
        raise ValueError("no gradient stops")
    return {"gradient": stops, "reverse": bool(item.reversed)}


READERS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "BrightnessContrast": ("brightness_contrast", lambda i: {"brightness": i.brightness, "contrast": i.contrast,
                                                             "legacy": bool(i.use_legacy)}),
    "Levels": ("levels", _levels),
    "Curves": ("curves", _curves),
    "Exposure": ("exposure", lambda i: {"exposure": i.exposure or 0.0, "offset": i.exposure_offset or 0.0,
                                        "gamma": i.gamma or 1.0}),
    "Vibrance": ("vibrance", lambda i: {"vibrance": i.vibrance, "saturation": i.saturation}),
    "HueSaturation": ("hue_saturation", _hue_saturation),
    "ColorBalance": ("color_balance", lambda i: {"shadows": list(i.shadows), "midtones": list(i.midtones),
                                                 "highlights": list(i.highlights),
                                                 "preserve_luminosity": bool(i.luminosity)}),
    "BlackAndWhite": ("black_white", _black_white),
    "Invert": ("invert", lambda i: {}),
    "Posterize": ("posterize", lambda i: {"levels": i.posterize or 4}),
    "Threshold": ("threshold", lambda i: {"level": i.threshold or 128}),
    "GradientMap": ("gradient_map", _gradient_map),
}


def is_adjustment(item) -> bool:
    return type(item).__name__ in READERS


def read_adjustment(item, name: str, warn: Callable[[str], None]) -> Adjustment | None:
    """The live adjustment a Photoshop adjustment layer stands for; None (with a warning) when
    its block is missing or cannot be read."""
    adjustment, read = READERS[type(item).__name__]
    try:
        params = read(item)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
        warn(f"'{name}': its {adjustment.replace('_', ' ')} settings could not be read ({error}); left out")
        return None
    return Adjustment(name, adjustment, params)
