"""Pattern overlays tiled as Photoshop tiles them (editor/io/psd_pattern.py). Files are written by
psd-tools with a 'Patt' pattern resource and the 'patternFill' effect descriptor Photoshop writes
(Adobe's Photoshop File Format Specification); the expected renders are worked here from the rule
SethRobinson/Patchy pinned against Photoshop 2026 (document-origin grid, 'fxrp' when linked, 'phase'
added, texel-for-texel at 100 %, linear between whole texels when magnified), in plain numpy."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import ColorMode, Tag
from psd_tools.psd.descriptor import Descriptor, Double, String
from psd_tools.psd.patterns import Pattern, Patterns, VirtualMemoryArray, VirtualMemoryArrayList
from psd_tools.psd.tagged_blocks import TaggedBlock, TaggedBlocks

from editor.core import Rect
from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.io.psd_pattern import tile
from editor.render import flatten_rgba

from . import psd_cases as C

W, H = 40, 30
RECT = (7, 5, 33, 26)  # x0, y0, x1, y1 of the opaque grey layer
ID = "3f1a2b4c-0000-4000-8000-00000000beef"
# A 5 x 3 RGB tile whose every texel differs, so any shift of the grid shows
TILE = np.stack([*np.meshgrid(np.arange(5) * 50, np.arange(3) * 120, indexing="xy"), np.full((3, 5), 30)],
                axis=2).astype(np.uint8)


def _channel(plane: np.ndarray) -> VirtualMemoryArray:
    channel = VirtualMemoryArray()
    channel.set_data((plane.shape[1], plane.shape[0]), np.ascontiguousarray(plane, np.uint8).tobytes(), 8)
    return channel


def _pattern(pixels: np.ndarray, mode: ColorMode = ColorMode.RGB, table=(), alpha=None) -> Pattern:
    """A 'Patt' entry as Photoshop stores it: its colour planes in their slots, then two more, the
    last one transparency (unwritten when opaque)."""
    h, w = pixels.shape[:2]
    planes = [pixels[..., i] for i in range(pixels.shape[2])] if pixels.ndim == 3 else [pixels]
    channels = [_channel(p) for p in planes] + [VirtualMemoryArray(),
                                                _channel(alpha) if alpha is not None else VirtualMemoryArray()]
    data = VirtualMemoryArrayList(rectangle=(0, 0, h, w), channels=channels)
    return Pattern(image_mode=mode, point=(h, w), name="probe", pattern_id=ID,
                   color_table=[tuple(c) for c in table], data=data)


def _overlay(*, scale: float = 100.0, align: bool = False, phase=(0.0, 0.0), opacity: float = 100.0):
    d = Descriptor(classID=b"patternFill")
    d[b"enab"], d[b"present"], d[b"showInDialog"] = C.Bool(True), C.Bool(True), C.Bool(True)
    d[b"Md  "] = C.Enumerated(typeID=b"BlnM", enum=b"Nrml")
    d[b"Opct"] = C.UnitFloat(unit=C.Unit.Percent, value=opacity)
    ref = Descriptor(classID=b"Ptrn")
    ref[b"Nm  "], ref[b"Idnt"] = String("probe\x00"), String(ID + "\x00")
    d[b"Ptrn"] = ref
    d[b"Angl"] = C.UnitFloat(unit=C.Unit.Angle, value=0.0)
    d[b"Scl "] = C.UnitFloat(unit=C.Unit.Percent, value=scale)
    d[b"Algn"] = C.Bool(align)
    point = Descriptor(classID=b"Pnt ")
    point[b"Hrzn"], point[b"Vrtc"] = Double(phase[0]), Double(phase[1])
    d[b"phase"] = point
    return b"patternFill", d


def _file(effect, pattern: Pattern | None, reference=None) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)), name="bg")
        x0, y0, x1, y1 = RECT
        px = np.full((y1 - y0, x1 - x0, 4), (128, 128, 128, 255), np.uint8)
        layer = psd.create_pixel_layer(Image.fromarray(px, "RGBA"), name="sq", top=y0, left=x0)
        C._set(layer, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(effect))
        if reference is not None:
            from psd_tools.psd.tagged_blocks import ReferencePoint
            C._set(layer, Tag.REFERENCE_POINT, ReferencePoint(list(reference)))
        if pattern is not None:
            info = psd._record.layer_and_mask_information
            if info.tagged_blocks is None:
                info.tagged_blocks = TaggedBlocks()
            info.tagged_blocks[Tag.PATTERNS1] = TaggedBlock(key=Tag.PATTERNS1, data=Patterns([pattern]))
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()


def _render(data: bytes):
    doc = read_psd(data, "pattern.psd", DEFAULT_LIMITS)
    return doc, flatten_rgba(doc)[..., :3].astype(float)


def _expected(panel: np.ndarray, anchor=(0, 0)) -> np.ndarray:
    """Texel for texel: pixel (x, y) shows texel ((x - ax) mod w, (y - ay) mod h)."""
    x0, y0, x1, y1 = RECT
    ys, xs = np.mgrid[y0:y1, x0:x1]
    th, tw = panel.shape[:2]
    return panel[(ys - anchor[1]) % th, (xs - anchor[0]) % tw].astype(float)


def _inside(out):
    x0, y0, x1, y1 = RECT
    return out[y0:y1, x0:x1]


def test_unlinked_pattern_tiles_from_the_document_origin():
    doc, out = _render(_file(_overlay(), _pattern(TILE)))
    assert np.abs(_inside(out) - _expected(TILE)).max() <= 1
    assert not any("psd-tools" in w and "pattern" in w for w in doc.warnings)


def test_phase_shifts_the_grid():
    _, out = _render(_file(_overlay(phase=(2.0, 1.0)), _pattern(TILE)))
    assert np.abs(_inside(out) - _expected(TILE, (2, 1))).max() <= 1


def test_linked_pattern_tiles_from_the_reference_point_plus_phase():
    _, out = _render(_file(_overlay(align=True, phase=(1.0, 0.0)), _pattern(TILE), reference=(9.0, 6.0)))
    assert np.abs(_inside(out) - _expected(TILE, (10, 6))).max() <= 1


def test_linked_pattern_without_reference_point_tiles_from_the_layer_origin():
    _, out = _render(_file(_overlay(align=True), _pattern(TILE)))
    assert np.abs(_inside(out) - _expected(TILE, RECT[:2])).max() <= 1


def test_grayscale_and_indexed_patterns_read_as_their_colours():
    grey = (np.arange(15).reshape(3, 5) * 17).astype(np.uint8)
    _, out = _render(_file(_overlay(), _pattern(grey, ColorMode.GRAYSCALE)))
    assert np.abs(_inside(out) - _expected(np.repeat(grey[..., None], 3, axis=2))).max() <= 1
    table = [(i * 16, 255 - i * 16, (i * 37) % 256) for i in range(15)] + [(0, 0, 0)] * 241
    indices = np.arange(15).reshape(3, 5).astype(np.uint8)
    _, out = _render(_file(_overlay(), _pattern(indices, ColorMode.INDEXED, table)))
    assert np.abs(_inside(out) - _expected(np.asarray(table)[indices])).max() <= 1


def test_transparent_texels_leave_the_layer_showing_and_opacity_fades():
    alpha = np.where(np.arange(15).reshape(3, 5) % 2 == 0, 255, 0).astype(np.uint8)
    _, out = _render(_file(_overlay(opacity=50.0), _pattern(TILE, alpha=alpha)))
    k = _expected(alpha[..., None])[..., :1] / 255 * 0.5
    expected = 128 * (1 - k) + _expected(TILE) * k
    assert np.abs(_inside(out) - expected).max() <= 1


def test_magnified_pattern_is_linear_between_whole_texels():
    _, out = _render(_file(_overlay(scale=200.0), _pattern(TILE)))
    x0, y0, x1, y1 = RECT
    ys, xs = np.mgrid[y0:y1, x0:x1] / 2.0
    u0, v0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
    fu, fv = (xs - u0)[..., None], (ys - v0)[..., None]
    t = TILE.astype(float)

    def at(v, u):
        return t[v % 3, u % 5]

    expected = (at(v0, u0) * (1 - fu) + at(v0, u0 + 1) * fu) * (1 - fv) + \
        (at(v0 + 1, u0) * (1 - fu) + at(v0 + 1, u0 + 1) * fu) * fv
    assert np.abs(_inside(out) - expected).max() <= 1


def test_minified_pattern_averages_the_texels_it_covers():
    flat = np.zeros((4, 4, 3), np.uint8)
    flat[::2, ::2] = 255  # one bright texel in every 2 x 2 block: a half-size tile is a quarter grey
    got = tile(flat.astype(np.float32) / 255, Rect(0, 0, 6, 6), (0.0, 0.0), 0.5)
    assert np.allclose(got, 0.25, atol=1e-6)


def test_missing_pattern_falls_back_to_psd_tools_with_a_warning():
    doc, out = _render(_file(_overlay(), None))
    assert any("pattern overlay is drawn by psd-tools" in w and "not in the file" in w for w in doc.warnings)
    assert np.isfinite(out).all()


@pytest.mark.parametrize("bad", [float("nan"), -50.0, 0.0])
def test_hostile_scale_falls_back_with_a_warning(bad):
    doc, _ = _render(_file(_overlay(scale=bad), _pattern(TILE)))
    assert any("pattern overlay is drawn by psd-tools" in w for w in doc.warnings)


def test_group_pattern_overlay_tiles_over_its_content():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)), name="bg")
        group = psd.create_group(name="g")
        x0, y0, x1, y1 = RECT
        px = np.full((y1 - y0, x1 - x0, 4), (128, 128, 128, 255), np.uint8)
        group.create_pixel_layer(Image.fromarray(px, "RGBA"), name="sq", top=y0, left=x0)
        C._set(group, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(_overlay(phase=(1.0, 2.0))))
        info = psd._record.layer_and_mask_information
        if info.tagged_blocks is None:
            info.tagged_blocks = TaggedBlocks()
        info.tagged_blocks[Tag.PATTERNS1] = TaggedBlock(key=Tag.PATTERNS1, data=Patterns([_pattern(TILE)]))
        buf = io.BytesIO()
        psd.save(buf)
    doc, out = _render(buf.getvalue())
    assert np.abs(_inside(out) - _expected(TILE, (1, 2))).max() <= 1
    assert not any("pattern overlay" in w and "not shown" in w for w in doc.warnings)


def test_sampling_in_bands_equals_one_pass():
    rng = np.random.default_rng(7)
    panel = rng.random((7, 11, 4)).astype(np.float32)
    whole = tile(panel, Rect(-3, 5, 40, 300), (2.5, -1.0), 1.7, 30.0)
    top = tile(panel, Rect(-3, 5, 40, 129), (2.5, -1.0), 1.7, 30.0)
    assert np.allclose(whole[:129], top, atol=1e-6)
    assert np.allclose(whole[200:], tile(panel, Rect(-3, 205, 40, 100), (2.5, -1.0), 1.7, 30.0), atol=1e-6)
