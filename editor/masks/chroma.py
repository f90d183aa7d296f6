"""Chroma key: a soft alpha from a green, blue or picked backdrop, and despill.

The keyer is a colour-difference keyer (the family of Keylight and Nuke's
IBK): a pixel's screen strength is how far its key channel rises above the
larger of the other two, relative to the backdrop's own. Because a mixed
pixel is a linear blend of foreground and backdrop, its strength falls
linearly with coverage, so a linear ramp between `lo` and `hi` gives a true
soft alpha for hair and motion blur instead of a hard cut. Foreground
colours whose key channel does not dominate (skin, yellow, cyan next to a
green screen) have strength <= 0 and stay opaque.

Backdrops are never evenly lit. `even_light` divides the strength by a
smooth estimate of the local backdrop strength (sampled on a coarse grid,
holes under the subject inpainted), so a darker corner keys like a bright
centre without raising the tolerance for everybody.

Despill limits the key channel by the others, g' = min(g, max(r, b)) (or
their average, a softer variant), which removes the green cast the screen
throws on edges and reflections.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numba import njit, prange

from .color_range import parse_hex
from .words import as_words, channel_shift

PRESET_KEYS = {"green": 1, "blue": 2}  # preset name -> key channel (RGB index)
GRID_CELLS = 128  # samples of the backdrop-strength map along the long side
DESPILL_MODES = ("max", "average")


@dataclass
class ChromaKeyParams:
    key: str = "green"  # "green", "blue" or "#RRGGBB"
    tolerance: float = 0.15  # strength within this of the backdrop's is fully keyed out
    softness: float = 0.75  # width of the soft ramp below that, in units of backdrop strength
    even_light: bool = True
    despill: bool = False
    despill_mode: str = "max"

    def to_dict(self) -> dict:
        return {"kind": "chroma-key", "key": self.key, "tolerance": self.tolerance, "softness": self.softness,
                "even_light": self.even_light, "despill": self.despill, "despill_mode": self.despill_mode}

    @classmethod
    def from_dict(cls, data: dict) -> ChromaKeyParams:
        fields = ("key", "tolerance", "softness", "even_light", "despill", "despill_mode")
        return cls(**{k: data[k] for k in fields if k in data})

    def validate(self) -> None:
        key_colour(self.key)
        if not 0.0 <= self.tolerance < 1.0:
            raise ValueError("tolerance must be in [0, 1)")
        if not 0.0 <= self.softness <= 1.0:
            raise ValueError("softness must be in [0, 1]")
        if self.despill_mode not in DESPILL_MODES:
            raise ValueError(f"despill mode must be one of {', '.join(DESPILL_MODES)}")


def key_colour(key: str) -> tuple[int, tuple[int, int, int] | None]:
    """The key channel and, for a picked colour, the colour itself."""
    if key in PRESET_KEYS:
        return PRESET_KEYS[key], None
    rgb = parse_hex(key)
    channel = int(np.argmax(rgb))
    others = [rgb[c] for c in range(3) if c != channel]
    if rgb[channel] - max(others) < 16:
        raise ValueError(f"key colour {key} is too close to grey to key on")
    return channel, rgb


def _others(channel: int) -> tuple[int, int]:
    a, b = (c for c in range(3) if c != channel)
    return a, b


def grid_step(shape: tuple[int, ...]) -> int:
    return max(4, max(shape[:2]) // GRID_CELLS)


def _strength_grid(pixels: np.ndarray, channel: int) -> np.ndarray:
    """Raw screen strength on a coarse grid of samples (float32)."""
    a, b = _others(channel)
    step = grid_step(pixels.shape)
    grid = pixels[step // 2 :: step, step // 2 :: step].astype(np.float32)
    return grid[..., channel] - np.maximum(grid[..., a], grid[..., b])


def backdrop_strength(pixels: np.ndarray, channel: int, picked: tuple[int, int, int] | None) -> float:
    """The strength of a clean backdrop pixel: the picked colour's, or the image's typical screen."""
    if picked is not None:
        a, b = _others(channel)
        return float(picked[channel] - max(picked[a], picked[b]))
    s = _strength_grid(pixels, channel)
    screen = s[s > 0.5 * max(float(np.percentile(s, 99)), 1.0)]
    return float(np.median(screen)) if screen.size else 1.0


def backdrop_map(pixels: np.ndarray, channel: int, reference: float) -> np.ndarray:
    """Local backdrop strength on the coarse grid, with the subject's holes inpainted, smoothed."""
    s = _strength_grid(pixels, channel)
    holes = (s < 0.6 * reference).astype(np.uint8)
    if holes.all():
        return np.full(s.shape, reference, np.float32)
    # Inpaint in 8-bit relative to 2x the reference, which keeps 1/128 precision.
    scale = 127.0 / max(reference, 1.0)
    s8 = np.clip(s * scale, 0, 255).astype(np.uint8)
    filled = cv2.inpaint(s8, holes, 3, cv2.INPAINT_TELEA).astype(np.float32) / scale
    sigma = max(1.0, min(s.shape) / 30.0)
    filled = cv2.GaussianBlur(filled, (0, 0), sigma)
    return np.maximum(filled, 0.25 * reference).astype(np.float32)


@njit(parallel=True, cache=True, fastmath=True)
def _key_kernel(words, sk, sa, sb, grid, step, hi, lo, out):  # pragma: no cover - compiled
    """`words` is the RGBA image as one uint32 per pixel; sk, sa, sb are the bit shifts of
    the key channel and the other two (one load per pixel instead of three)."""
    h, w = out.shape
    gh, gw = grid.shape
    inv_ramp = np.float32(1.0 / max(hi - lo, 1e-6))
    offset = np.float32(hi) * inv_ramp
    # Bilinear weights into the backdrop grid (sample k sits at pixel k*step + step/2), per column once.
    x0s = np.empty(w, np.int64)
    x1s = np.empty(w, np.int64)
    fxs = np.empty(w, np.float32)
    for x in range(w):
        gx = (x + 0.5) / step - 0.5
        x0 = min(max(int(np.floor(gx)), 0), gw - 1)
        x0s[x] = x0
        x1s[x] = min(x0 + 1, gw - 1)
        fxs[x] = min(max(gx - x0, 0.0), 1.0)
    for y in prange(h):
        gy = (y + 0.5) / step - 0.5
        y0 = min(max(int(np.floor(gy)), 0), gh - 1)
        y1 = min(y0 + 1, gh - 1)
        fy = np.float32(min(max(gy - y0, 0.0), 1.0))
        # alpha = hi/ramp - (k - o) * scale with scale = 1 / (ramp * backdrop strength), interpolated.
        coarse = np.empty(gw, np.float32)
        for gx in range(gw):
            coarse[gx] = inv_ramp / (grid[y0, gx] + (grid[y1, gx] - grid[y0, gx]) * fy)
        scale = np.empty(w, np.float32)
        for x in range(w):
            scale[x] = coarse[x0s[x]] * (1 - fxs[x]) + coarse[x1s[x]] * fxs[x]
        for x in range(w):
            v = words[y, x]
            k = np.int32((v >> sk) & 255)
            o = max(np.int32((v >> sa) & 255), np.int32((v >> sb) & 255))
            alpha = min(max(offset - np.float32(k - o) * scale[x], np.float32(0.0)), np.float32(1.0))
            out[y, x] = np.uint8(alpha * np.float32(255.0) + np.float32(0.5))


@njit(parallel=True, cache=True)
def _despill_kernel(pixels, channel, a, b, average, out):  # pragma: no cover - compiled
    h, w = out.shape[:2]
    for y in prange(h):
        for x in range(w):
            if average:
                limit = (np.int32(pixels[y, x, a]) + np.int32(pixels[y, x, b])) // 2
            else:
                limit = max(np.int32(pixels[y, x, a]), np.int32(pixels[y, x, b]))
            k = np.int32(pixels[y, x, channel])
            out[y, x, channel] = min(k, limit)


def chroma_key(pixels: np.ndarray, params: ChromaKeyParams) -> np.ndarray:
    """The key's alpha (h, w) uint8 for (h, w, 3|4) uint8 RGB[A] pixels: 255 foreground, 0 screen."""
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] < 3:
        raise ValueError("chroma_key needs (h, w, 3|4) uint8 pixels")
    params.validate()
    channel, picked = key_colour(params.key)
    a, b = _others(channel)
    reference = max(backdrop_strength(pixels, channel, picked), 1.0)
    step = grid_step(pixels.shape)
    if params.even_light and min(pixels.shape[:2]) >= 4 * step:
        grid = backdrop_map(pixels, channel, reference)
    else:
        grid = np.full((1, 1), reference, np.float32)
    hi = 1.0 - params.tolerance
    lo = hi - params.softness
    out = np.empty(pixels.shape[:2], np.uint8)
    shift = [channel_shift(c) for c in (channel, a, b)]
    _key_kernel(as_words(pixels), shift[0], shift[1], shift[2], grid, float(step), hi, lo, out)
    return out


def despill(pixels: np.ndarray, key: str = "green", mode: str = "max", out: np.ndarray | None = None) -> np.ndarray:
    """Pixels with the key channel limited by the other two (in place when out is pixels)."""
    if mode not in DESPILL_MODES:
        raise ValueError(f"despill mode must be one of {', '.join(DESPILL_MODES)}")
    channel, _ = key_colour(key)
    a, b = _others(channel)
    if out is None:
        out = pixels.copy()
    elif out is not pixels:
        out[...] = pixels
    _despill_kernel(pixels, channel, a, b, mode == "average", out)
    return out


def cutout(pixels: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """RGBA straight-alpha cut-out: the pixels' own alpha times the key's."""
    rgba = np.empty((*pixels.shape[:2], 4), np.uint8)
    rgba[..., :3] = pixels[..., :3]
    if pixels.shape[2] == 4:
        rgba[..., 3] = ((pixels[..., 3].astype(np.uint16) * alpha + 127) // 255).astype(np.uint8)
    else:
        rgba[..., 3] = alpha
    return rgba
