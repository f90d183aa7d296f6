"""Photoshop documents read through psd-tools, and the blend-mode and Blend If mappings the
writer (editor/io/psd_write.py) shares."""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.api import pil_io
from psd_tools.api.utils import get_color_channels
from psd_tools.composite import paint, vector
from psd_tools.composite import utils as psd_utils
from psd_tools.composite.composite import Compositor, _OuterEffect, paste
from psd_tools.composite.effects import draw_stroke_effect_split, stroke_bbox
from psd_tools.composite.widen import make_widen
from psd_tools.constants import BlendMode as PsdBlend
from psd_tools.constants import ColorMode, Resource, Tag
from psd_tools.psd.descriptor import Descriptor
from psd_tools.psd.layer_and_mask import LayerBlendingRanges

from editor.core import (
    BlendIf,
    BlendMode,
    Document,
    FillLayer,
    GradientFillLayer,
    Group,
    Layer,
    Mask,
    Node,
    Rect,
)
from editor.core.blendif import FULL
from editor.core.paths import Anchor, VectorPath
from editor.render import blendmath, render_float
from editor.render import kinds as render_kinds

from . import psd_adjust, psd_bevel, psd_effects, psd_gradient, psd_inks, psd_overlay, psd_stroke
from .errors import FileFormatError, Limits
from .images import check_pixel_limit
from .psd_pattern import pattern_overlay

_PSD_NAMES = {BlendMode.ADD: PsdBlend.LINEAR_DODGE} | {
    mode: PsdBlend[mode.name] for mode in BlendMode if mode is not BlendMode.ADD
}
_PSD_READ = {psd: mode for mode, psd in _PSD_NAMES.items()}


def psd_blend(mode: BlendMode) -> PsdBlend:
    return _PSD_NAMES[mode]


def blend_from_psd(mode: PsdBlend) -> BlendMode | None:
    return _PSD_READ.get(mode)


# --- reading -------------------------------------------------------------------

def _range_from_psd(pair) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    """A layer record's (source, destination) pair of a channel: each a black and a white uint16,
    every one the two 8-bit handles (lo in the high byte), as psd-tools reads them."""
    out = []
    for black, white in pair:
        values = sorted((black >> 8, black & 0xFF, white >> 8, white & 0xFF))  # crossed handles: in order
        out.append(tuple(values))
    return out[0], out[1]  # type: ignore[return-value]


def blend_if_from_psd(ranges: LayerBlendingRanges | None) -> BlendIf | None:
    """Photoshop's Blend If from a layer record's blending ranges (gray, then R, G, B)."""
    if ranges is None or ranges.composite_ranges is None:
        return None
    pairs = [ranges.composite_ranges, *(ranges.channel_ranges or [])[:3]]
    this, under = [FULL] * 4, [FULL] * 4
    for ch, pair in enumerate(pairs):
        if len(pair) == 2:
            this[ch], under[ch] = _range_from_psd(pair)
    blend_if = BlendIf(this=tuple(this), underlying=tuple(under))
    return None if blend_if.is_identity() else blend_if


def blend_if_to_psd(blend_if: BlendIf, channels: int = 4) -> LayerBlendingRanges:
    """The layer record's blending ranges for `blend_if` (channel ranges past blue stay full)."""
    def pair(src, dst):
        return [((src[0] << 8) | src[1], (src[2] << 8) | src[3]), ((dst[0] << 8) | dst[1], (dst[2] << 8) | dst[3])]

    channel_ranges = [pair(blend_if.this[ch], blend_if.underlying[ch]) for ch in (1, 2, 3)]
    channel_ranges += [pair(FULL, FULL) for _ in range(max(0, channels - 3))]
    return LayerBlendingRanges(composite_ranges=pair(blend_if.this[0], blend_if.underlying[0]),
                               channel_ranges=channel_ranges)


def psd_header_size(data: bytes, path: str | Path) -> tuple[int, int]:
    """(width, height) from the 26-byte header, before psd-tools parses anything."""
    if len(data) < 26 or not data.startswith(b"8BPS"):
        raise FileFormatError(path, "it is not a Photoshop file (no 8BPS header)")
    version, = struct.unpack(">H", data[4:6])
    if version not in (1, 2):
        raise FileFormatError(path, f"unknown PSD version {version}")
    height, width = struct.unpack(">II", data[14:22])
    return width, height


def check_complete(data: bytes, path: str | Path) -> None:
    """Walk the section lengths; psd-tools silently accepts a file cut inside its merged image."""
    version, channels, height, width, depth = struct.unpack(">HxxxxxxHIIH", data[4:24])
    big = version == 2
    pos = 26
    for length_size in (4, 4, 8 if big else 4):  # colour mode data, image resources, layers and masks
        if pos + length_size > len(data):
            raise FileFormatError(path, "the file is truncated")
        length = int.from_bytes(data[pos:pos + length_size], "big")
        pos += length_size + length
    if pos + 2 > len(data):
        raise FileFormatError(path, f"the file is truncated ({len(data)} bytes, sections need {pos + 2})")
    compression = int.from_bytes(data[pos:pos + 2], "big")
    pos += 2
    rows = channels * height
    if compression == 0:
        pos += rows * ((width * depth + 7) // 8)
    elif compression == 1:
        count_size = 4 if big else 2
        table = data[pos:pos + rows * count_size]
        if len(table) < rows * count_size:
            raise FileFormatError(path, "the file is truncated inside its merged image")
        fmt = ">" + ("I" if big else "H") * rows
        pos += rows * count_size + sum(struct.unpack(fmt, table))
    if pos > len(data):
        raise FileFormatError(path, f"the file is truncated ({len(data)} bytes of {pos})")



_MODE_NAMES = {ColorMode.GRAYSCALE: "Grayscale", ColorMode.CMYK: "CMYK", ColorMode.LAB: "Lab",
               ColorMode.INDEXED: "Indexed-colour", ColorMode.DUOTONE: "Duotone", ColorMode.BITMAP: "Bitmap",
               ColorMode.MULTICHANNEL: "Multichannel"}
_KIND_NAMES = {"type": "type layer", "shape": "shape layer", "smartobject": "smart object",
               "solidcolorfill": "colour fill layer", "gradientfill": "gradient fill layer",
               "patternfill": "pattern fill layer", "pixel": "layer"}


def _lab_to_srgb(im: Image.Image) -> Image.Image:
    """A Lab image (alpha, if psd-tools gave one, kept) as sRGB through LittleCMS."""
    from PIL import ImageCms

    bands = im.split()
    lab = Image.merge("LAB", bands[:3])
    transform = ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB")
    rgb = ImageCms.applyTransform(lab, transform)
    if len(bands) > 3:
        rgb.putalpha(bands[3])
    return rgb


def _multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two uint8 masks combined as Photoshop combines a layer's pixel and vector masks."""
    return ((a.astype(np.uint16) * b + 127) // 255).astype(np.uint8)


def _solid_shape(item) -> bool:
    """A shape filled with one colour, no stroke, and a vector mask to draw it by."""
    if Tag.SOLID_COLOR_SHEET_SETTING not in item.tagged_blocks or not item.has_vector_mask():
        return False
    stroke = item.stroke if item.has_stroke() else None
    return stroke is None or not stroke.enabled


def _mask_visible_bounds(item) -> Rect | None:
    """What Photoshop aligns a fill layer's gradient with when it has no vector mask and its
    user mask hides the canvas outside its rectangle (default colour 0): the bounds of what the
    mask shows (`psd_gradient.visible_bounds`). None otherwise."""
    if item.has_vector_mask() or not item.has_mask() or item.mask.background_color != 0:
        return None
    try:
        im = item.mask.topil()
    except Exception:
        return None
    if im is None:
        return None
    return psd_gradient.visible_bounds(np.asarray(im.convert("L")), item.mask.left, item.mask.top)


def _vector_applies(item) -> bool:
    """Whether a layer's stored pixels still need its vector mask (psd-tools' reading of how
    Photoshop writes them: a layer with pixels and a vector mask has the vector mask rasterised
    into its stored pixels or its real mask, except a pixel layer whose mask record has no real mask)."""
    vmask = item.vector_mask if item.has_vector_mask() else None
    if vmask is None or vmask.disabled:
        return False
    if not item.has_pixels():
        return True
    return (not psd_utils.has_fill(item) and item.mask is not None and not item.mask.has_real())


def _mask_linked(pmask, vmask) -> bool:
    """The chain between layer and mask. Photoshop keeps it in mask flag bit 0, which the spec
    calls "position relative to layer": set means unlinked (found by saving two files that
    differ only in the chain; psd-tools, Krita and GIMP write 0, so their masks stay linked).
    With both a pixel and a vector mask the pixel mask's own flags are the "real" ones; a
    vector mask alone keeps its link in its own block ('vmsk' flag "not linked")."""
    if pmask is not None:
        flags = pmask.real_flags if pmask.real_flags is not None else pmask.flags
        return not flags.pos_relative_to_layer
    return vmask is None or not vmask.not_linked


def _mask_repeats_vector(item) -> bool:
    """A shape or fill layer whose pixel mask is its stored shape again (Photoshop writes the
    rasterised path there): multiplying it with the path would square the edge."""
    pmask = item.mask
    if pmask is None or not item.has_pixels() or pmask.real_flags is not None or pmask.bbox != item.bbox:
        return False
    stored, shape = item.numpy("mask", real_mask=True), item.numpy("shape")
    return stored is not None and shape is not None and stored.shape == shape.shape and \
        bool(np.array_equal(stored, shape))


def _mask_hides_effects(item) -> bool:
    """Photoshop's Layer Mask Hides Effects ('lmgm') on a layer Veil can show it for: an enabled
    layer mask and no vector mask. Photoshop then strokes and shadows the layer's unmasked shape
    and hides the effects' output by the mask (SethRobinson/Patchy docs/ps-compat.md, COM-probed);
    off, the mask reshapes the effects' source instead, as psd-tools draws it."""
    if not item.tagged_blocks.get_data(Tag.LAYER_MASK_AS_GLOBAL_MASK, 0):
        return False
    if not item.has_mask() or item.mask.disabled:
        return False
    vmask = item.vector_mask if item.has_vector_mask() else None
    return vmask is None or vmask.disabled


def _count_layers(psd: PSDImage) -> int:
    """Every layer and group, walked without recursion (psd-tools' descendants() nests a
    generator a level, which a deeply nested file turns into a RecursionError)."""
    count, groups = 0, [psd]
    while groups:
        for item in groups.pop():
            count += 1
            if item.is_group():
                groups.append(item)
    return count


class _OneLayerCompositor(Compositor):
    """psd-tools' compositor drawing one layer at full opacity (Veil keeps the opacity live),
    and at full fill opacity too when not `fill` (the matte of its outer effects)."""

    def __init__(self, target, *args, fill: bool = True, unmasked: bool = False, overlays=None, interior=None,
                 stroke_paint=None, **kw) -> None:
        super().__init__(*args, **kw)
        self._target = target
        self._fill = fill
        self._unmasked = unmasked  # drawn without its layer mask (Layer Mask Hides Effects: Veil applies it after)
        # overlays(kind, viewport): Veil's drawing of the target's overlays of that kind, as
        # [(colour, coverage, psd-tools blend mode, opacity 0..1)], or None to let psd-tools draw them;
        # interior(viewport): its satin, inner glows and inner shadows in the same form, over the overlays
        self._overlays = overlays
        self._interior = interior
        # stroke_paint(effect)(box, traced): Veil's paint of a gradient stroke over psd-tools' stroke box,
        # (colour (h, w, 3), opacity (h, w, 1)), or None to let psd-tools paint it
        self._stroke_paint = stroke_paint

    def _get_mask(self, layer, *args, **kw):
        if self._unmasked and layer is self._target:
            return 1.0
        return super()._get_mask(layer, *args, **kw)

    def _get_const(self, layer):
        fill, opacity = super()._get_const(layer)
        if layer is not self._target:
            return fill, opacity
        return (fill if self._fill else 1.0), 1.0

    def _add_overlay(self, layer, effect_name, canvas):
        # psd-tools draws a layer's overlays colour, pattern, gradient; Photoshop stacks them
        # pattern, gradient, then colour on top (SethRobinson/Patchy docs/layer-effects-render.md
        # "Pattern Overlay", pinned by pairwise probes). The first call draws all three in that order,
        # Veil's own where it draws them: into psd-tools' effect canvas, which folds an overlay into
        # the layer's colour inside its shape, under its stroke and unfaded by Fill, as Photoshop does.
        if getattr(self, "_overlaid", None) is canvas:
            return
        self._overlaid = canvas
        for name in _PHOTOSHOP_OVERLAY_ORDER:
            drawn = self._overlays(name, self._viewport) if self._overlays and layer is self._target else None
            if drawn is None:
                super()._add_overlay(layer, name, canvas)
                continue
            for colour, coverage, mode, opacity in drawn:
                canvas.over(coverage, colour, mode, opacity)
        if self._interior is not None and layer is self._target:  # over the overlays, under the stroke
            for colour, coverage, mode, opacity in self._interior(self._viewport):
                canvas.over(coverage, colour, mode, opacity)

    def _add_stroke_effects(self, layer, shape, canvas, outer, traces_mask):
        # Photoshop's Overprint off (its default) knocks the layer out under the band at the band's
        # full coverage whatever the stroke's opacity, interior effects included, and the stroke
        # shows over what lies below (SethRobinson/Patchy docs/layer-effects-render.md "Overprint band
        # knockout"); psd-tools blends the band over the layer, as Overprint on does.
        strokes = [e for e in psd_effects.enabled_effects(layer) if psd_effects.effect_kind(e) == "stroke"] \
            if layer is self._target and layer.has_effects() else []
        if strokes and not any(_overprints(e) for e in strokes):
            canvas = _KnockoutCanvas(canvas)
        paints = [self._stroke_paint(e) for e in strokes] if self._stroke_paint else []
        if not any(p is not None for p in paints):
            super()._add_stroke_effects(layer, shape, canvas, outer, traces_mask)
            return
        if not isinstance(shape, np.ndarray):
            shape = np.broadcast_to(np.float32(shape), (self.height, self.width, 1))
        for effect, paint_of in zip(strokes, paints, strict=True):  # psd-tools' loop, with Veil's paint
            try:
                bbox = stroke_bbox(layer.bbox, effect.descriptor, layer._psd._max_alloc_bytes)
                if bbox[0] >= bbox[2] or bbox[1] >= bbox[3]:
                    continue
                traced = self._trace_shape(layer, bbox, shape, traces_mask)
                color, band, inside = draw_stroke_effect_split(bbox, traced, effect.descriptor, layer._psd)
                fade: float | np.ndarray = 1.0
                if paint_of is not None:
                    color, fade = paint_of(bbox, traced)
                    fade = paste(self._viewport, bbox, fade)
                opacity = effect.opacity / 100.0
                mode = effect.blend_mode
            except (AttributeError, KeyError, OverflowError, TypeError, ValueError, ZeroDivisionError):
                continue  # an unreadable stroke: psd-tools leaves it out too
            color, band, inside = (paste(self._viewport, bbox, a) for a in (color, band, inside))
            overlap = np.minimum(inside, canvas.region)
            canvas.over(canvas.within(overlap), color, mode, opacity * fade)
            beside = np.minimum(band - overlap, 1.0 - canvas.region)
            if beside.any():
                outer.append(_OuterEffect(color, beside, opacity * canvas.opacity * fade, mode))


def _overprints(stroke) -> bool:
    try:
        return bool(stroke.overprint)
    except Exception:  # an unreadable flag: Photoshop's default, off
        return False


class _KnockoutCanvas:
    """psd-tools' effect canvas as a stroke with Overprint off paints it: a Normal band of coverage
    k and opacity o leaves the layer (1 - k) of itself and adds the stroke at k x o, so a 50 % band
    shows half the stroke over what is below the layer. Other modes blend with the backdrop in
    Photoshop, which a layer drawn alone cannot; they keep psd-tools' blend over the layer."""

    def __init__(self, canvas) -> None:
        self._canvas = canvas

    def __getattr__(self, name: str):
        return getattr(self._canvas, name)

    def over(self, coverage, color, blend_mode, opacity) -> None:
        c = self._canvas
        if blend_mode != PsdBlend.NORMAL or not coverage.any():
            c.over(coverage, color, blend_mode, opacity)
            return
        try:
            c._start()
            color = c._compositor._fit_source(color)
            k = np.clip(coverage, 0.0, 1.0)
            premultiplied = (1.0 - k) * c._premultiplied + k * opacity * color
            alpha = (1.0 - k) * c._alpha + k * opacity
            shape = psd_utils.union(c._shape, coverage)
        except AttributeError:  # a psd-tools whose canvas is built otherwise: its own blend
            c.over(coverage, color, blend_mode, opacity)
            return
        c._premultiplied, c._alpha, c._shape = premultiplied, alpha, shape


_PHOTOSHOP_OVERLAY_ORDER = ("patternoverlay", "gradientoverlay", "coloroverlay")  # lowest first
_MAX_STROKE_REACH = 252  # px past the canvas a stroke can show from: Photoshop's 250 px widest, and its edge
# What Veil draws of a group's interior effects, as layers over its content (`group_interior`).
_GROUP_INTERIOR = frozenset({"patternoverlay", "gradientoverlay", "coloroverlay", *psd_effects.INNER})


def _number_or(value, default: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if np.isfinite(v) else default


def _composite_inside(cb: np.ndarray, ab: np.ndarray, k: np.ndarray, shape: np.ndarray, colour: np.ndarray,
                      mode: BlendMode) -> tuple[np.ndarray, np.ndarray]:
    """An interior effect: `colour` at coverage `k` ((h, w), already weighted by the layer's shape
    `shape`) over straight colour `cb` and alpha `ab` ((h, w, 1)) in `mode`, inside the shape.

    The W3C source-over with blending (Compositing Level 1, 5.3) runs on the shape's interior,
    where the layer's alpha is ab / shape and the effect's k / shape, and the result is scaled
    back by the shape; what lies outside the shape (a stroke) is kept. So an opaque layer keeps
    its alpha, anti-aliased edges too (Photoshop folds interior effects into the layer's colour),
    and a Fill 0 layer shows the effect at its own coverage. Only the pixels the colour covers are
    worked (a bevel's or a glow's band is a thin ring)."""
    where = (k > 0) & (shape > 0)
    if not where.any():
        return cb, ab
    s = shape[where][:, None]
    kk = np.clip(k[where][:, None] / s, 0.0, 1.0)
    b, a = cb[where], ab[where]
    a_in = np.clip(a / s, 0.0, 1.0)
    cs = np.broadcast_to(np.asarray(colour, cb.dtype), b.shape)
    mixed = blendmath.blend(mode, b, cs)
    ao_in = kk + a_in * (1 - kk)
    co_in = (1 - a_in) * kk * cs + a_in * kk * mixed + (1 - kk) * a_in * b  # premultiplied, interior
    outside = np.maximum(a - s * a_in, 0.0)  # the alpha the layer has beyond its shape (its stroke)
    ao = outside + s * ao_in
    co = outside * b + s * co_in
    cb, ab = cb.copy(), ab.copy()
    cb[where] = np.where(ao > 0, co / np.maximum(ao, 1e-12), b)
    ab[where] = ao
    return cb, ab


class _Mode:
    """A psd-tools blend mode where `_PsdReader.blend` reads a layer's."""

    def __init__(self, mode) -> None:
        self.blend_mode = mode


class _EffectBlend:
    """An effect's blend mode and name where `_PsdReader.blend` reads a layer's."""

    def __init__(self, effect) -> None:
        try:
            self.blend_mode = effect.blend_mode
        except Exception:  # an unreadable mode: Photoshop's default for shadows is Multiply, but Normal is safe
            self.blend_mode = PsdBlend.NORMAL


# Photoshop's Knockout ('knko' block, one byte) as Veil's Node.knockout; unknown values: none.
_KNOCKOUTS = {0: "none", 1: "shallow", 2: "deep"}
KNOCKOUT_BYTES = {name: value for value, name in _KNOCKOUTS.items()}

# Fill layers whose content is a descriptor; solid colours and gradients stay live in Veil.
_FILL_KINDS = ("solidcolorfill", "gradientfill", "patternfill")


class _PsdReader:
    """Turns a psd-tools document into Veil nodes.

    Each psd-tools kind has a method: groups (`group`, artboards too), pixel layers
    (`pixel_layer`), fill and shape layers (`fill_layer`), gradient fills (`gradient_fill_layer`,
    editor/io/psd_gradient.py), and whatever Veil keeps only as pixels (`rasterised`: layer
    effects, pattern fills, noise or unreadable gradients, stroked shapes; the drop
    shadows and outer glows psd-tools does not draw become layers below, `outer_effect_layers`),
    through psd-tools' own per-layer compositing. `common` applies what every node shares.
    """

    def __init__(self, psd: PSDImage, path: str | Path, limits: Limits,
                 progress: Callable[[float], None] = lambda fraction: None) -> None:
        self.psd, self.path, self.limits = psd, path, limits
        self.progress = progress
        self.layers_total = max(1, _count_layers(psd))
        self.layers_read = 0
        self.warnings: list[str] = []
        self.paths: list[VectorPath] = []
        self.last_drawn = None  # (item, viewport, coverage) of the last layer psd-tools drew at full fill
        self.bevel_below: tuple[object, list[Layer]] | None = None  # (item, its outer bevel layers)
        self.global_altitude = _number_or(psd.image_resources.get_data(Resource.GLOBAL_ALTITUDE, 30), 30.0)
        self.pixels = 0
        self.canvas = (0, 0, psd.width, psd.height)
        self.eight_bit_rgb = psd.color_mode == ColorMode.RGB and psd.depth == 8
        self.icc = psd.image_resources.get_data(Resource.ICC_PROFILE) if Resource.ICC_PROFILE in psd.image_resources \
            else None
        if psd.color_mode != ColorMode.RGB:
            how = "through its ICC profile" if self.icc else \
                "through LittleCMS" if psd.color_mode == ColorMode.LAB else "without an ICC profile (approximate colours)"
            self.warn(f"{_MODE_NAMES.get(psd.color_mode, psd.color_mode.name.title())} {psd.depth}-bit document "
                      f"converted to 8-bit sRGB {how}")
        elif psd.depth != 8:
            self.warn(f"RGB {psd.depth}-bit document reduced to 8 bits per channel")

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def children(self, group, depth: int = 0) -> list[Node]:  # psd-tools group or document; bottom first
        if depth > self.limits.max_depth:
            raise FileFormatError(self.path, f"its groups are nested more than {self.limits.max_depth} deep")
        nodes: list[Node] = []
        for item in group:
            nodes.extend(self.node(item, depth))
        return nodes

    def node(self, item, depth: int = 0) -> list[Node]:
        """The item as Veil nodes, bottom first: the node itself, under it the layers of the
        outer effects (drop shadow, outer glow) Veil draws for it; none when it is left out."""
        self.progress(min(1.0, self.layers_read / self.layers_total))
        self.layers_read += 1
        name = item.name.rstrip("\x00")
        kind = item.kind
        baked_fill = False  # True when the node's pixels already carry the fill opacity
        below: list[Node] = []
        if kind in ("group", "artboard"):
            node: Node = self.group(item, name, depth)
            if item.has_effects():
                below = self.group_effect_layers(item, node, name)
        elif kind in ("pixel", "type", "shape", "smartobject", *_FILL_KINDS):
            node, baked_fill = self.content_layer(item, name, kind)
            if item.has_effects():
                below = self.outer_effect_layers(item, name)
        elif psd_adjust.is_adjustment(item):  # a live Veil adjustment (editor/io/psd_adjust.py)
            adjustment = psd_adjust.read_adjustment(item, name, self.warn,
                                                    gray=self.psd.color_mode == ColorMode.GRAYSCALE)
            if adjustment is None:
                return []
            if self.psd.color_mode == ColorMode.CMYK and adjustment.adjustment in psd_inks.INK_KINDS:
                self.warn(f"'{name}': a CMYK document's {adjustment.adjustment.replace('_', ' ')} works on the "
                          "inks; kept as the Color Lookup that does the same to the converted colours")
                adjustment = psd_inks.on_inks(adjustment, self.icc)
            node = adjustment
            self.apply_mask(item, node, 0, 0, self.psd.width, self.psd.height, vector=True)  # Pen-made masks too
        else:
            self.warn(f"'{name}': {kind} layers are not supported and were left out")
            return []
        self.common(item, node, name, baked_fill)
        for effect_layer in below:  # shown, hidden and clipped with the layer; its opacity fades them
            effect_layer.visible = node.visible
            effect_layer.clipped = node.clipped
            effect_layer.opacity *= item.opacity / 255  # the layer's opacity, never its Fill
        return [*below, node]

    def common(self, item, node: Node, name: str, baked_fill: bool) -> None:
        """Opacity, Fill, visibility, clipping, mode.

        Photoshop's fill opacity scales a layer's own pixels and not its effects; a layer with
        effects is rasterised with its fill opacity inside, so only its opacity stays live.
        A kind whose renderer draws Fill (pixel, colour and gradient fill layers) keeps it as
        its Fill (which the compositor renders as Photoshop does, a fade of the blend itself in
        the eight special-Fill modes); on other kinds it multiplies the opacity."""
        opacity = item.opacity / 255.0
        fill = 1.0 if baked_fill else item.fill_opacity / 255.0
        if render_kinds.of(node).has_fill:
            node.fill = fill
        else:
            opacity *= fill
        node.opacity = opacity
        node.visible = item.visible
        node.blend_if = blend_if_from_psd(getattr(item._record, "blending_ranges", None))
        node.clipped = bool(item.clipping)
        node.knockout = _KNOCKOUTS.get(item.tagged_blocks.get_data(Tag.KNOCKOUT_SETTING, 0), "none")
        self.advanced_blending(item, node, name)
        if isinstance(node, Group):
            node.isolated = item.blend_mode != PsdBlend.PASS_THROUGH
            if node.isolated:
                node.blend_mode = self.blend(item, name)
        else:
            node.blend_mode = self.blend(item, name)

    def advanced_blending(self, item, node: Node, name: str) -> None:
        """Photoshop's Advanced Blending flags: Channels ('brst', the channel numbers left out)
        and Blend Clipped Layers as Group ('clbl') are Veil's; the effect-only flags are named
        when they change what the layer shows."""
        blocks = item.tagged_blocks
        left_out = blocks.get_data(Tag.CHANNEL_BLENDING_RESTRICTIONS_SETTING)
        if left_out:
            if self.psd.color_mode == ColorMode.RGB:
                node.channels = "".join(c for i, c in enumerate("rgb") if i not in left_out)
            elif self.psd.color_mode == ColorMode.GRAYSCALE:
                node.channels = "" if 0 in left_out else "rgb"  # its one grey channel is all three of Veil's
            else:
                self.warn(f"'{name}': its blending is restricted to some {self.psd.color_mode.name} channels, "
                          "which Veil does not show")
        node.clip_group_blend = bool(blocks.get_data(Tag.BLEND_CLIPPING_ELEMENTS, 1))
        if item.has_effects():
            if blocks.get_data(Tag.BLEND_INTERIOR_ELEMENTS, 0):
                self.warn(f"'{name}': Blend Interior Effects as Group is not shown")
            if not blocks.get_data(Tag.TRANSPARENCY_SHAPES_LAYER, 1):
                self.warn(f"'{name}': Transparency Shapes Layer off is not shown")
            if blocks.get_data(Tag.VECTOR_MASK_AS_GLOBAL_MASK, 0) or (
                    blocks.get_data(Tag.LAYER_MASK_AS_GLOBAL_MASK, 0)
                    and (isinstance(node, Group) or not _mask_hides_effects(item))):  # shown on layers only
                self.warn(f"'{name}': Layer/Vector Mask Hides Effects is not shown")

    def blend(self, item, name: str) -> BlendMode:
        mode = blend_from_psd(item.blend_mode)
        if mode is None:
            self.warn(f"'{name}': blend mode {item.blend_mode.name.replace('_', ' ').lower()} is not available "
                      "in Veil, shown as Normal")
            return BlendMode.NORMAL
        return mode

    # --- kinds -------------------------------------------------------------------
    def group(self, item, name: str, depth: int) -> Group:
        group = Group(name, self.children(item, depth + 1))
        W, H = self.psd.width, self.psd.height
        self.apply_mask(item, group, 0, 0, W, H)
        if item.kind == "artboard":  # an artboard shows its content only inside its frame
            x0, y0, x1, y1 = item.bbox
            frame = np.zeros((H, W), np.uint8)
            frame[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = 255
            if group.mask is not None:
                group.mask.data = _multiply(group.mask.data, frame)
            else:
                group.mask = Mask(frame)
        if item.has_effects():
            kinds = {psd_effects.effect_kind(e) for e in psd_effects.enabled_effects(item)}
            outer = sorted(psd_effects.EFFECT_NAMES[k] for k in kinds & {"dropshadow", "outerglow"})
            over = sorted(psd_effects.EFFECT_NAMES[k] for k in kinds & _GROUP_INTERIOR)
            missing = sorted(psd_effects.EFFECT_NAMES.get(k, k)
                             for k in kinds - {"dropshadow", "outerglow", "bevelemboss", "stroke", *_GROUP_INTERIOR})
            parts = [f"its {', '.join(outer)} drawn as a layer below it"] if outer else []
            if over:
                parts.append(f"its {', '.join(over)} drawn as layers over its content")
            if "stroke" in kinds:
                parts.append("its stroke drawn as layers over its content and below it")
            if "bevelemboss" in kinds:
                parts.append("its bevel and emboss drawn as layers over its content and below it")
            if missing:
                parts.append(f"not shown: {', '.join(missing)}")
            self.warn(f"'{name}': group with layer effects: {'; '.join(parts)}")
        return group

    def group_effect_layers(self, item, group: Group, name: str) -> list[Layer]:
        """A group's drop shadows and outer glows, cast by its content as Veil composites it
        alone (its mask in it, at full opacity, in normal mode), and the outer part of its bevel;
        the inner part of its bevel goes into the group, over its content (`group_bevel`)."""
        outer = psd_effects.outer_effects(item)
        bevels = self.bevels(item, name, group=True)
        kinds = {psd_effects.effect_kind(e) for e in psd_effects.enabled_effects(item)}
        if not outer and not bevels and not kinds & {*_GROUP_INTERIOR, "stroke"}:
            return []
        alone = group.clone(copy_arrays=False)
        alone.opacity, alone.blend_mode, alone.isolated, alone.visible, alone.clipped = 1.0, BlendMode.NORMAL, True, True, False
        alone.knockout, alone.channels, alone.blend_if = "none", "rgb", None
        doc = Document(self.psd.width, self.psd.height)
        doc.root.insert(0, alone)
        alpha = np.ascontiguousarray(render_float(doc)[..., 3])
        below = self.effect_layers_from(item, name, alpha, (0, 0)) if outer else []
        self.group_interior(item, group, name, alpha)
        below.extend(self.group_stroke(item, group, name, alpha))
        for bevel in bevels:
            below.extend(self.group_bevel(bevel, group, name, alpha))
        return below

    def group_interior(self, item, group: Group, name: str, alpha: np.ndarray) -> None:
        """A group's pattern, gradient and colour overlays, satin, inner glows and inner shadows, in Photoshop's
        stacking, as layers on top of its children, each in its own mode and opacity over the group's
        content (SethRobinson/Patchy docs/ps-compat.md "Layer effects on GROUPS": interior effects
        blend with their own modes over the group's result, pass-through groups included), their
        coverage the content's `alpha` (the canvas; approximate: over a soft edge they thicken it)."""
        W, H = self.psd.width, self.psd.height
        canvas = Rect(0, 0, W, H)
        shown = psd_gradient.visible_bounds(alpha > 0, 0, 0)
        if shown is None:
            return
        for kind in _PHOTOSHOP_OVERLAY_ORDER:
            for effect in psd_effects.enabled_effects(item):
                if psd_effects.effect_kind(effect) != kind:
                    continue
                label = psd_effects.EFFECT_NAMES[kind]
                try:
                    opacity = min(max(_number_or(effect.opacity, 100.0), 0.0), 100.0) / 100.0
                    if kind == "coloroverlay":
                        rgba = np.empty((H, W, 4), np.uint8)
                        rgba[...] = self.color_of(effect.descriptor)
                    elif kind == "patternoverlay":
                        rgba = np.rint(np.clip(pattern_overlay(effect.descriptor, self.psd, item, canvas), 0, 1) * 255)
                        rgba = rgba.astype(np.uint8)
                    else:
                        rgba = psd_overlay.gradient_overlay(effect.descriptor, shown, canvas, canvas,
                                                            color=lambda stop: self.color_of(stop)[:3])
                except Exception as e:
                    reason = str(e) if isinstance(e, psd_gradient.NotLive) else type(e).__name__
                    self.warn(f"'{name}': its {label} is not shown ({reason})")
                    continue
                coverage = rgba[..., 3].astype(np.float32) / 255 * alpha
                layer = self.rgba_layer(f"{name} ({label})", rgba, coverage, opacity,
                                        self.blend(_EffectBlend(effect), f"{name} ({label})"))
                if layer is not None:
                    group.insert(len(group.children), layer)
        for effect in psd_effects.inner_effects(item):
            label = psd_effects.EFFECT_NAMES[effect.kind]
            try:
                colour = np.asarray(self.color_of(effect.effect.descriptor)[:3], np.float32) / 255
            except Exception:
                self.warn(f"'{name}': its {label} has no solid colour and is not shown")
                continue
            mode = self.blend(_EffectBlend(effect.effect), f"{name} ({label})")
            layer = self.coverage_layer(f"{name} ({label})", psd_effects.inner_coverage(effect, alpha),
                                        (0, 0, W, H), colour, mode, effect.opacity)
            if layer is not None:
                group.insert(len(group.children), layer)

    def group_stroke(self, item, group: Group, name: str, alpha: np.ndarray) -> list[Layer]:
        """A group's strokes, banding its content's `alpha` as psd-tools bands a layer's: the part
        inside the content as a layer on top of the group's children (over its interior effects),
        the part beside it returned, to go below the group over its shadows."""
        shown = psd_gradient.visible_bounds(alpha > 0, 0, 0)
        if shown is None:
            return []
        H, W = alpha.shape
        below = []
        for effect in psd_effects.enabled_effects(item):
            if psd_effects.effect_kind(effect) != "stroke":
                continue
            try:  # drawn over the content's box grown by the band's reach, not the canvas
                box = stroke_bbox((shown.x, shown.y, shown.x + shown.w, shown.y + shown.h), effect.descriptor)
                x0, y0, x1, y1 = max(box[0], -_MAX_STROKE_REACH), max(box[1], -_MAX_STROKE_REACH), \
                    min(box[2], W + _MAX_STROKE_REACH), min(box[3], H + _MAX_STROKE_REACH)
                self.count_pixels(x1 - x0, y1 - y0)
                # where the children run past the canvas the content goes on as at its edge (no band
                # along the canvas's edge); elsewhere nothing lies beyond it
                rows, cols = np.clip(np.arange(y0, y1), 0, H - 1), np.clip(np.arange(x0, x1), 0, W - 1)
                shape = np.array(alpha[np.ix_(rows, cols)], np.float32)[..., None]
                gx0, gy0, gx1, gy1 = item.bbox
                if gx0 >= 0:
                    shape[:, :max(0, -x0)] = 0
                if gx1 <= W:
                    shape[:, max(0, W - x0):] = 0
                if gy0 >= 0:
                    shape[:max(0, -y0)] = 0
                if gy1 <= H:
                    shape[max(0, H - y0):] = 0
                colour, coverage, inside = draw_stroke_effect_split((x0, y0, x1, y1), shape, effect.descriptor, self.psd)
                paint_of = self.stroke_paint(item, effect, shown)
                if paint_of is not None:  # a gradient laid over the content's visible bounds, faded by its stops
                    colour, fade = paint_of((x0, y0, x1, y1), shape)
                    coverage, inside = coverage * fade, inside * fade
                opacity = min(max(_number_or(effect.opacity, 100.0), 0.0), 100.0) / 100.0
                colour = np.broadcast_to(colour, (y1 - y0, x1 - x0, colour.shape[-1]))
            except Exception as e:  # an odd descriptor: that stroke is left out, said once
                self.warn(f"'{name}': its stroke is not shown ({type(e).__name__})")
                continue
            mode = self.blend(_EffectBlend(effect), f"{name} (stroke)")
            rgba = self.float_rgba(np.ascontiguousarray(colour, np.float32), np.ones(shape.shape[:2], np.float32))
            inner = inside[..., 0]
            layer = self.rgba_layer(f"{name} (stroke)", rgba, inner, opacity, mode, (x0, y0))
            if layer is not None:
                group.insert(len(group.children), layer)
            layer = self.rgba_layer(f"{name} (stroke)", rgba, np.maximum(coverage[..., 0] - inner, 0.0), opacity,
                                    mode, (x0, y0))
            if layer is not None:
                below.append(layer)
        return below

    def rgba_layer(self, name: str, rgba: np.ndarray, coverage: np.ndarray, opacity: float,
                   mode: BlendMode, origin: tuple[int, int] = (0, 0)) -> Layer | None:
        """A layer of `rgba`'s colours at `coverage` (both with their top-left at `origin`, the
        canvas's by default), cropped to what it covers."""
        return self._covering_layer(name, coverage, origin, opacity, mode,
                                    lambda box: np.asarray(rgba[box][..., :3], np.uint8))

    def _covering_layer(self, name: str, coverage: np.ndarray, origin: tuple[int, int], opacity: float,
                        mode: BlendMode, colours: Callable[[tuple[slice, slice]], np.ndarray]) -> Layer | None:
        """A layer whose alpha is `coverage` and whose colours are `colours(box)`, cropped to the box
        the coverage covers (None when it covers nothing); `origin` is the coverage's top-left."""
        cov = np.clip(coverage * 255 + 0.5, 0, 255).astype(np.uint8)
        ys, xs = np.nonzero(cov)
        if len(xs) == 0:
            return None
        x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
        self.count_pixels(int(x1 - x0), int(y1 - y0))
        box = (slice(y0, y1), slice(x0, x1))
        px = np.empty((y1 - y0, x1 - x0, 4), np.uint8)
        px[..., :3] = colours(box)
        px[..., 3] = cov[box]
        layer = Layer(name, px, offset=(int(x0) + origin[0], int(y0) + origin[1]), opacity=opacity)
        layer.blend_mode = mode
        return layer

    def group_bevel(self, bevel: psd_bevel.Bevel, group: Group, name: str, alpha: np.ndarray) -> list[Layer]:
        """A group's bevel from its content's coverage `alpha` (the canvas): its inner highlight and
        shadow as layers on top of the group's children (approximate: they blend with the group's
        content, thickening a soft edge a little), its outer ones returned, to go below the group."""
        parts = psd_bevel.shading(bevel, alpha)
        below = []
        canvas = (0, 0, self.psd.width, self.psd.height)
        for which, inside, outside, opacity, colour, mode in self.bevel_passes(bevel, parts, name):
            for coverage, above in ((inside, True), (outside, False)):
                layer = None if coverage is None else \
                    self.coverage_layer(f"{name} (bevel {which})", coverage, canvas, colour, mode, opacity)
                if layer is not None and above:
                    group.insert(len(group.children), layer)
                elif layer is not None:
                    below.append(layer)
        return below

    def bevel_passes(self, bevel: psd_bevel.Bevel, parts, name: str):
        """(which, inside, outside, opacity, colour, mode) for a bevel's shadow, then its highlight,
        each skipped when it has no colour or no opacity."""
        for which, inside, outside, opacity in (
                ("shadow", parts.shadow, parts.outer_shadow, bevel.shadow_opacity),
                ("highlight", parts.highlight, parts.outer_highlight, bevel.highlight_opacity)):
            colour, mode = self.bevel_paint(bevel, which, name)
            if colour is not None and opacity > 0:
                yield which, inside, outside, opacity, colour, mode

    def content_layer(self, item, name: str, kind: str) -> tuple[Node, bool]:
        if item.has_effects():
            kinds = {psd_effects.effect_kind(e) for e in psd_effects.enabled_effects(item)}
            drawn = sorted(psd_effects.EFFECT_NAMES.get(k, k) for k in kinds & psd_effects.DRAWN_BY_PSD_TOOLS)
            inner = sorted(psd_effects.EFFECT_NAMES[k] for k in kinds & psd_effects.DRAWN_INTO_LAYER)
            layers = sorted(psd_effects.EFFECT_NAMES.get(k, k)
                            for k in kinds & psd_effects.DRAWN_HERE - psd_effects.DRAWN_INTO_LAYER)
            missing = sorted(psd_effects.EFFECT_NAMES.get(k, k)
                             for k in kinds - psd_effects.DRAWN_BY_PSD_TOOLS - psd_effects.DRAWN_HERE)
            drawn = sorted(drawn + inner)
            parts = [f"rasterised with its {', '.join(drawn)}" if drawn else "rasterised"]
            if layers:
                parts.append(f"its {', '.join(layers)} drawn as a layer below it")
            if missing:
                parts.append(f"not shown: {', '.join(missing)}")
            self.warn(f"'{name}': {_KIND_NAMES.get(kind, kind)} with layer effects: {'; '.join(parts)}")
            return self.rasterised(item, name), True
        if kind == "solidcolorfill" or (kind == "shape" and _solid_shape(item)):
            return self.fill_layer(item, name), False
        if kind == "gradientfill":
            gradient = self.gradient_fill_layer(item, name)
            if gradient is not None:
                return gradient, False
            return self.rasterised(item, name), True
        if kind in ("patternfill", "shape"):
            self.warn(f"'{name}': {_KIND_NAMES[kind]} rasterised")
            return self.rasterised(item, name), True
        if kind != "pixel":
            self.warn(f"'{name}': {_KIND_NAMES[kind]} kept as pixels")
        return self.pixel_layer(item, name), False

    def pixel_layer(self, item, name: str) -> Layer:
        x, y = item.offset
        w, h = item.size
        if w <= 0 or h <= 0:
            layer = Layer(name, np.zeros((1, 1, 4), np.uint8), offset=(x, y))
        else:
            self.count_pixels(w, h)
            layer = Layer(name, self.rgba(item.topil(), (w, h)), offset=(x, y))
        lw, lh = layer.size
        self.apply_mask(item, layer, layer.x, layer.y, lw, lh, vector=_vector_applies(item))
        return layer

    def fill_layer(self, item, name: str) -> FillLayer:
        """A solid-colour fill or shape layer: a live fill, its vector mask rasterised into its mask."""
        color = self.fill_color(item)
        layer = FillLayer(name, color)
        self.apply_mask(item, layer, 0, 0, self.psd.width, self.psd.height, vector=True)
        return layer

    def gradient_fill_layer(self, item, name: str) -> GradientFillLayer | None:
        """A gradient fill layer, live (editor/io/psd_gradient.py): its stops' colours converted
        as the document's colours are, laid over the layer's box when aligned with it, its vector
        mask rasterised into its mask. None (and a warning saying why) when its descriptor does
        not read as a gradient Veil draws: the caller keeps it as pixels."""
        from editor.paint.gradient_fill import normalised

        x0, y0, x1, y1 = item.bbox
        box = Rect(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None
        box = _mask_visible_bounds(item) or box
        try:
            settings = psd_gradient.settings_from_descriptor(
                item.tagged_blocks.get_data(Tag.GRADIENT_FILL_SETTING), box=box,
                color=lambda stop: self.color_of(stop)[:3], warn=lambda text: self.warn(f"'{name}': {text}"))
            settings = normalised(settings)
        except Exception as e:  # a hostile or odd descriptor never stops the file opening
            reason = str(e) if isinstance(e, psd_gradient.NotLive) else f"its settings cannot be read ({type(e).__name__})"
            self.warn(f"'{name}': gradient fill layer rasterised: {reason}")
            return None
        layer = GradientFillLayer(name, settings)
        self.apply_mask(item, layer, 0, 0, self.psd.width, self.psd.height, vector=True)
        return layer

    def draw_alone(self, item, viewport: tuple[int, int, int, int], *, fill: bool = True):
        """psd-tools' drawing of the layer alone over `viewport` at full opacity (effects, masks
        in it, but not a layer mask that hides effects, which Veil applies after; its fill opacity
        too unless not `fill`): (colour, alpha), or None when it cannot."""
        vx0, vy0, vx1, vy1 = viewport
        w, h = vx1 - vx0, vy1 - vy0
        compositor = _OneLayerCompositor(item, viewport, np.zeros((h, w, get_color_channels(self.psd)), np.float32),
                                         np.zeros((h, w, 1), np.float32), layer_filter=lambda layer: layer is item,
                                         widen=make_widen(self.psd), color_mode=self.psd.color_mode, fill=fill,
                                         unmasked=_mask_hides_effects(item),
                                         overlays=lambda kind, vp: self.overlays(item, kind, vp),
                                         interior=(lambda vp: self.interior(item, vp)) if fill else None,
                                         stroke_paint=lambda effect: self.stroke_paint(item, effect))
        try:
            compositor.apply(item, clip_compositing=True)
            color, _shape, alpha = compositor.finish()
        except Exception as e:
            self.warn(f"'{item.name.rstrip(chr(0))}': psd-tools could not draw it ({type(e).__name__}), "
                      "kept as its stored pixels")
            return None
        return color, alpha[..., 0]

    def overlays(self, item, kind: str, viewport: tuple[int, int, int, int]):
        """The layer's colour, gradient or pattern overlays of `kind` as Veil draws them over `viewport`, for
        `_OneLayerCompositor`: [(colour (h, w, 3), coverage (h, w, 1), psd-tools blend mode, opacity)],
        the document's RGB 0..1. None (psd-tools draws them) for other kinds, documents that are not
        RGB of 8 or 16 bits, and a gradient or pattern Veil cannot read (said once)."""
        if kind not in psd_effects.OVERLAYS_HERE or self.psd.color_mode != ColorMode.RGB or self.psd.depth == 32:
            return None
        vx0, vy0, vx1, vy1 = viewport
        h, w = vy1 - vy0, vx1 - vx0
        out = []
        for effect in psd_effects.enabled_effects(item):
            if psd_effects.effect_kind(effect) != kind:
                continue
            try:
                opacity = min(max(_number_or(effect.opacity, 100.0), 0.0), 100.0) / 100.0
                mode = effect.blend_mode
                if kind == "coloroverlay":
                    colour = paint.draw_solid_color_fill(viewport, self.psd.color_mode, effect.descriptor)[0]
                    coverage = np.ones((h, w, 1), np.float32)
                elif kind == "patternoverlay":
                    rgba = pattern_overlay(effect.descriptor, self.psd, item, Rect(vx0, vy0, w, h))
                    colour, coverage = rgba[..., :3], rgba[..., 3:]
                else:
                    rgba = psd_overlay.gradient_overlay(effect.descriptor, self.overlay_bounds(item),
                                                        Rect(0, 0, self.psd.width, self.psd.height),
                                                        Rect(vx0, vy0, w, h)).astype(np.float32) / 255
                    colour, coverage = rgba[..., :3], rgba[..., 3:]
            except Exception as e:  # an odd descriptor: psd-tools' drawing of the overlay, said once
                reason = str(e) if isinstance(e, psd_gradient.NotLive) else type(e).__name__
                self.warn(f"'{item.name.rstrip(chr(0))}': its {psd_effects.EFFECT_NAMES[kind]} is drawn by "
                          f"psd-tools ({reason})")
                return None
            out.append((colour, coverage, mode, opacity))
        return out

    def stroke_paint(self, item, effect, bounds: Rect | None = None):
        """Veil's paint of a gradient stroke (editor/io/psd_stroke.py) as a function of psd-tools' stroke
        box and the traced coverage over it, for `_OneLayerCompositor` and `group_stroke`; `bounds` what
        an aligned gradient lies over (default: the layer's `overlay_bounds`). None (psd-tools paints
        it) for other strokes, documents that are not RGB of 8 or 16 bits, and a gradient Veil cannot
        read (said once)."""
        if not psd_stroke.is_gradient(effect.descriptor) or self.psd.color_mode != ColorMode.RGB \
                or self.psd.depth == 32:
            return None
        bounds, canvas = bounds or self.overlay_bounds(item), Rect(0, 0, self.psd.width, self.psd.height)
        try:
            descriptor = effect.descriptor
            psd_stroke.stroke_gradient(descriptor, bounds, canvas, (0, 0, 1, 1), np.zeros((1, 1), np.float32))
        except Exception as e:
            reason = str(e) if isinstance(e, psd_gradient.NotLive) else type(e).__name__
            self.warn(f"'{item.name.rstrip(chr(0))}': its gradient stroke is drawn by psd-tools ({reason})")
            return None
        return lambda box, traced: psd_stroke.stroke_gradient(descriptor, bounds, canvas, box, traced)

    def interior(self, item, viewport: tuple[int, int, int, int]) -> list:
        """The layer's satin, inner glows and inner shadows (editor/io/psd_effects.py) for
        `_OneLayerCompositor`, lowest first: each effect's colour (the document's, as psd-tools reads
        it), its coverage as a share of the layer's own shape (pixels and masks, before Fill and
        without its stroke), its mode and opacity."""
        effects = psd_effects.inner_effects(item) if item.has_effects() else []
        if not effects:
            return []
        name = item.name.rstrip("\x00")
        shape = self.own_coverage(item, viewport)
        inside = shape > 0
        out = []
        for effect in effects:
            label = psd_effects.EFFECT_NAMES[effect.kind]
            try:
                colour = paint.draw_solid_color_fill(viewport, self.psd.color_mode, effect.effect.descriptor)[0]
                mode = effect.effect.blend_mode
            except Exception:
                self.warn(f"'{name}': its {label} has no solid colour and is not shown")
                continue
            self.blend(_EffectBlend(effect.effect), f"{name} ({label})")  # says so if Veil has no such mode
            k = psd_effects.inner_coverage(effect, shape)
            share = np.zeros_like(k)
            np.divide(k, shape, out=share, where=inside)
            out.append((colour, np.clip(share, 0.0, 1.0)[..., None], mode, effect.opacity))
        return out

    def overlay_bounds(self, item) -> Rect:
        """What an aligned overlay lies over: a pixel layer's visible pixels (nonzero alpha, not
        its padded channel rectangle), a shape's or fill layer's bounds as its gradient fill's."""
        x0, y0, x1, y1 = item.bbox
        if item.kind in _FILL_KINDS or item.kind == "shape" or not item.has_pixels():
            box = _mask_visible_bounds(item) if item.kind in _FILL_KINDS else None
            if box is not None:
                return box
            return Rect(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else Rect(0, 0, self.psd.width, self.psd.height)
        alpha = item.numpy("shape")
        if alpha is None:
            return Rect(x0, y0, x1 - x0, y1 - y0)
        alpha = np.asarray(alpha)
        visible = (alpha[..., 0] if alpha.ndim == 3 else alpha) > 0
        return psd_gradient.visible_bounds(visible, x0, y0) or Rect(x0, y0, x1 - x0, y1 - y0)

    def rasterised(self, item, name: str) -> Layer:
        """The layer drawn alone by psd-tools (effects, masks and fill opacity in it), cropped to
        what it covers. With Layer Mask Hides Effects the layer mask is not in the drawing but a
        live mask of the layer, hiding its effects with its content.

        It is drawn over the layer's box grown by how far its effects reach (size, distance),
        inside the canvas, so a small layer in a large document stays cheap."""
        layer = self._rasterised(item, name)
        if _mask_hides_effects(item):
            self.hide_by_layer_mask(item, layer)
        return layer

    def hide_by_layer_mask(self, item, layer: Layer) -> None:
        """Give `layer` (content or effect drawn from the unmasked layer) the item's layer mask."""
        lw, lh = layer.size
        self.apply_mask(item, layer, layer.x, layer.y, lw, lh)

    def _rasterised(self, item, name: str) -> Layer:
        vx0, vy0, vx1, vy1 = self.raster_viewport(item)
        w, h = vx1 - vx0, vy1 - vy0
        if w <= 0 or h <= 0:
            return Layer(name, np.zeros((1, 1, 4), np.uint8))
        self.count_pixels(w, h)
        drawn = self.draw_alone(item, (vx0, vy0, vx1, vy1))
        if drawn is None:  # psd-tools cannot draw it: keep what Photoshop stored
            return self.pixel_layer(item, name)
        color, a = drawn
        if item.fill_opacity == 255:  # the same coverage is its outer effects' matte: not drawn twice
            self.last_drawn = (item, (vx0, vy0, vx1, vy1), a)
        bevels = self.bevels(item, name) if item.has_effects() else []
        if bevels:
            rgba = self.with_bevels(item, name, self.float_rgba(color, a), (vx0, vy0, vx1, vy1), bevels, a)
            ys, xs = np.nonzero(rgba[..., 3])
            if len(xs) == 0:
                return Layer(name, np.zeros((1, 1, 4), np.uint8))
            x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
            return Layer(name, np.ascontiguousarray(rgba[y0:y1, x0:x1]), offset=(int(x0) + vx0, int(y0) + vy0))
        ys, xs = np.nonzero(a > 0)
        if len(xs) == 0:
            return Layer(name, np.zeros((1, 1, 4), np.uint8))
        x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
        rgba = self.float_rgba(color[y0:y1, x0:x1], a[y0:y1, x0:x1])
        return Layer(name, rgba, offset=(int(x0) + vx0, int(y0) + vy0))

    def with_bevels(self, item, name: str, rgba: np.ndarray, viewport, bevels,
                    drawn_alpha: np.ndarray | None = None) -> np.ndarray:
        """`rgba` (the layer as psd-tools drew it over `viewport` with its overlays, interior effects
        and stroke, straight sRGB) with its bevel's highlight and shadow composited on inside the
        layer's own shape (Photoshop stacks Bevel and Emboss above the other interior effects and
        over the stroke band). The parts of a bevel outside the layer become layers below it
        (`self.bevel_below`, picked up by `outer_effect_layers`)."""
        shape = self.own_coverage(item, viewport)
        out = rgba.astype(np.float32) / 255
        cb, ab = out[..., :3], out[..., 3:]
        below: list[Layer] = []
        for bevel in bevels:
            # Stroke Emboss bevels the layer with its stroke, as psd-tools drew them (approximate)
            matte = drawn_alpha if bevel.style == "stroke" and drawn_alpha is not None else shape
            parts = psd_bevel.shading(bevel, matte)
            for which, inside, outside, opacity, colour, mode in self.bevel_passes(bevel, parts, name):
                if inside is not None:
                    cb, ab = _composite_inside(cb, ab, inside * opacity, matte, colour, mode)
                if outside is not None:
                    layer = self.coverage_layer(f"{name} (bevel {which})", outside, viewport, colour, mode, opacity)
                    if layer is not None:
                        below.append(layer)
        self.bevel_below = (item, below) if below else None
        out = np.concatenate([cb, ab], axis=2)
        return np.clip(out * 255 + 0.5, 0, 255).astype(np.uint8)

    def bevels(self, item, name: str, *, group: bool = False) -> list[psd_bevel.Bevel]:
        """The layer's Bevel and Emboss as Veil draws it, with what is approximated said once."""
        out = []
        has_stroke = any(psd_effects.effect_kind(e) == "stroke" for e in psd_effects.enabled_effects(item))
        for bevel in psd_bevel.read_bevels(item, self.global_altitude):
            if bevel.style == "stroke" and group:  # Veil does not draw a group's stroke
                self.warn(f"'{name}': its bevel and emboss is a Stroke Emboss, not shown on a group")
                continue
            if bevel.style == "stroke" and not has_stroke:
                self.warn(f"'{name}': its bevel and emboss is a Stroke Emboss without a stroke and is not shown")
                continue
            notes = list(bevel.notes)
            if bevel.style == "stroke":
                notes.append("its stroke emboss approximated as an inner bevel of the layer with its stroke")
            if notes:
                self.warn(f"'{name}': bevel and emboss: {'; '.join(notes)}")
            out.append(bevel)
        return out

    def bevel_paint(self, bevel: psd_bevel.Bevel, which: str, name: str):
        """The colour (0..1 RGB) and Veil blend mode of a bevel's highlight or shadow; Photoshop's
        defaults (white Screen, black Multiply) where the descriptor says nothing."""
        d = bevel.effect.descriptor
        key_colour, key_mode = (b"hglC", b"hglM") if which == "highlight" else (b"sdwC", b"sdwM")
        if d.get(key_colour) is None:
            colour = np.full(3, 1.0 if which == "highlight" else 0.0, np.float32)
        else:
            try:
                holder = Descriptor(classID=b"null")
                holder[b"Clr "] = d.get(key_colour)
                colour = np.asarray(self.color_of(holder)[:3], np.float32) / 255
            except Exception:
                self.warn(f"'{name}': its bevel {which} has no solid colour and is not shown")
                return None, BlendMode.NORMAL
        if d.get(key_mode) is None:
            return colour, BlendMode.SCREEN if which == "highlight" else BlendMode.MULTIPLY
        try:
            mode = bevel.effect.highlight_mode if which == "highlight" else bevel.effect.shadow_mode
        except Exception:
            mode = PsdBlend.NORMAL
        return colour, self.blend(_Mode(mode), f"{name} (bevel {which})")

    def coverage_layer(self, name: str, coverage: np.ndarray, viewport, colour: np.ndarray, mode: BlendMode,
                       opacity: float) -> Layer | None:
        """A layer of `colour` whose alpha is `coverage` (over `viewport`), cropped to what it covers."""
        rgb = np.clip(colour * 255 + 0.5, 0, 255).astype(np.uint8)
        return self._covering_layer(name, coverage, (viewport[0], viewport[1]), opacity, mode, lambda box: rgb)

    def own_coverage(self, item, viewport) -> np.ndarray:
        """The layer's own coverage over `viewport` ((h, w) float32): its pixels' alpha (all of the
        canvas for a fill layer) times its masks, as Veil reads them; no effects, no Fill."""
        vx0, vy0, vx1, vy1 = viewport
        out = np.zeros((vy1 - vy0, vx1 - vx0), np.float32)
        name = item.name.rstrip("\x00")
        kept = len(self.paths), self.pixels  # read again here: its paths and pixels are counted once
        if item.kind in _FILL_KINDS or (item.kind == "shape" and not item.has_pixels()):
            node: Node = FillLayer(name, (0, 0, 0, 255))
            self.apply_mask(item, node, 0, 0, self.psd.width, self.psd.height, vector=True)
            alpha, (x, y) = np.ones((self.psd.height, self.psd.width), np.float32), (0, 0)
        else:
            node = self.pixel_layer(item, name)
            alpha, (x, y) = node.pixels[..., 3].astype(np.float32) / 255, node.offset
        del self.paths[kept[0]:]
        self.pixels = kept[1]
        if node.mask is not None and node.mask.enabled:
            m = node.mask.data.astype(np.float32) / 255
            alpha = alpha * (1 - node.mask.density * (1 - m))
        h, w = alpha.shape
        x0, y0, x1, y1 = max(x, vx0), max(y, vy0), min(x + w, vx1), min(y + h, vy1)
        if x1 > x0 and y1 > y0:
            out[y0 - vy0:y1 - vy0, x0 - vx0:x1 - vx0] = alpha[y0 - y:y1 - y, x0 - x:x1 - x]
        return out

    def outer_effect_layers(self, item, name: str) -> list[Layer]:
        """Layers for the drop shadows and outer glows psd-tools does not draw (editor/io/psd_effects.py),
        bottom first, each in its own colour and blend mode, its opacity the effect's; over them
        the parts of its bevel that lie outside it (drawn by `with_bevels`)."""
        bevel_below = self.bevel_below[1] if self.bevel_below is not None and self.bevel_below[0] is item else []
        self.bevel_below = None
        if not psd_effects.outer_effects(item):
            return bevel_below
        if self.last_drawn is not None and self.last_drawn[0] is item:
            _, (vx0, vy0, vx1, vy1), alpha = self.last_drawn
        else:
            vx0, vy0, vx1, vy1 = self.effect_source_viewport(item)
            if vx1 <= vx0 or vy1 <= vy0:
                return bevel_below
            self.count_pixels(vx1 - vx0, vy1 - vy0)
            drawn = self.draw_alone(item, (vx0, vy0, vx1, vy1), fill=False)  # the matte ignores Fill
            if drawn is None:
                return bevel_below
            alpha = drawn[1]
        self.last_drawn = None
        layers = self.effect_layers_from(item, name, alpha, (vx0, vy0))
        if _mask_hides_effects(item):  # the matte was the unmasked layer; the mask hides the output
            for layer in layers:
                self.hide_by_layer_mask(item, layer)
        return [*layers, *bevel_below]

    def effect_layers_from(self, item, name: str, alpha: np.ndarray, origin: tuple[int, int]) -> list[Layer]:
        """The outer effects' layers for a layer or group whose coverage `alpha` sits at `origin`."""
        layers = []
        for effect in psd_effects.outer_effects(item):
            label = psd_effects.EFFECT_NAMES[effect.kind]
            try:
                rgb = self.color_of(effect.effect.descriptor)
            except Exception:  # a gradient glow, or an odd colour: said so, not drawn
                self.warn(f"'{name}': its {label} has no solid colour and is not shown")
                continue
            got = psd_effects.draw(effect, alpha, origin, (self.psd.width, self.psd.height))
            if got is None:
                continue
            coverage, (x, y) = got
            self.count_pixels(coverage.shape[1], coverage.shape[0])
            px = np.empty((*coverage.shape, 4), np.uint8)
            px[..., :3] = rgb[:3]
            px[..., 3] = coverage
            layer = Layer(f"{name} ({label})", px, offset=(x, y), opacity=effect.opacity)
            layer.blend_mode = self.blend(_EffectBlend(effect.effect), f"{name} ({label})")
            layers.append(layer)
        return layers

    def effect_source_viewport(self, item) -> tuple[int, int, int, int]:
        """Where the layer's coverage can be (its box grown by its stroke), inside the canvas."""
        W, H = self.psd.width, self.psd.height
        x0, y0, x1, y1 = item.bbox
        reach = 2
        for e in psd_effects.enabled_effects(item):
            if psd_effects.effect_kind(e) == "stroke":
                reach = max(reach, int(np.ceil(psd_effects.pixels(getattr(e, "size", 0.0)))) + 2)
        if x1 <= x0 or y1 <= y0:
            return (0, 0, W, H) if item.has_vector_mask() or item.kind in _FILL_KINDS else (0, 0, 0, 0)
        return (max(0, x0 - reach), max(0, y0 - reach), min(W, x1 + reach), min(H, y1 + reach))

    def raster_viewport(self, item) -> tuple[int, int, int, int]:
        W, H = self.psd.width, self.psd.height
        x0, y0, x1, y1 = item.bbox
        if x1 <= x0 or y1 <= y0 or item.kind in _FILL_KINDS and not item.has_vector_mask():
            return (0, 0, W, H)
        reach = 2
        if item.has_effects():
            for effect in item.effects:  # NaN or huge values (a hostile file) count as nothing or 250 px
                grow = sum(psd_effects.pixels(getattr(effect, attr, 0.0)) for attr in ("size", "distance"))
                reach = max(reach, int(np.ceil(grow * 2)) + 4)
        return (max(0, x0 - reach), max(0, y0 - reach), min(W, x1 + reach), min(H, y1 + reach))

    def merged_layer(self) -> Layer:
        """A document with no layers: its merged image, as one layer."""
        self.count_pixels(self.psd.width, self.psd.height)
        im = self.psd.topil()
        return Layer("Background", self.rgba(im, (self.psd.width, self.psd.height)))

    # --- pieces ------------------------------------------------------------------
    def count_pixels(self, w: int, h: int) -> None:
        check_pixel_limit(self.path, (w, h), self.limits)
        self.pixels += w * h
        if self.pixels > self.limits.max_total_pixels:
            raise FileFormatError(self.path, "its layers hold more pixels than the limit")

    def rgba(self, im: Image.Image | None, size: tuple[int, int]) -> np.ndarray:
        """A psd-tools PIL image (any mode, ICC already applied by psd-tools) as straight RGBA."""
        w, h = size
        if im is None:
            return np.zeros((h, w, 4), np.uint8)
        if im.mode == "LAB":  # Pillow cannot convert Lab itself; LittleCMS can
            im = _lab_to_srgb(im)
        return np.array(im.convert("RGBA"), dtype=np.uint8)

    def float_rgba(self, color: np.ndarray, alpha: np.ndarray) -> np.ndarray:
        """psd-tools' float colour (document channels) and alpha as straight sRGB RGBA uint8,
        converted as psd-tools converts its own composite (ICC profile through LittleCMS)."""
        mode = pil_io.get_pil_mode(self.psd.color_mode)
        pixels = np.clip(color * 255 + 0.5, 0, 255).astype(np.uint8)
        if mode in ("1", "L", "P") or pixels.shape[2] == 1:
            im = Image.fromarray(np.ascontiguousarray(pixels[..., 0]), "L")
        elif mode == "CMYK":
            im = Image.fromarray(np.ascontiguousarray(pixels[..., :4]), "CMYK")
        elif mode == "LAB":
            im = Image.merge("LAB", [Image.fromarray(np.ascontiguousarray(pixels[..., i]), "L") for i in range(3)])
        else:
            im = Image.fromarray(np.ascontiguousarray(pixels[..., :3]), "RGB")
        im = _lab_to_srgb(im) if im.mode == "LAB" else pil_io.post_process(im, None, self.icc)
        out = np.array(im.convert("RGBA"), dtype=np.uint8)
        out[..., 3] = np.clip(alpha * 255 + 0.5, 0, 255).astype(np.uint8)
        return out

    def fill_color(self, item) -> tuple[int, int, int, int]:
        """The solid colour of a fill or shape layer, as sRGB."""
        data = item.tagged_blocks.get_data(Tag.SOLID_COLOR_SHEET_SETTING)
        try:
            return self.color_of(data)
        except Exception:  # an odd colour descriptor: black, as Photoshop's default foreground
            return self.color_of(None)

    def color_of(self, desc) -> tuple[int, int, int, int]:
        """The colour under a descriptor's 'Clr ' key as sRGB RGBA (black for None); raises
        when the descriptor has no colour psd-tools can read."""
        if desc is None:
            value = np.zeros((1, 1, get_color_channels(self.psd)), np.float32)
        else:
            value = np.asarray(paint.draw_solid_color_fill((0, 0, 1, 1), self.psd.color_mode, desc)[0], np.float32)
        rgba = self.float_rgba(value.reshape(1, 1, -1), np.ones((1, 1), np.float32))
        return tuple(int(c) for c in rgba[0, 0])  # type: ignore[return-value]

    def apply_mask(self, item, node: Node, x: int, y: int, w: int, h: int, *, vector: bool = False) -> None:
        """Give `node` a (w, h) mask at (x, y): the PSD layer mask, times the vector mask when
        `vector` (Photoshop multiplies the two), with its density, feather and the colour it
        has outside its own rectangle."""
        pmask = item.mask if item.has_mask() else None
        vmask = item.vector_mask if vector and item.has_vector_mask() else None
        if vmask is not None and vmask.disabled:
            vmask = None
        if pmask is None and vmask is None:
            return
        data = None
        density = 1.0
        feather = 0.0
        enabled = True
        linked = _mask_linked(pmask, vmask)
        if pmask is not None and not (vmask is not None and _mask_repeats_vector(item)):
            data = np.full((h, w), pmask.background_color, np.uint8)
            im = pmask.topil()
            if im is not None:
                m = np.asarray(im.convert("L"))
                mx, my = pmask.left, pmask.top
                mh, mw = m.shape
                x0, y0, x1, y1 = max(mx, x), max(my, y), min(mx + mw, x + w), min(my + mh, y + h)
                if x1 > x0 and y1 > y0:
                    data[y0 - y:y1 - y, x0 - x:x1 - x] = m[y0 - my:y1 - my, x0 - mx:x1 - mx]
            enabled = not pmask.disabled
            params = pmask.parameters
            if params is not None:
                if params.user_mask_density is not None:
                    density = params.user_mask_density / 255.0
                if params.user_mask_feather and not pmask.has_real():  # a real mask has its feather in it
                    feather = float(params.user_mask_feather)
        coverage = self.vector_coverage(item, vmask, x, y, w, h) if vmask is not None else None
        if coverage is not None:
            if data is not None and (density < 1 or not enabled):
                # two masks in one: fold the pixel mask's density (or its being off) into its values
                user = data.astype(np.float32) / 255 if enabled else np.ones_like(coverage)
                data = None
                coverage = coverage * (density * user + (1 - density))
                density, enabled = 1.0, True
            vm = np.clip(coverage * 255 + 0.5, 0, 255).astype(np.uint8)
            data = vm if data is None else _multiply(data, vm)
        if data is None:
            return
        mask = Mask(data, enabled=enabled, linked=linked)
        mask.density, mask.feather = density, feather
        node.mask = mask

    def vector_coverage(self, item, vmask, x: int, y: int, w: int, h: int) -> np.ndarray | None:
        """The vector mask's antialiased coverage over the (w, h) rectangle at (x, y), its
        density applied; its outline is kept as a Veil path too."""
        try:
            cov = np.asarray(vector.draw_vector_mask(item, (x, y, x + w, y + h)), np.float32)
            cov = cov.reshape(h, w, -1)[..., 0]
        except Exception as e:  # a path psd-tools cannot draw: the layer shows unclipped, and says so
            self.warn(f"'{item.name.rstrip(chr(0))}': its vector mask could not be drawn ({type(e).__name__}) "
                      "and was left out")
            return None
        params = item.mask.parameters if item.has_mask() else None
        if params is not None and params.vector_mask_density is not None:
            d = params.vector_mask_density / 255.0
            cov = d * cov + (1 - d)
        self.keep_paths(item, vmask)
        return cov

    def keep_paths(self, item, vmask) -> None:
        W, H = self.psd.width, self.psd.height
        name = item.name.rstrip("\x00")
        for i, sub in enumerate(vmask.paths):
            knots = [k for k in sub if hasattr(k, "anchor")]
            if not knots:
                continue
            def pt(p):  # psd-tools gives (y, x) fractions of the canvas
                return (float(p[1]) * W, float(p[0]) * H)
            anchors = [Anchor(pt(k.anchor), pt(k.preceding), pt(k.leaving)) for k in knots]
            suffix = f" {i + 1}" if len(vmask.paths) > 1 else ""
            self.paths.append(VectorPath(f"{name} vector mask{suffix}", anchors, closed=sub.is_closed()))


def _drop_unreadable_profile(psd: PSDImage) -> str | None:
    """Take out an embedded ICC profile LittleCMS cannot open (psd-tools would raise on every
    layer), so the file opens with its colours read as the mode's default; says so."""
    if Resource.ICC_PROFILE not in psd.image_resources:
        return None
    from PIL import ImageCms

    try:
        ImageCms.ImageCmsProfile(io.BytesIO(psd.image_resources.get_data(Resource.ICC_PROFILE)))
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        del psd.image_resources[Resource.ICC_PROFILE]
        return "its embedded ICC profile cannot be read: colours shown without it"
    return None


def read_psd(data: bytes, path: str | Path, limits: Limits,
             progress: Callable[[float], None] = lambda fraction: None) -> Document:
    """`progress(fraction)` is called before each layer is read; it may raise to stop."""
    width, height = psd_header_size(data, path)
    check_pixel_limit(path, (width, height), limits)
    check_complete(data, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.open(io.BytesIO(data))
        profile_note = _drop_unreadable_profile(psd)
        reader = _PsdReader(psd, path, limits, progress)
        if profile_note:
            reader.warn(profile_note)
        doc = Document(width, height)
        nodes = reader.children(psd) if len(psd) else [reader.merged_layer()]
        for node in nodes:
            doc.root.insert(len(doc.root.children), node)
        doc.paths.extend(reader.paths)
    layers = doc.layers()
    doc.active = layers[-1] if layers else None
    doc.warnings = reader.warnings
    return doc
