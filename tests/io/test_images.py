import io
import struct

import numpy as np
import pytest
from PIL import Image, ImageCms, ImageOps

from editor.core import Document, Layer, Mask
from editor.io import (
    FileFormatError,
    export_image,
    export_layer_png,
    export_mask_png,
    load_image_layers,
    open_document,
)
from editor.render import flatten_rgba


def gradient(h=6, w=9) -> np.ndarray:
    img = np.zeros((h, w, 3), np.uint8)
    img[..., 0] = np.arange(w)[None] * 20
    img[..., 1] = np.arange(h)[:, None] * 30
    img[..., 2] = 77
    return img


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(tmp_path, orientation):
    im = Image.fromarray(gradient())
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "o.png"
    im.save(path, exif=exif.tobytes())
    expected = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGBA"))
    assert np.array_equal(open_document(path).layers()[0].pixels, expected)


def test_jpeg_fast_path_honours_orientation(tmp_path):
    im = Image.fromarray(np.repeat(np.repeat(gradient(), 8, 0), 8, 1))
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "o.jpg"
    im.save(path, quality=95, exif=exif.tobytes())
    expected = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGBA")).astype(int)
    got = open_document(path).layers()[0].pixels.astype(int)
    assert got.shape == expected.shape and np.abs(got - expected).max() <= 2


def swapped_profile() -> bytes:
    """sRGB with its red and blue primaries exchanged: converting it to sRGB swaps R and B."""
    b = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    tags = {}
    for i in range(struct.unpack(">I", b[128:132])[0]):
        sig, off, size = struct.unpack(">4sII", b[132 + 12 * i:144 + 12 * i])
        tags[sig] = (i, off, size)
    (ir, ro, rs), (ib, bo, bs) = tags[b"rXYZ"], tags[b"bXYZ"]
    struct.pack_into(">4sII", b, 132 + 12 * ir, b"rXYZ", bo, bs)
    struct.pack_into(">4sII", b, 132 + 12 * ib, b"bXYZ", ro, rs)
    at = b.find("sRGB built-in".encode("utf-16-be"))
    b[at:at + 26] = "Swap built-in".encode("utf-16-be")
    return bytes(b)


@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_icc_profile_is_converted_to_srgb(tmp_path, suffix):
    path = tmp_path / f"icc{suffix}"
    Image.new("RGB", (16, 16), (200, 30, 10)).save(path, icc_profile=swapped_profile(), quality=100)
    doc = open_document(path)
    r, g, b, a = doc.layers()[0].pixels[8, 8].astype(int)
    assert abs(r - 10) <= 3 and abs(b - 200) <= 3 and a == 255
    assert any("Swap built-in" in w for w in doc.warnings)


@pytest.mark.parametrize(("mode", "word"), [("I;16", "8 bits"), ("L", "grayscale"), ("P", "palette"),
                                            ("CMYK", "CMYK")])
def test_unusual_modes_become_rgba8_with_a_notice(tmp_path, mode, word):
    if mode == "I;16":
        im = Image.fromarray(np.arange(64, dtype=np.uint16).reshape(8, 8) * 1000)
        suffix = ".png"
    else:
        im = Image.fromarray(gradient()).convert(mode)
        suffix = ".tif" if mode == "CMYK" else ".png"
    path = tmp_path / f"m{suffix}"
    im.save(path)
    doc = open_document(path)
    px = doc.layers()[0].pixels
    assert px.dtype == np.uint8 and px.shape[2] == 4
    assert any(word in w for w in doc.warnings)
    if mode == "I;16":
        assert px[7, 7, 0] == round(63000 / 65535 * 255)


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp", ".bmp", ".tiff"])
def test_open_each_image_format(tmp_path, suffix):
    path = tmp_path / f"i{suffix}"
    Image.fromarray(gradient()).save(path, **({"quality": 100} if suffix in (".jpg", ".webp") else {}))
    doc = open_document(path)
    assert (doc.width, doc.height) == (9, 6) and not doc.modified and doc.path == str(path)
    pillow = np.asarray(Image.open(path).convert("RGBA")).astype(int)
    assert np.abs(doc.layers()[0].pixels.astype(int) - pillow).max() <= 2


def test_load_image_layers_gives_detached_layers(tmp_path):
    path = tmp_path / "l.png"
    Image.fromarray(gradient()).save(path)
    (layer,) = load_image_layers(path)
    assert isinstance(layer, Layer) and layer.parent is None and layer.name == "l"


def transparent_doc() -> Document:
    px = np.zeros((32, 64, 4), np.uint8)
    px[..., 0] = 255
    px[:, :32, 3] = 255
    return Document.from_pixels(px)


@pytest.mark.parametrize("suffix", [".png", ".webp", ".tif"])
def test_export_keeps_alpha(tmp_path, suffix):
    doc = transparent_doc()
    export_image(doc, tmp_path / f"e{suffix}", quality=101 if suffix == ".webp" else 90)
    back = np.asarray(Image.open(tmp_path / f"e{suffix}").convert("RGBA"))
    assert np.array_equal(back[..., 3], flatten_rgba(doc)[..., 3])


def test_jpeg_export_flattens_on_the_background_colour(tmp_path):
    export_image(transparent_doc(), tmp_path / "e.jpg", quality=100, background=(0, 0, 255))
    back = np.asarray(Image.open(tmp_path / "e.jpg").convert("RGB")).astype(int)
    assert np.abs(back[16, 8] - (255, 0, 0)).max() <= 10 and np.abs(back[16, 56] - (0, 0, 255)).max() <= 10


def test_export_layer_and_mask_png(tmp_path):
    doc = transparent_doc()
    layer = doc.layers()[0]
    layer.mask = Mask(np.arange(32 * 64, dtype=np.uint32).reshape(32, 64).astype(np.uint8))
    export_layer_png(layer, tmp_path / "layer.png")
    export_mask_png(layer, tmp_path / "mask.png")
    assert np.array_equal(np.asarray(Image.open(tmp_path / "layer.png")), layer.pixels)
    mask = Image.open(tmp_path / "mask.png")
    assert mask.mode == "L" and np.array_equal(np.asarray(mask), layer.mask.data)


def test_export_refuses_unknown_extension(tmp_path):
    with pytest.raises(FileFormatError, match="image export"):
        export_image(transparent_doc(), tmp_path / "e.gif")
    assert not (tmp_path / "e.gif").exists()


def test_png_bytes_are_png(tmp_path):
    export_image(transparent_doc(), tmp_path / "x.png")
    assert Image.open(io.BytesIO((tmp_path / "x.png").read_bytes())).format == "PNG"
