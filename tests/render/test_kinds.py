"""The node-kind seam: every kind core defines has a renderer and a file mapping, and a new kind
registered in those places renders, clones, sizes and merges without other changes."""

from __future__ import annotations

import numpy as np

from editor.core import Document, FillLayer, Group, Layer, Node, Rect
from editor.core.layers import NODE_KINDS
from editor.io import kinds as file_kinds
from editor.render import Renderer, kinds, render
from editor.render.plan import Op, Source, mask_input


def test_every_core_kind_is_registered_for_render_and_files():
    for name in NODE_KINDS:
        if name == "node" or name.startswith("test-"):
            continue
        assert name in kinds.RENDERERS, name
        assert name in file_kinds.KINDS, name


def test_clone_and_nbytes_per_kind():
    layer = Layer("a", np.full((4, 5, 4), 9, np.uint8), offset=(1, 2))
    fill = FillLayer("f", (1, 2, 3, 255))
    group = Group("g", [layer, fill])
    copy = group.clone("g2")
    assert copy.name == "g2" and [c.name for c in copy.children] == ["a", "f"]
    assert copy.children[0].pixels is not layer.pixels and copy.children[0].offset == (1, 2)
    assert group.nbytes() == layer.pixels.nbytes
    shared = layer.clone(copy_arrays=False)
    assert shared.pixels is layer.pixels
    shared.own_arrays()
    assert shared.pixels is not layer.pixels


class Stripe(Node):
    """A test-only kind: an opaque grey stripe one pixel tall at row `row`."""

    kind = "test-stripe"

    def __init__(self, name: str, row: int, **kw) -> None:
        super().__init__(name, **kw)
        self.row = row

    def _clone(self, name, common, copy_arrays):
        return Stripe(name, self.row, **common)


class StripeRender(kinds.KindRender):
    def op(self, comp, node, rect, mode, opacity, atop):
        region = rect.intersect(Rect(0, node.row, comp.canvas.w, 1))
        if region.empty:
            return None
        return Op(Source.FILL, region, mode, opacity, color=(0.5, 0.5, 0.5, 1.0),
                  mask=mask_input(node, region, comp.canvas), atop=atop)


def test_a_new_kind_renders_through_the_registry_and_the_caches():
    kinds.register("test-stripe", StripeRender())
    try:
        doc = Document(8, 6)
        base = Layer("base", np.zeros((6, 8, 4), np.uint8))
        doc.root.insert(0, base)
        doc.root.insert(1, Stripe("s", 2))
        doc.active = base
        out = render(doc)
        assert out[2, 0, 3] == 255 and out[3, 0, 3] == 0
        renderer = Renderer(doc, backend="numpy")
        assert np.array_equal(renderer.render(Rect(0, 0, 4, 4)), out[:4, :4])
        assert doc.root.children[1].clone().row == 2
    finally:
        del kinds.RENDERERS["test-stripe"]
