"""Conversions between the compositor's float buffer, Qt's premultiplied BGRA and straight RGBA."""

from __future__ import annotations

import numpy as np


def premultiplied_bgra(acc: np.ndarray) -> np.ndarray:
    """Float premultiplied RGBA (0..1) to uint8 premultiplied BGRA (QImage ARGB32_Premultiplied)."""
    scaled = np.clip(acc * np.float32(255) + np.float32(0.5), 0, 255).astype(np.uint8)
    out = np.empty_like(scaled)
    out[..., 3] = scaled[..., 3]
    # Rounding must not leave a colour above its alpha: Qt requires valid premultiplied data.
    np.minimum(scaled[..., 2::-1], scaled[..., 3:4], out=out[..., :3])
    return out


def to_straight_rgba(bgra: np.ndarray) -> np.ndarray:
    """Premultiplied BGRA uint8 to straight RGBA uint8 (for export)."""
    alpha = bgra[..., 3:4].astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        rgb = np.where(alpha > 0, bgra[..., 2::-1].astype(np.float32) * 255 / alpha, 0)
    out = np.empty_like(bgra)
    out[..., :3] = np.clip(rgb + 0.5, 0, 255).astype(np.uint8)
    out[..., 3] = bgra[..., 3]
    return out


def straight_rgba(acc: np.ndarray) -> np.ndarray:
    """Float premultiplied RGBA to uint8 straight RGBA, without the 8-bit premultiplied detour
    (one numba pass when the fast backend is ready; the same bytes from numpy otherwise)."""
    from . import backends

    if backends.fast_ready() and acc.dtype == np.float32:
        from .straight_kernel import straight_into

        out = np.empty(acc.shape, np.uint8)
        straight_into(acc, out)
        return out
    return straight_rgba_numpy(acc)


def straight_rgba_numpy(acc: np.ndarray) -> np.ndarray:
    alpha = acc[..., 3:4]
    with np.errstate(divide="ignore", invalid="ignore"):
        rgb = np.where(alpha > 0, acc[..., :3] / alpha, 0)
    out = np.empty(acc.shape, np.uint8)
    out[..., :3] = np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8)
    out[..., 3] = np.clip(alpha[..., 0] * 255 + 0.5, 0, 255).astype(np.uint8)
    return out
