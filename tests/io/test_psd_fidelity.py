"""Veil renders generated Photoshop-style files as psd-tools' own compositor does, and keeps
what it can live (fill layers, masks from vector masks, paths), naming what it rasterised."""

import numpy as np
import pytest

from editor.core import FillLayer, Group, Layer
from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.render import flatten_rgba

from . import psd_cases as C

# Cases where Veil deliberately differs from psd-tools, and why.
DIFFERENT = {
    # A layer clipped to a semi-transparent base: Veil draws it atop the base (the W3C
    # src-atop Veil documents for clipping); psd-tools composites it over the base and then
    # resets the alpha to the base's, which weights the colour differently where the base is
    # partly transparent. Veil's reading is Photoshop's: SethRobinson/Patchy docs/ps-compat.md
    # ("Clipping masks") matched a Photoshop 2026 flatten of a semi-transparent base with a
    # clipped multiply byte for byte, members blending against the base's colour at full
    # strength and the base's alpha only masking the group.
    "clip_onto_group",
    # psd-tools cannot composite Lab ("unsupported blending color space") and hands back the
    # raw Lab bytes as if RGB; Veil converts Lab to sRGB through LittleCMS (tested below).
    "lab_document",
    # Gradient fills where psd-tools' draw_gradient_fill is not Photoshop's: it ignores
    # midpoints, 'Ofst' and 'Algn', and keeps only the last of two stops at one location (a hard
    # edge). test_gradient_fill_draws_as_psd_tools_would_with_photoshops_reading compares these
    # with psd-tools' drawing of the same gradient told what it leaves out.
    "gradient_midpoints", "gradient_offset", "gradient_align_off", "gradient_hard_edge",
    # psd-tools draws straight ramps whatever the smoothness ('Intr'); Photoshop bends them
    # (SethRobinson/Patchy docs/ps-compat.md: Classic cubic interpolation after the midpoint
    # remap), as Veil does: tests/paint/test_photoshop_gradient.py.
    "gradient_smooth",
    # And every gradient fill's geometry: Veil draws a PSD's as Photoshop does by Patchy's probes
    # (docs/gradients.md "Gradient fill layer geometry", docs/vector-tools.md): the line's length
    # is the box's centre chord (psd-tools: a weighted mean of the sides, the width at 90
    # degrees), linear, reflected and radial fills sample pixel corners, and at 100 % with no
    # offset their ends are whole pixels; a fill layer with no vector mask aligns with its
    # mask's visible bounds. tests/render/test_gradient_fill.py works these through;
    # test_gradient_fill_draws_as_psd_tools_would_with_photoshops_reading checks the rest of
    # the reading against psd-tools in psd-tools' geometry.
    *C.GRADIENTS, "gradient_masked_multiply_fill_clipped",
}


def _open(name: str):
    data = C.build(name)
    return data, read_psd(data, f"{name}.psd", DEFAULT_LIMITS)


@pytest.mark.parametrize("name", sorted(set(C.CASES) - DIFFERENT))
def test_render_matches_psd_tools(name, tmp_path):
    data, doc = _open(name)
    ref, got = C.reference(data), flatten_rgba(doc)
    share = C.agreement(ref, got)
    if share < 0.99:
        from PIL import Image
        Image.fromarray(got).save(tmp_path / f"{name}-veil.png")
        Image.fromarray(ref).save(tmp_path / f"{name}-psd-tools.png")
    assert share >= 0.99, f"{name}: {share:.4f} of values within 8/255 (images in {tmp_path})"


def test_solid_fill_is_a_live_fill_layer():
    _, doc = _open("solid_fill")
    fill = doc.find_by_name("Colour Fill 1")
    assert isinstance(fill, FillLayer) and fill.color == (250, 30, 10, 255)
    assert abs(fill.opacity - 160 / 255) < 1e-6 and doc.warnings == []


def test_shape_layer_is_a_fill_with_its_path_as_mask_and_a_veil_path():
    _, doc = _open("shape_ellipse")
    shape = doc.find_by_name("Ellipse 1")
    assert isinstance(shape, FillLayer) and shape.color[:3] == (255, 255, 0)
    m = shape.mask.data
    assert m.shape == (C.H, C.W) and m[18, 24] == 255 and m[1, 1] == 0
    assert 0 < (m[18] % 255 != 0).sum() <= 4  # antialiased at the two edges of the middle row
    assert [p.name for p in doc.paths] == ["Ellipse 1 vector mask"] and doc.paths[0].closed
    assert len(doc.paths[0].anchors) == 4 and doc.paths[0].anchors[0].point == pytest.approx((24 + 15.3, 18), abs=1e-3)


def test_vector_mask_multiplies_the_pixel_mask():
    _, doc = _open("shape_rect_with_pixel_mask")
    m = doc.find_by_name("Rectangle 1").mask.data.astype(int)
    ramp = np.linspace(255, 0, C.W)
    assert m[2, 20] == 0 and abs(m[15, 20] - ramp[20]) <= 1 and abs(m[15, 7] - ramp[7]) <= 1
    assert m[15, 6] == round(ramp[6] * 0.5) or abs(m[15, 6] - ramp[6] * 0.5) <= 1  # half-covered column


def test_fill_opacity_is_a_layers_fill_and_multiplies_a_groups_opacity():
    _, doc = _open("fill_opacity_pixel_layers")
    layer = doc.find_by_name("L1")
    assert layer.opacity == pytest.approx(200 / 255) and layer.fill == pytest.approx(130 / 255)
    _, doc = _open("fill_opacity_group")
    assert doc.find_by_name("g").opacity == pytest.approx(128 / 255)


def _ramp_psd(mode, fill_byte: int) -> bytes:
    """Every (source, backdrop) byte pair: an opaque backdrop whose level is the column under a
    layer in `mode` whose level is the row, at Fill byte `fill_byte` (as psd-tools writes it)."""
    import io

    from PIL import Image
    from psd_tools import PSDImage

    levels = np.arange(256, dtype=np.uint8)
    below = np.empty((256, 256, 4), np.uint8)
    below[..., :3], below[..., 3] = levels[None, :, None], 255
    top = np.empty((256, 256, 4), np.uint8)
    top[..., :3], top[..., 3] = levels[:, None, None], 255
    psd = PSDImage.new("RGB", (256, 256))
    psd.create_pixel_layer(Image.fromarray(below, "RGBA"), name="below")
    layer = psd.create_pixel_layer(Image.fromarray(top, "RGBA"), name="top", blend_mode=mode)
    layer.fill_opacity = fill_byte
    out = io.BytesIO()
    psd.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("mode", "fill_byte"), [("HARD_MIX", 128), ("HARD_MIX", 204), ("LINEAR_LIGHT", 100),
                                                 ("VIVID_LIGHT", 153), ("COLOR_DODGE", 77)])
def test_fill_opacity_on_a_special_mode_renders_as_photoshop_does(mode, fill_byte):
    from psd_tools.constants import BlendMode as PsdBlend

    from editor.core import BlendMode
    from tests.render.photoshop_fill import photoshop_rule

    doc = read_psd(_ramp_psd(PsdBlend[mode], fill_byte), "fill.psd", DEFAULT_LIMITS)
    top = doc.find_by_name("top")
    assert top.fill == pytest.approx(fill_byte / 255) and top.opacity == 1.0
    s, d = np.mgrid[0:256, 0:256]
    expected = photoshop_rule(BlendMode[mode], s, d, fill_byte)
    got = flatten_rgba(doc)[..., 0].astype(np.int64)
    assert np.abs(got - expected).max() <= 2


def test_effects_are_rasterised_and_named():
    _, doc = _open("pixel_layer_color_overlay")
    layer = doc.find_by_name("with overlay")
    assert isinstance(layer, Layer) and layer.opacity == pytest.approx(200 / 255)
    assert any("'with overlay'" in w and "rasterised with its colour overlay" in w for w in doc.warnings)


def test_mask_outside_its_rectangle_uses_its_default_colour():
    _, doc = _open("mask_white_outside")
    m = doc.find_by_name("masked").mask.data
    assert m[0, 0] == 255 and m[12, 16] == 0


def test_psd_without_layers_opens_as_its_merged_image():
    _, doc = _open("no_layers")
    (layer,) = doc.layers()
    assert isinstance(layer, Layer) and layer.pixels.shape == (C.H, C.W, 4)


def test_grayscale_is_named_in_the_warnings():
    _, doc = _open("grayscale_document")
    assert any("Grayscale" in w and "sRGB" in w for w in doc.warnings)
    assert not any(isinstance(n, Group) for n in doc.nodes())


def test_lab_converts_through_littlecms():
    from PIL import ImageCms

    _, doc = _open("lab_document")
    srgb, lab = ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB")
    stored = ImageCms.applyTransform(C._smooth_rgba(C.W, C.H, 2, opaque=True).convert("RGB"),
                                     ImageCms.buildTransform(srgb, lab, "RGB", "LAB"))
    expected = ImageCms.applyTransform(stored, ImageCms.buildTransform(lab, srgb, "LAB", "RGB")).convert("RGBA")
    assert C.agreement(np.asarray(expected), flatten_rgba(doc), tol=2) >= 0.999
    assert any("Lab" in w and "LittleCMS" in w for w in doc.warnings)


def test_psb_opens_and_saves(tmp_path):
    from editor.io import export_psd, open_document

    src = tmp_path / "big.psb"
    src.write_bytes(C.build("psb_large_document_format"))
    doc = open_document(src)
    layer = doc.find_by_name("L1")
    assert layer.opacity == pytest.approx(200 / 255) and layer.fill == pytest.approx(130 / 255)
    out = tmp_path / "again.psb"
    export_psd(doc, out)
    assert out.read_bytes()[:6] == b"8BPS\x00\x02"
    again = open_document(out)
    assert np.abs(flatten_rgba(again).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1


def test_psd_beyond_30000_pixels_asks_for_psb(tmp_path):
    from editor.core import Document
    from editor.io import FileFormatError, export_psd

    with pytest.raises(FileFormatError, match="psb"):
        export_psd(Document(30_001, 2), tmp_path / "wide.psd")
    assert not (tmp_path / "wide.psd").exists()


def test_knockout_is_read_and_written_back():
    from editor.io.psd_write import write_psd

    _, doc = _open("knockout_deep_fill_0_isolated")
    assert doc.find_by_name("knockout").knockout == "deep" and doc.find_by_name("mid").knockout == "none"
    _, doc = _open("knockout_shallow_fill_0_pass_through")
    layer = doc.find_by_name("knockout")
    assert layer.knockout == "shallow" and layer.fill == 0
    doc.find_by_name("g").knockout = "deep"
    import io

    from psd_tools import PSDImage
    from psd_tools.constants import Tag

    out = io.BytesIO()
    write_psd(doc, out)
    by_name = {item.name: item for item in PSDImage.open(io.BytesIO(out.getvalue())).descendants()}
    assert by_name["knockout"].tagged_blocks.get_data(Tag.KNOCKOUT_SETTING) == 1
    assert by_name["g"].tagged_blocks.get_data(Tag.KNOCKOUT_SETTING) == 2
    assert Tag.KNOCKOUT_SETTING not in by_name["mid"].tagged_blocks
    back = read_psd(out.getvalue(), "again.psd", DEFAULT_LIMITS)
    assert back.find_by_name("knockout").knockout == "shallow" and back.find_by_name("g").knockout == "deep"


# --- gradient fill layers ------------------------------------------------------------------

def _reference_block(name: str):
    """The case's descriptor, told what psd-tools' draw_gradient_fill leaves out (what
    editor/io/psd_gradient.py says Photoshop does), and the box psd-tools must lay it over."""
    from psd_tools.psd.descriptor import Double

    kwargs, rect = C.GRADIENTS[name]
    block = C.gradient_block(**kwargs)
    anchor = (0, 0, C.GW, C.GH) if rect is None else tuple(int(v) for v in rect)
    if name in ("gradient_offset", "gradient_align_off"):
        if not kwargs.get("align", True):
            anchor = (0, 0, C.GW, C.GH)
        x0, y0, x1, y1 = anchor
        dx, dy = (x1 - x0) * kwargs.get("offset", (0, 0))[0] / 100, (y1 - y0) * kwargs.get("offset", (0, 0))[1] / 100
        anchor = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
    for key, value_key in ((b"Clrs", b"Clr "), (b"Trns", b"Opct")):
        stops = block[b"Grad"].get(key) or []
        # a midpoint m between two stops: a stop at m holding the halfway value (Krita's reading)
        for i in range(len(stops) - 2, -1, -1):
            a, b = stops[i], stops[i + 1]
            mid = int(b[b"Mdpn"])  # the segment's end stop's (Patchy docs/gradients.md)
            if mid != 50:
                extra = a.__class__(classID=a.classID)
                for k, v in a.items():
                    extra[k] = v
                la, lb = int(a[b"Lctn"]), int(b[b"Lctn"])
                extra[b"Lctn"] = Double(la + (lb - la) * mid / 100)
                if value_key == b"Clr ":
                    halves = [(float(a[b"Clr "][k]) + float(b[b"Clr "][k])) / 2 for k in (b"Rd  ", b"Grn ", b"Bl  ")]
                    extra[b"Clr "] = C.rgb_desc(*halves)
                else:
                    extra[b"Opct"] = C.UnitFloat(unit=C.Unit.Percent,
                                                 value=(float(a[b"Opct"].value) + float(b[b"Opct"].value)) / 2)
                stops.insert(i + 1, extra)
        for i in range(len(stops) - 1):  # two stops at one place: psd-tools keeps the last only
            if float(stops[i][b"Lctn"]) == float(stops[i + 1][b"Lctn"]):
                stops[i][b"Lctn"] = Double(float(stops[i][b"Lctn"]) - 0.1)
    return block, anchor


def _steep(rgba: np.ndarray, levels: int = 24) -> np.ndarray:
    """Pixels beside a jump (a hard edge, the angle style's seam): where half a pixel of
    placement is many levels, so a sub-pixel difference in geometry is not an error."""
    import cv2

    kernel = np.ones((5, 5), np.uint8)
    span = np.zeros(rgba.shape[:2], np.int32)
    for c in range(rgba.shape[2]):
        plane = np.ascontiguousarray(rgba[..., c])
        span = np.maximum(span, cv2.dilate(plane, kernel).astype(np.int32) - cv2.erode(plane, kernel))
    return span > levels


GRADIENT_NAMES = sorted(C.GRADIENTS)


@pytest.mark.parametrize("name", GRADIENT_NAMES)
def test_gradient_fill_draws_as_psd_tools_would_with_photoshops_reading(name):
    from psd_tools.composite.paint import draw_gradient_fill
    from psd_tools.constants import ColorMode

    from editor.core import GradientFillLayer, Rect
    from editor.paint.gradient_fill import fill_pixels

    _, doc = _open(name)
    layer = doc.find_by_name("Gradient Fill 1")
    assert isinstance(layer, GradientFillLayer), doc.warnings
    assert doc.warnings == []
    block, anchor = _reference_block(name)
    color, shape = draw_gradient_fill((0, 0, C.GW, C.GH), ColorMode.RGB, block, anchor)
    alpha = np.ones((C.GH, C.GW), np.float64) if shape is None else shape[..., 0].astype(np.float64)
    want = np.dstack([color * alpha[..., None], alpha]) * 255
    canvas = Rect(0, 0, C.GW, C.GH)
    # undithered (Veil's ordered dither moves each value by up to half a level on purpose),
    # straight ramps (psd-tools ignores the smoothness), in psd-tools' geometry
    got = fill_pixels({**layer.gradient, "dither": False, "smoothness": 0.0, "photoshop_geometry": False},
                      canvas, canvas).astype(np.float64)
    got[..., :3] *= got[..., 3:] / 255
    keep = ~_steep(np.clip(want + 0.5, 0, 255).astype(np.uint8))
    assert keep.mean() > 0.97
    err = np.abs(got - want)[keep]
    assert err.max() <= 2.0, (name, err.max())
    assert np.ptp(got[..., :3]) > 100


def test_gradient_fill_settings_are_photoshops():
    import math

    from editor.core import GradientFillLayer

    def layer(name):
        _, doc = _open(name)
        node = doc.find_by_name("Gradient Fill 1")
        assert isinstance(node, GradientFillLayer)
        return node.gradient

    for name, (kwargs, rect) in C.GRADIENTS.items():
        g = layer(name)
        assert g["style"] == {b"Lnr ": "linear", b"Rdl ": "radial", b"Angl": "angle", b"Rflc": "reflected",
                              b"Dmnd": "diamond"}[kwargs.get("style", b"Lnr ")], name
        assert g["angle"] == kwargs.get("angle", 90.0) and g["scale"] == kwargs.get("scale", 100.0), name
        assert g["reverse"] == kwargs.get("reverse", False) and g["dither"] == kwargs.get("dither", False), name
        assert g["align"] == kwargs.get("align", True) and g["offset"] == list(kwargs.get("offset", (0.0, 0.0))), name
        box = [0, 0, C.GW, C.GH] if rect is None else [int(rect[0]), int(rect[1]), int(rect[2] - rect[0]),
                                                         int(rect[3] - rect[1])]
        assert g["box"] == box, name

    # colour and opacity stops merged at the union of their positions, each interpolated
    g = layer("gradient_transparency")
    assert [round(s["position"] * 4096) for s in g["stops"]] == [0, 1600, 1800, 3500, 4096]
    assert g["stops"][1]["color"] == [40, 190, 90] and g["stops"][1]["opacity"] == pytest.approx(1 - 0.45 * 1600 / 1800)
    at_1800 = [40 + (30 - 40) * 200 / 2496, 190 + (60 - 190) * 200 / 2496, 90 + (220 - 90) * 200 / 2496]
    assert g["stops"][2]["color"] == [round(v) for v in at_1800] and g["stops"][2]["opacity"] == pytest.approx(0.55)
    assert g["stops"][4]["opacity"] == pytest.approx(0.9)
    # a midpoint is a stop there holding the halfway colour (or opacity)
    g = layer("gradient_midpoints")
    positions = [s["position"] for s in g["stops"]]
    assert positions == pytest.approx([0, 650 / 4096, 2600 / 4096, 0.8, (2600 + 0.7 * 1496) / 4096, 1])
    assert g["stops"][1]["color"] == [135, 135, 185]
    assert g["stops"][3]["opacity"] == pytest.approx(0.65)
    assert g["stops"][4]["color"] == [130, 110, 60]
    # two stops at one place are a hard edge: both kept
    g = layer("gradient_hard_edge")
    assert [s["position"] for s in g["stops"]] == [0, 0.5, 0.5, 1]
    assert [s["color"] for s in g["stops"]][1:3] == [[200, 30, 30], [20, 40, 200]]
    assert all(math.isclose(s["opacity"], 1) for s in g["stops"])


def test_gradient_fill_keeps_mask_mode_opacity_fill_and_clipping():
    from editor.core import BlendMode, GradientFillLayer

    _, doc = _open("gradient_masked_multiply_fill_clipped")
    layer = doc.find_by_name("Gradient Fill 1")
    assert isinstance(layer, GradientFillLayer)
    assert layer.blend_mode is BlendMode.MULTIPLY and layer.clipped
    assert layer.opacity == pytest.approx(210 / 255) and layer.fill == pytest.approx(150 / 255)
    assert layer.mask is not None and layer.mask.shape == (C.GH, C.GW)
    assert layer.mask.data[0, 0] == 0 and layer.mask.data[100, 379] == 255


def test_noise_gradient_is_rasterised_and_named():
    _, doc = _open("gradient_noise")
    layer = doc.find_by_name("Noise")
    assert isinstance(layer, Layer)
    assert any("'Noise'" in w and "noise gradient" in w for w in doc.warnings)


def test_foreground_and_background_stops_are_black_and_white_with_a_warning():
    import io
    import warnings as w

    from editor.core import GradientFillLayer

    psd = C._gradient_doc()
    block = C.gradient_block(colours=RAMP_FG_BG, opacities=C.OPAQUE, stop_kinds={0: b"FrgC", 1: b"BckC"})
    C.gradient_layer(psd, "Gradient Fill 1", block)
    out = io.BytesIO()
    with w.catch_warnings():
        w.simplefilter("ignore")
        psd.save(out)
    doc = read_psd(out.getvalue(), "fgbg.psd", DEFAULT_LIMITS)
    layer = doc.find_by_name("Gradient Fill 1")
    assert isinstance(layer, GradientFillLayer)
    assert [s["color"] for s in layer.gradient["stops"]] == [[0, 0, 0], [255, 255, 255], [30, 60, 220]]
    assert any("foreground and background colour stops are shown as black and white" in m for m in doc.warnings)


RAMP_FG_BG = [(0, (200, 100, 50), 50), (2000, (10, 20, 30), 50), (4096, (30, 60, 220), 50)]


def _spoil(change):
    return lambda block: change(block)


HOSTILE = {
    "no gradient": lambda b: b.__delitem__(b"Grad"),
    "no style": lambda b: b.__delitem__(b"Type"),
    "unknown style": lambda b: b.__setitem__(b"Type", C.Enumerated(typeID=b"GrdT", enum=b"ShpB")),
    "no colour stops": lambda b: b[b"Grad"].__setitem__(b"Clrs", type(b[b"Grad"][b"Clrs"])()),
    "no colour list": lambda b: b[b"Grad"].__delitem__(b"Clrs"),
    "no opacity stops": lambda b: b[b"Grad"].__setitem__(b"Trns", type(b[b"Grad"][b"Trns"])()),
    "location past 4096": lambda b: b[b"Grad"][b"Clrs"][1].__setitem__(b"Lctn", C.Double(9000.0)),
    "negative location": lambda b: b[b"Grad"][b"Trns"][0].__setitem__(b"Lctn", C.Double(-5.0)),
    "stop without location": lambda b: b[b"Grad"][b"Clrs"][0].__delitem__(b"Lctn"),
    "stop without colour": lambda b: b[b"Grad"][b"Clrs"][0].__delitem__(b"Clr "),
    "colour without components": lambda b: b[b"Grad"][b"Clrs"][0][b"Clr "].clear(),
    "infinite angle": lambda b: b.__setitem__(b"Angl", C.UnitFloat(unit=C.Unit.Angle, value=float("inf"))),
    "not-a-number scale": lambda b: b.__setitem__(b"Scl ", C.UnitFloat(unit=C.Unit.Percent, value=float("nan"))),
    "zero scale": lambda b: b.__setitem__(b"Scl ", C.UnitFloat(unit=C.Unit.Percent, value=0.0)),
    "offset without components": lambda b: b[b"Ofst"].clear(),
    "midpoint past 100": lambda b: b[b"Grad"][b"Clrs"][0].__setitem__(b"Mdpn", C.Double(400.0)),
    "gradient is not a descriptor": lambda b: b.__setitem__(b"Grad", C.Double(1.0)),
    "not-a-number smoothness": lambda b: b[b"Grad"].__setitem__(b"Intr", C.Double(float("nan"))),
    "smoothness is text": lambda b: b[b"Grad"].__setitem__(b"Intr", C.Enumerated(typeID=b"x", enum=b"y")),
}


@pytest.mark.parametrize("what", sorted(HOSTILE))
def test_malformed_gradient_fill_opens_rasterised_with_a_warning(what):
    data = C.hostile_gradient(HOSTILE[what])
    doc = read_psd(data, "broken.psd", DEFAULT_LIMITS)
    layer = doc.find_by_name("Broken")
    assert isinstance(layer, Layer), what
    assert any(m.startswith("'Broken': gradient fill layer rasterised: ") for m in doc.warnings), (what, doc.warnings)
    flatten_rgba(doc)  # and it renders


def test_smoothness_is_read_and_the_files_own_lists_kept():
    from editor.core import GradientFillLayer
    from editor.paint.gradient_fill import table_of
    from editor.paint.photoshop_gradient import classic_table

    _, doc = _open("gradient_smooth")
    layer = doc.find_by_name("Gradient Fill 1")
    assert isinstance(layer, GradientFillLayer) and doc.warnings == []
    g = layer.gradient
    assert g["smoothness"] == 100.0
    kwargs, _ = C.GRADIENTS["gradient_smooth"]
    colours = [(p / 4096, tuple(float(v) for v in rgb), m / 100) for p, rgb, m in kwargs["colours"]]
    opacities = [(p / 4096, o / 100, m / 100) for p, o, m in kwargs["opacities"]]
    assert g["photoshop_stops"] == {"colors": [[p, list(c), m] for p, c, m in colours],
                                    "opacities": [[p, o, m] for p, o, m in opacities]}
    assert np.allclose(table_of(g), classic_table(colours, opacities, 1.0))


def test_a_gradient_without_smoothness_key_draws_straight_ramps():
    data = C.hostile_gradient(lambda b: b[b"Grad"].__delitem__(b"Intr"))
    doc = read_psd(data, "plain.psd", DEFAULT_LIMITS)
    assert doc.find_by_name("Broken").gradient["smoothness"] == 0.0 and doc.warnings == []


@pytest.mark.parametrize("intr, percent", [(-300.0, 0.0), (5e6, 100.0)])
def test_smoothness_outside_its_range_is_clamped_and_said(intr, percent):
    from editor.core import GradientFillLayer

    data = C.hostile_gradient(lambda b: b[b"Grad"].__setitem__(b"Intr", C.Double(intr)))
    doc = read_psd(data, "odd.psd", DEFAULT_LIMITS)
    layer = doc.find_by_name("Broken")
    assert isinstance(layer, GradientFillLayer) and layer.gradient["smoothness"] == percent
    assert any("'Broken'" in w and "smoothness" in w for w in doc.warnings), doc.warnings
    flatten_rgba(doc)


def test_psd_round_trip_keeps_the_smoothness_and_the_files_lists():
    import io

    from editor.io.psd_write import write_psd

    for name in ("gradient_smooth", "gradient_midpoints"):
        _, doc = _open(name)
        layer = doc.find_by_name("Gradient Fill 1")
        smooth = {**layer.gradient, "smoothness": 40.0}  # midpoints and smoothness together
        layer.gradient = smooth
        out = io.BytesIO()
        write_psd(doc, out)
        back = read_psd(out.getvalue(), "again.psd", DEFAULT_LIMITS)
        again = back.find_by_name("Gradient Fill 1").gradient
        assert again["smoothness"] == pytest.approx(40.0)
        for key in ("colors", "opacities"):
            a, b = smooth["photoshop_stops"][key], again["photoshop_stops"][key]
            assert len(a) == len(b), name
            for (pa, va, ma), (pb, vb, mb) in zip(a, b, strict=True):
                assert abs(pa - pb) <= 0.5 / 4096 and ma == mb and np.allclose(va, vb), name
        assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1, name


def test_a_fill_without_a_vector_mask_aligns_with_its_masks_visible_bounds():
    """Photoshop's layer bounds for a fill layer are its mask's visible samples when the mask
    hides the canvas around it (Patchy docs/gradients.md, `fill_layer_mask_bounds`)."""
    _, doc = _open("gradient_masked_multiply_fill_clipped")  # its mask shows [30:260, 40:380]
    assert doc.find_by_name("Gradient Fill 1").gradient["box"] == [40, 30, 340, 230]
    _, doc = _open("gradient_aligned_with_shape")  # a vector mask: the record's bounds
    assert doc.find_by_name("Gradient Fill 1").gradient["box"] == [60, 40, 240, 180]
