"""What Free Transform's live preview draws, without Qt: three images at a display level.

While a transform is dragged, the window draws (1) the document without the
transformed layers and without what lies above them, (2) the transformed layers
alone, through the transform matrix, (3) what lies above them, on top. All three
are rendered once, at the start of a transform (and again if the zoom picks
another mipmap level), at the level the canvas displays, so each frame of the
drag is three scaled blits and no full-resolution pixel is resampled until the
transform is committed.

Level k holds the document at scale 1/2^k, made by area averaging like the
canvas's mipmap. Layers above the topmost target keep their place when their
blend mode is normal; other modes are drawn as normal during the drag (the
committed result is exact).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from editor.core import Document, Node, Rect

from . import backends
from .compositor import Compositor
from .transform import target_bounds, top_level


class _HidingCompositor(Compositor):
    """A compositor that leaves some nodes out, as if they were hidden."""

    def __init__(self, canvas: Rect, backend, hidden: set[int]) -> None:
        super().__init__(canvas, backend)
        self.hidden = hidden

    def add_node(self, target, node):
        if id(node) not in self.hidden:
            super().add_node(target, node)

    def node_op(self, node, rect, **kw):
        return None if id(node) in self.hidden else super().node_op(node, rect, **kw)

    def clip_group_op(self, base, clipped, rect):
        return None if id(base) in self.hidden else super().clip_group_op(base, clipped, rect)


def downscale(bgra: np.ndarray, level: int) -> np.ndarray:
    """Area average to scale 1/2^level, sizes rounded up like the mipmap's levels."""
    if level <= 0:
        return bgra
    h, w = bgra.shape[:2]
    f = 1 << level
    th, tw = max(1, -(-h // f)), max(1, -(-w // f))
    ph, pw = th * f - h, tw * f - w
    if ph or pw:
        bgra = cv2.copyMakeBorder(bgra, 0, ph, 0, pw, cv2.BORDER_REPLICATE)
    return cv2.resize(bgra, (tw, th), interpolation=cv2.INTER_AREA)


@dataclass
class PreviewImages:
    level: int
    below: np.ndarray  # premultiplied BGRA of the canvas at the level, targets and what is above them left out
    target: np.ndarray  # premultiplied BGRA of the targets alone over `target_rect`, at the level
    target_rect: Rect  # document rectangle the target image covers (the transform's source rectangle)
    above: np.ndarray | None  # premultiplied BGRA of the canvas above the targets, None when nothing is


def split(doc: Document, nodes: list[Node]) -> tuple[list[Node], list[Node], list[Node]]:
    """(the top-level nodes up to the topmost target, the targets bottom first, the top-level nodes above)."""
    chosen = top_level(nodes)
    ids = set(map(id, chosen))
    ordered = [n for n in doc.nodes() if id(n) in ids]
    root = doc.root.children

    def top_index(node: Node) -> int:
        top = node
        while top.parent is not None and top.parent is not doc.root:
            top = top.parent
        return root.index(top)

    hi = max(top_index(n) for n in ordered)
    return list(root[: hi + 1]), ordered, list(root[hi + 1:])


def preview_images(doc: Document, nodes: list[Node], level: int, *, backend: str | None = None) -> PreviewImages:
    """Render the three preview images of transforming `nodes`, at mipmap `level`."""
    rect = target_bounds(doc, nodes)
    if rect is None:
        raise ValueError("nothing to transform")
    below_nodes, targets, above_nodes = split(doc, nodes)
    hidden = {id(n) for n in targets}
    be = backends.get(backend)
    canvas = doc.canvas
    below = _HidingCompositor(canvas, be, hidden).stack(below_nodes, canvas).bgra(np.empty((canvas.h, canvas.w, 4), np.uint8))
    target = Compositor(canvas, be).stack(targets, rect).bgra(np.empty((rect.h, rect.w, 4), np.uint8))
    above = None
    if any(n.visible for n in above_nodes):
        above = Compositor(canvas, be).stack(above_nodes, canvas).bgra(np.empty((canvas.h, canvas.w, 4), np.uint8))
        above = downscale(above, level)
    return PreviewImages(level, downscale(below, level), downscale(target, level), rect, above)

