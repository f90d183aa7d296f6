"""Photoshop's gradient fill layer ('GdFl' descriptor) as Veil's gradient fill settings, and back
(`descriptor_from_settings`, for the PSD writer).

What a 'GdFl' descriptor holds (Adobe's Photoshop File Format Specification, as psd-tools
parses it) and what becomes of it (`editor.paint.gradient_fill` says what the settings mean):

- 'Grad' (a 'Grdn' descriptor): 'GrdF' the form, custom stops ('CstS') or noise ('ClNs', not
  live here: `NotLive`); 'Clrs' the colour stops, each 'Lctn' 0..4096, 'Mdpn' its midpoint
  0..100, 'Type' user/foreground/background and its colour 'Clr '; 'Trns' the opacity stops,
  'Lctn', 'Mdpn', 'Opct' percent. The two lists become one list of Veil stops at the union of
  their positions, each list interpolated at the other's positions; two stops at one position
  are a hard edge and both are kept. 'Intr' (smoothness) is ignored: the ramps are straight.
- 'Type' the style (Lnr, Rdl, Angl, Rflc, Dmnd), 'Angl' degrees, 'Scl ' percent, 'Rvrs',
  'Dthr', 'Algn' (align with layer: the layer's box, else the canvas) and 'Ofst' ('Hrzn',
  'Vrtc': percent of the box).

Midpoints. A midpoint other than 50 % becomes an extra stop at that place holding the halfway
colour (or opacity), so each half of the segment is a straight ramp: GIMP's "linear" segment
(`gimp_gradient_calc_linear_factor`), which is how Krita reads Photoshop's midpoints
(libs/psd/asl/kis_asl_xml_parser.cpp: a linear segment from stop i - 1 to stop i whose middle
is stop i - 1's 'Mdpn'). Photoshop's own curve between a stop and its midpoint has not been
measured; no source found says it is anything but these two ramps.

The angle style's sweep. Adobe's manuals say "Angle gradient: shades in a counterclockwise
sweep around the starting point" (Photoshop CS2 User Guide p. 493, the Gradient tool;
Photoshop Elements 6 Help, whose fill layers offer the same styles), which is Veil's angle
style. psd-tools' `composite.paint._make_angle_gradient` sweeps the other way (its t grows
with atan2 in y-down coordinates, clockwise on screen) and cites no Photoshop render; so Veil
keeps Adobe's word and its tests compare the angle style with psd-tools' drawing reversed.

Anything that does not read as a gradient (keys missing, no stops, positions outside 0..4096,
numbers that are not finite, colours psd-tools cannot convert) raises `NotLive` with the reason:
the reader keeps such a layer as pixels and says why.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from typing import Any

from psd_tools.psd.descriptor import (
    Bool,
    Descriptor,
    DescriptorBlock,
    Double,
    Enumerated,
    Integer,
    List,
    String,
    UnitFloat,
)
from psd_tools.terminology import Unit

from editor.core import Rect

SPAN = 4096  # a stop's 'Lctn' runs 0..4096 along the gradient
MAX_STOPS = 1024  # more stops than any editor makes: a hostile file, not a gradient

STYLES = {b"Lnr ": "linear", b"Rdl ": "radial", b"Angl": "angle", b"Rflc": "reflected", b"Dmnd": "diamond"}
STYLE_CODES = {name: code for code, name in STYLES.items()}

Colour = tuple[float, float, float]


class NotLive(ValueError):
    """The descriptor cannot be a live gradient fill; the message says why."""


def _number(value: Any, what: str) -> float:
    try:
        number = float(value.value if hasattr(value, "value") else value)
    except (TypeError, ValueError):
        raise NotLive(f"its {what} is not a number") from None
    if not math.isfinite(number):
        raise NotLive(f"its {what} is not a finite number")
    return number


def _enum(value: Any, what: str) -> bytes:
    code = getattr(value, "enum", None)
    if code is None:
        raise NotLive(f"its {what} is missing")
    return bytes(getattr(code, "value", code))


def _get(desc: Any, key: bytes) -> Any:
    try:
        return desc.get(key)
    except Exception:
        return None


def _rgb_of_stop(stop: Any) -> Colour:
    """psd-tools' reading of a colour stop's 'Clr ' as RGB 0..255 (its conversions from HSB, Lab,
    grey, CMYK and book colours that carry components), for documents in RGB."""
    from psd_tools.composite.paint import _get_color
    from psd_tools.constants import ColorMode

    return tuple(c * 255.0 for c in _get_color(ColorMode.RGB, stop))  # type: ignore[return-value]


def _stops(items: Any, what: str, value_of: Callable[[Any], Any]) -> list[tuple[float, Any, float]]:
    """(position 0..1, value, midpoint 0..1) of each stop, in position order (stable)."""
    if items is None:
        raise NotLive(f"it has no {what} stops")
    try:
        items = list(items)
    except TypeError:
        raise NotLive(f"its {what} stops are not a list") from None
    if not items:
        raise NotLive(f"it has no {what} stops")
    if len(items) > MAX_STOPS:
        raise NotLive(f"it has {len(items)} {what} stops")
    out = []
    for stop in items:
        location = _get(stop, b"Lctn")
        if location is None:
            raise NotLive(f"a {what} stop has no location")
        position = _number(location, f"{what} stop location")
        if not 0 <= position <= SPAN:
            raise NotLive(f"a {what} stop lies at {position:g}, outside 0..{SPAN}")
        mid = _get(stop, b"Mdpn")
        midpoint = 50.0 if mid is None else _number(mid, f"{what} stop midpoint")
        if not 0 <= midpoint <= 100:
            raise NotLive(f"a {what} stop's midpoint is {midpoint:g} %, outside 0..100")
        out.append((position / SPAN, value_of(stop), midpoint / 100))
    out.sort(key=lambda s: s[0])
    return out


def _lerp(a: Any, b: Any, f: float) -> Any:
    if isinstance(a, tuple):
        return tuple(x + (y - x) * f for x, y in zip(a, b, strict=True))
    return a + (b - a) * f


def _with_midpoints(stops: list[tuple[float, Any, float]]) -> list[tuple[float, Any]]:
    """The stops with an extra one at each midpoint other than 50 % (the halfway value there)."""
    out = [(stops[0][0], stops[0][1])]
    for (p0, v0, mid), (p1, v1, _) in zip(stops, stops[1:], strict=False):
        if p1 > p0 and abs(mid - 0.5) > 1e-9:
            out.append((p0 + (p1 - p0) * mid, _lerp(v0, v1, 0.5)))
        out.append((p1, v1))
    return out


def _sides(stops: list[tuple[float, Any]], t: float) -> tuple[Any, Any]:
    """The value coming into position t and the value going out of it (they differ at a hard
    edge: two stops at t); outside the stops, the nearest end's value."""
    first = bisect.bisect_left(stops, t, key=lambda s: s[0])
    if first == len(stops):
        return stops[-1][1], stops[-1][1]
    if stops[first][0] > t:
        v = stops[0][1] if first == 0 else _between(stops, first, t)
        return v, v
    return stops[first][1], _last_at(stops, first)


def _last_at(stops: list[tuple[float, Any]], i: int) -> Any:
    while i + 1 < len(stops) and stops[i + 1][0] == stops[i][0]:
        i += 1
    return stops[i][1]


def _between(stops: list[tuple[float, Any]], i: int, t: float) -> Any:
    """Interpolated between stops i - 1 and i (t strictly inside them)."""
    (p0, v0), (p1, v1) = stops[i - 1], stops[i]
    return _lerp(v0, v1, (t - p0) / (p1 - p0))


def merged_stops(colours: list[tuple[float, Colour, float]],
                 opacities: list[tuple[float, float, float]]) -> list[dict[str, Any]]:
    """Veil's stops from Photoshop's colour and opacity stops ((position, value, midpoint) each)."""
    c, o = _with_midpoints(colours), _with_midpoints(opacities)
    out: list[dict[str, Any]] = []
    for t in sorted({p for p, _ in c} | {p for p, _ in o}):
        (c_in, c_out), (o_in, o_out) = _sides(c, t), _sides(o, t)
        sides = [(c_in, o_in)] if (c_in, o_in) == (c_out, o_out) else [(c_in, o_in), (c_out, o_out)]
        for colour, opacity in sides:
            out.append({"position": t, "color": [int(round(min(255.0, max(0.0, v)))) for v in colour],
                        "opacity": min(1.0, max(0.0, opacity))})
    return out


def settings_from_descriptor(descriptor: Any, *, box: Rect | None = None,
                             color: Callable[[Any], Colour] | None = None,
                             warn: Callable[[str], None] = lambda text: None) -> dict[str, Any]:
    """Veil's gradient fill settings from a layer's 'GdFl' descriptor (psd-tools' parse).

    `box` is the layer's bounds (what "align with layer" lays the gradient over); `color` turns
    a colour stop descriptor into sRGB 0..255 (default: psd-tools' RGB reading); `warn` hears
    what is shown differently (foreground/background stops). Raises `NotLive`."""
    if descriptor is None or not hasattr(descriptor, "get"):
        raise NotLive("it has no gradient settings")
    grad = _get(descriptor, b"Grad")
    if grad is None or not hasattr(grad, "get"):
        raise NotLive("it has no gradient")
    form = _enum(_get(grad, b"GrdF"), "gradient form")
    if form == b"ClNs":
        raise NotLive("it is a noise gradient")
    if form != b"CstS":
        raise NotLive(f"its gradient form {form!r} is unknown")
    style_code = _enum(_get(descriptor, b"Type"), "style")
    if style_code not in STYLES:
        raise NotLive(f"its style {style_code.decode('latin-1')!r} is not one Veil draws")
    read_colour = color or _rgb_of_stop
    dynamic: set[str] = set()

    def colour_of(stop: Any) -> Colour:
        kind = _get(stop, b"Type")
        code = bytes(getattr(getattr(kind, "enum", b""), "value", getattr(kind, "enum", b"")))
        if code in (b"FrgC", b"BckC"):
            dynamic.add("foreground" if code == b"FrgC" else "background")
            return (0.0, 0.0, 0.0) if code == b"FrgC" else (255.0, 255.0, 255.0)
        try:
            rgb = tuple(float(v) for v in read_colour(stop))[:3]
        except NotLive:
            raise
        except Exception as e:
            raise NotLive(f"a colour stop's colour cannot be read ({type(e).__name__})") from None
        if len(rgb) != 3 or not all(math.isfinite(v) for v in rgb):
            raise NotLive("a colour stop's colour cannot be read")
        return rgb  # type: ignore[return-value]

    colours = _stops(_get(grad, b"Clrs"), "colour", colour_of)
    transparency = _get(grad, b"Trns")
    if transparency is None:  # no opacity stops: opaque throughout
        opacities = [(0.0, 1.0, 0.5), (1.0, 1.0, 0.5)]
    else:
        opacities = _stops(transparency, "opacity",
                           lambda s: min(1.0, max(0.0, _number(_get(s, b"Opct"), "stop opacity") / 100)))
    if dynamic:  # Photoshop fills them with the colours of the moment; a file does not say which
        kinds = [k for k in ("foreground", "background") if k in dynamic]
        shown = {"foreground": "black", "background": "white"}
        warn(f"its {' and '.join(kinds)} colour stops are shown as {' and '.join(shown[k] for k in kinds)}")

    def number(key: bytes, default: float, what: str) -> float:
        value = _get(descriptor, key)
        return default if value is None else _number(value, what)

    scale = number(b"Scl ", 100.0, "scale")
    if not 0 < scale <= 10_000:
        raise NotLive(f"its scale is {scale:g} %")
    offset = _get(descriptor, b"Ofst")
    ox = oy = 0.0
    if offset is not None:
        ox = _number(_get(offset, b"Hrzn") if hasattr(offset, "get") else None, "horizontal offset")
        oy = _number(_get(offset, b"Vrtc") if hasattr(offset, "get") else None, "vertical offset")
    align = _get(descriptor, b"Algn")
    return {
        "stops": merged_stops(colours, opacities),
        "style": STYLES[style_code],
        "angle": number(b"Angl", 90.0, "angle"),
        "scale": scale,
        "reverse": bool(_get(descriptor, b"Rvrs")),
        "dither": bool(_get(descriptor, b"Dthr")),
        "offset": [ox, oy],
        "align": True if align is None else bool(align),
        "box": None if box is None else [box.x, box.y, box.w, box.h],
    }
# --- writing -------------------------------------------------------------------------------

def equivalent_over(settings: dict[str, Any], target: Rect, canvas: Rect) -> dict[str, Any]:
    """The same gradient aligned with `target` (a PSD layer's record, which is what Photoshop
    aligns with) when it is laid over another box: scale and offset changed so the line keeps
    its centre and length (its length is scale x a weighted mean of the box's sides, its centre
    the box's centre moved by offset % of the box). Unchanged when it already lies over `target`."""
    from editor.paint.gradient_fill import box_of, normalised

    s = normalised(settings)
    box = box_of(s, canvas)
    if box == target:
        return {**s, "box": [target.x, target.y, target.w, target.h]} if s["align"] else s
    r = s["angle"] % 90.0
    extent = (box.w * (90.0 - r) + box.h * r) / 90.0
    target_extent = (target.w * (90.0 - r) + target.h * r) / 90.0
    ox, oy = s["offset"]
    cx = box.x + box.w / 2 + box.w * ox / 100.0
    cy = box.y + box.h / 2 + box.h * oy / 100.0
    return {**s, "scale": s["scale"] * extent / target_extent,
            "offset": [(cx - target.x - target.w / 2) / target.w * 100.0,
                       (cy - target.y - target.h / 2) / target.h * 100.0],
            "align": True, "box": [target.x, target.y, target.w, target.h]}


def _unit(value: float, unit: Unit) -> UnitFloat:
    return UnitFloat(unit=unit, value=float(value))


def _rgb_desc(rgb: list[int]) -> Descriptor:
    c = Descriptor(classID=b"RGBC")
    c[b"Rd  "], c[b"Grn "], c[b"Bl  "] = (Double(float(v)) for v in rgb)
    return c


def descriptor_from_settings(settings: dict[str, Any], layer_box: Rect, canvas: Rect) -> DescriptorBlock:
    """The 'GdFl' descriptor Photoshop reads for these settings, on a layer whose record covers
    `layer_box` (what Photoshop's "align with layer" then means): Veil's stops as as many
    colour and opacity stops at the same locations, midpoints 50 %."""
    from editor.paint.gradient_fill import normalised

    s = equivalent_over(normalised(settings), layer_box, canvas)
    grad = Descriptor(classID=b"Grdn")
    grad[b"Nm  "] = String(value="Custom")
    grad[b"GrdF"] = Enumerated(typeID=b"GrdF", enum=b"CstS")
    grad[b"Intr"] = Double(float(SPAN))
    colours, opacities = List(), List()
    for stop in s["stops"]:
        location = Integer(int(round(min(1.0, max(0.0, stop["position"])) * SPAN)))
        c = Descriptor(classID=b"Clrt")
        c[b"Clr "] = _rgb_desc(stop["color"])
        c[b"Type"] = Enumerated(typeID=b"Clry", enum=b"UsrS")
        c[b"Lctn"], c[b"Mdpn"] = location, Integer(50)
        colours.append(c)
        o = Descriptor(classID=b"TrnS")
        o[b"Opct"] = _unit(stop["opacity"] * 100.0, Unit.Percent)
        o[b"Lctn"], o[b"Mdpn"] = Integer(location.value), Integer(50)
        opacities.append(o)
    grad[b"Clrs"], grad[b"Trns"] = colours, opacities
    d = DescriptorBlock(classID=b"null")
    d[b"Grad"] = grad
    d[b"Dthr"] = Bool(bool(s["dither"]))
    d[b"Rvrs"] = Bool(bool(s["reverse"]))
    d[b"Angl"] = _unit(s["angle"], Unit.Angle)
    d[b"Type"] = Enumerated(typeID=b"GrdT", enum=STYLE_CODES[s["style"]])
    d[b"Algn"] = Bool(bool(s["align"]))
    d[b"Scl "] = _unit(s["scale"], Unit.Percent)
    offset = Descriptor(classID=b"Pnt ")
    offset[b"Hrzn"] = _unit(s["offset"][0], Unit.Percent)
    offset[b"Vrtc"] = _unit(s["offset"][1], Unit.Percent)
    d[b"Ofst"] = offset
    return d
