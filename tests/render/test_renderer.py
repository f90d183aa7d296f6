"""Renderer caches and the mipmap pyramid agree with a plain render after any edit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import BlendMode, Document, Group, Layer, Mask, Rect, ops
from editor.render import MipmapPyramid, Renderer, render

from .docgen import H, W, documents, random_pixels


def max_diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(np.int16) - b.astype(np.int16)).max())


def scribble(doc: Document, node, seed: int) -> None:
    """Paint random values into a random rectangle of a layer (or its mask), as one undo step."""
    rng = np.random.default_rng(seed)
    target = "mask" if node.mask is not None and rng.random() < 0.4 else "pixels"
    array = node.mask.data if target == "mask" else node.pixels
    h, w = array.shape[:2]
    y, x = int(rng.integers(0, h)), int(rng.integers(0, w))
    rect = Rect(x, y, int(rng.integers(1, w - x + 1)), int(rng.integers(1, h - y + 1)))

    def paint(a: np.ndarray) -> None:
        a[rect.slices()] = rng.integers(0, 256, a[rect.slices()].shape, dtype=np.uint8)

    ops.edit_array(doc, node, target, paint, "Scribble", rect)


EDITS = ["paint-active", "paint-other", "opacity-active", "mode-other", "move-active", "hide-other",
         "mask-feather-other", "undo", "redo", "activate"]


@settings(max_examples=25, deadline=None)
@given(doc=documents(max_nodes=5), active=st.integers(0, 10), edits=st.lists(
    st.tuples(st.sampled_from(EDITS), st.integers(0, 2**32 - 1)), min_size=1, max_size=8))
def test_cached_render_equals_uncached_after_edits(doc, active, edits) -> None:
    nodes = list(doc.nodes())
    doc.set_active(nodes[active % len(nodes)])
    renderer = Renderer(doc)
    full = Rect(0, 0, W, H)
    assert max_diff(renderer.render(full), render(doc)) <= 1
    for edit, seed in edits:
        rng = np.random.default_rng(seed)
        layers = [n for n in doc.nodes() if isinstance(n, Layer)]
        others = [n for n in doc.nodes() if n is not doc.active]

        def pick(seq, rng=rng):
            return seq[int(rng.integers(0, len(seq)))]

        if edit == "paint-active" and isinstance(doc.active, Layer):
            scribble(doc, doc.active, seed)
        elif edit == "paint-other" and layers:
            scribble(doc, pick(layers), seed)
        elif edit == "opacity-active" and doc.active is not None:
            ops.set_properties(doc, doc.active, opacity=float(rng.choice([0.0, 0.4, 1.0])))
        elif edit == "mode-other" and others:
            ops.set_properties(doc, pick(others), blend_mode=pick(list(BlendMode)))
        elif edit == "move-active" and isinstance(doc.active, Layer):
            ops.move_layer_by(doc, doc.active, int(rng.integers(-3, 4)), int(rng.integers(-3, 4)))
        elif edit == "hide-other" and others:
            node = pick(others)
            ops.set_properties(doc, node, visible=not node.visible)
        elif edit == "mask-feather-other":
            masked = [n for n in others if n.mask is not None]
            if masked:
                ops.set_mask_properties(doc, pick(masked), feather=float(rng.choice([0.0, 1.2])))
        elif edit == "undo":
            doc.undo()
        elif edit == "redo":
            doc.redo()
        elif edit == "activate":
            doc.set_active(pick(list(doc.nodes())))
        x, y = int(rng.integers(0, W)), int(rng.integers(0, H))
        rect = Rect(x, y, int(rng.integers(1, W - x + 1)), int(rng.integers(1, H - y + 1)))
        assert max_diff(renderer.render(rect), render(doc, rect)) <= 1
    renderer.close()


def test_caches_are_used_for_a_top_level_layer_and_stay_correct() -> None:
    rng = np.random.default_rng(1)
    doc = Document(600, 300)  # several 256 px tiles
    for i in range(6):
        mode = BlendMode.MULTIPLY if i == 5 else BlendMode.NORMAL
        doc.root.insert(i, Layer(f"l{i}", random_pixels(rng, 300, 600), opacity=0.9, blend_mode=mode,
                                 mask=Mask(rng.integers(0, 256, (300, 600), dtype=np.uint8))))
    active = doc.root.children[2]
    doc.set_active(active)
    renderer = Renderer(doc)
    plan = renderer.plan
    assert plan is not None and plan.active is active
    assert len(plan.below) == 2 and len(plan.above) == 2 and len(plan.rest) == 1
    rect = Rect(240, 100, 40, 40)  # spans two tiles
    assert max_diff(renderer.render(rect), render(doc, rect)) <= 1
    tiles = dict(renderer.below.tiles)
    scribble(doc, active, 5)
    assert renderer.below.tiles.keys() == tiles.keys()  # an edit of the active layer keeps the caches
    assert max_diff(renderer.render(rect), render(doc, rect)) <= 1
    scribble(doc, doc.root.children[0], 6)  # an edit below drops the tiles it touched
    assert max_diff(renderer.render(), render(doc)) <= 1


def test_active_layer_inside_group_or_clip_group_renders_uncached() -> None:
    rng = np.random.default_rng(2)
    doc = Document(W, H)
    inner = Layer("inner", random_pixels(rng, H, W))
    doc.root.insert(0, Group("g", [inner], blend_mode=BlendMode.SCREEN))
    base = Layer("base", random_pixels(rng, H, W))
    doc.root.insert(1, base)
    doc.root.insert(2, Layer("clipped", random_pixels(rng, H, W), clipped=True))
    renderer = Renderer(doc)
    for node in (inner, base):
        doc.set_active(node)
        assert renderer.plan is None
        np.testing.assert_array_equal(renderer.render(), render(doc))


@pytest.mark.parametrize("size", [(64, 32), (37, 23)])
def test_mipmap_levels_follow_edits(size) -> None:
    w, h = size
    rng = np.random.default_rng(4)
    doc = Document(w, h)
    layer = Layer("l", random_pixels(rng, h, w), mask=Mask(rng.integers(0, 256, (h, w), dtype=np.uint8), feather=1.0))
    doc.root.insert(0, layer)
    doc.set_active(layer)
    pyramid = MipmapPyramid(Renderer(doc), min_side=4)
    assert [lv.shape[:2] for lv in pyramid.levels][:3] == [(h, w), ((h + 1) // 2, (w + 1) // 2), ((h + 3) // 4, (w + 3) // 4)]
    for seed in range(4):
        scribble(doc, layer, seed)
        assert pyramid.refresh() is not None
        levels = [lv.copy() for lv in pyramid.levels]
        pyramid.rebuild()
        for got, want in zip(levels, pyramid.levels, strict=True):
            np.testing.assert_array_equal(got, want)
    if w % 8 == 0 and h % 8 == 0:
        full = render(doc).astype(np.float64)
        for k in (1, 2, 3):
            f = 1 << k
            direct = full.reshape(h // f, f, w // f, f, 4).mean(axis=(1, 3))
            # Each level rounds to 8 bits once: at most half a step of drift per level.
            assert np.abs(pyramid.levels[k] - direct).max() <= 0.5 * k + 0.5


def test_mipmap_region_for_zoom() -> None:
    doc = Document(100, 80)
    doc.root.insert(0, Layer("l", np.full((80, 100, 4), 200, np.uint8)))
    pyramid = MipmapPyramid(Renderer(doc), min_side=8)
    assert pyramid.level_for(2.0) == 0 and pyramid.level_for(1.0) == 0
    assert pyramid.level_for(0.5) == 1 and pyramid.level_for(0.3) == 1 and pyramid.level_for(0.25) == 2
    pixels, rect, scale = pyramid.region(0.25, Rect(10, 10, 41, 20))
    assert scale == 0.25 and rect == Rect(2, 2, 11, 6) and pixels.shape == (6, 11, 4)
