import numpy as np
import pytest

from editor.core import Document, Layer
from editor.core.ops import add_node, set_mask_properties
from editor.masks.chroma import ChromaKeyParams
from editor.masks.color_range import ColorRangeParams
from editor.masks.generators import apply_to_layer, generate, rerun, to_selection
from editor.masks.luminance import LuminanceParams
from editor.masks.refine import RefineParams, refine_edge
from tests.core.helpers import snapshot
from tests.masks.scenes import hair_scene, screen_scene


def _doc_with(pixels: np.ndarray, offset=(0, 0)) -> tuple[Document, Layer]:
    doc = Document(pixels.shape[1] + 20, pixels.shape[0] + 20)
    layer = Layer("photo", pixels.copy(), offset=offset)
    add_node(doc, layer)
    doc.history.mark_clean()
    return doc, layer


def test_chroma_key_with_despill_is_one_undo_step_and_undo_restores_everything():
    scene = screen_scene(130, 190, 0)
    doc, layer = _doc_with(scene.image)
    before = snapshot(doc)
    steps = len(doc.history.steps)
    params = ChromaKeyParams(despill=True).to_dict()
    mask = apply_to_layer(doc, layer, params)
    assert len(doc.history.steps) == steps + 1
    assert layer.mask is mask and mask.generator == params
    px = layer.pixels.astype(int)
    assert (px[..., 1] <= np.maximum(px[..., 0], px[..., 2])).all()  # despilled in the same step
    assert doc.active is layer and doc.edit_mask
    doc.undo()
    assert snapshot(doc) == before
    doc.redo()
    assert layer.mask is not None and layer.mask.generator == params


def test_replacing_a_mask_keeps_its_settings_and_rerun_follows_changed_pixels():
    pixels = np.zeros((40, 60, 4), np.uint8)
    pixels[..., :3] = (200, 40, 40)
    pixels[..., 3] = 255
    pixels[:, 30:, :3] = (30, 30, 200)
    doc, layer = _doc_with(pixels)
    params = ColorRangeParams([(200, 40, 40)], 30).to_dict()
    apply_to_layer(doc, layer, params)
    assert layer.mask.data[:, :30].min() == 255 and layer.mask.data[:, 30:].max() == 0
    set_mask_properties(doc, layer, feather=2.5, density=0.8)
    layer.pixels[:, 30:, :3] = (200, 40, 40)  # the photo changed (e.g. retouched)
    rerun(doc, layer)
    assert layer.mask.data.min() == 255
    assert layer.mask.feather == 2.5 and layer.mask.density == 0.8
    assert layer.mask.generator == params
    doc.undo()
    assert layer.mask.data[:, 30:].max() == 0


def test_rerun_needs_a_generated_mask_and_unknown_generators_are_refused():
    doc, layer = _doc_with(np.zeros((8, 8, 4), np.uint8))
    with pytest.raises(ValueError):
        rerun(doc, layer)
    with pytest.raises(ValueError):
        generate(layer.pixels, {"kind": "telepathy"})


def test_to_selection_places_the_layer_mask_on_the_canvas():
    pixels = np.zeros((10, 10, 4), np.uint8)
    pixels[2:5, 2:5, :3] = 255
    doc, layer = _doc_with(pixels, offset=(15, 5))
    data = generate(layer.pixels, ColorRangeParams([(255, 255, 255)], 20).to_dict())
    to_selection(doc, layer, data)
    assert doc.selection is not None
    ys, xs = np.nonzero(doc.selection.data)
    assert (ys.min(), ys.max(), xs.min(), xs.max()) == (7, 9, 17, 19)
    doc.undo()
    assert doc.selection is None


def test_luminance_threshold_generator():
    ramp = np.zeros((4, 256, 4), np.uint8)
    ramp[..., :3] = np.arange(256, dtype=np.uint8)[None, :, None]
    hard = generate(ramp, LuminanceParams(threshold=100, softness=0).to_dict())[0]
    assert hard[:100].max() == 0 and hard[100:].min() == 255
    soft = generate(ramp, LuminanceParams(threshold=100, softness=40, invert=True).to_dict())[0]
    assert soft[50] == 255 and soft[150] == 0 and 100 < soft[100] < 156


def test_refined_mask_reruns_its_base_generator_and_keeps_cleaned_colours_in_the_same_step():
    scene = hair_scene(120, 150, 2)
    doc, layer = _doc_with(scene.image)
    before, steps = snapshot(doc), len(doc.history.steps)
    base = LuminanceParams(threshold=1, softness=0, invert=True).to_dict()  # a crude start: everything
    params = {**RefineParams(radius=6, decontaminate=True).to_dict(), "base": base}
    mask, cleaned = refine_edge(layer.pixels, ((scene.alpha >= 0.5) * 255).astype(np.uint8), RefineParams(radius=6, decontaminate=True))
    apply_to_layer(doc, layer, params, data=mask, new_pixels=cleaned)
    assert len(doc.history.steps) == steps + 1 and np.array_equal(layer.pixels, cleaned)
    doc.undo()
    assert snapshot(doc) == before
    with pytest.raises(ValueError):
        generate(layer.pixels, {**params, "base": None})
    assert generate(layer.pixels, params).shape == layer.pixels.shape[:2]
