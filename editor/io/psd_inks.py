"""Adjustment layers of CMYK documents, evaluated on the inks as Photoshop evaluates them.

Veil converts a CMYK file's pixels to sRGB as it reads them, but Photoshop runs Levels,
Curves, Invert, Posterize, Brightness/Contrast and Exposure on the four ink channels
(SethRobinson/Patchy docs/adjustments-calibration.md, "Adjustment layers of CMYK documents":
the same Levels run on RGB matched 28 % of Photoshop's pixels, on the inks 99.9 %). So such
a layer becomes a Color Lookup: a 3D table that takes each sRGB grid colour to inks through the
document's profile, maps every ink through the adjustment's own per-channel table and comes
back to sRGB. Ink values are the stored ones (0 is full ink), the domain Photoshop's CMYK
tables read; cyan, magenta and yellow take the records an RGB document calls red, green and
blue, black the composite alone (Veil reads no black record). Without a profile the inks are
Pillow's plain conversion, as the pixels were.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageCms

from editor.core import Adjustment
from editor.render import adjustments

INK_KINDS = ("levels", "curves", "invert", "posterize", "brightness_contrast", "exposure")
GRID = 33  # grid points a side, Patchy's sRGB-to-inks sampling


def _tables(kind: str, params: dict) -> np.ndarray:
    """(4, 256) uint8: the adjustment's table for C, M, Y, then K, on stored ink values."""
    spec = adjustments.spec(kind)
    values = spec.normalise(params)
    rgb = spec.lut(values)
    if kind in ("levels", "curves"):  # black takes the composite record only
        black = spec.lut({**values, **{c: spec.param(c).default_value() for c in ("red", "green", "blue")}})[0]
    else:
        black = rgb[0]
    return np.vstack([rgb, black[None]])


def _transforms(icc: bytes | None):
    if icc is None:
        return None
    ink = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    srgb = ImageCms.createProfile("sRGB")
    return (ImageCms.buildTransform(srgb, ink, "RGB", "CMYK"),
            ImageCms.buildTransform(ink, srgb, "CMYK", "RGB"))


def ink_table(kind: str, params: dict, icc: bytes | None) -> np.ndarray:
    """(GRID, GRID, GRID, 3) uint8 sRGB, indexed [r, g, b]: the adjustment on the inks."""
    levels = np.round(np.linspace(0, 255, GRID)).astype(np.uint8)
    r, g, b = np.meshgrid(levels, levels, levels, indexing="ij")
    grid = Image.fromarray(np.stack([r, g, b], -1).reshape(GRID * GRID, GRID, 3), "RGB")
    transforms = _transforms(icc)
    cmyk = ImageCms.applyTransform(grid, transforms[0]) if transforms else grid.convert("CMYK")
    inks = np.asarray(cmyk, np.uint8).copy()  # Pillow's CMYK: 255 is full ink
    tables = _tables(kind, params)
    for k in range(4):
        inks[..., k] = 255 - tables[k][255 - inks[..., k]]
    adjusted = Image.fromarray(inks, "CMYK")
    out = ImageCms.applyTransform(adjusted, transforms[1]) if transforms else adjusted.convert("RGB")
    return np.asarray(out, np.uint8).reshape(GRID, GRID, GRID, 3)


def on_inks(adjustment: Adjustment, icc: bytes | None) -> Adjustment:
    """`adjustment` (one of INK_KINDS, read from a CMYK document) as the Color Lookup that
    gives its effect on the inks."""
    table = ink_table(adjustment.adjustment, adjustment.params, icc)
    return Adjustment(adjustment.name, "color_lookup", {"table": {"size": GRID, "rgb": table.reshape(-1).tolist()}})
