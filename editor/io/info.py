"""A document's size and layer tree as plain data, for `veil info`."""

from __future__ import annotations

from typing import Any

from editor.core import Document, Group, Node
from editor.core.blendif import active as blend_if_active

from . import kinds


def describe_node(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": node.name, "kind": node.kind, "blend": node.blend_mode.value, "opacity": round(node.opacity, 4),
        "visible": node.visible, "clipped": node.clipped, "locked": node.locked, "offset": list(node.offset),
        "mask": None,
    }
    kinds.of(node).describe(node, out)
    if node.fill < 1:
        out["fill"] = round(node.fill, 4)
    if blend_if_active(node.blend_if):
        out["blend_if"] = node.blend_if.to_dict()
    if node.mask is not None:
        out["mask"] = {"size": [node.mask.shape[1], node.mask.shape[0]], **node.mask.settings()}
    if isinstance(node, Group):
        out["children"] = [describe_node(c) for c in reversed(node.children)]  # topmost first, as in a panel
    return out


def describe(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path, "width": doc.width, "height": doc.height, "resolution": doc.resolution,
        "layers": [describe_node(c) for c in reversed(doc.root.children)], "warnings": list(doc.warnings),
    }


def tree_lines(nodes: list[dict[str, Any]], depth: int = 0) -> list[str]:
    lines = []
    for n in nodes:
        kind = f"{n['kind']} {n['adjustment']}" if n.get("adjustment") else n["kind"]  # which adjustment
        bits = [kind, n["blend"], f"{n['opacity'] * 100:.0f}%"]
        bits += [f"fill {n['fill'] * 100:.0f}%"] if "fill" in n else []
        bits += [] if n["visible"] else ["hidden"]
        bits += ["clipped"] if n["clipped"] else []
        bits += [f"at {n['offset'][0]},{n['offset'][1]}"] if n["offset"] != [0, 0] else []
        if "size" in n:
            bits.append(f"{n['size'][0]}x{n['size'][1]}")
        bits += ["blend if"] if n.get("blend_if") else []
        m = n["mask"]
        if m is not None:
            state = [s for s, on in (("disabled", not m["enabled"]), ("inverted", m["inverted"])) if on]
            state += [f"density {m['density']:g}"] if m["density"] != 1 else []
            state += [f"feather {m['feather']:g}"] if m["feather"] else []
            bits.append("mask" + (f" ({', '.join(state)})" if state else ""))
        lines.append(f"{'  ' * depth}- {n['name']}  [{', '.join(bits)}]")
        lines += tree_lines(n.get("children", []), depth + 1)
    return lines
