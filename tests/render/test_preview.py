"""Previews at a reduced scale while a setting is dragged, and the full render after."""

from __future__ import annotations

import numpy as np

from editor.core import Adjustment, BlendIf, Document, FillLayer, Group, Layer, Mask, Rect, ops
from editor.core.blendif import FULL
from editor.render import MipmapPyramid, Renderer, render
from editor.render.mipmap import PREVIEW_AREA
from editor.render.preview import PreviewRenderer


def smooth_document(w: int = 640, h: int = 480) -> Document:
    """Opaque, smooth content (so a reduced render and a reduced full render agree closely)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    doc = Document(w, h)
    bg = np.empty((h, w, 4), np.uint8)
    bg[..., 0], bg[..., 1], bg[..., 2], bg[..., 3] = xx * 255 / w, yy * 255 / h, 90, 255
    doc.root.insert(0, Layer("bg", bg))
    top = np.empty((300, 400, 4), np.uint8)
    top[..., 0], top[..., 1], top[..., 2], top[..., 3] = 200, (xx[:300, :400] * 0.6).astype(np.uint8), 40, 255
    mask = Mask(((yy[:300, :400] / 300) * 255).astype(np.uint8), density=0.8, feather=4.0)
    layer = Layer("top", top, offset=(101, 57), mask=mask, opacity=0.9, blend_if=BlendIf(this=((0, 0, 150, 230), FULL, FULL, FULL)))
    group = Group("g", [FillLayer("fill", (30, 60, 200, 255), mask=Mask(np.tile((xx[:, :] / w * 255).astype(np.uint8), (1, 1))),
                                  opacity=0.5)], isolated=False)
    doc.root.insert(1, layer)
    doc.root.insert(2, group)
    doc.active = layer
    return doc


def reduced(bgra: np.ndarray, k: int) -> np.ndarray:
    import cv2

    out = bgra
    for _ in range(k):
        h, w = out.shape[:2]
        out = cv2.resize(out, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA)
    return out


def test_preview_is_the_reduced_render_within_a_few_levels() -> None:
    doc = smooth_document()
    preview = PreviewRenderer(doc)
    for k in (1, 2):
        got = preview.render(k).astype(int)
        want = reduced(render(doc), k).astype(int)
        assert got.shape == want.shape
        assert np.median(np.abs(got - want)) <= 1 and np.percentile(np.abs(got - want), 99) <= 12
    preview.close()


def test_a_setting_change_previews_at_the_screen_level_then_settles_exactly() -> None:
    doc = smooth_document(1600, 1400)
    assert 1600 * 1400 > PREVIEW_AREA
    layer = Layer("big", np.full((1400, 1600, 4), 128, np.uint8), mask=Mask(np.full((1400, 1600), 255, np.uint8)))
    doc.root.insert(3, layer)
    doc.active = layer
    pyramid = MipmapPyramid(Renderer(doc))
    pyramid.preview_level = 2
    ops.set_mask_properties(doc, layer, density=0.5, merge_key="drag")
    level0_before = pyramid.levels[0].copy()
    pyramid.refresh()
    assert pyramid.deferred is not None
    np.testing.assert_array_equal(pyramid.levels[0], level0_before)  # level 0 waits for the settle
    assert not np.array_equal(pyramid.levels[2], reduced(level0_before, 2))  # the screen's level moved at once
    assert pyramid.settle() and pyramid.deferred is None
    np.testing.assert_array_equal(pyramid.levels[0], render(doc))
    fresh = MipmapPyramid(Renderer(doc))
    for a, b in zip(pyramid.levels, fresh.levels, strict=True):
        np.testing.assert_array_equal(a, b)
    # Pixel edits never preview; neither do small settings changes.
    layer.pixels[:10, :10] = 0
    doc.notify("pixels", layer, Rect(0, 0, 10, 10))
    pyramid.refresh()
    assert pyramid.deferred is None


def test_adjustment_and_filter_layers_preview_as_their_reduced_render() -> None:
    doc = smooth_document()
    xx = np.tile(np.linspace(0, 255, 640, dtype=np.float32), (480, 1)).astype(np.uint8)
    doc.root.insert(3, Adjustment("Curves", "curves", {"master": [[0, 0], [70, 150], [255, 255]]}, mask=Mask(xx),
                                  opacity=0.8))
    blur = Adjustment("Blur", "gaussian_blur", {"radius": 12.0})
    doc.root.insert(4, blur)
    preview = PreviewRenderer(doc)
    for k in (1, 2):
        got = preview.render(k)
        assert got is not None  # no fallback to the full render
        got, want = got.astype(int), reduced(render(doc), k).astype(int)
        assert np.median(np.abs(got - want)) <= 1 and np.percentile(np.abs(got - want), 99) <= 6
    # the blur's radius is a length: a level drawn at 1/4 blurs by a quarter of it
    assert preview._proxy(blur, 2).params["radius"] == 3.0
    assert blur.params["radius"] == 12.0
    preview.close()


def test_an_adjustment_setting_drag_previews_then_settles_exactly() -> None:
    doc = smooth_document(1600, 1400)
    curves = Adjustment("Curves", "curves", {"master": [[0, 0], [255, 255]]})
    doc.root.insert(3, curves)
    pyramid = MipmapPyramid(Renderer(doc))
    pyramid.preview_level = 2
    ops.set_adjustment_params(doc, curves, {"master": [[0, 0], [100, 180], [255, 255]]}, merge_key="drag")
    level0_before = pyramid.levels[0].copy()
    pyramid.refresh()
    assert pyramid.deferred is not None
    np.testing.assert_array_equal(pyramid.levels[0], level0_before)
    assert pyramid.levels[2].astype(int).sum() > reduced(level0_before, 2).astype(int).sum()  # brighter at once
    assert pyramid.settle()
    np.testing.assert_array_equal(pyramid.levels[0], render(doc))


def test_unknown_kinds_fall_back_to_the_full_render() -> None:
    doc = smooth_document(1600, 1400)

    class Odd(Layer):
        kind = "odd-test-kind"

    from editor.render import kinds

    kinds.register("odd-test-kind", kinds.RENDERERS["pixel"])
    odd = Odd("odd", np.full((1400, 1600, 4), 90, np.uint8))
    doc.root.insert(3, odd)
    pyramid = MipmapPyramid(Renderer(doc))
    pyramid.preview_level = 1
    ops.set_properties(doc, odd, opacity=0.3)
    pyramid.refresh()
    assert pyramid.deferred is None
    np.testing.assert_array_equal(pyramid.levels[0], render(doc))
