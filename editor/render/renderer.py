"""`Renderer`: a document's compositor with caches around the active layer.

While one layer is being edited, everything below it is kept as one float
premultiplied cache and the run of normal-mode layers right above it as another,
so re-rendering a dirty rectangle composites three inputs (below, the layer,
above) plus whatever lies above that run. Higher up, a node that reads what is
below it (an adjustment layer, a blend mode other than normal) is drawn live, and
each run of normal-mode layers between such nodes is cached again: a dab under a
Curves layer composites below, the layer, above, the Curves op and the run over it.
Caches are kept in 256 px tiles, filled on demand and dropped where anything other
than the active layer changes.

The fast path applies when the active node sits at the top level of the stack
and takes no part in clipping; anywhere else (inside a group, in a clip group)
the renderer renders without caches, which is always correct.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from editor.core import BlendMode, Change, Document, Node, Rect
from editor.core.blendif import active as blend_if_active

from . import backends, kinds
from .compositor import Compositor, bgra_output, render
from .plan import Op, Source, feather_radius

TILE = 256
# Larger renders (a full frame) go straight through the compositor: filling caches for
# them would cost more than it saves; caches fill as small dirty rects come in.
LARGE_RECT = 16 * TILE * TILE
# Properties of the active node that leave the caches (which never include it) valid.
_LIVE_PROPERTIES = {"opacity", "fill", "blend_mode", "visible", "name", "locked", "alpha_locked", "x", "y", "expanded",
                    "blend_if"}


@dataclass(frozen=True)
class CachePlan:
    active: Node
    below: tuple[Node, ...]  # top-level nodes under the active one
    above: tuple[Node, ...]  # the run of source-over units right above it
    rest: tuple[Node, ...]  # everything higher
    # `rest` cut into runs of source-over units (cached like `above`) and the units between
    # them (drawn live): (nodes, cached) in stack order.
    segments: tuple[tuple[tuple[Node, ...], bool], ...] = ()


def _units(children: list[Node], start: int) -> list[tuple[int, int]]:
    """[start, end) index ranges of clip units (a base and the clipped nodes over it)."""
    units, i = [], start
    while i < len(children):
        j = i + 1
        while j < len(children) and children[j].clipped and not children[i].clipped:
            j += 1
        units.append((i, j))
        i = j
    return units


def _is_source_over(children: list[Node], i: int) -> bool:
    """True when unit i draws as plain source-over of an isolated image (so runs of them combine).
    Blend If reads the backdrop (Underlying) and weights by the node's own colour, so a node with
    it never joins a run, whatever its kind."""
    node = children[i]
    if not node.visible:
        return True
    return not blend_if_active(node.blend_if) and kinds.of(node).source_over(node)


def cache_plan(doc: Document) -> CachePlan | None:
    node = doc.active
    root = doc.root.children
    if node is None or node.parent is not doc.root or node.clipped:
        return None
    i = root.index(node)
    if i + 1 < len(root) and root[i + 1].clipped:
        return None  # the active node is a clip base
    end = i + 1
    units = _units(root, i + 1)
    for start, stop in units:
        if not _is_source_over(root, start):
            break
        end = stop
    segments: list[tuple[list[Node], bool]] = []
    for start, stop in (u for u in units if u[0] >= end):
        cached = _is_source_over(root, start)
        if segments and segments[-1][1] == cached:
            segments[-1][0].extend(root[start:stop])
        else:
            segments.append((list(root[start:stop]), cached))
    return CachePlan(node, tuple(root[:i]), tuple(root[i + 1 : end]), tuple(root[end:]),
                     tuple((tuple(nodes), cached) for nodes, cached in segments))


class TileCache:
    """Float premultiplied composites of a fixed list of nodes, tile by tile, least recently used first out."""

    def __init__(self, max_tiles: int) -> None:
        self.tiles: OrderedDict[tuple[int, int], np.ndarray] = OrderedDict()
        self.max_tiles = max_tiles

    def clear(self) -> None:
        self.tiles.clear()

    def drop(self, rect: Rect) -> None:
        for key in [k for k in self.tiles if not _tile_rect(k).intersect(rect).empty]:
            del self.tiles[key]

    def ops(self, compositor: Compositor, nodes: tuple[Node, ...], rect: Rect) -> list[Op]:
        """Source-over ops that draw the cached composite of `nodes` over `rect`, tile by tile.

        Drawn first on a transparent buffer they reproduce it exactly; no copying of tiles.
        """
        ops = []
        for ty in range(rect.y // TILE, (rect.bottom - 1) // TILE + 1):
            for tx in range(rect.x // TILE, (rect.right - 1) // TILE + 1):
                tile_rect = _tile_rect((ty, tx)).intersect(compositor.canvas)
                tile = self.tiles.get((ty, tx))
                if tile is None:
                    tile = compositor.stack(nodes, tile_rect).buffer()
                    self.tiles[(ty, tx)] = tile
                    while len(self.tiles) > self.max_tiles:
                        self.tiles.popitem(last=False)
                else:
                    self.tiles.move_to_end((ty, tx))
                ops.append(Op(Source.BUFFER, tile_rect.intersect(rect), BlendMode.NORMAL, 1.0, tile,
                              (tile_rect.x, tile_rect.y)))
        return ops


def _tile_rect(key: tuple[int, int]) -> Rect:
    return Rect(key[1] * TILE, key[0] * TILE, TILE, TILE)


def affected_rect(doc: Document, change: Change) -> Rect | None:
    """The document rectangle whose composite a change may alter (grown by a mask's feather)."""
    rect = change.rect
    if rect is None:
        return None
    if change.kind == "mask" and change.node is not None and change.node.mask is not None and change.node.mask.feather > 0:
        rect = rect.adjusted(feather_radius(change.node.mask.feather))
    if change.node is not None:
        rect = changed_above(change.node, rect)
    return rect.intersect(doc.canvas)


def changed_above(node: Node, rect: Rect) -> Rect:
    """`rect` grown by the change_rect of every node drawn above `node` (a blur above a dab
    spreads it); identity for pixels, fills and per-pixel adjustments."""
    while node.parent is not None:
        siblings = node.parent.children
        for above in siblings[siblings.index(node) + 1:]:
            if above.visible:
                rect = kinds.of(above).change_rect(above, rect)
        node = node.parent
    return rect


class Renderer:
    """Renders one document, keeping the below/above caches of its active layer up to date."""

    def __init__(self, doc: Document, *, backend: str | None = None, max_cache_bytes: int = 256 << 20) -> None:
        self.doc = doc
        self.backend_name = backend
        self._max_cache_bytes = max_cache_bytes
        self.below, self.above = TileCache(2), TileCache(2)
        self.runs: list[TileCache] = []  # one per cached segment of the plan's rest
        self._plan: CachePlan | None = None
        self._planned = False
        self._plan_active: Node | None = None
        doc.events.connect(self._on_change)

    def close(self) -> None:
        self.doc.events.disconnect(self._on_change)
        self.reset()

    def reset(self) -> None:
        for cache in self._caches():
            cache.clear()
        self.runs = []
        self._plan, self._planned = None, False

    def _caches(self) -> list[TileCache]:
        return [self.below, self.above, *self.runs]

    @property
    def backend(self):
        """Looked up per render: numpy while the numba kernels compile, numba once they are ready."""
        return backends.get(self.backend_name)

    @property
    def plan(self) -> CachePlan | None:
        """The cache layout for the current active node (None: render without caches)."""
        if not self._planned or self._plan_active is not self.doc.active:
            self.reset()
            self._plan, self._planned, self._plan_active = cache_plan(self.doc), True, self.doc.active
            if self._plan is not None:
                self.runs = [TileCache(2) for _, cached in self._plan.segments if cached]
                # The memory budget is shared by every cache the plan uses.
                tiles = max(2, self._max_cache_bytes // (TILE * TILE * 16) // (2 + len(self.runs)))
                for cache in self._caches():
                    cache.max_tiles = tiles
        return self._plan

    def render(self, rect: Rect | None = None, *, out: np.ndarray | None = None) -> np.ndarray:
        """The same pixels as `render(doc, rect)`, drawn through the caches when they apply
        (into `out` when given, as `render` does)."""
        plan = self.plan
        rect = self.doc.canvas if rect is None else Rect(*rect)
        if plan is None or rect.w * rect.h > LARGE_RECT:
            return render(self.doc, rect, backend=self.backend_name, out=out)
        if kinds.need_of(self.doc.root.children, rect) != rect:  # a filter reads around the rect
            return render(self.doc, rect, backend=self.backend_name, out=out)
        out = bgra_output(rect, out)
        inside = rect.intersect(self.doc.canvas)
        if inside != rect:
            out[...] = 0
            if not inside.empty:
                self.render(inside, out=out[inside.translated(-rect.x, -rect.y).slices()])
            return out
        compositor = Compositor(self.doc.canvas, self.backend)
        target = compositor.root_target(rect, self.doc.root.children)
        if plan.below:
            target.ops.extend(self.below.ops(compositor, plan.below, rect))
        compositor.add_restricted(target, plan.active)  # its Channels too
        if plan.above:
            target.ops.extend(self.above.ops(compositor, plan.above, rect))
        runs = iter(self.runs)
        for nodes, cached in plan.segments:
            if cached:
                target.ops.extend(next(runs).ops(compositor, nodes, rect))
            else:
                compositor.add_children(target, nodes)
        return target.bgra(out)

    # --- invalidation ----------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.kind in ("history", "selection"):
            return
        plan = self._plan
        if plan is None:
            self.reset()
            return
        if change.node is plan.active and self.doc.active is plan.active:
            if change.kind in ("pixels", "mask"):
                return
            if change.kind == "property" and set((change.name or "").split(",")) <= _LIVE_PROPERTIES:
                return
        if change.kind in ("pixels", "mask") and change.node is not None and change.node is not plan.active:
            rect = affected_rect(self.doc, change)
            if rect is not None:
                for cache in self._caches():
                    cache.drop(rect)
                return
        self.reset()
