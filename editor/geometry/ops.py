"""Document geometry: crop, trim, reveal all, image size, canvas size, rotate and flip.

Geometry API. Every public function here takes a `Document`, changes it as ONE
undo step (a `editor.core.reshape.Reshape` command, which undoes bit for bit)
and returns that command, or None when there was nothing to change (no step is
recorded then). Nothing is left behind: every pixel layer (anywhere in the tree)
moves or is resampled with its offset and its mask; the document-sized masks of
fill layers and groups, the quick mask and the selection are cut, padded or
resampled with the canvas; vector paths follow; the canvas size changes.
Coordinates are document pixels, origin top left, x right, y down; rectangles are
`editor.core.Rect(x, y, w, h)` (a 4-tuple works too). Resampling names are
`RESAMPLE` = nearest, bilinear, bicubic, lanczos, area. Each `X(doc, ...)` has an
`X_command(doc, ...)` twin that does the work (the slow resampling included)
without touching the document and returns the unapplied command (or None); the
window runs it in a worker and executes the result with `doc.execute(cmd)`.
The menus, `veil convert` and batch recipes all call these functions.
Bad arguments raise ValueError with a sentence saying why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from editor.core import Document, GradientFillLayer, Layer, Node, Rect
from editor.core.document import MAX_CANVAS_SIDE
from editor.core.paths import Anchor, VectorPath
from editor.core.reshape import (
    ArrayEdit,
    ExactEdit,
    MaskSlot,
    PixelsSlot,
    ReframeEdit,
    Reshape,
    SelectionSlot,
    Slot,
    SwapEdit,
)

from .resample import RESAMPLE, check_method, resize_gray, resize_rgba, warp_gray, warp_rgba

ANCHORS = ("top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom", "bottom-right")
TRIM_BASES = ("transparent", "top_left_color")
TRIM_SIDES = ("top", "bottom", "left", "right")
Progress = Callable[[float], None] | None

# Values that fill what a canvas-framed array gains when the canvas grows (and the corners
# an arbitrary rotation adds): a fill layer's or group's mask shows there (255), the
# selection and the quick mask select nothing (0).
SHOW, NOTHING = 255, 0

__all__ = [
    "ANCHORS", "RESAMPLE", "TRIM_BASES", "TRIM_SIDES", "anchor_offset", "crop", "crop_command", "crop_to_selection",
    "crop_to_selection_command", "flip_canvas", "flip_canvas_command", "resize_canvas", "resize_canvas_command",
    "resize_image", "resize_image_command", "reveal_all", "reveal_all_command", "rotate_canvas",
    "rotate_canvas_command", "trim", "trim_command", "trim_rect",
]


# --- what a document holds -----------------------------------------------------------------

def _pixel_layers(doc: Document) -> list[Layer]:
    return [n for n in doc.nodes() if isinstance(n, Layer)]


def _canvas_arrays(doc: Document) -> Iterator[tuple[Slot, int]]:
    """Every canvas-sized array with the value it is padded with: fill and group masks,
    the quick mask, the selection."""
    for node in doc.nodes():
        if not isinstance(node, Layer) and node.mask is not None:
            yield MaskSlot(node.mask), SHOW
    if doc.quick_mask is not None and doc.quick_mask.mask is not None:
        yield MaskSlot(doc.quick_mask.mask), NOTHING
    if doc.selection is not None:
        yield SelectionSlot(), NOTHING


def _map_paths(doc: Document, f: Callable[[float, float], tuple[float, float]]) -> dict[VectorPath, tuple[Anchor, ...]]:
    def p(pt: tuple[float, float]) -> tuple[float, float]:
        return f(float(pt[0]), float(pt[1]))

    return {path: tuple(Anchor(p(a.point), p(a.handle_in), p(a.handle_out)) for a in path.anchors)
            for path in doc.paths}


def _map_fills(doc: Document, f: Callable[[float, float], tuple[float, float]],
               size: tuple[int, int]) -> dict[Node, dict[str, Any]]:
    """The settings every gradient fill layer has after the point map `f` (its box and angle are
    in document coordinates: they follow the image as paths do)."""
    from editor.paint.gradient_fill import mapped

    new_canvas = Rect(0, 0, int(size[0]), int(size[1]))
    return {node: {"gradient": mapped(node.gradient, doc.canvas, f, new_canvas)}
            for node in doc.nodes() if isinstance(node, GradientFillLayer)}


def _check_size(w: int, h: int, what: str = "canvas") -> tuple[int, int]:
    if int(w) != w or int(h) != h:
        raise ValueError(f"the {what} size must be whole pixels, not {w}x{h}")
    w, h = int(w), int(h)
    if not (0 < w <= MAX_CANVAS_SIDE and 0 < h <= MAX_CANVAS_SIDE):
        raise ValueError(f"a {what} of {w}x{h} px is out of range (1 to {MAX_CANVAS_SIDE} px a side)")
    return w, h


def _execute(doc: Document, cmd: Reshape | None) -> Reshape | None:
    if cmd is not None:
        doc.execute(cmd, mergeable=False)
    return cmd


# --- crop, reveal all, canvas size: reframing -------------------------------------------------

def _reframe_command(doc: Document, rect: Rect, label: str, *, delete_pixels: bool,
                     fill: tuple[int, int, int, int] | None = None) -> Reshape | None:
    """The canvas becomes `rect` (in current document coordinates).

    delete_pixels: pixel layers are cut to the new canvas (else they keep every pixel and
    only move). fill: the bottom layer of the stack, when it is a pixel layer, grows to cover
    the new canvas and what the canvas gained is painted with this straight RGBA colour
    (Photoshop's Background layer and canvas extension colour).
    """
    rect = Rect(*(int(v) for v in rect))
    _check_size(rect.w, rect.h)
    if rect == doc.canvas:
        return None
    edits: list[ArrayEdit] = []
    offsets: dict[Layer, tuple[int, int]] = {}
    bottom = doc.root.children[0] if doc.root.children and isinstance(doc.root.children[0], Layer) else None
    for layer in _pixel_layers(doc):
        bounds = layer.bounds()
        frame: Rect | None = None  # the layer's new extent, in current document coordinates
        paint: list[tuple[Rect, object]] = []
        if layer is bottom and fill is not None:
            frame = bounds.union(rect) if not delete_pixels else rect
            # what the canvas gained, in the layer's new array coordinates
            for strip in _strips_outside(rect, doc.canvas):
                paint.append((strip.translated(-frame.x, -frame.y), tuple(int(c) for c in fill)))
        elif delete_pixels:
            keep = bounds.intersect(rect)
            frame = keep if not keep.empty else Rect(rect.x, rect.y, 1, 1)  # a layer wholly outside: 1 px, clear
        if frame is not None and frame != bounds:
            local = frame.translated(-layer.x, -layer.y)
            edits.append(ReframeEdit(PixelsSlot(layer), local, 0, paint))
            if layer.mask is not None:
                edits.append(ReframeEdit(MaskSlot(layer.mask), local, SHOW))
            offsets[layer] = (frame.x - rect.x, frame.y - rect.y)
        else:
            offsets[layer] = (layer.x - rect.x, layer.y - rect.y)
    for slot, pad in _canvas_arrays(doc):
        edits.append(ReframeEdit(slot, rect, pad))
    def moved(x: float, y: float) -> tuple[float, float]:
        return x - rect.x, y - rect.y

    return Reshape(doc, label, (rect.w, rect.h), edits, offsets, _map_paths(doc, moved),
                   _map_fills(doc, moved, (rect.w, rect.h)))


def _strips_outside(rect: Rect, inner: Rect) -> list[Rect]:
    """The parts of `rect` outside `inner` (up to four rectangles, document coordinates)."""
    keep = rect.intersect(inner)
    if keep.empty:
        return [rect]
    out = [Rect.from_bounds(rect.x, rect.y, rect.right, keep.y),
           Rect.from_bounds(rect.x, keep.bottom, rect.right, rect.bottom),
           Rect.from_bounds(rect.x, keep.y, keep.x, keep.bottom),
           Rect.from_bounds(keep.right, keep.y, rect.right, keep.bottom)]
    return [r for r in out if not r.empty]


def crop_command(doc: Document, rect: Rect | tuple[int, int, int, int], *, delete_pixels: bool = True) -> Reshape | None:
    """See `crop`."""
    return _reframe_command(doc, Rect(*rect), "Crop", delete_pixels=delete_pixels)


def crop(doc: Document, rect: Rect | tuple[int, int, int, int], *, delete_pixels: bool = True) -> Reshape | None:
    """Crop the canvas to `rect` = (x, y, w, h) in document pixels; one undo step.

    The rectangle may reach past the canvas (the canvas then grows there, transparent).
    delete_pixels=True (the default) cuts every pixel layer and its mask to the new canvas;
    undo then keeps only the cut-away pixels. delete_pixels=False is Photoshop's crop with
    "Delete Cropped Pixels" off: layers only move and keep their pixels outside the canvas,
    so `reveal_all` brings them back. Fill and group masks, the quick mask and the selection
    are always cut to the canvas (they are canvas-sized). Returns None when `rect` is the
    canvas already. Raises ValueError for an empty or oversized rectangle.
    """
    return _execute(doc, crop_command(doc, rect, delete_pixels=delete_pixels))


def reveal_all_command(doc: Document) -> Reshape | None:
    """See `reveal_all`."""
    rect = doc.canvas
    for layer in _pixel_layers(doc):
        rect = rect.union(layer.bounds())
    return _reframe_command(doc, rect, "Reveal all", delete_pixels=False)


def reveal_all(doc: Document) -> Reshape | None:
    """Grow the canvas to hold every pixel layer whole (Photoshop's Image > Reveal All).

    Content shifts right/down by however far layers reached past the top/left edge; canvas-
    sized masks and the selection gain padding (masks show, the selection selects nothing).
    Returns None when every layer already lies inside the canvas.
    """
    return _execute(doc, reveal_all_command(doc))


def anchor_offset(anchor: str, old: tuple[int, int], new: tuple[int, int]) -> tuple[int, int]:
    """Where the old canvas's top-left lands in a `new`-sized canvas for a 3x3 `anchor` name
    (see ANCHORS; 'center' rounds down, as Photoshop does)."""
    if anchor not in ANCHORS:
        raise ValueError(f"unknown anchor {anchor!r}; expected one of {', '.join(ANCHORS)}")
    col = 0 if anchor.endswith("left") else 2 if anchor.endswith("right") else 1
    row = 0 if anchor.startswith("top") else 2 if anchor.startswith("bottom") else 1
    return ((new[0] - old[0]) * col // 2, (new[1] - old[1]) * row // 2)


def resize_canvas_command(doc: Document, width: int, height: int, anchor: str = "center",
                          fill: tuple[int, ...] | None = None) -> Reshape | None:
    """See `resize_canvas`."""
    width, height = _check_size(width, height)
    dx, dy = anchor_offset(anchor, (doc.width, doc.height), (width, height))
    colour = None if fill is None else _rgba(fill)
    return _reframe_command(doc, Rect(-dx, -dy, width, height), "Canvas size", delete_pixels=False, fill=colour)


def resize_canvas(doc: Document, width: int, height: int, anchor: str = "center",
                  fill: tuple[int, ...] | None = None) -> Reshape | None:
    """Image > Canvas Size: make the canvas `width` x `height` px without resampling; one step.

    `anchor` (one of ANCHORS: 'top-left' ... 'center' ... 'bottom-right') is where the old
    picture sits in the new canvas. Layers move and keep all their pixels (a smaller canvas
    hides, never deletes, as Photoshop does for layers). `fill`: None leaves what the canvas
    gains transparent; an (r, g, b) or (r, g, b, a) colour paints it into the bottom layer of
    the stack when that is a pixel layer (Photoshop's Background layer), which then covers
    the whole new canvas. Returns None when nothing changes.
    """
    return _execute(doc, resize_canvas_command(doc, width, height, anchor, fill))


def _rgba(colour: tuple[int, ...]) -> tuple[int, int, int, int]:
    c = tuple(int(v) for v in colour)
    if len(c) == 3:
        c = (*c, 255)
    if len(c) != 4 or not all(0 <= v <= 255 for v in c):
        raise ValueError(f"a colour is (r, g, b) or (r, g, b, a) in 0..255, not {colour!r}")
    return c  # type: ignore[return-value]


def trim_rect(doc: Document, based_on: str = "transparent") -> Rect | None:
    """The rectangle `trim` would keep: the bounds of the composite's pixels that are not
    fully transparent ('transparent') or not exactly the top-left pixel's colour
    ('top_left_color'); None when no pixel qualifies."""
    if based_on not in TRIM_BASES:
        raise ValueError(f"trim is based on one of {', '.join(TRIM_BASES)}, not {based_on!r}")
    from editor.render import render  # the composite, as the user sees it

    bgra = render(doc, doc.canvas)
    keep = bgra[..., 3] > 0 if based_on == "transparent" else (bgra != bgra[0, 0]).any(axis=2)
    rows = np.flatnonzero(keep.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(keep.any(axis=0))
    return Rect.from_bounds(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)


def trim_command(doc: Document, based_on: str = "transparent", *, delete_pixels: bool = True,
                 sides: tuple[str, ...] = TRIM_SIDES) -> Reshape | None:
    """See `trim`."""
    bad = [s for s in sides if s not in TRIM_SIDES]
    if bad:
        raise ValueError(f"trim sides are {', '.join(TRIM_SIDES)}, not {', '.join(map(repr, bad))}")
    rect = trim_rect(doc, based_on)
    if rect is None:
        return None
    x0 = rect.x if "left" in sides else 0
    y0 = rect.y if "top" in sides else 0
    x1 = rect.right if "right" in sides else doc.width
    y1 = rect.bottom if "bottom" in sides else doc.height
    return _reframe_command(doc, Rect.from_bounds(x0, y0, x1, y1), "Trim", delete_pixels=delete_pixels)


def trim(doc: Document, based_on: str = "transparent", *, delete_pixels: bool = True,
         sides: tuple[str, ...] = TRIM_SIDES) -> Reshape | None:
    """Image > Trim: crop away the borders of the composite that are fully transparent
    (based_on='transparent') or exactly the colour of the top-left pixel ('top_left_color').

    `sides` picks which borders go (Photoshop's Trim Away boxes; all four by default).
    Cuts pixel layers to the result unless delete_pixels=False. Returns None when there is
    nothing to trim, including a composite that is all transparent or all one colour.
    """
    return _execute(doc, trim_command(doc, based_on, delete_pixels=delete_pixels, sides=sides))


def crop_to_selection_command(doc: Document, *, delete_pixels: bool = True) -> Reshape | None:
    """See `crop_to_selection`."""
    bounds = doc.selection.bounds() if doc.selection is not None else None
    if bounds is None:
        raise ValueError("crop to selection needs a selection")
    return _reframe_command(doc, bounds, "Crop to selection", delete_pixels=delete_pixels)


def crop_to_selection(doc: Document, *, delete_pixels: bool = True) -> Reshape | None:
    """Image > Crop to Selection: crop to the bounding box of every selected (non-zero)
    pixel of the selection, which stays selected. Raises ValueError with no selection."""
    return _execute(doc, crop_to_selection_command(doc, delete_pixels=delete_pixels))


# --- image size ------------------------------------------------------------------------------

def _round(v: float) -> int:
    return int(math.floor(v + 0.5))


def resize_image_command(doc: Document, width: int, height: int, resample: str = "bicubic",
                         progress: Progress = None) -> Reshape | None:
    """See `resize_image`; `progress(fraction)` is called as arrays are done."""
    width, height = _check_size(width, height, "image")
    check_method(resample)
    if (width, height) == (doc.width, doc.height):
        return None
    sx, sy = width / doc.width, height / doc.height
    layers = _pixel_layers(doc)
    canvas = list(_canvas_arrays(doc))
    total, done = max(1, len(layers) + len(canvas)), 0
    edits: list[ArrayEdit] = []
    offsets: dict[Layer, tuple[int, int]] = {}
    for layer in layers:
        b = layer.bounds()
        x0, y0 = _round(b.x * sx), _round(b.y * sy)
        w, h = max(1, _round(b.right * sx) - x0), max(1, _round(b.bottom * sy) - y0)
        edits.append(SwapEdit(PixelsSlot(layer), resize_rgba(layer.pixels, w, h, resample)))
        if layer.mask is not None:
            edits.append(SwapEdit(MaskSlot(layer.mask), resize_gray(layer.mask.data, w, h, resample)))
        offsets[layer] = (x0, y0)
        done += 1
        if progress is not None:
            progress(done / total)
    for slot, _pad in canvas:
        edits.append(SwapEdit(slot, resize_gray(slot.get(doc), width, height, resample)))
        done += 1
        if progress is not None:
            progress(done / total)
    def scaled(x: float, y: float) -> tuple[float, float]:
        return x * sx, y * sy

    return Reshape(doc, "Image size", (width, height), edits, offsets, _map_paths(doc, scaled),
                   _map_fills(doc, scaled, (width, height)))


def resize_image(doc: Document, width: int, height: int, resample: str = "bicubic",
                 progress: Progress = None) -> Reshape | None:
    """Image > Image Size: resample the whole document to `width` x `height` px; one step.

    Every pixel layer is scaled by (width / doc.width, height / doc.height) about the
    document's origin: its offset and its edges land on the nearest whole pixels and its
    pixels (straight RGBA, resampled premultiplied) and mask are resampled to that size with
    pixel-centre mapping. Fill and group masks, the quick mask and the selection are
    resampled to the new canvas; vector paths scale exactly. `resample` is one of RESAMPLE
    ('area' averages, for shrinking). Returns None when the size is unchanged.
    """
    return _execute(doc, resize_image_command(doc, width, height, resample, progress))


# --- rotate and flip ---------------------------------------------------------------------------

def _quarter(doc: Document, turns: int) -> tuple[Callable[[float, float], tuple[float, float]], tuple[int, int]]:
    """Point map of `turns` clockwise quarter turns and the canvas size after them."""
    W, H = doc.width, doc.height
    if turns == 1:
        return (lambda x, y: (H - y, x)), (H, W)
    if turns == 2:
        return (lambda x, y: (W - x, H - y)), (W, H)
    return (lambda x, y: (y, W - x)), (H, W)


def _mapped_rect(b: Rect, f: Callable[[float, float], tuple[float, float]]) -> Rect:
    (x0, y0), (x1, y1) = f(b.x, b.y), f(b.right, b.bottom)
    return Rect.from_bounds(int(min(x0, x1)), int(min(y0, y1)), int(max(x0, x1)), int(max(y0, y1)))


def _exact_command(doc: Document, label: str, f: Callable[[float, float], tuple[float, float]], size: tuple[int, int],
                   fwd: Callable[[np.ndarray], np.ndarray], inv: Callable[[np.ndarray], np.ndarray]) -> Reshape:
    edits: list[ArrayEdit] = []
    offsets: dict[Layer, tuple[int, int]] = {}
    for layer in _pixel_layers(doc):
        edits.append(ExactEdit(PixelsSlot(layer), fwd, inv))
        if layer.mask is not None:
            edits.append(ExactEdit(MaskSlot(layer.mask), fwd, inv))
        r = _mapped_rect(layer.bounds(), f)
        offsets[layer] = (r.x, r.y)
    for slot, _pad in _canvas_arrays(doc):
        edits.append(ExactEdit(slot, fwd, inv))
    return Reshape(doc, label, size, edits, offsets, _map_paths(doc, f), _map_fills(doc, f, size))


def rotate_canvas_command(doc: Document, angle: float, resample: str = "bicubic",
                          progress: Progress = None) -> Reshape | None:
    """See `rotate_canvas`."""
    check_method(resample)
    angle = float(angle) % 360.0
    if angle == 0:
        return None
    if angle % 90 == 0:
        turns = int(angle // 90)
        f, size = _quarter(doc, turns)
        label = {1: "Rotate 90° clockwise", 2: "Rotate 180°", 3: "Rotate 90° counter-clockwise"}[turns]
        return _exact_command(doc, label, f, size, lambda a: np.rot90(a, -turns), lambda a: np.rot90(a, turns))
    return _rotate_arbitrary(doc, angle, resample, progress)


def rotate_canvas(doc: Document, angle: float, resample: str = "bicubic", progress: Progress = None) -> Reshape | None:
    """Image > Rotate: turn the whole document `angle` degrees clockwise; one step.

    Multiples of 90 are exact (no resampling; four 90° turns give back the same bytes).
    Any other angle rotates about the canvas centre, grows the canvas to hold the whole
    rotated canvas (the corners it gains are transparent; fill and group masks show there,
    the selection selects nothing) and resamples every layer, mask and the selection with
    `resample` (bicubic by default; 'area' means bilinear here). Returns None for 0°.
    """
    return _execute(doc, rotate_canvas_command(doc, angle, resample, progress))


def _rotate_arbitrary(doc: Document, angle: float, resample: str, progress: Progress) -> Reshape:
    t = math.radians(angle)
    c, s = math.cos(t), math.sin(t)
    W, H = doc.width, doc.height
    nw = max(1, math.ceil(abs(W * c) + abs(H * s) - 1e-6))
    nh = max(1, math.ceil(abs(W * s) + abs(H * c) - 1e-6))
    _check_size(nw, nh)
    cx, cy, ncx, ncy = W / 2, H / 2, nw / 2, nh / 2

    def f(x: float, y: float) -> tuple[float, float]:  # clockwise on screen (y points down)
        dx, dy = x - cx, y - cy
        return (c * dx - s * dy + ncx, s * dx + c * dy + ncy)

    def matrix(src: tuple[int, int], dst: tuple[int, int]) -> np.ndarray:
        """Index-coordinate affine map from an array placed at `src` to one placed at `dst`."""
        px, py = src[0] + 0.5, src[1] + 0.5
        tx, ty = f(px, py)
        return np.array([[c, -s, tx - dst[0] - 0.5], [s, c, ty - dst[1] - 0.5]], np.float64)

    layers = _pixel_layers(doc)
    canvas = list(_canvas_arrays(doc))
    total, done = max(1, len(layers) + len(canvas)), 0
    edits: list[ArrayEdit] = []
    offsets: dict[Layer, tuple[int, int]] = {}
    for layer in layers:
        b = layer.bounds()
        corners = [f(x, y) for x in (b.x, b.right) for y in (b.y, b.bottom)]
        x0, y0 = math.floor(min(p[0] for p in corners) + 1e-6), math.floor(min(p[1] for p in corners) + 1e-6)
        x1, y1 = math.ceil(max(p[0] for p in corners) - 1e-6), math.ceil(max(p[1] for p in corners) - 1e-6)
        w, h = max(1, x1 - x0), max(1, y1 - y0)
        m = matrix((b.x, b.y), (x0, y0))
        edits.append(SwapEdit(PixelsSlot(layer), warp_rgba(layer.pixels, m, w, h, resample)))
        if layer.mask is not None:
            edits.append(SwapEdit(MaskSlot(layer.mask), warp_gray(layer.mask.data, m, w, h, resample, outside=None)))
        offsets[layer] = (x0, y0)
        done += 1
        if progress is not None:
            progress(done / total)
    m = matrix((0, 0), (0, 0))
    for slot, pad in canvas:
        outside = None if pad == SHOW else pad
        edits.append(SwapEdit(slot, warp_gray(slot.get(doc), m, nw, nh, resample, outside=outside)))
        done += 1
        if progress is not None:
            progress(done / total)
    return Reshape(doc, f"Rotate {angle:g}°", (nw, nh), edits, offsets, _map_paths(doc, f), _map_fills(doc, f, (nw, nh)))


def flip_canvas_command(doc: Document, direction: str) -> Reshape:
    """See `flip_canvas`."""
    W, H = doc.width, doc.height
    if direction == "horizontal":
        return _exact_command(doc, "Flip canvas horizontal", lambda x, y: (W - x, y), (W, H),
                              lambda a: a[:, ::-1], lambda a: a[:, ::-1])
    if direction == "vertical":
        return _exact_command(doc, "Flip canvas vertical", lambda x, y: (x, H - y), (W, H),
                              lambda a: a[::-1], lambda a: a[::-1])
    raise ValueError(f"flip direction is 'horizontal' or 'vertical', not {direction!r}")


def flip_canvas(doc: Document, direction: str) -> Reshape:
    """Image > Flip Canvas: mirror the whole document left-right ('horizontal') or top-bottom
    ('vertical'), exactly (two flips give back the same bytes); one step."""
    cmd = flip_canvas_command(doc, direction)
    doc.execute(cmd, mergeable=False)
    return cmd
