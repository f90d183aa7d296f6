"""The batch steps, each a registered operation (category "batch"), and one image through them.

A shot is one input on its way: a `Document` holding the subject as a pixel layer with its
live mask (named after the recipe's mask `name`, the label class), and later a background
layer below it. The framing steps run the registered geometry operations (editor.geometry:
crop, image-size, canvas-size; a recipe's [[geometry]] tables name any of them): one
implementation for the window, the CLI and the batch.
`process_image` runs a recipe on one file and writes its outputs, each atomically under its
final name only once it is complete; it never touches the manifest (the runner does, after).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from editor.core import Document, FillLayer, Layer, Mask, Rect
from editor.core.operations import REGISTRY, Operation, Param, ParamError, Schema, parse_colour
from editor.geometry import ANCHORS, RESAMPLE

BATCH = "batch"
EXPORT_FORMATS = {"png": ("PNG", ".png"), "jpeg": ("JPEG", ".jpg"), "webp": ("WEBP", ".webp"),
                  "tiff": ("TIFF", ".tif")}
LABEL_FORMATS = ("coco", "png", "yolo")
MASK_PARAMS = ("generator", "name", "pattern")  # a mask step's own keys; the rest are the generator's


@dataclass
class Shot:
    """One image on its way through a recipe."""

    src: Path
    pixels: np.ndarray  # straight RGBA, as read (colour steps change it in place)
    name: str = "subject"
    mask: np.ndarray | None = None
    generator: dict[str, Any] | None = None  # what made the mask (kept on the live mask)
    key: str | None = None  # the chroma key's screen, once known
    doc: Document | None = None
    layer: Layer | None = None
    exif: bytes | None = None
    notes: list[str] = field(default_factory=list)

    def document(self) -> Document:
        """The shot as a document (made on first use, after the colour steps)."""
        if self.doc is None:
            h, w = self.pixels.shape[:2]
            self.doc = Document(w, h, history_budget=0)
            mask = None if self.mask is None else Mask(self.mask, generator=self.generator)
            self.layer = Layer(self.name, self.pixels, mask=mask)
            self.doc.root.insert(0, self.layer)
            self.doc.active = self.layer
        return self.doc


def _step(step_id: str, label: str, params: tuple[Param, ...], run, check=None) -> Operation:
    return REGISTRY.register(Operation(f"batch.{step_id}", label, Schema(params, check), run, category=BATCH),
                             replace=True)


# --- mask ------------------------------------------------------------------------------------

def validate_mask(value: Any) -> dict[str, Any]:
    """A recipe's [mask]: generator, name, pattern, and the generator's own parameters
    checked by its registered schema."""
    from editor.masks.generators import generator_op, mask_generators

    if not isinstance(value, dict):
        raise ParamError("mask", "must be a table")
    generator = value.get("generator")
    known = ["alpha", "file", *(op.id for op in mask_generators() if op.id != "refine-edge")]
    if generator not in known:
        raise ParamError("mask.generator", f"must be one of {', '.join(known)}, not {generator!r}")
    name = value.get("name", "subject")
    if not isinstance(name, str) or not name.strip():
        raise ParamError("mask.name", f"must be a layer name, not {name!r}")
    rest = {k: v for k, v in value.items() if k not in MASK_PARAMS}
    out: dict[str, Any] = {"generator": generator, "name": name}
    if generator == "file":
        pattern = value.get("pattern", "{stem}.mask.png")
        if not isinstance(pattern, str) or "{stem}" not in pattern and "{name}" not in pattern:
            raise ParamError("mask.pattern", f"must name the mask beside each image with {{stem}}, not {pattern!r}")
        out["pattern"] = pattern
    elif "pattern" in value:
        raise ParamError("mask.pattern", "is for generator = \"file\" only")
    if generator in MASK_SOURCES:
        if rest:
            raise ParamError(f"mask.{next(iter(rest))}", f"unknown parameter; generator {generator!r} takes none")
        out["params"] = {}
    else:
        out["params"] = generator_op(generator).validate(rest, "mask")
    return out


MASK_SOURCES = ("alpha", "file")


def run_mask(shot: Shot, step: dict[str, Any]) -> None:
    from editor.masks.generators import despill_for, generate, resolve_key

    shot.name = step["name"]
    generator = step["generator"]
    if generator == "alpha":
        shot.mask = shot.pixels[..., 3].copy()
        shot.pixels[..., 3] = 255
        return
    if generator == "file":
        shot.mask = read_mask_file(mask_path(shot.src, step["pattern"]), shot.pixels.shape[:2])
        return
    params = resolve_key(shot.pixels, {"kind": generator, **step["params"]})
    if generator == "chroma-key":
        shot.key = params["key"]
    shot.mask = generate(shot.pixels, params)
    shot.generator = params
    despill_for(shot.pixels, params, out=shot.pixels)  # a chroma key's own despill, as in the window


def mask_path(src: Path, pattern: str) -> Path:
    return src.parent / pattern.format(stem=src.stem, name=src.name)


def read_mask_file(path: Path, shape: tuple[int, int]) -> np.ndarray:
    from PIL import Image

    from editor.io import FileFormatError

    try:
        with Image.open(path) as im:
            mask = np.asarray(im.convert("L")).copy()
    except FileNotFoundError:
        raise FileFormatError(path, "no mask file beside the image") from None
    except (OSError, ValueError) as e:
        raise FileFormatError(path, f"cannot read the mask ({e})") from None
    if mask.shape != shape:
        raise FileFormatError(path, f"the mask is {mask.shape[1]}x{mask.shape[0]}, the image {shape[1]}x{shape[0]}")
    return mask


# --- refine, despill -------------------------------------------------------------------------

def _refine_params() -> tuple[Param, ...]:
    from editor.masks.generators import generator_op

    return tuple(p for p in generator_op("refine-edge").schema if p.name != "base")


def run_refine(shot: Shot, params: dict[str, Any]) -> None:
    from editor.masks.refine import RefineParams, refine_edge

    if shot.mask is None:
        raise ValueError("refine needs a mask step")
    shot.mask, cleaned = refine_edge(shot.pixels, shot.mask, RefineParams.from_dict(params))
    if cleaned is not None:
        shot.pixels = cleaned
    shot.generator = {"kind": "refine-edge", **params, "base": shot.generator}


def _despill_key(key: str) -> None:
    from editor.masks.chroma import key_colour

    if key != "auto":
        key_colour(key)


def run_despill(shot: Shot, params: dict[str, Any]) -> None:
    from editor.masks.generators import despill_for

    key = shot.key if params["key"] == "auto" and shot.key else params["key"]
    despill_for(shot.pixels, {"key": key, "despill_mode": params["mode"]}, out=shot.pixels)


# --- framing (the geometry core) -------------------------------------------------------------

def margin_pixels(margin: int | str, rect: Rect) -> int:
    """A margin in pixels: as given, or a percentage of the subject's longer side."""
    if isinstance(margin, str):
        return int(round(float(margin.rstrip("%")) / 100.0 * max(rect.w, rect.h)))
    return int(margin)


def _geometry(op_id: str, doc: Document, **params: Any) -> None:
    from editor.geometry.operations import run

    run(op_id, doc, **params)


def run_trim(shot: Shot, params: dict[str, Any]) -> None:
    from editor.geometry import trim_rect

    doc = shot.document()
    rect = trim_rect(doc, "transparent")
    if rect is None:
        raise ValueError("nothing to trim to: the mask is empty (no subject found)")
    m = margin_pixels(params["margin"], rect)
    _geometry("crop", doc, rect=[rect.x - m, rect.y - m, rect.w + 2 * m, rect.h + 2 * m])


def run_fit(shot: Shot, params: dict[str, Any]) -> None:
    doc = shot.document()
    W, H = params["width"], params["height"]
    sx, sy = W / doc.width, H / doc.height
    scale = min(sx, sy) if params["mode"] == "pad" else max(sx, sy)
    if not params["upscale"]:
        scale = min(scale, 1.0)
    w, h = max(1, round(doc.width * scale)), max(1, round(doc.height * scale))
    if params["mode"] == "fill":  # cover the canvas whole, whatever rounding did
        w, h = (max(w, W), max(h, H)) if params["upscale"] or scale >= 1 else (w, h)
    if (w, h) != (doc.width, doc.height):
        _geometry("image-size", doc, width=w, height=h, resample=params["resample"])
    _geometry("canvas-size", doc, width=W, height=H, anchor=params["anchor"])


def run_resize(shot: Shot, params: dict[str, Any]) -> None:
    REGISTRY.get("image-size").run(shot.document(), params)


def validate_geometry(value: Any) -> list[dict[str, Any]]:
    """A recipe's [[geometry]] tables: each `op` names a registered geometry operation, the rest are its params."""
    from editor.geometry import geometry_ops

    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not items:
        raise ParamError("geometry", "is one [[geometry]] table per operation, run in order")
    ops = {op.id: op for op in geometry_ops()}
    out = []
    for i, item in enumerate(items):
        where = f"geometry[{i}]"
        if not isinstance(item, dict):
            raise ParamError(where, "must be a table")
        op = ops.get(item.get("op"))
        if op is None:
            raise ParamError(f"{where}.op", f"must be one of {', '.join(ops)}, not {item.get('op')!r}")
        out.append({"op": op.id, **op.validate({k: v for k, v in item.items() if k != "op"}, where)})
    return out


def run_geometry(shot: Shot, steps: list[dict[str, Any]]) -> None:
    doc = shot.document()
    for step in steps:
        REGISTRY.get(step["op"]).run(doc, {k: v for k, v in step.items() if k != "op"})


# --- background ------------------------------------------------------------------------------

def _background_check(values: dict[str, Any]) -> None:
    if values["type"] == "image" and not values["image"]:
        raise ValueError("background type \"image\" needs image = the file's path")


@lru_cache(maxsize=4)
def _cover(path: str, width: int, height: int) -> np.ndarray:
    """The background image scaled to cover width x height and centred (geometry core)."""
    from editor.geometry import resize_canvas, resize_image
    from editor.masks.batch import read_pixels
    from editor.render import flatten_rgba

    pixels = read_pixels(Path(path))
    doc = Document(pixels.shape[1], pixels.shape[0], history_budget=0)
    doc.root.insert(0, Layer("background", pixels.copy()))
    scale = max(width / doc.width, height / doc.height)
    w, h = max(width, round(doc.width * scale)), max(height, round(doc.height * scale))
    if (w, h) != (doc.width, doc.height):
        resize_image(doc, w, h, "lanczos" if scale > 1 else "area")
    resize_canvas(doc, width, height, "center")
    return flatten_rgba(doc)


def add_background(shot: Shot, params: dict[str, Any]) -> None:
    import cv2

    doc = shot.document()
    kind = params["type"]
    if kind == "transparent":
        return
    if kind == "colour":
        node: Any = FillLayer("background", (*parse_colour(params["colour"]), 255))
    elif kind == "image":
        node = Layer("background", _cover(params["image"], doc.width, doc.height).copy())
    else:  # the original, blurred, where the subject layer's pixels reach
        layer = shot.layer
        assert layer is not None
        sigma = params["blur"]
        blurred = cv2.GaussianBlur(layer.pixels, (0, 0), sigma)
        node = Layer("background", blurred, offset=layer.offset)
    doc.root.insert(0, node)


# --- export ----------------------------------------------------------------------------------

def export_names(exports: list[dict[str, Any]]) -> list[str]:
    """Each export's file-name tail (suffix + extension); two exports writing one file are refused."""
    names = []
    for i, item in enumerate(exports):
        tail = item["suffix"] + EXPORT_FORMATS[item["format"]][1]
        if tail in names or tail in (".mask.png", ".ora"):
            raise ParamError(f"export[{i}].suffix", f"another output is written as <name>{tail} already")
        names.append(tail)
    return names


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def encode(rgba: np.ndarray, params: dict[str, Any], exif: bytes | None) -> bytes:
    """One export's bytes. Pillow writes the sRGB profile and EXIF; without either, the io
    package's encoder (OpenCV for PNG/JPEG/WebP, fastest) does it, flattening a JPEG."""
    from PIL import Image

    from editor.io.images import encode_image, flatten_on

    fmt = EXPORT_FORMATS[params["format"]][0]
    background = parse_colour(params["background"])
    keep = exif if params["metadata"] == "keep" else None
    if not params["icc"] and keep is None:
        return encode_image(rgba, fmt, quality=params["quality"], background=background)
    extra: dict[str, Any] = {}
    if params["icc"]:
        extra["icc_profile"] = srgb_profile()
    if keep:
        extra["exif"] = keep
    out = io.BytesIO()
    if fmt == "JPEG":
        Image.fromarray(flatten_on(rgba, background), "RGB").save(out, "JPEG", quality=params["quality"], **extra)
    elif fmt == "PNG":
        Image.fromarray(rgba, "RGBA").save(out, "PNG", compress_level=1, **extra)
    elif fmt == "WEBP":
        Image.fromarray(rgba, "RGBA").save(out, "WEBP", quality=params["quality"], **extra)
    else:
        Image.fromarray(rgba, "RGBA").save(out, "TIFF", compression="tiff_adobe_deflate", **extra)
    return out.getvalue()


def _labels_check(values: dict[str, Any]) -> None:
    bad = [f for f in values["formats"] if f not in LABEL_FORMATS]
    if bad or not values["formats"]:
        raise ValueError(f"labels.formats are some of {', '.join(LABEL_FORMATS)}, not {values['formats']!r}")


STEPS: dict[str, Operation] = {}


def _register_steps() -> None:
    STEPS["refine"] = _step("refine", "Refine edge", _refine_params(), run_refine)
    STEPS["despill"] = _step("despill", "Despill", (
        Param("key", "str", "auto", "the screen's colour: auto (the chroma key's, or the border's), green, blue, "
                                     "#rrggbb", check=_despill_key),
        Param("mode", "choice", "max", "limit the key channel by the max or the average of the others",
              choices=("max", "average")),
    ), run_despill)
    STEPS["background"] = _step("background", "Background", (
        Param("type", "choice", "transparent", "what shows behind the subject",
              choices=("transparent", "colour", "image", "blur")),
        Param("colour", "colour", "#ffffff", "type colour: the colour"),
        Param("image", "str", None, "type image: a file (relative to the recipe), scaled to cover", nullable=True),
        Param("blur", "float", 25.0, "type blur: Gaussian sigma in pixels", 0.1, 1000.0),
    ), add_background, _background_check)
    STEPS["trim"] = _step("trim", "Trim to subject", (
        Param("margin", "length", 0, "space around the subject's bounds: pixels or a % of its longer side"),
    ), run_trim)
    STEPS["fit"] = _step("fit", "Fit onto canvas", (
        Param("width", "int", help="canvas width", minimum=1, maximum=30000),
        Param("height", "int", help="canvas height", minimum=1, maximum=30000),
        Param("mode", "choice", "pad", "pad: fit inside and pad; fill: cover and crop", choices=("pad", "fill")),
        Param("anchor", "choice", "center", "where the picture sits", choices=ANCHORS),
        Param("upscale", "bool", True, "scale small subjects up to the canvas"),
        Param("resample", "choice", "lanczos", "resampler", choices=RESAMPLE),
    ), run_fit)
    image_size = REGISTRY.get("image-size").schema  # the geometry operation's own parameters
    STEPS["resize"] = _step("resize", "Resize", image_size.params, run_resize, image_size.check)
    STEPS["export"] = _step("export", "Export", (
        Param("format", "choice", help="file format", choices=tuple(EXPORT_FORMATS)),
        Param("quality", "int", 90, "JPEG/WebP quality", 1, 100),
        Param("suffix", "str", "", "added to the input's name before the extension"),
        Param("icc", "bool", True, "embed the sRGB profile"),
        Param("metadata", "choice", "strip", "keep the input's EXIF or strip it", choices=("keep", "strip")),
        Param("background", "colour", "#ffffff", "JPEG: the colour under transparent pixels"),
    ), lambda shot, params: None)
    STEPS["outputs"] = _step("outputs", "Extra outputs", (
        Param("mask", "bool", False, "also write <name>.mask.png"),
        Param("ora", "bool", False, "also write <name>.ora, layered with the live mask"),
    ), lambda shot, params: None)
    STEPS["labels"] = _step("labels", "Recognition labels", (
        Param("formats", "list", ["coco"], "some of coco, png, yolo"),
        Param("class", "str", None, "the class name (default: the mask's layer name)", nullable=True),
    ), lambda shot, params: None, _labels_check)


_register_steps()


# --- one image -------------------------------------------------------------------------------

@dataclass
class ImageResult:
    src: str
    outputs: list[str]
    size: tuple[int, int]
    uncertainty: float  # share of the subject's pixels that are half transparent
    seconds: float
    annotation: dict[str, Any] | None = None  # COCO-ready instance (labels)
    cpu_seconds: float = 0.0  # this process's CPU time on it (wall time counts a busy machine's waits)


def output_paths(src: Path, out_dir: Path, recipe) -> list[Path]:
    """Every file a recipe writes for `src`, in the order they are written."""
    stem = src.stem
    paths = [out_dir / f"{stem}{tail}" for tail in export_names(recipe.exports)]
    outputs = recipe.get("outputs") or {}
    if outputs.get("mask"):
        paths.append(out_dir / f"{stem}.mask.png")
    if outputs.get("ora"):
        paths.append(out_dir / f"{stem}.ora")
    labels = recipe.get("labels")
    if labels:
        if "png" in labels["formats"]:
            paths.append(out_dir / "labels" / f"{stem}.png")
        if "yolo" in labels["formats"]:
            paths.append(out_dir / "labels" / f"{stem}.txt")
    return paths


def read_shot(src: Path) -> Shot:
    from PIL import Image

    from editor.masks.batch import read_pixels

    # The decoded array is this shot's own (the document it came in is dropped): the colour
    # steps may change it in place; only a shared or read-only one is copied (12 MP: 48 MB).
    pixels = np.require(read_pixels(src), np.uint8, ("C_CONTIGUOUS", "WRITEABLE", "OWNDATA"))
    exif = None
    if src.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"):
        try:
            with Image.open(src) as im:
                exif = im.info.get("exif") or (im.getexif().tobytes() if len(im.getexif()) else None)
        except (OSError, ValueError):
            exif = None
    return Shot(src, pixels, exif=exif)


def subject_window(shot: Shot, recipe) -> Rect | None:
    """The part of the frame the steps after the mask can run on instead of all of it, with the
    same outputs: a recipe that trims to the subject keeps only the subject's bounds plus its
    margin, so refining, despilling and trimming the whole 12 MP frame is mostly work on pixels
    the trim then throws away. The window holds the mask's nonzero bounds, what refine needs
    around them for the same result (masks.refine.refine_window) and the trim's margin around
    anything refine can reach. None (the whole frame) without a trim or with [[geometry]]
    steps (they run before the trim), for an empty mask, or when refine has radius strokes."""
    trim = recipe.get("trim")
    if trim is None or recipe.get("geometry") or shot.mask is None:
        return None
    rows = np.flatnonzero(shot.mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(shot.mask.any(axis=0))
    h, w = shot.mask.shape
    frame = Rect(0, 0, w, h)
    bounds = Rect.from_bounds(int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
    window, reach = bounds, 0
    if recipe.get("refine") is not None:
        from editor.masks.refine import RefineParams, refine_reach, refine_window

        params = RefineParams.from_dict(recipe.get("refine"))
        found = refine_window((bounds.x, bounds.y, bounds.right, bounds.bottom), (h, w), params)
        if found is None:
            return None
        window, reach = Rect.from_bounds(*found), refine_reach(params)
    subject = bounds.adjusted(reach).intersect(frame)  # the refined subject lies inside
    window = window.union(subject.adjusted(margin_pixels(trim["margin"], subject)).intersect(frame))
    return None if window == frame else window


def crop_shot(shot: Shot, window: Rect, recipe) -> None:
    """Keep only `window` of the shot (before its document is made). A despill's "auto" screen
    is found on the whole frame's border first, as it is without the window."""
    from editor.masks.generators import resolve_key

    despill = recipe.get("despill")
    if despill is not None and despill["key"] == "auto" and not shot.key:
        shot.key = resolve_key(shot.pixels, {"kind": "chroma-key", "key": "auto"})["key"]
    rows, cols = window.slices()
    shot.pixels = np.ascontiguousarray(shot.pixels[rows, cols])
    if shot.mask is not None:
        shot.mask = np.ascontiguousarray(shot.mask[rows, cols])


def run_recipe(shot: Shot, recipe) -> tuple[np.ndarray, np.ndarray]:
    """Run the steps; the final straight RGBA and the subject's alpha on the final canvas."""
    from editor.render import flatten_rgba

    if recipe.get("mask"):
        run_mask(shot, recipe.get("mask"))
    window = subject_window(shot, recipe)
    if window is not None:
        crop_shot(shot, window, recipe)
    for name in ("refine", "despill"):
        if recipe.get(name) is not None:
            STEPS[name].run(shot, recipe.get(name))
    if recipe.get("geometry"):
        run_geometry(shot, recipe.get("geometry"))
    for name in ("trim", "fit", "resize"):
        if recipe.get(name) is not None:
            STEPS[name].run(shot, recipe.get(name))
    doc = shot.document()
    subject = flatten_rgba(doc)
    alpha = subject[..., 3].copy()
    background = recipe.get("background")
    if background and background["type"] != "transparent":
        add_background(shot, background)  # in the document too, for the layered .ora
        if background["type"] == "colour":  # one integer pass, not a second full render
            from .compose import over_colour

            return over_colour(subject, parse_colour(background["colour"])), alpha
        return flatten_rgba(doc), alpha
    return subject, alpha


def uncertainty(alpha: np.ndarray) -> float:
    """How unsure a mask is: the share of the subject's pixels that are neither 0 nor 255."""
    subject = np.count_nonzero(alpha)
    return float(np.count_nonzero((alpha > 0) & (alpha < 255)) / subject) if subject else 1.0


def process_image(src: str | Path, out_dir: str | Path, recipe) -> ImageResult:
    """Run `recipe` on one file and write its outputs atomically; raises on a bad image
    (FileFormatError, ValueError, OSError), leaving no partial file under a final name."""
    from editor.io.atomic import atomic_write
    from editor.io.files import write_project
    from editor.io.images import encode_png

    from .labels import instance_annotation, instance_png, yolo_lines

    t0, c0 = time.perf_counter(), time.process_time()
    src, out_dir = Path(src), Path(out_dir)
    shot = read_shot(src)
    final, alpha = run_recipe(shot, recipe)
    paths = output_paths(src, out_dir, recipe)
    blobs: list[tuple[Path, Any]] = []
    for params, path in zip(recipe.exports, paths, strict=False):
        blobs.append((path, encode(final, params, shot.exif)))
    rest = paths[len(recipe.exports):]
    outputs = recipe.get("outputs") or {}
    labels = recipe.get("labels")
    h, w = alpha.shape
    klass = (labels or {}).get("class") or shot.name
    for path in rest:
        if path.name.endswith(".mask.png"):
            blobs.append((path, encode_png(alpha)))
        elif path.suffix == ".ora":
            blobs.append((path, "ora"))
        elif path.suffix == ".png":
            blobs.append((path, encode_png(instance_png([alpha]))))
        else:
            blobs.append((path, "".join(yolo_lines([(0, alpha)], w, h)).encode()))
    for path, data in blobs:
        path.parent.mkdir(parents=True, exist_ok=True)
        if data == "ora":
            write_project(shot.document(), path)
            continue
        with atomic_write(path) as f:
            f.write(data)
    annotation = instance_annotation(alpha, klass) if labels and "coco" in labels["formats"] else None
    del outputs
    return ImageResult(str(src), [str(p) for p in paths], (w, h), uncertainty(alpha), time.perf_counter() - t0,
                       annotation, time.process_time() - c0)
