"""Colour range: a soft mask of the pixels close to one or more sampled colours.

Distances are measured in CIE L*a*b*, not HSV. Lab is built so that equal
distances look like equal colour differences (CIE76 delta E), it has no hue
wrap-around, and greys and near-blacks are well defined, where HSV's hue is
noise. A sample taken on a shaded product therefore also picks up its darker
and lighter sides at the same fuzziness, which HSV only does with a separate
tolerance per channel. Lightness counts half as much as the two chroma axes
(`LIGHTNESS_WEIGHT`) because shading changes lightness far more than colour.

Speed: converting 24 MP to Lab costs more than the budget, so the selection
is computed once per quantised colour into a 64x64x64 lookup table (262 k
entries, a few ms) and the image is mapped through it by a parallel numba
kernel that loads each pixel as one 32-bit word. Quantising to 6 bits per channel moves a colour by at most 2 of 255
per channel, well under a fuzziness step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from numba import njit, prange

from .words import as_words, channel_shift

LUT_BITS = 6
LUT_SIDE = 1 << LUT_BITS
LIGHTNESS_WEIGHT = 0.5


@dataclass
class ColorRangeParams:
    """What the colour range dialog edits; `samples` are sRGB triples."""

    samples: list[tuple[int, int, int]] = field(default_factory=list)
    fuzziness: float = 40.0  # delta E at which the selection falls to 0

    def add_sample(self, rgb: Sequence[int]) -> None:
        color = tuple(int(c) for c in rgb[:3])
        if color not in self.samples:
            self.samples.append(color)  # type: ignore[arg-type]

    def remove_sample(self, rgb: Sequence[int]) -> None:
        """Drop the sample nearest to `rgb` (Alt+click removes the closest sample)."""
        if not self.samples:
            return
        target = np.asarray(rgb[:3], np.float32)
        nearest = min(self.samples, key=lambda s: float(np.sum((np.asarray(s, np.float32) - target) ** 2)))
        self.samples.remove(nearest)

    def to_dict(self) -> dict:
        return {"kind": "color-range", "samples": [list(s) for s in self.samples], "fuzziness": self.fuzziness}

    @classmethod
    def from_dict(cls, data: dict) -> ColorRangeParams:
        return cls([tuple(int(c) for c in s) for s in data.get("samples", [])], float(data.get("fuzziness", 40.0)))


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) sRGB uint8 or float 0..255 to weighted Lab float32 (L scaled by LIGHTNESS_WEIGHT)."""
    flat = np.asarray(rgb, np.float32).reshape(-1, 1, 3) / 255.0
    lab = cv2.cvtColor(flat, cv2.COLOR_RGB2Lab).reshape(*np.shape(rgb)[:-1], 3)
    lab[..., 0] *= LIGHTNESS_WEIGHT
    return lab


def _bin_centres_lab() -> np.ndarray:
    step = 256 // LUT_SIDE
    centres = np.arange(LUT_SIDE, dtype=np.float32) * step + (step - 1) / 2.0
    r, g, b = np.meshgrid(centres, centres, centres, indexing="ij")
    return srgb_to_lab(np.stack([r, g, b], axis=-1)).reshape(-1, 3)


_CENTRES_LAB: np.ndarray | None = None


def build_lut(params: ColorRangeParams) -> np.ndarray:
    """The selection (uint8) of every quantised colour, flat, indexed (r << 2 bits) | (g << bits) | b."""
    global _CENTRES_LAB
    if _CENTRES_LAB is None:
        _CENTRES_LAB = _bin_centres_lab()
    if not params.samples:
        return np.zeros(LUT_SIDE**3, np.uint8)
    lut = np.empty(LUT_SIDE**3, np.uint8)
    samples = srgb_to_lab(np.asarray(params.samples, np.float32))
    _lut_kernel(_CENTRES_LAB, samples, np.float32(max(float(params.fuzziness), 1e-3)), lut)
    return lut


@njit(parallel=True, cache=True, fastmath=True)
def _lut_kernel(centres, samples, fuzz, out):  # pragma: no cover - compiled
    half = fuzz / 2.0
    for i in prange(centres.shape[0]):
        best = 0.0
        for s in range(samples.shape[0]):
            d2 = 0.0
            for c in range(3):
                diff = centres[i, c] - samples[s, c]
                d2 += diff * diff
            # Fully selected within half the fuzziness, then a linear fall to 0 at it.
            best = max(best, min(max((fuzz - np.sqrt(d2)) / half, 0.0), 1.0))
        out[i] = np.uint8(best * 255.0 + 0.5)


@njit(parallel=True, cache=True, fastmath=True)
def _map_through_lut(words, lut, bits, sr, sg, sb, out):  # pragma: no cover - compiled
    h, w = out.shape
    drop = 8 - bits
    top = (1 << bits) - 1
    for y in prange(h):
        for x in range(w):
            v = words[y, x]
            r = (v >> (sr + drop)) & top
            g = (v >> (sg + drop)) & top
            b = (v >> (sb + drop)) & top
            out[y, x] = lut[(r << (2 * bits)) | (g << bits) | b]


def color_range(pixels: np.ndarray, params: ColorRangeParams) -> np.ndarray:
    """Soft mask (h, w) uint8 of `pixels` ((h, w, 3 or 4) uint8 RGB[A]) near the samples."""
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] < 3:
        raise ValueError("color_range needs (h, w, 3|4) uint8 pixels")
    out = np.empty(pixels.shape[:2], np.uint8)
    shifts = [channel_shift(c) for c in range(3)]
    _map_through_lut(as_words(pixels), build_lut(params), LUT_BITS, *shifts, out)
    return out


def parse_hex(text: str) -> tuple[int, int, int]:
    """'#RRGGBB' (or 'RRGGBB') to an RGB triple; ValueError otherwise."""
    value = text.strip().removeprefix("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {text!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
