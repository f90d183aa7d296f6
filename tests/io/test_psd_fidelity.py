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
