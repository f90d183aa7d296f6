"""Cut, Copy, Copy Merged, Paste, Paste in Place, Paste Into, Layer via Copy and Layer via Cut (no Qt).

A `Clip` is what Copy keeps: straight RGBA pixels, where their top-left corner was on the
canvas, and which document they came from. The Qt side (editor.ui.clipboard) keeps one
for the whole application and mirrors it on the system clipboard; an image that another
program put there becomes a `Clip` with no origin.

What is copied follows Photoshop:
- Copy takes the active layer's pixels, or its mask as grey while the mask is being
  edited, inside the selection's bounds; a soft selection becomes alpha, so a feathered
  selection copies a feathered edge. With no selection, the layer (within the canvas).
- Copy Merged takes the composite instead of one layer.
- Paste makes a new layer above the active one where the pixels came from when they came
  from this document, else centred on the point the caller gives (the view's centre).
  Paste in Place always keeps the source position when there is one.
- Paste Into makes a new layer whose mask is the selection (unlinked, so the pasted
  pixels move under it), and drops the selection.
- Layer via Copy (Ctrl+J) puts the selected pixels on a new layer in place; Layer via Cut
  (Shift+Ctrl+J) also clears them from the source (transparent, or black on a mask).

Each command is one undo step.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np

from editor.core import (
    Command,
    Document,
    FillLayer,
    GradientFillLayer,
    InsertNode,
    Layer,
    Macro,
    Mask,
    Node,
    Rect,
    SetSelection,
)
from editor.core.ops import _unique_name, place_new, selection_in

from .compositor import render_float
from .pixels import straight_rgba


class ClipboardError(ValueError):
    """Nothing to copy or paste; the message is for the user."""


@dataclass(eq=False)
class Clip:
    pixels: np.ndarray  # (h, w, 4) uint8 straight RGBA
    origin: tuple[int, int] | None = None  # where its top-left pixel was on the source canvas
    from_mask: bool = False  # grey copied from a mask
    _source: weakref.ref | None = field(default=None, repr=False)

    @classmethod
    def of(cls, doc: Document, pixels: np.ndarray, origin: tuple[int, int], *, from_mask: bool = False) -> Clip:
        return cls(pixels, (int(origin[0]), int(origin[1])), from_mask, weakref.ref(doc))

    @property
    def size(self) -> tuple[int, int]:
        return self.pixels.shape[1], self.pixels.shape[0]

    def came_from(self, doc: Document) -> bool:
        return self._source is not None and self._source() is doc


# --- copying --------------------------------------------------------------------------

def copy_rect(doc: Document, node: Node | None = None, *, merged: bool = False) -> Rect:
    """The document rect a copy takes: the selection's bounds within what the source covers."""
    if merged:
        extent = doc.canvas
    else:
        if node is None:
            raise ClipboardError("Select a layer to copy from.")
        extent = node.bounds(doc.canvas).intersect(doc.canvas)
    if doc.selection is None:
        return extent
    bounds = doc.selection.bounds()
    return Rect(0, 0, 0, 0) if bounds is None else bounds.intersect(extent)


def _source_pixels(doc: Document, node: Node, rect: Rect, *, mask: bool) -> np.ndarray:
    """Straight RGBA of `node` over the document rect `rect` (inside the node)."""
    if mask:
        assert node.mask is not None
        ox, oy = node.offset
        grey = node.mask.data[rect.translated(-ox, -oy).slices()]
        if node.mask.inverted:
            grey = 255 - grey
        out = np.empty((rect.h, rect.w, 4), np.uint8)
        out[..., :3] = grey[..., None]
        out[..., 3] = 255
        return out
    if isinstance(node, Layer):
        return node.pixels[rect.translated(-node.x, -node.y).slices()].copy()
    if isinstance(node, FillLayer):
        return node.pixels_for(rect)
    if isinstance(node, GradientFillLayer):
        from editor.paint.gradient_fill import fill_pixels  # paint imports render: bound late

        return fill_pixels(node.gradient, rect, doc.canvas)
    raise ClipboardError(f"“{node.name}” has no pixels to copy; use Copy Merged, or edit its mask.")


def _apply_selection(doc: Document, rgba: np.ndarray, rect: Rect) -> np.ndarray:
    """Multiply alpha by the selection's coverage over `rect` (a soft selection copies a soft edge)."""
    if doc.selection is not None:
        coverage = selection_in(doc, rect).astype(np.uint16)
        rgba[..., 3] = ((rgba[..., 3].astype(np.uint16) * coverage + 127) // 255).astype(np.uint8)
        rgba[rgba[..., 3] == 0] = 0  # no colour left under fully cut-away pixels
    return rgba


def copy(doc: Document, *, merged: bool = False) -> Clip:
    """Copy (Ctrl+C) or Copy Merged (Shift+Ctrl+C); ClipboardError when there is nothing to copy."""
    node = doc.active
    from_mask = not merged and doc.edit_mask and node is not None and node.mask is not None
    rect = copy_rect(doc, node, merged=merged)
    if rect.empty:
        raise ClipboardError("The selected area is empty." if doc.selection is not None else "Nothing to copy.")
    if merged:
        rgba = straight_rgba(render_float(doc, rect))
    else:
        assert node is not None
        rgba = _source_pixels(doc, node, rect, mask=from_mask)
    rgba = _apply_selection(doc, rgba, rect)
    if not rgba[..., 3].any():
        raise ClipboardError("The selected area is empty." if doc.selection is not None else "Nothing to copy: the layer is empty.")
    return Clip.of(doc, rgba, (rect.x, rect.y), from_mask=from_mask)


def _clear_command(doc: Document, label: str) -> Command | None:
    """Clear the selection (the whole layer without one) on what the tools paint, as an unrecorded
    command already applied: transparent pixels, black on a mask; PaintRefused when locked."""
    from editor.paint import PaintTarget

    target = PaintTarget.current(doc)
    target.clear()
    return target.take(label)


def cut(doc: Document) -> Clip:
    """Cut (Ctrl+X): copy, then clear what was copied, as one undo step."""
    clip = copy(doc)
    cmd = _clear_command(doc, "Cut")
    if cmd is not None:
        doc.record(cmd, mergeable=False)
    return clip


# --- pasting ---------------------------------------------------------------------------

def paste_position(doc: Document, clip: Clip, *, in_place: bool = False, centre: tuple[float, float] | None = None) -> tuple[int, int]:
    """Where a pasted clip's top-left goes: its source position when it came from this document
    (or always, with in_place, when it has one), else centred on `centre` (the canvas centre by default)."""
    if clip.origin is not None and (in_place or clip.came_from(doc)):
        return clip.origin
    cx, cy = centre if centre is not None else (doc.width / 2, doc.height / 2)
    w, h = clip.size
    return int(round(cx - w / 2)), int(round(cy - h / 2))


def paste(doc: Document, clip: Clip, *, in_place: bool = False, centre: tuple[float, float] | None = None,
          name: str | None = None) -> Layer:
    """Paste (Ctrl+V) / Paste in Place (Shift+Ctrl+V): a new layer above the active one, one undo step."""
    layer = Layer(name or _unique_name(doc, "Pasted layer"), clip.pixels.copy(),
                  offset=paste_position(doc, clip, in_place=in_place, centre=centre))
    parent, index = place_new(doc, layer)
    doc.execute(InsertNode(parent, index, layer, "Paste in place" if in_place else "Paste"))
    _pixels_active(doc, layer)
    return layer


def paste_into(doc: Document, clip: Clip, *, name: str | None = None) -> Layer:
    """Paste Into (Alt+Shift+Ctrl+V): a new layer masked by the selection, one undo step.

    The pixels keep their source position when they came from this document, else they
    are centred on the selection. The layer spans the canvas (and the pasted pixels), so
    its mask is the whole selection, unlinked as in Photoshop: the Move tool slides the
    pixels under the mask. The selection becomes the mask, so it is dropped.
    """
    sel = doc.selection
    if sel is None or sel.bounds() is None:
        raise ClipboardError("Paste Into needs a selection to paste into.")
    bounds = sel.bounds()
    assert bounds is not None
    centre = (bounds.x + bounds.w / 2, bounds.y + bounds.h / 2)
    x, y = paste_position(doc, clip, centre=centre)
    w, h = clip.size
    where = Rect(x, y, w, h)
    extent = doc.canvas.union(where)
    pixels = np.zeros((extent.h, extent.w, 4), np.uint8)
    pixels[where.translated(-extent.x, -extent.y).slices()] = clip.pixels
    mask = Mask(selection_in(doc, extent), linked=False)
    layer = Layer(name or _unique_name(doc, "Pasted layer"), pixels, offset=(extent.x, extent.y), mask=mask)
    parent, index = place_new(doc, layer)
    doc.execute(Macro("Paste into", [InsertNode(parent, index, layer), SetSelection(None)]))
    _pixels_active(doc, layer)
    return layer


# --- Layer via Copy / Cut ----------------------------------------------------------------

def layer_via_copy(doc: Document) -> Layer:
    """Layer via Copy (Ctrl+J) with a selection: its pixels on a new layer in place, one undo step.

    Without a selection the caller duplicates the layer instead (as Photoshop does).
    """
    return _layer_via(doc, cut=False)


def layer_via_cut(doc: Document) -> Layer:
    """Layer via Cut (Shift+Ctrl+J): the selected pixels move to a new layer in place, one undo step."""
    return _layer_via(doc, cut=True)


def _layer_via(doc: Document, *, cut: bool) -> Layer:
    clip = copy(doc)
    source = doc.active
    assert source is not None
    cmds: list[Command] = []
    if cut:
        clear = _clear_command(doc, "Clear")  # already applied
        if clear is not None:
            cmds.append(clear)
    assert clip.origin is not None
    layer = Layer(_unique_name(doc, "Layer"), clip.pixels, offset=clip.origin)
    parent, index = place_new(doc, layer)
    rest: list[Command] = [InsertNode(parent, index, layer)]
    if doc.selection is not None:
        rest.append(SetSelection(None))
    for cmd in rest:
        cmd.redo(doc)
    doc.record(Macro("Layer via cut" if cut else "Layer via copy", cmds + rest), mergeable=False)
    _pixels_active(doc, layer)
    return layer


def _pixels_active(doc: Document, layer: Layer) -> None:
    """A new layer is active with its pixels (not its mask) edited, as after any new layer."""
    doc.set_active(layer, edit_mask=False)
