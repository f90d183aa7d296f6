"""Mask generators by name, and running one on a document layer as one undo step.

A generated mask remembers `{"kind": ..., params...}` in `Mask.generator`
(saved in the project), so a dialog can reopen with the parameters and
`rerun` repeats the generator on the layer's current pixels with one click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from editor.core import (
    Document,
    Layer,
    Macro,
    Mask,
    PixelEdit,
    Rect,
    Selection,
    SetMask,
    SetSelection,
    TileRecorder,
)
from editor.core.history import Command

from .chroma import ChromaKeyParams, chroma_key, despill
from .color_range import ColorRangeParams, color_range
from .luminance import LuminanceParams, luminance_mask
from .object_select import ObjectSelectParams, object_select
from .refine import RefineParams, refine_edge

Generator = Callable[[np.ndarray, dict[str, Any]], np.ndarray]


def _chroma(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    return chroma_key(pixels, ChromaKeyParams.from_dict(params))


def _color_range(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    return color_range(pixels, ColorRangeParams.from_dict(params))


def _object(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    mask = object_select(pixels, ObjectSelectParams.from_dict(params))
    if params.get("refine_edge"):
        mask, _ = refine_edge(pixels, mask, RefineParams())
    return mask


def _model_subject(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    from .models import SubjectParams, select_subject

    mask = select_subject(pixels, SubjectParams.from_dict(params))
    if params.get("refine_edge"):
        mask, _ = refine_edge(pixels, mask, RefineParams())
    return mask


def _model_object(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    from .models import ObjectParams, select_object

    return select_object(pixels, ObjectParams.from_dict(params))


def _luminance(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    return luminance_mask(pixels, LuminanceParams.from_dict(params))


def _refine_edge(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    """Refine edge re-runs the generator it refined (`base`), then refines its result."""
    if not params.get("base"):
        raise ValueError("this refined mask was painted, not generated: there is nothing to re-run")
    mask, _ = refine_edge(pixels, generate(pixels, params["base"]), RefineParams.from_dict(params))
    return mask


GENERATORS: dict[str, Generator] = {
    "chroma-key": _chroma,
    "color-range": _color_range,
    "object": _object,
    "model-subject": _model_subject,
    "model-object": _model_object,
    "luminance": _luminance,
    "refine-edge": _refine_edge,
}


def generate(pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    """Run the generator named by params["kind"] on (h, w, 3|4) uint8 pixels."""
    kind = params.get("kind")
    if kind not in GENERATORS:
        raise ValueError(f"unknown mask generator {kind!r}; expected one of {', '.join(GENERATORS)}")
    return GENERATORS[kind](pixels, params)


def pixel_edit(layer: Layer, write: Callable[[np.ndarray], None], label: str) -> PixelEdit | None:
    """Run `write` on the layer's pixels in place; the returned command undoes it (None: no change)."""
    recorder = TileRecorder(layer.pixels)
    recorder.touch(Rect(0, 0, layer.pixels.shape[1], layer.pixels.shape[0]))
    write(layer.pixels)
    delta = recorder.finish()
    return PixelEdit(layer, "pixels", delta, label) if delta else None


def mask_command(layer: Layer, data: np.ndarray, params: dict[str, Any], new_pixels: np.ndarray | None = None) -> Command:
    """The command that sets `data` as the layer's mask, keeping its other settings, together
    with the pixel change that belongs to it (a chroma key's despill, refine edge's cleaned
    colours in `new_pixels`) as one step."""
    old = layer.mask
    mask = Mask(data, generator=dict(params)) if old is None else Mask(
        data, old.enabled, old.density, old.feather, old.inverted, dict(params))
    edit = None
    if new_pixels is not None:
        edit = pixel_edit(layer, lambda a: np.copyto(a, new_pixels), "Decontaminate colours")
    elif params.get("kind") == "chroma-key" and params.get("despill"):
        key, mode = params.get("key", "green"), params.get("despill_mode", "max")
        edit = pixel_edit(layer, lambda a: despill(a, key, mode, out=a), "Despill")
    set_mask = SetMask(layer, mask, _label(params))
    return set_mask if edit is None else Macro(_label(params), [edit, set_mask])


def apply_to_layer(doc: Document, layer: Layer, params: dict[str, Any], data: np.ndarray | None = None,
                   new_pixels: np.ndarray | None = None) -> Mask:
    """Generate (or take the already computed `data`) and set it as the layer's mask: one undo step."""
    if not isinstance(layer, Layer):
        raise ValueError("mask generators need a pixel layer")
    if data is None:
        data = generate(layer.pixels, params)
    doc.execute(mask_command(layer, data, params, new_pixels), mergeable=False)
    doc.set_active(layer, edit_mask=True)
    assert layer.mask is not None
    return layer.mask


def rerun(doc: Document, layer: Layer) -> Mask:
    """Repeat the layer mask's generator on the layer's current pixels."""
    if layer.mask is None or not layer.mask.generator:
        raise ValueError(f"{layer.name} has no generated mask to re-run")
    return apply_to_layer(doc, layer, layer.mask.generator)


def to_selection(doc: Document, layer: Layer, data: np.ndarray, op: str = "replace", label: str = "Select colour range") -> None:
    """Put a layer-sized generated mask into the document selection (one undo step)."""
    canvas = np.zeros((doc.height, doc.width), np.uint8)
    where = layer.bounds().intersect(doc.canvas)
    if not where.empty:
        canvas[where.slices()] = data[where.translated(-layer.x, -layer.y).slices()]
    new = Selection(canvas)
    if op != "replace" and doc.selection is not None:
        new = doc.selection.combine(new, op)
    doc.execute(SetSelection(new, label), mergeable=False)


def _label(params: dict[str, Any]) -> str:
    names = {"chroma-key": "Chroma key", "color-range": "Colour range", "object": "Object select",
             "model-subject": "Select subject", "model-object": "Object selection",
             "refine-edge": "Refine edge", "luminance": "Mask from luminance"}
    return names.get(params.get("kind", ""), str(params.get("kind", "Mask")).capitalize())
