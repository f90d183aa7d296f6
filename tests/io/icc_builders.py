"""Small RGB-to-RGB ICC device links built by hand (ICC.1:2010), the kind Photoshop keeps in a
Color Lookup layer: an `mft2` (lut16) and an `mAB ` A2B0 over a CLUT given as (n, n, n, 3)
levels 0..1 indexed [r, g, b]."""

from __future__ import annotations

import struct

import numpy as np


def _profile(a2b0: bytes) -> bytes:
    body_at = 128 + 4 + 12
    size = body_at + len(a2b0)
    header = bytearray(128)
    struct.pack_into(">I", header, 0, size)
    header[12:16], header[16:20], header[20:24], header[36:40] = b"link", b"RGB ", b"RGB ", b"acsp"
    return bytes(header) + struct.pack(">I", 1) + b"A2B0" + struct.pack(">2I", body_at, len(a2b0)) + a2b0


def mft2_link(grid: np.ndarray) -> bytes:
    n = grid.shape[0]
    identity = struct.pack(">9i", *(65536 if i % 4 == 0 else 0 for i in range(9)))
    ramp = struct.pack(">2H", 0, 65535)  # a two-entry identity table per channel
    levels = np.round(grid.reshape(-1) * 65535).astype(int)
    body = (b"mft2" + bytes(4) + bytes([3, 3, n, 0]) + identity + struct.pack(">2H", 2, 2) + ramp * 3
            + struct.pack(f">{levels.size}H", *levels) + ramp * 3)
    return _profile(body)


def mab_link(grid: np.ndarray, gamma: float = 1.0) -> bytes:
    """A curves (`para` gamma when gamma != 1, else identity `curv`), the CLUT, nothing else."""
    n = grid.shape[0]
    if gamma == 1.0:
        curve = b"curv" + bytes(4) + struct.pack(">I", 0)
    else:
        curve = b"para" + bytes(4) + struct.pack(">H", 0) + bytes(2) + struct.pack(">i", round(gamma * 65536))
    curves = curve * 3
    levels = np.round(grid.reshape(-1) * 65535).astype(int)
    clut = bytes([n, n, n]) + bytes(13) + bytes([2]) + bytes(3) + struct.pack(f">{levels.size}H", *levels)
    a_at = 32
    clut_at = a_at + len(curves)
    header = b"mAB " + bytes(4) + bytes([3, 3, 0, 0]) + struct.pack(">5I", 0, 0, 0, clut_at, a_at)
    return _profile(header + curves + clut)


def swap_grid(n: int = 3) -> np.ndarray:
    """Red and blue exchanged."""
    axis = np.linspace(0, 1, n)
    r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
    return np.stack([b, g, r], axis=-1)
