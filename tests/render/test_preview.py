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


def _pyramid_over_a_big_mask(level: int):
    """A smooth opaque backdrop under a 1600x1400 masked layer (larger than PREVIEW_AREA)."""
    doc = Document(1600, 1400)
    yy, xx = np.mgrid[0:1400, 0:1600]
    bg = np.empty((1400, 1600, 4), np.uint8)
    bg[..., 0], bg[..., 1], bg[..., 2], bg[..., 3] = xx * 255 // 1600, yy * 255 // 1400, 90, 255
    doc.root.insert(0, Layer("bg", bg))
    layer = Layer("big", np.full((1400, 1600, 4), 128, np.uint8), mask=Mask(np.full((1400, 1600), 255, np.uint8)))
    doc.root.insert(1, layer)
    doc.set_active(layer, edit_mask=True)
    pyramid = MipmapPyramid(Renderer(doc))
    pyramid.preview_level = level
    return doc, layer, pyramid


def _paint_mask(doc, layer, rect: Rect, value: int) -> None:
    layer.mask.data[rect.slices()] = value
    doc.notify("mask", layer, rect)


def test_a_large_content_change_previews_and_its_undo_too_then_settles_exactly() -> None:
    doc, layer, pyramid = _pyramid_over_a_big_mask(2)
    from editor.paint import PaintTarget

    target = PaintTarget.current(doc)  # a gradient's or bucket's path: snapshot, write, one undo step
    target.snapshot(target.bounds)
    target.array[:, :800] = 0
    target.changed(target.bounds)
    target.commit("Fill")
    level0_before = pyramid.levels[0].copy()
    pyramid.refresh()
    assert pyramid.deferred is not None
    np.testing.assert_array_equal(pyramid.levels[0], level0_before)  # level 0 waits for the settle
    shown = pyramid.levels[2].astype(int)
    assert np.abs(shown - reduced(render(doc), 2).astype(int)).max() <= 2  # the screen's level is right at once
    doc.undo()
    pyramid.refresh()
    assert np.abs(pyramid.levels[2].astype(int) - reduced(render(doc), 2).astype(int)).max() <= 2
    assert pyramid.settle() and pyramid.deferred is None
    fresh = MipmapPyramid(Renderer(doc))
    for a, b in zip(pyramid.levels, fresh.levels, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_large_change_renders_inside_the_viewport_first() -> None:
    for level in (0, 1):  # zoomed in (full resolution, the viewport only) and at a preview level
        doc, layer, pyramid = _pyramid_over_a_big_mask(level)
        view = Rect(100, 200, 500, 400)
        pyramid.viewport = view
        _paint_mask(doc, layer, Rect(0, 0, 1600, 1400), 0)
        before = pyramid.levels[0].copy()
        pyramid.refresh()
        want = render(doc)
        s = 1 << level
        got = pyramid.levels[level][view.y // s:view.bottom // s, view.x // s:view.right // s].astype(int)
        exact = reduced(want, level)[view.y // s:view.bottom // s, view.x // s:view.right // s].astype(int)
        assert np.abs(got - exact).max() <= 2
        outside = Rect(900, 200, 300, 300)
        np.testing.assert_array_equal(pyramid.levels[0][outside.slices()], before[outside.slices()])  # not yet
        assert pyramid.covers(Rect(150, 250, 100, 100)) and not pyramid.covers(outside)
        assert pyramid.settle()
        np.testing.assert_array_equal(pyramid.levels[0], want)
        assert pyramid.covers(outside)


def test_an_edit_while_a_preview_waits_never_averages_stale_pixels_into_a_level() -> None:
    doc, layer, pyramid = _pyramid_over_a_big_mask(2)
    _paint_mask(doc, layer, Rect(0, 0, 1600, 1400), 0)  # previewed: level 0 stale everywhere
    pyramid.refresh()
    dab = Rect(301, 403, 9, 7)  # off every grid: its blocks reach stale level-0 pixels
    layer.mask.data[dab.slices()] = 255
    doc.notify("mask", layer, dab)
    pyramid.refresh()
    fresh = MipmapPyramid(Renderer(doc))
    for k in range(1, len(fresh.levels)):
        s = 1 << k
        block = Rect.from_bounds(dab.x // s, dab.y // s, -(-dab.right // s), -(-dab.bottom // s))
        np.testing.assert_array_equal(pyramid.levels[k][block.slices()], fresh.levels[k][block.slices()])


def test_a_colour_fill_brings_the_previews_reduced_layer_up_to_date_as_it_writes(monkeypatch) -> None:
    """The bucket's and Fill's one-colour writer updates the preview's reduced copy of the layer
    band by band (on any layer offset, soft coverage, rect edge), so the preview reduces nothing."""
    import editor.render.preview as preview_module
    from editor.paint import PaintTarget
    from editor.paint.fill import bucket_fill

    rng = np.random.default_rng(3)
    doc = Document(700, 500)
    for offset, shape in (((0, 0), (500, 700)), ((5, 3), (451, 603))):  # aligned, and off the 4-grid with odd sizes
        pixels = rng.integers(0, 256, (*shape, 4), dtype=np.uint8)
        pixels[100:300, 50:400] = (10, 200, 30, 255)
        layer = Layer("photo", pixels, offset=offset)
        doc.root.insert(len(doc.root.children), layer)
        doc.set_active(layer)
        preview = PreviewRenderer(doc)
        preview.render(2)  # the screen at 1/4: the layer's reduced copy is made and held
        reductions, real = _count_reductions(monkeypatch)
        bucket_fill(doc, 100 + offset[0], 150 + offset[1], (250, 0, 0), tolerance=8, antialias=True)
        target = PaintTarget.current(doc)
        target.fill((0, 0, 250), Rect(33, 77, 121, 61), opacity=0.5)  # soft: every pixel mixes
        target.commit("Fill")
        got = preview.render(2)
        assert reductions == [], "the layer was reduced again"
        fresh = PreviewRenderer(doc)
        monkeypatch.setattr(preview_module, "_reduce", real)
        want = fresh.render(2)
        assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
        fresh.close()
        preview.close()


def test_a_mask_edit_and_its_undo_bring_the_previews_reduced_mask_up_to_date_by_parts(monkeypatch) -> None:
    """A gradient on a mask updates the preview's reduced copy of the mask over what it wrote, and
    an undo marks only its rect stale (brought up to date when next drawn), on an aligned and an
    odd offset, at 2x (rounded half up, as OpenCV) and 4x (half to even): the preview reduces
    nothing whole again and equals a fresh one bit for bit."""
    import editor.render.preview as preview_module
    from editor.paint import PaintTarget
    from editor.paint.gradient import Gradient, GradientSettings, Stop, apply_gradient

    rng = np.random.default_rng(5)
    g = Gradient("w-b", (Stop(0.0, (255, 255, 255)), Stop(0.4, (90, 90, 90)), Stop(1.0, (0, 0, 0))))
    for offset, shape, k in (((0, 0), (500, 700), 1), ((5, 3), (451, 603), 2), ((7, 1), (333, 417), 3)):
        doc = Document(700, 500)
        pixels = rng.integers(0, 256, (*shape, 4), dtype=np.uint8)
        pixels[..., 3] = 255
        layer = Layer("photo", pixels, offset=offset, mask=Mask(rng.integers(0, 256, shape, dtype=np.uint8)))
        doc.root.insert(0, layer)
        doc.set_active(layer, edit_mask=True)
        preview = PreviewRenderer(doc)
        preview.render(k)
        reductions, real = _count_reductions(monkeypatch)
        doc.selection = None
        apply_gradient(PaintTarget.current(doc), g, (40.3, 20.1), (380.7, 260.2), GradientSettings(dither=True))
        after_gradient = preview.render(k)
        target = PaintTarget.current(doc)
        target.fill(30, Rect(17, 9, 101, 77), opacity=0.5)  # a soft write of part of it
        target.commit("Fill")
        doc.undo()  # the fill's rect is stale, then brought up to date by the render
        assert np.array_equal(preview.render(k), after_gradient)
        doc.undo()
        got = preview.render(k)
        assert reductions == [], "the mask was reduced whole again"
        monkeypatch.setattr(preview_module, "_reduce", real)
        fresh = PreviewRenderer(doc)
        assert np.array_equal(got, fresh.render(k))
        fresh.close()
        preview.close()


def _count_reductions(monkeypatch) -> tuple[list[tuple], object]:
    """Record the shape of every whole-array reduction the preview makes from now on; returns the
    list and the real reducer (to put back before rendering a fresh preview)."""
    import editor.render.preview as preview_module

    reductions: list[tuple] = []
    real = preview_module._reduce

    def counted(a, k):
        reductions.append(a.shape)
        return real(a, k)

    monkeypatch.setattr(preview_module, "_reduce", counted)
    return reductions, real
