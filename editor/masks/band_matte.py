"""Band matting for the chroma key: alpha in the soft edge re-estimated against the screen plate.

The colour-difference key unmixes a pixel on one assumption: the foreground
in it has no key-channel excess of its own. Spill breaks it where it is
strongest, at the subject's edge: a green-cast edge pixel keys as partly
screen, and the whole soft band comes out low by the spill's share of the
screen's strength (0.1-0.3 under strong spill).

Matting the band drops that assumption where the picture can tell: an edge
pixel is a blend I = a F + (1 - a) B of the screen behind it (B, the fitted
plate, known at every pixel) and the subject beside it (F, the mean of the
opaque pixels within REACH, spill and all: the same light falls on both).
Alpha is then I's position on the line from B to F (a projection, the
Bayesian-matting estimate with both colours known), wherever I lies on that
line within the noise (FIT sigmas). A pixel off the line is a different
material from its opaque neighbours (a strand over the screen, a colour
seam): nothing nearby tells its colour, so it keeps the key's alpha.

One compiled pass, parallel over rows, touching only the band's pixels: at
24 MP the band is a few per cent of the frame.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .screen_plate import Plate
from .words import as_words, channel_shift

BAND = (3, 252)  # key alpha levels strictly between these are the uncertain band
OPAQUE = 250  # a neighbour keyed at least this opaque shows the subject's colour
REACH = 5  # px: the opaque neighbours within this (the edge, where the spill matches the blend's)
REACH_FRACTION = 300  # a larger picture's edges are wider: the reach grows to this fraction of its short side
MIN_OPAQUE = 4  # fewer opaque neighbours than this say too little about the subject's colour
FIT = 4.0  # a pixel within this many noise sigmas of the screen-to-subject line is a blend of the two


@njit(parallel=True, cache=True, fastmath=True)
def _band_kernel(words, alpha, shifts, grid, step, reach, stride, band_lo, band_hi, opaque, min_opaque,
                 limit, out):  # pragma: no cover - compiled
    h, w = alpha.shape
    gh, gw = grid.shape[:2]
    s0, s1, s2 = shifts[0], shifts[1], shifts[2]
    for y in prange(h):
        gy = (y + 0.5) / step - 0.5
        y0 = min(max(int(np.floor(gy)), 0), gh - 1)
        y1 = min(y0 + 1, gh - 1)
        fy = np.float32(min(max(gy - y0, 0.0), 1.0))
        for x in range(w):
            a = alpha[y, x]
            out[y, x] = a
            if a <= band_lo or a >= band_hi:
                continue
            n = 0
            f0 = np.float32(0.0)
            f1 = np.float32(0.0)
            f2 = np.float32(0.0)
            for yy in range(max(0, y - reach), min(h, y + reach + 1), stride):
                for xx in range(max(0, x - reach), min(w, x + reach + 1), stride):
                    if alpha[yy, xx] >= opaque:
                        v = words[yy, xx]
                        n += 1
                        f0 += np.float32((v >> s0) & 255)
                        f1 += np.float32((v >> s1) & 255)
                        f2 += np.float32((v >> s2) & 255)
            if n < min_opaque:
                continue
            inv = np.float32(1.0) / np.float32(n)
            gx = (x + 0.5) / step - 0.5
            x0 = min(max(int(np.floor(gx)), 0), gw - 1)
            x1 = min(x0 + 1, gw - 1)
            fx = np.float32(min(max(gx - x0, 0.0), 1.0))
            v = words[y, x]
            pix = ((v >> s0) & 255, (v >> s1) & 255, (v >> s2) & 255)
            fg = (f0 * inv, f1 * inv, f2 * inv)
            dot = np.float32(0.0)
            den = np.float32(0.0)
            d2 = np.float32(0.0)
            for c in range(3):
                top = grid[y0, x0, c] + (grid[y0, x1, c] - grid[y0, x0, c]) * fx
                bottom = grid[y1, x0, c] + (grid[y1, x1, c] - grid[y1, x0, c]) * fx
                b = top + (bottom - top) * fy
                d = np.float32(pix[c]) - b
                e = fg[c] - b
                dot += d * e
                den += e * e
                d2 += d * d
            if den < np.float32(100.0):  # the subject beside it is the screen's colour: no line to read
                continue
            t = min(max(dot / den, np.float32(0.0)), np.float32(1.0))
            # squared distance from the line: |d|^2 - 2 t d.e + t^2 |e|^2
            off = d2 - np.float32(2.0) * t * dot + t * t * den
            if off > limit * limit:
                continue
            out[y, x] = np.uint8(t * np.float32(255.0) + np.float32(0.5))


def matte_band(pixels: np.ndarray, alpha: np.ndarray, plate: Plate) -> np.ndarray:
    """The key's alpha (uint8) with its soft band re-estimated against `plate` (a new array)."""
    words = as_words(pixels)
    out = np.empty_like(alpha)
    shifts = np.array([channel_shift(c) for c in range(3)], np.int64)
    limit = FIT * plate.noise * np.sqrt(3.0)  # the noise of a pixel's distance over three channels
    reach = max(REACH, min(alpha.shape) // REACH_FRACTION)
    stride = max(1, reach // REACH)  # opaque regions are solid: a sparse sample of them is enough
    _band_kernel(words, alpha, shifts, np.ascontiguousarray(plate.grid, np.float32), float(plate.step), reach,
                 stride, BAND[0], BAND[1], OPAQUE, MIN_OPAQUE, float(limit), out)
    return out
