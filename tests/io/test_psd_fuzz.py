"""Damaged PSDs of every structure Veil reads: each opens (and what opens renders) or raises
FileFormatError, within a CPU bound, without the memory a hostile declared size asks for.

The originals are valid files psd-tools writes (layers, groups, masks, clipping, vector masks,
effects, every adjustment block, fill layers; 8, 16 and 32-bit; RGB, grayscale, CMYK, Lab,
PSB), files GIMP and Krita wrote, and flat indexed, bitmap, duotone, multichannel and 16-bit CMYK files written by hand
(psd-tools cannot make them). Each is cut
short, has bytes flipped, has a 16- or 32-bit word (a length, a count, a size) overwritten
by a huge or negative value, or has a descriptor's setting (an effect's size or angle, a
gradient's scale) made absurd (huge, negative, NaN, infinite); the mutations are seeded, so a failure names a case that can be
replayed by its index."""

from __future__ import annotations

import io
import random
import re
import resource
import struct
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from psd_tools import PSDImage
from psd_tools.constants import Tag

from editor.core import Adjustment, Document, Group, Layer, Mask
from editor.io import FileFormatError, open_document
from editor.io.psd_write import write_psd
from editor.render import adjustments, flatten_rgba

from . import psd_cases as C
from .test_fuzz import flip_bytes, truncate

CPU_LIMIT_S = 2.0
RSS_GROWTH_LIMIT = 400 << 20  # bytes the whole run may add to the process's peak
MUTATIONS_PER_FILE = 15
CASES_FROM_PSD_TOOLS = ("solid_fill_multiply_with_mask", "shape_rect_with_pixel_mask", "pass_through_with_clip_group",
                        "pixel_layer_color_overlay", "cmyk_document", "grayscale_document", "lab_document",
                        "psb_large_document_format", "gradient_linear", "mask_density", "adjustment_vector_mask")
FOREIGN = ("gimp-export", "krita-export", "krita-native-export")  # laid out by other programs' writers


def _saved(psd: PSDImage) -> bytes:
    buf = io.BytesIO()
    psd.save(buf)
    return buf.getvalue()


def _with_effects() -> bytes:
    psd, _ = C._doc()
    layer = psd.create_pixel_layer(C._smooth_rgba(24, 16, 3), name="styled", top=6, left=8)
    C._set(layer, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(
        C.drop_shadow_desc(), C.outer_glow_desc(), C.satin_desc(size=2.0), C.bevel_desc(), C.stroke_desc()))
    return _saved(psd)


def _deep(mode: str, depth: int) -> bytes:
    psd = PSDImage.new(mode, (C.W, C.H), depth=depth)
    bg = C._smooth_rgba(C.W, C.H, 1, opaque=True)
    psd.create_pixel_layer(bg if mode == "RGBA" else bg.convert(mode), name="Background")
    top = C._smooth_rgba(20, 14, 5)
    psd.create_pixel_layer(top if mode == "RGBA" else top.convert(mode), name="top", top=3, left=4)
    return _saved(psd)


def _every_adjustment() -> bytes:
    """Veil's own export of a group holding one adjustment layer of each kind, one of them masked."""
    rng = np.random.default_rng(3)
    doc = Document(C.W, C.H)
    doc.root.insert(0, Layer("photo", rng.integers(0, 256, (C.H, C.W, 4), dtype=np.uint8)))
    group = Group("adjusted")
    for i, spec in enumerate(adjustments.adjustments()):
        mask = Mask(rng.integers(0, 256, (C.H, C.W), dtype=np.uint8)) if i == 0 else None
        group.insert(i, Adjustment(spec.label, spec.name, spec.defaults(), mask=mask))
    doc.root.insert(1, group)
    buf = io.BytesIO()
    write_psd(doc, buf)
    return buf.getvalue()


def _flat(mode: int, channels: int, depth: int, colour_data: bytes = b"", w: int = 20, h: int = 12) -> bytes:
    """A layerless PSD written by hand (psd-tools cannot make these modes): header, colour mode
    data, no resources, no layers, the merged image raw."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, channels, h, w, depth, mode)
    row = (w * depth + 7) // 8
    image = struct.pack(">H", 0) + bytes((i * 13 + i // row * 7) % 256 for i in range(row * h * channels))
    return header + struct.pack(">I", len(colour_data)) + colour_data + struct.pack(">II", 0, 0) + image


PALETTE = bytes(range(256)) + bytes(255 - v for v in range(256)) + bytes((v * 7) % 256 for v in range(256))


def _originals() -> dict[str, bytes]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        files = {name: C.build(name) for name in CASES_FROM_PSD_TOOLS}
        files["effects"] = _with_effects()
        files["every_adjustment"] = _every_adjustment()
        files["rgba16"] = _deep("RGBA", 16)
        files["rgba32"] = _deep("RGBA", 32)
        files["gray16"] = _deep("L", 16)
        files["indexed"] = _flat(2, 1, 8, PALETTE)
        files["bitmap"] = _flat(0, 1, 1)
        files["duotone"] = _flat(8, 1, 8, bytes(range(256)) * 2)
        files["multichannel"] = _flat(7, 2, 8)
        files["cmyk16"] = _flat(4, 4, 16)
    for name in FOREIGN:
        files[name] = (Path(__file__).parent / "fixtures" / "foreign" / f"{name}.psd").read_bytes()
    return files


HUGE = (0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x40000000, 0x00FFFFFF, 0x0001_0000)


def _fields(data: bytes) -> list[int]:
    """Even offsets whose 32 bits read as a small nonzero number: most are lengths, counts, sizes."""
    words = np.frombuffer(data[: len(data) // 2 * 2], ">u2").astype(np.int64)
    small = np.flatnonzero((words[:-1] == 0) & (words[1:] > 0))
    return (small * 2).tolist() or [0]


def huge_word(data: bytes, rnd: random.Random) -> bytes:
    """A length, count or size made enormous (or negative, read as signed), 32 or 16 bits wide."""
    out = bytearray(data)
    at = min(rnd.choice(_fields(data)), len(out) - 4)
    if rnd.random() < 0.7:
        out[at:at + 4] = struct.pack(">I", rnd.choice(HUGE))
    else:
        out[at + 2:at + 4] = struct.pack(">H", rnd.choice((0xFFFF, 0x8000, 0x7FFF)))
    return bytes(out)


EXTREME_DOUBLES = (1e300, -1e300, float("nan"), float("inf"), -1.0, 0.0, 1e9, 2.0 ** 31)
EXTREME_LONGS = (0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0, 1_000_000)


def extreme_setting(data: bytes, rnd: random.Random) -> bytes:
    """One descriptor value (an effect's size, an angle, a gradient's scale, a colour) made
    absurd: a 'doub' or 'UntF' double, or a 'long', overwritten in place."""
    spots = [(m.end(), "d") for m in re.finditer(rb"doub", data)]
    spots += [(m.end() + 4, "d") for m in re.finditer(rb"UntF", data)]
    spots += [(m.end(), "l") for m in re.finditer(rb"long", data)]
    if not spots:
        return flip_bytes(data, rnd)
    out = bytearray(data)
    for at, kind in rnd.sample(spots, min(len(spots), rnd.randint(1, 3))):
        value = (struct.pack(">d", rnd.choice(EXTREME_DOUBLES)) if kind == "d"
                 else struct.pack(">I", rnd.choice(EXTREME_LONGS)))
        out[at:at + len(value)] = value[: max(0, len(out) - at)]
    return bytes(out[: len(data)])


MUTATIONS: tuple[Callable[[bytes, random.Random], bytes], ...] = (flip_bytes, truncate, huge_word, huge_word,
                                                                   extreme_setting)


@pytest.fixture(scope="module")
def originals() -> dict[str, bytes]:
    return _originals()


def _open_and_render(path) -> None:
    doc = open_document(path)
    assert flatten_rgba(doc).shape == (doc.height, doc.width, 4)


def test_the_originals_open(tmp_path, originals):
    for name, data in originals.items():
        (tmp_path / f"{name}.psd").write_bytes(data)
        _open_and_render(tmp_path / f"{name}.psd")


def test_damaged_psds_open_or_fail_cleanly(tmp_path, originals):
    for name, data in originals.items():  # kernels compiled or loaded from numba's cache outside the clock
        (tmp_path / f"{name}.psd").write_bytes(data)
        _open_and_render(tmp_path / f"{name}.psd")
    rnd = random.Random("veil-psd-fuzz")
    outcomes = {"opened": 0, "refused": 0}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    for name, data in sorted(originals.items()):
        for i in range(MUTATIONS_PER_FILE):
            mutate = MUTATIONS[i % len(MUTATIONS)]
            path = tmp_path / f"{name}-{i}.psd"
            path.write_bytes(mutate(data, rnd))
            start = time.process_time()  # CPU, not wall: a runaway parse, not a busy machine
            try:
                _open_and_render(path)
                outcomes["opened"] += 1
            except FileFormatError:
                outcomes["refused"] += 1
            elapsed = time.process_time() - start
            assert elapsed < CPU_LIMIT_S, f"{path.name} ({mutate.__name__}) took {elapsed:.2f} s"
            path.unlink()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    assert grown < RSS_GROWTH_LIMIT, f"peak memory grew by {grown >> 20} MB"
    total = len(originals) * MUTATIONS_PER_FILE
    assert sum(outcomes.values()) == total
    assert outcomes["refused"] > total // 5  # the mutations really broke files


def test_an_infinite_tint_leaves_the_rest_of_the_file(tmp_path):
    # found by extreme_setting: int(round(inf)) in the Black & White block refused the whole file
    doc = Document(8, 8)
    doc.root.insert(0, Layer("photo", np.full((8, 8, 4), 120, np.uint8)))
    doc.root.insert(1, Adjustment("bw", "black_white", {"tint": True, "tint_color": [200, 150, 100]}))
    buf = io.BytesIO()
    write_psd(doc, buf)
    data = bytearray(buf.getvalue())
    at = data.find(b"Rd  doub") + 8
    assert at > 8
    data[at:at + 8] = struct.pack(">d", float("inf"))
    (tmp_path / "inf.psd").write_bytes(bytes(data))
    opened = open_document(tmp_path / "inf.psd")
    bw = [n for n in opened.root.children if isinstance(n, Adjustment)]
    assert [n.adjustment for n in bw] == ["black_white"] and bw[0].params["tint"]


def test_a_damaged_colour_profile_leaves_the_rest_of_the_file(tmp_path):
    # found by the fuzz on GIMP's file: a profile LittleCMS cannot open refused the whole file
    good = (Path(__file__).parent / "fixtures" / "foreign" / "gimp-export.psd").read_bytes()
    data = bytearray(good)
    at = data.find(b"acsp")  # the profile's signature, 36 bytes into its header
    assert at > 0
    data[at:at + 4] = b"xxxx"
    (tmp_path / "good.psd").write_bytes(good)
    (tmp_path / "icc.psd").write_bytes(bytes(data))
    doc, expected = open_document(tmp_path / "icc.psd"), open_document(tmp_path / "good.psd")
    assert any("ICC profile" in w for w in doc.warnings)
    assert len(doc.layers()) == len(expected.layers()) > 0
    assert np.abs(flatten_rgba(doc).astype(int) - flatten_rgba(expected)).max() <= 8  # GIMP embeds sRGB
