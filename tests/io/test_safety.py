"""Untrusted files get one clear FileFormatError; failed saves leave the old file intact."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from editor.core import Document, Group, Layer
from editor.io import (
    FileFormatError,
    Limits,
    SaveCancelled,
    export_image,
    export_psd,
    open_document,
    ora_write,
    psd_write,
    save_document,
)

from .builders import full_document


def make_ora(tmp_path: Path, xml: str, members: dict[str, bytes] | None = None, name: str = "t.ora") -> Path:
    png = io.BytesIO()
    Image.new("RGBA", (4, 4), (9, 9, 9, 255)).save(png, "PNG")
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "image/openraster")
        zf.writestr("stack.xml", xml)
        for member, data in (members if members is not None else {"data/a.png": png.getvalue()}).items():
            zf.writestr(member, data)
    return path


ONE_LAYER = '<image w="4" h="4"><stack><layer name="a" src="data/a.png"/></stack></image>'


def png_header_only(w: int, h: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


# --- atomic saves --------------------------------------------------------------------

def test_failed_project_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "p.ora"
    save_document(full_document(1), path)
    before = path.read_bytes()
    calls = []

    def failing_png(array, level=1):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        return b"x" * 100

    monkeypatch.setattr(ora_write, "encode_png", failing_png)
    doc = full_document(2)
    doc.history.clean_index = None
    with pytest.raises(FileFormatError, match="disk full"):
        save_document(doc, path)
    assert path.read_bytes() == before and doc.modified and doc.path is None
    assert [p.name for p in tmp_path.iterdir()] == ["p.ora"]  # no temporary file left behind
    monkeypatch.undo()
    assert open_document(path).find_by_name("Background") is not None


def test_a_cancelled_save_stops_between_layers_and_leaves_the_old_file(tmp_path):
    path = tmp_path / "p.ora"
    save_document(full_document(1), path)
    before = path.read_bytes()
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 2  # let the first layer through, stop at the second

    doc = full_document(2)
    doc.history.clean_index = None
    with pytest.raises(SaveCancelled):
        save_document(doc, path, cancelled=cancelled)
    assert len(asked) == 2
    assert path.read_bytes() == before and doc.modified and doc.path is None
    assert [p.name for p in tmp_path.iterdir()] == ["p.ora"]


def test_failed_psd_and_image_exports_leave_old_files_intact(tmp_path, monkeypatch):
    doc = full_document()
    export_psd(doc, tmp_path / "a.psd")
    export_image(doc, tmp_path / "a.png")
    old_psd, old_png = (tmp_path / "a.psd").read_bytes(), (tmp_path / "a.png").read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("crash while writing")

    monkeypatch.setattr(psd_write, "composite_rgba", boom)  # after the layers are in the file
    with pytest.raises(RuntimeError):
        export_psd(doc, tmp_path / "a.psd")
    monkeypatch.setattr("editor.io.files.encode_image", boom)
    with pytest.raises(RuntimeError):
        export_image(doc, tmp_path / "a.png")
    assert (tmp_path / "a.psd").read_bytes() == old_psd and (tmp_path / "a.png").read_bytes() == old_png
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "a.psd"]


# --- hostile and broken input ----------------------------------------------------------

@pytest.mark.parametrize("suffix", [".ora", ".psd", ".png", ".jpg", ".tif", ".webp", ".bmp"])
def test_zero_byte_files(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(FileFormatError, match="empty"):
        open_document(path)


@pytest.mark.parametrize("suffix", [".ora", ".psd", ".png", ".jpg"])
def test_truncated_files(tmp_path, suffix):
    path = tmp_path / f"whole{suffix}"
    doc = full_document()
    if suffix == ".ora":
        save_document(doc, path)
    elif suffix == ".psd":
        export_psd(doc, path)
    else:
        export_image(doc, path)
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    with pytest.raises(FileFormatError) as err:
        open_document(cut)
    assert "cut" in str(err.value)


def test_wrong_extension_names_both_formats(tmp_path):
    path = tmp_path / "photo.png"
    Image.new("RGB", (4, 4)).save(path, "JPEG")
    with pytest.raises(FileFormatError, match="says PNG but the content is a JPEG"):
        open_document(path)
    (tmp_path / "x.ora").write_bytes((tmp_path / "photo.png").read_bytes())
    with pytest.raises(FileFormatError, match="OpenRaster"):
        open_document(tmp_path / "x.ora")


def test_unknown_extension(tmp_path):
    (tmp_path / "x.gif").write_bytes(b"GIF89a")
    with pytest.raises(FileFormatError, match="cannot open .gif"):
        open_document(tmp_path / "x.gif")


def test_decompression_bomb_is_refused_from_the_header(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(20_000, 20_000))  # 400 MP declared, 100 bytes on disk
    with pytest.raises(FileFormatError, match="over the limit of 300 MP"):
        open_document(path)


def test_pixel_limit_applies_to_ora_layers(tmp_path):
    path = make_ora(tmp_path, ONE_LAYER.replace('w="4" h="4"', 'w="2" h="2"'))  # a 4x4 layer on a 2x2 canvas
    with pytest.raises(FileFormatError, match="over the limit"):
        open_document(path, limits=Limits(max_pixels=10))


def test_zip_bomb_is_refused(tmp_path):
    path = make_ora(tmp_path, ONE_LAYER, {"data/a.png": b"\x00" * (8 << 20)})
    assert path.stat().st_size < 100_000
    with pytest.raises(FileFormatError, match="zip bomb"):
        open_document(path, limits=Limits(max_archive_bytes=1 << 20))


@pytest.mark.parametrize("member", ["../evil.png", "/etc/evil.png", "data/../../evil.png", "C:/evil.png"])
def test_paths_escaping_the_archive(tmp_path, member):
    path = make_ora(tmp_path, ONE_LAYER.replace("data/a.png", member), {member: b"x"})
    with pytest.raises(FileFormatError, match="outside the archive"):
        open_document(path)


def test_hostile_xml_entity_expansion(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE image [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              '<image w="4" h="4"><stack><layer name="&c;" src="data/a.png"/></stack></image>')
    with pytest.raises(FileFormatError, match="forbidden XML"):
        open_document(make_ora(tmp_path, laughs))


@pytest.mark.parametrize(("xml", "why"), [
    ('<image w="-4" h="4"><stack/></image>', "impossible canvas size"),
    ('<image w="4" h="99999999999"><stack/></image>', "impossible canvas size"),
    ('<image w="four" h="4"><stack/></image>', "bad canvas size"),
    ('<image w="4" h="4"><stack><layer src="data/a.png" x="1e15"/></stack></image>', "absurd x"),
    ('<image w="4" h="4"><stack><layer src="data/a.png" opacity="7"/></stack></image>', "outside 0..1"),
    ('<image w="4" h="4"><stack><layer src="data/missing.png"/></stack></image>', "missing"),
    ('<image w="4" h="4"><stack><layer src="data/a.png"/><layer src="data/a.png"/></stack></image>',
     "more than one layer"),
    ('<image w="4" h="4"><stack><layer name="n"/></stack></image>', "names no image"),
    ('<image w="4" h="4">', "not well-formed"),
    ('<other/>', "not <image>"),
])
def test_bad_stack_xml(tmp_path, xml, why):
    with pytest.raises(FileFormatError, match=why):
        open_document(make_ora(tmp_path, xml))


def test_duplicated_zip_member(tmp_path):
    path = make_ora(tmp_path, ONE_LAYER)
    with zipfile.ZipFile(path, "a") as zf, pytest.warns(UserWarning):
        zf.writestr("data/a.png", b"again")
    with pytest.raises(FileFormatError, match="twice"):
        open_document(path)


def test_failed_load_leaves_the_open_document_untouched(tmp_path):
    doc = Document.from_pixels(np.full((4, 4, 4), 7, np.uint8))
    before = (doc.layers()[0].pixels.copy(), doc.path, list(doc.warnings))
    (tmp_path / "bad.ora").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(FileFormatError):
        doc = open_document(tmp_path / "bad.ora")
    assert np.array_equal(doc.layers()[0].pixels, before[0]) and (doc.path, doc.warnings) == before[1:]
    assert isinstance(doc.layers()[0], Layer)


def test_message_says_what_which_and_why(tmp_path):
    path = tmp_path / "gone.png"
    with pytest.raises(FileFormatError) as err:
        open_document(path)
    assert str(err.value) == f"cannot open 'gone.png' ({path}): no such file"


def _nested(depth: int) -> Document:
    doc = Document(16, 16)
    node = Layer("deep", np.full((4, 4, 4), 200, np.uint8), offset=(2, 2))
    for i in range(depth):
        node = Group(f"g{i}", [node])
    doc.root.insert(0, node)
    return doc


@pytest.mark.parametrize("suffix", [".psd", ".ora"])
def test_groups_nested_past_the_limit_are_refused_and_up_to_it_open_and_render(tmp_path, suffix):
    from editor.io.errors import DEFAULT_LIMITS
    from editor.render import flatten_rgba

    def write(doc, path):
        export_psd(doc, path) if suffix == ".psd" else save_document(doc, path)

    limit = DEFAULT_LIMITS.max_depth
    write(_nested(limit), tmp_path / f"ok{suffix}")
    doc = open_document(tmp_path / f"ok{suffix}")
    assert flatten_rgba(doc)[3, 3, 3] == 200  # the compositor's recursion has room for it
    write(_nested(limit + 1), tmp_path / f"deep{suffix}")
    with pytest.raises(FileFormatError, match="nested more than"):
        open_document(tmp_path / f"deep{suffix}")


def _one_layer_psd() -> tuple[bytearray, int]:
    doc = Document(32, 32)
    doc.root.insert(0, Layer("a", np.full((8, 8, 4), 200, np.uint8), offset=(2, 2)))
    f = io.BytesIO()
    psd_write.write_psd(doc, f)
    data = bytearray(f.getvalue())
    return data, data.find(struct.pack(">4i", 2, 2, 10, 10))  # the layer record's top, left, bottom, right


@pytest.mark.parametrize("rect", [(0, 0, 300_000, 300_000), (-2**31, -2**31, 2**31 - 1, 2**31 - 1), (0, 0, 1, 2**30)])
def test_hostile_layer_sizes_in_a_psd_are_refused_before_decoding(tmp_path, rect):
    data, at = _one_layer_psd()
    data[at:at + 16] = struct.pack(">4i", *rect)
    (tmp_path / "h.psd").write_bytes(bytes(data))
    with pytest.raises(FileFormatError, match="over the limit"):
        open_document(tmp_path / "h.psd")


def test_a_psd_channel_longer_than_the_file_is_refused(tmp_path):
    data, at = _one_layer_psd()
    data[at + 20:at + 24] = struct.pack(">I", 2**31)  # the first channel's length
    (tmp_path / "h.psd").write_bytes(bytes(data))
    with pytest.raises(FileFormatError):
        open_document(tmp_path / "h.psd")
