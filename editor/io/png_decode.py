"""PNG decoding for the common case, faster than libpng: 8-bit grey, grey+alpha, RGB, RGBA, not interlaced.

Opening a layered .ora is nearly all PNG decoding, and libpng (through OpenCV) spends most
of its ~150 ms for a 4096² RGBA layer in zlib 1.2's inflate. Here the concatenated IDAT
stream is inflated by libdeflate (the `deflate` package: ~45 ms for the same layer, the GIL
released) into one buffer of exactly the size the header implies, and the rows are
unfiltered in place in numba (png_unfilter), so the pixels come out in PNG's own channel
order (RGBA, no swizzle) without a second image-sized array.

Everything else (16-bit, palette, interlaced, APNG, tRNS, ICC or EXIF, unknown critical
chunks) gets None from `parse`, and the caller decodes it as before; so does every file
when `deflate` or numba is missing. A damaged file (bad CRC, truncated, an inflated length
other than the header's, an unknown filter type) raises DamagedPNG before anything of the
image's size is allocated where that can be known: the inflated size is checked against
deflate's greatest ratio first.
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples a pixel (3, palette, is left to others)
# Chunks whose meaning this decoder does not apply: the caller's other paths do (tRNS as alpha,
# iCCP to sRGB, eXIf orientation), or they mark an animation (acTL, fcTL, fdAT).
_DEFER = frozenset({b"tRNS", b"iCCP", b"eXIf", b"acTL", b"fcTL", b"fdAT"})
_KNOWN_CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
_MAX_CHUNK = (1 << 31) - 1
# Deflate cannot expand by more than ~1032:1 (a 258-byte match in a couple of bits): a stream
# shorter than its inflated size over this is truncated or hostile, and nothing is allocated.
_MAX_RATIO = 1100


class DamagedPNG(ValueError):
    """The PNG's own structure is broken; the message says how."""


@dataclass(frozen=True)
class PngLayout:
    width: int
    height: int
    channels: int  # 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA
    stream: bytes | memoryview  # the zlib stream of the IDAT chunks, joined


def header(data: bytes) -> tuple[int, int, int, int, int] | None:
    """(width, height, bit depth, colour type, interlace) from a PNG's IHDR, or None when the
    bytes do not start like a PNG."""
    if len(data) < 33 or not data.startswith(SIGNATURE) or data[12:16] != b"IHDR" or data[8:12] != b"\0\0\0\r":
        return None
    w, h, depth, colour, _compression, _filter, interlace = struct.unpack(">IIBBBBB", data[16:29])
    return w, h, depth, colour, interlace


def parse(data: bytes) -> PngLayout | None:
    """The layout of a PNG this module decodes, None for one it leaves to other decoders;
    raises DamagedPNG when its chunks are broken. Every chunk's CRC is checked (~1 ms for a
    layer's megabyte of IDAT, zlib's crc32 without the GIL): libpng refuses a bad one too."""
    head = header(data)
    if head is None:
        raise DamagedPNG("it does not start with a PNG header")
    w, h, depth, colour, interlace = head
    if not (0 < w <= _MAX_CHUNK and 0 < h <= _MAX_CHUNK):
        raise DamagedPNG(f"its header declares an impossible size {w}x{h}")
    if depth != 8 or colour not in _CHANNELS or interlace != 0 or data[26] != 0 or data[27] != 0:
        return None
    view = memoryview(data)
    idat: list[memoryview] = []
    pos, idat_ended, ended = 8, False, False
    while pos < len(data):
        if pos + 12 > len(data):
            raise DamagedPNG("it is truncated inside a chunk header")
        length = int.from_bytes(view[pos:pos + 4], "big")
        kind = bytes(view[pos + 4:pos + 8])
        if not kind.isalpha() or not kind.isascii():
            raise DamagedPNG(f"it has a chunk with the invalid type {kind!r}")
        if length > _MAX_CHUNK or pos + 12 + length > len(data):
            raise DamagedPNG(f"it is truncated: its {kind!r} chunk runs past the end of the file")
        body = view[pos + 8:pos + 8 + length]
        crc = int.from_bytes(view[pos + 8 + length:pos + 12 + length], "big")
        if zlib.crc32(body, zlib.crc32(kind)) != crc:
            raise DamagedPNG(f"its {kind.decode('latin-1')!r} chunk fails its CRC check")
        pos += 12 + length
        if kind == b"IDAT":
            if idat_ended:
                raise DamagedPNG("its image data chunks (IDAT) are not consecutive")
            idat.append(body)
        elif idat:
            idat_ended = True
        if kind == b"IEND":
            ended = True
            break
        if kind in _DEFER or (kind[0] & 0x20 == 0 and kind not in _KNOWN_CRITICAL):
            return None  # meaning this decoder does not apply; an unknown critical chunk too
        if kind == b"IHDR" and pos != 33:
            raise DamagedPNG("it has more than one IHDR chunk")
    if not idat:
        raise DamagedPNG("it has no image data (IDAT)" if ended else "it is truncated before its image data")
    stream = idat[0] if len(idat) == 1 else b"".join(idat)
    if len(stream) * _MAX_RATIO < h * (w * _CHANNELS[colour] + 1):
        raise DamagedPNG(f"its image data is truncated: {len(stream)} compressed bytes cannot hold {w}x{h}")
    return PngLayout(w, h, _CHANNELS[colour], stream)


@functools.cache
def _tools() -> tuple[Callable, Callable, type] | None:
    """(inflate, unfilter, inflate's error) on first use; None without `deflate` or numba."""
    try:
        import deflate

        from .png_unfilter import unfilter_inplace
    except ImportError:
        return None
    return deflate.zlib_decompress, unfilter_inplace, deflate.DeflateError


def available() -> bool:
    return _tools() is not None


def decode(layout: PngLayout) -> np.ndarray:
    """The pixels: (h, w) for grey, else (h, w, channels) uint8 in PNG's order (RGB(A), grey + alpha).
    Needs `available()`; raises DamagedPNG for a stream that does not inflate to exactly the
    header's rows or a row with an unknown filter."""
    tools = _tools()
    if tools is None:
        raise RuntimeError("PNG fast path unavailable (the deflate package or numba is missing)")
    inflate, unfilter, inflate_error = tools
    w, h, bpp = layout.width, layout.height, layout.channels
    rb = w * bpp
    size = h * (rb + 1)
    try:
        raw = inflate(layout.stream, size)  # fails if the stream holds more than `size` bytes
    except inflate_error as e:
        raise DamagedPNG(f"its image data does not inflate to its {w}x{h} rows ({e})") from None
    if len(raw) != size:
        raise DamagedPNG(f"its image data holds {len(raw)} bytes, not the {size} of its {w}x{h} rows")
    buf = np.frombuffer(raw, np.uint8)  # a bytearray: writable, unfiltered where it lies
    pixels = buf[:h * rb]
    words = pixels.view(np.uint32) if bpp == 4 else pixels[:0].view(np.uint32)
    bad = unfilter(buf, words, h, rb, bpp)
    if bad >= 0:
        raise DamagedPNG(f"row {bad} has the unknown filter type {buf[bad * (rb + 1)]}")
    return pixels.reshape(h, w) if bpp == 1 else pixels.reshape(h, w, bpp)
