"""Photoshop's Advanced Blending options, worked by hand on both backends: Channels (R, G, B)
and Blend Clipped Layers as Group off. Random documents with both are checked against the
float64 reference in test_against_reference.py."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import BlendMode, Document, Group, Layer
from editor.render import flatten_rgba, render
from editor.render.backends import available

BACKENDS = available()


def _solid(rgb, w=8, h=6, a=255, offset=(0, 0), **kw) -> Layer:
    px = np.zeros((h, w, 4), np.uint8)
    px[..., :3], px[..., 3] = rgb, a
    return Layer("l", px, offset=offset, **kw)


def _doc(*nodes) -> Document:
    doc = Document(8, 6)
    for node in nodes:
        doc.root.insert(len(doc.root.children), node)
    return doc


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unticked_channel_keeps_what_lies_below(backend):
    doc = _doc(_solid((10, 20, 30)), _solid((200, 100, 50), channels="r"))
    assert (flatten_rgba(doc, backend=backend)[..., :3] == (200, 20, 30)).all()
    doc = _doc(_solid((10, 20, 30)), _solid((200, 100, 50), channels="gb", blend_mode=BlendMode.MULTIPLY))
    out = flatten_rgba(doc, backend=backend)[..., :3].astype(int)
    assert (np.abs(out - (10, round(20 * 100 / 255), round(30 * 50 / 255))) <= 1).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_over_transparency_an_unticked_channel_is_empty_and_the_coverage_still_adds(backend):
    out = flatten_rgba(_doc(_solid((200, 100, 50), channels="g")), backend=backend)
    assert (out == (0, 100, 0, 255)).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_channel_ticked_draws_nothing(backend):
    doc = _doc(_solid((10, 20, 30)), _solid((200, 100, 50), channels=""))
    assert (render(doc, backend=backend) == render(_doc(_solid((10, 20, 30))), backend=backend)).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_channels_on_a_clip_base_restrict_its_whole_clip_group(backend):
    doc = _doc(_solid((10, 20, 30)), _solid((255, 255, 255), channels="b"), _solid((200, 100, 50), clipped=True))
    assert (flatten_rgba(doc, backend=backend)[..., :3] == (10, 20, 50)).all()


def _clip_run(clip_group_blend: bool, **base):
    """Grey, a base over the left half (its settings `base`), a clipped colour over it all."""
    return _doc(_solid((100, 100, 100)), _solid((0, 0, 0), w=4, clip_group_blend=clip_group_blend, **base),
                _solid((200, 50, 50), clipped=True))


@pytest.mark.parametrize("backend", BACKENDS)
def test_clipped_layers_blended_apart_keep_their_own_mode(backend):
    """A screen-mode black base shows nothing; with the option on its clipped layer is screened in
    with it, with it off the clipped layer draws normally within the base's shape."""
    on = flatten_rgba(_clip_run(True, blend_mode=BlendMode.SCREEN), backend=backend)[..., :3].astype(int)
    off = flatten_rgba(_clip_run(False, blend_mode=BlendMode.SCREEN), backend=backend)[..., :3].astype(int)
    screen = [round(255 - (255 - 100) * (255 - c) / 255) for c in (200, 50, 50)]
    assert (np.abs(on[:, :4] - screen) <= 1).all()
    assert (off[:, :4] == (200, 50, 50)).all()
    assert (on[:, 4:] == 100).all() and (off[:, 4:] == 100).all()  # outside the base: nothing


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_fill_zero_base_blended_apart_hides_only_itself(backend):
    on = flatten_rgba(_clip_run(True, fill=0.0), backend=backend)[..., :3]
    off = flatten_rgba(_clip_run(False, fill=0.0), backend=backend)[..., :3]
    assert (on == 100).all()
    assert (off[:, :4] == (200, 50, 50)).all() and (off[:, 4:] == 100).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_base_blended_apart_still_shapes_by_its_alpha_mask_and_opacity(backend):
    base = _solid((0, 0, 0), w=4, a=128, clip_group_blend=False, opacity=0.5, fill=0.0)
    doc = _doc(_solid((100, 100, 100)), base, _solid((200, 50, 50), clipped=True, blend_mode=BlendMode.MULTIPLY))
    out = flatten_rgba(doc, backend=backend)[..., :3].astype(int)
    k = 128 / 255 * 0.5
    expected = [round(100 + k * (100 * c / 255 - 100)) for c in (200, 50, 50)]
    assert (np.abs(out[:, :4] - expected) <= 1).all() and (out[:, 4:] == 100).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_blended_apart_inside_a_pass_through_group(backend):
    group = Group("g", [_solid((0, 0, 0), w=4, clip_group_blend=False, blend_mode=BlendMode.SCREEN),
                        _solid((200, 50, 50), clipped=True)], isolated=False)
    out = flatten_rgba(_doc(_solid((100, 100, 100)), group), backend=backend)[..., :3]
    assert (out[:, :4] == (200, 50, 50)).all() and (out[:, 4:] == 100).all()
