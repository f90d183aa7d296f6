"""Color Lookup, as Photoshop's (its PSD `clrL` block): a 3D table from RGB to RGB, the
picture's colours looked up in it with trilinear interpolation between the table's grid
points. Photoshop keeps the table as an ICC device link inside the layer; editor/io reads it
into `table` (`size` grid points a side, levels r slowest, then g, then b). The default is
the identity, two points a side.
"""

from __future__ import annotations

import numpy as np

from ._jit import njit
from .base import Param, Spec
from .planes import PlanesKernel, kernel_arrays, to_level

IDENTITY = {"size": 2, "rgb": [v for r in (0, 255) for g in (0, 255) for b in (0, 255) for v in (r, g, b)]}


@njit(inline="always", fastmath=True)
def _cell(v, n):
    """The grid cell (lower index) and the fraction into it of an 8-bit level."""
    pos = v * (n - 1) / 255.0
    i = min(int(pos), n - 2)
    return i, pos - i


@njit(fastmath=True)
def color_lookup_planes(planes, n, p):
    """p: the grid size, then its size**3 * 3 levels (see the module)."""
    R, G, B = planes[0], planes[1], planes[2]
    size = int(p[0])
    for x in range(n):
        ri, rf = _cell(R[x], size)
        gi, gf = _cell(G[x], size)
        bi, bf = _cell(B[x], size)
        out0 = out1 = out2 = 0.0
        for corner in range(8):
            dr, dg, db = (corner >> 2) & 1, (corner >> 1) & 1, corner & 1
            w = (rf if dr else 1.0 - rf) * (gf if dg else 1.0 - gf) * (bf if db else 1.0 - bf)
            at = 1 + (((ri + dr) * size + gi + dg) * size + bi + db) * 3
            out0 += w * p[at]
            out1 += w * p[at + 1]
            out2 += w * p[at + 2]
        R[x], G[x], B[x] = to_level(out0), to_level(out1), to_level(out2)


def _planes_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    color_lookup_planes(planes, n, params)


KERNEL = PlanesKernel(color_lookup_planes, _planes_c)


def pack(params: dict) -> np.ndarray:
    table = params["table"]
    return np.array([table["size"], *table["rgb"]], np.float64)


SPEC = Spec("color_lookup", "Color Lookup", (
    Param("table", "lut3d", IDENTITY, label="Lookup table"),
), kernel=KERNEL, pack=pack)
