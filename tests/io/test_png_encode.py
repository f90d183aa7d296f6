import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from editor.io import png_encode
from editor.io.images import encode_image
from editor.io.png_encode import adler32_combine, encode_png_parallel


def _photo(h: int, w: int, channels: int, seed: int) -> np.ndarray:
    """Smooth ramps (rows that favour Up) beside noise and vertical stripes (rows that favour Sub)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    img = np.empty((h, w, channels), np.uint8)
    for c in range(channels):
        img[..., c] = (x * (c + 1) + y // 3) % 256
    img[h // 3:h // 2] = rng.integers(0, 256, (h // 2 - h // 3, w, channels), dtype=np.uint8)
    img[h // 2:, : w // 2] = ((y[h // 2:, : w // 2] * 7) % 256)[..., None]
    return img[..., 0] if channels == 1 else img


def _idat(png: bytes) -> bytes:
    pos, out = 8, []
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            out.append(png[pos + 8:pos + 8 + length])
        pos += 12 + length
    return b"".join(out)


@pytest.mark.parametrize("channels", [4, 3, 1])
def test_decodes_to_the_same_pixels_in_pillow_and_opencv(channels, monkeypatch):
    monkeypatch.setattr(png_encode, "_PARALLEL_FROM", 1)
    img = _photo(301, 203, channels, channels)
    png = encode_png_parallel(img, threads=3)
    assert png is not None
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png))), img)  # Pillow checks every CRC
    back = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    expected = {4: cv2.COLOR_RGBA2BGRA, 3: cv2.COLOR_RGB2BGR}.get(channels)
    assert np.array_equal(back, img if expected is None else cv2.cvtColor(img, expected))
    zlib.decompress(_idat(png))  # one stream, its Adler-32 right (zlib raises otherwise)


def test_uses_both_filters_and_several_strips(monkeypatch):
    monkeypatch.setattr(png_encode, "_PARALLEL_FROM", 1)
    img = _photo(400, 160, 4, 9)
    stream = _idat(encode_png_parallel(img, threads=2))
    raw = zlib.decompress(stream)
    filters = set(np.frombuffer(raw, np.uint8)[:: 160 * 4 + 1].tolist())
    assert filters == {1, 2}
    assert len(raw) == 400 * (160 * 4 + 1)
    assert stream.count(b"\x00\x00\xff\xff") >= 6  # 7 strips of 64 rows, each ending in a sync flush


def test_adler32_combine_matches_zlib():
    rng = np.random.default_rng(2)
    data = rng.integers(0, 256, 200_003, dtype=np.uint8).tobytes()
    for cut in (0, 1, 65520, 65521, 100_000, 200_003):
        a, b = data[:cut], data[cut:]
        assert adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(data)


def test_small_images_and_no_numba_fall_back_to_libpng(monkeypatch):
    assert encode_png_parallel(np.zeros((10, 10, 4), np.uint8)) is None
    monkeypatch.setattr(png_encode, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(png_encode, "_compiled", lambda: None)
    img = _photo(40, 30, 4, 1)
    assert encode_png_parallel(img) is None
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(encode_image(img, "PNG")))), img)


def test_a_big_export_is_encoded_in_strips_and_reads_back():
    img = _photo(1100, 1000, 4, 4)
    png = encode_image(img, "PNG")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png))), img)
    assert png == encode_png_parallel(img)


def test_an_ora_merged_image_is_encoded_in_strips_and_reads_back(tmp_path):
    import zipfile

    from editor.core import Document, Layer
    from editor.io import save_document
    from editor.render import flatten_rgba

    doc = Document(1000, 1100)
    doc.root.insert(0, Layer("a", _photo(1100, 1000, 4, 5)))
    save_document(doc, tmp_path / "p.ora")
    with zipfile.ZipFile(tmp_path / "p.ora") as zf:
        merged = zf.read("mergedimage.png")
    assert zlib.decompress(_idat(merged)) and _idat(merged).count(b"\x00\x00\xff\xff") >= 2
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(merged))), flatten_rgba(doc))
