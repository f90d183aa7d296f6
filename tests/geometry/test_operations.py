"""The geometry operations on the one registry: each does what the Image menu's function does, as
one undo step; recipes name them in [[geometry]] tables and `veil convert` runs them."""

from __future__ import annotations

import numpy as np
import pytest

from editor import cli
from editor.batch import parse_recipe
from editor.batch.recipe import RecipeError
from editor.batch.steps import process_image
from editor.core import Layer, Mask
from editor.core.operations import REGISTRY, ParamError
from editor.geometry import (
    crop,
    crop_to_selection,
    flip_canvas,
    geometry_ops,
    resize_canvas,
    resize_image,
    reveal_all,
    rotate_canvas,
    trim,
)
from editor.io import open_document, save_document
from editor.render import flatten_rgba
from editor.render.transform import transform_nodes
from editor.render.warp import rotation, scaling, translation
from tests.batch.shots import cutout_shot, read_rgba
from tests.core.helpers import snapshot_node
from tests.geometry.helpers import full_snapshot, rich_document


def state(doc) -> dict:
    """Everything the document holds but the nodes' uids (two documents built alike differ only there)."""
    return {**full_snapshot(doc), "tree": snapshot_node(doc.root, with_uid=False)}


def framed_document():
    """A layer inside a border of one colour: what Trim based on the top-left colour cuts away."""
    doc = rich_document()
    for node in list(doc.root.children)[1:]:
        node.visible = False
    pixels = doc.root.children[0].pixels
    pixels[:4] = pixels[:, :5] = pixels[-3:] = pixels[:, -2:] = (9, 9, 9, 255)
    return doc

# (op id, params, the same change through the editor.geometry function)
CASES = [
    ("crop", {"rect": [3, 2, 20, 15], "delete_pixels": False}, lambda d: crop(d, (3, 2, 20, 15), delete_pixels=False)),
    ("crop-to-selection", {}, crop_to_selection),
    ("trim", {"based_on": "top_left_color", "sides": ["left", "top", "bottom"]},
     lambda d: trim(d, "top_left_color", sides=("left", "top", "bottom"))),
    ("image-size", {"width": 21, "resample": "lanczos"}, lambda d: resize_image(d, 21, 16, "lanczos")),
    ("image-size", {"scale": 0.5}, lambda d: resize_image(d, 20, 15, "bicubic")),
    ("canvas-size", {"width": 10, "height": -4, "relative": True, "anchor": "top-left", "colour": "#102030"},
     lambda d: resize_canvas(d, 50, 26, "top-left", (16, 32, 48))),
    ("rotate-canvas", {"angle": -90}, lambda d: rotate_canvas(d, -90)),
    ("rotate-canvas", {"angle": 12.5, "resample": "bilinear"}, lambda d: rotate_canvas(d, 12.5, "bilinear")),
    ("flip-canvas", {"direction": "vertical"}, lambda d: flip_canvas(d, "vertical")),
]


def test_every_geometry_operation_is_registered_once():
    assert [op.id for op in geometry_ops()] == [
        "crop", "crop-to-selection", "trim", "reveal-all", "image-size", "canvas-size", "rotate-canvas",
        "flip-canvas", "transform-layer", "turn-layers"]
    assert all(REGISTRY.get(op.id) is op and callable(op.extra["command"]) for op in geometry_ops())


@pytest.mark.parametrize("op_id,params,direct", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_an_operation_does_what_the_menu_function_does_in_one_undo_step(op_id, params, direct):
    make = framed_document if op_id == "trim" else rich_document
    by_op, by_function = make(), make()
    before = state(by_op)
    assert REGISTRY.get(op_id)(by_op, params) is not None
    direct(by_function)
    assert state(by_op) == state(by_function) != before
    assert len(by_op.history.steps) == 1
    by_op.undo()
    assert state(by_op) == before


def test_the_command_twin_leaves_the_document_alone_until_executed():
    doc = rich_document()
    before = state(doc)
    cmd = REGISTRY.get("rotate-canvas").extra["command"](doc, REGISTRY.get("rotate-canvas").validate({"angle": 90}))
    assert state(doc) == before
    doc.execute(cmd)
    expected = rich_document()
    rotate_canvas(expected, 90)
    assert state(doc) == state(expected)


def test_reveal_all_after_a_crop_that_kept_pixels():
    doc = rich_document()
    before = state(doc)
    REGISTRY.get("crop")(doc, {"rect": [5, 5, 10, 10], "delete_pixels": False})
    REGISTRY.get("reveal-all")(doc, {})
    expected = rich_document()
    crop(expected, (5, 5, 10, 10), delete_pixels=False)
    reveal_all(expected)
    assert state(doc) == state(expected) and state(doc) != before


def test_transform_layer_is_free_transform_about_the_layers_centre():
    doc, same = rich_document(), rich_document()
    params = {"layer": "Offset", "angle": 30, "scale_x": 1.5, "scale_y": 0.75, "dx": 3, "dy": -2,
              "interpolation": "lanczos"}
    REGISTRY.get("transform-layer")(doc, params)
    layer = next(n for n in same.nodes() if n.name == "Offset")
    b = layer.bounds()
    cx, cy = b.x + b.w / 2, b.y + b.h / 2
    transform_nodes(same, [layer], translation(3, -2) @ rotation(30, cx, cy) @ scaling(1.5, 0.75, cx, cy), "lanczos")
    assert state(doc) == state(same)
    with pytest.raises(ValueError, match="no pixel layer is named 'Nobody'"):
        REGISTRY.get("transform-layer")(doc, {"layer": "Nobody", "angle": 5})


def test_bad_params_name_the_parameter_and_why():
    with pytest.raises(ParamError, match="direction: must be one of horizontal, vertical"):
        REGISTRY.get("flip-canvas").validate({"direction": "diagonal"})
    with pytest.raises(ParamError, match="takes scale or width/height, not both"):
        REGISTRY.get("image-size").validate({"width": 10, "scale": 2.0})
    with pytest.raises(ParamError, match="sides are some of top, bottom, left, right"):
        REGISTRY.get("trim").validate({"sides": ["middle"]})


def test_a_recipe_names_geometry_operations_and_runs_them_in_order(tmp_path):
    shot = cutout_shot(tmp_path, "cut.png", seed=4)
    recipe = parse_recipe('[mask]\ngenerator = "alpha"\n'
                          '[[geometry]]\nop = "rotate-canvas"\nangle = 90\n'
                          '[[geometry]]\nop = "flip-canvas"\ndirection = "horizontal"\n'
                          '[[geometry]]\nop = "canvas-size"\nwidth = 8\nheight = 6\nrelative = true\nanchor = "top-left"\n'
                          '[[export]]\nformat = "png"\nicc = false\n')
    assert [g["op"] for g in recipe.get("geometry")] == ["rotate-canvas", "flip-canvas", "canvas-size"]
    assert parse_recipe(recipe.to_toml()).hash == recipe.hash  # written back, read the same
    process_image(shot.path, tmp_path / "out", recipe)
    out = read_rgba(tmp_path / "out" / "cut.png")
    h, w = shot.alpha.shape
    # A quarter turn clockwise then a left-right mirror is the transpose.
    assert out.shape == (w + 6, h + 8, 4)
    np.testing.assert_array_equal(out[:w, :h, 3], shot.alpha.T)
    assert not out[w:, :, 3].any() and not out[:, h:, 3].any()


def test_a_bad_geometry_table_names_its_line_and_reason():
    text = '[[geometry]]\nop = "flip-canvas"\ndirection = "up"\n[[export]]\nformat = "png"\n'
    with pytest.raises(RecipeError, match=r"r:3: geometry\[0\]\.direction: must be one of horizontal, vertical"):
        parse_recipe(text, name="r")
    with pytest.raises(RecipeError, match=r"geometry\[0\]\.op: must be one of crop, "):
        parse_recipe('[[geometry]]\nop = "twirl"\n[[export]]\nformat = "png"\n', name="r")


def test_convert_flips_and_trims_through_the_registry(tmp_path):
    doc = rich_document()
    pixels = np.zeros((30, 40, 4), np.uint8)
    pixels[4:20, 6:31] = (200, 40, 10, 255)
    doc.root.insert(len(doc.root.children), Layer("Only", pixels, mask=Mask(np.full((30, 40), 255, np.uint8))))
    for node in list(doc.root.children)[:-1]:
        node.visible = False
    src, out = tmp_path / "in.ora", tmp_path / "out.ora"
    save_document(doc, src)
    assert cli.main(["convert", str(src), str(out), "--trim", "--flip", "horizontal"]) == 0
    expected = open_document(src)
    trim(expected)
    flip_canvas(expected, "horizontal")
    got = open_document(out)
    assert (got.width, got.height) == (25, 16)
    np.testing.assert_array_equal(flatten_rgba(got), flatten_rgba(expected))


def test_turn_layers_flips_and_turns_named_layers_exactly_with_their_masks():
    from editor.core import Document

    doc = Document(60, 40)
    px = np.zeros((10, 20, 4), np.uint8)
    px[..., 3] = 255
    px[:, :5, 0] = 255
    layer = Layer("A", px.copy(), offset=(7, 9))
    layer.mask = Mask(np.tile(np.arange(20, dtype=np.uint8) * 12, (10, 1)))
    doc.root.insert(0, layer)
    doc.root.insert(1, Layer("B", px.copy(), offset=(30, 2)))
    doc.active = doc.find_by_name("B")
    op = REGISTRY.get("turn-layers")
    op(doc, {"turn": "flip_h", "layers": ["A"]})
    assert np.array_equal(layer.pixels, px[:, ::-1]) and layer.offset == (7, 9)
    assert np.array_equal(layer.mask.data[0], (np.arange(20) * 12)[::-1])  # linked: the mask went along
    assert np.array_equal(doc.find_by_name("B").pixels, px)  # not named, not turned
    for _ in range(4):
        op(doc, {"turn": "rotate_cw"})  # the active layer by default
    assert np.array_equal(doc.find_by_name("B").pixels, px) and doc.find_by_name("B").offset == (30, 2)
    assert doc.history.labels() == ["Flip Horizontal"] + ["Rotate 90° Clockwise"] * 4
    doc.undo()
    assert doc.find_by_name("B").pixels.shape == (20, 10, 4)
    doc.find_by_name("B").locked = True
    with pytest.raises(ValueError, match="unlocked"):
        op(doc, {"turn": "rotate_180"})
    with pytest.raises(ParamError):
        op.validate({"turn": "rotate_45"})
    from editor.batch.steps import validate_geometry

    assert validate_geometry([{"op": "turn-layers", "turn": "flip_v"}])[0]["turn"] == "flip_v"  # a recipe step too
