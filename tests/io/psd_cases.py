"""Generated PSD files for what Photoshop writes and psd-tools alone cannot make: fill and shape
layers, vector masks, fill opacity, artboards, layer effects, colour modes, mask defaults.

Each case is built with psd-tools, with the tagged blocks and descriptors Photoshop writes
(Adobe's Photoshop File Format Specification) added by hand, and judged against psd-tools' own
compositor (`psd_tools.composite.composite`), which reads those blocks as Photoshop does.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import BlendMode as B
from psd_tools.constants import Tag
from psd_tools.psd import vector as V
from psd_tools.psd.descriptor import (
    Bool,
    Descriptor,
    DescriptorBlock,
    DescriptorBlock2,
    Double,
    Enumerated,
    UnitFloat,
)
from psd_tools.psd.tagged_blocks import TaggedBlock
from psd_tools.terminology import Unit

W, H = 48, 36


def rgb_desc(r: float, g: float, b: float) -> Descriptor:
    c = Descriptor(classID=b"RGBC")
    c[b"Rd  "], c[b"Grn "], c[b"Bl  "] = Double(r), Double(g), Double(b)
    return c


def solid_fill_block(r: float, g: float, b: float) -> DescriptorBlock:
    d = DescriptorBlock(classID=b"null")
    d[b"Clr "] = rgb_desc(r, g, b)
    return d


def _knot(x: float, y: float) -> V.ClosedKnotLinked:
    p = (y / H, x / W)  # psd-tools (and the file) keep (y, x) as fractions of the canvas
    return V.ClosedKnotLinked(preceding=p, anchor=p, leaving=p)


def _ellipse_knots(cx: float, cy: float, rx: float, ry: float) -> list[V.ClosedKnotLinked]:
    k = 0.5522847498
    pts = [((cx + rx, cy), (0, ry * k)), ((cx, cy + ry), (-rx * k, 0)), ((cx - rx, cy), (0, -ry * k)),
           ((cx, cy - ry), (rx * k, 0))]
    knots = []
    for (x, y), (dx, dy) in pts:
        knots.append(V.ClosedKnotLinked(preceding=((y - dy) / H, (x - dx) / W), anchor=(y / H, x / W),
                                        leaving=((y + dy) / H, (x + dx) / W)))
    return knots


def vector_mask_block(knots: list) -> V.VectorMaskSetting:
    sub = V.ClosedPath(items=knots)
    sub.operation = 1
    path = V.Path(items=[V.PathFillRule(), V.InitialFillRule(value=0), sub])
    return V.VectorMaskSetting(version=3, flags=0, path=path)


def rect_knots(x0: float, y0: float, x1: float, y1: float) -> list:
    return [_knot(x0, y0), _knot(x1, y0), _knot(x1, y1), _knot(x0, y1)]


def color_overlay_block(r: float, g: float, b: float, opacity: float = 100.0) -> DescriptorBlock2:
    fx = DescriptorBlock2(classID=b"null")
    fx[b"Scl "] = UnitFloat(unit=Unit.Percent, value=100.0)
    fx[b"masterFXSwitch"] = Bool(True)
    so = Descriptor(classID=b"SoFi")
    so[b"enab"] = Bool(True)
    so[b"present"] = Bool(True)
    so[b"Md  "] = Enumerated(typeID=b"BlnM", enum=b"Nrml")
    so[b"Opct"] = UnitFloat(unit=Unit.Percent, value=opacity)
    so[b"Clr "] = rgb_desc(r, g, b)
    fx[b"SoFi"] = so
    return fx


def effects_block(*effects: tuple[bytes, Descriptor], scale: float = 100.0) -> DescriptorBlock2:
    """An 'lfx2' block holding `effects`, each (key, descriptor) as Photoshop lists them."""
    fx = DescriptorBlock2(classID=b"null")
    fx[b"Scl "] = UnitFloat(unit=Unit.Percent, value=scale)
    fx[b"masterFXSwitch"] = Bool(True)
    for key, desc in effects:
        fx[key] = desc
    return fx


def drop_shadow_desc(rgb=(0, 0, 0), *, mode: bytes = b"Nrml", opacity: float = 75.0, angle: float = 120.0,
                     distance: float = 5.0, spread: float = 0.0, size: float = 5.0, knocks_out: bool = True,
                     global_light: bool = False, key: bytes = b"DrSh") -> tuple[bytes, Descriptor]:
    """A drop shadow ('DrSh') with the fields Photoshop writes (Adobe's descriptor keys)."""
    d = Descriptor(classID=key)
    d[b"enab"] = Bool(True)
    d[b"present"] = Bool(True)
    d[b"showInDialog"] = Bool(True)
    d[b"Md  "] = Enumerated(typeID=b"BlnM", enum=mode)
    d[b"Clr "] = rgb_desc(*rgb)
    d[b"Opct"] = UnitFloat(unit=Unit.Percent, value=opacity)
    d[b"uglg"] = Bool(global_light)
    d[b"lagl"] = UnitFloat(unit=Unit.Angle, value=angle)
    d[b"Dstn"] = UnitFloat(unit=Unit.Pixels, value=distance)
    d[b"Ckmt"] = UnitFloat(unit=Unit.Pixels, value=spread)
    d[b"blur"] = UnitFloat(unit=Unit.Pixels, value=size)
    d[b"Nose"] = UnitFloat(unit=Unit.Percent, value=0.0)
    d[b"AntA"] = Bool(False)
    d[b"layerConceals"] = Bool(knocks_out)
    return key, d


def outer_glow_desc(rgb=(255, 255, 190), *, mode: bytes = b"Scrn", opacity: float = 75.0, spread: float = 0.0,
                    size: float = 5.0) -> tuple[bytes, Descriptor]:
    """An outer glow ('OrGl'), solid colour, Softer technique."""
    d = Descriptor(classID=b"OrGl")
    d[b"enab"] = Bool(True)
    d[b"present"] = Bool(True)
    d[b"showInDialog"] = Bool(True)
    d[b"Md  "] = Enumerated(typeID=b"BlnM", enum=mode)
    d[b"Clr "] = rgb_desc(*rgb)
    d[b"Opct"] = UnitFloat(unit=Unit.Percent, value=opacity)
    d[b"GlwT"] = Enumerated(typeID=b"BETE", enum=b"SfBL")
    d[b"Ckmt"] = UnitFloat(unit=Unit.Pixels, value=spread)
    d[b"blur"] = UnitFloat(unit=Unit.Pixels, value=size)
    d[b"Nose"] = UnitFloat(unit=Unit.Percent, value=0.0)
    d[b"ShdN"] = UnitFloat(unit=Unit.Percent, value=0.0)
    d[b"AntA"] = Bool(False)
    d[b"Inpr"] = UnitFloat(unit=Unit.Percent, value=50.0)
    return b"OrGl", d


def satin_desc(rgb=(0, 0, 0), *, mode: bytes = b"Nrml", opacity: float = 100.0, angle: float = 0.0,
               distance: float = 2.0, size: float = 0.0, invert: bool = False) -> tuple[bytes, Descriptor]:
    """A Satin ('ChFX') with the fields Photoshop writes (Linear contour left out: the default)."""
    d = Descriptor(classID=b"ChFX")
    d[b"enab"] = Bool(True)
    d[b"present"] = Bool(True)
    d[b"showInDialog"] = Bool(True)
    d[b"Md  "] = Enumerated(typeID=b"BlnM", enum=mode)
    d[b"Clr "] = rgb_desc(*rgb)
    d[b"AntA"] = Bool(False)
    d[b"Invr"] = Bool(invert)
    d[b"Opct"] = UnitFloat(unit=Unit.Percent, value=opacity)
    d[b"lagl"] = UnitFloat(unit=Unit.Angle, value=angle)
    d[b"Dstn"] = UnitFloat(unit=Unit.Pixels, value=distance)
    d[b"blur"] = UnitFloat(unit=Unit.Pixels, value=size)
    return b"ChFX", d


def bevel_desc(*, style: bytes = b"InrB", technique: bytes = b"SfBL", depth: float = 100.0, up: bool = True,
               size: float = 3.0, soften: float = 0.0, angle: float = 120.0, altitude: float = 30.0,
               global_light: bool = False, highlight=(255, 255, 255), highlight_mode: bytes = b"Scrn",
               highlight_opacity: float = 75.0, shadow=(0, 0, 0), shadow_mode: bytes = b"Mltp",
               shadow_opacity: float = 75.0, gloss: list | None = None,
               contour_range: float | None = None) -> tuple[bytes, Descriptor]:
    """A Bevel and Emboss ('ebbl') with the keys Photoshop writes, in its order (Adobe's
    descriptor keys; the defaults are the Layer Style dialog's, but a 3 px size). `gloss`: the
    gloss contour's (input, output) points, 0..255 (None: Linear); `contour_range`: the Contour box
    ticked, a Linear contour at that Range (%)."""
    from psd_tools.psd.descriptor import List, String

    d = Descriptor(classID=b"ebbl")
    d[b"enab"] = Bool(True)
    d[b"present"] = Bool(True)
    d[b"showInDialog"] = Bool(True)
    d[b"hglM"] = Enumerated(typeID=b"BlnM", enum=highlight_mode)
    d[b"hglC"] = rgb_desc(*highlight)
    d[b"hglO"] = UnitFloat(unit=Unit.Percent, value=highlight_opacity)
    d[b"sdwM"] = Enumerated(typeID=b"BlnM", enum=shadow_mode)
    d[b"sdwC"] = rgb_desc(*shadow)
    d[b"sdwO"] = UnitFloat(unit=Unit.Percent, value=shadow_opacity)
    d[b"bvlT"] = Enumerated(typeID=b"bvlT", enum=technique)
    d[b"bvlS"] = Enumerated(typeID=b"BESl", enum=style)
    d[b"uglg"] = Bool(global_light)
    d[b"lagl"] = UnitFloat(unit=Unit.Angle, value=angle)
    d[b"Lald"] = UnitFloat(unit=Unit.Angle, value=altitude)
    d[b"srgR"] = UnitFloat(unit=Unit.Percent, value=depth)
    d[b"blur"] = UnitFloat(unit=Unit.Pixels, value=size)
    d[b"bvlD"] = Enumerated(typeID=b"BESs", enum=b"In  " if up else b"Out ")
    contour = Descriptor(classID=b"ShpC")
    contour[b"Nm  "] = String(value="Linear" if gloss is None else "Custom")
    points = List()
    for x, y in gloss or [(0, 0), (255, 255)]:
        p = Descriptor(classID=b"CrPt")
        p[b"Hrzn"], p[b"Vrtc"] = Double(x), Double(y)
        points.append(p)
    contour[b"Crv "] = points
    d[b"TrnS"] = contour
    d[b"antialiasGloss"] = Bool(False)
    d[b"Sftn"] = UnitFloat(unit=Unit.Pixels, value=soften)
    d[b"useShape"] = Bool(contour_range is not None)
    if contour_range is not None:
        d[b"MpgS"] = contour
        d[b"Inpr"] = UnitFloat(unit=Unit.Percent, value=contour_range)
    d[b"useTexture"] = Bool(False)
    return b"ebbl", d


def stroke_desc(rgb=(0, 0, 0), *, size: float = 3.0, position: bytes = b"OutF",
                opacity: float = 100.0) -> tuple[bytes, Descriptor]:
    """A solid-colour Stroke ('FrFX') with the keys Photoshop writes."""
    d = Descriptor(classID=b"FrFX")
    d[b"enab"] = Bool(True)
    d[b"present"] = Bool(True)
    d[b"showInDialog"] = Bool(True)
    d[b"Styl"] = Enumerated(typeID=b"FStl", enum=position)
    d[b"PntT"] = Enumerated(typeID=b"FrFl", enum=b"SClr")
    d[b"Md  "] = Enumerated(typeID=b"BlnM", enum=b"Nrml")
    d[b"Opct"] = UnitFloat(unit=Unit.Percent, value=opacity)
    d[b"Sz  "] = UnitFloat(unit=Unit.Pixels, value=size)
    d[b"Clr "] = rgb_desc(*rgb)
    d[b"overprint"] = Bool(False)
    return b"FrFX", d


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _rand_rgba(rng, w: int, h: int, alpha: tuple[int, int] = (0, 256)) -> Image.Image:
    px = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    px[..., 3] = rng.integers(*alpha, (h, w), dtype=np.uint8)
    return Image.fromarray(px, "RGBA")


def _smooth_rgba(w: int, h: int, seed: int, opaque: bool = False) -> Image.Image:
    """A smooth image (gradients), so resampling or rounding shows as small errors, not noise."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    s = seed % 7 + 1
    r = (x / w * 255 * s) % 256
    g = (y / h * 255)
    b = ((x + y) * 3 * s) % 256
    a = np.full_like(x, 255) if opaque else np.clip(255 - np.abs(x - w / 2) * 6, 0, 255)
    return Image.fromarray(np.dstack([r, g, b, a]).astype(np.uint8), "RGBA")


def _set(layer, tag: Tag, data) -> None:
    layer.tagged_blocks[tag] = TaggedBlock(key=tag, data=data)


def _empty(layer_parent, name: str):
    return layer_parent.create_pixel_layer(Image.new("RGBA", (0, 0)), name=name)


def _doc(mode: str = "RGBA", depth: int = 8) -> tuple[PSDImage, object]:
    psd = PSDImage.new(mode, (W, H), depth=depth)
    bg = psd.create_pixel_layer(_smooth_rgba(W, H, 1, opaque=True).convert(mode if mode != "RGBA" else "RGBA"),
                                name="Background")
    return psd, bg


def _save(psd: PSDImage) -> bytes:
    buf = io.BytesIO()
    psd.save(buf)
    return buf.getvalue()


CASES: dict[str, Callable[[], bytes]] = {}


def case(fn: Callable[[], PSDImage]) -> Callable[[], PSDImage]:
    CASES[fn.__name__] = lambda: _save(fn())
    return fn


@case
def solid_fill():
    psd, _ = _doc()
    fill = _empty(psd, "Colour Fill 1")
    _set(fill, Tag.SOLID_COLOR_SHEET_SETTING, solid_fill_block(250, 30, 10))
    fill.opacity = 160
    return psd


@case
def solid_fill_multiply_with_mask():
    psd, _ = _doc()
    fill = _empty(psd, "fill")
    _set(fill, Tag.SOLID_COLOR_SHEET_SETTING, solid_fill_block(30, 200, 90))
    fill.blend_mode = B.MULTIPLY
    m = np.zeros((H, W), np.uint8)
    m[5:30, 8:40] = np.linspace(0, 255, 32)[None, :].astype(np.uint8)
    fill.create_mask(Image.fromarray(m, "L"), top=0, left=0)
    return psd


@case
def shape_ellipse():
    psd, _ = _doc()
    shape = _empty(psd, "Ellipse 1")
    _set(shape, Tag.SOLID_COLOR_SHEET_SETTING, solid_fill_block(255, 255, 0))
    _set(shape, Tag.VECTOR_MASK_SETTING1, vector_mask_block(_ellipse_knots(24, 18, 15.3, 11.7)))
    return psd


@case
def shape_rect_with_pixel_mask():
    psd, _ = _doc()
    shape = _empty(psd, "Rectangle 1")
    _set(shape, Tag.SOLID_COLOR_SHEET_SETTING, solid_fill_block(10, 10, 240))
    _set(shape, Tag.VECTOR_MASK_SETTING1, vector_mask_block(rect_knots(6.5, 4.25, 41.5, 30.75)))
    m = np.tile(np.linspace(255, 0, W).astype(np.uint8), (H, 1))
    shape.create_mask(Image.fromarray(m, "L"), top=0, left=0)
    return psd


@case
def shape_clipped_layer():
    psd, _ = _doc()
    shape = _empty(psd, "Ellipse base")
    _set(shape, Tag.SOLID_COLOR_SHEET_SETTING, solid_fill_block(255, 255, 255))
    _set(shape, Tag.VECTOR_MASK_SETTING1, vector_mask_block(_ellipse_knots(20, 16, 14, 12)))
    top = psd.create_pixel_layer(_smooth_rgba(W, H, 3, opaque=True), name="clipped photo")
    top.clipping = True
    return psd


@case
def fill_opacity_pixel_layers():
    psd, _ = _doc()
    for i, mode in enumerate((B.NORMAL, B.MULTIPLY, B.SCREEN, B.OVERLAY)):
        layer = psd.create_pixel_layer(_smooth_rgba(20, 14, i + 2), name=f"L{i}", top=(i % 2) * 18, left=(i // 2) * 24)
        layer.blend_mode = mode
        layer.opacity = 200
        layer.fill_opacity = 100 + 30 * i
    return psd


@case
def fill_opacity_group():
    psd, _ = _doc()
    group = psd.create_group(name="g")
    group.create_pixel_layer(_smooth_rgba(30, 20, 4), name="in", top=4, left=6)
    group.fill_opacity = 128
    group.blend_mode = B.NORMAL
    return psd


@case
def pass_through_opacity():
    psd, _ = _doc()
    group = psd.create_group(name="pass", blend_mode=B.PASS_THROUGH)
    inner = group.create_pixel_layer(_smooth_rgba(36, 24, 5), name="mult", top=5, left=5)
    inner.blend_mode = B.MULTIPLY
    inner2 = group.create_pixel_layer(_smooth_rgba(20, 20, 6), name="screen", top=10, left=20)
    inner2.blend_mode = B.SCREEN
    group.opacity = 150
    return psd


@case
def clip_onto_group():
    psd, _ = _doc()
    group = psd.create_group(name="base group", blend_mode=B.NORMAL)
    group.create_pixel_layer(_smooth_rgba(20, 16, 2), name="a", top=2, left=2)
    group.create_pixel_layer(_smooth_rgba(20, 16, 3), name="b", top=16, left=24)
    clip = psd.create_pixel_layer(_smooth_rgba(W, H, 5, opaque=True), name="clipped")
    clip.clipping = True
    clip.blend_mode = B.MULTIPLY
    return psd


@case
def mask_white_outside():
    psd, _ = _doc()
    layer = psd.create_pixel_layer(_smooth_rgba(W, H, 3, opaque=True), name="masked")
    m = np.zeros((10, 12), np.uint8)
    layer.create_mask(Image.fromarray(m, "L"), top=10, left=14)
    layer.mask._data.background_color = 255
    return psd


@case
def mask_density():
    psd, _ = _doc()
    layer = psd.create_pixel_layer(_smooth_rgba(W, H, 4, opaque=True), name="masked")
    m = np.zeros((H, W), np.uint8)
    m[8:28, 10:38] = 255
    layer.create_mask(Image.fromarray(m, "L"), top=0, left=0)
    from psd_tools.psd.layer_and_mask import MaskParameters
    layer.mask._data.flags.parameters_applied = True
    layer.mask._data.parameters = MaskParameters(user_mask_density=128)
    return psd


@case
def pixel_layer_color_overlay():
    psd, _ = _doc()
    layer = psd.create_pixel_layer(_smooth_rgba(30, 20, 2), name="with overlay", top=8, left=9)
    _set(layer, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, color_overlay_block(0, 255, 0, 60.0))
    layer.opacity = 200
    layer.fill_opacity = 100
    return psd


@case
def hidden_and_clipped_hidden():
    psd, _ = _doc()
    a = psd.create_pixel_layer(_smooth_rgba(W, H, 2), name="base")
    c = psd.create_pixel_layer(_smooth_rgba(W, H, 3, opaque=True), name="clip hidden")
    c.clipping = True
    c.visible = False
    h = psd.create_pixel_layer(_smooth_rgba(W, H, 5, opaque=True), name="hidden")
    h.visible = False
    del a
    return psd


@case
def grayscale_document():
    psd = PSDImage.new("L", (W, H))
    psd.create_pixel_layer(_smooth_rgba(W, H, 1, opaque=True).convert("L"), name="Background")
    top = psd.create_pixel_layer(_smooth_rgba(W, H, 4).convert("LA"), name="top")
    top.blend_mode = B.MULTIPLY
    return psd


@case
def no_layers():
    return PSDImage.frompil(_smooth_rgba(W, H, 3, opaque=True).convert("RGB"))


def build(name: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CASES[name]()


def reference(data: bytes) -> np.ndarray:
    """psd-tools' own composite of the file, straight RGBA uint8 (psd-tools applies the ICC profile)."""
    from psd_tools.composite import composite_pil

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.open(io.BytesIO(data))
        im = composite_pil(psd, 1.0, 0.0, None, None, False) if len(psd) else psd.topil()
    return np.asarray(im.convert("RGBA"))


def over_white(rgba: np.ndarray) -> np.ndarray:
    a = rgba[..., 3:].astype(np.float32) / 255
    return rgba[..., :3].astype(np.float32) * a + 255 * (1 - a)


def agreement(a: np.ndarray, b: np.ndarray, tol: float = 8) -> float:
    """Share of values (over white) within `tol` of each other: the hidden set's measure."""
    return float((np.abs(over_white(a) - over_white(b)) <= tol).mean())


@case
def pass_through_nested_modes():
    psd, _ = _doc()
    outer = psd.create_group(name="outer", blend_mode=B.PASS_THROUGH)
    a = outer.create_pixel_layer(_smooth_rgba(30, 30, 2), name="a", top=2, left=2)
    a.blend_mode = B.OVERLAY
    inner = outer.create_group(name="inner", blend_mode=B.PASS_THROUGH)
    b = inner.create_pixel_layer(_smooth_rgba(30, 20, 5), name="b", top=10, left=14)
    b.blend_mode = B.COLOR_BURN
    inner.opacity = 180
    outer.opacity = 200
    return psd


@case
def isolated_group_screen():
    psd, _ = _doc()
    g = psd.create_group(name="iso", blend_mode=B.SCREEN)
    a = g.create_pixel_layer(_smooth_rgba(30, 30, 2), name="a", top=2, left=2)
    a.blend_mode = B.MULTIPLY
    g.create_pixel_layer(_smooth_rgba(20, 20, 4), name="b", top=12, left=20)
    g.opacity = 170
    return psd


@case
def pass_through_with_clip_group():
    psd, _ = _doc()
    g = psd.create_group(name="pt", blend_mode=B.PASS_THROUGH)
    base = g.create_pixel_layer(_smooth_rgba(30, 30, 2, opaque=True), name="base", top=2, left=2)
    base.blend_mode = B.MULTIPLY
    c = g.create_pixel_layer(_smooth_rgba(W, H, 6, opaque=True), name="clip")
    c.clipping = True
    c.opacity = 128
    g.opacity = 128
    return psd


@case
def modes_over_semi_transparent():
    psd = PSDImage.new("RGBA", (W, H))
    psd.create_pixel_layer(_smooth_rgba(W, H, 1), name="semi")
    for i, mode in enumerate((B.MULTIPLY, B.SCREEN, B.HARD_LIGHT, B.DIFFERENCE, B.LINEAR_BURN, B.VIVID_LIGHT)):
        layer = psd.create_pixel_layer(_smooth_rgba(16, 12, i + 2), name=f"L{i}", top=(i % 3) * 12, left=(i // 3) * 24)
        layer.blend_mode = mode
    return psd


@case
def cmyk_document():
    psd = PSDImage.new("CMYK", (W, H))
    psd.create_pixel_layer(_smooth_rgba(W, H, 2, opaque=True).convert("CMYK"), name="Background")
    return psd


@case
def lab_document():
    from PIL import ImageCms

    psd = PSDImage.new("LAB", (W, H))
    to_lab = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), "RGB", "LAB")
    lab = ImageCms.applyTransform(_smooth_rgba(W, H, 2, opaque=True).convert("RGB"), to_lab)
    psd.create_pixel_layer(lab, name="Background")
    return psd


@case
def psb_large_document_format():
    psd = fill_opacity_pixel_layers()
    psd._record.header.version = 2
    return psd


def _curves_layer(parent, name: str):
    """An adjustment layer as Photoshop writes one: an empty record with its Curves block (and
    the extra curve records psd-tools' compositor reads)."""
    from editor.io.psd_adjust import WRITERS

    tag, block = WRITERS["curves"]
    layer = _empty(parent, name)
    _set(layer, tag, block({"master": [[0, 0], [80, 170], [255, 255]], "red": [[0, 0], [255, 255]],
                            "green": [[0, 0], [255, 255]], "blue": [[0, 0], [255, 255]]}))
    return layer


@case
def adjustment_vector_mask():
    """A Curves layer confined by a vector mask (and no pixel mask), as the Pen tool makes one."""
    psd, _ = _doc()
    curves = _curves_layer(psd, "Curves 1")
    _set(curves, Tag.VECTOR_MASK_SETTING1, vector_mask_block(rect_knots(8.5, 6.25, 30.5, 28.75)))
    return psd



def _knockout_group(isolated: bool, knockout: int, fill: int) -> PSDImage:
    """Below a group: a layer; in it, a layer, then a knockout layer over part of it."""
    from psd_tools.psd.base import ByteElement

    psd, _ = _doc()
    psd.create_pixel_layer(_smooth_rgba(W, 30, 2), name="under", top=4, left=0)
    group = psd.create_group(name="g", blend_mode=B.NORMAL if isolated else B.PASS_THROUGH)
    group.create_pixel_layer(_smooth_rgba(40, 28, 3, opaque=True), name="mid", top=3, left=4)
    ko = group.create_pixel_layer(_smooth_rgba(24, 20, 4), name="knockout", top=8, left=10)
    ko.fill_opacity = fill
    _set(ko, Tag.KNOCKOUT_SETTING, ByteElement(knockout))
    return psd


@case
def knockout_shallow_fill_0_pass_through():
    return _knockout_group(False, 1, 0)


@case
def knockout_shallow_half_fill_pass_through():
    return _knockout_group(False, 1, 128)


@case
def knockout_deep_fill_0_isolated():
    return _knockout_group(True, 2, 0)


# --- gradient fill layers ('GdFl', Adobe's descriptor keys) --------------------------------
# Big canvases: psd-tools lays a ramp from the first pixel's index to the last one's, Veil from
# the box's edge through pixel centres; half a pixel over 400 is well inside 2/255.
GW, GH = 420, 300


def gradient_block(colours, *, opacities=None, style: bytes = b"Lnr ", angle: float = 90.0, scale: float = 100.0,
                   reverse: bool = False, dither: bool = False, align: bool = True, offset=(0.0, 0.0),
                   form: bytes = b"CstS", stop_kinds=None, smoothness: float | None = 0.0) -> DescriptorBlock:
    """A gradient fill layer's descriptor as Photoshop writes it. `colours`: (location 0..4096,
    (r, g, b), midpoint %) each; `opacities`: (location, opacity %, midpoint %) each, or None for
    no 'Trns' list; `stop_kinds`: each colour stop's 'Clry' type (default user stops);
    `smoothness`: 'Intr' 0..4096 (None: no key). Photoshop's own default is 4096; these cases
    default to 0, the straight ramps psd-tools draws, so its drawing can judge them."""
    from psd_tools.psd.descriptor import Integer, List, String

    grad = Descriptor(classID=b"Grdn")
    grad[b"Nm  "] = String(value="Custom")
    grad[b"GrdF"] = Enumerated(typeID=b"GrdF", enum=form)
    if smoothness is not None:
        grad[b"Intr"] = Double(float(smoothness))
    stops = List()
    for i, (location, rgb, mid) in enumerate(colours):
        s = Descriptor(classID=b"Clrt")
        s[b"Clr "] = rgb_desc(*rgb)
        s[b"Type"] = Enumerated(typeID=b"Clry", enum=(stop_kinds or {}).get(i, b"UsrS"))
        s[b"Lctn"], s[b"Mdpn"] = Integer(location), Integer(mid)
        stops.append(s)
    grad[b"Clrs"] = stops
    if opacities is not None:
        trns = List()
        for location, opacity, mid in opacities:
            t = Descriptor(classID=b"TrnS")
            t[b"Opct"] = UnitFloat(unit=Unit.Percent, value=opacity)
            t[b"Lctn"], t[b"Mdpn"] = Integer(location), Integer(mid)
            trns.append(t)
        grad[b"Trns"] = trns
    d = DescriptorBlock(classID=b"null")
    d[b"Grad"] = grad
    d[b"Dthr"] = Bool(dither)
    d[b"Rvrs"] = Bool(reverse)
    d[b"Angl"] = UnitFloat(unit=Unit.Angle, value=angle)
    d[b"Type"] = Enumerated(typeID=b"GrdT", enum=style)
    d[b"Algn"] = Bool(align)
    d[b"Scl "] = UnitFloat(unit=Unit.Percent, value=scale)
    pnt = Descriptor(classID=b"Pnt ")
    pnt[b"Hrzn"] = UnitFloat(unit=Unit.Percent, value=offset[0])
    pnt[b"Vrtc"] = UnitFloat(unit=Unit.Percent, value=offset[1])
    d[b"Ofst"] = pnt
    return d


RAMP3 = [(0, (230, 40, 20), 50), (1600, (40, 190, 90), 50), (4096, (30, 60, 220), 50)]
OPAQUE = [(0, 100.0, 50), (4096, 100.0, 50)]

# name: (gradient_block keyword arguments, vector-mask rectangle or None). Every one of them is
# also a fidelity case; tests/io/test_psd_fidelity.py says which psd-tools draws differently.
GRADIENTS: dict[str, tuple[dict, tuple[float, float, float, float] | None]] = {
    "gradient_linear": (dict(colours=RAMP3, opacities=OPAQUE, angle=30.0), None),
    "gradient_radial": (dict(colours=RAMP3, opacities=OPAQUE, style=b"Rdl ", scale=90.0), None),
    "gradient_angle": (dict(colours=RAMP3, opacities=OPAQUE, style=b"Angl", angle=60.0), None),
    "gradient_reflected": (dict(colours=RAMP3, opacities=OPAQUE, style=b"Rflc", angle=135.0), None),
    "gradient_diamond": (dict(colours=RAMP3, opacities=OPAQUE, style=b"Dmnd", angle=20.0), None),
    "gradient_transparency": (dict(colours=RAMP3, opacities=[(0, 100.0, 50), (1800, 55.0, 50), (3500, 90.0, 50)],
                                   angle=-20.0, dither=True), None),
    # a midpoint is its segment's end stop's (the first stop's, 35 here, is unused)
    "gradient_midpoints": (dict(colours=[(0, (250, 250, 250), 35), (2600, (20, 20, 120), 25), (4096, (240, 200, 0), 70)],
                                opacities=[(0, 100.0, 50), (4096, 30.0, 80)], angle=0.0), None),
    "gradient_hard_edge": (dict(colours=[(0, (240, 240, 40), 50), (2048, (200, 30, 30), 50),
                                         (2048, (20, 40, 200), 50), (4096, (40, 220, 240), 50)],
                                opacities=OPAQUE, angle=0.0), None),
    "gradient_reverse": (dict(colours=RAMP3, opacities=OPAQUE, style=b"Rdl ", reverse=True), None),
    "gradient_scale": (dict(colours=[(0, (60, 60, 60), 50), (4096, (230, 230, 200), 50)], opacities=OPAQUE,
                            angle=0.0, scale=60.0), None),
    "gradient_offset": (dict(colours=RAMP3, opacities=OPAQUE, style=b"Rdl ", scale=80.0, offset=(20.0, -15.0)), None),
    "gradient_aligned_with_shape": (dict(colours=RAMP3, opacities=OPAQUE, angle=45.0), (60.0, 40.0, 300.0, 220.0)),
    "gradient_align_off": (dict(colours=RAMP3, opacities=OPAQUE, angle=45.0, align=False), (60.0, 40.0, 300.0, 220.0)),
    "gradient_no_opacity_stops": (dict(colours=RAMP3, opacities=None, style=b"Rflc", angle=90.0), None),
    "gradient_smooth": (dict(colours=RAMP3, opacities=[(0, 100.0, 50), (2900, 40.0, 50), (4096, 80.0, 50)],
                             angle=90.0, smoothness=4096.0), None),
}


def _gradient_doc():
    psd = PSDImage.new("RGBA", (GW, GH))
    psd.create_pixel_layer(_smooth_rgba(GW, GH, 3, opaque=True), name="Background")
    return psd


def _rect_knots_on(x0, y0, x1, y1, w, h) -> list:
    return [V.ClosedKnotLinked(preceding=(y / h, x / w), anchor=(y / h, x / w), leaving=(y / h, x / w))
            for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]


def gradient_layer(parent, name: str, block: DescriptorBlock, rect=None):
    """An empty layer record with the gradient block; with `rect`, a rectangular vector mask and
    the record's bounds set to it, as Photoshop writes a gradient fill drawn as a shape."""
    layer = _empty(parent, name)
    _set(layer, Tag.GRADIENT_FILL_SETTING, block)
    if rect is not None:
        x0, y0, x1, y1 = rect
        _set(layer, Tag.VECTOR_MASK_SETTING1, vector_mask_block(_rect_knots_on(x0, y0, x1, y1, GW, GH)))
        record = layer._record
        record.left, record.top, record.right, record.bottom = int(x0), int(y0), int(x1), int(y1)
    return layer


def _gradient_case(name: str) -> Callable[[], PSDImage]:
    def build():
        psd = _gradient_doc()
        kwargs, rect = GRADIENTS[name]
        gradient_layer(psd, "Gradient Fill 1", gradient_block(**kwargs), rect)
        return psd
    build.__name__ = name
    return build


for _name in GRADIENTS:
    case(_gradient_case(_name))


@case
def gradient_masked_multiply_fill_clipped():
    """A gradient fill with a pixel mask, Multiply, opacity and Fill, clipped to an opaque layer
    below (a semi-transparent base is clip_onto_group's known difference)."""
    psd = _gradient_doc()
    psd.create_pixel_layer(_smooth_rgba(300, 200, 4, opaque=True), name="base", top=50, left=60)
    layer = gradient_layer(psd, "Gradient Fill 1", gradient_block(colours=RAMP3, opacities=OPAQUE, angle=70.0))
    m = np.zeros((GH, GW), np.uint8)
    m[30:260, 40:380] = np.linspace(40, 255, 340)[None, :].astype(np.uint8)
    layer.create_mask(Image.fromarray(m, "L"), top=0, left=0)
    layer.blend_mode = B.MULTIPLY
    layer.opacity = 210
    layer.fill_opacity = 150
    layer.clipping = True
    return psd


@case
def gradient_noise():
    """A noise gradient: not live in Veil, drawn by psd-tools into pixels."""
    psd = _gradient_doc()
    block = gradient_block(colours=RAMP3, form=b"ClNs")
    grad = block[b"Grad"]
    from psd_tools.psd.descriptor import Integer, List

    grad[b"ShTr"], grad[b"VctC"] = Bool(False), Bool(False)
    grad[b"ClrS"] = Enumerated(typeID=b"ClrS", enum=b"RGBC")
    grad[b"RndS"], grad[b"Smth"] = Integer(3650322), Integer(2048)
    lo, hi = List(), List()
    lo.extend(Integer(v) for v in (0, 0, 0, 0))
    hi.extend(Integer(v) for v in (0, 100, 100, 100))
    grad[b"Mnm "], grad[b"Mxm "] = lo, hi
    gradient_layer(psd, "Noise", block)
    return psd


def hostile_gradient(change: Callable[[DescriptorBlock], None]) -> bytes:
    """A document whose gradient fill layer's descriptor `change` has spoilt."""
    psd = _gradient_doc()
    block = gradient_block(colours=RAMP3, opacities=OPAQUE)
    change(block)
    gradient_layer(psd, "Broken", block)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _save(psd)
