"""The geometry operations on the one registry (category "geometry"): what recipes and the CLI name.

Each is an `Operation` whose `run(doc, params)` calls an editor.geometry function (or Free
Transform's `transform_command` for "transform-layer") and returns its undo command, None when
nothing changed. `extra["command"](doc, params, progress=None)` is the same work without
touching the document (for a worker; `doc.execute` the result). Registered when
editor.geometry is imported.

The Image menu is built from the entries' `menu` (editor.ui.image_menu): text, order, section,
shortcut, icon, fixed params, the dialog that asks for the rest, enabled-when. A new geometry
operation with a MenuEntry here appears there with nothing else to change (a new dialog name
needs its dialog in the window).

    crop               rect = [x, y, w, h], delete_pixels
    crop-to-selection  delete_pixels
    trim               based_on = transparent | top_left_color, sides, delete_pixels
    reveal-all
    image-size         width and/or height (the other keeps the aspect) or scale; resample
    canvas-size        width, height, anchor, relative, colour
    rotate-canvas      angle (degrees clockwise), resample
    flip-canvas        direction = horizontal | vertical
    transform-layer    layer (name; the active one by default), angle, scale_x, scale_y, dx, dy,
                       interpolation; about the layer's centre, as Free Transform's reference point
    turn-layers        turn = rotate_180 | rotate_cw | rotate_ccw | flip_h | flip_v, layers (names;
                       the active node by default), part = pixels | mask (default: what is edited);
                       exact (no resampling), about the layers' common bounds: Edit > Transform's
                       flips and quarter turns (the window passes its selected layers as `nodes`)
"""

from __future__ import annotations

from typing import Any

from editor.core import Document, Layer, Rect
from editor.core.operations import REGISTRY, MenuEntry, Operation, Param, Schema, parse_colour

from . import ops
from .resample import RESAMPLE

GEOMETRY = "geometry"
DIRECTIONS = ("horizontal", "vertical")
MAX_SIDE = 30000


def image_size(doc: Document, params: dict[str, Any]) -> tuple[int, int]:
    """The new size for image-size's params: both given, one (the other keeps the aspect) or a scale."""
    if params["scale"] is not None:
        w, h = round(doc.width * params["scale"]), round(doc.height * params["scale"])
    elif params["width"] is not None and params["height"] is not None:
        w, h = params["width"], params["height"]
    elif params["width"] is not None:
        w, h = params["width"], round(doc.height * params["width"] / doc.width)
    else:
        w, h = round(doc.width * params["height"] / doc.height), params["height"]
    return max(1, w), max(1, h)


def _image_size_check(values: dict[str, Any]) -> None:
    given = [k for k in ("width", "height", "scale") if values[k] is not None]
    if not given:
        raise ValueError("needs width, height (the other follows the aspect) or scale")
    if "scale" in given and len(given) > 1:
        raise ValueError("takes scale or width/height, not both")


def _canvas_size(doc: Document, params: dict[str, Any]) -> tuple[int, int]:
    w, h = params["width"], params["height"]
    if params["relative"]:
        w, h = doc.width + w, doc.height + h
    return w, h


def _colour(params: dict[str, Any]) -> tuple[int, int, int] | None:
    return None if params["colour"] is None else parse_colour(params["colour"])


def _sides(value: list) -> None:
    bad = [s for s in value if s not in ops.TRIM_SIDES]
    if bad or not value:
        raise ValueError(f"sides are some of {', '.join(ops.TRIM_SIDES)}, not {value!r}")


def _target(doc: Document, name: str | None) -> Layer:
    if name is None:
        if not isinstance(doc.active, Layer):
            raise ValueError("transform-layer needs a pixel layer: name one with layer = \"...\"")
        return doc.active
    found = [n for n in doc.nodes() if isinstance(n, Layer) and n.name == name]
    if not found:
        raise ValueError(f"no pixel layer is named {name!r}")
    return found[0]


def transform_matrix(doc: Document, params: dict[str, Any]):
    """The document matrix of transform-layer's params: scale, then rotate, about the layer's centre, then move."""
    from editor.render.warp import rotation, scaling, translation

    b = _target(doc, params["layer"]).bounds()
    cx, cy = b.x + b.w / 2, b.y + b.h / 2
    return translation(params["dx"], params["dy"]) @ rotation(params["angle"], cx, cy) @ \
        scaling(params["scale_x"], params["scale_y"], cx, cy)


def _transform_command(doc: Document, params: dict[str, Any], progress=None):
    from editor.render.transform import transform_command

    return transform_command(doc, [_target(doc, params["layer"])], transform_matrix(doc, params),
                             params["interpolation"], progress=progress, label="Transform layer")


TURNS = {"rotate_180": "Rotate 180°", "rotate_cw": "Rotate 90° Clockwise", "rotate_ccw": "Rotate 90° Counter Clockwise",
         "flip_h": "Flip Horizontal", "flip_v": "Flip Vertical"}


def exact_turn(turn: str, rect):
    """The flip or quarter turn of `rect` about its centre, nudged so the result lands on whole pixels."""
    import numpy as np

    from editor.render import freetransform as ft
    from editor.render.warp import apply_points, translation

    centre = (rect.x + rect.w / 2, rect.y + rect.h / 2)
    eye = np.eye(3)
    m = {"flip_h": lambda: ft.flip(eye, centre, True), "flip_v": lambda: ft.flip(eye, centre, False),
         "rotate_180": lambda: ft.turn(eye, centre, 180), "rotate_cw": lambda: ft.turn(eye, centre, 90),
         "rotate_ccw": lambda: ft.turn(eye, centre, -90)}[turn]()
    corners = apply_points(m, ft.source_corners(rect))
    low = corners.min(axis=0)
    return translation(*(np.floor(low + 0.5) - low)) @ m


def _turn_targets(doc: Document, names: list) -> list:
    if not names:
        return [] if doc.active is None else [doc.active]
    by_name = {n.name: n for n in reversed(list(doc.nodes()))}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise ValueError(f"no layer is named {missing[0]!r}")
    return [by_name[n] for n in names]


def turn_nodes(doc: Document, params: dict[str, Any], nodes=None) -> list:
    """What turn-layers turns: `nodes` (the window's selected layers) or the `layers` named, less
    those inside another chosen group; ValueError when one is locked or none can transform."""
    from editor.render.transform import top_level, transformable

    chosen = top_level(list(nodes) if nodes is not None else _turn_targets(doc, params["layers"]))
    if not chosen or any(n.locked for n in chosen) or not all(transformable(n) for n in chosen):
        raise ValueError("Select an unlocked layer to transform")
    return chosen


def _turn_command(doc: Document, params: dict[str, Any], progress=None, nodes=None):
    """`nodes` (the window's selected layers) stands in for the `layers` names."""
    from editor.render.transform import target_bounds, transform_command

    chosen = turn_nodes(doc, params, nodes)
    part = params["part"] or ("mask" if doc.edit_mask else "pixels")
    rect = target_bounds(doc, chosen, part)
    if rect is None:
        return None
    return transform_command(doc, chosen, exact_turn(params["turn"], rect), "nearest", part=part, progress=progress,
                             label=TURNS[params["turn"]])


def _run_command(command):
    """`run` from a `command(doc, params, progress=None)`: execute what it returns, as one undo step."""
    def run(doc: Document, params: dict[str, Any]):
        cmd = command(doc, params)
        if cmd is not None:
            doc.execute(cmd)
        return cmd
    return run


def _register(op_id: str, label: str, params: tuple[Param, ...], command, *, check=None, slow: bool = False,
              menu: MenuEntry | tuple[MenuEntry, ...] | None = None) -> None:
    REGISTRY.register(Operation(op_id, label, Schema(params, check), _run_command(command), category=GEOMETRY,
                                slow=slow, menu=menu, extra={"command": command}), replace=True)


def has_selection(doc: Document) -> bool:
    """Enabled-when for Crop to Selection: something is selected."""
    return doc.selection is not None and doc.selection.bounds() is not None


IMAGE, ROTATION = "image", "image/Image Rotation"


def _interpolations() -> tuple[str, ...]:
    from editor.render.warp import INTERPOLATIONS

    return tuple(INTERPOLATIONS)


def register() -> None:
    delete = Param("delete_pixels", "bool", True, "cut layers to the new canvas (off: they keep what is outside, "
                                                  "for Reveal All)")
    resample = Param("resample", "choice", "bicubic", "resampling (area is for shrinking)", choices=RESAMPLE)
    _register("crop", "Crop", (Param("rect", "rect", help="the rectangle to keep: x, y, w, h in pixels"), delete),
              lambda doc, p, progress=None: ops.crop_command(doc, Rect(*p["rect"]), delete_pixels=p["delete_pixels"]))
    _register("crop-to-selection", "Crop to Selection", (delete,),
              lambda doc, p, progress=None: ops.crop_to_selection_command(doc, delete_pixels=p["delete_pixels"]),
              menu=MenuEntry("crop_to_selection", "Crop to Selection", 40, menu=IMAGE, section=1, icon="crop",
                             enabled=has_selection))
    _register("trim", "Trim", (
        Param("based_on", "choice", "transparent", "what is trimmed away", choices=ops.TRIM_BASES),
        Param("sides", "list", list(ops.TRIM_SIDES), "which borders go", check=_sides),
        delete,
    ), lambda doc, p, progress=None: ops.trim_command(doc, p["based_on"], delete_pixels=p["delete_pixels"],
                                                      sides=tuple(p["sides"])),
        menu=MenuEntry("trim", "Trim…", 50, menu=IMAGE, section=1, icon="crop-square", dialog="trim"))
    _register("reveal-all", "Reveal All", (), lambda doc, p, progress=None: ops.reveal_all_command(doc),
              menu=MenuEntry("reveal_all", "Reveal All", 60, menu=IMAGE, section=1, icon="arrow-expand-all"))
    _register("image-size", "Image Size", (
        Param("width", "int", None, "new width in pixels", 1, MAX_SIDE, nullable=True),
        Param("height", "int", None, "new height in pixels", 1, MAX_SIDE, nullable=True),
        Param("scale", "float", None, "scale factor (0.5 halves)", 0.001, 100.0, nullable=True),
        resample,
    ), lambda doc, p, progress=None: ops.resize_image_command(doc, *image_size(doc, p), p["resample"], progress),
        check=_image_size_check, slow=True,
        menu=MenuEntry("image_size", "Image Size…", 10, "Ctrl+Alt+I", menu=IMAGE, icon="resize", dialog="image-size"))
    _register("canvas-size", "Canvas Size", (
        Param("width", "int", help="new canvas width (with relative: pixels added, negative removes)",
              minimum=-MAX_SIDE, maximum=MAX_SIDE),
        Param("height", "int", help="new canvas height (with relative: pixels added)", minimum=-MAX_SIDE,
              maximum=MAX_SIDE),
        Param("anchor", "choice", "center", "where the picture stays", choices=ops.ANCHORS),
        Param("relative", "bool", False, "width and height are added to the current size"),
        Param("colour", "colour", None, "paint what the canvas gains in this colour (default transparent)",
              nullable=True),
    ), lambda doc, p, progress=None: ops.resize_canvas_command(doc, *_canvas_size(doc, p), p["anchor"], _colour(p)),
        menu=MenuEntry("canvas_size", "Canvas Size…", 20, "Ctrl+Alt+C", menu=IMAGE, icon="crop-free",
                       dialog="canvas-size"))
    _register("rotate-canvas", "Image Rotation", (
        Param("angle", "float", help="degrees clockwise (negative: counter-clockwise); multiples of 90 are exact",
              minimum=-3600, maximum=3600),
        resample,
    ), lambda doc, p, progress=None: ops.rotate_canvas_command(doc, p["angle"], p["resample"], progress), slow=True,
        menu=(MenuEntry("rotate_180", "180°", 30, menu=ROTATION, icon="rotate-3d-variant", params={"angle": 180},
                        slow=False),
              MenuEntry("rotate_cw", "90° Clockwise", 31, menu=ROTATION, icon="rotate-right", params={"angle": 90},
                        slow=False),
              MenuEntry("rotate_ccw", "90° Counter Clockwise", 32, menu=ROTATION, icon="rotate-left",
                        params={"angle": -90}, slow=False),
              MenuEntry("rotate_arbitrary", "Arbitrary…", 33, menu=ROTATION, icon="rotate-orbit", dialog="rotate")))
    _register("flip-canvas", "Flip Canvas", (
        Param("direction", "choice", help="mirror left-right (horizontal) or top-bottom (vertical)",
              choices=DIRECTIONS),
    ), lambda doc, p, progress=None: ops.flip_canvas_command(doc, p["direction"]),
        menu=(MenuEntry("flip_h", "Flip Canvas Horizontal", 35, menu=ROTATION, section=1, icon="flip-horizontal",
                        params={"direction": "horizontal"}),
              MenuEntry("flip_v", "Flip Canvas Vertical", 36, menu=ROTATION, section=1, icon="flip-vertical",
                        params={"direction": "vertical"})))
    _register("transform-layer", "Transform Layer", (
        Param("layer", "str", None, "the pixel layer's name (default: the active layer)", nullable=True),
        Param("angle", "float", 0.0, "degrees clockwise about the layer's centre", -3600, 3600),
        Param("scale_x", "float", 1.0, "horizontal scale factor", 0.001, 100.0),
        Param("scale_y", "float", 1.0, "vertical scale factor", 0.001, 100.0),
        Param("dx", "float", 0.0, "then move right by this many pixels", -MAX_SIDE, MAX_SIDE),
        Param("dy", "float", 0.0, "then move down by this many pixels", -MAX_SIDE, MAX_SIDE),
        Param("interpolation", "choice", "bicubic", "resampling", choices=_interpolations()),
    ), _transform_command, slow=True)
    _register("turn-layers", "Turn Layers", (
        Param("turn", "choice", help="the flip or quarter turn", choices=tuple(TURNS)),
        Param("layers", "list", [], "the layers' names (default: the active layer)"),
        Param("part", "choice", None, "pixels or mask (default: the mask when it is being edited)",
              choices=("pixels", "mask"), nullable=True),
    ), _turn_command, slow=True, menu=tuple(
        MenuEntry(f"transform_{turn}", text, 70 + i, menu="edit/Transform", section=1 if turn.startswith("rotate") else 2,
                  params={"turn": turn}) for i, (turn, text) in enumerate(TURNS.items())))


def geometry_ops() -> list[Operation]:
    return REGISTRY.all(GEOMETRY)


def run(op_id: str, doc: Document, **params: Any):
    """Run a registered geometry operation by id with its params (validated by its schema)."""
    op = REGISTRY.get(op_id)
    if op.category != GEOMETRY:
        raise ValueError(f"{op_id!r} is no geometry operation")
    return op(doc, params)


register()
