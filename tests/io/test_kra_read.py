"""Krita's .kra: the fixtures Krita wrote render as Krita renders them; constructed files round-trip
exact pixels; hostile files are refused quickly without allocating anything huge.

The writer below follows Krita's format (KisTileCompressor2): a text header, then per tile
`x,y,LZF,size` and a flag byte, 1 = LZF over the pixel bytes split into planes, 0 = raw pixels.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from editor.core import BlendMode, Group, Layer
from editor.io import FileFormatError, open_document
from editor.io.errors import Limits
from editor.io.kra_read import read_kra
from editor.io.kra_tiles import parse_tiles
from editor.io.lzf import decompress
from editor.render import flatten_rgba

FIXTURES = Path(__file__).parent / "fixtures" / "foreign"
NS = "http://www.calligra.org/DTD/krita"


# --- a tiny .kra writer --------------------------------------------------------------
def lzf_compress(data: bytes) -> bytes:
    """A plain greedy LZF encoder (matches of 3..264 bytes up to 8192 back, literal runs of 1..32)."""
    out = bytearray()
    literals = bytearray()
    last: dict[bytes, int] = {}
    i, n = 0, len(data)

    def flush() -> None:
        for k in range(0, len(literals), 32):
            run = literals[k:k + 32]
            out.append(len(run) - 1)
            out.extend(run)
        literals.clear()

    while i < n:
        ref = last.get(data[i:i + 3]) if i + 3 <= n else None
        if i + 3 <= n:
            last[data[i:i + 3]] = i
        if ref is not None and 0 < i - ref <= 8192:
            length = 3
            while i + length < n and length < 264 and data[ref + length] == data[i + length]:
                length += 1
            flush()
            distance = i - ref - 1
            code = length - 2
            if code < 7:
                out.append((code << 5) | (distance >> 8))
            else:
                out.append((7 << 5) | (distance >> 8))
                out.append(code - 7)
            out.append(distance & 255)
            i += length
        else:
            literals.append(data[i])
            i += 1
    flush()
    return bytes(out)


def tile_file(pixels: np.ndarray, origin: tuple[int, int] = (0, 0), *, compress: bool = True, tile: int = 64,
              skip_value: bytes | None = None) -> bytes:
    """Krita's tiled device file for (h, w, pixel_size) raw bytes whose (0, 0) is at `origin` (a tile corner);
    tiles whose every pixel equals `skip_value` are left out (they take the default pixel)."""
    h, w, ps = pixels.shape
    body = bytearray()
    count = 0
    for ty in range(0, h, tile):
        for tx in range(0, w, tile):
            block = np.zeros((tile, tile, ps), np.uint8)
            part = pixels[ty:ty + tile, tx:tx + tile]
            block[:part.shape[0], :part.shape[1]] = part
            if skip_value is not None and (block == np.frombuffer(skip_value, np.uint8)).all():
                continue
            packed = lzf_compress(block.transpose(2, 0, 1).tobytes()) if compress else b""
            if compress and len(packed) < block.size:  # as Krita: raw when LZF does not make it smaller
                data = b"\x01" + packed
            else:
                data = b"\x00" + block.tobytes()
            body += f"{origin[0] + tx},{origin[1] + ty},LZF,{len(data)}\n".encode() + data
            count += 1
    header = f"VERSION 2\nTILEWIDTH {tile}\nTILEHEIGHT {tile}\nPIXELSIZE {ps}\nDATA {count}\n".encode()
    return header + bytes(body)


def bgra(rgba: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgba[..., [2, 1, 0, 3]])


def layer_xml(name: str, filename: str, *, kind: str = "paintlayer", x: int = 0, y: int = 0, extra: str = "",
              inner: str = "") -> str:
    return (f'<layer name="{name}" nodetype="{kind}" filename="{filename}" x="{x}" y="{y}" opacity="255" '
            f'visible="1" compositeop="normal" colorspacename="RGBA" {extra}>{inner}</layer>')


def make_kra(layers: str, files: dict[str, bytes], *, width: int = 64, height: int = 48,
             merged: np.ndarray | None = None, maindoc: bytes | None = None, image_extra: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/x-krita")
        doc = (f'<?xml version="1.0" encoding="UTF-8"?>\n'
               f"<!DOCTYPE DOC PUBLIC '-//KDE//DTD krita 2.0//EN' 'http://www.calligra.org/DTD/krita-2.0.dtd'>\n"
               f'<DOC xmlns="{NS}" syntaxVersion="2.0"><IMAGE name="img" width="{width}" height="{height}" '
               f'colorspacename="RGBA" x-res="72" y-res="72"><layers>{layers}</layers>{image_extra}</IMAGE></DOC>').encode()
        z.writestr("maindoc.xml", maindoc if maindoc is not None else doc, zipfile.ZIP_DEFLATED)
        for name, data in files.items():
            z.writestr(f"img/layers/{name}", data, zipfile.ZIP_DEFLATED)
        if merged is not None:
            out = io.BytesIO()
            Image.fromarray(merged, "RGBA").save(out, "PNG")
            z.writestr("mergedimage.png", out.getvalue())
    return buf.getvalue()


def read(data: bytes, limits: Limits | None = None):
    return read_kra(data, "test.kra", limits or Limits())


def random_rgba(h: int, w: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rgba = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    rgba[: h // 2, : w // 3] = (10, 200, 30, 255)  # runs, so LZF has matches to find
    return rgba


# --- Krita's own files ------------------------------------------------------------------
def agree(actual: np.ndarray, expected: np.ndarray) -> float:
    """The share of pixels within 4/255 on every channel (pixels transparent in both excluded)."""
    a, e = actual.astype(int), expected.astype(int)
    visible = (a[..., 3] > 0) | (e[..., 3] > 0)
    return float((np.abs(a - e).max(-1)[visible] <= 4).mean())


@pytest.mark.parametrize(("source", "render"), [("krita-export.kra", "krita-render.png"),
                                                ("krita-native.kra", "krita-native-export.png")])
def test_krita_documents_render_as_krita_renders_them(source, render):
    doc = open_document(FIXTURES / source)
    assert doc.warnings == []
    expected = np.asarray(Image.open(FIXTURES / render).convert("RGBA"))
    assert agree(flatten_rgba(doc), expected) >= 0.99


def test_krita_structures_become_masks_groups_and_clipping():
    doc = open_document(FIXTURES / "krita-export.kra")
    assert [(n.name, type(n).__name__) for n in doc.root.children] == [
        ("Background", "Layer"), ("Masked", "Group"), ("Group", "Group")]
    holder = doc.root.children[1]
    assert holder.blend_mode is BlendMode.MULTIPLY and holder.opacity == pytest.approx(204 / 255)
    masked, clipped = holder.children  # the dst-in group folded into a masked layer
    assert isinstance(masked, Layer) and masked.mask is not None and masked.offset == (16, 12)
    assert clipped.clipped and doc.active is masked
    assert doc.root.children[2].children[0].offset == (2, 2)  # the layer's x, y move its tiles

    native = open_document(FIXTURES / "krita-native.kra")
    top, clip = native.root.children[1].children
    assert top.mask is not None and top.mask.data.min() < 255 and clip.clipped


def test_veil_render_reads_a_kra_from_the_command_line(tmp_path):
    out = tmp_path / "out.png"
    subprocess.run([sys.executable, "-m", "editor.cli", "render", str(FIXTURES / "krita-native.kra"), str(out)],
                   check=True, capture_output=True, cwd=Path(__file__).parents[2], timeout=120)
    expected = np.asarray(Image.open(FIXTURES / "krita-native-export.png").convert("RGBA"))
    assert agree(np.asarray(Image.open(out).convert("RGBA")), expected) >= 0.99


# --- constructed files round-trip exact pixels ------------------------------------------------
@pytest.mark.parametrize("compress", [True, False])
def test_tiles_raw_and_lzf_round_trip_exact_pixels_at_negative_coordinates_and_offsets(compress):
    rgba = random_rgba(100, 150)
    files = {"layer1": tile_file(bgra(rgba), (-64, -128), compress=compress)}
    flags = {files["layer1"][offset] for _x, _y, offset, _size in parse_tiles(files["layer1"], 4, Limits())[2]}
    assert flags == ({0, 1} if compress else {0})  # both kinds of tile when compressing, raw only otherwise
    doc = read(make_kra(layer_xml("Paint", "layer1", x=5, y=7), files))
    (layer,) = doc.root.children
    assert layer.offset == (-64 + 5, -128 + 7)
    h, w = layer.pixels.shape[:2]
    assert (h, w) == (128, 192)  # whole tiles
    np.testing.assert_array_equal(layer.pixels[:100, :150], rgba)


def test_absent_tiles_take_the_default_pixel_and_a_filled_layer_covers_the_canvas():
    rgba = random_rgba(64, 64, seed=3)
    fill = bytes([40, 30, 20, 255])  # B, G, R, A
    files = {"layer1": tile_file(bgra(rgba), (64, 0)), "layer1.defaultpixel": fill}
    doc = read(make_kra(layer_xml("Filled", "layer1"), files, width=200, height=100))
    (layer,) = doc.root.children
    assert layer.bounds() == layer.bounds().__class__(0, 0, 200, 100)
    np.testing.assert_array_equal(layer.pixels[:64, 64:128], rgba)
    assert (layer.pixels[80, 10] == (20, 30, 40, 255)).all() and (layer.pixels[10, 150] == (20, 30, 40, 255)).all()


def test_lzf_decoder_agrees_with_the_encoder_on_long_and_overlapping_matches():
    rng = np.random.default_rng(1)
    data = bytes(rng.integers(0, 4, 5000, dtype=np.uint8)) + b"\x07" * 3000 + bytes(rng.integers(0, 256, 300, dtype=np.uint8))
    assert decompress(lzf_compress(data), len(data)).tobytes() == data


def test_transparency_masks_multiply_and_hidden_ones_are_disabled():
    rgba = np.full((64, 64, 4), 200, np.uint8)
    a = np.zeros((64, 64, 1), np.uint8)
    a[:, :32] = 255
    b = np.full((64, 64, 1), 128, np.uint8)
    masks = ('<masks><mask name="A" nodetype="transparencymask" filename="m1" visible="1" x="0" y="0"/>'
             '<mask name="B" nodetype="transparencymask" filename="m2" visible="1" x="0" y="0"/></masks>')
    hidden = '<masks><mask name="H" nodetype="transparencymask" filename="m3" visible="0" x="0" y="0"/></masks>'
    files = {"layer1": tile_file(bgra(rgba)), "m1.pixelselection": tile_file(a), "m2.pixelselection": tile_file(b),
             "layer2": tile_file(bgra(rgba)), "m3.pixelselection": tile_file(a)}
    layers = layer_xml("Two", "layer1", inner=masks) + layer_xml("Hidden", "layer2", inner=hidden)
    doc = read(make_kra(layers, files))
    hid, two = doc.root.children
    assert two.mask.enabled and two.mask.data[0, 0] == 128 and two.mask.data[0, 40] == 0
    assert not hid.mask.enabled and hid.mask.data[0, 0] == 255


def test_inherit_alpha_over_several_layers_groups_them_as_the_clip_base_exactly():
    """Krita clips to everything below in the group; Veil to one base: the layers below become the base."""
    left = np.zeros((64, 64, 4), np.uint8)
    left[:, :20] = (255, 0, 0, 255)
    right = np.zeros((64, 64, 4), np.uint8)
    right[:, 40:] = (0, 0, 255, 255)
    over = np.full((64, 64, 4), (0, 255, 0, 128), np.uint8)
    files = {"l1": tile_file(bgra(left)), "l2": tile_file(bgra(right)), "l3": tile_file(bgra(over))}
    layers = (layer_xml("Over", "l3", extra='channelflags="1110"') + layer_xml("Right", "l2") + layer_xml("Left", "l1"))
    doc = read(make_kra(layers, files, width=64, height=64))
    base, over_node = doc.root.children
    assert isinstance(base, Group) and [c.name for c in base.children] == ["Left", "Right"] and over_node.clipped
    out = flatten_rgba(doc)
    assert out[5, 30, 3] == 0  # nothing below: the clipped layer shows nothing there
    assert abs(int(out[5, 5, 1]) - 128) <= 1 and out[5, 5, 3] == 255  # green half over red
    assert abs(int(out[5, 50, 1]) - 128) <= 1 and out[5, 50, 3] == 255  # and over blue


def test_a_16_bit_layer_and_a_grey_layer_convert_with_a_notice():
    wide = np.zeros((64, 64, 4), "<u2")
    wide[...] = (0, 32768, 65535, 65535)  # B, G, R, A
    grey = np.zeros((64, 64, 2), np.uint8)
    grey[...] = (90, 255)
    files = {"l1": tile_file(wide.view(np.uint8).reshape(64, 64, 8)), "l2": tile_file(grey)}
    layers = (layer_xml("Wide", "l1").replace('colorspacename="RGBA"', 'colorspacename="RGBA16"')
              + layer_xml("Grey", "l2").replace('colorspacename="RGBA"', 'colorspacename="GRAYA"'))
    doc = read(make_kra(layers, files))
    grey_node, wide_node = doc.root.children
    assert tuple(wide_node.pixels[0, 0]) == (255, 128, 0, 255)
    assert tuple(grey_node.pixels[0, 0]) == (90, 90, 90, 255)
    assert any("16-bit" in w for w in doc.warnings) and any("grey" in w for w in doc.warnings)


def test_what_veil_cannot_show_is_named_and_blend_modes_map():
    rgba = np.full((64, 64, 4), 100, np.uint8)
    files = {"l1": tile_file(bgra(rgba)), "l2": tile_file(bgra(rgba))}
    layers = (layer_xml("Vector", "l9", kind="shapelayer") + layer_xml("Filter", "l8", kind="adjustmentlayer")
              + layer_xml("Soft", "l1").replace('compositeop="normal"', 'compositeop="soft_light"')
              + layer_xml("Burn", "l2").replace('compositeop="normal"', 'compositeop="linear_burn"')
              + '<layer name="Pass" nodetype="grouplayer" passthrough="1" opacity="128" visible="0" '
                'compositeop="normal"><layers/></layer>')
    doc = read(make_kra(layers, files))
    group, burn, soft = doc.root.children
    assert burn.blend_mode is BlendMode.LINEAR_BURN and soft.blend_mode is BlendMode.SOFT_LIGHT
    assert not group.isolated and not group.visible and group.opacity == pytest.approx(128 / 255)
    text = " ".join(doc.warnings)
    assert "'Vector'" in text and "vector layer" in text and "'Filter'" in text and "'Soft'" in text
    assert "'Burn'" not in text


def test_a_clone_layer_copies_its_source_pixels():
    rgba = random_rgba(64, 64, seed=5)
    files = {"l1": tile_file(bgra(rgba))}
    layers = (layer_xml("Clone", "l2", kind="clonelayer", x=10, extra='clonefrom="Source"')
              + layer_xml("Source", "l1", extra='uuid="{s}"'))
    doc = read(make_kra(layers, files))
    source, clone = doc.root.children
    np.testing.assert_array_equal(clone.pixels, source.pixels)
    assert clone.offset == (10, 0) and clone.pixels is not source.pixels


def test_an_unreadable_tree_opens_the_merged_image_with_a_warning():
    merged = random_rgba(48, 64, seed=7)
    doc = read(make_kra("", {}, merged=merged, maindoc=b"<DOC><IMAGE"))
    (layer,) = doc.root.children
    np.testing.assert_array_equal(layer.pixels, merged)
    assert doc.warnings and "merged image" in doc.warnings[0]


# --- hostile files --------------------------------------------------------------------------
def _good() -> bytes:
    return make_kra(layer_xml("Paint", "layer1"), {"layer1": tile_file(bgra(random_rgba(64, 64)))})


def _tile_case(body: bytes) -> bytes:
    return make_kra(layer_xml("Paint", "layer1"), {"layer1": body})


def _header(count: int, ps: int = 4) -> bytes:
    return f"VERSION 2\nTILEWIDTH 64\nTILEHEIGHT 64\nPIXELSIZE {ps}\nDATA {count}\n".encode()


def _bad_lzf() -> bytes:
    body = b"\x01" + bytes([0xE0, 0xFF, 0xFF]) * 10  # a match reaching before the start
    return _tile_case(_header(1) + f"0,0,LZF,{len(body)}\n".encode() + body)


def _short_lzf() -> bytes:
    body = b"\x01" + lzf_compress(b"\x05" * 100)  # inflates to far fewer bytes than a tile
    return _tile_case(_header(1) + f"0,0,LZF,{len(body)}\n".encode() + body)


def _far_tiles() -> bytes:
    raw = b"\x00" + bytes(64 * 64 * 4)
    return _tile_case(_header(2) + f"0,0,LZF,{len(raw)}\n".encode() + raw
                      + f"640000,640000,LZF,{len(raw)}\n".encode() + raw)


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"application/x-krita")
        z.writestr("img/layers/layer1", b"\0" * (80 << 20))
    return buf.getvalue()


def _traversal() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", b"application/x-krita")
        z.writestr("../evil", b"x")
    return buf.getvalue()


def _entities() -> bytes:
    maindoc = (b'<?xml version="1.0"?><!DOCTYPE DOC [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
               b"<DOC><IMAGE name='&b;' width='1' height='1'><layers/></IMAGE></DOC>")
    return make_kra("", {}, maindoc=maindoc)


HOSTILE = {
    "truncated zip": lambda: _good()[: len(_good()) // 2],
    "bad LZF": _bad_lzf,
    "short LZF": _short_lzf,
    "tile out of range": lambda: _tile_case(_header(1) + b"99999999,0,LZF,5\n" + b"\0" * 5),
    "huge declared tile size": lambda: _tile_case(_header(1) + b"0,0,LZF,2000000000\n" + b"\1" * 10),
    "huge declared tile count": lambda: _tile_case(_header(10**9)),
    "tiles far apart": _far_tiles,
    "truncated tile": lambda: _tile_case(_header(1) + b"0,0,LZF,16385\n\x00" + b"\0" * 100),
    "wrong pixel size": lambda: _tile_case(_header(1, ps=3) + b"0,0,LZF,2\n\x01\x00"),
    "unknown flag": lambda: _tile_case(_header(1) + b"0,0,LZF,2\n\x07\x00"),
    "missing layer file": lambda: make_kra(layer_xml("Paint", "nothere"), {}),
    "zip bomb": _zip_bomb,
    "path traversal": _traversal,
    "XML entities": _entities,
    "huge canvas": lambda: make_kra("", {}, width=10**6, height=10**6),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_are_refused_quickly_without_allocating_much(case, tmp_path):
    data = HOSTILE[case]()
    limits = Limits(max_archive_bytes=64 << 20, max_pixels=50_000_000)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(FileFormatError):
            read(data, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5
    assert peak < 64 << 20, f"{peak >> 20} MiB"
    path = tmp_path / "x.kra"
    path.write_bytes(data)
    with pytest.raises(FileFormatError):
        open_document(path, limits=limits)


def test_a_destination_in_layer_on_top_of_a_group_becomes_the_group_mask():
    paint = np.full((64, 64, 4), (200, 100, 50, 255), np.uint8)
    cut = np.zeros((64, 64, 4), np.uint8)
    cut[:, :16, 3] = 255
    mask = np.full((64, 64, 1), 255, np.uint8)
    files = {"a": tile_file(bgra(paint)), "b": tile_file(bgra(paint)), "cut": tile_file(bgra(cut)),
             "m.pixelselection": tile_file(mask)}
    dst_in = layer_xml("Cut", "cut").replace('compositeop="normal"', 'compositeop="destination-in"')
    two = layer_xml("A", "a") + layer_xml("B", "b")
    group_masks = '<masks><mask name="M" nodetype="transparencymask" filename="m" visible="1"/></masks>'
    layers = (f'<layer name="Cut group" nodetype="grouplayer" compositeop="normal" opacity="255"><layers>{dst_in}{two}</layers></layer>'
              f'<layer name="Plain" nodetype="grouplayer" compositeop="normal" opacity="255">{group_masks}'
              f'<layers>{layer_xml("C", "a")}</layers></layer>')
    doc = read(make_kra(layers, files, width=64, height=64))
    plain, cut_group = doc.root.children
    assert isinstance(cut_group, Group) and [c.name for c in cut_group.children] == ["B", "A"]
    assert cut_group.mask.data[0, 0] == 255 and cut_group.mask.data[0, 20] == 0
    assert isinstance(plain, Group) and plain.mask is not None  # a user's group mask stays on the group
    assert flatten_rgba(doc)[5, 30, 3] == 255 and doc.warnings == []


def test_many_small_tiles_decode_in_parallel_runs_exactly():
    rgba = random_rgba(160, 256, seed=9)
    files = {"layer1": tile_file(bgra(rgba), (-32, 16), tile=16)}  # 160 tiles: split over the workers
    (layer,) = read(make_kra(layer_xml("Paint", "layer1"), files, width=256, height=160)).root.children
    assert layer.offset == (-32, 16)
    np.testing.assert_array_equal(layer.pixels, rgba)
    tiles = parse_tiles(files["layer1"], 4, Limits())[2]
    x, y, offset, _size = tiles[-3]  # a tile in the last worker's run
    damaged = bytearray(files["layer1"])
    damaged[offset] = 7
    with pytest.raises(FileFormatError, match=f"tile at {x},{y} has an unknown compression flag"):
        read(make_kra(layer_xml("Paint", "layer1"), {"layer1": bytes(damaged)}, width=256, height=160))


def test_an_animated_layer_shows_the_frame_held_at_the_current_time():
    frames = {t: np.full((64, 64, 4), (t * 20, 0, 0, 255), np.uint8) for t in (0, 3, 8)}
    files = {f"layer1.f{t}": tile_file(bgra(rgba)) for t, rgba in frames.items()}
    files["layer1"] = files.pop("layer1.f0")
    files["layer1.keyframes.xml"] = (
        b'<?xml version="1.0"?><keyframes><channel name="content">'
        b'<keyframe time="0" frame="layer1"><offset x="0" y="0"/></keyframe>'
        b'<keyframe time="3" frame="layer1.f3"/><keyframe time="8" frame="layer1.f8"/></channel></keyframes>')
    animation = '<animation><currentTime value="5" type="value"/></animation>'
    layer = layer_xml("Walk", "layer1", extra='keyframes="layer1.keyframes.xml"')
    doc = read(make_kra(layer, files, image_extra=animation))
    assert tuple(doc.root.children[0].pixels[0, 0]) == (60, 0, 0, 255)
    assert any("'Walk' is animated" in w for w in doc.warnings)


def test_a_mask_without_pixels_is_named_and_a_bad_default_pixel_is_transparent_as_in_krita():
    rgba = np.full((64, 64, 4), 100, np.uint8)
    masks = '<masks><mask name="Vec" nodetype="transparencymask" filename="m1" visible="1"/></masks>'
    files = {"l1": tile_file(bgra(rgba)), "l1.defaultpixel": b"\xff\xff"}
    doc = read(make_kra(layer_xml("Paint", "l1", inner=masks), files, width=200, height=100))
    (layer,) = doc.root.children
    assert layer.mask is None and layer.pixels.shape == (64, 64, 4)  # a transparent default: no canvas fill
    assert any("'Vec'" in w for w in doc.warnings)


def test_a_layer_in_another_rgb_profile_is_converted_to_srgb_with_a_notice():
    from .test_images import swapped_profile

    rgba = np.full((64, 64, 4), (200, 30, 10, 255), np.uint8)
    files = {"l1": tile_file(bgra(rgba)), "l1.icc": swapped_profile()}
    doc = read(make_kra(layer_xml("Wide", "l1"), files))
    r, g, b, a = doc.root.children[0].pixels[8, 8].astype(int)
    assert abs(r - 10) <= 3 and abs(b - 200) <= 3 and a == 255
    assert any("'Wide'" in w and "Swap built-in" in w for w in doc.warnings)


def test_the_start_up_warm_up_compiles_the_tile_kernel_a_real_read_uses():
    from editor.io.kra_tiles import _decode, warm_up

    open_document(FIXTURES / "krita-native.kra")
    compiled = set(_decode.signatures)
    warm_up()
    assert set(_decode.signatures) == compiled  # no second specialisation: the read's own was warmed
