"""The eyedropper's colour: one pixel or the average of a square, of the active layer or the composite (no Qt)."""

from __future__ import annotations

import numpy as np

from editor.core import Document, FillLayer, GradientFillLayer, Layer, Rect

from .compositor import render_float

SAMPLE_SIZES = (1, 3, 5)  # Photoshop's Point Sample, 3 by 3 Average, 5 by 5 Average


def _premultiplied(rgba: np.ndarray) -> np.ndarray:
    out = rgba.astype(np.float64) / 255.0
    out[..., :3] *= out[..., 3:]
    return out


def sample_colour(doc: Document, x: float, y: float, *, size: int = 1, merged: bool = True) -> tuple[int, int, int, int] | None:
    """Straight RGBA at document point (x, y): the pixel under it (size 1) or the average of the
    size x size square centred on it, weighted by alpha so transparent pixels add no colour.

    merged: the composite; else the active layer (a fill layer's colour or gradient, a group's composite
    would need Sample All Layers, so a group samples the composite). None outside the canvas.
    """
    cx, cy = int(np.floor(x)), int(np.floor(y))
    if not (0 <= cx < doc.width and 0 <= cy < doc.height):
        return None
    r = max(0, int(size) // 2)
    rect = Rect(cx - r, cy - r, 2 * r + 1, 2 * r + 1).intersect(doc.canvas)
    node = doc.active
    if merged or not isinstance(node, Layer | FillLayer | GradientFillLayer):
        acc = render_float(doc, rect).astype(np.float64)
    elif isinstance(node, FillLayer):
        acc = _premultiplied(node.pixels_for(rect))
    elif isinstance(node, GradientFillLayer):
        from editor.paint.gradient_fill import fill_pixels  # paint imports render: bound late

        acc = _premultiplied(fill_pixels(node.gradient, rect, doc.canvas))
    else:
        acc = np.zeros((rect.h, rect.w, 4), np.float64)
        inside = rect.intersect(node.bounds())
        if not inside.empty:
            part = node.pixels[inside.translated(-node.x, -node.y).slices()]
            acc[inside.translated(-rect.x, -rect.y).slices()] = _premultiplied(part)
    mean = acc.reshape(-1, 4).mean(axis=0)
    alpha = mean[3]
    if alpha <= 0:
        return (0, 0, 0, 0)
    rgb = np.clip(mean[:3] / alpha * 255.0 + 0.5, 0, 255).astype(int)
    return int(rgb[0]), int(rgb[1]), int(rgb[2]), int(min(255, alpha * 255.0 + 0.5))
