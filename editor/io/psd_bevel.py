"""Photoshop's Bevel and Emboss ('ebbl' in a layer's lfx2 descriptor), which psd-tools does not
draw: its highlight and shadow, drawn by Veil (editor/io/psd.py composites them).

The model, as Photoshop's is commonly reimplemented (Krita's layer styles, GIMP's Layer FX,
SethRobinson/Patchy docs/layer-effects-render.md "Bevel and Emboss", COM-probed against
Photoshop 2026), written from those descriptions:
- a height field from the layer's own coverage (its pixels and masks, not its stroke): for
  Smooth, the coverage blurred with a tent of half-width N (Satin's kernel, (N - |k|) / N²), so
  the surface rises over N pixels on each side of the edge; for Chisel Hard, that field remapped
  to rise linearly with the distance to the edge over the same N pixels (a straight ramp with a
  sharp ridge); Chisel Soft rounds that ridge with a narrower tent (both approximate: Photoshop's
  chisel profiles, an exact distance field, are not measured here). N is Size for the inner and
  outer bevels, half of it for the embosses;
- Soften blurs that field by another tent; a Linear Contour (the Contour box ticked) at Range r
  steepens the slope by 100 / r;
- the surface's slope is the field's central difference scaled by 0.5 × Depth × N, negated
  for Direction Down; its normal lit by the light from Angle (`lagl`, or the document's global
  angle with `uglg`) and Altitude (`Lald`, or the global altitude): L = normal · light;
- a Gloss Contour remaps L through its curve (Photoshop's natural spline, as in Curves), so the
  flat top too may be washed with highlight or shadow;
- where L is above the flat face's sin(altitude), the highlight covers (L - sin a) / (1 - sin a);
  below it, the shadow covers (sin a - L) / sin a; each in its own colour, mode and opacity;
- Inner Bevel shows the part inside the layer (weighted by its coverage), Outer Bevel the part
  outside (weighted by what the layer leaves uncovered), Emboss both, Pillow Emboss both with the
  inside lit the other way up (Depth at least 25 %, as Photoshop floors it there).
A group's bevel is drawn from its content's coverage as layers over its children and below it
(approximate: Photoshop shades the group's composite). Not modelled (named in the reader's
warning): contours other than Linear (drawn as Linear), texture, the gloss contour's corner
points (drawn smooth) and its Anti-aliased box; Stroke Emboss is drawn as an
inner bevel of the layer with its stroke when it has one (approximate), and not at all on a group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .psd_effects import _MAX_SIZE, _number, effect_kind, enabled_effects, tent_blur

STYLES = {b"InrB": "inner", b"OtrB": "outer", b"Embs": "emboss", b"PlEb": "pillow", b"strokeEmboss": "stroke"}
TECHNIQUES = {b"SfBL": "smooth", b"PrBL": "chisel hard", b"Slmt": "chisel soft"}
_MAX_SOFTEN = 16.0  # Photoshop's Soften slider (px)
_MAX_DEPTH = 1000.0  # Photoshop's Depth slider (%)


@dataclass(frozen=True)
class Bevel:
    """One Bevel and Emboss, read from its descriptor (values inside Photoshop's slider ranges)."""

    effect: object  # the psd-tools effect (its colours and modes are read by the caller)
    style: str  # "inner", "outer", "emboss", "pillow", "stroke"
    technique: str  # "smooth", "chisel hard", "chisel soft"
    depth: float  # 1 = 100 %
    up: bool
    size: float  # px, after the effects' Scale
    soften: float  # px, after the effects' Scale
    angle: float  # degrees, 0 = light from the right, 90 = from above
    altitude: float  # degrees above the surface
    highlight_opacity: float  # 0..1
    shadow_opacity: float  # 0..1
    notes: tuple[str, ...] = ()  # what is approximated, clamped or left out: for the warning
    slope_gain: float = 1.0  # a Linear Contour's 100 / Range (the Contour box ticked), else 1
    gloss: tuple[tuple[float, float], ...] | None = None  # the Gloss Contour's points; None: Linear


@dataclass(frozen=True)
class Shading:
    """A bevel's coverage over the layer's frame ((h, w) float32, 0..1, before its opacities):
    inside the layer (to draw into its pixels) and outside it (to draw below it); None where the
    style has no such part."""

    highlight: np.ndarray | None
    shadow: np.ndarray | None
    outer_highlight: np.ndarray | None
    outer_shadow: np.ndarray | None


def _enum(desc, key: bytes) -> bytes | None:
    value = desc.get(key) if desc is not None else None
    enum = getattr(value, "enum", None)
    return bytes(enum) if isinstance(enum, (bytes, bytearray)) else None


def _clamped(desc, key: bytes, label: str, default: float, low: float, high: float, unit: str,
             notes: list[str]) -> float:
    """The descriptor's number at `key`, inside low..high; a missing one is Photoshop's default,
    a junk or out-of-range one is clamped (NaN: the default) and named in `notes`."""
    raw = desc.get(key) if desc is not None else None
    if raw is None:
        return default
    try:
        value = float(getattr(raw, "value", raw))
    except (TypeError, ValueError):
        notes.append(f"its {label} could not be read, {default:g}{unit} used")
        return default
    if not math.isfinite(value):
        notes.append(f"its {label} is not a number, {default:g}{unit} used")
        return default
    if value < low or value > high:
        clamped = min(max(value, low), high)
        notes.append(f"its {label} {value:g}{unit} clamped to {clamped:g}{unit}")
        return clamped
    return value


def _value(x) -> float:
    return float(getattr(x, "value", x))


def contour_points(desc) -> tuple[tuple[float, float], ...] | None:
    """A contour's ('ShpC') curve points (input, output), 0..255, sorted by input; None for a
    missing contour or a Linear one (every point on the diagonal). Raises on a curve that does
    not read as one."""
    if desc is None or desc.get(b"Crv ") is None:
        return None
    points = sorted((_value(p.get(b"Hrzn")), _value(p.get(b"Vrtc"))) for p in desc.get(b"Crv "))
    if len(points) < 2 or not all(math.isfinite(x) and math.isfinite(y) for x, y in points):
        raise ValueError("not a curve")
    points = [(min(max(x, 0.0), 255.0), min(max(y, 0.0), 255.0)) for x, y in points]
    if (np.diff([x for x, _ in points]) < 1e-6).any():
        raise ValueError("two points at one input")
    if all(abs(x - y) < 0.5 for x, y in points):
        return None
    return tuple(points)


def read_bevels(item, global_altitude: float = 30.0) -> list[Bevel]:
    """The layer's enabled Bevel and Emboss effects (Photoshop allows one)."""
    scale = min(max(_number(getattr(item.effects, "scale", 100.0), 100.0), 0.0), 1000.0) / 100.0
    out = []
    for e in enabled_effects(item):
        if effect_kind(e) != "bevelemboss":
            continue
        try:
            out.append(_read(e, scale, global_altitude))
        except Exception:  # an odd descriptor: that effect is left out, the file still opens
            continue
    return out


def _read(e, scale: float, global_altitude: float) -> Bevel:
    d = e.descriptor
    notes: list[str] = []
    style = STYLES.get(_enum(d, b"bvlS") or b"InrB", "inner")
    technique = TECHNIQUES.get(_enum(d, b"bvlT") or b"SfBL", "smooth")
    if technique != "smooth":
        notes.append(f"its {technique} technique approximated")
    up = (_enum(d, b"bvlD") or b"In  ") != b"Out "  # 'In  ' is the dialog's Up
    depth = _clamped(d, b"srgR", "depth", 100.0, 0.0, _MAX_DEPTH, " %", notes) / 100.0
    size = _clamped(d, b"blur", "size", 5.0, 0.0, _MAX_SIZE, " px", notes) * scale
    soften = _clamped(d, b"Sftn", "soften", 0.0, 0.0, _MAX_SOFTEN, " px", notes) * scale
    use_global = bool(getattr(e, "use_global_light", False))
    if use_global:
        angle = _number(getattr(e, "angle", 120.0), 120.0)
        altitude = min(max(_number(global_altitude, 30.0), 0.0), 90.0)
    else:
        angle = math.remainder(_clamped(d, b"lagl", "angle", 120.0, -math.inf, math.inf, "°", notes), 360.0)
        altitude = _clamped(d, b"Lald", "altitude", 30.0, 0.0, 90.0, "°", notes)
    highlight = _clamped(d, b"hglO", "highlight opacity", 75.0, 0.0, 100.0, " %", notes) / 100.0
    shadow = _clamped(d, b"sdwO", "shadow opacity", 75.0, 0.0, 100.0, " %", notes) / 100.0
    try:
        gloss = contour_points(d.get(b"TrnS"))
    except Exception:
        gloss = None
        notes.append("its gloss contour could not be read, drawn as Linear")
    if gloss is not None and any(_flag(p, b"Cnty") is False and p.get(b"Cnty") is not None
                                 for p in d.get(b"TrnS").get(b"Crv ")):
        notes.append("its gloss contour's corner points drawn smooth")
    gain = 1.0
    if _flag(d, b"useShape"):
        # the Contour box: a Linear contour at Range r steepens the slopes by 100 / r (Patchy's probes)
        gain = 100.0 / _clamped(d, b"Inpr", "contour range", 50.0, 1.0, 100.0, " %", notes)
        try:
            curved = contour_points(d.get(b"MpgS")) is not None
        except Exception:
            curved = True
        if curved:
            notes.append("its contour drawn as Linear")
    if _flag(d, b"useTexture"):
        notes.append("its texture not shown")
    return Bevel(e, style, technique, depth, up, size, soften, angle, altitude, highlight, shadow, tuple(notes),
                 gain, gloss)


def _flag(desc, key: bytes) -> bool:
    value = desc.get(key)
    return bool(getattr(value, "value", value)) if value is not None else False


def half_width(bevel: Bevel) -> int:
    """N: how far the surface rises on each side of the edge (px)."""
    size = bevel.size / 2 if bevel.style in ("emboss", "pillow") else bevel.size
    return max(2, int(round(size)))


def height(bevel: Bevel, alpha: np.ndarray) -> np.ndarray:
    """The surface's height over `alpha`'s frame, 0 outside far from the edge to 1 inside (float32);
    what lies past the frame continues the frame's edge (a layer running off the canvas)."""
    a = np.clip(np.asarray(alpha, np.float32), 0.0, 1.0)
    n = half_width(bevel)
    h = tent_blur(a, n, cv2.BORDER_REPLICATE)
    if bevel.technique != "smooth":
        # the tent-blurred edge remapped through the inverse of the tent's integral, so that it
        # rises linearly with the distance to the edge over N px each side (exact for a straight
        # edge; its slopes keep the blur's smooth directions, where a distance transform of the
        # pixel grid fans out in streaks)
        h = np.where(h <= 0.5, 0.5 * np.sqrt(2 * np.clip(h, 0.0, 0.5)),
                     1.0 - 0.5 * np.sqrt(2 * np.clip(1.0 - h, 0.0, 0.5))).astype(np.float32)
        if bevel.technique == "chisel soft":  # its ridges rounded (approximate)
            h = tent_blur(h, max(2, n // 3), cv2.BORDER_REPLICATE)
    soften = int(round(bevel.soften))
    if soften > 0:
        h = tent_blur(h, soften + 1, cv2.BORDER_REPLICATE)
    return h


def _lighting(bevel: Bevel, h: np.ndarray, sign: float, wash: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(highlight, shadow) coverage of the surface `h` scaled by `sign` (-1: lit the other way up).
    Without `wash`, a gloss contour moves the light by what it makes of the slope only, so that
    flat ground stays as it is (around the layer)."""
    depth = max(bevel.depth, 0.25) if bevel.style == "pillow" and bevel.depth > 0 else bevel.depth
    s = 0.5 * depth * half_width(bevel) * bevel.slope_gain * (1.0 if bevel.up else -1.0) * sign
    gy, gx = np.gradient(h) if min(h.shape) > 1 else (np.zeros_like(h), np.zeros_like(h))
    nx, ny = -s * gx, -s * gy
    norm = np.sqrt(nx * nx + ny * ny + 1.0)
    theta, alt = math.radians(bevel.angle), math.radians(bevel.altitude)
    # image y runs down: a light from angle 90 (above) points towards -y
    lx, ly, lz = math.cos(alt) * math.cos(theta), -math.cos(alt) * math.sin(theta), math.sin(alt)
    lit = (nx * lx + ny * ly + lz) / norm
    flat = lz
    if bevel.gloss is not None:  # the Gloss Contour remaps the light, then the split runs as before
        from editor.render.adjustments.curves import curve

        points = [list(p) for p in bevel.gloss]
        lit = (curve(points, np.clip(lit, 0.0, 1.0) * 255.0) / 255.0).astype(np.float32)
        if not wash:
            lit = lit - np.float32(curve(points, np.array([flat * 255.0]))[0] / 255.0 - flat)
    highlight = np.clip((lit - flat) / (1.0 - flat), 0.0, 1.0) if flat < 1.0 - 1e-6 else np.zeros_like(lit)
    shadow = np.clip((flat - lit) / flat, 0.0, 1.0) if flat > 1e-6 else np.zeros_like(lit)
    return highlight.astype(np.float32), shadow.astype(np.float32)


def shading(bevel: Bevel, alpha: np.ndarray) -> Shading:
    """The bevel's highlight and shadow over `alpha`'s frame (the layer's own coverage, with room
    around it for an outer bevel), split into the parts inside and outside the layer."""
    a = np.clip(np.asarray(alpha, np.float32), 0.0, 1.0)
    if bevel.size <= 0 or not a.any():
        return Shading(None, None, None, None)
    h = height(bevel, a)
    highlight, shadow = _lighting(bevel, h, 1.0)
    inner = bevel.style in ("inner", "emboss", "pillow", "stroke")
    outer = bevel.style in ("outer", "emboss", "pillow")
    in_hl, in_sh = _lighting(bevel, h, -1.0) if bevel.style == "pillow" else (highlight, shadow)
    if outer and bevel.gloss is not None:
        # the flat ground around the layer stays clean where a gloss contour washes the layer's
        # flat top (Patchy's probes): outside, the contour moves only what the slope changes
        highlight, shadow = _lighting(bevel, h, 1.0, wash=False)
    return Shading(in_hl * a if inner else None, in_sh * a if inner else None,
                   highlight * (1 - a) if outer else None, shadow * (1 - a) if outer else None)
