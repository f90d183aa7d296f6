"""Writing Photoshop documents: psd-tools builds the records, Veil streams the pixels.

psd-tools holds a layer three times while it builds a document (the PIL image, its split
planes, their compressed bytes) and keeps every compressed layer until the file is
written: 3 GB for ten 4096² masked layers. Here psd-tools builds the document from 1x1
stand-ins (names, modes, masks, groups, adjustment blocks: everything but pixels), each
record then takes its real size, and the channels are PackBits-encoded one at a time from
the document's own arrays straight into the file; their lengths are patched into the
records afterwards, as psd-tools patches its own section lengths.

Traps in psd-tools this module steps around: documents are created RGBA (an RGB one turns
layer alpha into a mask); names are set after creation (a non-MacRoman name at creation
breaks the save); the merged image is Veil's own render, stored matted on white with the
merged-transparency flag (else its alpha reads as zero); and group masks are pushed down
into the children (psd-tools writes a corrupt file for a mask on a group).
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Callable
from typing import BinaryIO

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import BlendMode as PsdBlend
from psd_tools.constants import ChannelID, Compression, Tag
from psd_tools.psd.base import ByteElement
from psd_tools.psd.bin_utils import write_padding
from psd_tools.psd.tagged_blocks import ChannelBlendingRestrictionsSetting, TaggedBlock

from editor.core import Document, Group, Node, Rect
from editor.core.blendif import active as blend_if_active
from editor.render import kinds as render_kinds

from . import kinds, packbits, psd_adjust, psd_gradient
from .maskbake import baked_copy, effective_mask
from .ora_write import composite_rgba
from .psd import KNOCKOUT_BYTES, blend_if_to_psd, psd_blend

PSD_NAME_LIMIT = 255
PSD_MAX_SIDE = 30_000  # beyond this Photoshop needs the large document format (.psb)

Planes = Callable[[], tuple[np.ndarray, np.ndarray | None]]  # (straight RGBA, mask coverage or None)


def _stand_in(mode: str) -> Image.Image:
    return Image.new(mode, (1, 1))


def _set_common(player, node: Node) -> None:
    player.name = node.name[:PSD_NAME_LIMIT]  # set after creation: see the module docstring
    player.visible = node.visible
    if node.clipped and not isinstance(node, Group):  # Photoshop cannot clip a group
        player.clipping = True


def _set_knockout(player, node: Node) -> None:
    if node.knockout != "none":
        player._record.tagged_blocks[Tag.KNOCKOUT_SETTING] = TaggedBlock(
            key=Tag.KNOCKOUT_SETTING, data=ByteElement(KNOCKOUT_BYTES[node.knockout]))


def _set_advanced(player, node: Node) -> None:
    """Knockout, Channels ('brst': the channel numbers left out) and Blend Clipped Layers as Group
    ('clbl', written only when off: Photoshop's default is on)."""
    _set_knockout(player, node)
    blocks = player._record.tagged_blocks
    if node.channels != "rgb":
        blocks[Tag.CHANNEL_BLENDING_RESTRICTIONS_SETTING] = TaggedBlock(
            key=Tag.CHANNEL_BLENDING_RESTRICTIONS_SETTING,
            data=ChannelBlendingRestrictionsSetting([i for i, c in enumerate("rgb") if c not in node.channels]))
    if not node.clip_group_blend:
        blocks[Tag.BLEND_CLIPPING_ELEMENTS] = TaggedBlock(key=Tag.BLEND_CLIPPING_ELEMENTS, data=ByteElement(0))


def _set_blend_if(player, node: Node) -> None:
    if blend_if_active(node.blend_if):
        channels = len(player._record.blending_ranges.channel_ranges or []) or 4
        player._record.blending_ranges = blend_if_to_psd(node.blend_if, channels)


def _sized(player, node: Node, x: int, y: int, size: tuple[int, int], mask_at: tuple[int, int]) -> None:
    """Give a stand-in record its real (w, h) at (x, y), and its mask the node's mask size at `mask_at`."""
    record = player._record
    record.top, record.left, record.bottom, record.right = y, x, y + size[1], x + size[0]
    if node.mask is not None:
        mh, mw = node.mask.shape
        player.create_mask(_stand_in("L"), top=mask_at[1], left=mask_at[0])
        mask = record.mask_data
        mask.bottom, mask.right = mask_at[1] + mh, mask_at[0] + mw
        player.mask.disabled = not node.mask.enabled
        # Photoshop's chain: flag bit 0 set means unlinked (see psd._mask_linked)
        mask.flags.pos_relative_to_layer = not node.mask.linked


def _coverage(node: Node) -> np.ndarray | None:
    return None if node.mask is None else effective_mask(node.mask, respect_enabled=False)


def _add_children(parent, children: list[Node], doc: Document, planes: dict[int, Planes]) -> None:
    """psd-tools records for `children` (bottom first, as psd-tools appends to the top); `planes`
    gets, for each record with pixels, how to make its channels when the file is written."""
    for node in children:
        opacity = round(node.opacity * 255)
        if isinstance(node, Group):
            mode = psd_blend(node.blend_mode) if node.isolated else PsdBlend.PASS_THROUGH
            pgroup = parent.create_group(name="Group", opacity=opacity, blend_mode=mode)
            _add_children(pgroup, node.children, doc, planes)
            _set_common(pgroup, node)
            _set_blend_if(pgroup, node)
            _set_advanced(pgroup, node)
            continue
        player = parent.create_pixel_layer(_stand_in("RGBA"), name="Layer", top=0, left=0, opacity=opacity,
                                           blend_mode=psd_blend(node.blend_mode))
        if psd_adjust.writable(node):
            # an adjustment layer: an empty pixel record carrying the adjustment's block (what
            # makes it one for Photoshop and psd-tools) and the node's document-sized mask
            for tag, data in psd_adjust.adjustment_blocks(node):
                player._record.tagged_blocks[tag] = TaggedBlock(key=tag, data=data)
            _sized(player, node, 0, 0, (1, 1), (0, 0))
            planes[id(player._record)] = lambda node=node: (np.zeros((1, 1, 4), np.uint8), _coverage(node))
        else:
            raster = kinds.of(node).raster(node, doc.canvas)
            if raster is None:
                raise TypeError(f"{node!r} has no image of its own to write")  # baked_copy bakes such kinds
            pixels, (x, y) = raster
            _sized(player, node, x, y, (pixels.shape[1], pixels.shape[0]), (x, y))
            if node.kind == "gradient-fill":
                # Photoshop's gradient fill block beside its pixels: Photoshop and psd-tools read
                # the live fill, GIMP (and any reader that ignores the block) the pixels
                box = Rect(x, y, pixels.shape[1], pixels.shape[0])
                coverage = _coverage(node)  # Photoshop aligns with what the mask shows, if it hides some
                if coverage is not None:
                    box = psd_gradient.visible_bounds(coverage, x, y) or box
                block = psd_gradient.descriptor_from_settings(node.gradient, box, doc.canvas)
                player._record.tagged_blocks[Tag.GRADIENT_FILL_SETTING] = TaggedBlock(
                    key=Tag.GRADIENT_FILL_SETTING, data=block)
            del pixels  # a fill layer's raster is made again when written, not held meanwhile

            def make(node=node) -> tuple[np.ndarray, np.ndarray | None]:
                made = kinds.of(node).raster(node, doc.canvas)
                assert made is not None
                return made[0], _coverage(node)

            planes[id(player._record)] = make
            if render_kinds.of(node).has_fill and node.fill < 1:  # the kinds that render Fill
                player.fill_opacity = round(node.fill * 255)
        _set_common(player, node)
        _set_blend_if(player, node)
        _set_advanced(player, node)


class _ChannelWriter:
    """RLE channels into the file: compression, the row byte counts, the rows."""

    def __init__(self, f: BinaryIO, version: int) -> None:
        self.f = f
        self.count_type = ">u2" if version == 1 else ">u4"
        self.scratch = np.empty((0, 0), np.uint8)

    def encode(self, plane: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h, w = plane.shape
        if self.scratch.shape[0] < h or self.scratch.shape[1] < packbits.worst_row_bytes(w):
            self.scratch = np.empty((max(h, self.scratch.shape[0]),
                                     max(packbits.worst_row_bytes(w), self.scratch.shape[1])), np.uint8)
        counts, data = packbits.encode(plane, self.scratch)
        return counts.astype(self.count_type), data

    def channel(self, plane: np.ndarray) -> int:
        """One layer channel; returns the length its channel info records."""
        if plane.size == 0:
            self.f.write(struct.pack(">H", Compression.RAW))
            return 2
        counts, data = self.encode(plane)
        self.f.write(struct.pack(">H", Compression.RLE))
        self.f.write(counts.tobytes())
        self.f.write(memoryview(data))
        return 2 + counts.nbytes + data.nbytes


def _layer_planes(pixels: np.ndarray, mask: np.ndarray | None, channel: ChannelID) -> np.ndarray:
    if channel == ChannelID.TRANSPARENCY_MASK:
        return pixels[..., 3]
    if channel in (ChannelID.USER_LAYER_MASK, ChannelID.REAL_USER_LAYER_MASK):
        assert mask is not None
        return mask
    return pixels[..., int(channel)]


def _write_layer_section(f: BinaryIO, psd: PSDImage, planes: dict[int, Planes], version: int) -> None:
    """The layer and mask information section, each record's channels streamed from `planes`."""
    section = psd._record.layer_and_mask_information
    info = psd._record._get_layer_info()
    if info is None or not info.layer_records:
        section.write(f, "macroman", version)
        return
    length = ">I" if version == 1 else ">Q"
    info_size = struct.calcsize(length)
    section_at = f.tell()
    f.write(bytes(info_size))
    info_at = f.tell()
    f.write(bytes(info_size))
    body_at = f.tell()
    f.write(struct.pack(">h", info.layer_count))
    records_at = []
    for record in info.layer_records:
        records_at.append(f.tell())
        record.write(f, "macroman", version)
    writer = _ChannelWriter(f, version)
    lengths: list[list[int]] = []
    for record, stored in zip(info.layer_records, info.channel_image_data, strict=True):
        make = planes.get(id(record))
        if make is None:  # a group's records: psd-tools' own (empty) channels
            lengths.append([data.write(f) for data in stored])
            continue
        pixels, mask = make()
        lengths.append([writer.channel(_layer_planes(pixels, mask, c.id)) for c in record.channel_info])
        del pixels, mask
    write_padding(f, f.tell() - body_at, 4)
    end = f.tell()
    for at, own in zip(records_at, lengths, strict=True):
        for i, n in enumerate(own):  # after top, left, bottom, right and the channel count: (id, length) each
            f.seek(at + 18 + i * (2 + info_size) + 2)
            f.write(struct.pack(length, n))
    f.seek(info_at)
    f.write(struct.pack(length, end - body_at))
    f.seek(end)
    if section.global_layer_mask_info:
        section.global_layer_mask_info.write(f)
    if section.tagged_blocks:
        section.tagged_blocks.write(f, version=version, padding=4)
    end = f.tell()
    f.seek(section_at)
    f.write(struct.pack(length, end - info_at))
    f.seek(end)


def _write_merged(f: BinaryIO, doc: Document, version: int) -> None:
    """The merged image: Veil's render, colour matted on white where it is not transparent (how
    Photoshop stores it and psd-tools reads it back), then alpha; RLE, all row counts first."""
    rgba = composite_rgba(doc)
    alpha = rgba[..., 3]
    writer = _ChannelWriter(f, version)
    encoded = []
    for c in range(3):
        plane = rgba[..., c].astype(np.uint16) * alpha
        plane += 255 * (255 - alpha.astype(np.uint16)) + 127
        matted = (plane // 255).astype(np.uint8)
        matted = np.where(alpha > 0, matted, rgba[..., c])
        encoded.append(writer.encode(matted))
        del plane, matted
    encoded.append(writer.encode(alpha))
    f.write(struct.pack(">H", Compression.RLE))
    for counts, _ in encoded:
        f.write(counts.tobytes())
    for _, data in encoded:
        f.write(memoryview(data))


def write_psd(doc: Document, f: BinaryIO, *, big: bool = False) -> None:
    """Write `doc` as a PSD, or with `big` as a PSB (Photoshop's large document format,
    version 2 of the same layout with wider lengths, up to 300,000 pixels a side).
    `f` must be seekable."""
    work = baked_copy(doc, layer_masks=False, keep=psd_adjust.writable)
    version = 2 if big else 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (doc.width, doc.height))
        psd._record.header.version = version
        planes: dict[int, Planes] = {}
        _add_children(psd, work.root.children, work, planes)
        info = psd._record._get_layer_info()
        if info is not None:  # the merged image's alpha is its transparency
            info.layer_count = -abs(info.layer_count)
        record = psd._record
        record.header.write(f)
        record.color_mode_data.write(f)
        record.image_resources.write(f, "macroman")
        _write_layer_section(f, psd, planes, version)
        _write_merged(f, doc, version)
