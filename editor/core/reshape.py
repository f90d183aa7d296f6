"""One undo step that changes the canvas and every array framed by it (numpy only).

A document-level geometry change (crop, canvas size, image size, rotate, flip)
touches many arrays at once: every pixel layer and its mask, the document-sized
masks of fill layers and groups, the quick mask, the selection, the vector
paths, every layer offset and the canvas size. `Reshape` records all of that as
one command. Each array is changed by an `ArrayEdit` that keeps only what its
undo needs:

- `ExactEdit`: an exactly invertible rearrangement (quarter turns, flips):
  nothing is stored; undo applies the inverse.
- `ReframeEdit`: the array is cut and/or padded to a rectangle (crop, canvas
  size): only the cut-away strips are stored, so undoing a crop of a 24 MP
  document costs the cropped-away pixels, not the document.
- `SwapEdit`: a resampled array (image size, arbitrary rotation): the command
  keeps whichever of the old and new arrays is not in the document.

Arrays are always replaced, never written in place, so a structure-only
snapshot being saved on another thread keeps reading consistent data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .geometry import Rect
from .history import Command
from .layers import Layer, Node
from .mask import Mask
from .paths import Anchor, VectorPath

if TYPE_CHECKING:
    from .document import Document


# --- where an array lives ----------------------------------------------------------------

class Slot:
    """Read and replace one array of the document (a layer's pixels, a mask, the selection)."""

    def get(self, doc: Document) -> np.ndarray:
        raise NotImplementedError

    def set(self, doc: Document, array: np.ndarray) -> None:
        raise NotImplementedError


class PixelsSlot(Slot):
    def __init__(self, layer: Layer) -> None:
        self.layer = layer

    def get(self, doc: Document) -> np.ndarray:
        return self.layer.pixels

    def set(self, doc: Document, array: np.ndarray) -> None:
        self.layer.pixels = array


class MaskSlot(Slot):
    def __init__(self, mask: Mask) -> None:
        self.mask = mask

    def get(self, doc: Document) -> np.ndarray:
        return self.mask.data

    def set(self, doc: Document, array: np.ndarray) -> None:
        self.mask.data = array


class SelectionSlot(Slot):
    """The document's current Selection object's data (the same object throughout the step)."""

    def get(self, doc: Document) -> np.ndarray:
        assert doc.selection is not None
        return doc.selection.data

    def set(self, doc: Document, array: np.ndarray) -> None:
        assert doc.selection is not None
        doc.selection.data = array


# --- how an array changes ----------------------------------------------------------------

class ArrayEdit:
    def __init__(self, slot: Slot) -> None:
        self.slot = slot

    def forward(self, doc: Document) -> None:
        raise NotImplementedError

    def backward(self, doc: Document) -> None:
        raise NotImplementedError

    def nbytes(self) -> int:
        return 0


class ExactEdit(ArrayEdit):
    """`fwd` and `inv` are exact inverses of each other (np.rot90, flips); nothing is kept."""

    def __init__(self, slot: Slot, fwd: Callable[[np.ndarray], np.ndarray], inv: Callable[[np.ndarray], np.ndarray]) -> None:
        super().__init__(slot)
        self.fwd, self.inv = fwd, inv

    def forward(self, doc: Document) -> None:
        self.slot.set(doc, np.ascontiguousarray(self.fwd(self.slot.get(doc))))

    def backward(self, doc: Document) -> None:
        self.slot.set(doc, np.ascontiguousarray(self.inv(self.slot.get(doc))))


def _strips(shape: tuple[int, int], keep: Rect) -> list[Rect]:
    """Up to four rectangles covering `Rect(0, 0, w, h)` outside `keep` (which lies inside it)."""
    h, w = shape
    if keep.empty:
        return [Rect(0, 0, w, h)] if w and h else []
    out = [Rect(0, 0, w, keep.y), Rect(0, keep.bottom, w, h - keep.bottom),
           Rect(0, keep.y, keep.x, keep.h), Rect(keep.right, keep.y, w - keep.right, keep.h)]
    return [r for r in out if not r.empty]


class ReframeEdit(ArrayEdit):
    """The array becomes its content framed by `rect` (in the array's own coordinates).

    Where `rect` reaches past the array the new array holds `pad` (a scalar, or one
    value per channel); `paint` rectangles (new-array coordinates) are filled with their
    value first, under the old content, so they only colour what was padded. Forward keeps
    the cut-away strips; backward puts them back and drops them.
    """

    def __init__(self, slot: Slot, rect: Rect, pad: Any = 0, paint: list[tuple[Rect, Any]] | None = None) -> None:
        super().__init__(slot)
        if rect.empty:
            raise ValueError("cannot reframe an array to an empty rectangle")
        self.rect, self.pad, self.paint = rect, pad, paint or []
        self.old_shape: tuple[int, ...] | None = None
        self.kept: list[tuple[Rect, np.ndarray]] = []

    def forward(self, doc: Document) -> None:
        old = self.slot.get(doc)
        h, w = old.shape[:2]
        r = self.rect
        inside = r.intersect(Rect(0, 0, w, h))
        new = np.empty((r.h, r.w) + old.shape[2:], old.dtype)
        new[...] = self.pad
        for rect, value in self.paint:
            new[rect.intersect(Rect(0, 0, r.w, r.h)).slices()] = value
        if not inside.empty:
            new[inside.translated(-r.x, -r.y).slices()] = old[inside.slices()]
        self.old_shape = old.shape
        self.kept = [(s, old[s.slices()].copy()) for s in _strips((h, w), inside)]
        self.slot.set(doc, new)

    def backward(self, doc: Document) -> None:
        assert self.old_shape is not None
        new = self.slot.get(doc)
        h, w = self.old_shape[:2]
        r = self.rect
        inside = r.intersect(Rect(0, 0, w, h))
        old = np.empty(self.old_shape, new.dtype)
        if not inside.empty:
            old[inside.slices()] = new[inside.translated(-r.x, -r.y).slices()]
        for s, strip in self.kept:
            old[s.slices()] = strip
        self.kept = []
        self.slot.set(doc, old)

    def nbytes(self) -> int:
        return sum(a.nbytes for _, a in self.kept)


class SwapEdit(ArrayEdit):
    """The array is replaced by `new` (computed beforehand); the step keeps the one not shown."""

    def __init__(self, slot: Slot, new: np.ndarray) -> None:
        super().__init__(slot)
        self.other = new

    def _swap(self, doc: Document) -> None:
        current = self.slot.get(doc)
        self.slot.set(doc, self.other)
        self.other = current

    def forward(self, doc: Document) -> None:
        self._swap(doc)

    def backward(self, doc: Document) -> None:
        self._swap(doc)

    def nbytes(self) -> int:
        return self.other.nbytes


# --- the step ----------------------------------------------------------------------------

class Reshape(Command):
    """A whole-document geometry change as one undo step.

    `size`: the canvas (width, height) after the step. `edits`: the array edits, applied
    in order (undone in reverse). `offsets`: {layer: (x, y) after}. `paths`: {path: anchors
    after}. `properties`: {node: {name: value after}} for settings in document coordinates (a
    gradient fill's box and angle). The values before are read when the command is made, so
    make it on the document as it is, then `doc.execute` it.
    """

    def __init__(self, doc: Document, label: str, size: tuple[int, int], edits: list[ArrayEdit],
                 offsets: dict[Layer, tuple[int, int]] | None = None,
                 paths: dict[VectorPath, tuple[Anchor, ...]] | None = None,
                 properties: dict[Node, dict[str, Any]] | None = None) -> None:
        self.label = label
        self.sizes = ((doc.width, doc.height), (int(size[0]), int(size[1])))
        if min(self.sizes[1]) < 1:
            raise ValueError(f"canvas size {size[0]}x{size[1]} is out of range")
        self.edits = edits
        self.offsets = [(layer, layer.offset, (int(o[0]), int(o[1]))) for layer, o in (offsets or {}).items()]
        self.paths = [(path, path.anchors, tuple(anchors)) for path, anchors in (paths or {}).items()]
        self.properties = [(node, {k: getattr(node, k) for k in values}, dict(values))
                           for node, values in (properties or {}).items()]

    def _finish(self, doc: Document, which: int, old_canvas: Rect) -> None:
        doc.width, doc.height = self.sizes[which]
        for layer, *xy in self.offsets:
            layer.x, layer.y = xy[which]
        for path, *anchors in self.paths:
            path.anchors = anchors[which]
        for node, *values in self.properties:
            for key, value in values[which].items():
                setattr(node, key, value)
        rect = old_canvas.union(doc.canvas)
        doc.notify("document", None, rect)
        doc.notify("selection", None, doc.canvas)
        if self.paths:
            doc.notify("paths", None, doc.canvas)

    def redo(self, doc: Document) -> None:
        old = doc.canvas
        for edit in self.edits:
            edit.forward(doc)
        self._finish(doc, 1, old)

    def undo(self, doc: Document) -> None:
        old = doc.canvas
        for edit in reversed(self.edits):
            edit.backward(doc)
        self._finish(doc, 0, old)

    def nbytes(self) -> int:
        return sum(edit.nbytes() for edit in self.edits)
