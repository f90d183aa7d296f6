"""Photoshop's Advanced Blending in files: Channels ('brst') and Blend Clipped Layers as Group
('clbl') read from psd-tools-written PSDs carrying the blocks as Adobe's specification lays
them out, rendered as hand-worked, written back to PSD, and kept in Veil's ORA namespace with
Knockout; the effect-only flags are named in the warnings."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import Tag
from psd_tools.psd.base import ByteElement
from psd_tools.psd.tagged_blocks import ChannelBlendingRestrictionsSetting

from editor.core import BlendMode, Document, Layer
from editor.io import open_document, save_document
from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.io.psd_write import write_psd
from editor.render import flatten_rgba

from . import psd_cases as C

W, H = 8, 6


def _psd(build) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (W, H))
        psd.create_pixel_layer(Image.new("RGBA", (W, H), (100, 100, 100, 255)), name="bg")
        build(psd)
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()


def test_channel_restrictions_are_read_and_rendered():
    def build(psd):
        top = psd.create_pixel_layer(Image.new("RGBA", (W, H), (200, 30, 250, 255)), name="top")
        C._set(top, Tag.CHANNEL_BLENDING_RESTRICTIONS_SETTING, ChannelBlendingRestrictionsSetting([0, 2]))

    doc = read_psd(_psd(build), "brst.psd", DEFAULT_LIMITS)
    assert doc.find_by_name("top").channels == "g"
    assert (flatten_rgba(doc)[..., :3] == (100, 30, 100)).all()  # only green blended


def test_clipped_layers_blended_apart_are_read_and_rendered():
    """A screen-mode black base over the left half, a clipped colour: with 'clbl' 0 the clipped
    layer keeps its own Normal; with the default it is screened in with its base."""
    def build(clbl):
        def make(psd):
            base = psd.create_pixel_layer(Image.new("RGBA", (W // 2, H), (0, 0, 0, 255)), name="base")
            base.blend_mode = C.B.SCREEN
            if clbl is not None:
                C._set(base, Tag.BLEND_CLIPPING_ELEMENTS, ByteElement(clbl))
            clip = psd.create_pixel_layer(Image.new("RGBA", (W, H), (200, 50, 50, 255)), name="clip")
            clip.clipping = True
        return make

    off = read_psd(_psd(build(0)), "clbl.psd", DEFAULT_LIMITS)
    assert off.find_by_name("base").clip_group_blend is False
    out = flatten_rgba(off)[..., :3]
    assert (out[:, :4] == (200, 50, 50)).all() and (out[:, 4:] == 100).all()
    on = read_psd(_psd(build(None)), "default.psd", DEFAULT_LIMITS)
    assert on.find_by_name("base").clip_group_blend is True
    assert (flatten_rgba(on)[:, :4, 0] > 220).all()


def test_advanced_blending_is_written_back_to_psd():
    doc = Document(W, H)
    doc.root.insert(0, Layer("bg", np.full((H, W, 4), 100, np.uint8)))
    doc.root.insert(1, Layer("base", np.full((H, 4, 4), 255, np.uint8), channels="rb", clip_group_blend=False,
                             blend_mode=BlendMode.MULTIPLY))
    doc.root.insert(2, Layer("clip", np.full((H, W, 4), 200, np.uint8), clipped=True))
    out = io.BytesIO()
    write_psd(doc, out)
    data = out.getvalue()
    by_name = {item.name: item for item in PSDImage.open(io.BytesIO(data)).descendants()}
    assert list(by_name["base"].tagged_blocks.get_data(Tag.CHANNEL_BLENDING_RESTRICTIONS_SETTING)) == [1]
    assert by_name["base"].tagged_blocks.get_data(Tag.BLEND_CLIPPING_ELEMENTS) == 0
    assert Tag.BLEND_CLIPPING_ELEMENTS not in by_name["clip"].tagged_blocks
    assert Tag.CHANNEL_BLENDING_RESTRICTIONS_SETTING not in by_name["clip"].tagged_blocks
    back = read_psd(data, "again.psd", DEFAULT_LIMITS)
    base = back.find_by_name("base")
    assert base.channels == "rb" and base.clip_group_blend is False
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1


def test_advanced_blending_and_knockout_round_trip_through_ora(tmp_path):
    doc = Document(W, H)
    doc.root.insert(0, Layer("bg", np.full((H, W, 4), 100, np.uint8)))
    doc.root.insert(1, Layer("base", np.full((H, 4, 4), 255, np.uint8), channels="g", clip_group_blend=False,
                             knockout="shallow", fill=0.5))
    doc.root.insert(2, Layer("clip", np.full((H, W, 4), 200, np.uint8), clipped=True, channels=""))
    doc.root.insert(3, Layer("plain", np.full((2, 2, 4), 30, np.uint8), knockout="deep"))
    path = tmp_path / "adv.ora"
    save_document(doc, path)
    back = open_document(path)
    got = {n.name: (n.channels, n.clip_group_blend, n.knockout) for n in back.nodes()}
    assert got["base"] == ("g", False, "shallow")
    assert got["clip"] == ("", True, "none") and got["plain"] == ("rgb", True, "deep")
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1


def test_effect_only_flags_are_named_when_they_would_show():
    def build(psd):
        layer = psd.create_pixel_layer(Image.new("RGBA", (4, 4), (255, 0, 0, 255)), name="fx", top=1, left=1)
        C._set(layer, Tag.OBJECT_BASED_EFFECTS_LAYER_INFO, C.effects_block(C.drop_shadow_desc()))
        C._set(layer, Tag.BLEND_INTERIOR_ELEMENTS, ByteElement(1))
        C._set(layer, Tag.LAYER_MASK_AS_GLOBAL_MASK, ByteElement(1))
        plain = psd.create_pixel_layer(Image.new("RGBA", (4, 4), (0, 0, 255, 255)), name="plain")
        C._set(plain, Tag.BLEND_INTERIOR_ELEMENTS, ByteElement(1))  # no effects: changes nothing

    doc = read_psd(_psd(build), "flags.psd", DEFAULT_LIMITS)
    assert "'fx': Blend Interior Effects as Group is not shown" in doc.warnings
    assert "'fx': Layer/Vector Mask Hides Effects is not shown" in doc.warnings
    assert not any("'plain'" in w for w in doc.warnings)


def test_odd_channel_numbers_are_ignored():
    def build(psd):
        top = psd.create_pixel_layer(Image.new("RGBA", (W, H), (200, 30, 250, 255)), name="top")
        C._set(top, Tag.CHANNEL_BLENDING_RESTRICTIONS_SETTING, ChannelBlendingRestrictionsSetting([7, 2**31, 1]))

    doc = read_psd(_psd(build), "odd.psd", DEFAULT_LIMITS)
    assert doc.find_by_name("top").channels == "rb"
