"""Snapshots of a document for bit-for-bit comparisons."""

from __future__ import annotations

from typing import Any

from editor.core import Document, FillLayer, Group, Layer, Node


def snapshot_node(node: Node) -> dict[str, Any]:
    snap: dict[str, Any] = {
        "type": type(node).__name__,
        "uid": node.uid,
        **{k: getattr(node, k) for k in node.PROPERTIES},
        "mask": None if node.mask is None else (node.mask.data.tobytes(), tuple(sorted(
            (k, repr(v)) for k, v in node.mask.settings().items()))),
    }
    if isinstance(node, Layer):
        snap["pixels"] = (node.pixels.shape, node.pixels.tobytes())
    if isinstance(node, FillLayer):
        snap["color"] = node.color
    if isinstance(node, Group):
        snap["children"] = [snapshot_node(c) for c in node.children]
    return snap


def snapshot(doc: Document) -> dict[str, Any]:
    return {
        "size": (doc.width, doc.height),
        "tree": snapshot_node(doc.root),
        "selection": None if doc.selection is None else doc.selection.data.tobytes(),
    }
