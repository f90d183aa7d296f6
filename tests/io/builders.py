"""Documents that exercise every feature of the core model, for round-trip tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from editor.core import BlendIf, BlendMode, Document, FillLayer, Group, Layer, Mask, Node
from editor.core.blendif import FULL
from tests.core.helpers import snapshot_node


def pixels(rng: np.random.Generator, h: int, w: int, *, opaque: bool = False) -> np.ndarray:
    px = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    if opaque:
        px[..., 3] = 255
    return px


def mask(rng: np.random.Generator, h: int, w: int, **settings: Any) -> Mask:
    return Mask(rng.integers(0, 256, (h, w), dtype=np.uint8), **settings)


def full_document(seed: int = 1) -> Document:
    """Groups with masks, clipping under a multiply base, offsets outside the canvas,
    Unicode names, fill layers, locks, pass-through, every mask setting."""
    rng = np.random.default_rng(seed)
    doc = Document(64, 48, resolution=300)
    background = Layer("Background", pixels(rng, 48, 64, opaque=True), locked=True)
    base = Layer("Basis ✓ 日本語 🙂", pixels(rng, 20, 30), offset=(-5, 40), blend_mode=BlendMode.MULTIPLY, opacity=0.7,
                 mask=mask(rng, 20, 30, density=0.6, feather=1.5, inverted=True,
                           generator={"kind": "chroma-key", "tolerance": 0.25, "key": [0, 255, 0]}))
    clip1 = Layer("clip one", pixels(rng, 10, 10), offset=(3, 42), clipped=True, blend_mode=BlendMode.SCREEN,
                  alpha_locked=True)
    clip2 = Layer("clip two", pixels(rng, 6, 70), offset=(-3, 30), clipped=True, opacity=0.5, visible=False)
    passthrough = Group("Pass-through", [Layer("outside", pixels(rng, 8, 8), offset=(70, -20))], isolated=False)
    fill = FillLayer("Colour fill", (10, 20, 30, 200), mask=mask(rng, 48, 64, enabled=False, linked=False))
    masked_group = Group("Masked group", [fill, Layer("inner", pixels(rng, 12, 12), offset=(30, 20),
                                                         blend_mode=BlendMode.ADD)],
                         blend_mode=BlendMode.HUE, mask=mask(rng, 48, 64))
    masked_group.expanded = False
    base.blend_if = BlendIf(this=((10, 30, 220, 250), FULL, FULL, FULL), underlying=(FULL, FULL, FULL, (0, 0, 128, 128)))
    fill.blend_if = BlendIf(underlying=((40, 40, 255, 255), (0, 5, 250, 255), FULL, FULL))
    passthrough.blend_if = BlendIf(this=(FULL, FULL, (1, 2, 3, 4), FULL))
    for node in (background, base, clip1, clip2, passthrough, masked_group):
        doc.root.insert(len(doc.root.children), node)
    doc.active = clip1
    return doc


def tree(node: Node) -> dict[str, Any]:
    """Everything a node holds except its session id, comparable with ==."""
    return snapshot_node(node, with_uid=False)

