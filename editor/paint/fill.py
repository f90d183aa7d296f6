"""Edit > Fill, Edit > Stroke, Clear (Delete) and the paint bucket: each a few lines on `PaintTarget`,
each one undo step.

Every one paints what the tools paint now (quick mask, edited mask, or pixels) and is confined
by the selection, except Stroke, whose band is made FROM the selection's edge (Photoshop's
Stroke paints outside the selection too). Colours are (r, g, b); on a mask they paint their
grey, so black hides and white reveals whatever the mask's inversion.

The bucket is the magic wand (editor.masks.selection.wand) followed by a fill whose coverage
is the wand's region: a bucket click fills exactly what a wand click with the same options
would select, softly at an antialiased edge. It samples the active layer's pixels, or the
mask being edited (what the user sees of it), or the merged image with Sample merged.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from editor.core import BlendMode, Document, PixelEdit, Rect
from editor.masks.selection.wand import DEFAULT_TOLERANCE, magic_wand, wand_runs

from .target import PaintTarget

STROKE_LOCATIONS = ("inside", "center", "outside")
GREY_50 = (128, 128, 128)


def fill(doc: Document, paint: Sequence[int] | int, *, opacity: float = 1.0, mode: BlendMode | str = BlendMode.NORMAL,
         preserve_transparency: bool = False, label: str = "Fill") -> PixelEdit | None:
    """Fill the selection (everything without one) with a colour; PaintRefused when nothing can be painted."""
    target = PaintTarget.current(doc)
    target.fill(paint, opacity=opacity, mode=mode, preserve_alpha=preserve_transparency)
    return target.commit(label)


def clear(doc: Document, label: str = "Clear") -> PixelEdit | None:
    """Delete inside the selection: transparent pixels, or black on a mask (as it shows, also inverted)."""
    target = PaintTarget.current(doc)
    target.clear()
    return target.commit(label)


# --- Stroke ------------------------------------------------------------------------------

def stroke_coverage(selection: np.ndarray, width: float, location: str = "center") -> tuple[Rect, np.ndarray] | None:
    """The band (coverage 0..1, float32) of `width` px along the edge of a selection (document-sized
    uint8, its edge at 50 %), inside it, centred on the edge or outside it; (document rect, band)
    or None when nothing is selected. The band's own edge is antialiased."""
    if location not in STROKE_LOCATIONS:
        raise ValueError(f"unknown stroke location {location!r}; expected one of {', '.join(STROKE_LOCATIONS)}")
    h, w = selection.shape
    ys, xs = np.nonzero(selection >= 128)
    if ys.size == 0 or width <= 0:
        return None
    reach = int(np.ceil(width)) + 2
    rect = Rect.from_bounds(xs.min() - reach, ys.min() - reach, xs.max() + 1 + reach, ys.max() + 1 + reach)
    rect = rect.intersect(Rect(0, 0, w, h))
    # Pad by the reach so the canvas edge is not an edge of the selection.
    inside = np.zeros((rect.h + 2 * reach, rect.w + 2 * reach), np.uint8)
    inside[reach:-reach, reach:-reach] = selection[rect.slices()] >= 128
    d_in = cv2.distanceTransform(inside, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    d_out = cv2.distanceTransform(1 - inside, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    d_in, d_out = d_in[reach:-reach, reach:-reach], d_out[reach:-reach, reach:-reach]
    # A pixel at distance d from the nearest pixel across the edge lies d - 1/2 from the edge.
    w_in, w_out = {"inside": (width, 0.0), "center": (width / 2, width / 2), "outside": (0.0, width)}[location]
    band = np.zeros(d_in.shape, np.float32)
    is_in = d_in > 0
    band[is_in] = np.clip(w_in - d_in[is_in] + 1.0, 0.0, 1.0)
    band[~is_in] = np.clip(w_out - d_out[~is_in] + 1.0, 0.0, 1.0)
    return rect, band


def stroke(doc: Document, paint: Sequence[int] | int, width: float, location: str = "center", *,
           opacity: float = 1.0, mode: BlendMode | str = BlendMode.NORMAL, preserve_transparency: bool = False,
           label: str = "Stroke") -> PixelEdit | None:
    """Edit > Stroke: a band along the selection's edge in a colour (None: no selection or nothing changed)."""
    if doc.selection is None:
        return None
    band = stroke_coverage(doc.selection.data, width, location)
    if band is None:
        return None
    doc_rect, coverage = band
    target = PaintTarget.current(doc)
    rect = target.from_doc(doc_rect)
    if rect.empty:
        return None
    sub = rect.translated(target.offset[0] - doc_rect.x, target.offset[1] - doc_rect.y)
    target.touch(rect)
    target.composite(rect, _source(target, paint), coverage[sub.slices()], opacity=opacity, mode=mode,
                     preserve_alpha=preserve_transparency, confine=False)
    return target.commit(label)


def _source(target: PaintTarget, paint):
    from .target import mask_value, rgb

    if target.is_mask:
        return float(mask_value(paint))
    c = tuple(paint) if not isinstance(paint, int | float) else (paint,) * 3
    return (*rgb(c), c[3] if len(c) > 3 else 255)


# --- the paint bucket ------------------------------------------------------------------------

def bucket_sample(doc: Document, target: PaintTarget, *, merged: bool) -> np.ndarray | None:
    """What the bucket looks at, document-sized: the merged image, the mask being edited (as shown),
    or the active layer's pixels; from the document's sample cache, shared with the magic wand
    (the merged image is re-rendered only where the document changed since the last click)."""
    from editor.masks.selection.sample import sample_cache

    cache = sample_cache(doc)
    if merged:
        return cache.merged()
    if target.is_mask:
        return cache.mask(target.node)
    return cache.pixels(doc.active)


def bucket_fill(doc: Document, x: float, y: float, paint: Sequence[int] | int, *,
                tolerance: int = DEFAULT_TOLERANCE, contiguous: bool = True, sample_merged: bool = False,
                antialias: bool = True, opacity: float = 1.0, mode: BlendMode | str = BlendMode.NORMAL,
                label: str = "Paint bucket") -> PixelEdit | None:
    """A paint bucket click at document point (x, y)."""
    target = PaintTarget.current(doc)
    image = bucket_sample(doc, target, merged=sample_merged)
    if image is None:
        return None
    px, py = int(np.floor(x)), int(np.floor(y))
    if not (0 <= px < doc.width and 0 <= py < doc.height):
        return None
    if not target.is_mask and BlendMode(mode) is BlendMode.NORMAL:
        # The usual case in one pass, straight from the wand's runs (editor.paint.bucket).
        runs = wand_runs(image, px, py, tolerance=tolerance, contiguous=contiguous, antialias=antialias)
        if runs is not None:
            found = runs.bounds()
            if found is None:
                return None
            rect = target.from_doc(Rect(*found)).intersect(target.selection_rect())
            if rect.empty:
                return None
            from .bucket import fill_runs

            fill_runs(target, runs, rect, _source(target, paint), opacity=opacity)
            return target.commit(label)
    region = magic_wand(image, px, py, tolerance=tolerance, contiguous=contiguous, antialias=antialias)
    found = _bounds(region)
    if found is None:
        return None
    rect = target.from_doc(found).intersect(target.selection_rect())
    if rect.empty:
        return None
    doc_rect = target.to_doc(rect)
    coverage = region[doc_rect.slices()]
    # One copy for undo (cheaper than tile by tile over most of a 24 MP layer); where the region
    # is 0 nothing changes, so the region says which tiles the undo keeps.
    # (Blend modes on pixels go through float and may rewrite a transparent pixel's colour: compared.)
    exact = target.is_mask or BlendMode(mode) is BlendMode.NORMAL
    target.snapshot(rect, coverage if exact else None)
    target.composite(rect, _source(target, paint), coverage, opacity=opacity, mode=mode)
    return target.commit(label)


def _bounds(region: np.ndarray) -> Rect | None:
    x, y, w, h = cv2.boundingRect(region)
    return Rect(x, y, w, h) if w and h else None
