"""Hypothesis strategies for small random documents: layers, fills, groups, masks, clipping."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from editor.core import BlendIf, BlendMode, Document, FillLayer, Group, Layer, Mask, Node

MODES = list(BlendMode)
W, H = 12, 10


def random_pixels(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    px = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    # Plenty of the values where blend formulas switch branch or jump: 0, 128, 255.
    special = rng.random((h, w, 4)) < 0.3
    px[special] = rng.choice(np.array([0, 127, 128, 255], np.uint8), special.sum())
    return px


@st.composite
def masks(draw, h: int, w: int, rng: np.random.Generator):
    if not draw(st.booleans()):
        return None
    kind = draw(st.sampled_from(["random", "white", "black"]))
    data = {"random": lambda: rng.integers(0, 256, (h, w), dtype=np.uint8),
            "white": lambda: np.full((h, w), 255, np.uint8),
            "black": lambda: np.zeros((h, w), np.uint8)}[kind]()
    return Mask(data, enabled=draw(st.booleans()) or True, density=draw(st.sampled_from([1.0, 1.0, 0.6, 0.0])),
                feather=draw(st.sampled_from([0.0, 0.0, 0.8, 1.7])), inverted=draw(st.booleans()))


@st.composite
def ranges(draw):
    """A Blend If range: four ordered 8-bit handles, often unsplit or at the ends."""
    values = sorted(draw(st.lists(st.sampled_from([0, 0, 1, 40, 127, 128, 200, 254, 255, 255]), min_size=4, max_size=4)))
    if draw(st.booleans()):
        values[1], values[2] = values[0], values[3]  # unsplit: a hard cut at each end
    return tuple(values)


@st.composite
def this_layer_blend_ifs(draw):
    """Blend If on This Layer only: its levels come from uint8 pixels, so every backend sees
    exactly the reference's levels (Underlying ranges read float composites, where a level a
    hair from x.5 may round either way: those are tested on exact backdrops instead)."""
    if not draw(st.booleans()):
        return None
    full = (0, 0, 255, 255)
    return BlendIf(this=tuple(draw(ranges()) if draw(st.booleans()) else full for _ in range(4)))


@st.composite
def nodes(draw, rng: np.random.Generator, depth: int = 0, blend_if: bool = False, knockout: bool = False,
          advanced: bool = False):
    kind = draw(st.sampled_from(["pixel", "pixel", "pixel", "fill", "group"] if depth < 2 else ["pixel", "fill"]))
    common = dict(
        opacity=draw(st.sampled_from([1.0, 1.0, 0.5, 0.0, 0.83])),
        fill=draw(st.sampled_from([1.0, 1.0, 1.0, 0.4, 0.0, 0.75])),
        blend_mode=draw(st.sampled_from(MODES)),
        visible=draw(st.booleans()) or draw(st.booleans()),
        clipped=draw(st.booleans()) and draw(st.booleans()),
    )
    if knockout:  # drawn only when asked, so the other strategies' examples stay as they were
        common["knockout"] = draw(st.sampled_from(["none", "none", "shallow", "deep"]))
    if advanced:  # Advanced Blending's Channels and Blend Clipped Layers as Group, likewise only when asked
        common["channels"] = draw(st.sampled_from(["rgb", "rgb", "rg", "b", "gb", ""]))
        common["clip_group_blend"] = draw(st.booleans())
    node: Node
    if kind == "pixel":
        h, w = draw(st.integers(1, H + 3)), draw(st.integers(1, W + 3))
        offset = (draw(st.integers(-w, W)), draw(st.integers(-h, H)))
        node = Layer("p", random_pixels(rng, h, w), offset=offset, mask=draw(masks(h, w, rng)), **common)
        if blend_if:
            node.blend_if = draw(this_layer_blend_ifs())
    elif kind == "fill":
        color = tuple(int(c) for c in rng.choice(np.array([0, 40, 128, 200, 255]), 4))
        node = FillLayer("f", color, mask=draw(masks(H, W, rng)), **common)
    else:
        children = draw(st.lists(nodes(rng, depth + 1, blend_if, knockout, advanced), min_size=0, max_size=3))
        node = Group("g", children, isolated=draw(st.booleans()), mask=draw(masks(H, W, rng)), **common)
    return node


@st.composite
def documents(draw, max_nodes: int = 4, blend_if: bool = False, knockout: bool = False, advanced: bool = False):
    """Random documents; with `knockout`, nodes draw Photoshop's Knockout too, and the bottom
    layer is sometimes opaque (a Background for deep knockouts to reach)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    doc = Document(W, H)
    if knockout and draw(st.booleans()):
        background = random_pixels(rng, H, W)
        background[..., 3] = 255
        doc.root.insert(0, Layer("Background", background))
    for node in draw(st.lists(nodes(rng, blend_if=blend_if, knockout=knockout, advanced=advanced), min_size=1,
                              max_size=max_nodes)):
        doc.root.insert(len(doc.root.children), node)
    if blend_if:  # a clip base's Blend If weighs the clip group's composite: not exact levels
        for group in [doc.root, *(n for n in doc.root.walk() if isinstance(n, Group))]:
            for below, above in zip(group.children, group.children[1:], strict=False):
                if above.clipped:
                    below.blend_if = None
    return doc
