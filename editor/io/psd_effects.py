"""Photoshop's layer effects that psd-tools does not draw: drop shadow, outer glow, inner
shadow, inner glow and satin (Bevel and Emboss: editor/io/psd_bevel.py).

psd-tools (1.26) draws a layer's colour, gradient and pattern overlays and its stroke, and
nothing else; a drop shadow, the most common effect in real files, was simply missing. Veil
draws the colour, gradient and pattern overlays into psd-tools' effect canvas (editor/io/psd_overlay.py,
editor/io/psd_pattern.py), leaving it the stroke's band (a gradient stroke's paint is Veil's:
editor/io/psd_stroke.py), and draws the two outer effects itself, each as a layer of its own under the layer that casts it
(its colour, its blend mode, its opacity times the layer's opacity), which is where Photoshop
composites them: below the layer's content, against the layers below.

Geometry, from Photoshop's Layer Style dialog and its descriptors (lfx2 'DrSh' / 'OrGl'):
- the matte is the layer's coverage with its masks and stroke, before Fill (a Fill 0 layer
  still casts its whole shadow);
- Spread (`Ckmt`, percent of Size) grows the matte solid by spread × size pixels, and the
  rest of Size blurs it (SethRobinson/Patchy docs/ps-compat.md, "Drop-shadow Spread",
  COM-probed against Photoshop 2026: geometric growth first, then the remaining blur);
- the rest of Size is the separable tent (N - |k|) / N² with N = max(2, round(size)) less the
  spread's radius, Satin's kernel, not a box or a Gaussian (SethRobinson/Patchy
  docs/layer-effects-render.md "Shadows and glows", byte-matched on Photoshop 2026 captures);
  Size 0 is the hard matte;
- a glow's Range (`Inpr`, 1..100 %; the dialog's default 50) is a gain min(1, blur × 100 / Range)
  after the blur (same source), so a glow at the default Range is twice the plain blur; an
  inner glow from the centre is the complement of that gained edge;
- the shadow moves `Dstn` pixels away from the light: angle θ (`lagl`, or the document's
  global angle when `uglg`) gives (−d cos θ, d sin θ) in image coordinates, rounded to whole
  pixels;
- "Layer Knocks Out Drop Shadow" (`layerConceals`) hides the shadow under the layer's own
  coverage.
Inner shadow, inner glow and satin are drawn into the layer's own pixels (`inner_coverage`) inside
psd-tools' effect canvas, over the overlays and under the stroke, as Photoshop stacks them; they are not faded by Fill ("Blend Interior Effects as
Group" off, Photoshop's default). Bevel and Emboss is drawn over them all (its outer part as
layers below the layer, over its shadows and glows).
Not modelled (named in the reader's warning instead): noise, contours other than Linear,
gradient glows, the glow's Jitter, Precise technique (drawn as Softer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

# psd-tools' effect class names (lower case) as the user reads them in Photoshop's dialog.
EFFECT_NAMES = {
    "dropshadow": "drop shadow", "innershadow": "inner shadow", "outerglow": "outer glow",
    "innerglow": "inner glow", "bevelemboss": "bevel and emboss", "satin": "satin",
    "coloroverlay": "colour overlay", "gradientoverlay": "gradient overlay",
    "patternoverlay": "pattern overlay", "stroke": "stroke",
}
# What psd-tools' per-layer compositing draws (editor/io/psd.py rasterises through it).
DRAWN_BY_PSD_TOOLS = frozenset({"stroke"})
# The overlays Veil draws into psd-tools' effect canvas, in its stacking (editor/io/psd_overlay.py,
# editor/io/psd_pattern.py).
OVERLAYS_HERE = frozenset({"coloroverlay", "gradientoverlay", "patternoverlay"})
# What Veil draws: the outer two as layers below the layer, the others into its pixels.
DRAWN_HERE = frozenset({"dropshadow", "outerglow", "innershadow", "innerglow", "satin", "bevelemboss",
                        *OVERLAYS_HERE})
INNER = ("satin", "innerglow", "innershadow")  # Photoshop's stacking, lowest first; the bevel above them
DRAWN_INTO_LAYER = frozenset({*INNER, "bevelemboss", *OVERLAYS_HERE})

_MAX_SIZE = 250.0  # Photoshop's Size and Distance sliders stop here (px); a larger value is hostile


@dataclass(frozen=True)
class OuterEffect:
    """One drop shadow or outer glow, read from its descriptor."""

    kind: str  # "dropshadow" or "outerglow"
    effect: object  # the psd-tools effect (its colour descriptor and blend mode are read by the caller)
    opacity: float  # 0..1
    size: float  # px, after the effects' Scale
    spread: float  # 0..1 of size
    dx: int
    dy: int
    knocks_out: bool
    gain: float = 1.0  # a glow's Range as a gain on the blurred matte (100 / Range)


def _number(value, default: float = 0.0) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


def pixels(value) -> float:
    """A descriptor's size or distance as a length in 0..250 px (NaN, junk: 0)."""
    try:
        v = abs(_number(value))
    except Exception:
        return 0.0
    return min(v, _MAX_SIZE)


def effect_kind(effect) -> str:
    return type(effect).__name__.lower()


def enabled_effects(item) -> list:
    """The layer's effects Photoshop shows: the master switch on, each one enabled."""
    effects = item.effects
    if not getattr(effects, "enabled", True):
        return []
    return [e for e in effects if getattr(e, "enabled", False)]


def outer_effects(item) -> list[OuterEffect]:
    """The drop shadows and outer glows of a layer, in Photoshop's order (shadows lowest)."""
    scale = _number(getattr(item.effects, "scale", 100.0), 100.0) / 100.0
    scale = min(max(scale, 0.0), 10.0)
    out: list[OuterEffect] = []
    for kind in ("dropshadow", "outerglow"):
        for e in enabled_effects(item):
            if effect_kind(e) != kind:
                continue
            try:
                effect = _read(kind, e, scale)
            except Exception:  # an odd descriptor: that effect is left out, the file still opens
                continue
            if kind == "outerglow" and round(effect.size) <= 0:  # Photoshop draws no glow of Size 0
                continue
            out.append(effect)
    return out


def _read(kind: str, e, scale: float) -> OuterEffect:
    size = min(max(_number(getattr(e, "size", 0.0)), 0.0), _MAX_SIZE) * scale
    spread = min(max(_number(getattr(e, "choke", 0.0)), 0.0), 100.0) / 100.0
    opacity = min(max(_number(getattr(e, "opacity", 100.0), 100.0), 0.0), 100.0) / 100.0
    dx = dy = 0
    knocks_out = False
    if kind == "dropshadow":
        distance = min(max(_number(getattr(e, "distance", 0.0)), -_MAX_SIZE), _MAX_SIZE) * scale
        angle = math.radians(_number(getattr(e, "angle", 120.0), 120.0))
        dx, dy = round(-distance * math.cos(angle)), round(distance * math.sin(angle))
        knocks_out = bool(getattr(e, "layer_knocks_out", True))
    return OuterEffect(kind, e, opacity, size, spread, int(dx), int(dy), knocks_out,
                       range_gain(e) if kind == "outerglow" else 1.0)


def range_gain(e) -> float:
    """A glow's Range as the gain on its blurred matte: 100 / Range. A descriptor without `Inpr`
    renders at Range 100 (Patchy's probes), and Range never goes below the dialog's 1 %."""
    descriptor = getattr(e, "descriptor", None)
    if descriptor is None or b"Inpr" not in descriptor:
        return 1.0
    value = _number(getattr(e, "quality_range", 100.0), 100.0)
    return 100.0 / min(max(value, 1.0), 100.0)


@dataclass(frozen=True)
class InnerEffect:
    """One inner shadow or inner glow, read from its descriptor."""

    kind: str  # "innershadow" or "innerglow"
    effect: object
    opacity: float
    size: float
    choke: float  # 0..1 of size
    dx: int
    dy: int
    center: bool  # an inner glow from the centre (`glwS` 'SrcC') instead of the edge
    gain: float = 1.0  # an inner glow's Range as a gain on its edge (100 / Range)


def inner_effects(item) -> list[InnerEffect]:
    """The inner glows and inner shadows of a layer, lowest first."""
    scale = min(max(_number(getattr(item.effects, "scale", 100.0), 100.0), 0.0), 1000.0) / 100.0
    out: list[InnerEffect] = []
    for kind in INNER:
        for e in enabled_effects(item):
            if effect_kind(e) != kind:
                continue
            try:
                if kind == "satin":
                    out.append(_read_satin(e, scale))
                    continue
                base = _read("dropshadow" if kind == "innershadow" else "outerglow", e, scale)
                center = False
                if kind == "innerglow":
                    source = getattr(e, "glow_source", None)
                    center = source is not None and "cent" in str(getattr(source, "name", source)).lower()
            except Exception:  # an odd descriptor: that effect is left out
                continue
            out.append(InnerEffect(kind, e, base.opacity, base.size, base.spread, base.dx, base.dy, center,
                                   range_gain(e) if kind == "innerglow" else 1.0))
    return out


def _read_satin(e, scale: float) -> InnerEffect:
    """Satin ('ChFX'): its offset is (round(d cos θ), round(−d sin θ)) with d at least 1
    (Patchy's Photoshop 2026 probes); `center` carries its Invert."""
    distance = max(1.0, pixels(getattr(e, "distance", 0.0)) * scale)
    angle = math.radians(_number(getattr(e, "angle", 0.0)))
    size = pixels(getattr(e, "size", 0.0)) * scale
    opacity = min(max(_number(getattr(e, "opacity", 100.0), 100.0), 0.0), 100.0) / 100.0
    return InnerEffect("satin", e, opacity, size, 0.0, int(round(distance * math.cos(angle))),
                       int(round(-distance * math.sin(angle))), bool(getattr(e, "inverted", False)))


def satin_coverage(effect: InnerEffect, alpha: np.ndarray) -> np.ndarray:
    """Satin over `alpha`'s frame: |tent-blurred (A(p + v) − A(p − v))|, inverted when asked,
    confined to the shape (SethRobinson/Patchy docs/ps-compat.md "Satin rendering", COM-probed:
    the tent (N − |k|)/N² for |k| < N, N = max(2, size), no blur at size 0; Linear contour)."""
    a = np.clip(np.asarray(alpha, np.float32), 0.0, 1.0)
    h, w = a.shape
    m = max(abs(effect.dx), abs(effect.dy))
    n = int(round(effect.size))
    o = 2 * m + max(n, 2)  # A(p ± v) for p up to m outside the frame reaches 2m beyond it
    big = np.pad(a, o)

    def at(dx: int, dy: int) -> np.ndarray:  # A(p + (dx, dy)) over the padded frame's middle
        return big[o - m + dy:o - m + dy + h + 2 * m, o - m + dx:o - m + dx + w + 2 * m]

    diff = at(effect.dx, effect.dy) - at(-effect.dx, -effect.dy)
    if n > 0:
        diff = tent_blur(diff, max(2, n), cv2.BORDER_CONSTANT)
    q = np.abs(diff)[m:m + h, m:m + w]
    if effect.center:
        q = 1.0 - np.clip(q, 0.0, 1.0)
    return np.clip(q, 0.0, 1.0) * a


def tent_blur(a: np.ndarray, n: int, border: int) -> np.ndarray:
    """`a` blurred by the separable tent (n - |k|) / n² for |k| < n (Photoshop's Satin and Bevel
    kernel, Patchy's probes); n ≤ 1 leaves it as it is."""
    a = np.asarray(a, np.float32)
    if n <= 1:
        return a
    if n <= 16:
        k = np.array([(n - abs(i)) / n ** 2 for i in range(-n + 1, n)], np.float32)
        return cv2.sepFilter2D(a, -1, k, k, borderType=border)
    # a wide tent is two boxes of width n (their anchors offset for an even n, so that the pair
    # is centred): linear time at any size, where a direct 2n-tap kernel costs n per pixel
    big = cv2.copyMakeBorder(a, n, n, n, n, border, value=0)
    first, second = n // 2, n - 1 - n // 2
    big = cv2.blur(big, (n, n), anchor=(first, first), borderType=cv2.BORDER_REPLICATE)
    big = cv2.blur(big, (n, n), anchor=(second, second), borderType=cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(big[n:-n, n:-n])


def inner_coverage(effect: InnerEffect, alpha: np.ndarray) -> np.ndarray:
    """The effect's coverage over `alpha`'s frame ((h, w) float32), inside the layer's shape.

    The edge of an inner shadow or glow is the matte of what lies outside the shape (all of
    the canvas beyond the layer counts as outside), moved towards the light's far side for a
    shadow, choked (grown into the shape) by choke × size and blurred by the rest; an inner glow
    from the centre is the complement of that. Both are confined to the shape's coverage."""
    if effect.kind == "satin":
        return satin_coverage(effect, alpha)
    h, w = alpha.shape
    outside = 1.0 - np.clip(np.asarray(alpha, np.float32), 0.0, 1.0)
    # the outside matte at p - (dx, dy): its shadow edge lands on the side away from the light
    m = max(abs(effect.dx), abs(effect.dy))
    big = np.pad(outside, m, constant_values=1.0)
    moved = big[m - effect.dy:m - effect.dy + h, m - effect.dx:m - effect.dx + w]
    edge, pad = matte_with_border(moved, effect.size, effect.choke)
    edge = np.minimum(edge[pad:pad + h, pad:pad + w] * np.float32(effect.gain), 1.0)
    cov = 1.0 - edge if effect.center else edge
    return np.clip(cov, 0.0, 1.0) * (1.0 - outside)


def blur_taps(size: float, grow: int) -> int:
    """The tent's N for an effect of `size` whose spread (or choke) grew the matte by `grow`:
    max(2, round(size)) - grow, and none at Size 0 (Patchy's probes: Size 0 and Spread 100 are
    hard bands; Sizes 1 and 2 still blur with N = 2)."""
    total = int(round(size))
    return 0 if total <= 0 else max(0, max(2, total) - grow)


def matte_with_border(alpha: np.ndarray, size: float, spread: float) -> tuple[np.ndarray, int]:
    """`matte` of a coverage that continues as 1 past its frame (the outside of a layer)."""
    grow = int(round(size * spread))
    n = blur_taps(size, grow)
    pad = grow + n + 1
    a = np.pad(np.asarray(alpha, np.float32), pad, constant_values=1.0)
    return _grow_and_blur(a, grow, n, cv2.BORDER_REPLICATE), pad


GRAY_GROW_MAX = 8  # up to this radius spread grows the matte as a grayscale dilation


def _grow(a: np.ndarray, grow: int, border: int) -> np.ndarray:
    """`a` grown by a disc of radius `grow` with a one-pixel ramp beyond it: the kernel
    w(o) = clamp(grow + 1 - |o|). Up to GRAY_GROW_MAX it is a grayscale dilation, max over o of
    a(p - o) w(o), so antialiased and faint parts of the matte grow at their own alpha (Photoshop's
    spread, SethRobinson/Patchy docs/layer-effects-render.md "Shadows and glows"); beyond, the matte
    is binarised at 1/2 and grown through a distance transform (linear time at any radius), which
    on a hard matte is the same."""
    if grow <= GRAY_GROW_MAX:
        r = grow + 1
        offsets = [(dy, dx) for dy in range(-r, r + 1) for dx in range(-r, r + 1) if dx * dx + dy * dy < r * r]
        core = np.array([[1 if dx * dx + dy * dy <= grow * grow else 0 for dx in range(-grow, grow + 1)]
                         for dy in range(-grow, grow + 1)], np.uint8)
        out = cv2.dilate(a, core, borderType=cv2.BORDER_CONSTANT if border == cv2.BORDER_CONSTANT else border,
                         borderValue=0)
        big = cv2.copyMakeBorder(a, r, r, r, r, border, value=0)
        h, w = a.shape
        for dy, dx in offsets:
            weight = grow + 1 - float(np.hypot(dx, dy))
            if weight >= 1.0 or weight <= 0.0:
                continue  # the core's (done by the dilation) or beyond the ramp
            np.maximum(out, big[r - dy:r - dy + h, r - dx:r - dx + w] * np.float32(weight), out=out)
        return out
    inside = a >= 0.5
    if not inside.any():
        return a
    far = cv2.distanceTransform((~inside).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    return np.maximum(a, np.clip(grow + 1 - far, 0.0, 1.0))


def _grow_and_blur(a: np.ndarray, grow: int, n: int, border: int) -> np.ndarray:
    if grow > 0:
        a = _grow(np.ascontiguousarray(a, np.float32), grow, border)
    if n > 1:
        a = tent_blur(a, n, border)
    return np.clip(a, 0.0, 1.0)


def matte(alpha: np.ndarray, size: float, spread: float, gain: float = 1.0) -> tuple[np.ndarray, int]:
    """The effect's coverage from a layer's coverage `alpha` ((h, w) float32, 0..1): grown solid
    by spread × size, then tent-blurred by the rest of size, then times `gain` (a glow's Range),
    at most 1. Returns the coverage over the input grown by `pad` pixels on every side, and `pad`."""
    grow = int(round(size * spread))
    n = blur_taps(size, grow)
    pad = grow + n + 1
    a = np.pad(np.asarray(alpha, np.float32), pad)
    out = _grow_and_blur(a, grow, n, cv2.BORDER_CONSTANT)
    if gain != 1.0:
        out = np.minimum(out * np.float32(gain), 1.0)
    return out, pad


def draw(effect: OuterEffect, alpha: np.ndarray, origin: tuple[int, int],
         canvas: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]] | None:
    """The effect's coverage ((h, w) uint8) and its canvas offset, cropped to the canvas and to
    what it covers, for a layer whose coverage `alpha` sits at `origin`; None when it covers
    nothing."""
    m, pad = matte(alpha, effect.size, effect.spread, effect.gain)
    x0, y0 = origin[0] - pad + effect.dx, origin[1] - pad + effect.dy
    if effect.knocks_out:  # the layer's own coverage hides the shadow beneath it
        h, w = alpha.shape
        ox, oy = pad - effect.dx, pad - effect.dy  # where the layer sits inside m
        sx0, sy0, sx1, sy1 = max(0, ox), max(0, oy), min(m.shape[1], ox + w), min(m.shape[0], oy + h)
        if sx1 > sx0 and sy1 > sy0:
            m[sy0:sy1, sx0:sx1] *= 1.0 - alpha[sy0 - oy:sy1 - oy, sx0 - ox:sx1 - ox]
    W, H = canvas
    cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(W, x0 + m.shape[1]), min(H, y0 + m.shape[0])
    if cx1 <= cx0 or cy1 <= cy0:
        return None
    m = m[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0]
    cov = np.clip(m * 255 + 0.5, 0, 255).astype(np.uint8)
    ys, xs = np.nonzero(cov)
    if len(xs) == 0:
        return None
    bx0, bx1, by0, by1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    return np.ascontiguousarray(cov[by0:by1, bx0:bx1]), (int(cx0 + bx0), int(cy0 + by0))
