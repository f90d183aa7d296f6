"""The subject's core for the chroma key: where the picture is surely subject, held opaque.

A colour-difference key reads how far a pixel's key channel rises above the
other two. A subject's greenish garment, a teal label or a dark area with
green spill rises too, and the ramp keys it half out, though its colour is
nowhere near the screen behind it. So the key asks a second question: is
the pixel's neighbourhood far from the local screen colour (the plate) in
any direction, hue or brightness? Such a pixel is subject whatever its
green excess (spill to remove, not screen to key). Hair is far from the
screen too, yet must keep its fractional alpha: the sure region is opened
(eroded, then grown back) by more than a strand's width, so only regions
wider than hair are held at 1, and strands keep the ramp's alpha. (No
closing first: at this scale it bridges neighbouring strands into blobs.)

At 24 MP the test runs at half size (a 2x2 mean, then a 3x3 mean there):
the hold's edge moves by at most a pixel, inside the subject's soft edge,
and it costs a quarter as much. The seam-bridging closing, a wide disc, runs
at half the hold's scale again (a coarse cell held only when all its pixels
are): at 24 MP it cost more than the sure test itself.
"""

from __future__ import annotations

import cv2
import numpy as np
from numba import njit, prange

from .screen_plate import Plate
from .words import as_words, channel_shift, word_channel

HOLD_OPENING = 15  # full-resolution px: wider than crossing 1-3 px strands with their antialiasing
HALF_SIZE_ABOVE = 8_000_000  # pixels: above this the sure test runs at half size
HOLD_CLOSING = 21  # full-resolution px: bridges a seam inside the subject
SEAM_FRACTION = 100  # a seam inside the subject is up to this fraction of the short side wide
COARSE_CLOSING_FROM = 15  # px at the hold's scale: a closing this wide runs at half that scale
RAMP_REACH = 6  # full-resolution px either way over which a blend shows its ramp to the screen


def far_from_screen(noise: float) -> float:
    """How far (RGB levels) a 3x3 mean must lie from the plate to be surely subject: well past
    the mean's own noise (a third of a pixel's per channel) and the plate's error."""
    return 10.0 + 1.5 * noise


@njit(cache=True, fastmath=True)
def column_weights(w, step, gw):  # pragma: no cover - compiled
    """Bilinear weights into a plate grid (sample k sits at pixel k*step + step/2), per column
    once: columns starts[g]..starts[g+1] lie between samples g and g+1, at fraction fxs."""
    starts = np.zeros(gw + 1, np.int64)
    fxs = np.empty(w, np.float32)
    for x in range(w):
        gx = (x + 0.5) / step - 0.5
        x0 = min(max(int(np.floor(gx)), 0), gw - 1)
        starts[x0 + 1] = x + 1
        fxs[x] = min(max(gx - x0, 0.0), 1.0)
    for g in range(1, gw + 1):
        starts[g] = max(starts[g], starts[g - 1])
    return starts, fxs


@njit(cache=True, fastmath=True)
def _plate_rows(grid, step, w):  # pragma: no cover - compiled
    """(gh, 3, w) float32: each grid row of the plate, bilinear in x, one plane per channel. A pixel
    row blends two of these (the plate is bilinear between cell centres), three multiply-adds a
    pixel in a loop that vectorises, instead of interpolating a plate row per pixel row."""
    gh, gw = grid.shape[:2]
    starts, fxs = column_weights(w, step, gw)
    out = np.empty((gh, 3, w), np.float32)
    for g in range(gh):
        for gx in range(gw):
            n = min(gx + 1, gw - 1)
            for c in range(3):
                left, right = grid[g, gx, c], grid[g, n, c]
                for x in range(starts[gx], starts[gx + 1]):
                    out[g, c, x] = left + (right - left) * fxs[x]
    return out


PENDING = 1  # the sure kernel's mark for a pixel that awaits the ramp test
SURE_BLOCK_ROWS = 64  # rows (at the test's scale) per parallel work item of the sure test
LANES = np.uint32(0x00FF00FF)  # bytes 0 and 2 of a word, each in a 16-bit lane


@njit(cache=True)
def _mirror(i, n):  # pragma: no cover - compiled
    """Index i of n under OpenCV's BORDER_REFLECT_101 (cv2.blur's border), for i within one of the ends."""
    if n == 1:
        return 0
    if i < 0:
        return -i
    if i >= n:
        return 2 * n - 2 - i
    return i


@njit(cache=True, fastmath=True, error_model="numpy")
def _shrunk_row(words, factor, y, row, even, odd):  # pragma: no cover - compiled
    """Row y of the picture (uint32 RGBA words) at 1/factor (1 or 2) of its size into row[1 : w + 1],
    mirrored one column past each end, and its sums over three columns into `even` (bytes 0 and 2)
    and `odd` (bytes 1 and 3), two bytes at a time in 16-bit lanes. At half size each byte is its
    2x2 block's rounded mean, (a + b + c + d + 2) >> 2, bit for bit cv2.resize's INTER_AREA at an
    exact half."""
    w = row.shape[0] - 2
    eight, two = np.uint32(8), np.uint32(2)
    if factor == 1:
        src = words[y]
        for x in range(w):
            row[x + 1] = src[x]
    else:
        top, bottom = words[2 * y], words[2 * y + 1]
        half = np.uint32(0x00020002)
        for x in range(w):
            a, b, c, d = top[2 * x], top[2 * x + 1], bottom[2 * x], bottom[2 * x + 1]
            lo = (a & LANES) + (b & LANES) + (c & LANES) + (d & LANES) + half
            hi = ((a >> eight) & LANES) + ((b >> eight) & LANES) + ((c >> eight) & LANES) + ((d >> eight) & LANES) + half
            row[x + 1] = ((lo >> two) & LANES) | (((hi >> two) & LANES) << eight)
    row[0] = row[_mirror(-1, w) + 1]
    row[w + 1] = row[_mirror(w, w) + 1]
    for x in range(w):
        even[x] = (row[x] & LANES) + (row[x + 1] & LANES) + (row[x + 2] & LANES)
        odd[x] = ((row[x] >> eight) & LANES) + ((row[x + 1] >> eight) & LANES) + ((row[x + 2] >> eight) & LANES)


@njit(cache=True, fastmath=True, error_model="numpy")
def _mean_row(even, odd, above, here, below, shifts, out):  # pragma: no cover - compiled
    """out (3, w) float32: the 3x3 mean, in the channels at `shifts`, of three shrunk rows (their
    three-column sums `even` and `odd` at rows above, here, below), rounded as cv2.blur rounds a
    uint8 box of nine, (sum + 4) // 9 (here as a multiply and shift, exact up to 9 * 255)."""
    for c in range(3):
        s = shifts[c]
        sums = odd if (s >> 3) & 1 else even
        _lane_mean(sums[above], sums[here], sums[below], (s & 16) != 0, out[c])


@njit(cache=True, fastmath=True, error_model="numpy")
def _lane_mean(s0, s1, s2, high, plane):  # pragma: no cover - compiled
    """plane = the rounded ninth of s0 + s1 + s2's low (or `high`) 16-bit lane. Constant shifts and
    32-bit casts throughout: numba types a shift by a run-time amount, and uint32 arithmetic, as
    64-bit, which halved the lanes."""
    mask, four, sixteen, ninth = np.uint32(0xFFFF), np.uint32(4), np.uint32(16), np.uint32(7282)
    if high:
        for x in range(plane.shape[0]):
            lane = np.uint32(np.uint32(s0[x] + s1[x] + s2[x]) >> sixteen)
            plane[x] = np.float32(np.uint32(np.uint32(np.uint32(lane + four) * ninth) >> sixteen))
    else:
        for x in range(plane.shape[0]):
            lane = np.uint32(np.uint32(s0[x] + s1[x] + s2[x]) & mask)
            plane[x] = np.float32(np.uint32(np.uint32(np.uint32(lane + four) * ninth) >> sixteen))


@njit(cache=True, fastmath=True, error_model="numpy")
def _sure_row(y, own, means, rows, y0, y1, fy, channels, floor, inv_ramp, offset, high, far2,
              srow):  # pragma: no cover - compiled
    """The sure test of row y (see _sure_kernel): `own` its shrunk words (padded), `means` the ring
    of 3x3 mean rows (row r at r % len), `rows` the plate's grid rows blended at y0, y1 by fy,
    `channels` the key channel and the other two."""
    ring = means.shape[0]
    w = srow.shape[0]
    ck, ca, cb = channels
    k0, k1, p0, p1, q0, q1 = rows[y0, 0], rows[y1, 0], rows[y0, 1], rows[y1, 1], rows[y0, 2], rows[y1, 2]
    mrow = means[y % ring]
    for x in range(w):
        bk = k0[x] + (k1[x] - k0[x]) * fy
        bp = p0[x] + (p1[x] - p0[x]) * fy
        bq = q0[x] + (q1[x] - q0[x]) * fy
        strength = max(bk - max(bp, bq), floor)
        # The pixel's own key (the ramp clamps it; a mean colour would not be clamped, and a
        # third of red beside a screen pixel would key as opaque).
        v = own[x + 1]
        key = np.float32(np.int32(word_channel(v, ck) - max(word_channel(v, ca), word_channel(v, cb))))
        dk = mrow[0, x] - bk
        dp = mrow[1, x] - bp
        dq = mrow[2, x] - bq
        near = dk * dk + dp * dp + dq * dq <= far2
        opaque = offset - key * inv_ramp / strength > high
        srow[x] = np.uint8(255) if opaque else (np.uint8(0) if near else np.uint8(PENDING))


@njit(cache=True, fastmath=True, error_model="numpy")
def _ramp_test_row(y, h, means, rows, y0, y1, fy, reach, grain, srow):  # pragma: no cover - compiled
    """The second pass of row y's sure test: each pending pixel becomes 128 if a blend
    ramps through it to the screen, else 255. `means` is the ring of 3x3 mean rows (planes key,
    other, other), holding rows y - reach .. y + reach."""
    ring = means.shape[0]
    w = srow.shape[0]
    p0, p1, q0, q1 = rows[y0, 1], rows[y1, 1], rows[y0, 2], rows[y1, 2]
    here = means[y % ring]
    up, down = means[max(y - reach, 0) % ring], means[min(y + reach, h - 1) % ring]
    for x in range(w):
        if srow[x] != PENDING:
            continue
        cp, cq = here[1, x], here[2, x]
        dp = cp - (p0[x] + (p1[x] - p0[x]) * fy)
        dq = cq - (q0[x] + (q1[x] - q0[x]) * fy)
        left, right = max(x - reach, 0), min(x + reach, w - 1)
        norm = np.sqrt(dp * dp + dq * dq) + np.float32(1e-3)
        up_, uq = dp / norm, dq / norm
        allowed = grain + np.float32(0.05) * norm
        ramp = _climbs(cp, cq, here[1, right], here[2, right], here[1, left], here[2, left], up_, uq, allowed)
        ramp |= _climbs(cp, cq, down[1, x], down[2, x], up[1, x], up[2, x], up_, uq, allowed)
        srow[x] = 128 if ramp else 255


@njit(cache=True, fastmath=True, error_model="numpy")
def _climbs(cp, cq, fp, fq, bp, bq, up, uq, allowed):  # pragma: no cover - compiled
    """Whether the means ahead (fp, fq) and behind (bp, bq) of a pixel (cp, cq) both climb the same way
    along its own difference from the screen (unit up, uq): one flat side is the subject's inside
    next to its edge, not a blend. Branch-free (`&`, not `and`): the tests are cheap, a mispredicted
    branch per pending pixel is not."""
    ahead = (fp - cp) * up + (fq - cq) * uq
    behind = (cp - bp) * up + (cq - bq) * uq
    across = abs((fp - bp) * uq - (fq - bq) * up)
    return (ahead * behind > 0) & (min(abs(ahead), abs(behind)) > 0.5 * allowed) & (across < abs(ahead + behind))


@njit(parallel=True, cache=True, fastmath=True, error_model="numpy")
def _sure_kernel(words, factor, ck, ca, cb, shifts, grid, step, floor, hi, lo, clean, far, reach, grain,
                 sure):  # pragma: no cover - compiled
    """255 where the picture's 3x3 mean at 1/factor of its size is surely subject, 128 where it is
    far from the screen but a blend, 0 near the screen. Surely subject: it lies more than `far` from
    the plate and is no blend ramping to the screen (over `reach` px either way, the channels
    spill leaves alone change along its own difference from the screen by no more than `grain`
    plus a twentieth of that difference), or the (shrunk) pixel itself keys within `clean` of
    opaque. `words` are the picture's RGBA words, `shifts` the bit shifts of channels ck, ca, cb
    inside one; `grid` is the plate, RGB.

    Blocks of rows stream through two rings: shrunk rows (the 2x2 mean) and their 3x3 means, so
    neither the half-size picture nor its mean is ever a frame in memory (at 24 MP those were two
    passes over the frame that cost more than the test). Each row then takes two passes: a
    branch-free one over every pixel sorts opaque / near the screen / pending, then the branchy
    ramp test runs on the pending pixels only (a few per cent of the frame: far from the screen
    yet not opaque on its own key)."""
    h, w = sure.shape
    gh = grid.shape[0]
    inv_ramp = np.float32(1.0 / max(hi - lo, 1e-6))
    offset = np.float32(hi) * inv_ramp
    high = np.float32(1.0 - clean)
    far2 = np.float32(far) ** 2
    floor = np.float32(floor)
    plate = _plate_rows(grid, step, w)
    rows = np.empty((gh, 3, w), np.float32)  # the plate's planes in the order key, other, other
    for c, channel in enumerate((ck, ca, cb)):
        rows[:, c] = plate[:, channel]
    nmean, nsmall = 2 * reach + 1, reach + 2
    blocks = (h + SURE_BLOCK_ROWS - 1) // SURE_BLOCK_ROWS
    for bi in prange(blocks):
        first = bi * SURE_BLOCK_ROWS
        last = min(h, first + SURE_BLOCK_ROWS)
        small = np.empty((nsmall, w + 2), np.uint32)
        even = np.empty((nsmall, w), np.uint32)
        odd = np.empty((nsmall, w), np.uint32)
        means = np.empty((nmean, 3, w), np.float32)
        made = max(first - reach - 1, 0)  # the next shrunk row to make
        y = first  # the next row to test
        for r in range(max(first - reach, 0), min(last + reach, h)):
            while made <= min(r + 1, h - 1):
                slot = made % nsmall
                _shrunk_row(words, factor, made, small[slot], even[slot], odd[slot])
                made += 1
            _mean_row(even, odd, _mirror(r - 1, h) % nsmall, r % nsmall, _mirror(r + 1, h) % nsmall, shifts,
                      means[r % nmean])
            ready = last - 1 if r == h - 1 else r - reach  # rows whose means up to `reach` below are made
            while y <= ready:
                gy = (y + 0.5) / step - 0.5
                y0 = min(max(int(np.floor(gy)), 0), gh - 1)
                y1 = min(y0 + 1, gh - 1)
                fy = np.float32(min(max(gy - y0, 0.0), 1.0))
                _sure_row(y, small[y % nsmall], means, rows, y0, y1, fy, (ck, ca, cb), floor, inv_ramp, offset, high, far2,
                          sure[y])
                _ramp_test_row(y, h, means, rows, y0, y1, fy, reach, grain, sure[y])
                y += 1


def _closing_grid(held: np.ndarray, closing: int) -> tuple[np.ndarray, int]:
    """The closing of `held` (0/1 uint8) by a disc `closing` px wide, and the scale it is at: 1, or
    2 for a wide disc, which runs on a grid of half the size (an ellipse's cost grows with its rows):
    a cell there is held only when all four of its pixels are (so the closing cannot spill past a
    held region's outline), with the disc grown by two cells to bridge what that narrowing widened;
    it only bridges seams, and the caller keeps it where the picture is far from the screen, at full
    detail. A pixel past the grid's even rows and columns is not held at scale 2."""
    if closing < COARSE_CLOSING_FROM or min(held.shape) < 8:
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (closing, closing))
        return cv2.morphologyEx(held, cv2.MORPH_CLOSE, disc), 1
    quad = np.empty((held.shape[0] // 2, held.shape[1] // 2), np.uint8)
    _all_four(held, quad)
    size = max(3, (closing // 2 + 2) | 1)  # +2: the all-four rule narrows a held region by up to a cell each side
    return cv2.morphologyEx(quad, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))), 2


@njit(cache=True)
def _all_four(held, quad):  # pragma: no cover - compiled
    """quad[i, j] = the AND of held's 2x2 block at (2i, 2j)."""
    for i in range(quad.shape[0]):
        top, bottom = held[2 * i], held[2 * i + 1]
        for j in range(quad.shape[1]):
            quad[i, j] = top[2 * j] & top[2 * j + 1] & bottom[2 * j] & bottom[2 * j + 1]


@njit(cache=True)
def _bridge(held, closed, shift, sure, out):  # pragma: no cover - compiled
    """out = 255 where `held` (0/1), or where the closing (`closed` (0/1) at 1 / 2**shift of the size,
    shift 0 or 1) holds and the 3x3 around the pixel, inside the frame, is all far from the screen
    (sure >= 128, its top bit); else 0. One pass for what was a widening of the closing, an erosion
    and three frame-sized operations; branch-free byte arithmetic (it vectorises), the erosion a
    column AND then a row AND, outside the frame counting as far. One thread, as _marked_box."""
    h, w = held.shape
    ch, cw = min(closed.shape[0] << shift, h), min(closed.shape[1] << shift, w)
    seven = np.uint8(7)
    for y in range(h):
        top, mid, bottom = sure[max(y - 1, 0)], sure[y], sure[min(y + 1, h - 1)]
        far = np.empty(w + 2, np.uint8)
        far[0] = far[w + 1] = np.uint8(1)
        for x in range(w):
            far[x + 1] = (top[x] & mid[x] & bottom[x]) >> seven
        wide = np.zeros(w, np.uint8)  # the closing's row at full size, 0 past its end
        if y < ch:
            crow = closed[np.int64(y) >> shift]
            if shift:
                for j in range(cw >> 1):
                    wide[2 * j] = crow[j]
                    wide[2 * j + 1] = crow[j]
            else:
                wide[:cw] = crow[:cw]
        hrow, orow = held[y], out[y]
        for x in range(w):
            v = hrow[x] | (wide[x] & far[x] & far[x + 1] & far[x + 2])
            orow[x] = np.uint8(np.uint8(0) - v)


def core_factor(h: int, w: int) -> int:
    return 2 if h * w > HALF_SIZE_ABOVE and min(h, w) >= 64 else 1


def subject_core(pixels: np.ndarray, plate: Plate, channel: int, hi: float, lo: float,
                 clean: float, words: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """The held core (uint8, 255 held) at 1/factor of the pixels' size, and that factor. `words`
    are the pixels' RGBA words (as_words) when the caller has them already."""
    h, w = pixels.shape[:2]
    factor = core_factor(h, w)
    if words is None:
        words = as_words(pixels)
    shrink = factor
    if factor == 2 and (h % 2 or w % 2):
        # cv2's INTER_AREA is the plain 2x2 mean the kernel makes only at an exact half; at an odd
        # size it weighs fractions of pixels, and the hold keeps following it there.
        small = cv2.resize(words.view(np.uint8).reshape(h, w, 4), (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        words, shrink = as_words(small), 1
    a, b = (c for c in range(3) if c != channel)
    strength = plate.grid[..., channel] - np.maximum(plate.grid[..., a], plate.grid[..., b])
    floor = max(0.25 * float(np.median(strength)), 1.0)
    grain = 5.0 * plate.noise / (3.0 * factor)  # the 3x3 mean's noise, twice over two channels
    sure = np.empty((h // factor, w // factor), np.uint8)
    shifts = (channel_shift(channel), channel_shift(a), channel_shift(b))
    _sure_kernel(words, shrink, channel, a, b, shifts, np.ascontiguousarray(plate.grid), plate.step / factor, floor,
                 hi, lo, clean, far_from_screen(plate.noise), max(1, RAMP_REACH // factor), grain, sure)
    opening = max(3, (HOLD_OPENING // factor) | 1)
    closing = max(3, (max(HOLD_CLOSING, min(h, w) // SEAM_FRACTION) // factor) | 1)
    return _hold_in_box(sure, opening, closing), factor


def _hold_in_box(sure: np.ndarray, opening: int, closing: int) -> np.ndarray:
    """`_held_core` of the sure test's marks, run on the sure region's bounding box only, widened
    past every reach (opening, closing, erosion) so the result is bit for bit the whole frame's;
    the box's origin stays even so the coarse closing's 2x2 cells fall where the whole frame's do.
    The subject is often a fraction of the frame, and the morphology cost a third of the key."""
    hold = np.zeros_like(sure)
    box = np.empty(4, np.int64)
    _marked_box(sure, box)
    y, x, y_end, x_end = box
    if y_end <= y:
        return hold
    margin = 2 * (closing + opening) + 8
    y0, x0 = max(y - margin, 0) & ~1, max(x - margin, 0) & ~1
    y1, x1 = min(y_end + margin, sure.shape[0]), min(x_end + margin, sure.shape[1])
    marks = sure[y0:y1, x0:x1]
    _held_core((marks == 255).view(np.uint8), marks, opening, closing, hold[y0:y1, x0:x1])
    return hold


@njit(cache=True)
def _marked_box(sure, box):  # pragma: no cover - compiled
    """box = (first row, first column, end row, end column) of sure's 255 marks; ends <= starts when
    there are none. Each row's first and last mark by a branch-free min and max (it vectorises).
    One thread: a parallel region's spin-wait cost more CPU than it saved here."""
    h, w = sure.shape
    firsts, lasts = np.empty(h, np.int64), np.empty(h, np.int64)
    for y in range(h):
        row = sure[y]
        first, last = w, -1
        for x in range(w):
            marked = row[x] == 255
            first = min(first, x if marked else w)
            last = max(last, x if marked else -1)
        firsts[y], lasts[y] = first, last
    box[0], box[1], box[2], box[3] = h, w, 0, 0
    for y in range(h):
        if lasts[y] >= 0:
            box[0] = min(box[0], y)
            box[2] = y + 1
            box[1] = min(box[1], firsts[y])
            box[3] = max(box[3], lasts[y] + 1)


def _held_core(core: np.ndarray, sure: np.ndarray, opening: int, closing: int,
               out: np.ndarray | None = None) -> np.ndarray:
    """The held core (255 held) from the sure test's marks, into `out` (a new array if None): the
    sure region (`core`, 0/1) opened, its seams closed over pixels far from the screen."""
    held = cv2.morphologyEx(core, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (opening, opening)))
    # The seam between two of the subject's colours can look like a blend (olive between yellow
    # and the screen); closing the opened core bridges such seams, but only over pixels whose whole
    # neighbourhood is far from the screen: a notch of screen in the outline stays open. Strands are
    # already gone from the opened core, so the closing cannot join them into a blob.
    closed, scale = _closing_grid(held, closing)
    out = np.empty_like(held) if out is None else out
    _bridge(held, closed, scale // 2, sure, out)
    return out
