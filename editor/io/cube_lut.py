"""3D LUT files in Adobe's .cube format (the Cube LUT Specification 1.0), read into the
Color Lookup adjustment's table: `LUT_3D_SIZE n`, optional `DOMAIN_MIN`/`DOMAIN_MAX`, then
n**3 lines of "r g b" with red changing fastest. The table is resampled to `size` points a
side (trilinear), so a 64-point cube stays a small setting."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .icc_link import clut


def read_cube(path: str | Path, size: int = 17) -> dict:
    """{"size": size, "rgb": levels, r slowest}; ValueError naming what is wrong."""
    n = 0
    lo, hi = np.zeros(3), np.ones(3)
    rows: list[list[float]] = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        words = line.split("#", 1)[0].split()
        if not words or words[0] == "TITLE":
            continue
        if words[0] == "LUT_3D_SIZE":
            n = int(words[1])
        elif words[0] == "DOMAIN_MIN":
            lo = np.array([float(v) for v in words[1:4]])
        elif words[0] == "DOMAIN_MAX":
            hi = np.array([float(v) for v in words[1:4]])
        elif words[0] == "LUT_1D_SIZE":
            raise ValueError("a 1D .cube LUT; Color Lookup needs a 3D one")
        elif words[0][0] in "-.0123456789":
            rows.append([float(v) for v in words[:3]])
    if n < 2 or len(rows) != n ** 3:
        raise ValueError(f"a .cube of size {n} needs {n ** 3} entries, it has {len(rows)}")
    grid = (np.array(rows).reshape(n, n, n, 3) - lo) / np.maximum(hi - lo, 1e-9)
    grid = grid.transpose(2, 1, 0, 3)  # the file's red runs fastest: index it [r, g, b]
    axis = np.linspace(0, 1, size)
    r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
    out = clut(grid, [n, n, n], np.stack([r.ravel(), g.ravel(), b.ravel()], axis=1))
    levels = np.clip(np.floor(out * 255 + 0.5), 0, 255).astype(int)
    return {"size": size, "rgb": levels.reshape(-1).tolist()}
