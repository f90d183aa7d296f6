"""Snapshots of a document for bit-for-bit comparisons."""

from __future__ import annotations

from typing import Any

from editor.core import Document, FillLayer, Group, Layer, Node


def snapshot_node(node: Node, *, with_uid: bool = True) -> dict[str, Any]:
    """Everything a node holds, comparable with ==; without `with_uid`, what survives a save and load."""
    snap: dict[str, Any] = {
        "type": type(node).__name__,
        **{k: getattr(node, k) for k in node.PROPERTIES},
        "mask": None if node.mask is None else (node.mask.data.shape, node.mask.data.tobytes(), node.mask.settings()),
    }
    if with_uid:
        snap["uid"] = node.uid
    if isinstance(node, Layer):
        snap["pixels"] = (node.pixels.shape, node.pixels.tobytes())
    if isinstance(node, FillLayer):
        snap["color"] = node.color
    if isinstance(node, Group):
        snap["children"] = [snapshot_node(c, with_uid=with_uid) for c in node.children]
    return snap


def snapshot(doc: Document) -> dict[str, Any]:
    return {
        "size": (doc.width, doc.height),
        "tree": snapshot_node(doc.root),
        "selection": None if doc.selection is None else doc.selection.data.tobytes(),
    }
