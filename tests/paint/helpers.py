"""Small documents to paint on, and a golden-image comparison."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from editor.core import Document, Layer, Mask

GOLDEN = Path(__file__).parent / "golden"


def mask_doc(w: int = 200, h: int = 120, value: int = 0, offset: tuple[int, int] = (0, 0),
             canvas: tuple[int, int] | None = None) -> tuple[Document, Layer]:
    """A document whose active layer has a uniform mask, with the brush editing that mask."""
    cw, ch = canvas or (w, h)
    doc = Document(cw, ch)
    pixels = np.zeros((h, w, 4), np.uint8)
    pixels[...] = (40, 80, 120, 255)
    layer = Layer("Layer", pixels, offset=offset, mask=Mask.filled(h, w, value))
    doc.root.insert(0, layer)
    doc.set_active(layer, edit_mask=True)
    return doc, layer


def pixel_doc(pixels: np.ndarray, **layer_kw) -> tuple[Document, Layer]:
    h, w = pixels.shape[:2]
    doc = Document(w, h)
    layer = Layer("Layer", pixels, **layer_kw)
    doc.root.insert(0, layer)
    doc.set_active(layer)
    return doc, layer


def assert_matches_golden(actual: np.ndarray, name: str, tolerance: int = 2) -> None:
    """Compare a uint8 image with golden/<name>.png; on failure write <name>.actual.png beside it."""
    path = GOLDEN / f"{name}.png"
    expected = np.asarray(Image.open(path))
    diff = np.abs(expected.astype(np.int16) - actual.astype(np.int16)) if expected.shape == actual.shape else None
    if diff is None or diff.max() > tolerance:
        out = GOLDEN / f"{name}.actual.png"
        Image.fromarray(actual).save(out)
        detail = "shape differs" if diff is None else f"max difference {diff.max()}, {(diff > tolerance).sum()} pixels"
        raise AssertionError(f"{name}: {detail}; actual image written to {out}")
