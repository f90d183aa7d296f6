"""Writing OpenRaster (.ora) projects that Krita and MyPaint open, with Veil's extras in its own namespace.

Layout (stack.xml lists the topmost element first):
- a layer with a mask is an isolated stack holding the mask as an `svg:dst-in`
  layer (white, coverage in alpha) over the pixel layer; the stack carries the
  layer's name, opacity, blend and visibility, so other programs render it as Veil does;
- a clip group is an isolated stack with the clip base's opacity and blend,
  holding the base and, above it, the clipped layers as `svg:src-atop`; a clipped
  layer with a blend mode is an isolated `svg:src-atop` stack of the layer (its own
  mode) over a copy of what it clips to, so Krita blends it as Veil does;
- a group with a mask holds the mask as its topmost `svg:dst-in` layer;
- veil:* attributes keep what OpenRaster cannot say (exact blend mode, raw mask
  and its settings, fill colours, locks, pass-through).
"""

from __future__ import annotations

import json
import os
import zipfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import replace
from typing import BinaryIO
from xml.etree import ElementTree as ET

import cv2
import numpy as np

from editor.core import BlendMode, Document, Group, Node
from editor.core.blendif import active as blend_if_active
from editor.render.kinds import renders_fill

from . import kinds
from .blendnames import ora_op
from .errors import SaveCancelled
from .images import encode_png
from .maskbake import baked_copy, effective_mask
from .ora_paths import write_paths
from .png_encode import encode_png_parallel

VEIL_NS = "https://veil.example/ora"
ET.register_namespace("veil", VEIL_NS)
THUMBNAIL_SIDE = 256
_ENCODERS = min(4, os.cpu_count() or 1)


def _at_full_opacity(e: ET.Element) -> None:
    """An element whose opacity (and Fill) an enclosing stack carries."""
    e.set("opacity", "1.0")
    for attr in ("fill-opacity", "opacity"):
        e.attrib.pop(veil(attr), None)


def veil(attr: str) -> str:
    return f"{{{VEIL_NS}}}{attr}"


def composite_rgba(doc: Document) -> np.ndarray:
    # the compositor, imported late so reading files never waits for its kernels
    from editor.render import flatten_rgba

    return flatten_rgba(doc)


def thumbnail(rgba: np.ndarray, side: int = THUMBNAIL_SIDE) -> np.ndarray:
    h, w = rgba.shape[:2]
    scale = min(1.0, side / max(w, h))
    if scale >= 1.0:
        return rgba
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(rgba, size, interpolation=cv2.INTER_AREA)


class _Writer:
    """Walks the tree into stack.xml; layer PNGs are encoded on a thread pool (OpenCV's encoder
    releases the GIL, so every core works) and stored in order, a few in flight at a time."""

    def __init__(self, doc: Document, zf: zipfile.ZipFile, cancelled: Callable[[], bool], pool: Executor) -> None:
        self.doc, self.zf = doc, zf
        self.cancelled = cancelled
        self.pool = pool
        self.pending: deque[tuple[str, Future[bytes]]] = deque()
        self.in_flight = 2 * _ENCODERS  # bounds the encoded bytes held in memory
        self.count = 0

    def png(self, stem: str, array: np.ndarray) -> str:
        if self.cancelled():  # between layers: each PNG takes a second or two at 24 MP
            raise SaveCancelled
        name = f"data/{stem}.png"
        self.pending.append((name, self.pool.submit(encode_png, array)))
        while len(self.pending) > self.in_flight:
            self.store_next()
        return name

    def store_next(self) -> None:
        name, encoded = self.pending.popleft()
        # PNG is compressed already: storing it avoids paying deflate twice
        self.zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), encoded.result())

    def store_all(self) -> None:
        while self.pending:
            self.store_next()

    def children(self, parent: ET.Element, children: list[Node]) -> None:
        """Append `children` (bottom first) to `parent`, topmost first, clip groups wrapped."""
        units: list[tuple[Node, list[Node]]] = []
        for node in children:
            if node.clipped and units:
                units[-1][1].append(node)
            else:
                units.append((node, []))
        for base, clipped in reversed(units):
            if not clipped:
                parent.append(self.node(base))
                continue
            stack = ET.SubElement(parent, "stack", {"isolation": "isolate", veil("role"): "clip-group"})
            self.common(stack, base, blend=True)
            for i in reversed(range(len(clipped))):
                node = clipped[i]
                if node.blend_mode is BlendMode.NORMAL:
                    stack.append(self.node(node, op="svg:src-atop"))
                else:
                    stack.append(self.clipped_blend(base, clipped[:i], node))
            stack.append(self.node(base, as_clip_base=True))

    def clipped_blend(self, base: Node, below: list[Node], node: Node) -> ET.Element:
        """A clipped layer with a blend mode, which `svg:src-atop` alone cannot carry.

        It is written as an isolated stack drawn `svg:src-atop`, holding the layer with its own
        mode over a copy of what it clips to (the base and the clipped layers below it, as
        Veil renders them): inside the stack the mode blends with that copy, and src-atop then
        keeps the result inside the base with the base's transparency. Veil reads the stack
        back as the one clipped layer and skips the copy."""
        self.count += 1
        stem = f"layer{self.count}"
        e = ET.Element("stack", {"isolation": "isolate", "name": node.name, "opacity": "1.0",
                                 "visibility": "visible" if node.visible else "hidden",
                                 "composite-op": "svg:src-atop", veil("role"): "clipped-blend"})
        e.append(self.node(node))
        pixels, (x, y) = self.clip_backdrop(base, below)
        e.append(ET.Element("layer", {"name": f"{node.name} (backdrop)", "src": self.png(f"{stem}-backdrop", pixels),
                                      "x": str(x), "y": str(y), "composite-op": "svg:src-over", "opacity": "1.0",
                                      "visibility": "visible", veil("role"): "backdrop-copy"}))
        return e

    def clip_backdrop(self, base: Node, below: list[Node]) -> tuple[np.ndarray, tuple[int, int]]:
        """The clip base with the visible clipped layers `below` drawn atop it, at full opacity and
        normal mode (what a clipped layer above them blends with), as straight RGB made opaque,
        and its offset."""
        from editor.render import backends
        from editor.render.compositor import Compositor
        from editor.render.pixels import straight_rgba

        canvas = self.doc.canvas
        comp = Compositor(canvas, backends.get())
        visible = [c for c in below if c.visible]
        if visible:
            op = comp.clip_group_op(base, visible, canvas)
        else:
            op = comp.node_op(base, canvas, mode=BlendMode.NORMAL, opacity=1.0, blend_if=False)
        if op is None:
            return np.zeros((1, 1, 4), np.uint8), (0, 0)
        target = comp.target(op.region)
        target.add(replace(op, mode=BlendMode.NORMAL, opacity=1.0, blend_if=None))
        rgba = straight_rgba(target.buffer())
        # Opaque, its colours straight: the mode then blends with the base's colour wherever the
        # base is partly transparent too (a soft mask), as Photoshop and Veil blend a clipped
        # layer, and src-atop puts the base's own transparency back on the result.
        rgba[..., 3] = 255
        return rgba, (op.region.x, op.region.y)

    def common(self, e: ET.Element, node: Node, *, blend: bool, op: str | None = None) -> None:
        e.set("name", node.name)
        # Other readers know no Fill: it multiplies the opacity they see (exact outside the
        # special-Fill modes, the nearest they can show in those); veil:fill-opacity and
        # veil:opacity keep both for Veil.
        fill = node.fill if renders_fill(node) else 1.0
        e.set("opacity", repr(node.opacity * fill))
        if fill < 1:
            e.set(veil("fill-opacity"), repr(fill))
            e.set(veil("opacity"), repr(node.opacity))
        e.set("visibility", "visible" if node.visible else "hidden")
        e.set("composite-op", op or ora_op(node.blend_mode))
        if blend:
            e.set(veil("blend"), node.blend_mode.value)
        # Photoshop's Advanced Blending, Veil's own (other readers show none of it)
        if node.knockout != "none":
            e.set(veil("knockout"), node.knockout)
        if node.channels != "rgb":
            e.set(veil("channels"), node.channels)
        if not node.clip_group_blend:
            e.set(veil("clip-group-blend"), "false")

    def flags(self, e: ET.Element, node: Node) -> None:
        if node.clipped:
            e.set(veil("clipped"), "true")
        if node.locked:
            e.set(veil("locked"), "true")
            e.set("edit-locked", "true")
        if kinds.of(node).ora_attributes(node).get("alpha-locked") == "true":
            e.set(veil("alpha-locked"), "true")
        if blend_if_active(node.blend_if):
            e.set(veil("blend-if"), json.dumps(node.blend_if.to_dict(), separators=(",", ":")))
        if node is self.doc.active:
            e.set("selected", "true")
            if self.doc.edit_mask:
                e.set(veil("edit-mask"), "true")

    def node(self, node: Node, *, op: str | None = None, as_clip_base: bool = False) -> ET.Element:
        self.count += 1
        stem = f"layer{self.count}"
        if isinstance(node, Group):
            e = ET.Element("stack", {"isolation": "isolate" if node.isolated or node.mask is not None else "auto"})
            if not node.isolated:
                e.set(veil("pass-through"), "true")
            if not node.expanded:
                e.set(veil("collapsed"), "true")
            outer = e
            if node.mask is not None:
                e.append(self.mask_layer(node, stem, 0, 0))
            self.children(e, node.children)
        else:
            pixel = self.pixel_layer(node, stem)
            if node.mask is None:
                outer = pixel
            else:
                outer = ET.Element("stack", {"isolation": "isolate", veil("role"): "masked-layer"})
                x, y = node.offset
                outer.append(self.mask_layer(node, stem, x, y))
                outer.append(pixel)
                pixel.set(veil("role"), "pixels")
                self.common(pixel, node, blend=False, op="svg:src-over")
                _at_full_opacity(pixel)
                pixel.set("visibility", "visible")
        if as_clip_base:
            # the clip-group stack carries the base's opacity, blend and visibility
            self.common(outer, node, blend=False, op="svg:src-over")
            _at_full_opacity(outer)
            outer.set("visibility", "visible")
            outer.set(veil("clip-base"), "true")
        else:
            self.common(outer, node, blend=True, op=op)
        self.flags(outer, node)
        return outer

    def pixel_layer(self, node: Node, stem: str) -> ET.Element:
        file_kind = kinds.of(node)
        raster = file_kind.stand_in(node, self.doc)
        if raster is None:
            raise TypeError(f"{node!r} has no image of its own to write")
        pixels, (x, y) = raster
        e = ET.Element("layer", {"src": self.png(stem, pixels), "x": str(x), "y": str(y)})
        if node.kind != "pixel":
            e.set(veil("kind"), node.kind)
        for attr, value in file_kind.ora_attributes(node).items():
            e.set(veil(attr), value)
        return e

    def mask_layer(self, node: Node, stem: str, x: int, y: int) -> ET.Element:
        mask = node.mask
        assert mask is not None
        shown = np.empty((*mask.shape, 4), np.uint8)
        shown[..., :3] = 255
        shown[..., 3] = effective_mask(mask, respect_enabled=False)
        e = ET.Element("layer", {
            "name": f"{node.name} (mask)", "src": self.png(f"{stem}-mask", shown), "x": str(x), "y": str(y),
            "composite-op": "svg:dst-in", "opacity": "1.0", "visibility": "visible" if mask.enabled else "hidden",
            veil("role"): "mask", veil("mask-enabled"): _bool(mask.enabled), veil("mask-density"): repr(mask.density),
            veil("mask-feather"): repr(mask.feather), veil("mask-inverted"): _bool(mask.inverted),
        })
        if not mask.linked:
            e.set(veil("mask-linked"), "false")
        # always the raw mask as one grey channel too: Veil reads that, a quarter of the RGBA bytes
        # to inflate, and it keeps the settings (invert, feather, density) baked into the image above live
        e.set(veil("mask-src"), self.png(f"{stem}-mask-raw", mask.data))
        if mask.generator is not None:
            e.set(veil("mask-generator"), json.dumps(mask.generator, ensure_ascii=False, sort_keys=True))
        return e


def _bool(value: bool) -> str:
    return "true" if value else "false"


def write_ora(doc: Document, f: BinaryIO, *, flatten_masks: bool = False,
              cancelled: Callable[[], bool] = lambda: False) -> None:
    """Write `doc` as OpenRaster to an open binary file; flatten_masks applies every mask into alpha.

    `cancelled` is asked between layers; when it turns True the write raises SaveCancelled."""
    source = baked_copy(doc, layer_masks=True) if flatten_masks else doc
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0)), b"image/openraster")
        image = ET.Element("image", {"version": "0.0.6", "w": str(doc.width), "h": str(doc.height),
                                     "xres": _res(doc.resolution), "yres": _res(doc.resolution)})
        root = ET.SubElement(image, "stack", {"isolation": "isolate", "name": "Root", "opacity": "1.0",
                                              "visibility": "visible", "composite-op": "svg:src-over"})
        with ThreadPoolExecutor(max_workers=_ENCODERS, thread_name_prefix="png") as pool:
            writer = _Writer(source, zf, cancelled, pool)
            try:
                writer.children(root, source.root.children)
                writer.store_all()
            finally:
                for _, encoded in writer.pending:  # a failure midway: do not encode the rest
                    encoded.cancel()
        xml = ET.tostring(image, encoding="utf-8", xml_declaration=True)
        zf.writestr("stack.xml", xml, compress_type=zipfile.ZIP_DEFLATED)
        write_paths(doc, zf)
        if cancelled():
            raise SaveCancelled
        merged = composite_rgba(doc)
        # the layers are all stored by now: the merged image has every core to itself
        zf.writestr("mergedimage.png", encode_png_parallel(merged) or encode_png(merged))
        zf.writestr("Thumbnails/thumbnail.png", encode_png(thumbnail(merged)))


def _res(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
