import numpy as np
import pytest
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import BlendMode as PsdBlend

from editor.core import BlendIf, BlendMode, Document, FillLayer, Group, Layer, Mask
from editor.core.blendif import FULL
from editor.io import export_psd, open_document
from editor.io.maskbake import effective_mask
from editor.render import flatten_rgba

from .builders import full_document, pixels


def test_veil_psd_read_back_by_psd_tools(tmp_path):
    doc = full_document()
    path = tmp_path / "out.psd"
    export_psd(doc, path)
    psd = PSDImage.open(path)
    assert psd.size == (64, 48)
    by_name = {layer.name: layer for layer in psd.descendants()}
    assert set(by_name) == {n.name for n in doc.nodes()}
    base = doc.find_by_name("Basis ✓ 日本語 🙂")
    pbase = by_name[base.name]
    assert pbase.offset == base.offset and pbase.blend_mode == PsdBlend.MULTIPLY
    assert pbase.opacity == round(0.7 * 255)
    assert np.array_equal(np.asarray(pbase.topil()), base.pixels)
    assert np.array_equal(np.asarray(pbase.mask.topil()), effective_mask(base.mask))
    assert by_name["clip one"].clipping and by_name["clip two"].clipping and not by_name["clip two"].visible
    assert by_name["Pass-through"].blend_mode == PsdBlend.PASS_THROUGH
    assert by_name["inner"].blend_mode == PsdBlend.LINEAR_DODGE
    # the group's mask lives on its children now
    assert not by_name["Masked group"].has_mask() and by_name["inner"].has_mask()
    merged = np.asarray(psd.topil())
    assert merged.shape == (48, 64, 4) and merged[..., 3].any()
    veil = flatten_rgba(doc).astype(int)
    seen = veil[..., 3] > 0
    assert np.abs(merged.astype(int) - veil)[seen].max() <= 2


def test_psd_round_trip_through_veil(tmp_path):
    rng = np.random.default_rng(5)
    doc = Document(40, 30)
    layer = Layer("Ω layer", pixels(rng, 10, 20), offset=(-4, 25), blend_mode=BlendMode.SOFT_LIGHT, opacity=0.6)
    layer.mask = Mask(rng.integers(0, 256, (10, 20), dtype=np.uint8), enabled=False)
    group = Group("g", [Layer("c", pixels(rng, 5, 5), offset=(1, 1)),
                        Layer("clipped", pixels(rng, 5, 5), offset=(2, 2), clipped=True)])
    for node in (Layer("bg", pixels(rng, 30, 40, opaque=True)), layer, group):
        doc.root.insert(len(doc.root.children), node)
    export_psd(doc, tmp_path / "r.psd")
    back = open_document(tmp_path / "r.psd")
    assert back.warnings == []
    got = back.find_by_name("Ω layer")
    assert got.offset == (-4, 25) and got.blend_mode is BlendMode.SOFT_LIGHT and abs(got.opacity - 0.6) < 1 / 255
    assert np.array_equal(got.pixels, layer.pixels)
    assert np.array_equal(got.mask.data, layer.mask.data) and not got.mask.enabled
    assert back.find_by_name("clipped").clipped and isinstance(back.find_by_name("g"), Group)


def test_fill_round_trips_through_psd(tmp_path):
    rng = np.random.default_rng(6)
    doc = Document(12, 10)
    doc.root.insert(0, Layer("bg", pixels(rng, 10, 12, opaque=True)))
    doc.root.insert(1, Layer("mix", pixels(rng, 10, 12), blend_mode=BlendMode.HARD_MIX, fill=0.4, opacity=0.9))
    doc.root.insert(2, FillLayer("tint", (20, 200, 90, 255), blend_mode=BlendMode.LINEAR_LIGHT, fill=0.6))
    doc.root.insert(3, Layer("plain", pixels(rng, 10, 12), fill=0.5))
    export_psd(doc, tmp_path / "f.psd")
    written = {la.name: la.fill_opacity for la in PSDImage.open(tmp_path / "f.psd")}
    assert written == {"bg": 255, "mix": 102, "tint": 153, "plain": 128}
    back = open_document(tmp_path / "f.psd")
    for name in ("mix", "tint", "plain"):
        assert abs(back.find_by_name(name).fill - doc.find_by_name(name).fill) <= 0.5 / 255
    assert abs(back.find_by_name("mix").opacity - 0.9) <= 0.5 / 255
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 2


def test_psd_made_by_psd_tools_opens_in_veil(tmp_path):
    psd = PSDImage.new("RGBA", (32, 24))
    red = np.zeros((8, 10, 4), np.uint8)
    red[..., 0], red[..., 3] = 255, 255
    layer = psd.create_pixel_layer(Image.fromarray(red, "RGBA"), name="red", top=3, left=4, opacity=128,
                                   blend_mode=PsdBlend.SCREEN)
    layer.create_mask(Image.fromarray(np.tile(np.arange(10, dtype=np.uint8) * 25, (8, 1)), "L"))
    group = psd.create_group(name="grp", blend_mode=PsdBlend.VIVID_LIGHT)
    group.create_pixel_layer(Image.fromarray(red, "RGBA"), name="child", top=0, left=0)
    psd.save(tmp_path / "made.psd")
    doc = open_document(tmp_path / "made.psd")
    got = doc.find_by_name("red")
    assert got.offset == (4, 3) and got.blend_mode is BlendMode.SCREEN and abs(got.opacity - 128 / 255) < 1e-9
    assert np.array_equal(got.pixels, red) and np.array_equal(got.mask.data[0], np.arange(10) * 25)
    assert doc.find_by_name("grp").blend_mode is BlendMode.VIVID_LIGHT and doc.find_by_name("grp").isolated
    assert doc.warnings == []


@pytest.mark.parametrize("mode", list(BlendMode))
def test_every_blend_mode_round_trips_through_psd(tmp_path, mode):
    rng = np.random.default_rng(4)
    doc = Document(8, 6)
    doc.root.insert(0, Layer("bg", pixels(rng, 6, 8, opaque=True)))
    doc.root.insert(1, Layer("top", pixels(rng, 6, 8), blend_mode=mode))
    export_psd(doc, tmp_path / "m.psd")
    expected = PsdBlend.LINEAR_DODGE if mode is BlendMode.ADD else PsdBlend[mode.name]
    assert next(la for la in PSDImage.open(tmp_path / "m.psd") if la.name == "top").blend_mode == expected
    back = open_document(tmp_path / "m.psd")
    assert back.warnings == [] and back.find_by_name("top").blend_mode is mode


def test_blend_if_round_trips_through_the_layer_records_blending_ranges(tmp_path):
    rng = np.random.default_rng(8)
    doc = Document(30, 20)
    layer = Layer("top", pixels(rng, 20, 30),
                  blend_if=BlendIf(this=((10, 40, 200, 230), FULL, (0, 0, 128, 128), FULL),
                                   underlying=(FULL, (5, 6, 255, 255), FULL, (0, 100, 101, 255))))
    group = Group("g", [Layer("c", pixels(rng, 5, 5))], blend_if=BlendIf(underlying=((60, 60, 255, 255), FULL, FULL, FULL)))
    for node in (Layer("bg", pixels(rng, 20, 30, opaque=True)), layer, group):
        doc.root.insert(len(doc.root.children), node)
    export_psd(doc, tmp_path / "b.psd")
    back = open_document(tmp_path / "b.psd")
    assert back.find_by_name("top").blend_if == layer.blend_if
    assert back.find_by_name("g").blend_if == group.blend_if
    assert back.find_by_name("bg").blend_if is None and back.find_by_name("c").blend_if is None
    # The bytes as the file format specification lays them out: gray source black (lo, hi), white (lo, hi).
    psd = PSDImage.open(tmp_path / "b.psd")
    record = next(item for item in psd if item.name == "top")._record
    assert record.blending_ranges.composite_ranges[0] == ((10 << 8) | 40, (200 << 8) | 230)
    assert record.blending_ranges.channel_ranges[1][0] == (0, (128 << 8) | 128)  # green: channel 1 after gray


def test_blend_if_written_by_psd_tools_opens_in_veil(tmp_path):
    from psd_tools.psd.layer_and_mask import LayerBlendingRanges

    psd = PSDImage.new("RGBA", (8, 8))
    layer = psd.create_pixel_layer(Image.fromarray(np.full((8, 8, 4), 200, np.uint8), "RGBA"), name="l")
    full = [(0, 65535), (0, 65535)]
    layer._record.blending_ranges = LayerBlendingRanges(
        composite_ranges=[(0, 65535), ((20 << 8) | 50, 65535)], channel_ranges=[full, full, [((7 << 8) | 7, 65535), (0, 65535)], full])
    psd.save(tmp_path / "made.psd")
    got = open_document(tmp_path / "made.psd").find_by_name("l").blend_if
    assert got.underlying[0] == (20, 50, 255, 255) and got.this[3] == (7, 7, 255, 255)
    assert got.this[0] == got.this[1] == FULL


def test_the_mask_link_is_flag_bit_0_of_the_mask_record(tmp_path):
    """Photoshop stores the chain between layer and mask in mask flag bit 0 (set: unlinked)."""
    rng = np.random.default_rng(7)
    doc = Document(40, 30)
    free = Layer("free", pixels(rng, 10, 20), offset=(3, 4))
    free.mask = Mask(rng.integers(0, 256, (10, 20), dtype=np.uint8), linked=False)
    chained = Layer("chained", pixels(rng, 8, 8), offset=(1, 1))
    chained.mask = Mask(np.full((8, 8), 200, np.uint8))
    inner = Layer("inner", pixels(rng, 6, 6), offset=(2, 2))
    inner.mask = Mask(np.full((6, 6), 255, np.uint8), linked=False)
    group = Group("masked group", [inner])
    group.mask = Mask(np.full((30, 40), 255, np.uint8))
    for node in (free, chained, group):
        doc.root.insert(len(doc.root.children), node)
    export_psd(doc, tmp_path / "link.psd")
    by_name = {layer.name: layer for layer in PSDImage.open(tmp_path / "link.psd").descendants()}
    assert by_name["free"].mask.flags.pos_relative_to_layer
    assert not by_name["chained"].mask.flags.pos_relative_to_layer
    assert by_name["inner"].mask.flags.pos_relative_to_layer  # a group mask pushed into it keeps its chain
    back = open_document(tmp_path / "link.psd")
    assert not back.find_by_name("free").mask.linked and back.find_by_name("chained").mask.linked
    assert not back.find_by_name("inner").mask.linked
    assert np.array_equal(back.find_by_name("free").mask.data, free.mask.data)


def test_masks_from_other_writers_open_linked(tmp_path):
    """psd-tools (as Krita and GIMP) writes bit 0 clear: those masks must not open unlinked."""
    psd = PSDImage.new("RGBA", (16, 12))
    layer = psd.create_pixel_layer(Image.fromarray(np.full((6, 6, 4), 200, np.uint8), "RGBA"), name="a")
    layer.create_mask(Image.fromarray(np.full((6, 6), 90, np.uint8), "L"))
    unlinked = psd.create_pixel_layer(Image.fromarray(np.full((6, 6, 4), 200, np.uint8), "RGBA"), name="b")
    unlinked.create_mask(Image.fromarray(np.full((6, 6), 90, np.uint8), "L"))
    unlinked._record.mask_data.flags.pos_relative_to_layer = True  # as Photoshop writes an unlinked chain
    psd.save(tmp_path / "other.psd")
    doc = open_document(tmp_path / "other.psd")
    assert doc.find_by_name("a").mask.linked
    assert not doc.find_by_name("b").mask.linked
    assert doc.find_by_name("b").offset == (0, 0)  # the flag says nothing about where the mask is


def test_the_link_of_both_masks_comes_from_the_real_user_mask_and_a_vector_mask_alone_from_vmsk():
    from types import SimpleNamespace as NS

    from editor.io.psd import _mask_linked

    bit = lambda on: NS(pos_relative_to_layer=on)  # noqa: E731
    assert not _mask_linked(NS(flags=bit(False), real_flags=bit(True)), NS(not_linked=False))
    assert _mask_linked(NS(flags=bit(True), real_flags=bit(False)), NS(not_linked=True))
    assert not _mask_linked(None, NS(not_linked=True)) and _mask_linked(None, NS(not_linked=False))


def test_every_layer_record_has_the_photoshop_5_flag(tmp_path):
    """Layer record flag bit 3 ("Photoshop 5.0 and later"): without it Photoshop reads a layer
    with legacy semantics and misrenders masked layers (SethRobinson/Patchy docs/ps-compat.md,
    "Write rules pinned against PS"), on every record, groups too."""
    rng = np.random.default_rng(3)
    doc = Document(20, 10)
    masked = Layer("masked", pixels(rng, 6, 8), offset=(2, 1))
    masked.mask = Mask(np.full((6, 8), 90, np.uint8), linked=False)
    doc.root.insert(0, masked)
    doc.root.insert(1, Group("g", [Layer("in", pixels(rng, 4, 4)), FillLayer("fill", (1, 2, 3, 255))]))
    export_psd(doc, tmp_path / "flags.psd")
    records = PSDImage.open(tmp_path / "flags.psd")._record.layer_and_mask_information.layer_info.layer_records
    assert len(records) == 5  # masked, the group's two records, in, fill
    for record in records:  # psd-tools reads the flag as bit 3 of the record's flags byte
        assert record.flags.photoshop_v5_later
