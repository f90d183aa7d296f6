"""png_decode against OpenCV and Pillow: every filter type, odd sizes, every plain colour type;
damaged files raise FileFormatError; files it leaves alone still open."""

from __future__ import annotations

import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from editor.io import png_decode
from editor.io.errors import FileFormatError
from editor.io.images import decode_image, decode_png_channel

needs_fast = pytest.mark.skipif(not png_decode.available(), reason="deflate package or numba missing")
COLOUR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _filter_row(ft: int, row: np.ndarray, prev: np.ndarray, bpp: int) -> bytes:
    """PNG filter `ft` of one row, written from the specification in plain Python."""
    out = bytearray(len(row))
    for i, x in enumerate(row.tolist()):
        a = int(row[i - bpp]) if i >= bpp else 0
        b = int(prev[i])
        c = int(prev[i - bpp]) if i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, _paeth(a, b, c)][ft] if ft <= 4 else 0
        out[i] = (x - pred) & 255
    return bytes([ft]) + bytes(out)


def _chunk(kind: bytes, body: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(body, zlib.crc32(kind)) if crc is None else crc
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def encode(pixels: np.ndarray, filters, *, idat_parts: int = 1, extra: bytes = b"",
           raw_tail: bytes = b"", declared_height: int | None = None) -> bytes:
    """A PNG of `pixels` with row y filtered by filters[y % len(filters)], IDAT split in parts."""
    h, w = pixels.shape[:2]
    bpp = 1 if pixels.ndim == 2 else pixels.shape[2]
    rows = pixels.reshape(h, w * bpp)
    prev = np.zeros(w * bpp, np.uint8)
    raw = b""
    for y in range(h):
        raw += _filter_row(filters[y % len(filters)], rows[y], prev, bpp)
        prev = rows[y]
    stream = zlib.compress(raw + raw_tail, 6)
    step = -(-len(stream) // idat_parts)
    ihdr = struct.pack(">IIBBBBB", w, declared_height or h, 8, COLOUR_TYPE[bpp], 0, 0, 0)
    idats = b"".join(_chunk(b"IDAT", stream[i:i + step]) for i in range(0, len(stream), step))
    return png_decode.SIGNATURE + _chunk(b"IHDR", ihdr) + extra + idats + _chunk(b"IEND", b"")


def _image(h: int, w: int, bpp: int, seed: int = 0) -> np.ndarray:
    """Gradients plus noise: every filter's predictor matters, and Paeth picks all three sides."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = (x * 7 + y * 3)[..., None] + np.arange(bpp) * 40
    noisy = base + rng.integers(0, 30, (h, w, bpp))
    out = (noisy % 256).astype(np.uint8)
    return out[..., 0] if bpp == 1 else out


@needs_fast
@pytest.mark.parametrize("bpp", [1, 2, 3, 4])
@pytest.mark.parametrize("size", [(1, 1), (5, 7), (13, 33), (64, 61)])
def test_every_filter_type_matches_pillow_exactly(bpp, size):
    h, w = size
    pixels = _image(h, w, bpp, seed=h * w + bpp)
    for filters in ([0], [1], [2], [3], [4], [0, 1, 2, 3, 4], [4, 3, 2, 1]):
        data = encode(pixels, filters, idat_parts=3 if h > 1 else 1)
        ours = png_decode.decode(png_decode.parse(data))
        np.testing.assert_array_equal(ours, pixels)
        np.testing.assert_array_equal(ours, np.asarray(Image.open(io.BytesIO(data))))


@needs_fast
def test_rgba_is_in_png_order_and_matches_opencv():
    pixels = _image(40, 37, 4)
    data = encode(pixels, [4, 1, 3, 2])
    ours = png_decode.decode(png_decode.parse(data))
    cv = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(ours, cv2.cvtColor(cv, cv2.COLOR_BGRA2RGBA))
    rgba, notes = decode_image(data, "a.png", fmt="PNG")
    np.testing.assert_array_equal(rgba, pixels)
    assert notes == []


@needs_fast
@pytest.mark.parametrize("bpp", [1, 2, 3, 4])
def test_decode_image_and_channel_agree_with_pillow(bpp):
    pixels = _image(9, 11, bpp, seed=bpp)
    data = encode(pixels, [0, 1, 2, 3, 4])
    expected = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
    rgba, notes = decode_image(data, "a.png", fmt="PNG")
    np.testing.assert_array_equal(rgba, expected)
    assert bool(notes) == (bpp <= 2)  # grey is named as converted
    for channel in range(4):
        np.testing.assert_array_equal(decode_png_channel(data, "a.png", channel=channel), expected[..., channel])


@needs_fast
def test_decode_image_uses_it_for_plain_pngs(monkeypatch):
    """decode_image decodes a plain PNG here: OpenCV is not called."""
    calls = []
    monkeypatch.setattr(cv2, "imdecode", lambda *a: calls.append(a))
    rgba, _ = decode_image(encode(_image(8, 8, 4), [1]), "a.png", fmt="PNG")
    assert rgba.shape == (8, 8, 4) and calls == []


def _damaged_cases() -> dict[str, bytes]:
    pixels = _image(16, 16, 4)
    good = encode(pixels, [1, 4])
    idat_at = good.index(b"IDAT") - 4
    bad_crc = bytearray(good)
    bad_crc[idat_at + 10] ^= 0xFF
    bad_filter = encode(pixels, [7])
    return {
        "truncated": good[: len(good) * 2 // 3],
        "bad IDAT CRC": bytes(bad_crc),
        "too much data": encode(pixels, [1], raw_tail=b"\0" * 65),
        "too little data": encode(pixels[:15], [1], declared_height=16),
        "unknown filter": bad_filter,
        "no IDAT": good[:idat_at] + _chunk(b"IEND", b""),
        "huge IHDR, tiny stream": png_decode.SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", 16000, 16000, 8, 6, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + _chunk(b"IEND", b""),
        "split IDAT": good[:idat_at] + _chunk(b"IDAT", b"x\x9c") + _chunk(b"tEXt", b"a\0b") + good[idat_at:],
    }


@needs_fast
@pytest.mark.parametrize("case", list(_damaged_cases()))
def test_damaged_png_raises_file_format_error(case):
    data = _damaged_cases()[case]
    with pytest.raises(png_decode.DamagedPNG):
        layout = png_decode.parse(data)
        assert layout is not None
        png_decode.decode(layout)
    with pytest.raises(FileFormatError, match="damaged"):
        decode_image(data, "bad.png", fmt="PNG")


@needs_fast
def test_huge_declared_size_is_refused_before_allocating(monkeypatch):
    data = _damaged_cases()["huge IHDR, tiny stream"]
    allocated = []
    monkeypatch.setattr(png_decode, "_tools", lambda: allocated.append(1))
    with pytest.raises(png_decode.DamagedPNG, match="truncated"):
        png_decode.parse(data)
    assert allocated == []


@pytest.mark.parametrize("kind", ["16-bit", "palette", "interlaced", "tRNS", "unknown critical"])
def test_files_it_leaves_alone_still_open(kind):
    rgb = _image(12, 10, 3)
    out = io.BytesIO()
    if kind == "16-bit":
        Image.fromarray(rgb[..., 0].astype(np.uint16) * 257).save(out, "PNG")
    elif kind == "palette":
        Image.fromarray(rgb).convert("P").save(out, "PNG")
    elif kind == "interlaced":
        Image.fromarray(rgb).save(out, "PNG")  # Pillow cannot write Adam7: the header flag is set below
        data = bytearray(out.getvalue())
        out = None
    elif kind == "tRNS":
        Image.fromarray(rgb).save(out, "PNG", transparency=tuple(int(v) for v in rgb[0, 0]))
    if kind == "unknown critical":
        data = encode(rgb, [1], extra=_chunk(b"QUUX", b"1"))
        assert png_decode.parse(data) is None
        rgba, _notes = decode_image(data, "a.png", fmt="PNG")  # libpng refuses it; Pillow reads it, as before
        np.testing.assert_array_equal(rgba[..., :3], rgb)
        return
    if out is None:  # interlaced: only the header flag is checked by parse
        data[28] = 1
        data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
        assert png_decode.parse(bytes(data)) is None
        return
    data = out.getvalue()
    assert png_decode.parse(data) is None
    rgba, _notes = decode_image(data, "a.png", fmt="PNG")
    expected = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
    if kind == "16-bit":  # Veil reduces 16 bits by scaling (v * 257 -> v), not as Pillow's convert does
        expected = np.dstack([rgb[..., 0]] * 3 + [np.full(rgb.shape[:2], 255, np.uint8)])
    np.testing.assert_array_equal(rgba, expected)


def test_without_the_fast_libraries_opencv_decodes(monkeypatch):
    monkeypatch.setattr(png_decode, "available", lambda: False)
    pixels = _image(20, 30, 4)
    rgba, _ = decode_image(encode(pixels, [0, 1, 2, 3, 4]), "a.png", fmt="PNG")
    np.testing.assert_array_equal(rgba, pixels)
