"""PSD fixtures with Photoshop adjustment layers, written with psd-tools: a pixel layer record
given the adjustment's tagged block (the block Photoshop writes, parsed by psd-tools' own
structures), which psd-tools then reads back as that adjustment layer."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import Tag
from psd_tools.psd.adjustments import Curves, HueSaturation, LevelRecord, Levels
from psd_tools.psd.tagged_blocks import TaggedBlock


def psd_with(blocks: list[tuple[str, Tag, object]], photo: np.ndarray) -> bytes:
    """A PSD: `photo` (opaque RGBA) under one adjustment layer per (name, tag, data)."""
    h, w = photo.shape[:2]
    psd = PSDImage.new("RGBA", (w, h))
    psd.create_pixel_layer(Image.fromarray(photo, "RGBA"), name="photo", top=0, left=0)
    for name, tag, data in blocks:
        layer = psd.create_pixel_layer(Image.fromarray(np.zeros((1, 1, 4), np.uint8), "RGBA"), name=name, top=0, left=0)
        layer._record.tagged_blocks[tag] = TaggedBlock(key=tag, data=data)
    buf = io.BytesIO()
    psd.save(buf)
    return buf.getvalue()


def levels_block(master=(10, 240, 0, 255, 150)) -> Levels:
    recs = [LevelRecord(*master)] + [LevelRecord(0, 255, 0, 255, 100) for _ in range(28)]
    return Levels(recs, version=2, extra_version=None)


def curves_block(points_out_in) -> Curves:
    return Curves(is_map=False, version=4, count_map=1, data=[list(points_out_in)], extra=None)


def hue_block(master=(40, 20, 0)) -> HueSaturation:
    ranges = [((315, 345, 15, 45), (0, 0, 0)), ((15, 45, 75, 105), (0, 0, 0)), ((75, 105, 135, 165), (0, 0, 0)),
              ((135, 165, 195, 225), (0, 0, 0)), ((195, 225, 255, 285), (0, 0, 0)), ((255, 285, 315, 345), (0, 0, 0))]
    return HueSaturation(version=2, enable=0, colorization=(0, 25, 0), master=master, items=[list(r) for r in ranges])


__all__ = ["curves_block", "hue_block", "levels_block", "psd_with"]
