"""What the magic wand and the paint bucket look at, kept between clicks: one cache a document.

Both tools sample the active layer's pixels, the mask being edited (the bucket, as it shows),
or the merged image (Sample merged). The merged image is a full composite, the slow part of
a click, so it is kept and brought up to date only where the document changed since: a bucket
click on a 24 MP canvas re-renders the rectangle it filled, not the canvas, before the next
click. A layer's own pixels are read in place when the layer covers the canvas; a placed copy
(an offset or smaller layer) and a mask's shown values (inverted, or not covering the canvas; else
the mask is read in place too) are kept until that node changes.

`sample_cache(doc)` gives the document's one cache, so the wand and the bucket share it.
"""

from __future__ import annotations

import weakref

import numpy as np

from editor.core import Change, Document, Layer, Node, Rect

from .ops import layer_on_canvas, place_on_canvas

# Changes that never alter what is sampled.
_IRRELEVANT = ("selection", "active", "history", "paths")

_caches: weakref.WeakKeyDictionary[Document, SampleCache] = weakref.WeakKeyDictionary()


def sample_cache(doc: Document) -> SampleCache:
    """The document's sample cache (made on first use, listening to the document from then on)."""
    cache = _caches.get(doc)
    if cache is None:
        cache = _caches[doc] = SampleCache(doc)
    return cache


class SampleCache:
    def __init__(self, doc: Document) -> None:
        self._doc = weakref.ref(doc)  # the document's listener list holds the cache, not the reverse
        self._merged: np.ndarray | None = None
        self._merged_dirty: Rect | None = None
        self._own: dict[tuple[int, str], np.ndarray] = {}  # (node uid, "pixels" / "mask") -> document-sized copy
        doc.events.connect(self._on_change)

    def _on_change(self, change: Change) -> None:
        if change.kind in _IRRELEVANT:
            return
        doc = self._doc()
        if doc is None:
            return
        if change.kind in ("structure", "document") or change.node is None:
            self._own.clear()
        else:
            for what in ("pixels", "mask") if change.kind == "property" else (change.kind,):
                self._own.pop((change.node.uid, what), None)
        if self._merged is None:
            return
        from editor.render.renderer import affected_rect

        if change.kind == "document" or self._merged.shape[:2] != (doc.height, doc.width):
            self._merged, self._merged_dirty = None, None  # resized, cropped, reopened: start again
            return
        rect = affected_rect(doc, change)  # None: nothing on the canvas changed
        if rect is not None and not rect.empty:
            self._merged_dirty = rect.union(self._merged_dirty)

    def merged(self) -> np.ndarray:
        """The composite as straight RGBA, document-sized, up to date."""
        from editor.render import flatten_rgba, render_float
        from editor.render.pixels import straight_rgba

        doc = self._doc()
        assert doc is not None
        if self._merged is None:
            self._merged, self._merged_dirty = flatten_rgba(doc), None
        elif self._merged_dirty is not None:
            rect, self._merged_dirty = self._merged_dirty.intersect(doc.canvas), None
            if not rect.empty:
                self._merged[rect.slices()] = straight_rgba(render_float(doc, rect))
        return self._merged

    def pixels(self, layer: Node | None) -> np.ndarray | None:
        """A layer's pixels on the canvas (straight RGBA, document-sized); None for a node without pixels."""
        if not isinstance(layer, Layer):
            return None
        doc = self._doc()
        assert doc is not None
        key = (layer.uid, "pixels")
        if key not in self._own:
            image = layer_on_canvas(doc, layer)
            if image is layer.pixels:
                return image  # read in place: always current
            self._own[key] = image
        return self._own[key]

    def mask(self, node: Node) -> np.ndarray:
        """A node's mask as it shows (inverted: 255 - stored), document-sized; 0 outside it."""
        doc = self._doc()
        assert doc is not None and node.mask is not None
        mask = node.mask
        where = node.mask_rect(doc.canvas)
        if not mask.inverted and where == doc.canvas:
            return mask.data  # shows as stored and covers the canvas: read in place
        key = (node.uid, "mask")
        if key not in self._own:
            shown = 255 - mask.data if mask.inverted else mask.data
            self._own[key] = place_on_canvas(shown, where, doc.canvas)
        return self._own[key]

