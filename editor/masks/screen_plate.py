"""The screen plate: the backdrop's own colour at every pixel, as if the subject were not there.

A chroma key compares each pixel with the screen behind it, and no screen is
evenly lit: a light gradient, a vignette and washes change its colour by a
third or more across the frame. The plate is a coarse grid of full-RGB
screen colours (about 128 cells along the long side), read where the screen
shows and inpainted under the subject, smooth enough to follow the light
and coarse enough to ignore noise. Each cell is the per-channel median of
16 samples spread over it, so a strand of hair or a noise peak in a few
samples does not move it. A cell is screen when its colour has the screen's
chromaticity (key-channel excess over the key channel, which light does not
change); cells beside the subject are dropped too (they mix hair into the
screen), and a second pass drops cells far from what their neighbours
predict. `noise` is the screen's per-channel sensor noise, from the spread
of the samples inside screen cells, so the keyer's thresholds follow the
picture instead of one number.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np
from numba import njit, prange

GRID_CELLS = 128  # plate cells along the long side
SUBSAMPLES = 4  # samples per cell along each axis (16 a cell)


@dataclass
class Plate:
    grid: np.ndarray  # (gh, gw, 3) float32 RGB screen colour at the cell centres
    step: int  # cell size in pixels; cell k's centre is pixel k*step + step/2
    noise: float  # per-channel noise sigma of the screen, in levels


def grid_step(shape: tuple[int, ...]) -> int:
    return max(4, max(shape[:2]) // GRID_CELLS)


def _cell_medians(pixels: np.ndarray, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-cell median colour (gh, gw, 3) and the per-cell, per-channel spread (IQR / 1.349), float32."""
    h, w = pixels.shape[:2]
    gh, gw = max(1, h // step), max(1, w // step)
    offsets = np.array([int((i + 0.5) * step / SUBSAMPLES) for i in range(SUBSAMPLES)], np.int64)
    median = np.empty((gh, gw, 3), np.float32)
    spread = np.empty((gh, gw, 3), np.float32)
    _order_stats(pixels, step, offsets, median, spread)
    return median, spread


@njit(parallel=True, cache=True)
def _order_stats(pixels, step, offsets, median, spread):  # pragma: no cover - compiled
    """Per cell and channel, the median and IQR / 1.349 of the SUBSAMPLES**2 samples at the offsets.
    The samples are read straight from the frame (scattered reads: one grid row per thread) and
    sorted by an odd-even transposition network, branch-free, run across the grid row's cells at
    once: each compare-and-swap is a min and a max of two rows of samples, one per cell, which
    vectorises (one cell at a time, it cost a third of the plate)."""
    gh, gw = median.shape[:2]
    n = offsets.shape[0]
    m = n * n
    for gy in prange(gh):
        values = np.empty((m, gw), np.int32)
        for c in range(3):
            i = 0
            for oy in range(n):
                source = pixels[gy * step + offsets[oy]]
                for ox in range(n):
                    row, offset = values[i], offsets[ox]
                    for gx in range(gw):
                        row[gx] = source[gx * step + offset, c]
                    i += 1
            for p in range(m):
                for k in range(p & 1, m - 1, 2):
                    low, high = values[k], values[k + 1]
                    for gx in range(gw):
                        a, b = low[gx], high[gx]
                        low[gx] = min(a, b)
                        high[gx] = max(a, b)
            for gx in range(gw):
                median[gy, gx, c] = 0.5 * np.float32(values[m // 2 - 1, gx] + values[m // 2, gx])
                spread[gy, gx, c] = np.float32(values[(3 * m) // 4, gx] - values[m // 4, gx]) / np.float32(1.349)


def _strength(rgb: np.ndarray, channel: int) -> np.ndarray:
    a, b = (c for c in range(3) if c != channel)
    return rgb[..., channel] - np.maximum(rgb[..., a], rgb[..., b])


def screen_plate(pixels: np.ndarray, channel: int, picked: tuple[int, int, int] | None = None,
                 even_light: bool = True) -> Plate:
    """The plate of (h, w, 3|4) uint8 pixels keyed on `channel`; `picked` is a picked key colour
    (its chromaticity says what screen is); without even_light one colour for the whole frame."""
    step = grid_step(pixels.shape)
    medians, spread = _cell_medians(pixels, step)
    s = _strength(medians, channel)
    saturation = s / np.maximum(medians[..., channel], 1.0)
    if picked is not None:
        ref = np.asarray(picked, np.float32)
        typical = float(_strength(ref, channel) / max(ref[channel], 1.0))
    else:
        strong = s > 0.5 * max(float(np.percentile(s, 99)), 1.0)
        typical = float(np.median(saturation[strong])) if strong.any() else 1.0
    screen = (saturation >= 0.8 * typical) & (s > 0)
    noise = float(max(np.median(spread[screen]), 0.5)) if screen.sum() >= 4 else 4.0
    if screen.sum() < 4:  # no screen to speak of: the picked colour, or the frame's most screen-like cell
        colour = np.asarray(picked, np.float32) if picked is not None else medians.reshape(-1, 3)[np.argmax(s)]
        return Plate(np.broadcast_to(colour, (1, 1, 3)).astype(np.float32).copy(), step, noise)
    if not even_light or min(medians.shape[:2]) < 4:
        colour = np.asarray(picked, np.float32) if picked is not None else np.median(medians[screen], axis=0)
        return Plate(colour.reshape(1, 1, 3).astype(np.float32), step, noise)
    # Cells touching the subject mix hair and edge into the screen: drop them while enough screen is left.
    grown = cv2.dilate((~screen).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    known = ~grown if (~grown).sum() >= 0.5 * screen.sum() else screen
    known = _reaching_the_frame(known)
    # Light is smooth: a low-order surface fitted to the screen cells carries it under the subject
    # (inpainting alone flattens a gradient there); the fit leaves out cells far from it before
    # its second pass. Its residual, inpainted and smoothed, keeps what a surface misses (a wash,
    # a hot spot, the frame's corners); a cell whose residual stands out from its neighbours'
    # (a green patch of the subject, a strand-filled cell) is inpainted instead.
    basis = _basis(medians.shape[:2])
    fitted = known
    for _ in range(2):
        surface = _fit(basis, fitted, medians)
        off = np.linalg.norm(medians - surface, axis=2)
        fitted = known & (off <= max(3.0 * float(np.median(off[fitted])), 3.0))
    residual = (medians - surface).astype(np.float32)
    local = np.linalg.norm(residual - cv2.medianBlur(residual, 5), axis=2)
    # Far from the fit, joined to the subject and enclosed (off the frame's edge) is the subject's
    # own (a navy patch on a blue screen, a spill-lit edge); far from the fit and reaching the
    # frame's edge is the light doing what a surface cannot (a bright wash, a corner), kept.
    far = off > max(4.0 * float(np.median(off[fitted])), 10.0)
    count, labels = cv2.connectedComponents(far.astype(np.uint8), connectivity=8)
    dropped = np.zeros(count, bool)
    dropped[np.unique(labels[cv2.dilate(grown.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0])] = True
    dropped[np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))] = False
    dropped[0] = False
    known = known & ~dropped[labels]
    known = known & (local <= max(6.0 * noise / SUBSAMPLES, 3.0))
    residual = np.where(known[..., None], residual + 128.0, 128.0)
    filled = cv2.inpaint(np.clip(residual + 0.5, 0, 255).astype(np.uint8), (~known).astype(np.uint8), 3,
                         cv2.INPAINT_TELEA).astype(np.float32) - 128.0
    residual = cv2.GaussianBlur(filled, (0, 0), max(0.7, min(medians.shape[:2]) / 60.0))
    return Plate(surface + residual, step, noise)


def _reaching_the_frame(known: np.ndarray) -> np.ndarray:
    """The screen cells connected to the frame's edge: a screen-coloured patch enclosed by the
    subject (navy on a blue screen) is subject, not screen; a true gap is inpainted instead."""
    count, labels = cv2.connectedComponents(known.astype(np.uint8), connectivity=4)
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    keep = np.zeros(count, bool)  # a lookup by label: np.isin sorts the whole grid's labels
    keep[edge[edge > 0]] = True
    reaching = keep[labels]
    return reaching if reaching.sum() >= 0.25 * known.sum() else known


@functools.lru_cache(maxsize=8)
def _basis(shape: tuple[int, int], degree: int = 4) -> np.ndarray:
    """Monomials x^i y^j, i + j <= degree, over the grid in [-1, 1] (gh, gw, terms) float64, read-only
    (kept per grid shape: building it cost a tenth of the plate)."""
    gh, gw = shape
    x = np.linspace(-1.0, 1.0, gw)[None, :] * np.ones((gh, 1))
    y = np.linspace(-1.0, 1.0, gh)[:, None] * np.ones((1, gw))
    xp, yp = [np.ones((gh, gw))], [np.ones((gh, gw))]
    for _ in range(degree):
        xp.append(xp[-1] * x)
        yp.append(yp[-1] * y)
    basis = np.stack([xp[i] * yp[j] for i in range(degree + 1) for j in range(degree + 1 - i)], axis=-1)
    basis.flags.writeable = False
    return basis


def _fit(basis: np.ndarray, known: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Least-squares surface through `values` at the known cells, evaluated on every cell (float32).
    Normal equations with OpenCV's own products and solver: numpy's lstsq and matmul go through a
    threaded BLAS that stalls for hundreds of milliseconds on a busy machine for this 15-term fit,
    and einsum's plain loops cost 16 ms a plate at 24 MP."""
    a = np.ascontiguousarray(basis[known])
    lhs = cv2.mulTransposed(a, True)
    rhs = cv2.gemm(a, np.ascontiguousarray(values[known], np.float64), 1.0, None, 0.0, flags=cv2.GEMM_1_T)
    _, coef = cv2.solve(lhs, rhs, flags=cv2.DECOMP_SVD)
    flat = cv2.gemm(basis.reshape(-1, basis.shape[2]), coef, 1.0, None, 0.0)
    return flat.reshape(*basis.shape[:2], coef.shape[1]).astype(np.float32)


def plate_at(plate: Plate, shape: tuple[int, int]) -> np.ndarray:
    """The plate at full resolution (h, w, 3) float32, bilinear between cell centres (tests, slow paths)."""
    h, w = shape
    gh, gw = plate.grid.shape[:2]
    ys = np.clip((np.arange(h) + 0.5) / plate.step - 0.5, 0, gh - 1).astype(np.float32)
    xs = np.clip((np.arange(w) + 0.5) / plate.step - 0.5, 0, gw - 1).astype(np.float32)
    mx, my = np.meshgrid(xs, ys)
    return cv2.remap(plate.grid, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
