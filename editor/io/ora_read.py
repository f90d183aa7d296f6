"""Reading OpenRaster (.ora) files: Veil's own, Krita's and MyPaint's.

Mask stacks (an isolated stack whose topmost child is an `svg:dst-in` layer)
become Masks, `svg:src-atop` layers become clipped layers, and Veil's clip-group
stacks are unwrapped back into a base and its clipped layers. Whatever Veil
cannot keep is named in the returned warnings.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET
import numpy as np
from defusedxml import DefusedXmlException

from editor.core import BlendIf, BlendMode, Document, Group, Layer, Mask, Node, Rect
from editor.core.layers import KNOCKOUTS

from . import kinds
from .archive import SafeArchive
from .blendnames import blend_from_ora
from .errors import FileFormatError, Limits
from .images import decode_image, decode_png_channel
from .ora_paths import read_paths
from .ora_write import VEIL_NS, veil

MIMETYPE = b"image/openraster"
_DECODERS = min(4, os.cpu_count() or 1)


class _Reader:
    def __init__(self, archive: SafeArchive, path: str | Path, limits: Limits, canvas: tuple[int, int],
                 progress: Callable[[float], None]) -> None:
        self.archive, self.path, self.limits = archive, path, limits
        self.progress = progress
        self.images_named = 0  # layer and mask PNGs stack.xml names: the measure of progress
        self.width, self.height = canvas
        self.warnings: list[str] = []
        self.used: set[str] = set()
        self.pixels_read = 0
        self.layer_count = 0
        self.active: Node | None = None
        self.edit_mask = False
        self.is_veil = False
        self.decoding: dict[str, tuple[int | None, Future]] = {}

    def decode_ahead(self, image: Element, pool: Executor) -> None:
        """Start decoding every layer and mask PNG the stack names, on `pool` (OpenCV's decoder
        releases the GIL, so the PNGs decode on every core while the tree is walked); a mask
        decodes to the one channel it is read from, not to RGBA four times its size.

        Only when the sizes their headers declare fit the limits together: otherwise the walk
        decodes them one by one and stops at the first that does not fit, as before."""
        channels = _mask_channels(image)
        srcs: list[str] = []
        named = 0
        for e in image.iter("layer"):
            for src in (e.get("src"), e.get(veil("mask-src"))):
                if src and src.lower().endswith(".png") and src in self.archive and src not in srcs:
                    named += 1
                    if not (src == e.get("src") and e.get(veil("mask-src"))):  # replaced by its raw mask
                        srcs.append(src)
        self.images_named = named
        blobs = []
        total = 0
        for src in srcs:
            data = self.archive.read(src)
            size = _png_size(data)
            if size is None or size[0] * size[1] > self.limits.max_pixels:
                return
            total += size[0] * size[1]
            if total > self.limits.max_total_pixels:
                return
            blobs.append((src, data))
        for src, data in blobs:
            channel = channels.get(src)
            self.decoding[src] = (channel, pool.submit(_decode, data, src, channel, self.limits))

    def fail(self, why: str) -> FileFormatError:
        return FileFormatError(self.path, why)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    # --- attributes ------------------------------------------------------
    def number(self, e: Element, attr: str, default: float, lo: float, hi: float) -> float:
        raw = e.get(attr)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(f"{e.tag} {e.get('name', '')!r} has a bad {attr} {raw!r}") from None
        if math.isnan(value) or not lo <= value <= hi:
            raise self.fail(f"{e.tag} {e.get('name', '')!r} has {attr}={raw!r}, outside {lo:g}..{hi:g}")
        return value

    def integer(self, e: Element, attr: str) -> int:
        raw = e.get(attr, "0")
        try:
            value = int(raw)
        except ValueError:
            try:
                value = round(float(raw))
            except (ValueError, OverflowError):
                raise self.fail(f"{e.tag} {e.get('name', '')!r} has a bad {attr} {raw!r}") from None
        if abs(value) > self.limits.max_offset:
            raise self.fail(f"{e.tag} {e.get('name', '')!r} has an absurd {attr}={raw!r}")
        return value

    def blend(self, e: Element) -> BlendMode:
        exact = e.get(veil("blend"))
        if exact is not None:
            try:
                return BlendMode(exact)
            except ValueError:
                self.warn(f"'{e.get('name', '')}': unknown Veil blend mode {exact!r}, shown as Normal")
                return BlendMode.NORMAL
        op = e.get("composite-op", "svg:src-over")
        mode = blend_from_ora(op)
        if mode is None:
            self.warn(f"'{e.get('name', '')}': blend mode {op!r} is not available in Veil, shown as Normal")
            return BlendMode.NORMAL
        return mode

    def common(self, e: Element, node: Node, *, clip_op: bool = True) -> None:
        node.name = e.get("name", node.name)
        self.opacity_and_fill(e, node)
        self.advanced_blending(e, node)
        node.visible = e.get("visibility", "visible") != "hidden"
        node.locked = e.get(veil("locked"), e.get("edit-locked", "false")) == "true"
        node.clipped = e.get(veil("clipped")) == "true" or (clip_op and e.get("composite-op") == "svg:src-atop")
        if node.clipped and e.get(veil("blend")) is None:
            node.blend_mode = BlendMode.NORMAL
        else:
            node.blend_mode = self.blend(e)
        if isinstance(node, Layer) and e.get(veil("alpha-locked")) is not None:
            node.alpha_locked = e.get(veil("alpha-locked")) == "true"
        blend_if = e.get(veil("blend-if"))
        if blend_if:
            try:
                node.blend_if = BlendIf.from_dict(json.loads(blend_if))
            except ValueError as err:
                self.warn(f"'{node.name}': its Blend If settings are unreadable and were dropped ({err})")
        if e.get("selected") == "true":
            self.active = node
            self.edit_mask = e.get(veil("edit-mask")) == "true"

    # --- pixels ------------------------------------------------------------
    def claim(self, src: str | None, what: str) -> str:
        """Check that `src` names a PNG in the archive no other layer uses, and take it."""
        if not src:
            raise self.fail(f"{what} names no image file (src)")
        if src in self.used:
            raise self.fail(f"{src!r} is used by more than one layer")
        if src not in self.archive:
            raise self.fail(f"{what} refers to {src!r}, which is missing from the archive")
        self.used.add(src)
        if not src.lower().endswith(".png"):
            raise self.fail(f"{what}: {src!r} is not a PNG image")
        self.progress(min(1.0, (len(self.used) - 1) / max(1, self.images_named)))
        return src

    def image(self, src: str | None, what: str, *, notes: bool = True, channel: int | None = None) -> np.ndarray:
        """A layer image as straight RGBA, or with `channel` only that channel of it, (h, w)."""
        src = self.claim(src, what)
        try:
            ahead_channel, ahead = self.decoding.pop(src, (None, None))
            if ahead is not None and ahead_channel == channel:
                pixels, found = ahead.result()
            else:
                pixels, found = _decode(self.archive.read(src), src, channel, self.limits)
        except FileFormatError as e:
            raise self.fail(f"layer image {src!r}: {e.why}") from e
        for note in found if notes else ():
            self.warn(note)
        self.pixels_read += pixels.shape[0] * pixels.shape[1]
        if self.pixels_read > self.limits.max_total_pixels:
            raise self.fail("its layers hold more pixels than the limit of "
                            f"{self.limits.max_total_pixels / 1e6:.0f} MP")
        return pixels

    def mask(self, e: Element, x: int, y: int, w: int, h: int) -> Mask:
        """A Mask of (w, h) at (x, y) from a dst-in layer element (coverage in its alpha)."""
        name = e.get("name", "mask")
        raw_src = e.get(veil("mask-src"))
        if raw_src:
            # Veil's own mask as one grey channel: the RGBA dst-in image beside it is there for other
            # readers and is not decoded (four times the bytes to inflate for the same coverage)
            self.claim(e.get("src"), f"mask {name!r}")
            data = self.image(raw_src, f"mask {name!r}", notes=False, channel=0)
            if data.shape != (h, w):
                raise self.fail(f"the raw mask {raw_src!r} is {data.shape[1]}x{data.shape[0]}, not {w}x{h}")
        else:
            data = self.shown_mask(e, name, x, y, w, h)
        mask = Mask(data)
        mask.enabled = e.get(veil("mask-enabled"), "true" if e.get("visibility") != "hidden" else "false") == "true"
        mask.density = self.number(e, veil("mask-density"), 1.0, 0.0, 1.0)
        mask.feather = self.number(e, veil("mask-feather"), 0.0, 0.0, 10_000.0)
        mask.inverted = e.get(veil("mask-inverted")) == "true"
        mask.linked = e.get(veil("mask-linked")) != "false"
        generator = e.get(veil("mask-generator"))
        if generator:
            try:
                mask.generator = json.loads(generator)
            except ValueError:
                self.warn(f"mask {name!r}: its generator settings are unreadable and were dropped")
            if not isinstance(mask.generator, dict):
                mask.generator = None
        if not raw_src and self.opacity_of(e) < 1.0:
            self.warn(f"mask {name!r}: a mask layer opacity below 100% is not kept")
        return mask

    def shown_mask(self, e: Element, name: str, x: int, y: int, w: int, h: int) -> np.ndarray:
        """A dst-in layer's coverage (its alpha) placed on the (w, h) frame at (x, y)."""
        shown = self.image(e.get("src"), f"mask {name!r}", channel=3)
        mx, my = self.integer(e, "x"), self.integer(e, "y")
        if (mx, my) == (x, y) and shown.shape == (h, w):
            return shown
        data = np.zeros((h, w), np.uint8)
        sh, sw = shown.shape
        x0, y0, x1, y1 = max(mx, x), max(my, y), min(mx + sw, x + w), min(my + sh, y + h)
        if x1 > x0 and y1 > y0:
            data[y0 - y:y1 - y, x0 - x:x1 - x] = shown[y0 - my:y1 - my, x0 - mx:x1 - mx]
        return data

    def opacity_and_fill(self, e: Element, node: Node) -> None:
        """`opacity`, unless Veil wrote a Fill below 1 (folded into `opacity` for other readers)."""
        if e.get(veil("fill-opacity")) is None:
            node.opacity = self.number(e, "opacity", 1.0, 0.0, 1.0)
            return
        node.opacity = self.number(e, veil("opacity"), 1.0, 0.0, 1.0)
        node.fill = self.number(e, veil("fill-opacity"), 1.0, 0.0, 1.0)

    def advanced_blending(self, e: Element, node: Node) -> None:
        """Veil's Knockout, Channels and Blend Clipped Layers as Group; an unknown value is warned
        about and left at Photoshop's default."""
        knockout = e.get(veil("knockout"))
        if knockout is not None:
            if knockout in KNOCKOUTS:
                node.knockout = knockout
            else:
                self.warn(f"'{node.name}': unknown knockout {knockout[:20]!r} ignored")
        channels = e.get(veil("channels"))
        if channels is not None:
            if set(channels) <= set("rgb") and len(channels) <= 3:
                node.channels = "".join(c for c in "rgb" if c in channels)
            else:
                self.warn(f"'{node.name}': unknown channels {channels[:20]!r} ignored")
        if e.get(veil("clip-group-blend")) == "false":
            node.clip_group_blend = False

    def opacity_of(self, e: Element) -> float:
        return self.number(e, "opacity", 1.0, 0.0, 1.0)

    # --- structure ---------------------------------------------------------
    def count(self) -> None:
        self.layer_count += 1
        if self.layer_count > self.limits.max_layers:
            raise self.fail(f"it has more than {self.limits.max_layers} layers")

    def children(self, stack: Element, depth: int = 0) -> list[Node]:
        """The nodes of a stack's child elements, bottom first."""
        if depth > self.limits.max_depth:
            raise self.fail(f"its groups are nested more than {self.limits.max_depth} deep")
        nodes: list[Node] = []
        elements = list(stack)
        for e in reversed(elements):
            nodes.extend(self.element(e, depth))
        self.check_clips(stack, nodes)
        return nodes

    def check_clips(self, stack: Element, nodes: list[Node]) -> None:
        if self.is_veil:
            return
        unclipped_below = 0
        for node in nodes:
            if not node.clipped:
                unclipped_below += 1
            elif unclipped_below > 1:
                self.warn(f"'{node.name}' clips to everything below it in '{stack.get('name', '')}'; "
                          "Veil clips it to the layer directly below")

    def element(self, e: Element, depth: int) -> list[Node]:
        if e.tag == "layer":
            if e.get("composite-op") == "svg:dst-in":
                self.warn(f"'{e.get('name', '')}': a mask layer (dst-in) outside a mask stack is kept as a normal layer")
            return [self.layer(e)]
        if e.tag == "stack":
            return self.stack(e, depth)
        self.warn(f"'{e.get('name', e.tag)}': {e.tag} elements are not supported and were left out")
        return []

    def layer(self, e: Element) -> Node:
        self.count()
        name = e.get(veil("kind")) or ("fill" if e.get(veil("fill")) is not None else "pixel")
        try:
            file_kind = kinds.kind(name)
        except TypeError:
            self.warn(f"'{e.get('name', '')}': unknown Veil layer kind {name!r}, kept as pixels")
            name, file_kind = "pixel", kinds.kind("pixel")
        pixels = self.image(e.get("src"), f"layer {e.get('name', '')!r}")  # claimed, so it cannot be reused
        attrs = {k[len(VEIL_NS) + 2:]: v for k, v in e.attrib.items() if k.startswith(f"{{{VEIL_NS}}}")}
        try:
            node = file_kind.ora_node(pixels, (self.integer(e, "x"), self.integer(e, "y")), attrs,
                                      Rect(0, 0, self.width, self.height))
        except (ValueError, KeyError, TypeError) as error:
            raise self.fail(f"layer {e.get('name', '')!r}: bad {name} settings ({error})") from None
        self.common(e, node)
        return node

    def stack(self, e: Element, depth: int) -> list[Node]:
        role = e.get(veil("role"))
        kids = list(e)
        mask_e = kids[0] if kids and kids[0].tag == "layer" and kids[0].get("composite-op") == "svg:dst-in" else None
        if role == "clip-group":
            return self.clip_group(e, depth)
        if role == "clipped-blend" and self.is_veil:  # Veil's clipped layer with a mode: skip the backdrop copy
            return self.children_of([k for k in kids if k.get(veil("role")) != "backdrop-copy"], e, depth)
        inner = kids[1:] if mask_e is not None else kids
        masked_layer = mask_e is not None and len(inner) == 1 and inner[0].tag == "layer" and (
            role == "masked-layer" or (role is None and not self.is_veil)) and _folds(inner[0])
        if masked_layer:
            node = self.layer(inner[0])
            # The stack is isolated: its one layer draws onto nothing (so its blend mode is moot),
            # the mask cuts it, and the stack composites with its own look. The layer's own
            # opacity and visibility multiply into the stack's, which is exact.
            inner_opacity, inner_visible = node.opacity, node.visible
            x, y = node.offset
            bounds = node.bounds(Rect(0, 0, self.width, self.height))
            w, h = bounds.w, bounds.h
            node.mask = self.mask(mask_e, x, y, w, h)
            self.common(e, node)
            node.opacity *= inner_opacity
            node.visible = node.visible and inner_visible
            if inner[0].get(veil("clipped")) == "true":
                node.clipped = True
            return [node]
        self.count()
        group = Group("Group")
        isolation = e.get("isolation", "auto")
        group.isolated = e.get(veil("pass-through")) != "true" if self.is_veil else isolation != "auto"
        group.expanded = e.get(veil("collapsed")) != "true"
        if mask_e is not None:
            group.mask = self.mask(mask_e, 0, 0, self.width, self.height)
        for child in self.children_of(inner, e, depth):
            group.insert(len(group.children), child)
        self.common(e, group)
        return [group]

    def children_of(self, elements: list[Element], stack: Element, depth: int) -> list[Node]:
        holder = Element("stack", dict(stack.attrib))
        holder.extend(elements)
        return self.children(holder, depth + 1)

    def clip_group(self, e: Element, depth: int) -> list[Node]:
        """Veil's clip group: the base (bottom) takes the stack's look; the rest stay clipped."""
        nodes = self.children(e, depth + 1)
        if not nodes:
            return []
        base = nodes[0]
        self.opacity_and_fill(e, base)
        self.advanced_blending(e, base)
        base.visible = e.get("visibility", "visible") != "hidden"
        base.blend_mode = self.blend(e)
        base.clipped = e.get(veil("clipped")) == "true"
        return nodes


# Porter-Duff operators that do not draw as "source over an empty backdrop" inside an isolated
# stack: a masked-layer stack whose layer has one of these stays a group.
_NOT_SOURCE_OVER = frozenset({"svg:src-atop", "svg:dst-in", "svg:dst-out", "svg:dst-atop", "svg:dst-over",
                              "svg:dst", "svg:src-in", "svg:src-out", "svg:xor", "svg:clear"})


def _folds(layer: Element) -> bool:
    """Whether a masked-layer stack's one layer can become a Veil layer with that mask exactly."""
    return layer.get("composite-op", "svg:src-over") not in _NOT_SOURCE_OVER


def read_ora(data: bytes, path: str | Path, limits: Limits,
             progress: Callable[[float], None] = lambda fraction: None) -> Document:
    """`progress(fraction)` is called before each layer image is taken; it may raise to stop."""
    archive = SafeArchive(data, path, limits)
    if "mimetype" in archive and archive.read("mimetype", max_bytes=1024).strip() != MIMETYPE:
        raise FileFormatError(path, "its mimetype is not image/openraster")
    try:
        image = DET.fromstring(archive.read("stack.xml", max_bytes=limits.max_xml_bytes),
                               forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise FileFormatError(path, f"stack.xml uses forbidden XML features ({type(e).__name__})") from e
    except DET.ParseError as e:
        raise FileFormatError(path, f"stack.xml is not well-formed XML ({e})") from e
    if image.tag != "image":
        raise FileFormatError(path, f"stack.xml's root is <{image.tag}>, not <image>")
    w, h = limits.canvas_size(path, "stack.xml", image.get("w"), image.get("h"))
    reader = _Reader(archive, path, limits, (w, h), progress)
    reader.is_veil = any(k.startswith(f"{{{VEIL_NS}}}") for el in image.iter() for k in el.attrib)
    root = image.find("stack")
    if root is None:
        raise FileFormatError(path, "stack.xml has no root <stack>")
    try:
        resolution = float(image.get("xres", "72"))
        resolution = resolution if 0 < resolution < 1e6 else 72.0
    except ValueError:
        resolution = 72.0
    doc = Document(w, h, resolution=resolution)
    with ThreadPoolExecutor(max_workers=_DECODERS, thread_name_prefix="png-read") as pool:
        reader.decode_ahead(image, pool)
        try:
            nodes = reader.children(root)
        finally:
            for _channel, pending in reader.decoding.values():  # a failure midway: decode no more
                pending.cancel()
    for node in nodes:
        doc.root.insert(len(doc.root.children), node)
    doc.active = reader.active
    doc.edit_mask = reader.edit_mask and reader.active is not None and reader.active.mask is not None
    doc.warnings = reader.warnings
    read_paths(archive, doc)
    return doc


def _decode(data: bytes, src: str, channel: int | None, limits: Limits) -> tuple[np.ndarray, list[str]]:
    if channel is None:
        return decode_image(data, src, fmt="PNG", limits=limits)
    return decode_png_channel(data, src, channel=channel, limits=limits), []


def _mask_channels(image: Element) -> dict[str, int]:
    """The channel each mask PNG is read from: a mask stack's dst-in layer gives its alpha
    (`_Reader.mask`), a raw Veil mask its grey."""
    channels: dict[str, int] = {}
    for stack in image.iter("stack"):
        kids = list(stack)
        if kids and kids[0].tag == "layer" and kids[0].get("composite-op") == "svg:dst-in" and \
                stack.get(veil("role")) not in ("clip-group", "clipped-blend") and kids[0].get("src"):
            channels[kids[0].get("src")] = 3
    for layer in image.iter("layer"):
        if layer.get(veil("mask-src")):
            channels[layer.get(veil("mask-src"))] = 0
    return channels


def _png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's IHDR chunk, or None when the bytes do not start like a PNG."""
    if len(data) < 24 or not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")

