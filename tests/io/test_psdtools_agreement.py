"""Adjustment layers against psd-tools' own compositor, an independent implementation whose
models were fitted to Photoshop's renders: a PSD Veil writes, composited by psd-tools, matches
Veil's render within two levels for the settings where both claim Photoshop's formula (one
for rounding; psd-tools reads its tables at floor(v * 255) of a float32 v, which can drop an
input level, and a curve's slope can double that).

psd-tools' own tests hold these models to Photoshop's merged images (Threshold exactly; Levels,
Curves, Exposure, Hue/Saturation's saturation, lightness and Colorize closely; its colour
ranges loosely). Not compared: Brightness/Contrast (psd-tools skips the legacy form, and its
fit of the current one parts from the curve SethRobinson/Patchy recovered from Photoshop's
ramps, which Veil follows, by up to 37 levels at strong settings); a raise of a
colour range's saturation where two ranges overlap (psd-tools combines them by a fitted
table); the kinds psd-tools does not render."""

from __future__ import annotations

import io

import numpy as np
import pytest
from psd_tools import PSDImage

from editor.core import Adjustment, BlendMode, Document, Group, Layer, Mask
from editor.io.errors import DEFAULT_LIMITS
from editor.io.psd import read_psd
from editor.io.psd_write import write_psd
from editor.render import flatten_rgba

CASES = {
    "levels": {"master": {"in_black": 12, "in_white": 230, "gamma": 1.35, "out_black": 5, "out_white": 250}},
    "curves": {"master": [[0, 0], [70, 90], [190, 200], [255, 255]], "blue": [[0, 20], [255, 230]]},
    "invert": {},
    "posterize": {"levels": 5},
    "exposure": {"exposure": 0.0, "offset": 0.0, "gamma": 1.6},
    "exposure+": {"exposure": 1.0, "offset": 0.0, "gamma": 1.0},
    "exposure-": {"exposure": -1.5, "offset": -0.05, "gamma": 1.0},
    "exposure~": {"exposure": 0.7, "offset": 0.03, "gamma": 0.8},
    "threshold": {"level": 128},
    "threshold-": {"level": 40},
    "threshold+": {"level": 200},
    "hue_saturation~": {"master": {"hue": -120, "saturation": -40, "lightness": 20}},
    "hue_saturation=": {"colorize": {"on": True, "hue": 30, "saturation": 80, "lightness": -30}},
    "hue_saturation%": {"colorize": {"on": True, "hue": 100, "saturation": 25, "lightness": 40}},
    "hue_saturation^": {"reds": {"hue": 30, "saturation": 0, "lightness": 0, "range": [315, 345, 15, 45]}},
    "hue_saturation_": {"blues": {"hue": 0, "saturation": -60, "lightness": 0, "range": [195, 225, 255, 285]}},
    "hue_saturation#": {"greens": {"hue": 0, "saturation": 50, "lightness": 0, "range": [75, 105, 135, 165]}},
    "hue_saturation@": {"yellows": {"hue": 0, "saturation": 0, "lightness": -40, "range": [15, 45, 75, 105]}},
    "hue_saturation&": {"cyans": {"hue": -20, "saturation": 0, "lightness": 40, "range": [135, 165, 195, 225]},
                        "master": {"hue": 0, "saturation": 0, "lightness": -15}},
    "hue_saturation": {"master": {"hue": 0, "saturation": 0, "lightness": -35}},
    "hue_saturation+": {"master": {"hue": 0, "saturation": 30, "lightness": 0}},
    "hue_saturation-": {"master": {"hue": 0, "saturation": -60, "lightness": 0}},
}

# psd-tools divides by 1.01 - s where Photoshop's model divides by 1 - s (it avoids s = 1); on a range's
# feather its fit spreads a raise wider than the range's weight, where Photoshop's is linear in the weight
# (SethRobinson/Patchy docs/adjustments-calibration.md: weight 0.5 at +50 measures x 1.5).
TOLERANCE = {"hue_saturation+": 3, "hue_saturation#": 6}


def _photo(h: int = 48, w: int = 80) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    px = np.empty((h, w, 4), np.uint8)
    px[..., 0] = xx * 255 // (w - 1)
    px[..., 1] = yy * 255 // (h - 1)
    px[..., 2] = np.random.default_rng(5).integers(0, 256, (h, w))
    px[..., 3] = 255
    return px


@pytest.mark.parametrize("name", sorted(CASES))
def test_veil_renders_as_psd_tools_composites(name):
    doc = Document(80, 48)
    doc.root.insert(0, Layer("photo", _photo()))
    doc.root.insert(1, Adjustment(name, name.rstrip("+-~=%^_#@&"), CASES[name]))
    buf = io.BytesIO()
    write_psd(doc, buf)
    theirs = np.asarray(PSDImage.open(io.BytesIO(buf.getvalue())).composite(force=True).convert("RGB"), int)
    ours = flatten_rgba(doc)[..., :3].astype(int)
    assert np.abs(theirs - _photo()[..., :3]).max() > 8  # psd-tools did apply it
    assert np.abs(theirs - ours).max() <= TOLERANCE.get(name, 2)


# --- an adjustment's place in the stack --------------------------------------------------------

def _ramp_mask(w: int = 80, h: int = 48) -> Mask:
    return Mask(np.tile(np.linspace(0, 255, w).astype(np.uint8), (h, 1)))


def _cut_out(seed: int) -> np.ndarray:
    """A photo opaque on its right two thirds, transparent on the left."""
    px = np.roll(_photo(), seed * 13, axis=1)
    px[:, : 80 // 3, 3] = 0
    return px


LIFT = ("curves", {"master": [[0, 0], [90, 160], [255, 255]]})
TURN = ("hue_saturation", {"master": {"hue": 60, "saturation": 20, "lightness": 0}})


def _placed(case: str) -> Document:
    doc = Document(80, 48)
    doc.root.insert(0, Layer("photo", _photo()))
    top = Layer("cut-out", _cut_out(1))
    if case == "mask":
        doc.root.insert(1, Adjustment("a", *LIFT, mask=_ramp_mask()))
    elif case == "opacity":
        doc.root.insert(1, Adjustment("a", *LIFT, opacity=0.45))
    elif case == "multiply":
        doc.root.insert(1, Adjustment("a", *LIFT, blend_mode=BlendMode.MULTIPLY))
    elif case == "color":
        doc.root.insert(1, Adjustment("a", *TURN, blend_mode=BlendMode.COLOR))
    elif case == "clipped":
        doc.root.insert(1, top)
        doc.root.insert(2, Adjustment("a", *TURN, clipped=True, opacity=0.6, mask=_ramp_mask()))
    elif case in ("pass_through", "pass_through_opacity", "isolated"):
        group = Group("g", isolated=case == "isolated", opacity=0.55 if case == "pass_through_opacity" else 1.0)
        group.insert(0, top)
        group.insert(1, Adjustment("a", *TURN))
        doc.root.insert(1, group)
    return doc


@pytest.mark.parametrize("case", ["mask", "opacity", "multiply", "color", "clipped", "pass_through",
                                  "pass_through_opacity", "isolated"])
def test_an_adjustment_with_mask_clip_opacity_mode_or_group_renders_as_psd_tools(case):
    """The PSD Veil writes, read back by Veil and composited by psd-tools: an adjustment with a
    mask, an opacity, a mode, clipped, or inside a pass-through or isolated group (in a
    pass-through group it adjusts everything below, in an isolated one only the group)."""
    doc = _placed(case)
    buf = io.BytesIO()
    write_psd(doc, buf)
    data = buf.getvalue()
    back = read_psd(data, "placed.psd", DEFAULT_LIMITS)
    assert sum(isinstance(n, Adjustment) for n in back.nodes()) == 1 and back.warnings == []
    theirs = np.asarray(PSDImage.open(io.BytesIO(data)).composite(force=True).convert("RGB"), int)
    ours = flatten_rgba(back)[..., :3].astype(int)
    assert np.abs(ours - flatten_rgba(doc)[..., :3].astype(int)).max() <= 1  # the round trip kept it
    assert np.abs(theirs - ours).max() <= 3
