"""`PreviewRenderer`: the composite at a reduced scale, for live feedback while a setting is dragged.

A slider drag on a layer that covers a 24 MP canvas changes every pixel on each step; at fit
zoom the screen shows a level of the mipmap pyramid far smaller than the document. This
renders the document at that level straight away, from copies of every layer and mask reduced
to that scale (kept until their arrays change), so a step costs a composite of the level's
pixels instead of the document's; the full-resolution render follows when the drag pauses.

The proxies have the nodes' current settings (opacity, mode, mask density, invert, feather in
scaled pixels, Blend If, an adjustment's params with a filter's radius scaled), so any property
or adjustment setting change previews faithfully; the reduction is an area
average of the straight bytes (fast, and exact for opaque pixels; at soft edges colour and alpha
average separately, which the full render then corrects). Node kinds the proxy does not know make
`render` return None (then the caller renders at full resolution).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import cv2
import numpy as np

from editor.core import (
    Adjustment,
    Change,
    Document,
    FillLayer,
    GradientFillLayer,
    Group,
    Layer,
    Mask,
    Node,
    Rect,
)

from . import adjustments, backends
from .compositor import Compositor


def _reduce(array: np.ndarray, k: int) -> np.ndarray:
    """`array` (h, w[, c]) reduced by 2**k, each output pixel the area average (edges repeated)."""
    s = 1 << k
    h, w = array.shape[:2]
    ph, pw = -h % s, -w % s
    if ph or pw:
        array = cv2.copyMakeBorder(array, 0, ph, 0, pw, cv2.BORDER_REPLICATE)
    return cv2.resize(array, ((w + pw) // s, (h + ph) // s), interpolation=cv2.INTER_AREA)


def _aligned(array: np.ndarray, x: int, y: int, k: int, fill) -> tuple[np.ndarray, int, int]:
    """`array` placed at (x, y), padded so its origin falls on the 2**k grid; (array, x, y)."""
    s = 1 << k
    dx, dy = x % s, y % s
    if dx or dy:
        pad = ((dy, 0), (dx, 0)) + ((0, 0),) * (array.ndim - 2)
        array = np.pad(array, pad, constant_values=fill)
    return array, x - dx, y - dy


@dataclass(frozen=True)
class HeldReduction:
    """A reduced copy of a node's pixels a preview holds: `reduced` is `source` (as
    `_aligned` places it, shifted by (dx, dy)) reduced by `scale`, area-averaged. A writer that
    brings it up to date as it writes (`PaintTarget`'s one-colour fill) hands it back with
    `keep_reductions`, so the next preview does not reduce the whole layer again."""

    renderer: PreviewRenderer
    key: tuple[int, str, int]
    source: np.ndarray
    reduced: np.ndarray
    scale: int
    dx: int
    dy: int
    pending: Rect | None = None  # array rect changed since `reduced` was last brought up to date


_live: weakref.WeakSet[PreviewRenderer] = weakref.WeakSet()


def held_reductions(doc: Document, node: Node, what: str = "pixels") -> list[HeldReduction]:
    """The current reduced copies of `node`'s array (`what`: "pixels" or "mask") that previews of
    `doc` hold."""
    if what == "pixels":
        source = node.pixels if isinstance(node, Layer) else None
    else:
        source = node.mask.data if node.mask is not None else None
    if source is None:
        return []
    # A layer's arrays sit at its offset on the level's grid; other kinds' masks at the origin (`_proxy`).
    x, y = (node.x, node.y) if type(node) is Layer else (0, 0)
    out = []
    for renderer in list(_live):
        if renderer.doc is not doc:
            continue
        for key, (src, reduced) in renderer._cache.items():
            if key[0] == node.uid and key[1] == what and src is source:
                s = 1 << key[2]
                out.append(HeldReduction(renderer, key, src, reduced, s, x % s, y % s, renderer._dirty.get(key)))
    return out


def update_reduction(held: HeldReduction, rect: Rect) -> None:
    """Bring a held reduction of a 2-D array (a mask) up to date over `rect` (array coordinates),
    just written (and what changed before, `held.pending`): only the blocks under it are averaged
    again, the same way `_reduce` does."""
    s, h, w = held.scale, held.source.shape[0], held.source.shape[1]
    rect = rect.union(held.pending).intersect(Rect(0, 0, w, h))
    if rect.empty:
        return
    red = held.reduced
    by0, by1 = (rect.y + held.dy) // s, min(red.shape[0], (rect.bottom - 1 + held.dy) // s + 1)
    bx0, bx1 = (rect.x + held.dx) // s, min(red.shape[1], (rect.right - 1 + held.dx) // s + 1)
    from .reduce_kernel import reduce_blocks_2d  # numba: only writers (editor.paint) call this

    reduce_blocks_2d(held.source, red, bx0, by0, bx1, by1, s, held.dx, held.dy)


def keep_reductions(held: list[HeldReduction]) -> None:
    """Put back reduced copies a writer has brought up to date (its change notice dropped them)."""
    for h in held:
        h.renderer._cache[h.key] = (h.source, h.reduced)
        h.renderer._dirty.pop(h.key, None)


def _partial_reduction() -> bool:
    """Whether a mask's reduction can be brought up to date by parts (its kernel needs numba)."""
    global _CAN_UPDATE
    if _CAN_UPDATE is None:
        try:
            from . import reduce_kernel  # noqa: F401
            _CAN_UPDATE = True
        except ImportError:
            _CAN_UPDATE = False
    return _CAN_UPDATE


_CAN_UPDATE: bool | None = None


class PreviewRenderer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # (uid, what, k) -> (source array, its reduction)
        self._cache: dict[tuple[int, str, int], tuple[np.ndarray, np.ndarray]] = {}
        # A mask's reduction whose array changed under a rect (array coordinates) since it was made:
        # brought up to date there when next used, rather than reduced whole again (an undo).
        self._dirty: dict[tuple[int, str, int], Rect] = {}
        doc.events.connect(self._on_change)
        _live.add(self)

    def close(self) -> None:
        self.doc.events.disconnect(self._on_change)
        self._cache.clear()
        self._dirty.clear()
        _live.discard(self)

    def _on_change(self, change: Change) -> None:
        if change.kind in ("pixels", "structure", "document") or (change.kind == "mask" and change.name is None):
            if change.node is None or change.kind in ("structure", "document"):
                self._cache.clear()
                self._dirty.clear()
                return
            # Only what changed: a gradient on a mask keeps its layer's reduced pixels.
            keys = [key for key in self._cache if key[0] == change.node.uid and key[1] == change.kind]
            if change.kind == "mask" and change.rect is not None and _partial_reduction():
                ox, oy = change.node.offset
                rect = change.rect.translated(-ox, -oy)
                for key in keys:
                    self._dirty[key] = rect.union(self._dirty.get(key))
                return
            for key in keys:
                del self._cache[key]
                self._dirty.pop(key, None)

    def _reduced(self, node: Node, what: str, source: np.ndarray, k: int, make) -> np.ndarray:
        key = (node.uid, what, k)
        hit = self._cache.get(key)
        if hit is not None and hit[0] is source:
            dirty = self._dirty.pop(key, None)
            if dirty is not None:
                s = 1 << k
                x, y = (node.x, node.y) if type(node) is Layer else (0, 0)
                update_reduction(HeldReduction(self, key, source, hit[1], s, x % s, y % s), dirty)
            return hit[1]
        self._dirty.pop(key, None)
        reduced = make()
        self._cache[key] = (source, reduced)
        return reduced

    # --- proxies ---------------------------------------------------------------------
    def _mask(self, node: Node, mask: Mask | None, x: int, y: int, k: int) -> Mask | None:
        if mask is None:
            return None

        def make() -> np.ndarray:
            data, _, _ = _aligned(mask.data, x, y, k, 0)
            return _reduce(data, k)

        data = self._reduced(node, "mask", mask.data, k, make)
        return Mask(data, mask.enabled, mask.density, mask.feather / (1 << k), mask.inverted)

    def _proxy(self, node: Node, k: int) -> Node | None:
        common = node.blending()
        s = 1 << k
        if type(node) is Layer:
            def make() -> np.ndarray:
                px, _, _ = _aligned(node.pixels, node.x, node.y, k, 0)
                return _reduce(px, k)

            pixels = self._reduced(node, "pixels", node.pixels, k, make)
            _, ax, ay = _aligned(node.pixels[:1, :1], node.x, node.y, k, 0)
            proxy: Node = Layer(node.name, pixels, offset=(ax // s, ay // s), **common)
            if node.mask is not None:
                mask = self._mask(node, node.mask, node.x, node.y, k)
                if mask is not None and mask.shape != pixels.shape[:2]:
                    return None
                proxy.mask = mask
            return proxy
        if type(node) is FillLayer:
            return FillLayer(node.name, node.color, mask=self._mask(node, node.mask, 0, 0, k), **common)
        if type(node) is GradientFillLayer:  # its settings are relative to its box, which scales with the level
            from editor.paint.gradient_fill import scaled  # paint imports render: bound late

            return GradientFillLayer(node.name, scaled(node.gradient, 1 / s), mask=self._mask(node, node.mask, 0, 0, k),
                                     **common)
        if type(node) is Adjustment:
            spec = adjustments.SPECS.get(node.adjustment)
            if spec is None:
                return None
            # Per-pixel adjustments are the same at any scale; a filter's radius shrinks with the level.
            return Adjustment(node.name, node.adjustment, spec.scaled(node.params, 1 / s),
                              mask=self._mask(node, node.mask, 0, 0, k), **common)
        if type(node) is Group:
            children = []
            for child in node.children:
                p = self._proxy(child, k)
                if p is None:
                    return None
                children.append(p)
            return Group(node.name, children, isolated=node.isolated, mask=self._mask(node, node.mask, 0, 0, k),
                         **common)
        return None

    def render(self, k: int, rect: Rect | None = None, out: np.ndarray | None = None) -> np.ndarray | None:
        """Premultiplied BGRA of the document at scale 1/2**k over `rect` (level coordinates;
        the whole level by default), into `out` when given; None when a node kind has no proxy."""
        doc = self.doc
        s = 1 << k
        level = Rect(0, 0, -(-doc.width // s), -(-doc.height // s))
        nodes = []
        for child in doc.root.children:
            p = self._proxy(child, k)
            if p is None:
                return None
            nodes.append(p)
        rect = level if rect is None else rect.intersect(level)
        compositor = Compositor(level, backends.get())
        target = compositor.stack(nodes, rect)
        if out is None:
            return target.bgra()
        return target.bgra(out)
