"""An RGB-to-RGB ICC device link read into a 3D table: the profile Photoshop keeps inside a
Color Lookup adjustment layer (it turns a .cube, .3dl or .look into one).

Only what such links hold is read (ICC.1:2010): the A2B0 tag as `mAB ` (A curves, CLUT, M
curves, matrix, B curves, applied in that order) or as `mft2`/`mft1` (matrix, input tables,
CLUT, output tables); curves as `curv` (identity, gamma or table) or `para` (the five
parametric kinds). The pipeline is sampled at `size`^3 grid points of the input cube.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

import numpy as np


class ProfileError(ValueError):
    pass


def _s15(raw: bytes, at: int, n: int) -> np.ndarray:
    return np.array(struct.unpack_from(f">{n}i", raw, at), np.float64) / 65536


def _curve(raw: bytes, at: int) -> tuple[Callable, int]:
    """A curve at `at` and its byte length (padded to four)."""
    sig = raw[at:at + 4]
    if sig == b"curv":
        (count,) = struct.unpack_from(">I", raw, at + 8)
        length = 12 + 2 * count
        if count == 0:
            fn = lambda x: x  # noqa: E731
        elif count == 1:
            gamma = struct.unpack_from(">H", raw, at + 12)[0] / 256
            fn = lambda x: np.power(x, gamma)  # noqa: E731
        else:
            table = np.array(struct.unpack_from(f">{count}H", raw, at + 12), np.float64) / 65535
            grid = np.linspace(0, 1, count)
            fn = lambda x: np.interp(x, grid, table)  # noqa: E731
        return fn, (length + 3) // 4 * 4
    if sig == b"para":
        (kind,) = struct.unpack_from(">H", raw, at + 8)
        n = (1, 3, 4, 5, 7)[kind]
        g, a, b, c, d, e, f = [*_s15(raw, at + 12, n), *([0.0] * (7 - n))]
        if kind in (1, 2):  # the break where a X + b turns positive; kind 2's floor is its c
            d, e, c, f = -b / a, (c if kind == 2 else 0.0), 0.0, (c if kind == 2 else 0.0)
        elif kind == 3:
            e = f = 0.0

        def fn(x, g=g, a=a, b=b, c=c, d=d, e=e, f=f, kind=kind):
            x = np.asarray(x, np.float64)
            if kind == 0:
                return np.power(x, g)
            return np.where(x >= d, np.power(np.clip(a * x + b, 0, None), g) + e, c * x + f)
        return fn, (12 + 4 * n + 3) // 4 * 4
    raise ProfileError(f"curve type {sig!r} is not read")


def _curves(raw: bytes, at: int, count: int) -> list:
    out = []
    for _ in range(count):
        fn, length = _curve(raw, at)
        out.append(fn)
        at += length
    return out


def clut(grid: np.ndarray, points: list[int], rgb: np.ndarray) -> np.ndarray:
    """Multilinear interpolation in a CLUT of shape (*points, n_out), inputs (N, 3) in 0..1."""
    out = np.zeros((rgb.shape[0], grid.shape[-1]))
    pos = [np.clip(rgb[:, i], 0, 1) * (points[i] - 1) for i in range(3)]
    lo = [np.minimum(np.floor(p).astype(int), points[i] - 2) if points[i] > 1 else np.zeros_like(p, int)
          for i, p in enumerate(pos)]
    frac = [p - lo_i for p, lo_i in zip(pos, lo, strict=True)]
    for corner in range(8):
        bits = [(corner >> (2 - i)) & 1 for i in range(3)]
        weight = np.ones(rgb.shape[0])
        idx = []
        for i in range(3):
            weight = weight * (frac[i] if bits[i] else 1 - frac[i])
            idx.append(np.minimum(lo[i] + bits[i], points[i] - 1))
        out += weight[:, None] * grid[idx[0], idx[1], idx[2]]
    return out


def _apply(fns: list, values: np.ndarray) -> np.ndarray:
    return np.stack([fn(values[:, i]) for i, fn in enumerate(fns)], axis=1)


def _mab(raw: bytes, at: int) -> Callable:
    n_in, n_out = raw[at + 8], raw[at + 9]
    if (n_in, n_out) != (3, 3):
        raise ProfileError(f"a lookup of {n_in} to {n_out} channels, not RGB to RGB")
    b_at, m_at, matrix_at, clut_at, a_at = struct.unpack_from(">5I", raw, at + 12)
    b = _curves(raw, at + b_at, 3) if b_at else None
    m = _curves(raw, at + m_at, 3) if m_at else None
    a = _curves(raw, at + a_at, 3) if a_at else None
    matrix = _s15(raw, at + matrix_at, 12) if matrix_at else None
    table = None
    if clut_at:
        base = at + clut_at
        points = list(raw[base:base + 3])
        precision = raw[base + 16]
        count = points[0] * points[1] * points[2] * 3
        fmt, scale = (f">{count}B", 255) if precision == 1 else (f">{count}H", 65535)
        grid = np.array(struct.unpack_from(fmt, raw, base + 20), np.float64).reshape(*points, 3) / scale
        table = (grid, points)

    def run(rgb: np.ndarray) -> np.ndarray:
        v = _apply(a, rgb) if a else rgb
        v = clut(table[0], table[1], v) if table else v
        v = _apply(m, v) if m else v
        if matrix is not None:
            v = v @ matrix[:9].reshape(3, 3).T + matrix[9:]
        return _apply(b, np.clip(v, 0, 1)) if b else v
    return run


def _mft(raw: bytes, at: int, wide: bool) -> Callable:
    n_in, n_out, points = raw[at + 8], raw[at + 9], raw[at + 10]
    if (n_in, n_out) != (3, 3):
        raise ProfileError(f"a lookup of {n_in} to {n_out} channels, not RGB to RGB")
    matrix = _s15(raw, at + 12, 9).reshape(3, 3)
    pos = at + 48
    if wide:
        n_in_tab, n_out_tab = struct.unpack_from(">2H", raw, pos)
        pos += 4
        fmt, scale, size = "H", 65535, 2
    else:
        n_in_tab = n_out_tab = 256
        fmt, scale, size = "B", 255, 1

    def tables(count: int, entries: int) -> list:
        nonlocal pos
        out = []
        for _ in range(count):
            t = np.array(struct.unpack_from(f">{entries}{fmt}", raw, pos), np.float64) / scale
            pos += entries * size
            grid = np.linspace(0, 1, entries)
            out.append(lambda x, t=t, grid=grid: np.interp(x, grid, t))
        return out
    inputs = tables(3, n_in_tab)
    count = points ** 3 * 3
    grid = np.array(struct.unpack_from(f">{count}{fmt}", raw, pos), np.float64).reshape(points, points, points, 3)
    grid /= scale
    pos += count * size
    outputs = tables(3, n_out_tab)
    identity = np.allclose(matrix, np.eye(3))

    def run(rgb: np.ndarray) -> np.ndarray:
        v = rgb if identity else np.clip(rgb @ matrix.T, 0, 1)
        return _apply(outputs, clut(grid, [points] * 3, _apply(inputs, v)))
    return run


def device_link_table(profile: bytes, size: int = 33) -> np.ndarray:
    """(size, size, size, 3) uint8: the link's output at input (r, g, b) grid points, indexed
    [r, g, b]. ProfileError when the profile is not an RGB-to-RGB link Veil can read."""
    raw = bytes(profile)
    if len(raw) < 132 or raw[36:40] != b"acsp":
        raise ProfileError("not an ICC profile")
    if raw[16:20] != b"RGB " or raw[20:24] != b"RGB ":
        raise ProfileError(f"a {raw[16:20].decode('latin-1').strip()} to {raw[20:24].decode('latin-1').strip()} "
                           "profile, not an RGB device link")
    (count,) = struct.unpack_from(">I", raw, 128)
    tags = {raw[132 + 12 * i:136 + 12 * i]: struct.unpack_from(">2I", raw, 136 + 12 * i) for i in range(count)}
    if b"A2B0" not in tags:
        raise ProfileError("no A2B0 table")
    at = tags[b"A2B0"][0]
    kind = raw[at:at + 4]
    if kind == b"mAB ":
        run = _mab(raw, at)
    elif kind in (b"mft2", b"mft1"):
        run = _mft(raw, at, kind == b"mft2")
    else:
        raise ProfileError(f"an A2B0 of type {kind!r} is not read")
    axis = np.linspace(0, 1, size)
    r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
    out = run(np.stack([r.ravel(), g.ravel(), b.ravel()], axis=1))
    return np.clip(np.floor(out * 255 + 0.5), 0, 255).astype(np.uint8).reshape(size, size, size, 3)
