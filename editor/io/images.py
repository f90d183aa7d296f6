"""Flat images in and out: decode to straight RGBA8 (EXIF orientation, ICC to sRGB), encode fast.

Pillow reads the header first (size, mode, profile, orientation) so limits are
checked before any pixel is decoded; OpenCV decodes plain JPEGs and encodes
PNG/JPEG/WebP because it is several times faster than Pillow at both.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageCms

from . import png_decode
from .errors import DEFAULT_LIMITS, FileFormatError, Limits
from .png_encode import encode_png_parallel
from .swizzle import bgra_to_rgba_inplace

# Veil checks its own pixel limit from the header before decoding (Limits.max_pixels);
# Pillow's smaller built-in ceiling would refuse legitimate 200 MP scans.
Image.MAX_IMAGE_PIXELS = None

IMAGE_EXTENSIONS = {
    ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF",
    ".webp": "WEBP", ".bmp": "BMP",
}
FORMAT_LABELS = {"PNG": "PNG", "JPEG": "JPEG", "TIFF": "TIFF", "WEBP": "WebP", "BMP": "BMP", "ORA": "OpenRaster (zip)",
                 "PSD": "Photoshop"}


def sniff(data: bytes) -> str | None:
    """The format the content really is, from its magic bytes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith(b"BM"):
        return "BMP"
    if data.startswith(b"8BPS"):
        return "PSD"
    if data.startswith(b"PK\x03\x04"):
        return "ORA"
    return None


def check_content_matches(path: str | Path, data: bytes, expected: str) -> None:
    if not data:
        raise FileFormatError(path, "the file is empty (0 bytes)")
    actual = sniff(data)
    if actual != expected:
        found = f"a {FORMAT_LABELS[actual]} file" if actual else "not a file format Veil knows"
        raise FileFormatError(path, f"its name says {FORMAT_LABELS[expected]} but the content is {found}")


def decode_image(data: bytes, path: str | Path, *, fmt: str, limits: Limits = DEFAULT_LIMITS) -> tuple[np.ndarray, list[str]]:
    """Decode an image file's bytes to straight RGBA8; the list says what was converted."""
    check_content_matches(path, data, fmt)
    notes: list[str] = []
    name = Path(path).name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data), formats=[fmt])
            check_pixel_limit(path, im.size, limits)
            if getattr(im, "n_frames", 1) > 1:
                notes.append(f"{name}: only the first of {im.n_frames} frames/pages was opened")
            icc = im.info.get("icc_profile")
            if fmt == "PNG" and im.mode in _PNG_PLAIN_MODES and not icc and b"eXIf" not in data:
                # no orientation or profile to apply: png_decode or OpenCV decodes without the GIL
                # and without Pillow's getexif(), which would load the whole image a second time
                rgba = _decode_png_fast(data, im.mode)
                if rgba is not None and rgba.shape[:2] == (im.height, im.width):
                    if im.mode in ("L", "LA"):
                        notes.append(f"{name}: grayscale image converted to RGBA")
                    return rgba, notes
            orientation = im.getexif().get(0x0112, 1) if fmt in ("JPEG", "TIFF", "WEBP", "PNG") else 1
            if fmt == "JPEG" and im.mode == "RGB" and (not icc or _is_srgb(icc)):
                rgba = _decode_jpeg_fast(data)
                if rgba is not None and rgba.shape[:2] == (im.height, im.width):
                    return _orient(rgba, orientation), notes
            im.load()
            rgba = _to_rgba8(im, icc, name, notes)
            return _orient(rgba, orientation), notes
    except FileFormatError:
        raise
    except Exception as e:  # Pillow raises many kinds for broken files
        raise FileFormatError(path, f"the {FORMAT_LABELS[fmt]} data is damaged or unsupported ({_reason(e)})") from e


def decode_png_channel(data: bytes, path: str | Path, *, channel: int,
                       limits: Limits = DEFAULT_LIMITS) -> np.ndarray:
    """One channel of a PNG as (h, w) uint8, as decode_image's RGBA would hold it (0 red,
    3 alpha): a mask stored as a layer's alpha or as a grey image needs no RGBA copy of
    four times its size. Plain 8-bit PNGs decode through OpenCV; others through decode_image."""
    check_content_matches(path, data, "PNG")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(io.BytesIO(data), formats=["PNG"])
            check_pixel_limit(path, im.size, limits)
            plain = im.mode in _PNG_PLAIN_MODES and not im.info.get("icc_profile") and b"eXIf" not in data
            own = _decode_png_own(data) if plain else None
            if own is not None and own.shape[:2] == (im.height, im.width):
                return _png_channel(own, channel)
            if plain and im.mode in _PNG_FAST_MODES:
                decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED | cv2.IMREAD_IGNORE_ORIENTATION)
                if decoded is not None and decoded.dtype == np.uint8 and decoded.shape[:2] == (im.height, im.width):
                    channels = 1 if decoded.ndim == 2 else decoded.shape[2]
                    if channels == {"RGBA": 4, "RGB": 3, "L": 1}[im.mode]:
                        if channel == 3:
                            return np.ascontiguousarray(decoded[..., 3]) if channels == 4 else \
                                np.full(decoded.shape[:2], 255, np.uint8)
                        return decoded if channels == 1 else np.ascontiguousarray(decoded[..., 2 - channel])
    except FileFormatError:
        raise
    except Exception as e:
        raise FileFormatError(path, f"the PNG data is damaged or unsupported ({_reason(e)})") from e
    rgba, _notes = decode_image(data, path, fmt="PNG", limits=limits)
    return np.ascontiguousarray(rgba[..., channel])


def check_pixel_limit(path: str | Path, size: tuple[int, int], limits: Limits) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise FileFormatError(path, f"the image declares an impossible size {w}x{h}")
    if w * h > limits.max_pixels:
        raise FileFormatError(path, f"the image is {w}x{h} = {w * h / 1e6:.0f} MP, over the limit of "
                              f"{limits.max_pixels / 1e6:.0f} MP (possible decompression bomb)")


def _reason(e: Exception) -> str:
    text = str(e) or type(e).__name__
    return text if len(text) < 200 else text[:200] + "..."


def _is_srgb(icc: bytes) -> bool:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return "srgb" in ImageCms.getProfileDescription(profile).lower()
    except Exception:
        return False


_PNG_FAST_MODES = {"RGBA": cv2.COLOR_BGRA2RGBA, "RGB": cv2.COLOR_BGR2RGBA, "L": cv2.COLOR_GRAY2RGBA}
_PNG_PLAIN_MODES = {*_PNG_FAST_MODES, "LA"}  # what png_decode may take (it says itself whether it does)


def _decode_png_own(data: bytes) -> np.ndarray | None:
    """An 8-bit non-interlaced PNG through png_decode, in PNG's channel order (None: it leaves this
    file to OpenCV and Pillow, or its libraries are missing); raises DamagedPNG for a broken one."""
    if not png_decode.available():
        return None
    layout = png_decode.parse(data)
    return None if layout is None else png_decode.decode(layout)


def _png_channel(pixels: np.ndarray, channel: int) -> np.ndarray:
    """Channel `channel` (0 red .. 3 alpha) of png_decode's grey, grey + alpha, RGB or RGBA pixels,
    as the RGBA that decode_image makes of them would hold it."""
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if channel == 3 and channels in (1, 3):
        return np.full(pixels.shape[:2], 255, np.uint8)
    if channels == 1:
        return pixels
    index = (channel if channel < 3 else 3) if channels >= 3 else (1 if channel == 3 else 0)
    return np.ascontiguousarray(pixels[..., index])


def _png_to_rgba(pixels: np.ndarray) -> np.ndarray:
    if pixels.ndim == 2:
        return cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGBA)
    if pixels.shape[2] == 4:
        return pixels  # already RGBA: PNG's own order, no swizzle
    if pixels.shape[2] == 3:
        return cv2.cvtColor(pixels, cv2.COLOR_RGB2RGBA)
    out = np.empty((*pixels.shape[:2], 4), np.uint8)
    out[..., :3] = pixels[..., :1]
    out[..., 3] = pixels[..., 1]
    return out


def _decode_png_fast(data: bytes, mode: str) -> np.ndarray | None:
    """An 8-bit RGBA, RGB, grey or grey + alpha PNG through png_decode, else (not grey + alpha)
    OpenCV, as straight RGBA (None: let Pillow do it)."""
    own = _decode_png_own(data)
    if own is not None:
        return _png_to_rgba(own)
    if mode not in _PNG_FAST_MODES:
        return None
    flags = cv2.IMREAD_UNCHANGED | cv2.IMREAD_IGNORE_ORIENTATION
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    if decoded is None or decoded.dtype != np.uint8:
        return None
    channels = 1 if decoded.ndim == 2 else decoded.shape[2]
    if channels != {"RGBA": 4, "RGB": 3, "L": 1}[mode]:
        return None
    if mode == "RGBA":
        return bgra_to_rgba_inplace(decoded)  # no second array of the layer's size
    return cv2.cvtColor(decoded, _PNG_FAST_MODES[mode])


def _decode_jpeg_fast(data: bytes) -> np.ndarray | None:
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)
    if bgr is None:
        return None
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGBA)


def _orient(rgba: np.ndarray, orientation: object) -> np.ndarray:
    """Apply an EXIF orientation tag (1..8) to an (h, w, c) array, as Pillow's exif_transpose does."""
    ops = {
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1],
        5: lambda a: a.transpose(1, 0, 2),
        6: lambda a: np.rot90(a, -1),
        7: lambda a: a.transpose(1, 0, 2)[::-1, ::-1],
        8: lambda a: np.rot90(a, 1),
    }
    op = ops.get(orientation) if isinstance(orientation, int) else None
    return np.ascontiguousarray(op(rgba)) if op else rgba


def _to_rgba8(im: Image.Image, icc: bytes | None, name: str, notes: list[str]) -> np.ndarray:
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I", "F") or mode.endswith(";16"):
        notes.append(f"{name}: {mode} high-bit-depth image reduced to 8 bits per channel")
        arr = np.asarray(im).astype(np.float64)
        top = 65535.0 if mode.startswith("I;16") or arr.max(initial=0) > 255 else 255.0
        gray = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return _gray_to_rgba(gray)
    if mode in ("1", "L", "LA", "La"):
        notes.append(f"{name}: grayscale image converted to RGBA")
    elif mode in ("P", "PA"):
        notes.append(f"{name}: palette image converted to RGBA")
    elif mode == "CMYK":
        notes.append(f"{name}: CMYK image converted to RGB")
    elif mode not in ("RGB", "RGBA", "RGBa", "RGBX"):
        notes.append(f"{name}: {mode} image converted to RGBA")
    if icc and not _is_srgb(icc):
        converted = _icc_to_srgb(im, icc, name, notes)
        if converted is not None:
            im = converted
    return np.array(im.convert("RGBA"), dtype=np.uint8)


def _icc_to_srgb(im: Image.Image, icc: bytes, name: str, notes: list[str]) -> Image.Image | None:
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        desc = ImageCms.getProfileDescription(src).strip() or "embedded"
        alpha = im.getchannel("A") if "A" in im.getbands() else None
        base = im
        if im.mode not in ("RGB", "CMYK", "L"):
            base = im.convert("RGB")
        out = ImageCms.profileToProfile(base, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
        if out is None:
            return None
        if alpha is not None:
            out.putalpha(alpha)
        notes.append(f"{name}: colours converted from the '{desc}' profile to sRGB")
        return out
    except Exception as e:
        notes.append(f"{name}: its colour profile could not be used ({_reason(e)}); colours shown as sRGB")
        return None


def _gray_to_rgba(gray: np.ndarray) -> np.ndarray:
    out = np.empty((*gray.shape, 4), np.uint8)
    out[..., :3] = gray[..., None]
    out[..., 3] = 255
    return out


# --- encoding --------------------------------------------------------------------

def encode_png(rgba: np.ndarray, level: int = 1) -> bytes:
    """PNG of straight RGBA (or 2-D gray); zlib level 1 writes ~5x faster than Pillow's default 6."""
    img = rgba if rgba.ndim == 2 else cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA)
    ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, level])
    if not ok:
        raise ValueError("PNG encoding failed")
    return buf.tobytes()


def flatten_on(rgba: np.ndarray, background: tuple[int, int, int]) -> np.ndarray:
    """Straight RGBA composited over an opaque colour: (h, w, 3) RGB, rounded to nearest.

    In 16-bit integers (c a + bg (255 - a) + 127) // 255, the float formula's result without
    its float temporaries; an opaque image (a product shot on its new background) is a copy."""
    alpha = rgba[..., 3]
    if alpha.size and int(alpha.min()) == 255:
        return np.ascontiguousarray(rgba[..., :3])
    a = alpha[..., None].astype(np.uint16)
    bg = np.asarray(background[:3], np.uint16) * (255 - a)
    return ((rgba[..., :3] * a + bg + 127) // 255).astype(np.uint8)


def encode_image(rgba: np.ndarray, fmt: str, *, quality: int = 90, background: tuple[int, int, int] = (255, 255, 255)) -> bytes:
    """Encode straight RGBA8 as PNG, JPEG (flattened on `background`), WebP or TIFF."""
    if fmt == "PNG":
        return encode_png_parallel(rgba) or encode_png(rgba)  # a big flat export on every core
    if fmt == "JPEG":
        bgr = cv2.cvtColor(flatten_on(rgba, background), cv2.COLOR_RGB2BGR)
        ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    elif fmt == "WEBP":
        ok, buf = cv2.imencode(".webp", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA), [cv2.IMWRITE_WEBP_QUALITY, int(quality)])
    elif fmt in ("TIFF", "BMP"):
        out = io.BytesIO()
        im = Image.fromarray(rgba, "RGBA")
        if fmt == "TIFF":
            im.save(out, "TIFF", compression="tiff_adobe_deflate")
        else:
            im.save(out, "BMP")
        return out.getvalue()
    else:
        raise ValueError(f"cannot encode {fmt}")
    if not ok:
        raise ValueError(f"{fmt} encoding failed")
    return buf.tobytes()
