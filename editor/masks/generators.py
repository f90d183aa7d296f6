"""Mask generators, registered on the one operation registry (editor.core.operations), and
running one on a document layer as one undo step.

Each generator is registered once below with its parameter schema, its Mask menu entry
and its `veil mask` subcommand; the menu, the dialogs' lookup, the command line and batch
recipes are built from those entries.

A generated mask remembers `{"kind": ..., params...}` in `Mask.generator`
(saved in the project), so a dialog can reopen with the parameters and
`rerun` repeats the generator on the layer's current pixels with one click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from editor.core import (
    FILL_LAYERS,
    Document,
    Group,
    InsertNode,
    Layer,
    Macro,
    Mask,
    Node,
    PixelEdit,
    Rect,
    Selection,
    SetMask,
    SetProperties,
    SetSelection,
    TileRecorder,
)
from editor.core.history import Command
from editor.core.operations import REGISTRY, CliEntry, MenuEntry, Operation, Param, Schema
from editor.core.ops import snapshot_document

from .chroma import DESPILL_MODES, ChromaKeyParams, chroma_key, despill, detect_screen, key_colour
from .color_range import ColorRangeParams, color_range
from .luminance import LuminanceParams, luminance_mask
from .object_select import ObjectSelectParams, Progress, object_select
from .refine import RefineParams, check_radius_strokes, refine_edge
from .strokes import check_strokes

MASK = "mask"  # the registry category of mask generators
AUTO_KEY = "auto"  # a chroma key's key: the screen the picture's border shows

Generator = Callable[[np.ndarray, dict[str, Any]], np.ndarray]


def _chroma(pixels: np.ndarray, params: dict[str, Any], progress: Progress | None = None) -> np.ndarray:
    return chroma_key(pixels, ChromaKeyParams.from_dict(resolve_key(pixels, params)), progress=progress)


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


# --- the registry entries ---------------------------------------------------------------------

def register_generator(kind: str, label: str, generator: Generator, schema: Schema, *, slow: bool = False,
                       slow_when: Callable[[dict[str, Any]], bool] | None = None, reports_progress: bool = False,
                       menu: MenuEntry | None = None, cli: CliEntry | None = None) -> Operation:
    """Register a mask generator on the one operation registry: the Mask menu, the dialogs'
    lookup, `veil mask` and batch recipes then all know it. Running the operation on a
    document masks its active pixel layer (one undo step). `slow_when` says which of a fast
    generator's parameters make it slow (a worker's job: see `runs_slow`); a generator that
    `reports_progress` takes a `progress` keyword."""

    def run(doc: Document, params: dict[str, Any]) -> Mask:
        return apply_to_layer(doc, doc.active, {"kind": kind, **params})

    return REGISTRY.register(Operation(kind, label, schema, run, category=MASK, slow=slow, menu=menu, cli=cli,
                                       extra={"generate": generator, "slow_when": slow_when,
                                              "progress": reports_progress}), replace=True)


def runs_slow(params: dict[str, Any]) -> bool:
    """Whether the generator that `params` name takes seconds with them (run it in a worker)."""
    op = generator_op(params.get("kind"))
    return op.slow or bool(op.extra.get("slow_when") and op.extra["slow_when"](params))


def generator_op(kind: Any) -> Operation:
    """The registered mask generator `kind`; ValueError naming the known ones otherwise."""
    if kind not in REGISTRY or REGISTRY.get(kind).category != MASK:
        raise ValueError(f"unknown mask generator {kind!r}; expected one of {', '.join(REGISTRY.ids(MASK))}")
    return REGISTRY.get(kind)


def mask_generators() -> list[Operation]:
    return REGISTRY.all(MASK)


def label(params: dict[str, Any]) -> str:
    """The generator's name for an undo step or a status line."""
    kind = params.get("kind", "")
    return REGISTRY.get(kind).label if kind in REGISTRY else str(kind or "Mask").capitalize()


def _chroma_key_value(key: str) -> None:
    if key != AUTO_KEY:
        key_colour(key)


def _positive(value: float) -> None:
    if value <= 0:
        raise ValueError(f"must be positive, not {value:g}")


def _chroma_cli(values: dict[str, Any]) -> dict[str, Any]:
    return {"key": AUTO_KEY, **values}


def _object_cli(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("point") or values.get("exclude") or values.get("box"):
        raise ValueError("--point, --exclude and --box need --model (a segment-anything pair)")
    return values


def _object_check(values: dict[str, Any]) -> None:
    if values["rect"] is None and not values["subject"]:
        raise ValueError("object select needs a rect (x, y, w, h) or subject = true")


def _object_model_check(values: dict[str, Any]) -> None:
    if not values["points"] and values["box"] is None:
        raise ValueError("object selection with a model needs a point or a box")


_REFINE_FLAG = Param("refine_edge", "bool", False, "then refine the edge with alpha matting", flag="--refine")

register_generator("color-range", "Colour range", _color_range, Schema((
    Param("samples", "colour-list", help="a sampled colour (repeatable)", flag="--color", metavar="#RRGGBB"),
    Param("fuzziness", "float", 40.0, "Lab delta E where the selection ends", check=_positive),
)), menu=MenuEntry("color_range", "Colour Range…", 10),
    cli=CliEntry("color-range", "select colours near one or more samples"))

register_generator("chroma-key", "Chroma key", _chroma, Schema((
    Param("key", "str", AUTO_KEY, "green, blue, #RRGGBB, or auto: the screen each picture's border shows",
          check=_chroma_key_value),
    Param("tolerance", "float", 0.0, "how much of the backdrop counts as pure screen", 0.0, 1.0, below=True),
    Param("softness", "float", 1.0, "width of the soft edge", 0.0, 1.0),
    Param("clean", "float", 0.1, "snap near-screen and near-opaque neighbourhoods to 0 and 1", 0.0, 0.5, below=True),
    Param("even_light", "bool", True, "even out an unevenly lit backdrop"),
    Param("hold_core", "bool", True, "keep the subject's inside opaque where its colour is far from the screen "
                                     "(a greenish or spill-cast area is subject, not screen)"),
    Param("despill", "bool", False, "remove the key colour's cast (with --apply)"),
    Param("despill_mode", "choice", "max", "limit the key channel by the max or the average of the others",
          choices=DESPILL_MODES),
    Param("band_matting", "bool", False, "re-estimate the soft edge against the backdrop and the subject beside "
                                         "it (spill-cast edges; slower)"),
)), slow_when=lambda params: bool(params.get("band_matting")), reports_progress=True,
    menu=MenuEntry("chroma_key", "Chroma Key…", 20),
    cli=CliEntry("chroma-key", "key out a green, blue or picked backdrop", from_cli=_chroma_cli))

register_generator("object", "Object select", _object, Schema((
    Param("rect", "rect", None, "GrabCut: a box around the object, in pixels", nullable=True, metavar="X,Y,W,H"),
    Param("subject", "bool", False, "GrabCut: find the main subject without a box"),
    Param("refine", "bool", True, "snap the edge band to the full-resolution photo", flag=None),
    Param("iterations", "int", 5, "GrabCut iterations", 1, 50, flag=None),
    Param("work_pixels", "int", 300_000, "GrabCut runs at about this many pixels", 10_000, 50_000_000, flag=None),
    Param("plain", "bool", False, "one GrabCut on colour alone, without the texture starts", flag=None),
    Param("scribbles", "list", [], "foreground and background scribbles: points, brush size, background (layer pixels)",
          check=lambda strokes: check_strokes(strokes, "background"), flag=None),
    _REFINE_FLAG,
), check=_object_check), slow=True, menu=MenuEntry("object_select", "Object Select…", 30),
    cli=CliEntry("object", "object select: GrabCut from a rectangle, or a segment-anything model's prompts",
                 from_cli=_object_cli))

register_generator("model-subject", "Select subject", _model_subject, Schema((
    Param("model", "str", help="a model name from `veil models` or an .onnx path (default: the first one found; "
                               "with none installed, the saliency method, said on stderr)", metavar="NAME|PATH"),
    Param("refine", "bool", True, "refine the edge band at full resolution", flag=None),
    Param("filters", "choice", "fast", "resampling around the network", choices=("fast", "lanczos"), flag=None),
    Param("sha256", "str", None, "the model file's hash when the mask was made", nullable=True, flag=None),
    _REFINE_FLAG,
)), slow=True, menu=MenuEntry("select_subject", "Select Subject", 40),
    cli=CliEntry("subject", "select the main subject with a salient-object model (rembg's models)",
                 from_cli=lambda values: _model_cli("subject", values)))

register_generator("model-object", "Object selection", _model_object, Schema((
    Param("model", "str", help="a segment-anything encoder/decoder pair (see `veil models`)", metavar="NAME|PATH"),
    Param("points", "point-list", [], "x, y, label (1 add, 0 remove) in layer pixels", flag=None),
    Param("box", "rect", None, "with --model: a box around the object", nullable=True, metavar="X,Y,W,H"),
    Param("sha256", "str", None, "the model file's hash when the mask was made", nullable=True, flag=None),
), check=_object_model_check), slow=True,
    cli=CliEntry("object", claims=lambda values: values.get("model") is not None,
                 from_cli=lambda values: _model_cli("object", values), flags=(
                     ("--point", {"action": "append", "metavar": "X,Y", "help": "with --model: a pixel on the object (repeatable)"}),
                     ("--exclude", {"action": "append", "metavar": "X,Y", "help": "with --model: a pixel not on it (repeatable)"}))))

register_generator("refine-edge", "Refine edge", _refine_edge, Schema((
    Param("base", "table", None, "the generator whose mask was refined", nullable=True),
    Param("radius", "int", 8, "edge band half-width in pixels", 0, 512),
    Param("smooth", "float", 0.0, "outline smoothing (Gaussian sigma, px)", 0.0, 100.0),
    Param("feather", "float", 0.0, "blur of the result (Gaussian sigma, px)", 0.0, 100.0),
    Param("contrast", "float", 0.0, "steepen the soft edge", 0.0, 1.0),
    Param("shift_edge", "float", 0.0, "shrink (negative) or grow the mask, in radii", -1.0, 1.0),
    Param("matting", "bool", True, "solve alpha in the band (hair, fur)"),
    Param("decontaminate", "bool", False, "clean the backdrop's colour out of the edge"),
    Param("decontaminate_amount", "float", 1.0, "how much of the cleaned colour replaces the layer's", 0.0, 1.0),
    Param("radius_strokes", "list", [], "refine radius strokes: points, brush size, erase (layer pixels)",
          check=check_radius_strokes, flag=None),
)), slow=True, menu=MenuEntry("refine_edge", "Refine Edge…", 50, "Ctrl+Alt+R", needs_mask=True))

register_generator("luminance", "Mask from luminance", _luminance, Schema((
    Param("threshold", "float", 128.0, "Rec. 709 luma at the middle of the ramp", 0.0, 255.0),
    Param("softness", "float", 16.0, "width of the ramp (0 is a hard cut)", 0.0, 255.0),
    Param("invert", "bool", False, "dark areas show instead"),
)), menu=MenuEntry("luminance_mask", "Mask from Luminance…", 60),
    cli=CliEntry("luminance", "a mask from brightness, with a threshold and a soft ramp"))


def _model_cli(command: str, values: dict[str, Any]) -> dict[str, Any]:
    """`veil mask subject|object --model`: resolve the model and remember its file's hash."""
    from .batch import model_params

    return model_params(command, values)


def generate(pixels: np.ndarray, params: dict[str, Any], progress: Progress | None = None) -> np.ndarray:
    """Run the generator named by params["kind"] on (h, w, 3|4) uint8 pixels; `progress` hears the
    fraction done from the generators that report it (the others finish without a word)."""
    op = generator_op(params.get("kind"))
    if progress is not None and op.extra.get("progress"):
        return op.extra["generate"](pixels, params, progress=progress)
    return op.extra["generate"](pixels, params)


def resolve_key(pixels: np.ndarray, params: dict[str, Any]) -> dict[str, Any]:
    """A chroma key's params with key "auto" replaced by the screen this picture shows."""
    if params.get("kind") == "chroma-key" and params.get("key") == AUTO_KEY:
        return {**params, "key": detect_screen(pixels)}
    return params


def despill_for(pixels: np.ndarray, params: dict[str, Any], out: np.ndarray | None = None) -> np.ndarray | None:
    """THE despill of a generator's params: the pixels with the key colour's cast removed when
    the params ask for it (a chroma key with despill, or a batch step's {key, despill_mode}),
    else None. In place when `out` is `pixels`. The mask dialogs' preview, the mask command
    (one undo step with the mask), `veil mask --apply` and batch recipes all call this."""
    if params.get("kind") == "chroma-key" and not params.get("despill"):
        return None
    key = resolve_key(pixels, {"kind": "chroma-key", "key": params.get("key", AUTO_KEY)})["key"]
    return despill(pixels, key, params.get("despill_mode", "max"), out=out)


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
    if not isinstance(layer, Layer):  # a fill or a group: no pixels of its own to clean
        pass
    elif new_pixels is not None:
        edit = pixel_edit(layer, lambda a: np.copyto(a, new_pixels), "Decontaminate colours")
    elif params.get("kind") == "chroma-key" and params.get("despill"):
        edit = pixel_edit(layer, lambda a: despill_for(a, params, out=a), "Despill")
    set_mask = SetMask(layer, mask, label(params))
    return set_mask if edit is None else Macro(label(params), [edit, set_mask])


def maskable(node: Node | None) -> bool:
    """Whether a generator can make `node`'s mask: a pixel layer, a fill layer or a group."""
    return isinstance(node, (Layer, *FILL_LAYERS, Group))


def source_pixels(doc: Document, node: Node) -> np.ndarray:
    """What a generator looks at to make `node`'s mask, the size of that mask: a pixel layer's
    own pixels; for a fill layer or a group (whose mask covers the canvas) the composite of
    everything below it, as the mask will cut the fill or the group out of it."""
    if isinstance(node, Layer):
        return node.pixels
    if not isinstance(node, (*FILL_LAYERS, Group)):
        raise ValueError("mask generators need a pixel layer, a fill layer or a group")
    from editor.render import flatten_rgba

    below = snapshot_document(doc, copy_arrays=False)  # the arrays are only read
    order = list(doc.nodes())
    for twin in list(below.nodes())[order.index(node):]:  # the node, its content and all above it
        twin.visible = False
    return flatten_rgba(below)


def apply_to_layer(doc: Document, layer: Node, params: dict[str, Any], data: np.ndarray | None = None,
                   new_pixels: np.ndarray | None = None) -> Mask:
    """Generate (or take the already computed `data`) and set it as the node's mask: one undo step.
    A fill layer or a group is masked from the pixels below it (`source_pixels`)."""
    if not maskable(layer):
        raise ValueError("mask generators need a pixel layer, a fill layer or a group")
    if data is None:
        data = generate(source_pixels(doc, layer), params)
    doc.execute(mask_command(layer, data, params, new_pixels), mergeable=False)
    doc.set_active(layer, edit_mask=True)
    assert layer.mask is not None
    return layer.mask


def apply_to_new_layer(doc: Document, layer: Layer, params: dict[str, Any], data: np.ndarray,
                       new_pixels: np.ndarray | None = None) -> Layer:
    """Photoshop's Output To "New Layer with Layer Mask": a copy of the layer above it with `data` as
    its mask (and `new_pixels`, the cleaned colours, as its pixels), the original hidden: one undo step."""
    assert layer.parent is not None
    copy = layer.clone(f"{layer.name} copy", copy_arrays=False)  # arrays replaced just below
    copy.pixels = layer.pixels.copy() if new_pixels is None else new_pixels
    old = layer.mask
    copy.mask = Mask(data, generator=dict(params)) if old is None else Mask(
        data, old.enabled, old.density, old.feather, old.inverted, dict(params))
    index = layer.parent.children.index(layer) + 1
    doc.execute(Macro(label(params), [SetProperties(layer, {"visible": False}),
                                      InsertNode(layer.parent, index, copy, label(params))]), mergeable=False)
    doc.set_active(copy, edit_mask=True)
    return copy


def rerun(doc: Document, layer: Node) -> Mask:
    """Repeat the layer mask's generator on the layer's current pixels."""
    if layer.mask is None or not layer.mask.generator:
        raise ValueError(f"{layer.name} has no generated mask to re-run")
    return apply_to_layer(doc, layer, layer.mask.generator)


def to_selection(doc: Document, layer: Node, data: np.ndarray, op: str = "replace", label: str = "Select colour range") -> None:
    """Put a layer-sized (mask-sized) generated mask into the document selection (one undo step)."""
    canvas = np.zeros((doc.height, doc.width), np.uint8)
    where = layer.bounds(doc.canvas).intersect(doc.canvas)
    ox, oy = layer.offset
    if not where.empty:
        canvas[where.slices()] = data[where.translated(-ox, -oy).slices()]
    new = Selection(canvas)
    if op != "replace" and doc.selection is not None:
        new = doc.selection.combine(new, op)
    doc.execute(SetSelection(new, label), mergeable=False)

