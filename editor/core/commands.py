"""The commands that mutate a document. Each one is a single undoable step.

Commands change the model and announce it with `doc.notify`; nothing else
mutates a document that the UI shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .geometry import Rect
from .history import Command, TileDelta
from .layers import Group, Layer, Node
from .mask import Mask
from .selection import Selection

if TYPE_CHECKING:
    from .document import Document


def node_rect(doc: Document, node: Node) -> Rect:
    """The document rectangle a node can affect (its layer bounds, or the canvas)."""
    return node.bounds(doc.canvas)


class InsertNode(Command):
    def __init__(self, parent: Group, index: int, node: Node, label: str = "New layer") -> None:
        self.parent, self.index, self.node, self.label = parent, index, node, label
        self._active_before: Node | None = None

    def redo(self, doc: Document) -> None:
        self._active_before = doc.active
        self.parent.insert(self.index, self.node)
        doc.active = self.node
        doc.notify("structure", self.node, node_rect(doc, self.node))

    def undo(self, doc: Document) -> None:
        self.parent.remove(self.node)
        doc.active = self._active_before
        doc.notify("structure", self.node, node_rect(doc, self.node))

    def nbytes(self) -> int:
        return node_nbytes(self.node)


class RemoveNode(Command):
    def __init__(self, node: Node, label: str = "Delete layer") -> None:
        self.node, self.label = node, label
        self.parent: Group | None = None
        self.index = 0
        self._active_before: Node | None = None

    def redo(self, doc: Document) -> None:
        self._active_before = doc.active
        self.parent = self.node.parent
        assert self.parent is not None
        self.index = self.parent.remove(self.node)
        if doc.active is self.node or (doc.active is not None and self.node in _ancestors_or_self(doc.active)):
            siblings = self.parent.children
            if siblings:
                doc.active = siblings[min(self.index, len(siblings) - 1)]
            else:
                doc.active = self.parent if self.parent is not doc.root else None
        doc.notify("structure", self.node, node_rect(doc, self.node))

    def undo(self, doc: Document) -> None:
        assert self.parent is not None
        self.parent.insert(self.index, self.node)
        doc.active = self._active_before
        doc.notify("structure", self.node, node_rect(doc, self.node))

    def nbytes(self) -> int:
        return node_nbytes(self.node)


def _ancestors_or_self(node: Node) -> list[Node]:
    return [node, *node.ancestors()]


class MoveNode(Command):
    """Move a node to `index` among `parent`'s children (index counted after removal)."""

    def __init__(self, node: Node, parent: Group, index: int, label: str = "Move layer") -> None:
        self.node, self.new_parent, self.new_index, self.label = node, parent, index, label
        self.old_parent: Group | None = None
        self.old_index = 0

    def redo(self, doc: Document) -> None:
        self.old_parent = self.node.parent
        assert self.old_parent is not None
        self.old_index = self.old_parent.remove(self.node)
        self.new_parent.insert(self.new_index, self.node)
        doc.notify("structure", self.node, node_rect(doc, self.node))

    def undo(self, doc: Document) -> None:
        assert self.old_parent is not None
        self.new_parent.remove(self.node)
        self.old_parent.insert(self.old_index, self.node)
        doc.notify("structure", self.node, node_rect(doc, self.node))


class SetProperties(Command):
    """Change plain properties of a node (or of its mask, with target="mask").

    Commands with the same `merge_key` on the same node and keys merge, so a
    slider drag or a move-tool drag is one undo step.
    """

    def __init__(
        self,
        node: Node,
        values: dict[str, Any],
        *,
        target: str = "node",
        label: str | None = None,
        merge_key: str | None = None,
    ) -> None:
        self.node, self.target = node, target
        obj = self._obj()
        allowed = MASK_PROPERTIES if target == "mask" else node.PROPERTIES
        unknown = set(values) - set(allowed)
        if unknown:
            raise ValueError(f"cannot set {sorted(unknown)} on {node!r}")
        self.new = dict(values)
        self.old = {k: getattr(obj, k) for k in values}
        self.label = label or ("Mask " if target == "mask" else "") + ", ".join(values).replace("_", " ").capitalize()
        self.merge_key = merge_key

    def _obj(self) -> Any:
        if self.target == "mask":
            if self.node.mask is None:
                raise ValueError(f"{self.node!r} has no mask")
            return self.node.mask
        return self.node

    def _apply(self, doc: Document, values: dict[str, Any]) -> None:
        before = node_rect(doc, self.node)
        obj = self._obj()
        for key, value in values.items():
            setattr(obj, key, value)
        rect = before.union(node_rect(doc, self.node))
        doc.notify("mask" if self.target == "mask" else "property", self.node, rect, name=",".join(values))

    def redo(self, doc: Document) -> None:
        self._apply(doc, self.new)

    def undo(self, doc: Document) -> None:
        self._apply(doc, self.old)

    def merge(self, newer: Command) -> bool:
        if (
            isinstance(newer, SetProperties)
            and self.merge_key is not None
            and newer.merge_key == self.merge_key
            and newer.node is self.node
            and newer.target == self.target
            and newer.new.keys() == self.new.keys()
        ):
            self.new = newer.new
            return True
        return False


MASK_PROPERTIES = ("enabled", "density", "feather", "inverted", "generator", "linked")


class SetMask(Command):
    """Add, replace or remove (mask=None) a node's mask."""

    def __init__(self, node: Node, mask: Mask | None, label: str = "Add mask") -> None:
        if isinstance(node, Layer) and mask is not None and mask.shape != node.pixels.shape[:2]:
            raise ValueError("a layer's mask must be the size of the layer")
        self.node, self.mask, self.label = node, mask, label
        self.old: Mask | None = None

    def redo(self, doc: Document) -> None:
        self.old = self.node.mask
        self.node.mask = self.mask
        doc.notify("mask", self.node, node_rect(doc, self.node))

    def undo(self, doc: Document) -> None:
        self.node.mask = self.old
        doc.notify("mask", self.node, node_rect(doc, self.node))

    def nbytes(self) -> int:
        return sum(m.data.nbytes for m in (self.mask, self.old) if m is not None)


class ReplacePixels(Command):
    """Swap a layer's whole pixel array (and offset): for edits that resize or rewrite it all."""

    def __init__(self, layer: Layer, pixels: np.ndarray, offset: tuple[int, int] | None = None, label: str = "Edit pixels") -> None:
        if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
            raise ValueError("layer pixels must be an (h, w, 4) uint8 array")
        self.layer, self.pixels, self.label = layer, pixels, label
        self.offset = offset if offset is not None else layer.offset
        self.old_pixels = layer.pixels
        self.old_offset = layer.offset

    def _set(self, doc: Document, pixels: np.ndarray, offset: tuple[int, int]) -> None:
        before = self.layer.bounds()
        self.layer.pixels = pixels
        self.layer.x, self.layer.y = offset
        doc.notify("pixels", self.layer, before.union(self.layer.bounds()))

    def redo(self, doc: Document) -> None:
        self._set(doc, self.pixels, self.offset)

    def undo(self, doc: Document) -> None:
        self._set(doc, self.old_pixels, self.old_offset)

    def nbytes(self) -> int:
        return self.pixels.nbytes + self.old_pixels.nbytes


class PixelEdit(Command):
    """An in-place edit of a layer's pixels or mask, kept as the 64x64 tiles it touched.

    The edit has already happened when the command is made (a brush stroke
    paints live); redo writes the "after" tiles back, undo the "before" ones.
    """

    def __init__(self, node: Node, target: str, delta: TileDelta, label: str = "Paint") -> None:
        if target not in ("pixels", "mask"):
            raise ValueError("target must be 'pixels' or 'mask'")
        self.node, self.target, self.delta, self.label = node, target, delta, label

    def _array(self) -> np.ndarray:
        if self.target == "mask":
            assert self.node.mask is not None
            return self.node.mask.data
        assert isinstance(self.node, Layer)
        return self.node.pixels

    def _write(self, doc: Document, which: str) -> None:
        rect = self.delta.write(self._array(), which)
        if rect is not None:
            ox, oy = self.node.offset
            doc.notify(self.target, self.node, rect.translated(ox, oy))

    def redo(self, doc: Document) -> None:
        self._write(doc, "after")

    def undo(self, doc: Document) -> None:
        self._write(doc, "before")

    def nbytes(self) -> int:
        return self.delta.nbytes()

    def release(self) -> None:
        self.delta.release()


class SetSelection(Command):
    def __init__(self, selection: Selection | None, label: str = "Select") -> None:
        self.selection, self.label = selection, label
        self.old: Selection | None = None

    def redo(self, doc: Document) -> None:
        self.old = doc.selection
        doc.selection = self.selection
        doc.notify("selection", None, doc.canvas)

    def undo(self, doc: Document) -> None:
        doc.selection = self.old
        doc.notify("selection", None, doc.canvas)

    def nbytes(self) -> int:
        return sum(s.data.nbytes for s in (self.selection, self.old) if s is not None)


def node_nbytes(node: Node) -> int:
    return node.nbytes()


class ReplaceContent(Command):
    """Swap whole arrays of several nodes at once: a layer's pixels and offset, any node's mask data.

    Free Transform and unlinked moves resize layers, so they keep the arrays before and
    after (undo is bit for bit). `changes` holds (node, pixels, offset, mask_data) with
    None for what stays; a layer's new mask must be the size of its new pixels. Steps
    with the same `merge_key` over the same nodes merge (one drag of the Move tool).
    """

    def __init__(self, changes: list[tuple[Node, np.ndarray | None, tuple[int, int] | None, np.ndarray | None]],
                 label: str = "Transform", *, merge_key: str | None = None) -> None:
        self.label, self.merge_key = label, merge_key
        self.new: list[tuple[Node, np.ndarray | None, tuple[int, int] | None, np.ndarray | None]] = []
        self.old: list[tuple[Node, np.ndarray | None, tuple[int, int] | None, np.ndarray | None]] = []
        for node, pixels, offset, mask_data in changes:
            if pixels is not None or offset is not None:
                if not isinstance(node, Layer):
                    raise ValueError(f"{node!r} has no pixels to replace")
            if pixels is not None and (pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4):
                raise ValueError("layer pixels must be an (h, w, 4) uint8 array")
            if mask_data is not None:
                if node.mask is None:
                    raise ValueError(f"{node!r} has no mask")
                if mask_data.dtype != np.uint8 or mask_data.ndim != 2:
                    raise ValueError("mask data must be a 2-D uint8 array")
            if isinstance(node, Layer) and node.mask is not None:
                shape = (pixels if pixels is not None else node.pixels).shape[:2]
                mshape = (mask_data if mask_data is not None else node.mask.data).shape
                if shape != mshape:
                    raise ValueError("a layer's mask must be the size of the layer")
            self.new.append((node, pixels, None if offset is None else (int(offset[0]), int(offset[1])), mask_data))
            self.old.append((
                node,
                node.pixels if pixels is not None and isinstance(node, Layer) else None,
                node.offset if offset is not None else None,
                node.mask.data if mask_data is not None and node.mask is not None else None,
            ))

    def _apply(self, doc: Document, entries) -> None:
        for node, pixels, offset, mask_data in entries:
            before = node_rect(doc, node)
            if isinstance(node, Layer):
                if pixels is not None:
                    node.pixels = pixels
                if offset is not None:
                    node.x, node.y = offset
            if mask_data is not None and node.mask is not None:
                node.mask.data = mask_data
            kind = "pixels" if pixels is not None or offset is not None else "mask"
            doc.notify(kind, node, before.union(node_rect(doc, node)))

    def redo(self, doc: Document) -> None:
        self._apply(doc, self.new)

    def undo(self, doc: Document) -> None:
        self._apply(doc, self.old)

    def nbytes(self) -> int:
        total = 0
        for entries in (self.new, self.old):
            for _node, pixels, _offset, mask_data in entries:
                total += (pixels.nbytes if pixels is not None else 0) + (mask_data.nbytes if mask_data is not None else 0)
        return total

    def merge(self, newer: Command) -> bool:
        if not (isinstance(newer, ReplaceContent) and self.merge_key is not None and newer.merge_key == self.merge_key):
            return False
        if [e[0] for e in newer.new] != [e[0] for e in self.new]:
            return False
        if any((a[1] is None) != (b[1] is None) or (a[3] is None) != (b[3] is None) or (a[2] is None) != (b[2] is None)
               for a, b in zip(self.new, newer.new, strict=True)):
            return False
        self.new = newer.new
        return True
