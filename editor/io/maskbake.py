"""Masks as other programs see them: settings (invert, feather, density) baked into plain pixels.

Used where a file format cannot carry Veil's live mask settings: the mask layer
that Krita and GIMP read in an .ora, PSD layer masks, and the "flattened masks"
export that applies every mask into its layer's alpha.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

from editor.core import Document, Group, Layer, Mask, Node, Rect
from editor.core.ops import clone_node

from . import kinds


def effective_mask(mask: Mask, *, respect_enabled: bool = True) -> np.ndarray:
    """The (h, w) uint8 coverage a mask applies at render time: inverted, feathered, then density."""
    if respect_enabled and not mask.enabled:
        return np.full(mask.shape, 255, np.uint8)
    m = mask.data
    if mask.inverted:
        m = 255 - m
    if mask.feather > 0:
        # the same kernel as the compositor (editor.render.plan): reach 3 sigma, float32
        radius = max(1, math.ceil(3 * mask.feather))
        m = cv2.GaussianBlur(m.astype(np.float32), (2 * radius + 1, 2 * radius + 1), float(mask.feather),
                             borderType=cv2.BORDER_REPLICATE)
    if mask.density < 1.0 or m.dtype != np.uint8:
        m = 255.0 - np.float32(max(0.0, mask.density)) * (255.0 - m.astype(np.float32))
        m = np.clip(np.rint(m), 0, 255).astype(np.uint8)
    return m


def _canvas_crop(canvas_mask: np.ndarray, x: int, y: int, w: int, h: int) -> np.ndarray:
    """A (h, w) window of a canvas-sized mask at (x, y); 0 outside the canvas."""
    out = np.zeros((h, w), np.uint8)
    ch, cw = canvas_mask.shape
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, cw), min(y + h, ch)
    if x1 > x0 and y1 > y0:
        out[y0 - y:y1 - y, x0 - x:x1 - x] = canvas_mask[y0:y1, x0:x1]
    return out


def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a.astype(np.uint16) * b + 127) // 255).astype(np.uint8)


def _push_down(node: Node, canvas_mask: np.ndarray) -> None:
    """Multiply a canvas-sized coverage into a node's own mask (creating one)."""
    if isinstance(node, Group) and node.mask is None:
        for child in node.children:
            _push_down(child, canvas_mask)
        return
    extent = node.bounds(Rect(0, 0, canvas_mask.shape[1], canvas_mask.shape[0]))
    part = _canvas_crop(canvas_mask, extent.x, extent.y, extent.w, extent.h)
    own = effective_mask(node.mask) if node.mask is not None else None
    node.mask = Mask(part if own is None else _mul(own, part), linked=node.mask is None or node.mask.linked)


def push_group_masks(group: Group) -> None:
    """Replace every group mask below `group` by masks on its children (PSD cannot store group masks)."""
    for child in group.children:
        if isinstance(child, Group):
            if child.mask is not None:
                coverage = effective_mask(child.mask)
                child.mask = None
                for grandchild in child.children:
                    _push_down(grandchild, coverage)
            push_group_masks(child)


def as_pixel_layer(node: Node, doc: Document) -> Layer:
    """A pixel layer with the node's image and settings, for a leaf kind that is not one."""
    raster = kinds.of(node).stand_in(node, doc)
    if raster is None:
        raise TypeError(f"{node!r} has no image of its own")
    pixels, offset = raster
    return Layer(node.name, pixels, offset=offset, locked=node.locked, mask=node.mask, **node.blending())


def apply_masks(group: Group, doc: Document) -> None:
    """Bake every layer mask into its layer's alpha (other kinds with masks become pixel layers)."""
    for i, child in enumerate(list(group.children)):
        if isinstance(child, Group):
            apply_masks(child, doc)
            continue
        if child.mask is None:
            continue
        if not isinstance(child, Layer):
            replacement = as_pixel_layer(child, doc)
            group.remove(child)
            group.insert(i, replacement)
            child = replacement
        assert child.mask is not None
        pixels = child.pixels.copy()
        pixels[..., 3] = _mul(pixels[..., 3], effective_mask(child.mask))
        child.pixels = pixels
        child.mask = None


def baked_nodes(doc: Document, keep: Callable[[Node], bool] | None = None) -> list[Node]:
    """The nodes a pixel-only format keeps only as their look (adjustment and filter layers),
    less those `keep` says the format holds live (a PSD's adjustment layers)."""
    return [node for node in doc.nodes() if kinds.of(node).baked(node) and not (keep and keep(node))]


def bake_kinds(doc: Document, keep: Callable[[Node], bool] | None = None) -> list[str]:
    """Replace every node a pixel-only format cannot keep by its stand-in pixel layer (all
    computed from the document as it was); the warnings to show say which."""
    nodes = baked_nodes(doc, keep)
    layers = [as_pixel_layer(node, doc) for node in nodes]
    for node, layer in zip(nodes, layers, strict=True):
        parent = node.parent
        assert parent is not None
        index = parent.remove(node)
        parent.insert(index, layer)
    return [f"'{node.name}': {node.kind} layer ({getattr(node, 'adjustment', node.kind).replace('_', ' ')}) "
            "rendered into a pixel layer" for node in nodes]


def baked_copy(doc: Document, *, layer_masks: bool, keep: Callable[[Node], bool] | None = None) -> Document:
    """A copy of `doc` with group masks pushed into children, and optionally every mask applied.
    It shares `doc`'s pixel and mask arrays (nothing here changes one in place: a mask pushed
    down or applied is a new array), so a 10-layer export does not hold the document twice.

    Adjustment and filter layers become pixel layers holding their look (`bake_kinds`), except
    those `keep` accepts; the copy's `warnings` say which."""
    out = Document(doc.width, doc.height, resolution=doc.resolution)
    for child in doc.root.children:
        out.root.insert(len(out.root.children), clone_node(child, child.name, copy_arrays=False))
    out.warnings = bake_kinds(out, keep)
    push_group_masks(out.root)
    if layer_masks:
        apply_masks(out.root, out)
    return out
