"""A float64 reference compositor written straight from the W3C Compositing and Blending
Level 1 text, sharing no code with editor.render: slow, whole-canvas, obvious.

Conventions it pins down (the same ones editor.render documents):
- a layer is placed at its offset; outside its pixels it is transparent;
- mask: m = data/255, inverted -> 1-m, feathered with a Gaussian of sigma=feather whose
  input repeats the mask's edge pixels, then density d: 1 - d*(1-m); a layer's mask moves
  with it, a fill layer's or group's mask covers the canvas from the origin;
- isolated group: children over transparent, the result drawn with the group's mode,
  opacity and mask; pass-through: children over the backdrop, each child (or clip group)
  with its coverage scaled by the group's mask, i.e. its change to the buffer mixed in by
  the mask (Photoshop attenuates each child in place), then lerp(backdrop, result, opacity);
- clip group: base with its mask at full opacity in normal mode, each clipped layer
  drawn atop with its own mode, opacity and mask, keeping the base's alpha:
  co = cb(1-as) + as*ab*B(Cb, Cs), ao = ab; then the buffer goes on the backdrop with
  the base's mode and opacity.
- colour dodge and burn treat values within 1e-5 of 0 or 1 as on the edge, so float
  rounding cannot flip their jump; so do vivid light, hard mix and divide.
- Blend If (Photoshop's Blending Options): the node's coverage times, for This Layer (its
  own straight colour) and Underlying (the straight colour of the buffer it draws on), for
  each of gray, red, green, blue, a ramp over the 8-bit level v (round(255 x); gray =
  round(0.3 R + 0.59 G + 0.11 B) of the levels): 0 below black lo or above white hi, linear
  from 0 at black lo to 1 at black hi and from 1 at white lo to 0 at white hi, 1 between.
  A pass-through group with Blend If is drawn as an isolated normal group (Photoshop
  isolates it); a clip group uses its base's Blend If, on the group.
- Fill (pixel and fill layers): a second opacity, except in Photoshop's eight special-Fill
  modes below Fill 1 (SethRobinson/Patchy docs/blend-modes.md): there the blend term uses
  the faded kernel at weight as*ab, while the source-only term and the added alpha use as*f:
  co = f as cs (1-ab) + cb ab (1-as) + as ab K_f(Cb, Cs), ao = f as + ab (1 - f as);
  K_f: burns with Cs moved to 1 - f(1-Cs), dodge/add/difference with f Cs, linear/vivid
  light with 1/2 + f(Cs - 1/2), hard mix the ramp clamp((Cb - A)/(1-k)), A = (1-Cs)k
  rounded to a level, k the Fill
  byte (less one from 128) over 255; colour burn and dodge divide on a 256 scale (the
  moved source times 255/256). Fill 0 draws nothing. A clip base's Fill multiplies the
  group's opacity (Photoshop's clip coverage includes it: a Fill 0 base hides its group).
- Knockout (SethRobinson/Patchy docs/blend-modes.md): out = over(node, floor) + (1 - shape)
  (below - floor), shape = alpha x mask x opacity (dithered in dissolve), no Fill; floors:
  at the top level the Background (an opaque, plain bottom layer) or transparency, both
  shallow and deep; a pass-through group gives shallow its backdrop on entry and passes deep
  on; an isolated group's are transparency. A pass-through group knocks out as its isolated
  silhouette in normal mode. Clipped layers and clip bases do not knock out.
- Advanced Blending (Photoshop's Blending Options): Channels keeps the unticked colour
  channels of the buffer, premultiplied, while the node's coverage adds; none ticked: the
  node draws nothing. A clip base with Blend Clipped Layers as Group off draws as any node,
  then each clipped node draws onto the stack in its own mode with its change scaled by the
  base's alpha x mask x opacity (not Fill).
- Photoshop's own modes follow Adobe's definitions (see editor.core.blend); dissolve draws
  as normal with the alpha set to 1 where a hash of the pixel's document position (written
  again here, in plain Python integers) falls below it and to 0 elsewhere.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from editor.core import Adjustment, Document, FillLayer, Group, Layer, Node

EDGE = 1e-5


# --- blend functions B(Cb, Cs), straight colour, last axis RGB ----------------

def multiply(b, s):
    return b * s


def screen(b, s):
    return b + s - b * s


def hard_light(b, s):
    return np.where(s <= 0.5, multiply(b, 2 * s), screen(b, 2 * s - 1))


def overlay(b, s):
    return hard_light(s, b)


def color_dodge(b, s):
    out = np.empty_like(b)
    zero = b <= EDGE
    one = ~zero & (s >= 1 - EDGE)
    rest = ~zero & ~one
    out[zero] = 0
    out[one] = 1
    out[rest] = np.minimum(1, b[rest] / (1 - s[rest]))
    return out


def color_burn(b, s):
    out = np.empty_like(b)
    one = b >= 1 - EDGE
    zero = ~one & (s <= EDGE)
    rest = ~one & ~zero
    out[one] = 1
    out[zero] = 0
    out[rest] = 1 - np.minimum(1, (1 - b[rest]) / s[rest])
    return out


def soft_light(b, s):
    d = np.where(b <= 0.25, ((16 * b - 12) * b + 4) * b, np.sqrt(b))
    low = b - (1 - 2 * s) * b * (1 - b)
    high = b + (2 * s - 1) * (d - b)
    return np.where(s <= 0.5, low, high)


def lum(c):
    return 0.3 * c[..., 0] + 0.59 * c[..., 1] + 0.11 * c[..., 2]


def clip_color(c):
    c = c.copy()
    l = lum(c)
    n = c.min(axis=-1)
    x = c.max(axis=-1)
    for i in range(c.shape[0]):
        if n[i] < 0 and l[i] - n[i] > 0:
            c[i] = l[i] + (c[i] - l[i]) * l[i] / (l[i] - n[i])
        if x[i] > 1 and x[i] - l[i] > 0:
            c[i] = l[i] + (c[i] - l[i]) * (1 - l[i]) / (x[i] - l[i])
    return c


def set_lum(c, l):
    d = l - lum(c)
    return clip_color(c + d[..., None])


def sat(c):
    return c.max(axis=-1) - c.min(axis=-1)


def set_sat(c, s):
    """The spec's Cmax/Cmid/Cmin procedure, pixel by pixel."""
    out = np.zeros_like(c)
    for i in range(c.shape[0]):
        order = np.argsort(c[i], kind="stable")
        lo, mid, hi = order
        if c[i, hi] > c[i, lo]:
            out[i, mid] = (c[i, mid] - c[i, lo]) * s[i] / (c[i, hi] - c[i, lo])
            out[i, hi] = s[i]
        out[i, lo] = 0
    return out


def vivid_light(b, s):
    with np.errstate(divide="ignore", invalid="ignore"):
        burn = 1 - np.minimum(1, (1 - b) / np.maximum(2 * s, EDGE))
        dodge = np.minimum(1, b / np.maximum(2 * (1 - s), EDGE))
    out = np.where(s <= 0.5, burn, dodge)
    out[s <= EDGE] = 0
    out[s >= 1 - EDGE] = 1
    return out


def pin_light(b, s):
    return np.where(s <= 0.5, np.minimum(b, 2 * s), np.maximum(b, 2 * s - 1))


def hard_mix(b, s):
    total = b + s
    return ((total > 1 + EDGE) | ((total >= 1 - EDGE) & (b > 0.5))).astype(np.float64)


def divide(b, s):
    out = np.empty_like(b)
    zero = b <= EDGE
    one = ~zero & (s <= EDGE)
    rest = ~zero & ~one
    out[zero] = 0
    out[one] = 1
    out[rest] = np.minimum(1, b[rest] / s[rest])
    return out


def luma(c):
    """Photoshop's darker / lighter colour luminosity: of the 8-bit levels, rounded to a level."""
    v = np.floor(np.clip(c, 0, 1) * 255 + 0.5)
    return np.floor((30 * v[..., 0] + 59 * v[..., 1] + 11 * v[..., 2] + 50) / 100)


def pick_by_lum(b, s, darker):
    ls, lb = luma(s), luma(b)
    take = (ls < lb) if darker else (ls > lb)
    return np.where(take[:, None], s, b)


def dissolve_noise(H, W):
    """Photoshop-style dissolve threshold per canvas pixel: lowbias32 of the row, xor the
    column, lowbias32 again, top 24 bits."""
    def mix(v):
        v ^= v >> 16
        v = (v * 0x7FEB352D) & 0xFFFFFFFF
        v ^= v >> 15
        v = (v * 0x846CA68B) & 0xFFFFFFFF
        v ^= v >> 16
        return v

    out = np.empty((H, W))
    for y in range(H):
        row = mix((y * 0x9E3779B1 + 0x7F4A7C15) & 0xFFFFFFFF)
        for x in range(W):
            out[y, x] = (mix(row ^ x) >> 8) / float(1 << 24)
    return out


SEPARABLE = {
    "normal": lambda b, s: s,
    "multiply": multiply,
    "screen": screen,
    "overlay": overlay,
    "darken": np.minimum,
    "lighten": np.maximum,
    "color-dodge": color_dodge,
    "color-burn": color_burn,
    "hard-light": hard_light,
    "soft-light": soft_light,
    "difference": lambda b, s: np.abs(b - s),
    "exclusion": lambda b, s: b + s - 2 * b * s,
    "add": lambda b, s: np.minimum(1, b + s),
    "dissolve": lambda b, s: s,
    "linear-burn": lambda b, s: np.maximum(0, b + s - 1),
    "linear-light": lambda b, s: np.clip(b + 2 * s - 256 / 255, 0, 1),  # Photoshop's d + 2s - 256
    "vivid-light": vivid_light,
    "pin-light": pin_light,
    "hard-mix": hard_mix,
    "subtract": lambda b, s: np.maximum(0, b - s),
    "divide": divide,
}

NON_SEPARABLE = {
    "hue": lambda b, s: set_lum(set_sat(s, sat(b)), lum(b)),
    "saturation": lambda b, s: set_lum(set_sat(b, sat(s)), lum(b)),
    "color": lambda b, s: set_lum(s, lum(b)),
    "luminosity": lambda b, s: set_lum(b, lum(s)),
    "darker-color": lambda b, s: pick_by_lum(b, s, True),
    "lighter-color": lambda b, s: pick_by_lum(b, s, False),
}


SPECIAL_FILL = {"color-burn", "linear-burn", "color-dodge", "add", "vivid-light", "linear-light", "hard-mix",
                "difference"}


def faded_blend(mode: str, cb, cs, f: float):
    """K_f(Cb, Cs) of a special-Fill mode at Fill f < 1."""
    if mode == "hard-mix":
        fb = math.floor(f * 255 + 0.5)
        k = (fb - 1 if fb >= 128 else fb) / 255
        anchor = np.floor((1 - cs) * k * 255 + 0.5) / 255  # in whole levels
        return cb.copy() if k <= 0 else np.clip((cb - anchor) / (1 - k), 0, 1)
    moved = {"color-burn": 1 - f * (1 - cs), "linear-burn": 1 - f * (1 - cs),
             "vivid-light": 0.5 + f * (cs - 0.5), "linear-light": 0.5 + f * (cs - 0.5)}.get(mode, f * cs)
    if mode in ("color-burn", "color-dodge"):  # these divide on a 256 scale
        moved = moved * 255 / 256
    return blend(mode, cb, moved)


def blend(mode: str, cb: np.ndarray, cs: np.ndarray) -> np.ndarray:
    if mode in SEPARABLE:
        return SEPARABLE[mode](cb, cs)
    shape = cb.shape
    return NON_SEPARABLE[mode](cb.reshape(-1, 3), cs.reshape(-1, 3)).reshape(shape)


# --- compositing -----------------------------------------------------------------

def straight(premultiplied):
    a = premultiplied[..., 3:4]
    c = np.divide(premultiplied[..., :3], a, out=np.zeros_like(premultiplied[..., :3]), where=a > 0)
    return np.clip(c, 0, 1), premultiplied[..., 3]


def dissolved(a_s, mode):
    if mode != "dissolve":
        return a_s
    return (dissolve_noise(*a_s.shape) < a_s).astype(np.float64)


def source_over(backdrop, cs, a_s, mode, fill=1.0):
    """W3C general formula: co = cs(1-ab) + cb(1-as) + as*ab*B(Cb,Cs); ao = as + ab(1-as)
    (with a special-Fill mode's Fill f < 1 as the module's docstring says)."""
    cb, ab = straight(backdrop)
    a_s = dissolved(a_s, mode)
    out = np.empty_like(backdrop)
    a = a_s[..., None]
    b = ab[..., None]
    mixed = faded_blend(mode, cb, cs, fill) if fill < 1 else blend(mode, cb, cs)
    out[..., :3] = fill * a * cs * (1 - b) + backdrop[..., :3] * (1 - a) + a * b * mixed
    out[..., 3] = fill * a_s + ab * (1 - fill * a_s)
    return out


def source_atop(backdrop, cs, a_s, mode, fill=1.0):
    cb, ab = straight(backdrop)
    a_s = dissolved(a_s, mode)
    out = backdrop.copy()
    a = a_s[..., None]
    mixed = faded_blend(mode, cb, cs, fill) if fill < 1 else blend(mode, cb, cs)
    out[..., :3] = backdrop[..., :3] * (1 - a) + a * ab[..., None] * mixed
    return out


def fill_of(node: Node) -> float:
    return node.fill if isinstance(node, Layer | FillLayer) else 1.0


def levels(c):
    """(..., 4) 8-bit levels of gray, R, G, B of straight colour c (Photoshop's Composite Gray)."""
    rgb = np.floor(np.clip(c, 0, 1) * 255 + 0.5)
    gray = np.floor((299 * rgb[..., 0] + 590 * rgb[..., 1] + 111 * rgb[..., 2] + 500) / 1000)
    return np.concatenate([gray[..., None], rgb], axis=-1)


def ramp_weight(v, b0, b1, w0, w1):
    """Photoshop's inclusive feather (SethRobinson/Patchy docs/layer-effects-render.md)."""
    out = np.ones(v.shape)
    for i, x in np.ndenumerate(v):
        if x < b0 or x > w1:
            out[i] = 0.0
        elif x < b1:
            out[i] = (x - b0 + 1) / (b1 - b0 + 1)
        elif x > w0:
            out[i] = (w1 - x + 1) / (w1 - w0 + 1)
    return out


def blend_if_weight(node: Node, this, underlying, under_alpha=None):
    """1 where the node has no Blend If; else the product of its eight ramps, the Underlying
    four weighing (1 - alpha) + alpha x gate where the backdrop has alpha `under_alpha`."""
    weight = np.ones(this.shape[:-1])
    if node.blend_if is None:
        return weight
    for which, (ranges, colour) in enumerate(((node.blend_if.this, this), (node.blend_if.underlying, underlying))):
        lv = levels(colour)
        gate = np.ones(this.shape[:-1])
        for ch, r in enumerate(ranges):
            gate = gate * ramp_weight(lv[..., ch], *r)
        if which == 1 and under_alpha is not None:
            gate = (1 - under_alpha) + under_alpha * gate
        weight = weight * gate
    return weight


def effective_mask(node: Node, doc: Document) -> np.ndarray:
    """Canvas-sized effective mask (1 where the node has none)."""
    H, W = doc.height, doc.width
    m = node.mask
    if m is None or not m.enabled:
        return np.ones((H, W))
    data = m.data.astype(np.float64) / 255
    if m.inverted:
        data = 1 - data
    if m.feather > 0:
        r = max(1, math.ceil(3 * m.feather))
        padded = np.pad(data, r, mode="edge")
        data = cv2.GaussianBlur(padded, (2 * r + 1, 2 * r + 1), m.feather, borderType=cv2.BORDER_REPLICATE)[r:-r, r:-r]
    data = 1 - m.density * (1 - data)
    ox, oy = node.offset
    return place(data, ox, oy, H, W, fill=1.0)


def place(data, ox, oy, H, W, fill=0.0):
    """A (h, w, ...) array put on a canvas of H x W at (ox, oy), `fill` elsewhere."""
    out = np.full((H, W) + data.shape[2:], fill, dtype=np.float64)
    h, w = data.shape[:2]
    x0, y0, x1, y1 = max(ox, 0), max(oy, 0), min(ox + w, W), min(oy + h, H)
    if x0 < x1 and y0 < y1:
        out[y0:y1, x0:x1] = data[y0 - oy : y1 - oy, x0 - ox : x1 - ox]
    return out


def content(node: Node, doc: Document):
    """(straight colour, alpha) of a node on the canvas, before its opacity and mask."""
    H, W = doc.height, doc.width
    if isinstance(node, Layer):
        px = place(node.pixels.astype(np.float64) / 255, node.x, node.y, H, W)
        return px[..., :3], px[..., 3]
    if isinstance(node, FillLayer):
        color = np.array(node.color, dtype=np.float64) / 255
        return np.broadcast_to(color[:3], (H, W, 3)).copy(), np.full((H, W), color[3])
    assert isinstance(node, Group)
    buf = composite_children(node.children, np.zeros((H, W, 4)), doc)
    return straight(buf)


def draw(node: Node, backdrop, doc: Document, *, atop=False, floors=(None, None), knockout=True):
    pass_through = isinstance(node, Group) and not node.isolated
    has_blend_if = node.blend_if is not None and not node.blend_if.is_identity()
    if knockout and not atop and node.knockout != "none":
        return knocked_out(node, backdrop, doc, floors)
    if pass_through and not atop and not has_blend_if:
        result = composite_children(node.children, backdrop.copy(), doc, effective_mask(node, doc),
                                    floors=(backdrop, floors[1]))
        t = node.opacity
        return backdrop * (1 - t) + result * t
    cs, a = content(node, doc)
    a = a * node.opacity * effective_mask(node, doc) * blend_if_weight(node, cs, *straight(backdrop))
    mode, fill = "normal" if pass_through and not atop else str(node.blend_mode), fill_of(node)
    if fill <= 0:
        return backdrop
    if mode not in SPECIAL_FILL or fill >= 1:
        a, fill = a * fill, 1.0
    return (source_atop if atop else source_over)(backdrop, cs, a, mode, fill)


def knocked_out(node: Node, below, doc: Document, floors):
    """Knockout: over the floor within the node's shape (alpha x mask x opacity, no Fill), the
    stack below outside it: over(node, floor) + (1 - shape)(below - floor), premultiplied."""
    floor = floors[1 if node.knockout == "deep" else 0]
    if floor is None:
        floor = np.zeros_like(below)
    elif isinstance(floor, Node):
        floor = draw(floor, np.zeros_like(below), doc)
    _, alpha = content(node, doc)
    mode = "normal" if isinstance(node, Group) and not node.isolated else str(node.blend_mode)
    shape = dissolved(alpha * node.opacity * effective_mask(node, doc), mode)[..., None]
    if isinstance(node, Group) and not node.isolated:  # its children's silhouette, as one source
        cs, a = content(node, doc)
        weight = node.opacity * effective_mask(node, doc) * blend_if_weight(node, cs, *straight(floor))
        painted = source_over(floor, cs, a * weight, "normal")
    else:
        painted = draw(node, floor, doc, knockout=False)
    return painted + (1 - shape) * (below - floor)


def background(doc: Document):
    """Photoshop's Background, as Veil guesses it: the bottom node if it is a plain normal layer
    (visible, full opacity and Fill, no mask, Blend If or knockout) opaque over the canvas."""
    if not doc.root.children:
        return None
    node = doc.root.children[0]
    if not isinstance(node, Layer) or not node.visible or node.clipped or str(node.blend_mode) != "normal":
        return None
    if node.opacity < 1 or node.fill < 1 or node.blend_if is not None or node.knockout != "none":
        return None
    if node.mask is not None and node.mask.enabled:
        return None
    _, alpha = content(node, doc)
    return node if (alpha == 1).all() else None


def composite_children(children, backdrop, doc: Document, attenuate=None, floors=(None, None)):
    """`children` over `backdrop`; with `attenuate` (a canvas-sized mask), each node or clip
    group is drawn with its coverage scaled by it: its change mixed in by the mask. `floors`:
    what a shallow and a deep knockout cut down to (None: transparency)."""
    if attenuate is not None:
        m = attenuate[..., None]
        buf = backdrop
        for unit in clip_units(children):
            buf = buf + m * (composite_children(unit, buf, doc, floors=floors) - buf)
        return buf
    buf = backdrop
    for i, node in enumerate(children):
        if not node.visible:
            continue
        base = None
        if node.clipped:
            below = [c for c in children[:i] if not c.clipped]
            base = below[-1] if below else None
        if base is not None:
            continue  # drawn with its base
        followers = []
        for c in children[i + 1 :]:
            if not c.clipped:
                break
            if c.visible:
                followers.append(c)
        if node.clipped or not followers:
            buf = restricted(node, buf, draw(node, buf, doc, floors=floors))
            continue
        if not node.clip_group_blend and not isinstance(node, Adjustment):
            # Blend Clipped Layers as Group off: each clipped node over the stack in its own
            # mode, its change scaled by the base's shape (alpha x mask x opacity, no Fill).
            _, a = content(node, doc)
            shape = (a * effective_mask(node, doc) * node.opacity)[..., None]
            buf = restricted(node, buf, draw(node, buf, doc, floors=floors))
            for c in followers:
                buf = buf + shape * (restricted(c, buf, draw(c, buf, doc, floors=floors)) - buf)
            continue
        # Clip group: an isolated buffer holding the base, then the clipped layers atop.
        cs, a = content(node, doc)
        group = source_over(np.zeros_like(buf), cs, a * effective_mask(node, doc), "normal")
        for c in followers:
            group = draw(c, group, doc, atop=True)
        gc, ga = straight(group)
        weight = node.opacity * fill_of(node) * blend_if_weight(node, gc, *straight(buf))
        buf = restricted(node, buf, source_over(buf, gc, ga * weight, str(node.blend_mode)))
    return buf


def restricted(node: Node, before, after):
    """Advanced Blending Channels: the unticked colour channels of `after` keep `before`'s
    premultiplied values; with none ticked the node changes nothing."""
    if not node.channels:
        return before
    out = after.copy()
    for c, letter in enumerate("rgb"):
        if letter not in node.channels:
            out[..., c] = before[..., c]
    return out


def clip_units(children):
    """`children` cut into runs of a base and the clipped nodes above it; a clipped node with
    no base below it is a run of its own."""
    units = []
    for node in children:
        if node.clipped and units and not units[-1][0].clipped:
            units[-1].append(node)
        else:
            units.append([node])
    return units


def reference_render(doc: Document) -> np.ndarray:
    """The canvas as float64 premultiplied RGBA."""
    bg = background(doc)
    return composite_children(doc.root.children, np.zeros((doc.height, doc.width, 4)), doc, floors=(bg, bg))


def reference_bgra(doc: Document) -> np.ndarray:
    """The reference, as premultiplied BGRA floats in 0..255 (to compare with render())."""
    rgba = reference_render(doc) * 255
    return rgba[..., [2, 1, 0, 3]]
