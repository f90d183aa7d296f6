import io
import zipfile
from xml.etree import ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from editor.core import BlendMode, Document, Group, Layer, Mask
from editor.core.ops import add_mask
from editor.io import export_flat_ora, open_document, save_document
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
