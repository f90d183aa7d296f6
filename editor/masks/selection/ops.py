"""Selection operations on a document, each one undo step (core.commands.SetSelection).

`mode` combines the new shape with the current selection: "replace", "add"
(Shift), "subtract" (Alt) or "intersect" (Shift+Alt), softly (max, clamp,
min; core.selection.Selection.combine). No selection counts as nothing
selected, so subtracting from or intersecting with it leaves nothing. An
empty result is stored as no selection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from editor.core import (
    Command,
    Document,
    Layer,
    Macro,
    Mask,
    Node,
    Rect,
    Selection,
    SetMask,
    SetSelection,
)
from editor.core.ops import add_mask, mask_extent, selection_in
from editor.core.paths import VectorPath
from editor.core.reshape import Reshape

from . import modify
from .shapes import cubic_points, ellipse_coverage, polygons_coverage, rect_coverage
from .wand import DEFAULT_TOLERANCE, magic_wand

MODES = ("replace", "add", "subtract", "intersect")


def combined(doc: Document, data: np.ndarray, mode: str) -> Selection | None:
    """What the selection would be after combining `data` in `mode` (nothing is changed)."""
    if mode not in MODES:
        raise ValueError(f"unknown selection mode {mode!r}; expected one of {', '.join(MODES)}")
    current = doc.selection
    if mode == "replace" or (mode == "add" and current is None):
        result = data
    elif current is None:
        return None
    else:
        result = current.combine(Selection(data), mode).data
    return Selection(result) if result.any() else None


def select(doc: Document, data: np.ndarray, mode: str = "replace", label: str = "Select") -> Selection | None:
    """Combine document-sized selection data into the selection as one undo step."""
    if data.shape != (doc.height, doc.width):
        raise ValueError("selection data must be the size of the canvas")
    new = combined(doc, data, mode)
    if new is None and doc.selection is None:
        return None
    doc.execute(SetSelection(new, label))
    return new


# --- Select menu -----------------------------------------------------------

def select_all(doc: Document) -> None:
    doc.execute(SetSelection(Selection.all(doc.width, doc.height), "Select all"))


def select_none(doc: Document) -> None:
    if doc.selection is not None:
        doc.execute(SetSelection(None, "Deselect"))


def _applied_newest_first(commands: Sequence[Command]):
    for cmd in reversed(commands):
        if isinstance(cmd, Macro):
            yield from _applied_newest_first(cmd.commands)
        else:
            yield cmd


def reselect(doc: Document) -> bool:
    """Select > Reselect: bring back what the last Deselect took away, as Photoshop does.

    Read from the undo list, so nothing extra is kept: the newest applied selection change
    must have been a deselect, and no geometry step (crop, resize, rotate) may come after it,
    since the old selection would no longer fit the canvas. False when there is none.
    """
    for cmd in _applied_newest_first(doc.history.steps[: doc.history.index]):
        if isinstance(cmd, Reshape):
            return False
        if isinstance(cmd, SetSelection):
            if cmd.selection is not None or cmd.old is None or cmd.old.data.shape != (doc.height, doc.width):
                return False
            doc.execute(SetSelection(cmd.old, "Reselect"))
            return True
    return False


def select_inverse(doc: Document) -> None:
    current = doc.selection
    new = Selection.all(doc.width, doc.height) if current is None else current.inverted()
    doc.execute(SetSelection(new if new.data.any() else None, "Select inverse"))


def _modify(doc: Document, fn: Callable[[np.ndarray, float], np.ndarray], amount: float, label: str) -> None:
    if doc.selection is None or amount <= 0:
        return
    data = fn(doc.selection.data, amount)
    doc.execute(SetSelection(Selection(data) if data.any() else None, label))


def grow(doc: Document, radius: int) -> None:
    _modify(doc, modify.grow, int(radius), f"Grow selection by {int(radius)} px")


def shrink(doc: Document, radius: int) -> None:
    _modify(doc, modify.shrink, int(radius), f"Shrink selection by {int(radius)} px")


def feather(doc: Document, radius: float) -> None:
    _modify(doc, modify.feather, float(radius), f"Feather selection by {radius:g} px")


def border(doc: Document, width: int) -> None:
    _modify(doc, modify.border, int(width), f"Border selection {int(width)} px")


def smooth(doc: Document, radius: int) -> None:
    _modify(doc, modify.smooth, int(radius), f"Smooth selection {int(radius)} px")


# --- shapes ------------------------------------------------------------------

def select_rect(doc: Document, x0: float, y0: float, x1: float, y1: float, mode: str = "replace", *, antialias: bool = True) -> Selection | None:
    return select(doc, rect_coverage(doc.width, doc.height, x0, y0, x1, y1, antialias=antialias), mode, "Rectangle select")


def select_ellipse(doc: Document, x0: float, y0: float, x1: float, y1: float, mode: str = "replace", *, antialias: bool = True) -> Selection | None:
    return select(doc, ellipse_coverage(doc.width, doc.height, x0, y0, x1, y1, antialias=antialias), mode, "Ellipse select")


def select_polygon(doc: Document, points: Sequence[tuple[float, float]] | np.ndarray, mode: str = "replace", *, antialias: bool = True, label: str = "Lasso select") -> Selection | None:
    return select(doc, polygons_coverage(doc.width, doc.height, [np.asarray(points, np.float64)], antialias=antialias), mode, label)


def path_polygon(path: VectorPath) -> np.ndarray:
    """A path flattened to a polygon; an open path closes with a straight line, as in Photoshop."""
    segments = path.segments()
    if not segments:
        return np.array([a.point for a in path.anchors], np.float64).reshape(-1, 2)
    pts = [cubic_points(*seg) for seg in segments]
    if not path.closed:
        pts.append(np.array([path.anchors[-1].point], np.float64))
    return np.concatenate(pts)


def path_coverage(doc: Document, path: VectorPath, *, antialias: bool = True) -> np.ndarray:
    return polygons_coverage(doc.width, doc.height, [path_polygon(path)], antialias=antialias)


def select_path(doc: Document, path: VectorPath, mode: str = "replace", *, antialias: bool = True) -> Selection | None:
    return select(doc, path_coverage(doc, path, antialias=antialias), mode, "Path to selection")


def path_to_mask(doc: Document, path: VectorPath, node: Node, *, antialias: bool = True) -> Mask:
    """Give `node` a mask showing the inside of the path (replacing any mask), one undo step."""
    extent = mask_extent(doc, node)
    coverage = path_coverage(doc, path, antialias=antialias)
    data = _crop(coverage, extent)
    mask = node.mask.copy() if node.mask is not None else Mask(data)
    mask.data = data
    doc.execute(SetMask(node, mask, "Path to mask"))
    doc.set_active(node, edit_mask=True)
    return mask


# --- magic wand -----------------------------------------------------------------

def sample_image(doc: Document, *, merged: bool) -> np.ndarray | None:
    """What the wand looks at, document-sized straight RGBA: the merged image or the active layer."""
    if merged:
        from editor.render import flatten_rgba

        return flatten_rgba(doc)
    return layer_on_canvas(doc, doc.active)


def layer_on_canvas(doc: Document, layer) -> np.ndarray | None:
    """A layer's pixels as a document-sized straight RGBA image: the array itself when the layer
    covers the canvas, else a placed copy; None for a node without pixels."""
    if not isinstance(layer, Layer):
        return None
    if layer.offset == (0, 0) and layer.pixels.shape[:2] == (doc.height, doc.width):
        return layer.pixels
    return place_on_canvas(layer.pixels, layer.bounds(), doc.canvas)


def wand_select(
    doc: Document,
    x: float,
    y: float,
    mode: str = "replace",
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    contiguous: bool = True,
    sample_merged: bool = False,
    antialias: bool = True,
    sample: np.ndarray | None = None,
) -> Selection | None:
    """A magic wand click at document point (x, y). `sample` is a cached `sample_image`."""
    image = sample if sample is not None else sample_image(doc, merged=sample_merged)
    if image is None:
        return doc.selection
    data = magic_wand(image, int(np.floor(x)), int(np.floor(y)), tolerance=tolerance, contiguous=contiguous, antialias=antialias)
    return select(doc, data, mode, "Magic wand")


# --- selections and masks ---------------------------------------------------------

def place_on_canvas(array: np.ndarray, where: Rect, canvas: Rect) -> np.ndarray:
    """`array` positioned at `where`, on a zero canvas."""
    out = np.zeros((canvas.h, canvas.w, *array.shape[2:]), array.dtype)
    inside = where.intersect(canvas)
    if not inside.empty:
        out[inside.slices()] = array[inside.translated(-where.x, -where.y).slices()]
    return out


def _crop(data: np.ndarray, rect: Rect) -> np.ndarray:
    """Document-sized data cropped to `rect` (zeros outside the canvas)."""
    h, w = data.shape
    out = np.zeros((rect.h, rect.w), np.uint8)
    inside = rect.intersect(Rect(0, 0, w, h))
    if not inside.empty:
        out[inside.translated(-rect.x, -rect.y).slices()] = data[inside.slices()]
    return out


def effective_mask(mask: Mask) -> np.ndarray:
    """The mask as it acts (inversion applied), the way Photoshop's Ctrl+click loads it."""
    return 255 - mask.data if mask.inverted else mask.data


def load_mask_as_selection(doc: Document, node: Node, mode: str = "replace") -> Selection | None:
    if node.mask is None:
        raise ValueError(f"{node.name} has no mask")
    data = place_on_canvas(effective_mask(node.mask), mask_extent(doc, node), doc.canvas)
    return select(doc, data, mode, "Mask to selection")


def load_alpha_as_selection(doc: Document, layer: Node, mode: str = "replace") -> Selection | None:
    if not isinstance(layer, Layer):
        raise ValueError("only a pixel layer has alpha")
    data = place_on_canvas(layer.pixels[..., 3], layer.bounds(), doc.canvas)
    return select(doc, data, mode, "Alpha to selection")


def save_selection_to_mask(doc: Document, node: Node) -> Mask:
    """Write the selection into the node's mask (made if missing, settings kept), one undo step."""
    extent = mask_extent(doc, node)
    data = selection_in(doc, extent)
    if node.mask is not None:
        mask = node.mask.copy()
        mask.data, mask.inverted = data, False
    else:
        mask = Mask(data)
    doc.execute(SetMask(node, mask, "Save selection to mask"))
    return mask


def mask_from_selection(doc: Document, node: Node, *, hide: bool = False) -> Mask:
    """Layer > Mask > From selection: reveal (or hide) the selection."""
    return add_mask(doc, node, "selection", inverted_data=hide)
