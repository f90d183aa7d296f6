"""merge_down, flatten, apply_mask and merge_group keep the picture and undo as one step."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import BlendMode, Document, FillLayer, Group, Layer, Mask
from editor.render import render
from editor.render.ops import apply_mask, flatten, merge_down, merge_group
from tests.core.helpers import snapshot

from .docgen import H, W, documents, random_pixels

MODES = list(BlendMode)


def max_diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(np.int16) - b.astype(np.int16)).max())


def assert_one_undo_step_restores(doc: Document, before: dict, steps_before: int) -> None:
    assert len(doc.history.steps) == steps_before + 1
    doc.undo()
    assert snapshot(doc) == before


def masked_layer(rng, h, w, **kw) -> Layer:
    mask = Mask(rng.integers(0, 256, (h, w), dtype=np.uint8), density=float(rng.choice([1.0, 0.7])),
                feather=float(rng.choice([0.0, 1.4])), inverted=bool(rng.random() < 0.5))
    return Layer("l", random_pixels(rng, h, w), mask=mask, **kw)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(MODES), clipped=st.booleans(),
       opacity=st.sampled_from([1.0, 0.6]))
def test_merge_down_keeps_the_render(seed, mode, clipped, opacity) -> None:
    """Kept whenever the merged layer can show it: a normal top, a clipped top (any mode),
    or any mode over an opaque lower layer that covers it."""
    rng = np.random.default_rng(seed)
    doc = Document(W, H)
    doc.root.insert(0, Layer("bg", random_pixels(rng, H, W)))
    if clipped or mode is BlendMode.NORMAL:
        below = masked_layer(rng, 8, 9, offset=(-2, 3), opacity=opacity)
        top = masked_layer(rng, 7, 10, offset=(4, -1), opacity=0.8, blend_mode=mode, clipped=clipped)
    else:
        opaque = random_pixels(rng, H, W)
        opaque[..., 3] = 255
        below = Layer("opaque", opaque)
        top = masked_layer(rng, 7, 10, offset=(1, 2), opacity=0.8, blend_mode=mode)
    doc.root.insert(1, below)
    doc.root.insert(2, top)
    image, before, steps = render(doc), snapshot(doc), len(doc.history.steps)
    merged = merge_down(doc, top)
    assert doc.root.children[1:] == [merged] and merged is below and merged.mask is None
    assert max_diff(render(doc), image) <= 2
    assert_one_undo_step_restores(doc, before, steps)


def test_merge_down_into_the_bottom_layer_keeps_any_mode() -> None:
    rng = np.random.default_rng(8)
    doc = Document(W, H)
    bottom = masked_layer(rng, H, W, blend_mode=BlendMode.DIFFERENCE, opacity=0.5)
    doc.root.insert(0, bottom)
    top = Layer("top", random_pixels(rng, 5, 5), offset=(W - 2, 2), blend_mode=BlendMode.SOFT_LIGHT)
    doc.root.insert(1, top)
    image = render(doc)
    merged = merge_down(doc, top)
    assert merged.bounds().union(top.bounds()) == merged.bounds()  # grew to hold the off-canvas part
    assert max_diff(render(doc), image) <= 2


def test_merge_down_refuses_what_it_cannot_represent() -> None:
    doc = Document(W, H)
    doc.root.insert(0, FillLayer("fill"))
    doc.root.insert(1, Layer.blank("a", W, H))
    with pytest.raises(ValueError):
        merge_down(doc, doc.root.children[1])  # below is not a pixel layer
    with pytest.raises(ValueError):
        merge_down(doc, doc.root.children[0])  # nothing below


@settings(max_examples=20, deadline=None)
@given(doc=documents(max_nodes=4))
def test_flatten_keeps_the_render_and_undoes(doc) -> None:
    image, before, steps = render(doc), snapshot(doc), len(doc.history.steps)
    layer = flatten(doc)
    assert doc.root.children == [layer]
    assert max_diff(render(doc), image) <= 1
    assert_one_undo_step_restores(doc, before, steps)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(MODES), enabled=st.booleans())
def test_apply_mask_keeps_the_render(seed, mode, enabled) -> None:
    rng = np.random.default_rng(seed)
    doc = Document(W, H)
    doc.root.insert(0, Layer("bg", random_pixels(rng, H, W)))
    layer = masked_layer(rng, 8, 11, offset=(3, -2), blend_mode=mode, opacity=0.9)
    layer.mask.enabled = enabled
    doc.root.insert(1, layer)
    image, before, steps = render(doc), snapshot(doc), len(doc.history.steps)
    apply_mask(doc, layer)
    assert layer.mask is None
    after = render(doc)
    if mode == BlendMode.DISSOLVE:
        # Dissolve shows a pixel wholly or not at all by its coverage against a fixed noise: baking
        # the mask into alpha rounds the coverage, which may flip a pixel lying on its threshold.
        off = np.abs(after.astype(int) - image.astype(int)).max(axis=2) > 2
        assert off.mean() <= 0.02
    else:
        assert max_diff(after, image) <= 2
    assert_one_undo_step_restores(doc, before, steps)


@pytest.mark.parametrize("isolated", [True, False])
def test_merge_group_keeps_the_render(isolated) -> None:
    rng = np.random.default_rng(11)
    doc = Document(W, H)
    doc.root.insert(0, Layer("bg", random_pixels(rng, H, W)))
    children = [masked_layer(rng, 6, 8, offset=(-3, 1)), Layer("c", random_pixels(rng, 9, 9), offset=(5, 4), opacity=0.5)]
    mode = BlendMode.MULTIPLY if isolated else BlendMode.NORMAL
    group = Group("g", children, isolated=isolated, blend_mode=mode, opacity=0.8,
                  mask=Mask(rng.integers(0, 256, (H, W), dtype=np.uint8)))
    doc.root.insert(1, group)
    image, before, steps = render(doc), snapshot(doc), len(doc.history.steps)
    layer = merge_group(doc, group)
    assert doc.root.children[1] is layer and layer.opacity == 0.8 and layer.blend_mode is mode
    assert layer.bounds().x == -3  # the off-canvas part of a child is kept
    assert max_diff(render(doc), image) <= 2
    assert_one_undo_step_restores(doc, before, steps)
