"""Photoshop's gradient fill layer ('GdFl' descriptor) as Veil's gradient fill settings, and back
(`descriptor_from_settings`, for the PSD writer).

What a 'GdFl' descriptor holds (Adobe's Photoshop File Format Specification, as psd-tools
parses it) and what becomes of it (`editor.paint.gradient_fill` says what the settings mean):

- 'Grad' (a 'Grdn' descriptor): 'GrdF' the form, custom stops ('CstS') or noise ('ClNs', not
  live here: `NotLive`); 'Clrs' the colour stops, each 'Lctn' 0..4096, 'Mdpn' its midpoint
  0..100, 'Type' user/foreground/background and its colour 'Clr '; 'Trns' the opacity stops,
  'Lctn', 'Mdpn', 'Opct' percent; 'Intr' the smoothness 0..4096 (Veil's "smoothness", percent;
  outside 0..4096 clamped and said; absent, 0). The two lists become one list of Veil stops
  (`editor.paint.photoshop_gradient.merged_stops`: at the union of their positions, each list
  interpolated at the other's positions, two stops at one position a hard edge, both kept), and
  are kept as they are beside it ("photoshop_stops"): Photoshop smooths each list on its own,
  which one merged list cannot say, so the layer is drawn and written back from them until its
  stops are edited.
- 'Type' the style (Lnr, Rdl, Angl, Rflc, Dmnd), 'Angl' degrees, 'Scl ' percent, 'Rvrs',
  'Dthr', 'Algn' (align with layer: the layer's box, which for a layer with no vector mask is
  what its mask shows, `visible_bounds`; else the canvas) and 'Ofst' ('Hrzn', 'Vrtc': percent
  of the box). The layer is drawn in Photoshop's geometry ("photoshop_geometry": the centre
  chord, corner sampling, whole-pixel ends: `editor.paint.gradient_fill.line_of`), and a Veil
  gradient is written as the same line in it (`equivalent_over`).

Midpoints and smoothness are Photoshop's as SethRobinson/Patchy measured them against Photoshop
2026 (docs/ps-compat.md, the GrFl paragraph; docs/gradients.md "Rendering"; its
src/core/blend_math.cpp): a stop's 'Mdpn' belongs to the segment ending at that stop (the first
stop's is unused) and remaps that segment piecewise-linearly around its 50 % value, so at 0 %
smoothness a midpoint is exactly an extra stop holding the halfway value; the smoothness then
bends each segment towards a Catmull-Rom cubic (`editor.paint.photoshop_gradient`). Krita's
reader (libs/psd/asl/kis_asl_xml_parser.cpp) gives a segment the midpoint of the stop it starts
from; Veil followed it until Patchy's probes said otherwise.

The angle style's sweep. Adobe's manuals say "Angle gradient: shades in a counterclockwise
sweep around the starting point" (Photoshop CS2 User Guide p. 493, the Gradient tool);
psd-tools' `composite.paint._make_angle_gradient` sweeps clockwise on screen.
SethRobinson/Patchy settles it for what Photoshop draws: its
`gradient_position` (src/core/blend_math.cpp), calibrated against Photoshop 2026 renders
("Angle sweeps one full ramp per revolution starting at the angle direction, increasing
clockwise on screen"), and shared by its gradient fill layers, whose angle fills it probed
(docs/gradients.md "Gradient fill layer geometry"). So a gradient fill layer's angle style
sweeps clockwise (`editor.paint.gradient_fill`), as psd-tools draws it, and so does Veil's
gradient tool (one engine, as in Photoshop).

Anything that does not read as a gradient (keys missing, no stops, positions outside 0..4096,
numbers that are not finite, colours psd-tools cannot convert) raises `NotLive` with the reason:
the reader keeps such a layer as pixels and says why.
"""

from __future__ import annotations

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
from editor.paint.photoshop_gradient import merged_stops

__all__ = ["NotLive", "descriptor_from_settings", "equivalent_over", "merged_stops", "settings_from_descriptor"]

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


def _smoothness(grad: Any, warn: Callable[[str], None]) -> float:
    """'Intr' as percent 0..100 (absent: 0, straight ramps); outside 0..4096 clamped, and said."""
    value = _get(grad, b"Intr")
    if value is None:
        return 0.0
    intr = _number(value, "smoothness")
    if not 0 <= intr <= SPAN:
        warn(f"its smoothness {intr:g} lies outside 0..{SPAN} and is read as {min(SPAN, max(0, intr)):g}")
    return min(SPAN, max(0.0, intr)) / SPAN * 100.0


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
        "smoothness": _smoothness(grad, warn),
        "photoshop_stops": {"colors": [[p, list(c), m] for p, c, m in colours],
                            "opacities": [[p, o, m] for p, o, m in opacities]},
        "style": STYLES[style_code],
        "angle": number(b"Angl", 90.0, "angle"),
        "scale": scale,
        "reverse": bool(_get(descriptor, b"Rvrs")),
        "dither": bool(_get(descriptor, b"Dthr")),
        "offset": [ox, oy],
        "align": True if align is None else bool(align),
        "box": None if box is None else [box.x, box.y, box.w, box.h],
        "photoshop_geometry": True,  # drawn as Photoshop draws it (`editor.paint.gradient_fill.line_of`)
    }


def visible_bounds(mask: Any, x: int, y: int) -> Rect | None:
    """The bounds of a layer mask's samples above 0 (the mask's top-left at (x, y)): what
    Photoshop aligns a gradient fill with when the layer has no vector mask and its mask hides
    the canvas around it (SethRobinson/Patchy docs/gradients.md "Gradient fill layer geometry",
    `fill_layer_mask_bounds`: psd-tools' gradient-fill.psd ramps over the mask's rows, not the
    canvas). None when it shows nothing."""
    import numpy as np

    shown = np.asarray(mask) > 0
    rows, cols = np.flatnonzero(shown.any(axis=1)), np.flatnonzero(shown.any(axis=0))
    if rows.size == 0:
        return None
    return Rect(x + int(cols[0]), y + int(rows[0]), int(cols[-1] - cols[0]) + 1, int(rows[-1] - rows[0]) + 1)


# --- writing -------------------------------------------------------------------------------

def equivalent_over(settings: dict[str, Any], target: Rect, canvas: Rect) -> dict[str, Any]:
    """The same gradient as Photoshop will draw it aligned with `target` (a PSD layer's record,
    which is what Photoshop aligns with), in Photoshop's geometry ("photoshop_geometry":
    `editor.paint.gradient_fill.line_of`): scale and offset changed so the line keeps its centre
    and length (Photoshop's length is scale x the target's centre chord). A gradient in Veil's
    own geometry also moves its centre half a pixel up and left when Photoshop samples its style
    at pixel corners, where Veil sampled centres. Unchanged when it is in Photoshop's geometry
    over `target` already (a PSD's own layer)."""
    from editor.paint.gradient_fill import _CORNER_SAMPLED, _length, box_of, normalised

    s = normalised(settings)
    box = box_of(s, canvas)
    if not s["align"]:  # Photoshop lays it over the canvas too, whatever the layer's bounds
        target = canvas
    photoshop = bool(s.get("photoshop_geometry", False))
    if box == target and photoshop:
        return {**s, "box": [target.x, target.y, target.w, target.h]} if s["align"] else s
    length = _length(box, s["angle"], s["scale"], chord=photoshop)
    ox, oy = s["offset"]
    cx = box.x + box.w / 2 + box.w * ox / 100.0
    cy = box.y + box.h / 2 + box.h * oy / 100.0
    if not photoshop and s["style"] in _CORNER_SAMPLED:
        cx, cy = cx - 0.5, cy - 0.5
    return {**s, "scale": 100.0 * length / _length(target, s["angle"], 100.0, chord=True),
            "offset": [(cx - target.x - target.w / 2) / target.w * 100.0,
                       (cy - target.y - target.h / 2) / target.h * 100.0],
            "align": s["align"], "box": [target.x, target.y, target.w, target.h],
            "photoshop_geometry": True}


def _unit(value: float, unit: Unit) -> UnitFloat:
    return UnitFloat(unit=unit, value=float(value))


def _location(position: float) -> Integer:
    return Integer(int(round(min(1.0, max(0.0, position)) * SPAN)))


def _midpoint(mid: float) -> Integer:
    return Integer(int(round(min(1.0, max(0.0, mid)) * 100)))


def _rgb_desc(rgb) -> Descriptor:
    c = Descriptor(classID=b"RGBC")
    c[b"Rd  "], c[b"Grn "], c[b"Bl  "] = (Double(float(v)) for v in rgb)
    return c


def descriptor_from_settings(settings: dict[str, Any], layer_box: Rect, canvas: Rect) -> DescriptorBlock:
    """The 'GdFl' descriptor Photoshop reads for these settings, on a layer whose record covers
    `layer_box` (what Photoshop's "align with layer" then means): Veil's stops as as many
    colour and opacity stops at the same locations, midpoints 50 %."""
    from editor.paint.gradient_fill import normalised, photoshop_lists
    from editor.paint.photoshop_gradient import lists_of

    s = equivalent_over(normalised(settings), layer_box, canvas)
    grad = Descriptor(classID=b"Grdn")
    grad[b"Nm  "] = String(value="Custom")
    grad[b"GrdF"] = Enumerated(typeID=b"GrdF", enum=b"CstS")
    grad[b"Intr"] = Double(s.get("smoothness", 0.0) / 100.0 * SPAN)
    # The file's own two lists while the stops are still theirs (Photoshop smooths each list
    # on its own); else Veil's stops as as many colour and opacity stops, midpoints 50 %.
    colour_list, opacity_list = photoshop_lists(s) or lists_of(s["stops"])
    colours, opacities = List(), List()
    for position, rgb, mid in colour_list:
        c = Descriptor(classID=b"Clrt")
        c[b"Clr "] = _rgb_desc(rgb)
        c[b"Type"] = Enumerated(typeID=b"Clry", enum=b"UsrS")
        c[b"Lctn"], c[b"Mdpn"] = _location(position), _midpoint(mid)
        colours.append(c)
    for position, opacity, mid in opacity_list:
        o = Descriptor(classID=b"TrnS")
        o[b"Opct"] = _unit(opacity * 100.0, Unit.Percent)
        o[b"Lctn"], o[b"Mdpn"] = _location(position), _midpoint(mid)
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
