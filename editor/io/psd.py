"""Photoshop documents in and out through psd-tools.

Traps in psd-tools this module steps around: documents are created RGBA (an
RGB one turns layer alpha into a mask); names are set after creation (a
non-MacRoman name at creation breaks the save); the merged image is Veil's
own render, written with the merged-transparency flag (else its alpha reads
as zero); and group masks are pushed down into the children (psd-tools
writes a corrupt file for a mask on a group).
"""

from __future__ import annotations

import io
import struct
import warnings
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.api import numpy_io
from psd_tools.constants import BlendMode as PsdBlend
from psd_tools.constants import ColorMode

from editor.core import BlendMode, Document, Group, Layer, Mask, Node

from . import kinds
from .errors import FileFormatError, Limits
from .images import check_pixel_limit
from .maskbake import baked_copy, effective_mask
from .ora_write import composite_rgba

PSD_NAME_LIMIT = 255
_PSD_NAMES = {BlendMode.ADD: PsdBlend.LINEAR_DODGE} | {
    mode: PsdBlend[mode.name] for mode in BlendMode if mode is not BlendMode.ADD
}
_PSD_READ = {psd: mode for mode, psd in _PSD_NAMES.items()}


def psd_blend(mode: BlendMode) -> PsdBlend:
    return _PSD_NAMES[mode]


def blend_from_psd(mode: PsdBlend) -> BlendMode | None:
    return _PSD_READ.get(mode)


# --- reading -------------------------------------------------------------------

def psd_header_size(data: bytes, path: str | Path) -> tuple[int, int]:
    """(width, height) from the 26-byte header, before psd-tools parses anything."""
    if len(data) < 26 or not data.startswith(b"8BPS"):
        raise FileFormatError(path, "it is not a Photoshop file (no 8BPS header)")
    version, = struct.unpack(">H", data[4:6])
    if version not in (1, 2):
        raise FileFormatError(path, f"unknown PSD version {version}")
    height, width = struct.unpack(">II", data[14:22])
    return width, height


def check_complete(data: bytes, path: str | Path) -> None:
    """Walk the section lengths; psd-tools silently accepts a file cut inside its merged image."""
    version, channels, height, width, depth = struct.unpack(">HxxxxxxHIIH", data[4:24])
    big = version == 2
    pos = 26
    for length_size in (4, 4, 8 if big else 4):  # colour mode data, image resources, layers and masks
        if pos + length_size > len(data):
            raise FileFormatError(path, "the file is truncated")
        length = int.from_bytes(data[pos:pos + length_size], "big")
        pos += length_size + length
    if pos + 2 > len(data):
        raise FileFormatError(path, f"the file is truncated ({len(data)} bytes, sections need {pos + 2})")
    compression = int.from_bytes(data[pos:pos + 2], "big")
    pos += 2
    rows = channels * height
    if compression == 0:
        pos += rows * ((width * depth + 7) // 8)
    elif compression == 1:
        count_size = 4 if big else 2
        table = data[pos:pos + rows * count_size]
        if len(table) < rows * count_size:
            raise FileFormatError(path, "the file is truncated inside its merged image")
        fmt = ">" + ("I" if big else "H") * rows
        pos += rows * count_size + sum(struct.unpack(fmt, table))
    if pos > len(data):
        raise FileFormatError(path, f"the file is truncated ({len(data)} bytes of {pos})")


class _PsdReader:
    def __init__(self, psd: PSDImage, path: str | Path, limits: Limits) -> None:
        self.psd, self.path, self.limits = psd, path, limits
        self.warnings: list[str] = []
        self.pixels = 0
        self.eight_bit_rgb = psd.color_mode == ColorMode.RGB and psd.depth == 8
        if not self.eight_bit_rgb:
            self.warn(f"{psd.color_mode.name.title()} {psd.depth}-bit document converted to 8-bit RGBA")

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def children(self, group) -> list[Node]:  # psd-tools group or document; bottom first
        nodes: list[Node] = []
        for item in group:
            node = self.node(item)
            if node is not None:
                nodes.append(node)
        return nodes

    def node(self, item) -> Node | None:
        name = item.name.rstrip("\x00")
        if item.kind == "group":
            node: Node = Group(name, self.children(item))
            node.isolated = item.blend_mode != PsdBlend.PASS_THROUGH
            node.blend_mode = self.blend(item, name) if node.isolated else node.blend_mode
            self.apply_mask(item, node, 0, 0, self.psd.width, self.psd.height)
        elif item.kind in ("pixel", "type", "shape", "smartobject"):
            if item.kind != "pixel":
                self.warn(f"'{name}': {item.kind} layer kept as pixels")
            node = self.pixel_layer(item, name)
        else:
            self.warn(f"'{name}': {item.kind} layers are not supported and were left out")
            return None
        node.opacity = item.opacity / 255.0
        node.visible = item.visible
        node.clipped = bool(item.clipping)
        if item.kind != "group":
            node.blend_mode = self.blend(item, name)
        return node

    def blend(self, item, name: str) -> BlendMode:
        mode = blend_from_psd(item.blend_mode)
        if mode is None:
            self.warn(f"'{name}': blend mode {item.blend_mode.name.replace('_', ' ').lower()} is not available "
                      "in Veil, shown as Normal")
            return BlendMode.NORMAL
        return mode

    def pixel_layer(self, item, name: str) -> Layer:
        x, y = item.offset
        w, h = item.size
        if w <= 0 or h <= 0:
            layer = Layer(name, np.zeros((1, 1, 4), np.uint8), offset=(x, y))
        else:
            check_pixel_limit(self.path, (w, h), self.limits)
            self.pixels += w * h
            if self.pixels > self.limits.max_total_pixels:
                raise FileFormatError(self.path, "its layers hold more pixels than the limit")
            im = item.topil()
            if im is None:
                rgba = np.zeros((h, w, 4), np.uint8)
            else:
                rgba = np.array(im.convert("RGBA"), dtype=np.uint8)
            layer = Layer(name, rgba, offset=(x, y))
        lw, lh = layer.size
        self.apply_mask(item, layer, x, y, lw, lh)
        return layer

    def apply_mask(self, item, node: Node, x: int, y: int, w: int, h: int) -> None:
        """Give `node` a (w, h) mask at (x, y) from the PSD layer mask, if there is one."""
        if not item.has_mask():
            return
        pmask = item.mask
        im = pmask.topil()
        data = np.full((h, w), pmask.background_color, np.uint8)
        if im is not None:
            m = np.asarray(im.convert("L"))
            mx, my = pmask.left, pmask.top
            mh, mw = m.shape
            x0, y0, x1, y1 = max(mx, x), max(my, y), min(mx + mw, x + w), min(my + mh, y + h)
            if x1 > x0 and y1 > y0:
                data[y0 - y:y1 - y, x0 - x:x1 - x] = m[y0 - my:y1 - my, x0 - mx:x1 - mx]
        mask = Mask(data, enabled=not pmask.disabled)
        params = pmask.parameters
        if params is not None:
            if params.user_mask_density is not None:
                mask.density = params.user_mask_density / 255.0
            if params.user_mask_feather:
                mask.feather = float(params.user_mask_feather)
        node.mask = mask


def read_psd(data: bytes, path: str | Path, limits: Limits) -> Document:
    width, height = psd_header_size(data, path)
    check_pixel_limit(path, (width, height), limits)
    check_complete(data, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.open(io.BytesIO(data))
        reader = _PsdReader(psd, path, limits)
        doc = Document(width, height)
        for node in reader.children(psd):
            doc.root.insert(len(doc.root.children), node)
    layers = doc.layers()
    doc.active = layers[-1] if layers else None
    doc.warnings = reader.warnings
    return doc


# --- writing -------------------------------------------------------------------

def _set_common(player, node: Node) -> None:
    player.name = node.name[:PSD_NAME_LIMIT]  # set after creation: see the module docstring
    player.visible = node.visible
    if node.clipped and not isinstance(node, Group):  # Photoshop cannot clip a group
        player.clipping = True


def _add_children(parent, children: list[Node], doc: Document) -> None:
    for node in children:  # bottom first, as psd-tools appends to the top
        opacity = round(node.opacity * 255)
        if isinstance(node, Group):
            mode = psd_blend(node.blend_mode) if node.isolated else PsdBlend.PASS_THROUGH
            pgroup = parent.create_group(name="Group", opacity=opacity, blend_mode=mode)
            _add_children(pgroup, node.children, doc)
            _set_common(pgroup, node)
            continue
        raster = kinds.of(node).raster(node, doc.canvas)
        if raster is None:
            raise TypeError(f"{node!r} has no image of its own to write")  # baked_copy bakes such kinds
        pixels, (x, y) = raster
        player = parent.create_pixel_layer(Image.fromarray(pixels, "RGBA"), name="Layer", top=y, left=x,
                                           opacity=opacity, blend_mode=psd_blend(node.blend_mode))
        _set_common(player, node)
        if node.mask is not None:
            coverage = effective_mask(node.mask, respect_enabled=False)
            player.create_mask(Image.fromarray(coverage, "L"), top=y, left=x)
            player.mask.disabled = not node.mask.enabled


def write_psd(doc: Document, f: BinaryIO) -> None:
    work = baked_copy(doc, layer_masks=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.new("RGBA", (doc.width, doc.height))
        _add_children(psd, work.root.children, work)
        info = psd._record._get_layer_info()
        if info is not None:  # the merged-transparency flag: set first, the encoder reads it
            info.layer_count = -abs(info.layer_count)
        merged = composite_rgba(doc).astype(np.float32) / 255.0
        psd._record.image_data.set_data(numpy_io.encode_image_data(psd, merged[..., :3], merged[..., 3:]),
                                        psd._record.header)
        psd._record.write(f)  # not psd.save(): that would replace Veil's merged render by psd-tools' own
