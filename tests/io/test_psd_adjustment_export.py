"""Adjustment layers written to PSD as Photoshop's adjustment layers: each of the fifteen comes
back from the file (through psd-tools, as Photoshop's own files are read) as the same live
adjustment with its settings, mask, opacity, mode and clipping, and renders as before. Filters,
which Photoshop has no layer for, are rendered into pixel layers and named."""

from __future__ import annotations

import io

import numpy as np
import pytest
from psd_tools import PSDImage

from editor.core import Adjustment, BlendMode, Document, Group, Layer, Mask
from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.io.psd_write import write_psd
from editor.render import adjustments as A
from editor.render import flatten_rgba

SETTINGS = {
    "levels": {"master": {"in_black": 12, "in_white": 230, "gamma": 1.35, "out_black": 5, "out_white": 250},
               "red": {"in_black": 0, "in_white": 240, "gamma": 0.8, "out_black": 0, "out_white": 255}},
    "curves": {"master": [[0, 0], [70, 110], [190, 200], [255, 255]], "blue": [[0, 20], [255, 230]]},
    "hue_saturation": {"master": {"hue": 25, "saturation": -30, "lightness": 10},
                       "greens": {"hue": -40, "saturation": 50, "lightness": 0, "range": [75, 105, 135, 165]},
                       "colorize": {"on": False, "hue": 200, "saturation": 40, "lightness": 0}},
    "brightness_contrast": {"brightness": 40, "contrast": -20, "legacy": False},
    "exposure": {"exposure": 0.75, "offset": -0.02, "gamma": 1.2},
    "vibrance": {"vibrance": 45, "saturation": -10},
    "color_balance": {"shadows": [10, -5, 0], "midtones": [-20, 0, 30], "highlights": [0, 15, -10],
                      "preserve_luminosity": True},
    "black_white": {"reds": 55, "yellows": 70, "greens": 30, "cyans": 65, "blues": 10, "magentas": 90,
                    "tint": True, "tint_color": [220, 200, 160]},
    "invert": {},
    "posterize": {"levels": 6},
    "threshold": {"level": 140},
    "gradient_map": {"gradient": [[0.0, 20, 0, 60], [0.375, 200, 40, 40], [1.0, 255, 240, 200]], "reverse": True},
    "channel_mixer": {"red": {"red": 80, "green": 30, "blue": -10, "constant": 5},
                      "green": {"red": 0, "green": 120, "blue": 0, "constant": -20},
                      "blue": {"red": 10, "green": -50, "blue": 140, "constant": 0}},
    "channel_mixer_mono": {"monochrome": True, "gray": {"red": 30, "green": 60, "blue": 10, "constant": 3}},
    "selective_color": {"method": "absolute", "reds": {"cyan": -30, "magenta": 20, "yellow": 5, "black": 0},
                        "yellows": {"cyan": 0, "magenta": 0, "yellow": 0, "black": 0},
                        "greens": {"cyan": 0, "magenta": 0, "yellow": 0, "black": 0},
                        "cyans": {"cyan": 0, "magenta": 0, "yellow": 0, "black": 0},
                        "blues": {"cyan": 40, "magenta": -10, "yellow": 0, "black": 15},
                        "magentas": {"cyan": 0, "magenta": 0, "yellow": 0, "black": 0},
                        "whites": {"cyan": 0, "magenta": 0, "yellow": 0, "black": 0},
                        "neutrals": {"cyan": 0, "magenta": 10, "yellow": -20, "black": 0},
                        "blacks": {"cyan": 0, "magenta": 0, "yellow": 0, "black": -25}},
    "photo_filter": {"color": [0, 120, 255], "density": 55, "preserve_luminosity": False},
}


def _photo(h: int = 24, w: int = 32) -> np.ndarray:
    px = np.random.default_rng(7).integers(0, 256, (h, w, 4), dtype=np.uint8)
    px[..., 3] = 255
    return px


def _round_trip(doc: Document) -> tuple[Document, PSDImage]:
    buf = io.BytesIO()
    write_psd(doc, buf)
    data = buf.getvalue()
    return read_psd(data, "export.psd", DEFAULT_LIMITS), PSDImage.open(io.BytesIO(data))


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_adjustment_comes_back_live_with_its_settings(name):
    doc = Document(32, 24)
    doc.root.insert(0, Layer("photo", _photo()))
    mask = np.random.default_rng(1).integers(0, 256, (24, 32), dtype=np.uint8)
    kind = name.removesuffix("_mono")
    doc.root.insert(1, Adjustment(name, kind, SETTINGS[name], mask=Mask(mask), opacity=0.7,
                                  blend_mode=BlendMode.MULTIPLY))
    back, psd = _round_trip(doc)
    assert back.warnings == []
    assert psd[1].kind not in ("pixel", "type", "shape", "group")  # an adjustment layer, as psd-tools reads it
    node = back.root.children[1]
    assert isinstance(node, Adjustment) and node.adjustment == kind
    assert A.params_of(node) == A.params_of(doc.root.children[1])
    assert node.opacity == pytest.approx(0.7, abs=1 / 255) and node.blend_mode is BlendMode.MULTIPLY
    assert np.array_equal(node.mask.data, mask)
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc)).max() <= 2


def test_clipped_and_grouped_adjustments_keep_their_place():
    doc = Document(32, 24)
    photo = _photo()
    doc.root.insert(0, Layer("photo", photo))
    top = photo.copy()
    top[:, :12, 3] = 0
    doc.root.insert(1, Group("group", [Layer("top", top), Adjustment("Invert", "invert", clipped=True)]))
    doc.root.insert(2, Adjustment("Posterize", "posterize", {"levels": 3}, visible=False))
    back, _ = _round_trip(doc)
    group = back.root.children[1]
    invert = group.children[1]
    assert invert.adjustment == "invert" and invert.clipped
    assert back.root.children[2].adjustment == "posterize" and not back.root.children[2].visible
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc)).max() <= 1


def test_filters_are_rendered_into_pixel_layers():
    doc = Document(32, 24)
    doc.root.insert(0, Layer("photo", _photo()))
    doc.root.insert(1, Adjustment("Blur", "gaussian_blur", {"radius": 2.0}))
    back, psd = _round_trip(doc)
    assert psd[1].kind == "pixel"
    assert isinstance(back.root.children[1], Layer) and back.root.children[1].name == "Blur"
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc)).max() <= 1


def test_gradient_map_midpoints_are_kept_as_a_stop():
    """A Photoshop gradient stop's midpoint (not 50 %) moves where the two colours meet half way."""
    from psd_tools.constants import Tag
    from psd_tools.psd.adjustments import ColorStop

    from editor.io import psd_adjust

    node = Adjustment("Map", "gradient_map", {"gradient": [[0.0, 0, 0, 0], [1.0, 255, 255, 255]]})
    (tag, block), = psd_adjust.adjustment_blocks(node)
    assert tag is Tag.GRADIENT_MAP
    block.color_stops = [ColorStop(0, 25, 0, (0, 0, 0, 0)), ColorStop(4096, 50, 0, (65535, 65535, 65535, 0))]

    class Item:
        color_stops, reversed = block.color_stops, 0

    params = psd_adjust.READERS["GradientMap"][1](Item())
    assert params["gradient"] == [[0.0, 0, 0, 0], [0.25, 128, 128, 128], [1.0, 255, 255, 255]]
