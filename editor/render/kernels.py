"""Fused numba kernels: every op of a stack composited per row in one pass.

Each row of the output is built in a small float32 row buffer that stays in cache
while all the ops are drawn onto it, then written once (as float or as BGRA bytes).
Reads uint8, computes in float32. The formulas mirror blendmath.py (the numpy oracle).
"""

from __future__ import annotations

import numpy as np
from numba import carray, njit, prange, types, uint32, uint64
from numba.core import cgutils
from numba.extending import intrinsic

from .adjustments.planes import call_planes

# Op table columns (int params).
(SOURCE, MODE, ATOP, MASK_KIND, INVERTED, R0, R1, C0, C1, SY, SX, MY, MX,
 SRC_PTR, SRC_H, SRC_W, MASK_PTR, MASK_H, MASK_W, DY, DX, BLEND_IF, ADJ_FN, ADJ_PTR, ADJ_LEN, ADJ_LUT) = range(26)
N_INT = 26  # DY, DX: the document position of the buffer's (0, 0) (dissolve's noise is keyed by it)
# ADJUST ops: ADJ_FN is the address of a planes kernel (adjustments/planes.py), ADJ_PTR and
# ADJ_LEN its float64 parameters; ADJ_LUT, when the kernel is planes.LUT, the address of its
# (3, 256) uint32 tables, channel k's byte shifted to bits 8k (else 0): the row loop then looks
# them up itself (_lut_row).
# Op table columns (float params). BLEND_IF ops: BI..BI+31 hold the (2, 4, 4) Blend If table
# (this layer, underlying) x (gray, red, green, blue) x (black lo, black hi, white lo, white hi).
OPACITY, DENSITY, FILL_R, FILL_G, FILL_B, FILL_A, BI = range(7)
# LAYER_FILL: a layer's Fill below 1 in a special-Fill mode (plan.Op.fill), else 1; HM_STEP: hard
# mix's ramp step at that Fill (blendmath.hard_mix_fill_step).
LAYER_FILL, HM_STEP = BI + 32, BI + 33
N_FLOAT = BI + 34

PIXELS, FILL, BUFFER, ADJUST = 0, 1, 2, 3
NO_MASK, MASK_U8, MASK_F32 = 0, 1, 2
(NORMAL, MULTIPLY, SCREEN, OVERLAY, DARKEN, LIGHTEN, COLOR_DODGE, COLOR_BURN, HARD_LIGHT,
 SOFT_LIGHT, DIFFERENCE, EXCLUSION, HUE, SATURATION, COLOR, LUMINOSITY, ADD,
 DISSOLVE, LINEAR_BURN, LINEAR_LIGHT, VIVID_LIGHT, PIN_LIGHT, HARD_MIX, SUBTRACT, DIVIDE,
 DARKER_COLOR, LIGHTER_COLOR) = range(27)

EDGE = np.float32(1e-5)  # see blendmath.EDGE
INV255 = np.float32(1.0 / 255.0)
ONE = np.float32(1.0)
ZERO = np.float32(0.0)
HALF = np.float32(0.5)
F255 = np.float32(255.0)
DIVIDE_256 = np.float32(255.0 / 256.0)  # see blendmath.DIVIDE_256
LINEAR_LIGHT_OFFSET = np.float32(256.0 / 255.0)  # see blendmath.LINEAR_LIGHT_OFFSET


@intrinsic
def _address(typingctx, address):
    """An int64 address as a void pointer, so arrays can be passed in a table (no typed lists)."""
    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], cgutils.voidptr_t)
    return types.voidptr(address), codegen


@njit(inline="always", fastmath=True)
def _screen(b, s):
    return b + s - b * s


@njit(inline="always", fastmath=True)
def _hard_light(b, s):
    if s <= 0.5:
        return b * (2 * s)
    return _screen(b, 2 * s - 1)


@njit(inline="always", fastmath=True)
def _overlay(b, s):
    return _hard_light(s, b)


@njit(inline="always", fastmath=True)
def _multiply(b, s):
    return b * s


@njit(inline="always", fastmath=True)
def _darken(b, s):
    return min(b, s)


@njit(inline="always", fastmath=True)
def _lighten(b, s):
    return max(b, s)


@njit(inline="always", fastmath=True)
def _difference(b, s):
    return abs(b - s)


@njit(inline="always", fastmath=True)
def _exclusion(b, s):
    return b + s - 2 * b * s


@njit(inline="always", fastmath=True)
def _add(b, s):
    return min(np.float32(1), b + s)


@njit(inline="always")
def is_non_separable(mode):
    return (mode >= HUE and mode <= LUMINOSITY) or mode >= DARKER_COLOR


@njit(inline="always")
def _mix32(v):
    # editor.core.blend._mix32 (lowbias32) in 64-bit integers masked to 32 bits.
    m = uint64(0xFFFFFFFF)
    v ^= v >> uint64(16)
    v = (v * uint64(0x7FEB352D)) & m
    v ^= v >> uint64(15)
    v = (v * uint64(0x846CA68B)) & m
    v ^= v >> uint64(16)
    return v


@njit(inline="always")
def dissolve_noise(x, y):
    """editor.core.blend.dissolve_noise for one pixel (x, y >= 0)."""
    m = uint64(0xFFFFFFFF)
    v = _mix32((uint64(y) * uint64(0x9E3779B1) + uint64(0x7F4A7C15)) & m)
    v = _mix32((v ^ (uint64(x) & m)) & m)
    return np.float64(v >> uint64(8)) * (1.0 / 16777216.0)


@njit(fastmath=True)
def blend_separable(mode, b, s):
    if mode == MULTIPLY:
        return _multiply(b, s)
    if mode == SCREEN:
        return _screen(b, s)
    if mode == OVERLAY:
        return _overlay(b, s)
    if mode == DARKEN:
        return _darken(b, s)
    if mode == LIGHTEN:
        return _lighten(b, s)
    if mode == COLOR_DODGE:
        if b <= EDGE:
            return np.float32(0)
        if s >= 1 - EDGE:
            return np.float32(1)
        return min(np.float32(1), b / (1 - s))
    if mode == COLOR_BURN:
        if b >= 1 - EDGE:
            return np.float32(1)
        if s <= EDGE:
            return np.float32(0)
        return 1 - min(np.float32(1), (1 - b) / s)
    if mode == HARD_LIGHT:
        return _hard_light(b, s)
    if mode == SOFT_LIGHT:
        if b <= 0.25:
            d = ((16 * b - 12) * b + 4) * b
        else:
            d = np.sqrt(b)
        if s <= 0.5:
            return b - (1 - 2 * s) * b * (1 - b)
        return b + (2 * s - 1) * (d - b)
    if mode == DIFFERENCE:
        return _difference(b, s)
    if mode == EXCLUSION:
        return _exclusion(b, s)
    if mode == ADD:
        return _add(b, s)
    if mode == LINEAR_BURN:
        return max(ZERO, b + s - 1)
    if mode == LINEAR_LIGHT:
        return min(ONE, max(ZERO, b + 2 * s - LINEAR_LIGHT_OFFSET))
    if mode == VIVID_LIGHT:
        if s <= EDGE:
            return ZERO
        if s >= 1 - EDGE:
            return ONE
        if s <= 0.5:
            return 1 - min(ONE, (1 - b) / (2 * s))
        return min(ONE, b / (2 * (1 - s)))
    if mode == PIN_LIGHT:
        if s <= 0.5:
            return min(b, 2 * s)
        return max(b, 2 * s - 1)
    if mode == HARD_MIX:
        total = b + s
        if total > 1 + EDGE or (total >= 1 - EDGE and b > 0.5):
            return ONE
        return ZERO
    if mode == SUBTRACT:
        return max(ZERO, b - s)
    if mode == DIVIDE:
        if b <= EDGE:
            return ZERO
        if s <= EDGE:
            return ONE
        return min(ONE, b / s)
    return s  # NORMAL, DISSOLVE


@njit(inline="always", fastmath=True)
def _lum(r, g, b):
    return np.float32(0.3) * r + np.float32(0.59) * g + np.float32(0.11) * b


@njit(inline="always", fastmath=True)
def _luma_level(r, g, b):
    """blendmath.luma_level of one pixel: the rounded luminosity of its 8-bit levels."""
    lr = np.int32(min(F255, max(ZERO, r * F255)) + HALF)
    lg = np.int32(min(F255, max(ZERO, g * F255)) + HALF)
    lb = np.int32(min(F255, max(ZERO, b * F255)) + HALF)
    return (30 * lr + 59 * lg + 11 * lb + 50) // 100


@njit(fastmath=True)
def _set_lum(r, g, b, lum):
    d = lum - _lum(r, g, b)
    r, g, b = r + d, g + d, b + d
    lum = _lum(r, g, b)
    lo = min(r, min(g, b))
    hi = max(r, max(g, b))
    if lo < 0 and lum - lo > 0:
        f = lum / (lum - lo)
        r, g, b = lum + (r - lum) * f, lum + (g - lum) * f, lum + (b - lum) * f
    if hi > 1 and hi - lum > 0:
        f = (1 - lum) / (hi - lum)
        r, g, b = lum + (r - lum) * f, lum + (g - lum) * f, lum + (b - lum) * f
    return r, g, b


@njit(inline="always", fastmath=True)
def _sat(r, g, b):
    return max(r, max(g, b)) - min(r, min(g, b))


@njit(fastmath=True)
def _set_sat(r, g, b, sat):
    lo = min(r, min(g, b))
    span = max(r, max(g, b)) - lo
    if span > 0:
        f = sat / span
        return (r - lo) * f, (g - lo) * f, (b - lo) * f
    return np.float32(0), np.float32(0), np.float32(0)


@njit(fastmath=True)
def blend_non_separable(mode, br, bg, bb, sr, sg, sb):
    if mode == HUE:
        r, g, b = _set_sat(sr, sg, sb, _sat(br, bg, bb))
        return _set_lum(r, g, b, _lum(br, bg, bb))
    if mode == SATURATION:
        r, g, b = _set_sat(br, bg, bb, _sat(sr, sg, sb))
        return _set_lum(r, g, b, _lum(br, bg, bb))
    if mode == COLOR:
        return _set_lum(sr, sg, sb, _lum(br, bg, bb))
    if mode == DARKER_COLOR:
        if _luma_level(sr, sg, sb) < _luma_level(br, bg, bb):
            return sr, sg, sb
        return br, bg, bb
    if mode == LIGHTER_COLOR:
        if _luma_level(sr, sg, sb) > _luma_level(br, bg, bb):
            return sr, sg, sb
        return br, bg, bb
    return _set_lum(br, bg, bb, _lum(sr, sg, sb))  # LUMINOSITY


@njit(inline="always", fastmath=True)
def _mask_value(m, inverted, density):
    if inverted:
        m = ONE - m
    return ONE - density * (ONE - m)


@njit(inline="always", fastmath=True)
def _level(x):
    """A 0..1 channel value as its 8-bit level (rounded; numpy_backend.blend_if_levels)."""
    return np.int32(min(F255, max(ZERO, x * F255)) + HALF)


@njit(inline="always", fastmath=True)
def _ramp(fp, base, v):
    """The weight of level v under the Blend If range at fp[base:base + 4] (Photoshop's
    inclusive feather, numpy_backend._ramp)."""
    b0, b1, w0, w1 = fp[base], fp[base + 1], fp[base + 2], fp[base + 3]
    if v < b0 or v > w1:
        return ZERO
    if v < b1:
        return (v - b0 + ONE) / (b1 - b0 + ONE)
    if v > w0:
        return (w1 - v + ONE) / (w1 - w0 + ONE)
    return ONE


@njit(fastmath=True)
def _blend_if_weight(fp, s0, s1, s2, b0, b1, b2, ab):
    """The Blend If weight of straight source colour (s) over straight backdrop colour (b) of
    alpha ab: transparency beneath passes the Underlying gate (numpy_backend.blend_if_straight)."""
    weight = ONE
    for which in range(2):
        if which == 0:
            r, g, b = _level(s0), _level(s1), _level(s2)
        else:
            r, g, b = _level(b0), _level(b1), _level(b2)
        gray = (299 * r + 590 * g + 111 * b + 500) // 1000
        base = BI + which * 16
        gate = _ramp(fp, base, np.float32(gray))
        gate *= _ramp(fp, base + 4, np.float32(r))
        gate *= _ramp(fp, base + 8, np.float32(g))
        gate *= _ramp(fp, base + 12, np.float32(b))
        if which == 1:
            gate = (ONE - ab) + ab * gate
        weight *= gate
    return weight


# The row buffer is planar (R, G, B, A rows of float32), a layer row is read as one uint32
# per pixel, and the fast loops index with unsigned integers (numba then skips negative-index
# wraparound): together these let LLVM vectorise them.
U1, U2, U3, U4 = uint64(1), uint64(2), uint64(3), uint64(4)
B8, B16, B24, LOW = uint32(8), uint32(16), uint32(24), uint32(255)


@njit(inline="always", fastmath=True)
def _over_u8(acc, i, p, a):
    k = a * INV255
    t = ONE - a
    acc[0, i] = np.float32(p & LOW) * k + acc[0, i] * t
    acc[1, i] = np.float32((p >> B8) & LOW) * k + acc[1, i] * t
    acc[2, i] = np.float32((p >> B16) & LOW) * k + acc[2, i] * t
    acc[3, i] = a + acc[3, i] * t


@njit(inline="always", fastmath=True)
def _alpha_byte(p):
    # The int32 cast lets LLVM shift in 32 bits (one vpsrld) instead of widening to 64 bits.
    return np.float32(np.int32(p >> B24))


@njit(fastmath=True)
def _normal_u8_row(acc, src, sx, c0, c1, scale, mask, has_mask, mx, m_add, m_mul):
    """The common case: a uint8 layer in normal mode, source-over.

    src: the layer's row as one little-endian uint32 (RGBA bytes) per pixel; the effective
    mask is m_add + m_mul * byte (invert and density folded into the two numbers), and the
    opacity and byte scale are folded into them too: alpha = byte * (s_add + s_mul * mask).
    """
    n, a0, s0, k0 = uint64(c1 - c0), uint64(c0), uint64(c0 + sx), uint64(c0 + mx)
    if has_mask:
        s_add, s_mul = scale * m_add, scale * m_mul
        for c in range(n):
            p = src[s0 + c]
            _over_u8(acc, a0 + c, p, _alpha_byte(p) * (s_add + s_mul * np.float32(mask[k0 + c])))
    else:
        for c in range(n):
            p = src[s0 + c]
            _over_u8(acc, a0 + c, p, _alpha_byte(p) * scale)


@njit(inline="always", fastmath=True)
def _over_u8_values(x0, x1, x2, x3, p, a):
    k = a * INV255
    t = ONE - a
    return (np.float32(p & LOW) * k + x0 * t, np.float32((p >> B8) & LOW) * k + x1 * t,
            np.float32((p >> B16) & LOW) * k + x2 * t, a + x3 * t)


@njit(fastmath=True)
def _normal_u8_pair_row(acc, c0, n, src1, s1, mask1, m1, add1, mul1, src2, s2, mask2, m2, add2, mul2, fresh):
    """Two uint8 source-over ops over the same columns in one pass: the row buffer is read and
    written once for both (about a fifth less time than two passes). Arguments as _u8_op_row.
    fresh: the row buffer is transparent still, so it is only written (no clearing pass first)."""
    if fresh:
        for c in range(n):
            i = c0 + c
            p, q = src1[s1 + c], src2[s2 + c]
            x0, x1, x2, x3 = _over_u8_values(ZERO, ZERO, ZERO, ZERO, p,
                                             _alpha_byte(p) * (add1 + mul1 * np.float32(mask1[m1 + c])))
            acc[0, i], acc[1, i], acc[2, i], acc[3, i] = _over_u8_values(
                x0, x1, x2, x3, q, _alpha_byte(q) * (add2 + mul2 * np.float32(mask2[m2 + c])))
    else:
        for c in range(n):
            i = c0 + c
            p, q = src1[s1 + c], src2[s2 + c]
            x0, x1, x2, x3 = _over_u8_values(acc[0, i], acc[1, i], acc[2, i], acc[3, i], p,
                                             _alpha_byte(p) * (add1 + mul1 * np.float32(mask1[m1 + c])))
            acc[0, i], acc[1, i], acc[2, i], acc[3, i] = _over_u8_values(
                x0, x1, x2, x3, q, _alpha_byte(q) * (add2 + mul2 * np.float32(mask2[m2 + c])))


@njit(fastmath=True)
def _normal_u8_triple_row(acc, c0, n, src1, s1, mask1, m1, add1, mul1, src2, s2, mask2, m2, add2, mul2,
                          src3, s3, mask3, m3, add3, mul3, fresh):
    """Three uint8 source-over ops over the same columns in one pass, as _normal_u8_pair_row:
    a run of three no longer leaves one op to a pass of its own (a run between adjustment
    layers, or the tail of ten layers: 3 + 3 + 2 + 2 passes rather than five pairs)."""
    if fresh:
        for c in range(n):
            i = c0 + c
            p, q, o = src1[s1 + c], src2[s2 + c], src3[s3 + c]
            x0, x1, x2, x3 = _over_u8_values(ZERO, ZERO, ZERO, ZERO, p,
                                             _alpha_byte(p) * (add1 + mul1 * np.float32(mask1[m1 + c])))
            x0, x1, x2, x3 = _over_u8_values(x0, x1, x2, x3, q,
                                             _alpha_byte(q) * (add2 + mul2 * np.float32(mask2[m2 + c])))
            acc[0, i], acc[1, i], acc[2, i], acc[3, i] = _over_u8_values(
                x0, x1, x2, x3, o, _alpha_byte(o) * (add3 + mul3 * np.float32(mask3[m3 + c])))
    else:
        for c in range(n):
            i = c0 + c
            p, q, o = src1[s1 + c], src2[s2 + c], src3[s3 + c]
            x0, x1, x2, x3 = _over_u8_values(acc[0, i], acc[1, i], acc[2, i], acc[3, i], p,
                                             _alpha_byte(p) * (add1 + mul1 * np.float32(mask1[m1 + c])))
            x0, x1, x2, x3 = _over_u8_values(x0, x1, x2, x3, q,
                                             _alpha_byte(q) * (add2 + mul2 * np.float32(mask2[m2 + c])))
            acc[0, i], acc[1, i], acc[2, i], acc[3, i] = _over_u8_values(
                x0, x1, x2, x3, o, _alpha_byte(o) * (add3 + mul3 * np.float32(mask3[m3 + c])))


@njit(inline="always")
def _is_u8_source_over(ip, k):
    return (ip[k, MODE] == NORMAL and ip[k, ATOP] == 0 and ip[k, SOURCE] == PIXELS and ip[k, MASK_KIND] != MASK_F32
            and ip[k, BLEND_IF] == 0)


@njit(inline="always")
def _covers(ip, k, r):
    return ip[k, R0] <= r and r < ip[k, R1]


@njit(inline="always")
def _fused_run(ip, k, r):
    """How many of the ops from k on draw in one pass on row r: 3 or 2 uint8 source-over ops
    over the same columns, else 1. A run of four goes as two pairs, not three and one."""
    n = ip.shape[0]
    run = 0
    while (run < 5 and k + run < n and _is_u8_source_over(ip, k + run) and _covers(ip, k + run, r)
           and ip[k + run, C0] == ip[k, C0] and ip[k + run, C1] == ip[k, C1]):
        run += 1
    if run >= 3 and run != 4:
        return 3
    return 2 if run >= 2 else 1


@njit(inline="always", fastmath=True)
def _u8_op_row(ip, fp, k, r):
    """Row r of a uint8 source-over op: its pixels (uint32) from the op's first column, its mask
    bytes likewise, and alpha = byte * (add + mul * mask byte) with opacity, invert and density
    folded in. Without a mask the source's own bytes stand in, times zero (one branch-free loop)."""
    scale = fp[k, OPACITY] * INV255
    src = carray(_address(ip[k, SRC_PTR]), (ip[k, SRC_H], ip[k, SRC_W]), np.uint32)[r + ip[k, SY]]
    if ip[k, MASK_KIND] == MASK_U8:
        mask = carray(_address(ip[k, MASK_PTR]), (ip[k, MASK_H], ip[k, MASK_W]), np.uint8)[r + ip[k, MY]]
        m0 = ip[k, C0] + ip[k, MX]
        density = fp[k, DENSITY]
        if ip[k, INVERTED]:
            add, mul = scale, -scale * density * INV255
        else:
            add, mul = scale * (ONE - density), scale * density * INV255
    else:
        mask = carray(_address(ip[k, SRC_PTR]), (ip[k, SRC_H], ip[k, SRC_W] * 4), np.uint8)[r + ip[k, SY]]
        m0 = 0
        add, mul = scale, ZERO
    return src, uint64(ip[k, C0] + ip[k, SX]), mask, uint64(m0), add, mul


@njit(inline="always", fastmath=True)
def _over_f32(acc, i, buf, j, k):
    t = ONE - buf[j + U3] * k
    acc[0, i] = buf[j] * k + acc[0, i] * t
    acc[1, i] = buf[j + U1] * k + acc[1, i] * t
    acc[2, i] = buf[j + U2] * k + acc[2, i] * t
    acc[3, i] = buf[j + U3] * k + acc[3, i] * t


@njit(fastmath=True)
def _normal_buffer_row(acc, buf, sx, c0, c1, opacity, mask_u8, mask_f32, mask_kind, mx, m_add, m_mul):
    """A premultiplied buffer (a group, a cache tile) in normal mode: plain source-over.
    One loop per mask kind, so each stays branch-free."""
    n, a0, s0, k0 = uint64(c1 - c0), uint64(c0), uint64(c0 + sx), uint64(c0 + mx)
    if mask_kind == MASK_U8:
        for c in range(n):
            _over_f32(acc, a0 + c, buf, (s0 + c) * U4, opacity * (m_add + m_mul * mask_u8[k0 + c]))
    elif mask_kind == MASK_F32:
        for c in range(n):
            _over_f32(acc, a0 + c, buf, (s0 + c) * U4, opacity * mask_f32[k0 + c])
    else:
        for c in range(n):
            _over_f32(acc, a0 + c, buf, (s0 + c) * U4, opacity)


@njit(fastmath=True)
def special_fill(mode, b, s, fill, step):
    """blendmath.special_fill for one channel; `step` is hard_mix_fill_step(fill)."""
    if mode == HARD_MIX:
        if step <= 0:
            return b
        anchor = np.floor((1 - s) * step * F255 + HALF) * INV255  # blendmath.hard_mix_anchor
        return min(ONE, max(ZERO, (b - anchor) / (1 - step)))
    if mode == COLOR_BURN:
        return blend_separable(mode, b, (1 - fill * (1 - s)) * DIVIDE_256)
    if mode == COLOR_DODGE:
        return blend_separable(mode, b, fill * s * DIVIDE_256)
    if mode == LINEAR_BURN:
        return blend_separable(mode, b, 1 - fill * (1 - s))
    if mode == LINEAR_LIGHT or mode == VIVID_LIGHT:
        return blend_separable(mode, b, HALF + fill * (s - HALF))
    return blend_separable(mode, b, fill * s)


@njit(fastmath=True)
def _blend_plane(mode, b, s, out, n):
    """B(Cb, Cs) of one channel over n pixels: one plain loop per mode, which LLVM vectorises."""
    if mode == MULTIPLY:
        for c in range(n):
            out[c] = _multiply(b[c], s[c])
    elif mode == SCREEN:
        for c in range(n):
            out[c] = _screen(b[c], s[c])
    elif mode == OVERLAY:
        for c in range(n):
            out[c] = _overlay(b[c], s[c])
    elif mode == DARKEN:
        for c in range(n):
            out[c] = _darken(b[c], s[c])
    elif mode == LIGHTEN:
        for c in range(n):
            out[c] = _lighten(b[c], s[c])
    elif mode == HARD_LIGHT:
        for c in range(n):
            out[c] = _hard_light(b[c], s[c])
    elif mode == DIFFERENCE:
        for c in range(n):
            out[c] = _difference(b[c], s[c])
    elif mode == EXCLUSION:
        for c in range(n):
            out[c] = _exclusion(b[c], s[c])
    elif mode == ADD:
        for c in range(n):
            out[c] = _add(b[c], s[c])
    else:  # the modes with divisions and roots: one call per pixel
        for c in range(n):
            out[c] = blend_separable(mode, b[c], s[c])


# Planes of the scratch buffer used by _separable_u8_row.
S_R, S_G, S_B, B_R, B_G, B_B, S_A, M_R, M_G, M_B = range(10)
N_SCRATCH = 10
TINY = np.float32(1e-30)


@njit(fastmath=True)
def _separable_u8_row(acc, scratch, mode, c0, n, src, s0, mask, m0, add, mul):
    """A uint8 layer in a separable mode (not normal), source-over, in three plain loops:
    straight source and backdrop into scratch planes, the blend per channel, the composite.
    Arguments as _u8_op_row; same formulas as _generic_row."""
    for c in range(n):
        p = src[s0 + c]
        i = c0 + c
        scratch[S_A, c] = _alpha_byte(p) * (add + mul * np.float32(mask[m0 + c]))
        scratch[S_R, c] = np.float32(p & LOW) * INV255
        scratch[S_G, c] = np.float32((p >> B8) & LOW) * INV255
        scratch[S_B, c] = np.float32((p >> B16) & LOW) * INV255
        # A transparent backdrop has zero colour, so any finite inverse gives zero there.
        inv = ONE / max(acc[3, i], TINY)
        scratch[B_R, c] = min(ONE, max(ZERO, acc[0, i] * inv))
        scratch[B_G, c] = min(ONE, max(ZERO, acc[1, i] * inv))
        scratch[B_B, c] = min(ONE, max(ZERO, acc[2, i] * inv))
    for ch in range(3):
        _blend_plane(mode, scratch[B_R + ch], scratch[S_R + ch], scratch[M_R + ch], n)
    for c in range(n):
        i = c0 + c
        a = scratch[S_A, c]
        ab = acc[3, i]
        t = ONE - a
        w = a * ab
        u = a - w
        acc[0, i] = u * scratch[S_R, c] + acc[0, i] * t + w * scratch[M_R, c]
        acc[1, i] = u * scratch[S_G, c] + acc[1, i] * t + w * scratch[M_G, c]
        acc[2, i] = u * scratch[S_B, c] + acc[2, i] * t + w * scratch[M_B, c]
        acc[3, i] = a + ab * t


@njit(fastmath=True)
def _generic_row(acc, r, ip, fp, src_u8, src_f32, mask_u8, mask_f32):
    """Any op: every blend mode, fills, buffers, atop, Blend If; one pixel at a time."""
    source, mode, atop, mask_kind, inverted = ip[SOURCE], ip[MODE], ip[ATOP], ip[MASK_KIND], ip[INVERTED]
    blend_if = ip[BLEND_IF]
    sr, sx, mr, mx = r + ip[SY], ip[SX], r + ip[MY], ip[MX]
    opacity, density, fill, step = fp[OPACITY], fp[DENSITY], fp[LAYER_FILL], fp[HM_STEP]
    for c in range(ip[C0], ip[C1]):
        if source == PIXELS:
            s0 = src_u8[sr, c + sx, 0] * INV255
            s1 = src_u8[sr, c + sx, 1] * INV255
            s2 = src_u8[sr, c + sx, 2] * INV255
            a = src_u8[sr, c + sx, 3] * INV255
        elif source == FILL:
            s0, s1, s2, a = fp[FILL_R], fp[FILL_G], fp[FILL_B], fp[FILL_A]
        else:
            a = src_f32[sr, c + sx, 3]
            if a > 0:
                inv = ONE / a
                s0 = min(ONE, max(ZERO, src_f32[sr, c + sx, 0] * inv))
                s1 = min(ONE, max(ZERO, src_f32[sr, c + sx, 1] * inv))
                s2 = min(ONE, max(ZERO, src_f32[sr, c + sx, 2] * inv))
            else:
                s0 = s1 = s2 = ZERO
        a *= opacity
        if mask_kind == MASK_U8:
            a *= _mask_value(mask_u8[mr, c + mx] * INV255, inverted, density)
        elif mask_kind == MASK_F32:
            a *= mask_f32[mr, c + mx]
        ab = acc[3, c]
        if ab > 0:
            inv = ONE / ab
            b0 = min(ONE, max(ZERO, acc[0, c] * inv))
            b1 = min(ONE, max(ZERO, acc[1, c] * inv))
            b2 = min(ONE, max(ZERO, acc[2, c] * inv))
        else:
            b0 = b1 = b2 = ZERO
        if blend_if:
            a *= _blend_if_weight(fp, s0, s1, s2, b0, b1, b2, ab)
        if mode == DISSOLVE:
            a = ONE if dissolve_noise(ip[DX] + c, ip[DY] + r) < a else ZERO
        if fill < 1:
            m0 = special_fill(mode, b0, s0, fill, step)
            m1 = special_fill(mode, b1, s1, fill, step)
            m2 = special_fill(mode, b2, s2, fill, step)
        elif is_non_separable(mode):
            m0, m1, m2 = blend_non_separable(mode, b0, b1, b2, s0, s1, s2)
        else:
            m0 = blend_separable(mode, b0, s0)
            m1 = blend_separable(mode, b1, s1)
            m2 = blend_separable(mode, b2, s2)
        t = ONE - a
        w = a * ab
        if atop:
            acc[0, c] = acc[0, c] * t + w * m0
            acc[1, c] = acc[1, c] * t + w * m1
            acc[2, c] = acc[2, c] * t + w * m2
        else:
            g = a * fill  # the alpha the op adds (fill is 1 outside the special-Fill modes)
            u = g * (ONE - ab)
            acc[0, c] = u * s0 + acc[0, c] * t + w * m0
            acc[1, c] = u * s1 + acc[1, c] * t + w * m1
            acc[2, c] = u * s2 + acc[2, c] * t + w * m2
            acc[3, c] = g + ab * (ONE - g)


@njit(fastmath=True)
def _store_bgra(acc, out):
    """The planar float row to premultiplied BGRA, one little-endian uint32 per pixel."""
    for c in range(uint64(out.shape[0])):
        a = min(F255, max(ZERO, acc[3, c] * F255 + HALF))
        # min(colour, alpha): rounding must not break the premultiplied invariant.
        r = min(a, max(ZERO, acc[0, c] * F255 + HALF))
        g = min(a, max(ZERO, acc[1, c] * F255 + HALF))
        b = min(a, max(ZERO, acc[2, c] * F255 + HALF))
        # Through int32: a float to uint32 conversion costs twice the instructions.
        out[c] = uint32(np.int32(b)) | (uint32(np.int32(g)) << B8) | (uint32(np.int32(r)) << B16) | (uint32(np.int32(a)) << B24)


@njit(fastmath=True)
def _load_rgba(row, acc):
    for c in range(uint64(row.shape[0]) // U4):
        for ch in range(4):
            acc[ch, c] = row[c * U4 + uint64(ch)]


@njit(fastmath=True)
def _save_rgba(acc, row):
    for c in range(uint64(row.shape[0]) // U4):
        for ch in range(4):
            row[c * U4 + uint64(ch)] = acc[ch, c]


@njit(inline="always", fastmath=True)
def _adjust_mask(ip, fp, k, r):
    """Row r of an ADJUST op's uint8 mask from the op's first column, and its mix
    t = add + mul x mask byte with opacity, invert and density folded in."""
    mask = carray(_address(ip[k, MASK_PTR]), (ip[k, MASK_H], ip[k, MASK_W]), np.uint8)[r + ip[k, MY]]
    density = fp[k, DENSITY]
    if ip[k, INVERTED]:
        add, mul = fp[k, OPACITY], -fp[k, OPACITY] * density * INV255
    else:
        add, mul = fp[k, OPACITY] * (ONE - density), fp[k, OPACITY] * density * INV255
    return mask, uint64(ip[k, C0] + ip[k, MX]), add, mul


@njit(fastmath=True)
def _lut_row(acc, words, r, ip, fp, k):
    """A per-channel table ADJUST op (Curves, Levels: planes.LUT) in normal mode without Blend
    If or a feathered mask, on row r, as _adjust_row draws it, in three loops. Only the lookup
    does not vectorise, so it does the least: a pixel's three levels come packed in one word,
    and one word of the three looked-up bytes goes back (tables pre-shifted to their byte), a
    load and a store a pixel where level planes in and out would take three of each. The
    vectorised loops around it make the packed levels and mix the result in."""
    c0, c1 = ip[k, C0], ip[k, C1]
    n = uint64(c1 - c0)
    a0 = uint64(c0)
    tables = carray(_address(ip[k, ADJ_LUT]), (3, 256), np.uint32)
    for c in range(n):
        i = a0 + c
        a = acc[3, i]
        inv = F255 / a if a > ZERO else ZERO
        lr = uint32(np.int32(min(F255, max(ZERO, acc[0, i] * inv + HALF))))
        lg = uint32(np.int32(min(F255, max(ZERO, acc[1, i] * inv + HALF))))
        lb = uint32(np.int32(min(F255, max(ZERO, acc[2, i] * inv + HALF))))
        words[c] = lr | (lg << B8) | (lb << B16)
    t_r, t_g, t_b = tables[0], tables[1], tables[2]
    for c in range(n):
        p = words[c]
        words[c] = t_r[p & LOW] | t_g[(p >> B8) & LOW] | t_b[p >> B16]
    # acc = acc (1 - t) + t alpha s: the adjusted colour s mixed in by t = opacity x mask.
    if ip[k, MASK_KIND] == MASK_U8:
        mask, m0, add, mul = _adjust_mask(ip, fp, k, r)
        for c in range(n):
            i = a0 + c
            p = words[c]
            t = add + mul * np.float32(mask[m0 + c])
            ta = t * acc[3, i] * INV255
            u = ONE - t
            acc[0, i] = acc[0, i] * u + ta * np.float32(np.int32(p & LOW))
            acc[1, i] = acc[1, i] * u + ta * np.float32(np.int32((p >> B8) & LOW))
            acc[2, i] = acc[2, i] * u + ta * np.float32(np.int32(p >> B16))
    else:
        scale = fp[k, OPACITY] * INV255
        u = ONE - fp[k, OPACITY]
        for c in range(n):
            i = a0 + c
            p = words[c]
            ta = scale * acc[3, i]
            acc[0, i] = acc[0, i] * u + ta * np.float32(np.int32(p & LOW))
            acc[1, i] = acc[1, i] * u + ta * np.float32(np.int32((p >> B8) & LOW))
            acc[2, i] = acc[2, i] * u + ta * np.float32(np.int32(p >> B16))


@njit(fastmath=True)
def _adjust_row(acc, scratch, words, adj_u8, ip_local, r, ip, fp, k):
    """An ADJUST op on row r: the row's colour so far as 8-bit straight values into the first
    three scratch planes, the op's planes kernel on them, and the result drawn atop (the
    colour at alpha 1 with the op's opacity, mask, mode and Blend If; alpha is kept)."""
    mask_kind = ip[k, MASK_KIND]
    fast = ip[k, MODE] == NORMAL and ip[k, BLEND_IF] == 0 and mask_kind != MASK_F32
    if fast and ip[k, ADJ_LUT] != 0:
        _lut_row(acc, words, r, ip, fp, k)
        return
    c0, c1 = ip[k, C0], ip[k, C1]
    n = uint64(c1 - c0)
    a0 = uint64(c0)
    for c in range(n):
        i = a0 + c
        a = acc[3, i]
        inv = F255 / a if a > ZERO else ZERO
        scratch[S_R, c] = np.float32(np.int32(min(F255, max(ZERO, acc[0, i] * inv + HALF))))
        scratch[S_G, c] = np.float32(np.int32(min(F255, max(ZERO, acc[1, i] * inv + HALF))))
        scratch[S_B, c] = np.float32(np.int32(min(F255, max(ZERO, acc[2, i] * inv + HALF))))
    call_planes(ip[k, ADJ_FN], scratch.ctypes.data, scratch.shape[1], c1 - c0, ip[k, ADJ_PTR], ip[k, ADJ_LEN])
    if fast:
        # acc = acc (1 - t) + t alpha s: the adjusted colour s mixed in by t = opacity x mask.
        scale = fp[k, OPACITY] * INV255
        if mask_kind == MASK_U8:
            mask, m0, add, mul = _adjust_mask(ip, fp, k, r)
            for c in range(n):
                i = a0 + c
                t = add + mul * np.float32(mask[m0 + c])
                ta = t * acc[3, i] * INV255
                u = ONE - t
                acc[0, i] = acc[0, i] * u + ta * scratch[S_R, c]
                acc[1, i] = acc[1, i] * u + ta * scratch[S_G, c]
                acc[2, i] = acc[2, i] * u + ta * scratch[S_B, c]
        else:
            t = fp[k, OPACITY]
            u = ONE - t
            for c in range(n):
                i = a0 + c
                ta = scale * acc[3, i]
                acc[0, i] = acc[0, i] * u + ta * scratch[S_R, c]
                acc[1, i] = acc[1, i] * u + ta * scratch[S_G, c]
                acc[2, i] = acc[2, i] * u + ta * scratch[S_B, c]
        return
    # Any other mode, a feathered mask or Blend If: the adjusted colour as a uint8 layer row
    # drawn atop by the generic loop.
    for c in range(n):
        i = a0 + c
        adj_u8[0, i, 0] = np.uint8(scratch[S_R, c])
        adj_u8[0, i, 1] = np.uint8(scratch[S_G, c])
        adj_u8[0, i, 2] = np.uint8(scratch[S_B, c])
        adj_u8[0, i, 3] = np.uint8(255)
    for j in range(N_INT):
        ip_local[j] = ip[k, j]
    ip_local[SOURCE], ip_local[ATOP], ip_local[SY], ip_local[SX] = PIXELS, 1, -r, 0
    mask_u8 = carray(_address(ip[k, MASK_PTR]), (ip[k, MASK_H], ip[k, MASK_W]), np.uint8)
    mask_f32 = carray(_address(ip[k, MASK_PTR]), (ip[k, MASK_H], ip[k, MASK_W]), np.float32)
    _generic_row(acc, r, ip_local, fp[k], adj_u8, _NO_F32, mask_u8, mask_f32)


_NO_F32 = np.zeros((1, 1, 4), np.float32)


@njit(inline="always")
def padded_width(w):
    """Row buffer planes w floats long would sit a multiple of 4 KiB apart for the usual
    power-of-two widths; a load from one plane after a store to another then stalls on a
    false dependency (4K aliasing). Padding the planes 64 bytes past a multiple of 64 avoids it."""
    return (w + 15) // 16 * 16 + 16


@njit(cache=True, fastmath=True)
def composite_band(y0, y1, w, init, has_init, out_f32, write_f32, bgra_ptr, bgra_stride, write_bgra, ip, fp):
    """Rows y0..y1 of the output: every op (rows of `ip`/`fp`) drawn onto a row buffer in turn,
    starting from `init` or transparent. Called directly for small jobs, where waking the
    thread pool would cost more than the work. BGRA output: row r is w uint32 pixels at address
    bgra_ptr + r * bgra_stride (bytes), so the caller's buffer may be a view into a larger image."""
    n = ip.shape[0]
    acc = np.empty((4, padded_width(w)), np.float32)
    scratch = np.empty((N_SCRATCH, padded_width(w)), np.float32)
    adj_u8 = np.empty((1, padded_width(w), 4), np.uint8)
    words = np.empty(padded_width(w), np.uint32)
    ip_local = np.empty(N_INT, np.int64)
    for r in range(y0, y1):
        if has_init:
            _load_rgba(init[r].reshape(w * 4), acc)
        # Without init the row starts transparent: cleared before the first op that reads it,
        # unless that op is a pair or triple over the whole row, which then writes it without reading.
        fresh = not has_init
        k = 0
        while k < n:
            if not _covers(ip, k, r):
                k += 1
                continue
            run = _fused_run(ip, k, r)
            if fresh and not (run > 1 and ip[k, C0] == 0 and ip[k, C1] == w):
                acc[:] = 0
                fresh = False
            if ip[k, SOURCE] == ADJUST:
                _adjust_row(acc, scratch, words, adj_u8, ip_local, r, ip, fp, k)
                k += 1
                continue
            if run > 1:
                src1, s1, mask1, m1, add1, mul1 = _u8_op_row(ip, fp, k, r)
                src2, s2, mask2, m2, add2, mul2 = _u8_op_row(ip, fp, k + 1, r)
                if run == 3:
                    src3, s3, mask3, m3, add3, mul3 = _u8_op_row(ip, fp, k + 2, r)
                    _normal_u8_triple_row(acc, uint64(ip[k, C0]), uint64(ip[k, C1] - ip[k, C0]), src1, s1, mask1,
                                          m1, add1, mul1, src2, s2, mask2, m2, add2, mul2, src3, s3, mask3, m3,
                                          add3, mul3, fresh)
                else:
                    _normal_u8_pair_row(acc, uint64(ip[k, C0]), uint64(ip[k, C1] - ip[k, C0]), src1, s1, mask1, m1,
                                        add1, mul1, src2, s2, mask2, m2, add2, mul2, fresh)
                fresh = False
                k += run
                continue
            mode = ip[k, MODE]
            if (mode != NORMAL and mode != DISSOLVE and not is_non_separable(mode) and ip[k, SOURCE] == PIXELS
                    and ip[k, ATOP] == 0 and ip[k, MASK_KIND] != MASK_F32 and ip[k, BLEND_IF] == 0
                    and fp[k, LAYER_FILL] >= 1):
                src, s0, mask, m0, add, mul = _u8_op_row(ip, fp, k, r)
                _separable_u8_row(acc, scratch, mode, uint64(ip[k, C0]), uint64(ip[k, C1] - ip[k, C0]),
                                  src, s0, mask, m0, add, mul)
                k += 1
                continue
            source, mask_kind = ip[k, SOURCE], ip[k, MASK_KIND]
            # Views of the op's arrays from their addresses (the caller keeps them alive); each
            # address is read only through the view of its real dtype.
            src_u8 = carray(_address(ip[k, SRC_PTR]), (ip[k, SRC_H], ip[k, SRC_W], 4), np.uint8)
            src_u32 = carray(_address(ip[k, SRC_PTR]), (ip[k, SRC_H], ip[k, SRC_W]), np.uint32)
            src_f32 = carray(_address(ip[k, SRC_PTR]), (ip[k, SRC_H], ip[k, SRC_W], 4), np.float32)
            mask_u8 = carray(_address(ip[k, MASK_PTR]), (ip[k, MASK_H], ip[k, MASK_W]), np.uint8)
            mask_f32 = carray(_address(ip[k, MASK_PTR]), (ip[k, MASK_H], ip[k, MASK_W]), np.float32)
            density = fp[k, DENSITY]
            if ip[k, INVERTED]:
                m_add, m_mul = ONE, -density * INV255
            else:
                m_add, m_mul = ONE - density, density * INV255
            fast = ip[k, MODE] == NORMAL and ip[k, ATOP] == 0 and ip[k, BLEND_IF] == 0
            mr = r + ip[k, MY] if mask_kind != NO_MASK else 0
            if fast and source == PIXELS and mask_kind != MASK_F32:
                _normal_u8_row(acc, src_u32[r + ip[k, SY]], ip[k, SX], ip[k, C0], ip[k, C1],
                               fp[k, OPACITY] * INV255, mask_u8[mr if mask_kind == MASK_U8 else 0],
                               mask_kind == MASK_U8, ip[k, MX], m_add, m_mul)
            elif fast and source == BUFFER:
                _normal_buffer_row(acc, src_f32[r + ip[k, SY]].reshape(ip[k, SRC_W] * 4), ip[k, SX], ip[k, C0],
                                   ip[k, C1], fp[k, OPACITY], mask_u8[mr if mask_kind == MASK_U8 else 0],
                                   mask_f32[mr if mask_kind == MASK_F32 else 0], mask_kind, ip[k, MX], m_add, m_mul)
            else:
                _generic_row(acc, r, ip[k], fp[k], src_u8, src_f32, mask_u8, mask_f32)
            k += 1
        if fresh:  # no op drew on this row
            acc[:] = 0
        if write_f32:
            _save_rgba(acc, out_f32[r].reshape(w * 4))
        if write_bgra:
            _store_bgra(acc, carray(_address(bgra_ptr + r * bgra_stride), (w,), np.uint32))


BAND = 8  # rows per parallel task


@njit(parallel=True, cache=True, fastmath=True)
def composite_rows(h, w, init, has_init, out_f32, write_f32, bgra_ptr, bgra_stride, write_bgra, ip, fp):
    """composite_band over all rows, bands spread over the cores (the caller sets the chunk size)."""
    for band in prange((h + BAND - 1) // BAND):
        composite_band(band * BAND, min(h, (band + 1) * BAND), w, init, has_init, out_f32, write_f32,
                       bgra_ptr, bgra_stride, write_bgra, ip, fp)


@njit(parallel=True, cache=True, fastmath=True)
def lerp_rows(backdrop, result, opacity, mask_kind, mask_u8, mask_f32, my, mx, inverted, density):
    """backdrop += (result - backdrop) * opacity * mask (a pass-through group), in place."""
    h, w = backdrop.shape[0], backdrop.shape[1]
    for r in prange(h):
        for c in range(w):
            t = opacity
            if mask_kind == MASK_U8:
                t *= _mask_value(mask_u8[r + my, c + mx] * INV255, inverted, density)
            elif mask_kind == MASK_F32:
                t *= mask_f32[r + my, c + mx]
            for ch in range(4):
                backdrop[r, c, ch] += (result[r, c, ch] - backdrop[r, c, ch]) * t
