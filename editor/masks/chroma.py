"""Chroma key: a soft alpha from a green, blue or picked backdrop, and despill.

The keyer is a colour-difference keyer (the family of Keylight and Nuke's
IBK): a pixel's screen strength is how far its key channel rises above the
larger of the other two, relative to the backdrop's own. Because a mixed
pixel is a linear blend of foreground and backdrop, its strength falls
linearly with coverage: alpha = 1 - strength / backdrop strength unmixes it
against the local backdrop (the default: tolerance 0, softness 1), a true
soft alpha for hair and motion blur instead of a hard cut; tolerance and
softness squeeze that ramp for a harder key. Foreground colours whose key
channel does not dominate (skin, yellow, cyan next to a green screen) have
strength <= 0 and stay opaque.

Unmixing is unbiased but passes the sensor noise through (about 0.05 of
alpha at sigma 3), which over a whole screen would leave a faint veil that
costs more than all the edges together. `clean` removes it without a ramp
that biases the edges: a pixel whose 3x3 neighbourhood averages within
`clean` of pure screen snaps to 0, within `clean` of opaque to 1. The mean
of nine pixels has a third of the noise, while a 1-px strand at half
coverage still lifts its neighbourhood above the threshold and keeps its
unmixed alpha.

Backdrops are never evenly lit. `even_light` keys each pixel against the
screen plate (screen_plate.py: the screen's own RGB colour at every pixel,
fitted from the frame and inpainted under the subject), so a darker corner
keys like a bright centre without raising the tolerance for everybody.

A subject's greenish garment or a dark area with green spill rises above
the other channels too, and the ramp alone keys it half out. `hold_core`
holds opaque what is surely subject: far from the local screen colour, no
blend ramping to it, in a region wider than a strand (key_core.py). The
ramp's alpha stays on strands and soft edges; despill then removes the cast.

`band_matting` then re-estimates the soft band where the subject beside it
tells the foreground's colour, spill included (band_matte.py).

Despill limits the key channel by the others, g' = min(g, max(r, b)) (or
their average, a softer variant), which removes the green cast the screen
throws on edges and reflections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from .band_matte import matte_band
from .color_range import parse_hex
from .key_core import column_weights, subject_core
from .screen_plate import screen_plate
from .words import as_words, word_channel

PRESET_KEYS = {"green": 1, "blue": 2}  # preset name -> key channel (RGB index)
HOLD_OPENING = 15  # the opening that tells a subject region from strands (wider than 3-px hair with its AA)
KEY_BLOCK_ROWS = 64  # rows per parallel work item of the key kernel
DESPILL_MODES = ("max", "average")


@dataclass
class ChromaKeyParams:
    key: str = "green"  # "green", "blue" or "#RRGGBB"
    tolerance: float = 0.0  # strength within this of the backdrop's is fully keyed out
    softness: float = 1.0  # width of the soft ramp below that (down to strength 0), in backdrop strengths
    even_light: bool = True
    despill: bool = False
    despill_mode: str = "max"
    clean: float = 0.1  # a 3x3 neighbourhood keyed within this of screen (of opaque) snaps to 0 (to 1)
    hold_core: bool = True  # colours far from the local screen, in a region wider than a strand, stay opaque
    band_matting: bool = False  # re-estimate the soft band against the plate and the subject beside it (slower)

    def to_dict(self) -> dict:
        return {"kind": "chroma-key", "key": self.key, "tolerance": self.tolerance, "softness": self.softness,
                "clean": self.clean, "even_light": self.even_light, "despill": self.despill,
                "despill_mode": self.despill_mode, "hold_core": self.hold_core,
                "band_matting": self.band_matting}

    @classmethod
    def from_dict(cls, data: dict) -> ChromaKeyParams:
        fields = ("key", "tolerance", "softness", "clean", "even_light", "despill", "despill_mode", "hold_core",
                  "band_matting")
        return cls(**{k: data[k] for k in fields if k in data})

    def validate(self) -> None:
        key_colour(self.key)
        if not 0.0 <= self.tolerance < 1.0:
            raise ValueError("tolerance must be in [0, 1)")
        if not 0.0 <= self.softness <= 1.0:
            raise ValueError("softness must be in [0, 1]")
        if not 0.0 <= self.clean < 0.5:
            raise ValueError("clean must be in [0, 0.5)")
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


def detect_screen(pixels: np.ndarray) -> str:
    """"green" or "blue": the screen that dominates the picture's border, where a backdrop
    shows around a subject; green (the commoner screen) when neither does."""
    h, w = pixels.shape[:2]
    band = max(1, min(h, w) // 20)
    step = max(1, band // 16)  # a sample of the frame is plenty, and fast at 24 MP
    frame = np.concatenate([part[::step, ::step, :3].reshape(-1, 3) for part in
                            (pixels[:band], pixels[-band:], pixels[:, :band], pixels[:, -band:])]).astype(np.int16)
    r, g, b = frame[:, 0], frame[:, 1], frame[:, 2]
    green = np.count_nonzero(g - np.maximum(r, b) >= 16)
    blue = np.count_nonzero(b - np.maximum(r, g) >= 16)
    return "blue" if blue > green else "green"


def _others(channel: int) -> tuple[int, int]:
    a, b = (c for c in range(3) if c != channel)
    return a, b


@njit(cache=True, fastmath=True)
def _scale_rows(grid, step, w, inv_ramp):  # pragma: no cover - compiled
    """(gh, w) float32: 1 / (ramp * backdrop strength) along each grid row, bilinear in x. The key
    blends two of these rows per pixel row (so the plate is bilinear in its reciprocal), one
    multiply-add a pixel instead of a division and a run of interpolation per row."""
    gh, gw = grid.shape
    starts, fxs = column_weights(w, step, gw)
    out = np.empty((gh, w), np.float32)
    for g in range(gh):
        for gx in range(gw):
            n = min(gx + 1, gw - 1)
            left = inv_ramp / grid[g, gx]
            right = inv_ramp / grid[g, n]
            for x in range(starts[gx], starts[gx + 1]):
                out[g, x] = left + (right - left) * fxs[x]
    return out


@njit(cache=True, fastmath=True)
def _ramp_row(words, y, ck, ca, cb, offset, scales, step, row):  # pragma: no cover - compiled
    """Row y's alpha on the ramp, clamped to [0, 1], into `row` (float32):
    alpha = hi/ramp - (k - o) * scale, with scale blended from the two grid rows around y. k - o is
    narrowed to int32 before its conversion: numba's int32 arithmetic is 64-bit, and the loop ran
    in half-width lanes."""
    gh = scales.shape[0]
    gy = (y + 0.5) / step - 0.5
    y0 = min(max(int(np.floor(gy)), 0), gh - 1)
    y1 = min(y0 + 1, gh - 1)
    fy = np.float32(min(max(gy - y0, 0.0), 1.0))
    r0, r1, wrow = scales[y0], scales[y1], words[y]
    for x in range(row.shape[0]):
        v = wrow[x]
        k = word_channel(v, ck)
        o = max(word_channel(v, ca), word_channel(v, cb))
        scale = r0[x] + (r1[x] - r0[x]) * fy
        row[x] = min(max(offset - np.float32(np.int32(k - o)) * scale, np.float32(0.0)), np.float32(1.0))


@njit(cache=True, fastmath=True)
def _widen_row(source, factor, held):  # pragma: no cover - compiled
    """`held` (uint8) = hold row `source` at `factor` times its width, its last value carried to the
    end. Factor 2 (24 MP) is a plain shift: a division by a run-time factor per pixel cost more than
    the whole key (40 ms CPU at 24 MP)."""
    w, hw = held.shape[0], source.shape[0]
    n = min(hw * factor, w)
    if factor == 1:
        for x in range(n):
            held[x] = source[x]
    elif factor == 2:
        for x in range(n):
            held[x] = source[x >> 1]
    else:
        for x in range(n):
            held[x] = source[x // factor]
    for x in range(n, w):
        held[x] = source[hw - 1]


@njit(parallel=True, cache=True, fastmath=True)
def _key_kernel(words, ck, ca, cb, grid, step, hi, lo, clean, hold, factor, out):  # pragma: no cover - compiled
    """`words` is the RGBA image as one uint32 per pixel (one load per pixel instead of three);
    ck, ca, cb are the key channel and the other two. Rows go in blocks with a ring of three
    ramp rows, so the 3x3 mean costs no second pass. `hold` is the
    subject's core at 1/factor of the size (255 holds the pixel opaque; a (1, 1) zero: none),
    widened to a uint8 row once per hold row (`_widen_row`) so the per-pixel loops stay vectorised."""
    h, w = out.shape
    inv_ramp = np.float32(1.0 / max(hi - lo, 1e-6))
    offset = np.float32(hi) * inv_ramp
    low, high = np.float32(9.0 * clean), np.float32(9.0 * (1.0 - clean))  # against 3x3 sums
    scales = _scale_rows(grid, step, w, inv_ramp)
    hh = hold.shape[0]
    blocks = (h + KEY_BLOCK_ROWS - 1) // KEY_BLOCK_ROWS
    for bi in prange(blocks):
        first = bi * KEY_BLOCK_ROWS
        last = min(h, first + KEY_BLOCK_ROWS)
        rows = np.empty((3, w), np.float32)
        column = np.empty(w + 2, np.float32)
        held = np.zeros(w, np.uint8)
        held_y = -1
        _ramp_row(words, max(first - 1, 0), ck, ca, cb, offset, scales, step, rows[0])
        _ramp_row(words, first, ck, ca, cb, offset, scales, step, rows[1])
        for y in range(first, last):
            i = y - first
            above, here, below = rows[i % 3], rows[(i + 1) % 3], rows[(i + 2) % 3]
            _ramp_row(words, min(y + 1, h - 1), ck, ca, cb, offset, scales, step, below)
            hy = min(y // factor, hh - 1)
            if hy != held_y:
                _widen_row(hold[hy], factor, held)
                held_y = hy
            orow = out[y]
            if clean <= 0:
                for x in range(w):
                    orow[x] = max(np.uint8(here[x] * np.float32(255.0) + np.float32(0.5)), held[x])
                continue
            # Padded by one column each side so the 3x3 sum has no clamped index (it vectorises).
            for x in range(w):
                column[x + 1] = above[x] + here[x] + below[x]
            column[0] = column[1]
            column[w + 1] = column[w]
            for x in range(w):
                total = column[x] + column[x + 1] + column[x + 2]
                alpha = here[x]
                alpha = np.float32(0.0) if total < low else alpha
                alpha = np.float32(1.0) if total > high else alpha
                orow[x] = max(np.uint8(alpha * np.float32(255.0) + np.float32(0.5)), held[x])


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


def chroma_key(pixels: np.ndarray, params: ChromaKeyParams, progress: Callable[[float], None] | None = None) -> np.ndarray:
    """The key's alpha (h, w) uint8 for (h, w, 3|4) uint8 RGB[A] pixels: 255 foreground, 0 screen.
    `progress` hears the fraction done (band matting is the slow part)."""
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] < 3:
        raise ValueError("chroma_key needs (h, w, 3|4) uint8 pixels")
    params.validate()
    channel, picked = key_colour(params.key)
    a, b = _others(channel)
    plate = screen_plate(pixels, channel, picked, params.even_light)
    strength = plate.grid[..., channel] - np.maximum(plate.grid[..., a], plate.grid[..., b])
    grid = np.maximum(strength, max(0.25 * float(np.median(strength)), 1.0)).astype(np.float32)
    hi = 1.0 - params.tolerance
    lo = max(hi - params.softness, 0.0)  # the ramp never reaches past pure foreground (strength 0)
    words = as_words(pixels)
    if params.hold_core:
        hold, factor = subject_core(pixels, plate, channel, hi, lo, params.clean, words)
    else:
        hold, factor = np.zeros((1, 1), np.uint8), 1
    out = np.empty(pixels.shape[:2], np.uint8)
    _key_kernel(words, channel, a, b, grid, float(plate.step), hi, lo, params.clean, hold, factor, out)
    if params.band_matting:
        if progress is not None:
            progress(0.4)
        out = matte_band(pixels, out, plate)
    if progress is not None:
        progress(1.0)
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
