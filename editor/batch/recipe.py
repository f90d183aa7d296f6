"""Batch recipes: a TOML or JSON file saying which steps to run on every image, checked whole
before any image is touched.

    version = 1
    [mask]                       # generator = any registered mask generator (see `veil mask`),
    generator = "chroma-key"     #   "alpha" (the file's own transparency) or "file" (a mask beside
    key = "auto"                 #   each image, `pattern` = "{stem}.mask.png"); the rest are the
    name = "product"             #   generator's parameters; `name` names the layer (the label class)
    [refine]                     # Refine Edge's parameters (radius, smooth, feather, contrast, ...)
    radius = 6
    [despill]                    # key = auto|green|blue|#rrggbb, mode = max|average
    [[geometry]]                 # a registered geometry operation (editor.geometry.operations), one
    op = "rotate-canvas"         #   table each, run in order: crop, crop-to-selection, trim, reveal-all,
    angle = 90                   #   image-size, canvas-size, rotate-canvas, flip-canvas, transform-layer;
                                 #   the rest of the table is its parameters
    [background]                 # type = transparent|colour|image|blur (+ colour, image, blur)
    type = "colour"
    colour = "#ffffff"
    [trim]                       # crop to the subject's bounds plus margin (px, or "5%" of its long side)
    margin = "5%"
    [fit]                        # onto width x height: mode pad (with anchor) or fill (and crop)
    width = 2000
    height = 2000
    [resize]                     # width and/or height, or scale; resample = a geometry resampler
    [[export]]                   # one table per file: format png|jpeg|webp|tiff, quality, suffix,
    format = "jpeg"              #   icc (embed sRGB), metadata keep|strip, background (JPEG)
    [outputs]                    # mask = true: the mask PNG too; ora = true: a layered .ora with
    mask = true                  #   the live mask, to fix one image in the window
    [labels]                     # formats = ["coco", "png", "yolo"], class = the label's class

Every section is a registered operation (`editor.core.operations`): its schema validates the
values, and an error names the line, the parameter and the reason (`RecipeError`).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.core.operations import ParamError, dumps_toml

RECIPE_VERSION = 1
MASK_SOURCES = ("alpha", "file")  # mask steps that are no generator
STEP_ORDER = ("mask", "refine", "despill", "geometry", "background", "trim", "fit", "resize", "export", "outputs",
              "labels")


class RecipeError(ValueError):
    """A recipe that cannot run: `where` is "file:line" when the line is known."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


@dataclass
class Recipe:
    """A validated recipe: each present step's canonical parameters, in STEP_ORDER."""

    steps: dict[str, Any]
    path: Path | None = None
    extra_hash: str = ""  # content hashes of files the recipe reads (a background image)
    hash: str = field(init=False)

    def __post_init__(self) -> None:
        canonical = json.dumps({"version": RECIPE_VERSION, **self.steps}, sort_keys=True)
        self.hash = hashlib.sha256((canonical + self.extra_hash).encode()).hexdigest()

    def get(self, step: str) -> Any:
        return self.steps.get(step)

    @property
    def exports(self) -> list[dict[str, Any]]:
        return list(self.steps.get("export") or [])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": RECIPE_VERSION}
        for name, values in self.steps.items():
            if name == "mask":
                values = {k: v for k, v in values.items() if k != "params"} | dict(values.get("params", {}))
            out[name] = values
        return out

    def to_toml(self) -> str:
        return dumps_toml(self.to_dict())

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


# --- reading -------------------------------------------------------------------------------

def load_recipe(path: str | Path) -> Recipe:
    """Read and validate a recipe file (.toml or .json); RecipeError with line and reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise RecipeError(str(path), f"cannot read it ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise RecipeError(str(path), "is not UTF-8 text") from None
    fmt = "json" if path.suffix.lower() == ".json" else "toml"
    recipe = parse_recipe(text, fmt, name=str(path), base=path.parent)
    recipe.path = path
    return recipe


def parse_recipe(text: str, fmt: str = "toml", *, name: str = "recipe", base: Path | None = None) -> Recipe:
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise RecipeError(f"{name}:{e.lineno}", f"not valid JSON ({e.msg})") from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            line = re.search(r"line (\d+)", str(e))
            raise RecipeError(f"{name}:{line.group(1)}" if line else name, f"not valid TOML ({e})") from None
    try:
        return validate_recipe(data, base=base)
    except ParamError as e:
        line = locate(text, e.path, fmt)
        raise RecipeError(f"{name}:{line}" if line else name, str(e)) from None


def validate_recipe(data: Any, *, base: Path | None = None) -> Recipe:
    """The Recipe of already-parsed data; ParamError naming the step and parameter."""
    from .steps import STEPS, export_names, validate_geometry, validate_mask

    if not isinstance(data, Mapping):
        raise ParamError("", "a recipe is a table of steps")
    version = data.get("version", RECIPE_VERSION)
    if version != RECIPE_VERSION:
        raise ParamError("version", f"must be {RECIPE_VERSION}, not {version!r}")
    steps: dict[str, Any] = {}
    for key in data:
        if key != "version" and key not in STEP_ORDER:
            raise ParamError(key, f"unknown step; expected one of {', '.join(STEP_ORDER)}")
    extra = ""
    for name in STEP_ORDER:
        if name not in data:
            continue
        value = data[name]
        if name == "mask":
            steps[name] = validate_mask(value)
        elif name == "geometry":
            steps[name] = validate_geometry(value)
        elif name == "export":
            items = [value] if isinstance(value, Mapping) else value
            if not isinstance(items, list) or not items:
                raise ParamError("export", "is one [[export]] table per file to write")
            steps[name] = [STEPS[name].validate(item, f"export[{i}]") for i, item in enumerate(items)]
            export_names(steps[name])  # two exports writing one file are refused here
        else:
            steps[name] = STEPS[name].validate(value, name)
    background = steps.get("background")
    if background and background["type"] == "image":
        image = Path(background["image"])
        if not image.is_absolute() and base is not None:
            image = base / image
        background["image"] = str(image)
        try:
            extra = hashlib.sha256(image.read_bytes()).hexdigest()
        except OSError as e:
            raise ParamError("background.image", f"cannot read {image} ({e.strerror or e})") from None
    if steps.get("labels") and "mask" not in steps:
        raise ParamError("labels", "labels need a mask step (each image's mask is its instance)")
    if not steps.get("export") and not (steps.get("outputs") or {}).get("mask") and not (steps.get("outputs") or {}).get("ora") \
            and not steps.get("labels"):
        raise ParamError("export", "the recipe writes nothing: add an [[export]] table (or outputs / labels)")
    return Recipe(steps, None, extra)


def locate(text: str, path: str, fmt: str = "toml") -> int | None:
    """The 1-based line of `path` ("fit.width", "export[1].quality", "mask") in the recipe's
    text, or of its section when the key itself is not written (a missing required value)."""
    if not path:
        return None
    parts = path.split(".")
    head = parts[0]
    m = re.match(r"^(\w+)\[(\d+)\]$", head)
    section, index = (m.group(1), int(m.group(2))) if m else (head, 0)
    key = parts[1] if len(parts) > 1 else None
    lines = text.splitlines()
    if fmt == "json":
        return _locate_json(lines, section, index, key)
    start = None
    count = -1
    header = re.compile(r"^\s*\[\[?\s*" + re.escape(section) + r"\s*\]\]?\s*(#.*)?$")
    for i, line in enumerate(lines):
        if header.match(line):
            count += 1
            if count == index:
                start = i
                break
    key_re = re.compile(r"^\s*\"?" + re.escape(key or section) + r"\"?\s*=")
    if start is None:  # a root-level key, or an inline table
        for i, line in enumerate(lines):
            if re.match(r"^\s*\[", line):
                break
            if key_re.match(line):
                return i + 1
        return None
    if key is None:
        return start + 1
    for i in range(start + 1, len(lines)):
        if re.match(r"^\s*\[", lines[i]):
            break
        if key_re.match(lines[i]):
            return i + 1
    return start + 1


def _locate_json(lines: list[str], section: str, index: int, key: str | None) -> int | None:
    found = None
    for i, line in enumerate(lines):
        if f'"{section}"' in line:
            found = i
            break
    if found is None:
        return None
    if key is None:
        return found + 1
    seen = -1
    for i in range(found, len(lines)):
        if index and "{" in lines[i] and i > found:
            seen += 1
        if f'"{key}"' in lines[i] and (not index or seen >= index):
            return i + 1
    return found + 1


# --- File > Save as Recipe ----------------------------------------------------------------------

def recipe_from_document(doc) -> Recipe:
    """The recipe of what was done to a document: the masked layer's generator (and the refine
    edge run on it), the background under it (a fill layer's colour), and the framing (the
    canvas size, and the subject's smallest distance to the canvas edges as the trim margin),
    exported as PNG. ValueError when no layer has a generated mask to repeat."""
    import numpy as np

    from editor.core import FillLayer, Layer

    layers = [n for n in doc.nodes() if isinstance(n, Layer) and n.mask is not None]
    active = doc.active if doc.active in layers else None
    layer = active or next((n for n in reversed(layers) if n.mask.generator), layers[-1] if layers else None)
    if layer is None:
        raise ValueError("no layer has a mask: a recipe repeats a mask generator")
    steps: dict[str, Any] = {}
    generator = dict(layer.mask.generator or {})
    if generator.get("kind") == "refine-edge":
        steps["refine"] = {k: v for k, v in generator.items() if k not in ("kind", "base")}
        generator = dict(generator.get("base") or {})
    kind = generator.pop("kind", None)
    if kind is None:
        raise ValueError(f"{layer.name}'s mask was painted, not generated: there is no generator to repeat")
    steps["mask"] = {"generator": kind, "name": layer.name, **{k: v for k, v in generator.items() if v is not None}}
    bottom = doc.root.children[0] if doc.root.children else None
    if isinstance(bottom, FillLayer) and bottom is not layer:
        steps["background"] = {"type": "colour", "colour": "#{:02x}{:02x}{:02x}".format(*bottom.color[:3])}
    canvas = np.zeros((doc.height, doc.width), bool)
    where = layer.bounds().intersect(doc.canvas)
    if not where.empty:
        data = layer.mask.data[where.translated(-layer.x, -layer.y).slices()]
        canvas[where.slices()] = data > 0
    rows, cols = np.flatnonzero(canvas.any(axis=1)), np.flatnonzero(canvas.any(axis=0))
    if rows.size:
        margin = min(int(cols[0]), int(rows[0]), doc.width - 1 - int(cols[-1]), doc.height - 1 - int(rows[-1]))
        steps["trim"] = {"margin": max(0, margin)}
    steps["fit"] = {"width": doc.width, "height": doc.height}
    steps["export"] = [{"format": "png"}]
    try:
        return validate_recipe(steps)
    except ParamError as e:
        raise ValueError(f"this document's steps do not make a recipe: {e}") from None


def save_recipe(recipe: Recipe, path: str | Path) -> None:
    """Write the recipe (TOML, or JSON for a .json name) atomically."""
    from editor.io.atomic import atomic_write

    text = recipe.to_json() if str(path).lower().endswith(".json") else recipe.to_toml()
    with atomic_write(path) as f:
        f.write(text.encode("utf-8"))
