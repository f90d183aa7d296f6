"""The plain numpy backend: slow, simple, always available, and the fast path's oracle."""

from __future__ import annotations

import numpy as np

from editor.core import BlendMode, Rect
from editor.core.blend import dissolve_noise

from .blendmath import blend, special_fill
from .pixels import premultiplied_bgra
from .plan import MaskInput, Op, Source

name = "numpy"


def mask_values(mask: MaskInput, region: Rect) -> np.ndarray:
    """The effective mask (0..1 float32) over `region`."""
    window = mask.data[region.translated(-mask.origin[0], -mask.origin[1]).slices()]
    if mask.effective:
        return window
    values = window.astype(np.float32) * np.float32(1 / 255)
    if mask.inverted:
        values = 1 - values
    return 1 - np.float32(mask.density) * (1 - values)


def blend_if_levels(straight: np.ndarray) -> np.ndarray:
    """(..., 4) int32 8-bit levels of gray, red, green, blue of straight RGB (0..1) colour:
    each channel rounded to its level, gray = (299 R + 590 G + 111 B) / 1000 rounded, in
    integers (Photoshop's Composite Gray, SethRobinson/Patchy docs/layer-effects-render.md)."""
    rgb = np.floor(np.clip(straight[..., :3], 0, 1) * np.float32(255) + np.float32(0.5)).astype(np.int32)
    gray = (299 * rgb[..., 0] + 590 * rgb[..., 1] + 111 * rgb[..., 2] + 500) // 1000
    return np.concatenate([gray[..., None], rgb], axis=-1)


def _ramp(levels: np.ndarray, b0: float, b1: float, w0: float, w1: float) -> np.ndarray:
    """Photoshop's inclusive feather: level v between split black handles keeps
    (v - b0 + 1) / (b1 - b0 + 1), between split white handles (w1 - v + 1) / (w1 - w0 + 1)."""
    v = levels.astype(np.float32)
    weight = np.ones(v.shape, np.float32)
    if b1 > b0:
        weight = np.where(v < b1, (v - b0 + 1) / np.float32(b1 - b0 + 1), weight)
    if w1 > w0:
        weight = np.where(v > w0, (w1 - v + 1) / np.float32(w1 - w0 + 1), weight)
    return np.where((v < b0) | (v > w1), np.float32(0), weight)


def blend_if_straight(table: np.ndarray, this: np.ndarray, underlying: np.ndarray,
                      under_alpha: np.ndarray | None = None) -> np.ndarray:
    """The Blend If weight (float32 0..1) of straight colours `this` (the layer) over `underlying`
    (whose alpha is `under_alpha`, opaque when None). Transparency beneath always passes: the
    Underlying gate weighs (1 - alpha) + alpha x gate (Patchy's Photoshop 2026 probes)."""
    weight = np.ones(this.shape[:-1], np.float32)
    for which, colour in enumerate((this, underlying)):
        levels = blend_if_levels(colour)
        gate = np.ones(this.shape[:-1], np.float32)
        for ch in range(4):
            b0, b1, w0, w1 = (float(v) for v in table[which, ch])
            if (b0, b1, w0, w1) != (0, 0, 255, 255):
                gate *= _ramp(levels[..., ch], b0, b1, w0, w1)
        if which == 1 and under_alpha is not None:
            gate = (1 - under_alpha) + under_alpha * gate
        weight *= gate
    return weight


def blend_if_weight(table: np.ndarray, this: np.ndarray, underlying: np.ndarray) -> np.ndarray:
    """blend_if_straight of two float premultiplied RGBA buffers."""
    colour, alpha = unpremultiply(underlying)
    return blend_if_straight(table, unpremultiply(this)[0], colour, alpha)


def unpremultiply(premultiplied: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(straight RGB clipped to 0..1, alpha) of a float premultiplied RGBA array."""
    alpha = premultiplied[..., 3]
    with np.errstate(divide="ignore", invalid="ignore"):
        color = np.where(alpha[..., None] > 0, premultiplied[..., :3] / alpha[..., None], 0)
    return np.clip(color, 0, 1).astype(np.float32, copy=False), alpha


def adjusted_colour(op: Op, dst: np.ndarray) -> np.ndarray:
    """An ADJUST op's source: the 8-bit straight colour of `dst` (float premultiplied)
    through the op's adjustment, as 0..1 floats."""
    from .adjustments import planes

    alpha = dst[..., 3:4]
    with np.errstate(divide="ignore", invalid="ignore"):
        straight = np.where(alpha > 0, dst[..., :3] / alpha, 0)
    rgba = np.full((*dst.shape[:2], 4), 255, np.uint8)
    rgba[..., :3] = np.clip(straight * np.float32(255) + np.float32(0.5), 0, 255).astype(np.uint8)
    assert op.adjust is not None
    planes.apply_image(rgba, op.adjust.kernel, op.adjust.params)  # type: ignore[arg-type]
    return rgba[..., :3].astype(np.float32) * np.float32(1 / 255)


def _source(op: Op, region: Rect) -> tuple[np.ndarray, np.ndarray]:
    """(straight colour, alpha) of the op's source over `region` (not for ADJUST ops)."""
    if op.source is Source.FILL:
        color = np.broadcast_to(np.asarray(op.color[:3], np.float32), (region.h, region.w, 3))
        return color, np.full((region.h, region.w), op.color[3], np.float32)
    window = op.pixels[region.translated(-op.origin[0], -op.origin[1]).slices()]
    if op.source is Source.BUFFER:
        return unpremultiply(window)
    straight = window.astype(np.float32) * np.float32(1 / 255)
    return straight[..., :3], straight[..., 3]


def apply_op(acc: np.ndarray, rect: Rect, op: Op) -> None:
    """Composite one op into the float premultiplied buffer `acc` covering `rect`."""
    region = op.region
    dst = acc[region.translated(-rect.x, -rect.y).slices()]
    if op.source is Source.ADJUST:
        cs, alpha = adjusted_colour(op, dst), np.ones((region.h, region.w), np.float32)
    else:
        cs, alpha = _source(op, region)
    alpha = alpha * np.float32(op.opacity)
    if op.mask is not None:
        alpha = alpha * mask_values(op.mask, region)
    cb, ab = unpremultiply(dst)
    if op.blend_if is not None:
        alpha = alpha * blend_if_straight(op.blend_if, cs, cb, ab)
    if op.mode is BlendMode.DISSOLVE:
        ys, xs = np.ogrid[region.y:region.bottom, region.x:region.right]
        alpha = (dissolve_noise(xs.astype(np.int64), ys.astype(np.int64)) < alpha).astype(np.float32)
    a_s = alpha[..., None]
    ab = ab[..., None]
    if op.fill < 1:  # a special-Fill mode (plan.with_fill): the faded blend at full weight
        mixed = special_fill(op.mode, cb, cs, op.fill)
    else:
        mixed = cs if op.mode in (BlendMode.NORMAL, BlendMode.DISSOLVE) else blend(op.mode, cb, cs)
    if op.atop:
        dst[..., :3] = dst[..., :3] * (1 - a_s) + a_s * ab * mixed
    else:
        grown = alpha * np.float32(op.fill)  # what the op adds where the backdrop is transparent
        dst[..., :3] = grown[..., None] * (1 - ab) * cs + dst[..., :3] * (1 - a_s) + a_s * ab * mixed
        dst[..., 3] = grown + ab[..., 0] * (1 - grown)


def composite(rect: Rect, ops: list[Op], acc: np.ndarray | None) -> np.ndarray:
    if acc is None:
        acc = np.zeros((rect.h, rect.w, 4), np.float32)
    for op in ops:
        apply_op(acc, rect, op)
    return acc


def composite_bgra(rect: Rect, ops: list[Op], acc: np.ndarray | None, out: np.ndarray | None = None) -> np.ndarray:
    bgra = premultiplied_bgra(composite(rect, ops, acc))
    if out is None:
        return bgra
    out[...] = bgra
    return out


def lerp(backdrop: np.ndarray, result: np.ndarray, rect: Rect, opacity: float, mask: MaskInput | None) -> None:
    """backdrop += (result - backdrop) * opacity * mask, in place (a pass-through group)."""
    amount = np.full((rect.h, rect.w), opacity, np.float32)
    if mask is not None:
        amount *= mask_values(mask, rect)
    backdrop += (result - backdrop) * amount[..., None]
