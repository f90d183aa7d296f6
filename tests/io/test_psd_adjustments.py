"""Photoshop adjustment layers read from PSD into live Veil adjustments with their stored
values, rendering as the adjustments' definitions say (fixtures written with psd-tools)."""

from __future__ import annotations

import numpy as np
from psd_tools.constants import Tag

from editor.core import Adjustment
from editor.io.errors import DEFAULT_LIMITS
from editor.io.info import describe
from editor.io.psd import read_psd
from editor.render import adjustments as A
from editor.render import flatten_rgba

from .psd_adjust_builders import curves_block, hue_block, levels_block, psd_with


def _photo() -> np.ndarray:
    px = np.random.default_rng(3).integers(0, 256, (12, 20, 4), dtype=np.uint8)
    px[..., 3] = 255
    return px


def test_levels_curves_hue_saturation_read_live_and_render():
    photo = _photo()
    data = psd_with([("Levels", Tag.LEVELS, levels_block((10, 240, 0, 255, 150))),
                     ("Curves", Tag.CURVES, curves_block([(0, 0), (200, 100), (255, 255)])),
                     ("Hue", Tag.HUE_SATURATION, hue_block((40, 20, 0)))], photo)
    doc = read_psd(data, "fixture.psd", DEFAULT_LIMITS)
    assert doc.warnings == []
    levels, curves, hue = doc.root.children[1:]
    assert all(isinstance(n, Adjustment) for n in (levels, curves, hue))
    assert levels.params["master"] == {"in_black": 10, "in_white": 240, "gamma": 1.5, "out_black": 0, "out_white": 255}
    assert curves.params["master"] == [[0, 0], [100, 200], [255, 255]]  # stored output first, then input
    assert hue.params["master"] == {"hue": 40, "saturation": 20, "lightness": 0}
    expected = photo.copy()
    for node in (levels, curves, hue):
        A.apply(node.adjustment, node.params, expected)
    assert np.abs(flatten_rgba(doc).astype(int) - expected).max() <= 1
    info = {n["name"]: n for n in describe(doc)["layers"]}
    assert info["Curves"]["adjustment"] == "curves"


def test_invert_block():
    from psd_tools.psd.base import EmptyElement

    photo = _photo()
    doc = read_psd(psd_with([("Invert", Tag.INVERT, EmptyElement())], photo), "f.psd", DEFAULT_LIMITS)
    assert doc.root.children[1].adjustment == "invert"
    assert np.array_equal(flatten_rgba(doc)[..., :3], 255 - photo[..., :3])


def test_photo_filter_and_selective_color_blocks_read_live():
    """Photoshop's version 3 Photo Filter keeps its colour as Lab in hundredths (a negative a or
    b as a 32-bit two's complement); Selective Color's first record is reserved."""
    from psd_tools.psd.adjustments import PhotoFilter, SelectiveColor

    photo = _photo()
    lab = (6500, (-2000) & 0xFFFFFFFF, 4500)  # L 65, a -20, b 45: a yellow green
    records = [(0, 0, 0, 0), (-30, 20, 5, 0)] + [(0, 0, 0, 0)] * 6 + [(0, 10, -20, 0), (0, 0, 0, 0)]
    data = psd_with([("Filter", Tag.PHOTO_FILTER, PhotoFilter(version=3, xyz=lab, density=40, luminosity=1)),
                     ("Selective", Tag.SELECTIVE_COLOR, SelectiveColor(version=1, method=1, data=records))], photo)
    doc = read_psd(data, "fixture.psd", DEFAULT_LIMITS)
    assert doc.warnings == []
    filt, selective = doc.root.children[1:]
    assert filt.adjustment == "photo_filter" and filt.params["density"] == 40 and filt.params["preserve_luminosity"]
    r, g, b = filt.params["color"]
    assert g > r > b and 140 < g < 190  # Lab (65, -20, 45) is about sRGB (142, 167, 72)
    assert selective.adjustment == "selective_color" and selective.params["method"] == "absolute"
    assert selective.params["reds"] == {"cyan": -30, "magenta": 20, "yellow": 5, "black": 0}
    assert selective.params["neutrals"] == {"cyan": 0, "magenta": 10, "yellow": -20, "black": 0}
    expected = photo.copy()
    for node in (filt, selective):
        A.apply(node.adjustment, node.params, expected)
    assert np.abs(flatten_rgba(doc).astype(int) - expected).max() <= 1


def test_color_lookup_reads_its_device_link_and_is_baked_on_export():
    """Photoshop's Color Lookup keeps the chosen LUT as an ICC device link in `profile`; a PSD
    Veil writes cannot hold it live, so the export renders it into a pixel layer."""
    import io

    from psd_tools.psd.adjustments import ColorLookup
    from psd_tools.psd.descriptor import RawData

    from editor.io.psd_write import write_psd

    from .icc_builders import mft2_link, swap_grid

    photo = _photo()
    block = ColorLookup()
    block[b"profile"] = RawData(value=mft2_link(swap_grid()))
    doc = read_psd(psd_with([("Color Lookup 1", Tag.COLOR_LOOKUP, block)], photo), "lut.psd", DEFAULT_LIMITS)
    assert doc.warnings == []
    lookup = doc.root.children[1]
    assert isinstance(lookup, Adjustment) and lookup.adjustment == "color_lookup"
    assert np.abs(flatten_rgba(doc)[..., :3].astype(int) - photo[..., 2::-1]).max() <= 1  # red and blue swapped
    buf = io.BytesIO()
    write_psd(doc, buf)
    back = read_psd(buf.getvalue(), "again.psd", DEFAULT_LIMITS)
    assert not isinstance(back.root.children[1], Adjustment)  # baked
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc)).max() <= 1


def test_a_grayscale_documents_levels_and_curves_apply_to_its_gray_not_to_red():
    # Photoshop keeps a grayscale document's record in the slot RGB calls red (index 1), the
    # composite at the identity (SethRobinson/Patchy docs/adjustments-calibration.md)
    import io

    from PIL import Image
    from psd_tools import PSDImage
    from psd_tools.psd.adjustments import Curves, LevelRecord, Levels
    from psd_tools.psd.tagged_blocks import TaggedBlock

    gray = (np.arange(12 * 20) % 256).astype(np.uint8).reshape(12, 20)
    identity = LevelRecord(0, 255, 0, 255, 100)
    blocks = [(Tag.LEVELS, Levels([identity, LevelRecord(0, 128, 0, 255, 100)] + [identity] * 27, version=2,
                                  extra_version=None)),
              (Tag.CURVES, Curves(is_map=False, version=1, count_map=1 << 1, data=[[(0, 0), (255, 255)]], extra=None))]
    for tag, block in blocks:
        psd = PSDImage.new("L", (20, 12))
        psd.create_pixel_layer(Image.fromarray(gray, "L"), name="photo", top=0, left=0)
        layer = psd.create_pixel_layer(Image.fromarray(np.zeros((1, 1), np.uint8), "L"), name="adj", top=0, left=0)
        layer._record.tagged_blocks[tag] = TaggedBlock(key=tag, data=block)
        buf = io.BytesIO()
        psd.save(buf)
        doc = read_psd(buf.getvalue(), "gray.psd", DEFAULT_LIMITS)
        out = flatten_rgba(doc)[..., :3].astype(int)
        assert (out[..., 0] == out[..., 1]).all() and (out[..., 1] == out[..., 2]).all()  # no tint
        if tag == Tag.LEVELS:  # input white 128: doubled, clipped
            assert np.abs(out[..., 0] - np.minimum(255, np.floor(gray.astype(int) * 255 / 128 + 0.5))).max() <= 1
