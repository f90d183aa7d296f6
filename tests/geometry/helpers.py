"""Whole-document snapshots for geometry tests: tree, canvas, selection, quick mask, paths."""

from __future__ import annotations

from typing import Any

import numpy as np

from editor.core import Document, FillLayer, Group, Layer, Mask, Selection
from editor.core.paths import Anchor, VectorPath
from tests.core.helpers import snapshot as tree_snapshot


def full_snapshot(doc: Document) -> dict[str, Any]:
    snap = tree_snapshot(doc)
    snap["quick_mask"] = None if doc.quick_mask is None else doc.quick_mask.mask.data.tobytes()
    snap["paths"] = [(p.name, p.anchors, p.closed) for p in doc.paths]
    return snap


def rich_document(w: int = 40, h: int = 30, seed: int = 0) -> Document:
    """A background, an offset layer with a mask reaching past the canvas, a group with a
    mask holding a layer, a fill layer with a mask, a selection and a path."""
    rng = np.random.default_rng(seed)
    doc = Document.from_pixels(rng.integers(0, 256, (h, w, 4), dtype=np.uint8))
    px = rng.integers(0, 256, (12, 15, 4), dtype=np.uint8)
    top = Layer("Offset", px, offset=(-4, 20), mask=Mask(rng.integers(0, 256, (12, 15), dtype=np.uint8)))
    inner = Layer("Inner", rng.integers(0, 256, (8, 9, 4), dtype=np.uint8), offset=(30, 3))
    group = Group("Group", [inner], mask=Mask(rng.integers(0, 256, (h, w), dtype=np.uint8)))
    fill = FillLayer("Fill", (10, 200, 30, 255), mask=Mask(rng.integers(0, 256, (h, w), dtype=np.uint8)), opacity=0.5)
    for node in (top, group, fill):
        doc.root.insert(len(doc.root.children), node)
    sel = np.zeros((h, w), np.uint8)
    sel[5:20, 7:25] = 255
    sel[20, 7:25] = 128
    doc.selection = Selection(sel)
    doc.paths.append(VectorPath("Path 1", [Anchor.corner(3.5, 4.0), Anchor((20.0, 10.0), (18.0, 9.0), (22.0, 11.0)),
                                           Anchor.corner(30.0, 25.5)], closed=True))
    return doc
