"""Photoshop adjustment layers read into live Veil adjustments, with their stored values
(psd-tools parses the blocks: `psd_tools.api.adjustments`). Kept apart from psd.py, which
reads and writes the other layer kinds; it calls `read_adjustment` for layers of these kinds.

Levels and Curves records are Photoshop's (master first, then red, green, blue); a Curves
point is stored output first, then input (Adobe's file-format specification).

`adjustment_block` is the way back: the tagged block Photoshop keeps an adjustment layer's
settings in, built from psd-tools' structures, so an exported PSD opens in Photoshop with the
adjustment still live. Filters have no such block and are baked (`writable` says which).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from psd_tools.constants import Tag
from psd_tools.psd import adjustments as psd
from psd_tools.psd.base import EmptyElement, ShortIntegerElement
from psd_tools.psd.descriptor import Bool, Descriptor, DescriptorBlock, Double, Integer

from editor.core import Adjustment
from editor.render.adjustments import params_of

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
        except (KeyError, TypeError, ValueError, OverflowError):  # an infinite component among them
            pass
    return out


GRADIENT_SPAN = 4096  # a gradient stop's location runs 0..4096 along the map


def _gradient_map(item) -> dict[str, Any]:
    """Colour stops as [position, r, g, b]. A stop's colour is four 16-bit values in its colour
    space (0 = RGB); a midpoint other than 50 % is kept as an extra stop at the midpoint, half
    way between the two colours."""
    stops: list[list[float]] = []
    previous = None
    for stop in sorted(item.color_stops or [], key=lambda s: s.location):
        if stop.mode != 0:
            raise ValueError(f"gradient stops in colour space {stop.mode}, not RGB")
        position = min(max(stop.location / GRADIENT_SPAN, 0.0), 1.0)
        rgb = [round(v / 257) for v in stop.color[:3]]
        if previous is not None and previous[1] != 50 and position > previous[0][0]:
            at = previous[0][0] + (position - previous[0][0]) * min(max(previous[1], 5), 95) / 100
            stops.append([at, *[round((a + b) / 2) for a, b in zip(previous[0][1:], rgb, strict=True)]])
        stops.append([position, *rgb])
        previous = (stops[-1], stop.midpoint)
    if not stops:
        raise ValueError("no gradient stops")
    return {"gradient": stops, "reverse": bool(item.reversed)}


MIXER_OUTPUTS = ("red", "green", "blue")
MIXER_SOURCES = ("red", "green", "blue", "constant")


def _mixer_records(block) -> list[list[int]]:
    """The block's records of five shorts each (weights of source R, G, B, a fourth source only
    CMYK uses, the constant), one per output channel; psd-tools parses the first."""
    rest = block.unknown[: len(block.unknown) // 10 * 10]
    return [list(block.data)] + [list(r) for r in struct.iter_unpack(">5h", rest)]


def _channel_mixer(item) -> dict[str, Any]:
    records = _mixer_records(item.tagged_blocks.get_data(Tag.CHANNEL_MIXER))
    as_mix = lambda r: dict(zip(MIXER_SOURCES, (r[0], r[1], r[2], r[4]), strict=True))  # noqa: E731
    params: dict[str, Any] = {"monochrome": bool(item.monochrome)}
    if params["monochrome"]:  # the grey mix is the first record (and, written by Veil, every one)
        params["gray"] = as_mix(records[0])
    else:
        params.update(zip(MIXER_OUTPUTS, (as_mix(r) for r in records[:3]), strict=True))
    return params


SELECTIVE_CLASSES = ("reds", "yellows", "greens", "cyans", "blues", "magentas", "whites", "neutrals", "blacks")
INKS = ("cyan", "magenta", "yellow", "black")


def _selective_color(item) -> dict[str, Any]:
    """Ten records of C, M, Y, K percent; the first is reserved, then the nine classes.
    Method 0 is Relative, 1 Absolute (Adobe's file-format specification)."""
    records = list(item.data or [])[1:10]
    params: dict[str, Any] = {"method": "absolute" if item.method == 1 else "relative"}
    params.update({name: dict(zip(INKS, (int(v) for v in rec), strict=True))
                   for name, rec in zip(SELECTIVE_CLASSES, records, strict=False)})
    return params


def _signed32(v: int) -> int:
    return v - (1 << 32) if v >= 1 << 31 else v


def _lab_to_rgb(lab: tuple[float, float, float]) -> list[int]:
    """One CIE Lab colour (D50, as Photoshop keeps it) in sRGB, through LittleCMS."""
    from PIL import Image, ImageCms

    light, a, b = lab
    pixel = Image.new("LAB", (1, 1), (round(min(max(light, 0), 100) * 2.55),  # a and b offset by 128
                                      round(min(max(a, -128), 127)) + 128, round(min(max(b, -128), 127)) + 128))
    transform = ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB")
    return list(ImageCms.applyTransform(pixel, transform).getpixel((0, 0)))


def _photo_filter(item) -> dict[str, Any]:
    """The filter colour: version 3 keeps it as Lab, three 32-bit values in hundredths (as
    ag-psd reads them); version 2 as a colour space and four 16-bit components (RGB or Lab)."""
    if item.xyz is not None:
        colour = _lab_to_rgb(tuple(_signed32(int(v)) / 100 for v in item.xyz))
    elif item.color_space == 0:
        colour = [round(v / 257) for v in item.color_components[:3]]
    elif item.color_space == 7:
        light, a, b = item.color_components[:3]
        colour = _lab_to_rgb((light / 100, _signed16(a) / 100, _signed16(b) / 100))
    else:
        raise ValueError(f"a filter colour in colour space {item.color_space}, not RGB or Lab")
    return {"color": colour, "density": int(item.density if item.density is not None else 25),
            "preserve_luminosity": bool(item.luminosity)}


def _signed16(v: int) -> int:
    return v - (1 << 16) if v >= 1 << 15 else v


LOOKUP_GRID = 17  # grid points a side of a Color Lookup table read from its device link


def _color_lookup(item) -> dict[str, Any]:
    """The ICC device link Photoshop keeps in the block's `profile` (made from the .cube,
    .3dl or .look the user chose), sampled into a 3D table."""
    from .icc_link import device_link_table

    block = item.tagged_blocks.get_data(Tag.COLOR_LOOKUP)
    profile = block.get(b"profile") if block is not None else None
    if profile is None:
        raise ValueError("no lookup profile in the layer")
    table = device_link_table(getattr(profile, "value", profile), LOOKUP_GRID)
    return {"table": {"size": LOOKUP_GRID, "rgb": table.reshape(-1).tolist()}}


READERS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "BrightnessContrast": ("brightness_contrast", lambda i: {"brightness": i.brightness, "contrast": i.contrast,
                                                             "legacy": bool(i.use_legacy)}),
    "Levels": ("levels", _levels),
    "Curves": ("curves", _curves),
    # Stored as 32-bit floats: rounded back to the precision Photoshop's fields show and more.
    "Exposure": ("exposure", lambda i: {"exposure": round(i.exposure or 0.0, 6),
                                        "offset": round(i.exposure_offset or 0.0, 6), "gamma": round(i.gamma or 1.0, 6)}),
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
    "ChannelMixer": ("channel_mixer", _channel_mixer),
    "SelectiveColor": ("selective_color", _selective_color),
    "PhotoFilter": ("photo_filter", _photo_filter),
    "ColorLookup": ("color_lookup", _color_lookup),
}


def is_adjustment(item) -> bool:
    return type(item).__name__ in READERS


def read_adjustment(item, name: str, warn: Callable[[str], None], *, gray: bool = False) -> Adjustment | None:
    """The live adjustment a Photoshop adjustment layer stands for; None (with a warning) when
    its block is missing or cannot be read. `gray`: the layer is in a grayscale document."""
    adjustment, read = READERS[type(item).__name__]
    try:
        params = read(item)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError, ArithmeticError, struct.error) as error:
        warn(f"'{name}': its {adjustment.replace('_', ' ')} settings could not be read ({error}); left out")
        return None
    if gray and adjustment in ("levels", "curves"):
        _gray_channel_to_all(params)
    return Adjustment(name, adjustment, params)


def _gray_channel_to_all(params: dict[str, Any]) -> None:
    """A grayscale document keeps its one channel's Levels record and curve in the slot RGB
    calls red (index 1; the composite slot stays the identity: SethRobinson/Patchy
    docs/adjustments-calibration.md, matched on Photoshop's renders of psd-tools' grayscale
    fixtures). Veil shows the document as RGB, so that record applies to green and blue too;
    on red alone it tinted the picture."""
    gray = params.get("red")
    if gray is not None:
        params["green"] = params["blue"] = gray


# --- writing ---------------------------------------------------------------------------------

IDENTITY_CURVE = [[0, 0], [255, 255]]


def _levels_block(p: dict[str, Any]) -> psd.Levels:
    records = [psd.LevelRecord(c["in_black"], c["in_white"], c["out_black"], c["out_white"], round(c["gamma"] * 100))
               for c in (p[name] for name in CHANNELS)]
    records += [psd.LevelRecord(0, 255, 0, 255, 100) for _ in range(29 - len(records))]  # Photoshop keeps 29
    return psd.Levels(records, version=2, extra_version=None)


def _curves_block(p: dict[str, Any]) -> psd.Curves:
    written = [(i, name) for i, name in enumerate(CHANNELS) if i == 0 or p[name] != IDENTITY_CURVE]
    points = {name: [(int(o), int(i)) for i, o in p[name]] for _, name in written}  # stored output first
    extra = psd.CurvesExtraMarker(version=4, items=[psd.CurvesExtraItem(i, points[name]) for i, name in written])
    return psd.Curves(is_map=False, version=1, count_map=sum(1 << i for i, _ in written),
                      data=[points[name] for _, name in written], extra=extra)


def _hue_saturation_block(p: dict[str, Any]) -> psd.HueSaturation:
    c, m = p["colorize"], p["master"]
    items = [[tuple(int(v) for v in p[r]["range"]), (p[r]["hue"], p[r]["saturation"], p[r]["lightness"])]
             for r in RANGES]
    return psd.HueSaturation(version=2, enable=int(c["on"]), colorization=(c["hue"], c["saturation"], c["lightness"]),
                             master=(m["hue"], m["saturation"], m["lightness"]), items=items)


def _descriptor(values: dict[bytes, Any], class_id: bytes = b"null") -> Descriptor:
    """A descriptor of plain values (bool, int, float or a nested descriptor); class "null" is
    the top-level block of a tagged block."""
    block = DescriptorBlock(classID=class_id) if class_id == b"null" else Descriptor(classID=class_id)
    for key, value in values.items():
        block[key] = (Bool(value) if isinstance(value, bool) else Integer(value) if isinstance(value, int)
                      else Double(value) if isinstance(value, float) else value)
    return block


def _brightness_contrast_block(p: dict[str, Any]) -> Descriptor:
    return _descriptor({b"Vrsn": 1, b"Brgh": p["brightness"], b"Cntr": p["contrast"], b"means": 127,
                        b"Lab ": False, b"useLegacy": p["legacy"], b"Auto": False})


def _black_white_block(p: dict[str, Any]) -> Descriptor:
    tint = _descriptor(dict(zip((b"Rd  ", b"Grn ", b"Bl  "), (float(v) for v in p["tint_color"]), strict=True)),
                       b"RGBC")
    return _descriptor({b"Rd  ": p["reds"], b"Yllw": p["yellows"], b"Grn ": p["greens"], b"Cyn ": p["cyans"],
                        b"Bl  ": p["blues"], b"Mgnt": p["magentas"], b"useTint": p["tint"], b"tintColor": tint,
                        b"bwPresetKind": 1})


def _gradient_map_block(p: dict[str, Any]) -> psd.GradientMap:
    stops = [psd.ColorStop(round(min(max(pos, 0.0), 1.0) * GRADIENT_SPAN), 50, 0, (r * 257, g * 257, b * 257, 0))
             for pos, r, g, b in sorted(p["gradient"])]
    opaque = [psd.TransparencyStop(0, 50, 100), psd.TransparencyStop(GRADIENT_SPAN, 50, 100)]
    return psd.GradientMap(version=1, is_reversed=int(p["reverse"]), name="Custom", color_stops=stops,
                           transparency_stops=opaque, interpolation=GRADIENT_SPAN, minimum_color=[0, 0, 0, 0],
                           maximum_color=[100, 100, 100, 100])


def _channel_mixer_block(p: dict[str, Any]) -> psd.ChannelMixer:
    mixes = [p["gray"]] * 3 if p["monochrome"] else [p[o] for o in MIXER_OUTPUTS]
    records = [(m["red"], m["green"], m["blue"], 0, m["constant"]) for m in mixes]
    return psd.ChannelMixer(version=1, monochrome=int(p["monochrome"]), data=records[0],
                            unknown=b"".join(struct.pack(">5h", *r) for r in records[1:]))


def _selective_color_block(p: dict[str, Any]) -> psd.SelectiveColor:
    records = [(0, 0, 0, 0)] + [tuple(p[name][ink] for ink in INKS) for name in SELECTIVE_CLASSES]
    return psd.SelectiveColor(version=1, method=int(p["method"] == "absolute"), data=records)


def _photo_filter_block(p: dict[str, Any]) -> psd.PhotoFilter:
    """Version 2, the colour in RGB (Photoshop reads it; version 3 would need Lab)."""
    return psd.PhotoFilter(version=2, xyz=None, color_space=0, color_components=(*(c * 257 for c in p["color"]), 0),
                           density=p["density"], luminosity=int(p["preserve_luminosity"]))


WRITERS: dict[str, tuple[Tag, Callable[[dict[str, Any]], Any]]] = {
    "levels": (Tag.LEVELS, _levels_block),
    "curves": (Tag.CURVES, _curves_block),
    "hue_saturation": (Tag.HUE_SATURATION, _hue_saturation_block),
    "brightness_contrast": (Tag.CONTENT_GENERATOR_EXTRA_DATA, _brightness_contrast_block),
    "exposure": (Tag.EXPOSURE, lambda p: psd.Exposure(version=1, exposure=p["exposure"], offset=p["offset"],
                                                      gamma=p["gamma"])),
    "vibrance": (Tag.VIBRANCE, lambda p: _descriptor({b"vibrance": p["vibrance"], b"Strt": p["saturation"]})),
    "color_balance": (Tag.COLOR_BALANCE, lambda p: psd.ColorBalance(
        shadows=tuple(p["shadows"]), midtones=tuple(p["midtones"]), highlights=tuple(p["highlights"]),
        luminosity=int(p["preserve_luminosity"]))),
    "black_white": (Tag.BLACK_AND_WHITE, _black_white_block),
    "invert": (Tag.INVERT, lambda p: EmptyElement()),
    "posterize": (Tag.POSTERIZE, lambda p: ShortIntegerElement(p["levels"])),
    "threshold": (Tag.THRESHOLD, lambda p: ShortIntegerElement(p["level"])),
    "gradient_map": (Tag.GRADIENT_MAP, _gradient_map_block),
    "channel_mixer": (Tag.CHANNEL_MIXER, _channel_mixer_block),
    "selective_color": (Tag.SELECTIVE_COLOR, _selective_color_block),
    "photo_filter": (Tag.PHOTO_FILTER, _photo_filter_block),
}


def writable(node) -> bool:
    """True for an adjustment a PSD keeps live (every Photoshop adjustment; not the filters)."""
    return isinstance(node, Adjustment) and node.adjustment in WRITERS


def adjustment_blocks(node: Adjustment) -> list[tuple[Tag, Any]]:
    """(tag, data) of the tagged blocks holding `node`'s settings, as Photoshop writes them. A
    Brightness/Contrast layer also gets the legacy block older readers look for."""
    params = params_of(node)
    tag, build = WRITERS[node.adjustment]
    blocks = [(tag, build(params))]
    if node.adjustment == "brightness_contrast":
        blocks.append((Tag.BRIGHTNESS_AND_CONTRAST, psd.BrightnessContrast(
            brightness=params["brightness"] & 0xFFFF, contrast=params["contrast"] & 0xFFFF,  # signed, as 16 bits
            mean=127, lab_only=0)))
    return blocks
