import io
import zipfile
from xml.etree import ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from editor.core import BlendMode, Document, Group, Layer, Mask
from editor.core.ops import add_mask
from editor.io import export_flat_ora, open_document, save_document
from editor.io.errors import FileFormatError
from editor.render import flatten_rgba

from .builders import full_document, pixels, tree

VEIL = "{https://veil.example/ora}"


def test_round_trip_is_lossless(tmp_path):
    doc = full_document()
    path = tmp_path / "project.ora"
    save_document(doc, path)
    back = open_document(path)
    assert back.warnings == []
    assert (back.width, back.height, back.resolution) == (64, 48, 300)
    assert tree(back.root) == tree(doc.root)
    assert back.active is not None and back.active.name == "clip one"
    assert back.path == str(path) and not back.modified
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))


def test_save_marks_document_clean_and_sets_path(tmp_path):
    doc = Document.from_pixels(np.zeros((4, 4, 4), np.uint8))
    add_mask(doc, doc.layers()[0])
    assert doc.modified
    save_document(doc, tmp_path / "a.ora")
    assert not doc.modified and doc.path == str(tmp_path / "a.ora")


def test_archive_layout_follows_openraster(tmp_path):
    path = tmp_path / "p.ora"
    doc = full_document()
    save_document(doc, path)
    with zipfile.ZipFile(path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"image/openraster"
        root = ET.fromstring(zf.read("stack.xml"))
        merged = np.asarray(Image.open(io.BytesIO(zf.read("mergedimage.png"))))
        thumb = Image.open(io.BytesIO(zf.read("Thumbnails/thumbnail.png")))
    assert np.array_equal(merged, flatten_rgba(doc))
    assert max(thumb.size) <= 256
    stacks = list(root.iter("stack"))
    assert all(s.get("isolation") in ("isolate", "auto") for s in stacks)
    top = root.find("stack")
    # topmost first: the masked group is the last child of the root, so it comes first
    assert top[0].get("name") == "Masked group" and top[-1].get("name") == "Background"


def test_masks_and_clip_groups_use_structures_krita_reads(tmp_path):
    path = tmp_path / "p.ora"
    save_document(full_document(), path)
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("stack.xml"))
    clip_group = next(s for s in root.iter("stack") if s.get(f"{VEIL}role") == "clip-group")
    assert clip_group.get("composite-op") == "svg:multiply" and clip_group.get("isolation") == "isolate"
    assert [c.get("composite-op") for c in clip_group][:2] == ["svg:src-atop", "svg:src-atop"]
    masked = clip_group[-1]  # the base, a masked layer: a stack with a dst-in layer over the pixels
    assert masked.tag == "stack" and masked.get("isolation") == "isolate"
    assert masked[0].get("composite-op") == "svg:dst-in" and masked[1].tag == "layer"
    group = root.find("stack")[0]
    assert group.get("name") == "Masked group" and group[0].get("composite-op") == "svg:dst-in"


def test_foreign_render_of_a_masked_layer_matches_veil(tmp_path):
    """What another program sees (mask layer with settings baked in) composites like Veil's render."""
    rng = np.random.default_rng(3)
    doc = Document(32, 32)
    layer = Layer("a", pixels(rng, 32, 32, opaque=True))
    layer.mask = Mask(rng.integers(0, 256, (32, 32), dtype=np.uint8), inverted=True, density=0.5)
    doc.root.insert(0, layer)
    path = tmp_path / "p.ora"
    save_document(doc, path)
    with zipfile.ZipFile(path) as zf:
        shown = np.asarray(Image.open(io.BytesIO(zf.read("data/layer1-mask.png"))))[..., 3].astype(int)
    expected = 255 - np.rint(0.5 * (255 - (255 - layer.mask.data.astype(int))))
    assert np.abs(shown - expected).max() <= 1


def test_unknown_composite_op_becomes_normal_with_a_warning(tmp_path):
    path = tmp_path / "k.ora"
    png = io.BytesIO()
    Image.new("RGBA", (4, 4), (1, 2, 3, 255)).save(png, "PNG")
    xml = ('<image w="4" h="4"><stack><layer name="grain" src="data/a.png" composite-op="krita:grain_merge"/>'
           '<layer name="dodge" src="data/b.png" composite-op="krita:dodge"/>'
           '<layer name="vivid" src="data/c.png" composite-op="krita:vivid_light"/></stack></image>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "image/openraster")
        zf.writestr("stack.xml", xml)
        zf.writestr("data/a.png", png.getvalue())
        zf.writestr("data/b.png", png.getvalue())
        zf.writestr("data/c.png", png.getvalue())
    doc = open_document(path)
    grain, dodge = doc.find_by_name("grain"), doc.find_by_name("dodge")
    assert grain.blend_mode is BlendMode.NORMAL and dodge.blend_mode is BlendMode.COLOR_DODGE
    assert doc.find_by_name("vivid").blend_mode is BlendMode.VIVID_LIGHT
    assert len(doc.warnings) == 1 and "grain" in doc.warnings[0] and "krita:grain_merge" in doc.warnings[0]


@pytest.mark.parametrize("isolated", [True, False])
def test_group_isolation_survives(tmp_path, isolated):
    doc = Document(8, 8)
    doc.root.insert(0, Group("g", [Layer("l", np.full((8, 8, 4), 200, np.uint8))], isolated=isolated))
    save_document(doc, tmp_path / "g.ora")
    assert open_document(tmp_path / "g.ora").find_by_name("g").isolated is isolated


def test_flattened_masks_export_has_no_mask_layers_and_renders_the_same(tmp_path):
    doc = full_document()
    group = doc.find_by_name("Masked group")
    # pushing a group mask into each child is exact for hard masks (a soft one blends children differently)
    group.mask.data[...] = np.where(group.mask.data > 127, 255, 0)
    path = tmp_path / "flat.ora"
    export_flat_ora(doc, path)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("stack.xml").decode()
    assert "svg:dst-in" not in xml
    back = open_document(path)
    assert all(n.mask is None for n in back.nodes())
    diff = np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int))
    assert diff.max() <= 2


def test_thumbnail_fits_in_256_pixels(tmp_path):
    doc = Document.from_pixels(np.full((300, 600, 4), 128, np.uint8))
    save_document(doc, tmp_path / "big.ora")
    with zipfile.ZipFile(tmp_path / "big.ora") as zf:
        thumb = Image.open(io.BytesIO(zf.read("Thumbnails/thumbnail.png")))
    assert thumb.size == (256, 128)


@pytest.mark.parametrize("mode", list(BlendMode))
def test_every_blend_mode_round_trips_with_an_svg_op_other_readers_know(tmp_path, mode):
    rng = np.random.default_rng(2)
    doc = Document(8, 6)
    doc.root.insert(0, Layer("bg", pixels(rng, 6, 8, opaque=True)))
    doc.root.insert(1, Layer("top", pixels(rng, 6, 8), blend_mode=mode))
    path = tmp_path / "m.ora"
    save_document(doc, path)
    with zipfile.ZipFile(path) as zf:
        stack = ET.fromstring(zf.read("stack.xml"))
    top = next(e for e in stack.iter("layer") if e.get("name") == "top")
    assert top.get(f"{VEIL}blend") == mode.value
    assert top.get("composite-op").startswith("svg:")  # Photoshop's own modes: the nearest svg: op
    back = open_document(path)
    assert back.find_by_name("top").blend_mode is mode
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))


def test_fill_round_trips_and_other_readers_see_it_in_the_opacity(tmp_path):
    rng = np.random.default_rng(8)
    doc = Document(12, 10)
    doc.root.insert(0, Layer("bg", pixels(rng, 10, 12, opaque=True)))
    masked = Layer("masked", pixels(rng, 10, 12), blend_mode=BlendMode.HARD_MIX, opacity=0.8, fill=0.5,
                   mask=Mask(rng.integers(0, 256, (10, 12), dtype=np.uint8)))
    doc.root.insert(1, masked)
    doc.root.insert(2, Layer("base", pixels(rng, 10, 12), blend_mode=BlendMode.MULTIPLY, opacity=0.9, fill=0.4))
    doc.root.insert(3, Layer("clipped", pixels(rng, 10, 12), clipped=True, fill=0.7,
                             blend_mode=BlendMode.LINEAR_LIGHT))
    doc.root.insert(4, Layer("zero", pixels(rng, 10, 12), fill=0.0, opacity=0.6))
    path = tmp_path / "f.ora"
    save_document(doc, path)
    with zipfile.ZipFile(path) as zf:
        stack = ET.fromstring(zf.read("stack.xml"))
    seen = {e.get("name"): float(e.get("opacity")) for e in stack.iter() if e.get("name") in
            ("masked", "zero") and e.get(f"{VEIL}role") != "pixels"}
    assert seen == {"masked": pytest.approx(0.4), "zero": 0.0}
    back = open_document(path)
    for node in ("masked", "base", "clipped", "zero"):
        got, want = back.find_by_name(node), doc.find_by_name(node)
        assert (got.fill, got.opacity) == pytest.approx((want.fill, want.opacity)), node
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))


@pytest.mark.parametrize("inner_opacity, inner_visibility, stack_opacity", [
    (0.5, "visible", 1.0), (0.4, "visible", 0.5), (1.0, "hidden", 1.0), (0.7, "hidden", 0.3)])
def test_foreign_masked_layer_keeps_its_layers_own_opacity_and_visibility(tmp_path, inner_opacity, inner_visibility,
                                                                          stack_opacity):
    """A stack of a dst-in mask over one layer, as other programs write it: the stack is isolated,
    so the layer's own opacity and visibility count as well as the stack's."""
    path = tmp_path / "m.ora"
    bg, fg = io.BytesIO(), io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 0, 255, 255)).save(bg, "PNG")
    Image.new("RGBA", (4, 4), (255, 0, 0, 255)).save(fg, "PNG")
    mask = io.BytesIO()
    m = np.zeros((4, 4, 4), np.uint8)
    m[:, 2:] = 255
    Image.fromarray(m, "RGBA").save(mask, "PNG")
    xml = (f'<image w="4" h="4"><stack>'
           f'<stack isolation="isolate" name="masked" opacity="{stack_opacity}">'
           f'<layer name="mask" src="data/m.png" composite-op="svg:dst-in"/>'
           f'<layer name="paint" src="data/fg.png" opacity="{inner_opacity}" visibility="{inner_visibility}"/></stack>'
           f'<layer name="bg" src="data/bg.png"/></stack></image>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "image/openraster")
        zf.writestr("stack.xml", xml)
        zf.writestr("data/bg.png", bg.getvalue())
        zf.writestr("data/fg.png", fg.getvalue())
        zf.writestr("data/m.png", mask.getvalue())
    doc = open_document(path)
    out = flatten_rgba(doc).astype(int)
    shown = inner_opacity * stack_opacity if inner_visibility == "visible" else 0.0
    assert np.abs(out[0, 0] - [0, 0, 255, 255]).max() <= 1  # the mask hides the left half
    assert np.abs(out[0, 3] - [round(255 * shown), 0, round(255 * (1 - shown)), 255]).max() <= 1
    assert doc.find_by_name("masked").mask is not None  # still one layer with its mask


def test_clipped_layer_with_a_mode_is_a_nested_stack_other_programs_can_blend(tmp_path):
    """svg:src-atop cannot carry a blend mode, so a clipped soft-light layer is written as an
    isolated src-atop stack of the layer (svg:soft-light) over a copy of its clip base; an
    OpenRaster reader that composites the stack as the spec says gets Veil's render, and Veil
    reads it back as the one clipped layer."""
    rng = np.random.default_rng(3)
    doc = Document(24, 16)
    base = Layer("base", pixels(rng, 12, 20, opaque=True), offset=(2, 2))
    light = Layer("light", pixels(rng, 16, 24), blend_mode=BlendMode.SOFT_LIGHT, clipped=True, opacity=0.8)
    for node in (Layer("bg", pixels(rng, 16, 24, opaque=True)), base, light):
        doc.root.insert(len(doc.root.children), node)
    save_document(doc, tmp_path / "c.ora")
    with zipfile.ZipFile(tmp_path / "c.ora") as zf:
        root = ET.fromstring(zf.read("stack.xml"))
        nested = next(e for e in root.iter("stack") if e.get(f"{VEIL}role") == "clipped-blend")
        assert nested.get("composite-op") == "svg:src-atop" and nested.get("isolation") == "isolate"
        layer, copy = list(nested)
        assert layer.get("composite-op") == "svg:soft-light" and layer.get("opacity") == "0.8"
        backdrop = np.asarray(Image.open(io.BytesIO(zf.read(copy.get("src")))))
    assert (copy.get("x"), copy.get("y")) == ("2", "2") and np.array_equal(backdrop, base.pixels)
    back = open_document(tmp_path / "c.ora")
    assert [n.name for n in back.nodes()] == ["bg", "base", "light"]
    got = back.find_by_name("light")
    assert got.clipped and got.blend_mode is BlendMode.SOFT_LIGHT and got.opacity == pytest.approx(0.8)
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))


def test_a_plain_mask_is_stored_as_one_grey_channel_too(tmp_path):
    """Veil reads a mask from a grey PNG (a quarter of the RGBA bytes to inflate), even with no
    settings to keep; the RGBA dst-in image stays for other readers."""
    rng = np.random.default_rng(5)
    doc = Document(24, 16)
    layer = Layer("a", pixels(rng, 16, 24, opaque=True), mask=Mask(rng.integers(0, 256, (16, 24), dtype=np.uint8)))
    doc.root.insert(0, layer)
    path = tmp_path / "p.ora"
    save_document(doc, path)
    with zipfile.ZipFile(path) as zf:
        dst_in = next(e for e in ET.fromstring(zf.read("stack.xml")).iter("layer")
                      if e.get("composite-op") == "svg:dst-in")
        raw = Image.open(io.BytesIO(zf.read(dst_in.get(f"{VEIL}mask-src"))))
        shown = np.asarray(Image.open(io.BytesIO(zf.read(dst_in.get("src")))))
    assert raw.mode == "L" and np.array_equal(np.asarray(raw), layer.mask.data)
    assert np.array_equal(shown[..., 3], layer.mask.data)


def test_the_raw_mask_is_read_and_the_image_for_other_readers_is_not_decoded(tmp_path, monkeypatch):
    from editor.io import ora_read

    rng = np.random.default_rng(6)
    doc = Document(24, 16)
    doc.root.insert(0, Layer("a", pixels(rng, 16, 24, opaque=True),
                             mask=Mask(rng.integers(0, 256, (16, 24), dtype=np.uint8), feather=2.0)))
    path = tmp_path / "p.ora"
    save_document(doc, path)
    decoded: list[str] = []
    real = ora_read._decode
    monkeypatch.setattr(ora_read, "_decode", lambda data, src, channel, limits: (decoded.append(src), real(data, src, channel, limits))[1])
    back = open_document(path)
    assert sorted(decoded) == ["data/layer1-mask-raw.png", "data/layer1.png"]
    assert np.array_equal(back.root.children[0].mask.data, doc.root.children[0].mask.data)
    assert back.root.children[0].mask.feather == 2.0


def test_a_raw_mask_still_claims_its_dst_in_image(tmp_path):
    """The dst-in image is not decoded, but it must exist and be this layer's alone."""
    rng = np.random.default_rng(7)
    doc = Document(8, 8)
    doc.root.insert(0, Layer("a", pixels(rng, 8, 8, opaque=True), mask=Mask(np.full((8, 8), 9, np.uint8))))
    path = tmp_path / "p.ora"
    save_document(doc, path)
    with zipfile.ZipFile(path) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    xml = entries["stack.xml"].decode().replace('src="data/layer1-mask.png"', 'src="data/gone.png"')
    broken = tmp_path / "broken.ora"
    with zipfile.ZipFile(broken, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, xml if name == "stack.xml" else data)
    with pytest.raises(FileFormatError, match="gone.png"):
        open_document(broken)
