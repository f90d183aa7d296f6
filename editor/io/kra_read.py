"""Reading Krita's own documents (.kra): maindoc.xml's layer tree and each layer's tiled pixels.

A .kra is a zip: `maindoc.xml` lists the layers top first; each paint layer's pixels are in
`<image name>/layers/<filename>`, in Krita's tiled format (a text header, then per tile a line
`x,y,LZF,size` and `size` bytes whose first byte says LZF-compressed (1, the bytes of each
pixel split into planes first) or raw (0, pixels as they lie)). Tile positions are in the
layer's own space; the layer's x, y move it on the canvas. Absent tiles hold the layer's
`.defaultpixel`. Transparency masks become Veil masks, inherit alpha becomes clipping where
that is exact (else the layers below are grouped as the clip base), a `destination-in` layer at
the top of a group becomes the group's mask. What Veil cannot show is named in doc.warnings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET
import numpy as np
from defusedxml import DefusedXmlException
from PIL import Image

from editor.core import Document, Group, Layer, Mask, Node, Rect

from .archive import SafeArchive
from .blendnames import blend_from_krita
from .errors import FileFormatError, Limits
from .images import _icc_to_srgb, _is_srgb, decode_image
from .kra_tiles import decode_tiles, parse_tiles
from .swizzle import bgra_to_rgba_inplace

MIMETYPE = b"application/x-krita"
_NS = "{http://www.calligra.org/DTD/krita}"
_WORKERS = min(4, os.cpu_count() or 1)

# Krita colour space id -> (channels, bytes per channel, grey?); the channels lie B,G,R,A or grey,A.
_COLOR_SPACES = {"RGBA": (4, 1, False), "RGBA16": (4, 2, False), "GRAYA": (2, 1, True),
                 "GRAYAU16": (2, 2, True), "GRAYA16": (2, 2, True)}
# Krita node types Veil has no kind for, as the user knows them.
_UNSUPPORTED = {"adjustmentlayer": "filter layer", "generatorlayer": "fill layer", "shapelayer": "vector layer",
                "filelayer": "file layer", "referenceimageslayer": "reference images layer"}
_MASK_KINDS = {"filtermask": "filter mask", "transformmask": "transform mask", "colorizemask": "colorize mask",
               "selectionmask": "local selection"}


@dataclass
class _Plane:
    """A one-channel image placed on the canvas, with the value it has everywhere outside."""

    values: np.ndarray  # (h, w) uint8
    x: int
    y: int
    outside: int

    def on(self, frame: Rect) -> np.ndarray:
        """The values over `frame` (document coordinates)."""
        if (self.x, self.y) == (frame.x, frame.y) and self.values.shape == (frame.h, frame.w):
            return self.values
        out = np.full((frame.h, frame.w), self.outside, np.uint8)
        h, w = self.values.shape
        x0, y0 = max(self.x, frame.x), max(self.y, frame.y)
        x1, y1 = min(self.x + w, frame.right), min(self.y + h, frame.bottom)
        if x1 > x0 and y1 > y0:
            out[y0 - frame.y:y1 - frame.y, x0 - frame.x:x1 - frame.x] = \
                self.values[y0 - self.y:y1 - self.y, x0 - self.x:x1 - self.x]
        return out


def _product(planes: list[_Plane], frame: Rect) -> np.ndarray:
    """Several masks over one frame, multiplied (Krita applies each in turn)."""
    out = planes[0].on(frame).copy()
    for plane in planes[1:]:
        out = ((out.astype(np.uint16) * plane.on(frame) + 127) // 255).astype(np.uint8)
    return out


class _Reader:
    def __init__(self, archive: SafeArchive, path: str | Path, limits: Limits, image: Element,
                 progress: Callable[[float], None], pool: ThreadPoolExecutor) -> None:
        self.archive, self.path, self.limits, self.pool = archive, path, limits, pool
        self.progress = progress
        self.root_name = image.get("name", "")
        self.width, self.height = limits.canvas_size(path, "maindoc.xml", image.get("width"), image.get("height"))
        self.canvas = Rect(0, 0, self.width, self.height)
        self.image_space = image.get("colorspacename", "RGBA")
        self.warnings: list[str] = []
        self.pixels_read = 0
        self.layer_count = 0
        self.data_files = max(1, sum(1 for e in image.iter(_NS + "layer") if e.get("nodetype") == "paintlayer"))
        self.files_read = 0
        self.active: Node | None = None
        self.by_uuid: dict[str, Node] = {}
        self.by_name: dict[str, Node] = {}
        self.clones: list[tuple[Element, Layer]] = []
        # a group's transparency masks (shown, hidden) while its children are read: a
        # destination-in layer at its top adds to them
        self.group_planes: dict[int, tuple[list[_Plane], list[_Plane]]] = {}
        self.current_time = _current_time(image)
        self.srgb_profiles: dict[bytes, bool] = {}  # ICC profile -> whether it is sRGB (each layer has a copy)

    def fail(self, why: str) -> FileFormatError:
        return FileFormatError(self.path, why)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    # --- tiled pixel data ----------------------------------------------------
    def device(self, name: str, what: str, pixel_size: int) -> tuple[np.ndarray, int, int, bytes]:
        """A tiled device file as (h, w, pixel_size) raw bytes, the tile-space position (x, y) of its
        pixel (0, 0), and its default pixel. Sizes are checked against the limits before anything is allocated."""
        location = f"{self.root_name}/layers/{name}"
        if location not in self.archive:
            raise self.fail(f"{what} refers to {location!r}, which is missing from the archive")
        default = b"\0" * pixel_size
        if location + ".defaultpixel" in self.archive:
            stored = self.archive.read(location + ".defaultpixel", max_bytes=64)
            if len(stored) == pixel_size:  # any other size Krita ignores too (transparent)
                default = stored
        data = self.archive.read(location)
        try:
            tw, th, tiles = parse_tiles(data, pixel_size, self.limits)
        except ValueError as e:
            raise self.fail(f"{what} ({location!r}): {e}") from None
        if not tiles:
            return np.empty((0, 0, pixel_size), np.uint8), 0, 0, default
        x0, y0 = min(t[0] for t in tiles), min(t[1] for t in tiles)
        x1, y1 = max(t[0] for t in tiles) + tw, max(t[1] for t in tiles) + th
        self.charge(what, (x1 - x0) * (y1 - y0))
        try:
            out = decode_tiles(data, tiles, (x0, y0, x1 - x0, y1 - y0), (tw, th), default, self.pool, _WORKERS)
        except ValueError as e:
            raise self.fail(f"{what} ({location!r}): {e}") from None
        self.files_read += 1
        self.progress(min(1.0, self.files_read / self.data_files))
        return out, x0, y0, default

    def charge(self, what: str, pixels: int) -> None:
        if pixels > self.limits.max_pixels:
            raise self.fail(f"{what} declares {pixels / 1e6:.0f} MP of tiles, more than the limit of "
                            f"{self.limits.max_pixels / 1e6:.0f} MP")
        self.pixels_read += pixels
        if self.pixels_read > self.limits.max_total_pixels:
            raise self.fail(f"its layers hold more pixels than the limit of {self.limits.max_total_pixels / 1e6:.0f} MP")

    def paint_pixels(self, e: Element, name: str) -> tuple[np.ndarray, int, int]:
        """A paint layer's pixels as straight RGBA, and its canvas position."""
        space = e.get("colorspacename", self.image_space)
        if space not in _COLOR_SPACES:
            raise _Unsupported(f"'{name}': Krita colour space {space!r} is not supported, so the layer was left out")
        channels, depth, grey = _COLOR_SPACES[space]
        raw, tx, ty, default = self.device(self.frame_file(e, name), f"layer {name!r}", channels * depth)
        x, y = self.integer(e, "x") + tx, self.integer(e, "y") + ty
        rgba = _to_rgba(raw, channels, depth, grey)
        if not grey and rgba.size:
            rgba = self.in_srgb(rgba, e, name)
        if depth == 2 or grey:
            self.warn(f"'{name}': Krita {'16-bit ' if depth == 2 else ''}{'grey' if grey else 'RGBA'} pixels "
                      "converted to 8-bit RGBA")
        outside = _to_rgba(np.frombuffer(default, np.uint8).reshape(1, 1, -1).copy(), channels, depth, grey)[0, 0]
        if outside[3]:  # a filled layer is infinite in Krita: give it the whole canvas at least
            frame = self.canvas if rgba.size == 0 else _union(self.canvas, Rect(x, y, rgba.shape[1], rgba.shape[0]))
            if frame != Rect(x, y, rgba.shape[1], rgba.shape[0]):
                self.charge(f"layer {name!r}", frame.w * frame.h)
                full = np.empty((frame.h, frame.w, 4), np.uint8)
                full[...] = outside
                if rgba.size:
                    full[y - frame.y:y - frame.y + rgba.shape[0], x - frame.x:x - frame.x + rgba.shape[1]] = rgba
                rgba, x, y = full, frame.x, frame.y
        if rgba.size == 0:
            rgba, x, y = np.zeros((1, 1, 4), np.uint8), 0, 0
        return rgba, x, y

    def in_srgb(self, rgba: np.ndarray, e: Element, name: str) -> np.ndarray:
        """The layer's colours converted from its ICC profile (its own `.icc`, else the image's) to sRGB."""
        own = f"{self.root_name}/layers/{e.get('filename', '')}.icc"
        source = own if own in self.archive else "annotations/icc" if "annotations/icc" in self.archive else None
        if source is None:
            return rgba
        icc = self.archive.read(source, max_bytes=16 << 20)
        if icc not in self.srgb_profiles:
            self.srgb_profiles[icc] = _is_srgb(icc)
        if self.srgb_profiles[icc]:
            return rgba
        notes: list[str] = []
        converted = _icc_to_srgb(Image.fromarray(rgba, "RGBA"), icc, f"'{name}'", notes)
        for note in notes:
            self.warn(note)
        return rgba if converted is None else np.ascontiguousarray(np.asarray(converted.convert("RGBA")))

    def frame_file(self, e: Element, name: str) -> str:
        """The file holding the layer's current animation frame (its own file when not animated)."""
        filename = e.get("filename", "")
        keyframes = e.get("keyframes")
        if not keyframes:
            return filename
        location = f"{self.root_name}/layers/{keyframes}"
        chosen = None
        if location in self.archive:
            try:
                tree = _parse_xml(self.archive.read(location, max_bytes=self.limits.max_xml_bytes))
                frames = [(int(k.get("time", "0")), k.get("frame", "")) for ch in tree.iter()
                          if _local(ch.tag) == "channel" and ch.get("name") == "content"
                          for k in ch.iter() if _local(k.tag) == "keyframe"]
                before = [f for f in frames if f[0] <= self.current_time]
                chosen = max(before)[1] if before else None
            except (ValueError, DET.ParseError):
                chosen = None
        self.warn(f"'{name}' is animated; Veil shows one frame of it (the current one, {self.current_time})")
        return chosen if chosen and f"{self.root_name}/layers/{chosen}" in self.archive else filename

    # --- attributes --------------------------------------------------------
    def integer(self, e: Element, attr: str) -> int:
        raw = e.get(attr, "0")
        try:
            value = int(raw)
        except ValueError:
            raise self.fail(f"layer {e.get('name', '')!r} has a bad {attr} {raw!r}") from None
        if abs(value) > self.limits.max_offset:
            raise self.fail(f"layer {e.get('name', '')!r} has an absurd {attr}={raw!r}")
        return value

    def common(self, e: Element, node: Node) -> None:
        node.name = e.get("name", node.name)
        raw = e.get("opacity", "255")
        try:
            opacity = float(raw)
        except ValueError:
            raise self.fail(f"layer {node.name!r} has a bad opacity {raw!r}") from None
        if not 0 <= opacity <= 255:
            raise self.fail(f"layer {node.name!r} has opacity {raw!r}, outside 0..255")
        node.opacity = opacity / 255
        node.visible = e.get("visible", "1") != "0"
        node.locked = e.get("locked", "0") == "1"
        op = e.get("compositeop", "normal")
        mode, exact = blend_from_krita(op)
        if mode is None:
            self.warn(f"'{node.name}': Krita blend mode {op!r} is not available in Veil, shown as Normal")
        elif not exact:
            self.warn(f"'{node.name}': Krita's {op!r} blend mode is shown as Veil's nearest, {mode.label}")
        node.blend_mode = mode or node.blend_mode
        flags = e.get("channelflags", "")
        alpha_at = 1 if _COLOR_SPACES.get(e.get("colorspacename", self.image_space), (4,))[0] == 2 else 3
        if flags and len(flags) > alpha_at:
            node.clipped = flags[alpha_at] == "0"
            if "0" in flags[:alpha_at] + flags[alpha_at + 1:]:
                self.warn(f"'{node.name}': Krita shows only some of its colour channels; Veil shows all of them")
        if e.get("selected") == "true":
            self.active = node
        if e.get("uuid"):
            self.by_uuid[e.get("uuid")] = node
        self.by_name.setdefault(node.name, node)

    # --- masks -------------------------------------------------------------
    def masks(self, e: Element, name: str) -> tuple[list[_Plane], list[_Plane]]:
        """The node's transparency masks as planes on the canvas: (shown ones, hidden ones)."""
        shown: list[_Plane] = []
        hidden: list[_Plane] = []
        holder = e.find(_NS + "masks")
        for m in holder if holder is not None else ():
            if m.tag != _NS + "mask":
                continue
            kind = m.get("nodetype", "")
            mask_name = m.get("name", "mask")
            if kind != "transparencymask":
                what = _MASK_KINDS.get(kind, f"{kind or 'unknown'} mask")
                if m.get("visible", "1") != "0" or kind != "selectionmask":
                    self.warn(f"'{name}': its Krita {what} {mask_name!r} cannot be shown in Veil and was left out")
                continue
            filename = m.get("filename", "") + ".pixelselection"
            if f"{self.root_name}/layers/{filename}" not in self.archive:  # a vector selection only
                self.warn(f"'{name}': its transparency mask {mask_name!r} has no pixels Veil can read and was left out")
                continue
            raw, tx, ty, default = self.device(filename, f"mask {mask_name!r}", 1)
            plane = _Plane(raw[..., 0], self.integer(m, "x") + tx, self.integer(m, "y") + ty, default[0])
            (shown if m.get("visible", "1") != "0" else hidden).append(plane)
        return shown, hidden

    def attach(self, node: Node, shown: list[_Plane], hidden: list[_Plane], frame: Rect) -> None:
        if shown:
            node.mask = Mask(_product(shown, frame))
            if hidden:
                self.warn(f"'{node.name}': its hidden transparency masks were left out")
        elif hidden:
            node.mask = Mask(_product(hidden, frame))
            node.mask.enabled = False
            if len(hidden) > 1:
                self.warn(f"'{node.name}': its hidden transparency masks were merged into one, disabled")

    # --- structure ---------------------------------------------------------
    def count(self) -> None:
        self.layer_count += 1
        if self.layer_count > self.limits.max_layers:
            raise self.fail(f"it has more than {self.limits.max_layers} layers")

    def children(self, layers: Element | None, group: Group, depth: int, *, root: bool = False) -> bool:
        """Fill `group` with the nodes of a <layers> element (listed top first); True when a
        destination-in layer at its top became part of the group's mask."""
        if depth > self.limits.max_depth:
            raise self.fail(f"its groups are nested more than {self.limits.max_depth} deep")
        nodes: list[Node] = []
        dst_in: list[tuple[Layer, Element]] = []
        for e in reversed(list(layers) if layers is not None else []):
            if e.tag != _NS + "layer":
                continue
            node = self.node(e, depth)
            if node is None:
                continue
            if e.get("compositeop") == "destination-in" and isinstance(node, Layer):
                dst_in.append((node, e))
            nodes.append(node)
        masked = self.group_mask_from_dst_in(group, nodes, dst_in, root)
        for node in self.clip_exactly(nodes, group):
            group.insert(len(group.children), node)
        return masked

    def group_mask_from_dst_in(self, group: Group, nodes: list[Node], dst_in: list[tuple[Layer, Element]],
                               root: bool) -> bool:
        """A destination-in layer at the top of an isolated group cuts everything below it in the
        group: that is the group's mask (as an ORA mask stack). Elsewhere Veil has no such mode.
        `nodes` loses the layers that became mask."""
        masked = False
        for layer, _e in dst_in:
            if nodes and nodes[-1] is layer and group.isolated and not root and not layer.clipped:
                nodes.pop()
                alpha = layer.pixels[..., 3]
                if layer.opacity < 1:
                    alpha = np.round(alpha * layer.opacity).astype(np.uint8)
                plane = _Plane(np.ascontiguousarray(alpha), layer.x, layer.y, 0)
                self.group_planes.setdefault(group.uid, ([], []))[0 if layer.visible else 1].append(plane)
                masked = True
            else:
                self.warn(f"'{layer.name}': a destination-in layer that is not the top of a group is kept as a normal layer")
        return masked

    def clip_exactly(self, nodes: list[Node], group: Group) -> list[Node]:
        """Krita's inherit alpha clips a layer to everything below it in its group, Veil's clipping
        to the nearest unclipped layer and its clipped layers: where those differ, the layers below
        become one isolated group, the clip base (exact: they sit at the bottom of an isolated group)."""
        out: list[Node] = []
        for node in nodes:
            if node.clipped:
                if not out:
                    node.visible = False
                    self.warn(f"'{node.name}' inherits alpha from nothing below it, so Krita shows none of it; "
                              "it is hidden")
                elif out[0].clipped or any(not n.clipped for n in out[1:]):
                    if not group.isolated:
                        self.warn(f"'{node.name}' inherits alpha inside the pass-through group '{group.name}'; "
                                  "Veil clips it to the layers below it in that group only")
                    else:
                        base = Group(f"Below {node.name}")
                        for below in out:
                            base.insert(len(base.children), below)
                        out = [base]
                        self.warn(f"'{node.name}' inherits alpha from several layers; they were grouped as "
                                  f"'{base.name}', its clip base")
            out.append(node)
        return out

    def node(self, e: Element, depth: int) -> Node | None:
        kind = e.get("nodetype", "")
        name = e.get("name", "")
        if kind in _UNSUPPORTED or kind not in ("paintlayer", "grouplayer", "clonelayer"):
            what = _UNSUPPORTED.get(kind, f"{kind or 'unknown'} layer")
            self.warn(f"'{name}': Krita {what}s cannot be shown in Veil; it was left out")
            return None
        self.count()
        shown, hidden = self.masks(e, name)
        if kind == "grouplayer":
            group = Group(name, isolated=e.get("passthrough", "0") != "1")
            group.expanded = e.get("collapsed", "0") != "1"
            self.common(e, group)
            group.clipped = group.clipped and group.isolated
            self.group_planes[group.uid] = (shown, hidden)
            from_dst_in = self.children(e.find(_NS + "layers"), group, depth + 1)
            shown, hidden = self.group_planes.pop(group.uid)
            if from_dst_in:  # the ORA mask-stack shape: a layer and its mask as one masked layer
                return self.fold(group, shown, hidden)
            self.attach(group, shown, hidden, self.canvas)
            return group
        if kind == "clonelayer":
            node = Layer(name, np.zeros((1, 1, 4), np.uint8))
            self.common(e, node)
            self.attach(node, shown, hidden, Rect(0, 0, 1, 1))
            self.clones.append((e, node))
            return node
        try:
            pixels, x, y = self.paint_pixels(e, name)
        except _Unsupported as u:
            self.warn(str(u))
            return None
        layer = Layer(name, pixels, offset=(x, y))
        self.common(e, layer)
        self.attach(layer, shown, hidden, layer.bounds())
        return layer

    def fold(self, group: Group, shown: list[_Plane], hidden: list[_Plane]) -> Node:
        """An isolated group holding one unclipped, unmasked pixel layer and a mask is that layer
        with the mask (the layer draws onto nothing, so its own mode is moot)."""
        only = group.children[0] if len(group.children) == 1 else None
        if isinstance(only, Layer) and only.mask is None and not only.clipped and group.isolated and shown \
                and not hidden:
            group.remove(only)
            only.mask = Mask(_product(shown, only.bounds()))
            only.name, only.blend_mode, only.clipped, only.locked = group.name, group.blend_mode, group.clipped, group.locked
            only.opacity *= group.opacity
            only.visible = only.visible and group.visible
            if self.active is group:
                self.active = only
            return only
        self.attach(group, shown, hidden, self.canvas)
        return group

    def resolve_clones(self) -> None:
        """A clone layer shows its source's pixels: copy them when the source is a pixel layer."""
        for e, node in self.clones:
            source = self.by_uuid.get(e.get("clonefromuuid", "")) or self.by_name.get(e.get("clonefrom", ""))
            if isinstance(source, Layer) and source is not node:
                dx, dy = self.integer(e, "x"), self.integer(e, "y")
                own_mask = node.mask
                node.pixels = source.pixels.copy()
                node.x, node.y = source.x + dx, source.y + dy
                base = Mask(source.mask.data.copy()) if source.mask is not None and source.mask.enabled else None
                if own_mask is not None:
                    self.warn(f"'{node.name}': the masks of a clone layer were left out")
                node.mask = base
                self.warn(f"'{node.name}': a Krita clone layer, kept as a copy of '{source.name}' (no longer linked)")
            else:
                node.visible = False
                node.mask = None
                self.warn(f"'{node.name}': a Krita clone of something other than a paint layer; left empty and hidden")


class _Unsupported(Exception):
    pass


def _local(tag: str) -> str:
    """An element's name without its namespace (Krita's side files are written with and without one)."""
    return tag.rsplit("}", 1)[-1]


def _union(a: Rect, b: Rect) -> Rect:
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    return Rect(x0, y0, max(a.right, b.right) - x0, max(a.bottom, b.bottom) - y0)


def _to_rgba(raw: np.ndarray, channels: int, depth: int, grey: bool) -> np.ndarray:
    """Krita's pixels (B,G,R,A or grey,A; 8 or 16 bits, little-endian) as RGBA uint8."""
    h, w = raw.shape[:2]
    if depth == 2:
        wide = raw.reshape(h, w, -1).view("<u2").reshape(h, w, channels)
        values = ((wide.astype(np.uint32) * 255 + 32767) // 65535).astype(np.uint8)
    else:
        values = raw.reshape(h, w, channels)
    if grey:
        rgba = np.empty((h, w, 4), np.uint8)
        rgba[..., :3] = values[..., :1]
        rgba[..., 3] = values[..., 1]
        return rgba
    return bgra_to_rgba_inplace(np.ascontiguousarray(values))


def _parse_xml(data: bytes) -> Element:
    # Krita's maindoc.xml names its DTD, so a DOCTYPE is allowed; entities and external references are not.
    return DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)


def _current_time(image: Element) -> int:
    current = image.find(f"{_NS}animation/{_NS}currentTime")
    try:
        return int(current.get("value", "0")) if current is not None else 0
    except ValueError:
        return 0



def _merged_only(archive: SafeArchive, path: str | Path, limits: Limits, why: str) -> Document:
    """The file's flattened image as one layer, when its layer tree cannot be read."""
    if "mergedimage.png" not in archive:
        raise FileFormatError(path, f"{why}, and it holds no merged image")
    rgba, notes = decode_image(archive.read("mergedimage.png"), path, fmt="PNG", limits=limits)
    doc = Document.from_pixels(rgba, name="Merged image")
    doc.warnings = [f"{why}; opened Krita's merged image as one layer", *notes]
    return doc


def read_kra(data: bytes, path: str | Path, limits: Limits,
             progress: Callable[[float], None] = lambda fraction: None) -> Document:
    """`progress(fraction)` is called as layer files are read; it may raise to stop."""
    archive = SafeArchive(data, path, limits)
    if "mimetype" in archive and archive.read("mimetype", max_bytes=1024).strip() != MIMETYPE:
        raise FileFormatError(path, "its mimetype is not application/x-krita")
    if "maindoc.xml" not in archive:
        return _merged_only(archive, path, limits, "it has no maindoc.xml")
    try:
        doc_e = _parse_xml(archive.read("maindoc.xml", max_bytes=limits.max_xml_bytes))
    except DefusedXmlException as e:
        raise FileFormatError(path, f"maindoc.xml uses forbidden XML features ({type(e).__name__})") from e
    except DET.ParseError as e:
        return _merged_only(archive, path, limits, f"its maindoc.xml is not well-formed XML ({e})")
    image = doc_e.find(_NS + "IMAGE")
    layers = image.find(_NS + "layers") if image is not None else None
    if image is None or layers is None:
        return _merged_only(archive, path, limits, "its maindoc.xml has no layers")
    with ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="kra-tiles") as pool:
        reader = _Reader(archive, path, limits, image, progress, pool)
        try:
            resolution = float(image.get("x-res", "72"))
            resolution = resolution if 0 < resolution < 1e6 else 72.0
        except ValueError:
            resolution = 72.0
        doc = Document(reader.width, reader.height, resolution=resolution)
        reader.children(layers, doc.root, 0, root=True)
    reader.resolve_clones()
    doc.active = reader.active if reader.active is not None and _in(doc.root, reader.active) else None
    doc.warnings = reader.warnings
    return doc


def _in(root: Group, node: Node) -> bool:
    return any(n is node for n in root.walk())
