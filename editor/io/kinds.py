"""The node-kind registry of the file side, keyed by `node.kind` (see `editor.render.kinds`).

A `FileKind` says what `veil info` shows of a kind, how the kind is written into an ORA
layer element (and read back from one), and what raster image stands for it in formats that
only know pixel layers. Structure (groups, masks, clip groups) stays with the format modules.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from editor.core import Adjustment, Document, FillLayer, GradientFillLayer, Layer, Node, Rect


class FileKind:
    """The default: nothing beyond the common fields."""

    def describe(self, node: Node, out: dict[str, Any]) -> None:
        """Add the kind's own fields to `veil info`'s description of `node`."""

    def raster(self, node: Node, canvas: Rect) -> tuple[np.ndarray, tuple[int, int]] | None:
        """(straight RGBA pixels, their document offset) standing for the node in a pixel-only
        format, or None when the node has no image of its own (then it must be baked)."""
        return None

    def stand_in(self, node: Node, doc: Document) -> tuple[np.ndarray, tuple[int, int]] | None:
        """The raster a pixel-only format or program shows for the node in `doc` (its own image;
        an adjustment's is the adjusted image of what lies below it)."""
        return self.raster(node, doc.canvas)

    def baked(self, node: Node) -> bool:
        """True when a pixel-only format keeps only the node's look, not the node (then an
        export says so)."""
        return False

    def ora_attributes(self, node: Node) -> dict[str, str]:
        """Veil-namespace attributes (names without the namespace) of the node's ORA layer element."""
        return {}

    def ora_node(self, pixels: np.ndarray, offset: tuple[int, int], attrs: dict[str, str], canvas: Rect) -> Node:
        """The node an ORA layer element of this kind stands for (its common settings are set after)."""
        raise TypeError("this kind is not read from ORA layer elements")


class PixelFile(FileKind):
    def describe(self, node, out):
        out["size"] = list(node.size)
        out["alpha_locked"] = node.alpha_locked

    def raster(self, node, canvas):
        return node.pixels, node.offset

    def ora_attributes(self, node):
        return {"alpha-locked": "true"} if node.alpha_locked else {}

    def ora_node(self, pixels, offset, attrs, canvas):
        return Layer("Layer", pixels, offset=offset, alpha_locked=attrs.get("alpha-locked") == "true")


def hex_colour(color: tuple[int, ...]) -> str:
    return "#" + "".join(f"{c:02x}" for c in color)


def parse_colour(text: str) -> tuple[int, int, int, int]:
    """'#rrggbb' or '#rrggbbaa'; ValueError when it is neither."""
    digits = text.lstrip("#")
    if len(digits) not in (6, 8) or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise ValueError(f"bad colour {text!r}")
    digits = digits + "ff" if len(digits) == 6 else digits
    r, g, b, a = (int(digits[i:i + 2], 16) for i in range(0, 8, 2))
    return (r, g, b, a)


class FillFile(FileKind):
    def describe(self, node, out):
        out["color"] = hex_colour(node.color)

    def raster(self, node, canvas):
        return node.pixels_for(canvas), (0, 0)

    def ora_attributes(self, node):
        return {"fill": hex_colour(node.color)}

    def ora_node(self, pixels, offset, attrs, canvas):
        return FillLayer("Fill", parse_colour(attrs["fill"]))


class GradientFillFile(FileKind):
    """A gradient fill layer: its settings (JSON) in Veil's namespace, its pixels over the canvas
    for other readers; Veil reads the live layer back."""

    def describe(self, node, out):
        from editor.paint.gradient_fill import normalised

        out["gradient"] = normalised(node.gradient)

    def raster(self, node, canvas):
        from editor.paint.gradient_fill import fill_pixels

        return fill_pixels(node.gradient, canvas, canvas), (0, 0)

    def ora_attributes(self, node):
        return {"gradient": json.dumps(node.gradient, ensure_ascii=False, sort_keys=True, separators=(",", ":"))}

    def ora_node(self, pixels, offset, attrs, canvas):
        from editor.paint.gradient_fill import normalised

        settings = json.loads(attrs.get("gradient", "{}"))
        if not isinstance(settings, dict):
            raise ValueError("gradient fill settings must be a JSON object")
        return GradientFillLayer("Gradient Fill", normalised(settings))


class GroupFile(FileKind):
    def describe(self, node, out):
        out["isolated"] = node.isolated


class AdjustmentFile(FileKind):
    """An adjustment or filter layer: its operation and params (JSON) in Veil's namespace; the
    layer's image is its stand-in (the adjusted image of what lies below), so programs that do
    not know Veil's attributes (Krita) show what Veil shows, and Veil reads the live layer back."""

    def describe(self, node, out):
        from editor.render import adjustments

        out["adjustment"] = node.adjustment
        out["params"] = adjustments.params_of(node) if node.adjustment in adjustments.SPECS else node.params

    def stand_in(self, node, doc):
        from editor.render.adjustments.standin import stand_in

        return stand_in(doc, node)

    def baked(self, node):
        return True

    def ora_attributes(self, node):
        return {"adjustment": node.adjustment,
                "params": json.dumps(node.params, ensure_ascii=False, sort_keys=True, separators=(",", ":"))}

    def ora_node(self, pixels, offset, attrs, canvas):
        params = json.loads(attrs.get("params", "{}"))
        if not isinstance(params, dict):
            raise ValueError("adjustment params must be a JSON object")
        return Adjustment("Adjustment", attrs["adjustment"], params)


KINDS: dict[str, FileKind] = {}


def register(kind: str, file_kind: FileKind) -> None:
    KINDS[kind] = file_kind


def of(node: Node) -> FileKind:
    return kind(node.kind)


def kind(name: str) -> FileKind:
    try:
        return KINDS[name]
    except KeyError:
        raise TypeError(f"no file mapping for node kind {name!r}") from None


register("pixel", PixelFile())
register("fill", FillFile())
register("gradient-fill", GradientFillFile())
register("group", GroupFile())
register("adjustment", AdjustmentFile())
