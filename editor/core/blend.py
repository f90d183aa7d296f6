"""Blend modes: the W3C Compositing and Blending Level 1 set plus Photoshop's own modes.

Photoshop's definitions (straight colours in 0..1, Cb backdrop, Cs source):
linear burn max(0, Cb + Cs - 1); linear light Cb + 2Cs - 256/255 clamped (Photoshop's d + 2s - 256); vivid light colour burn
by 2Cs below half and colour dodge by 2Cs - 1 above it, without the backdrop's special cases
(Cs = 0 gives 0, Cs = 1 gives 1); pin light darken by 2Cs below half, lighten by 2Cs - 1 above;
hard mix 1 where Cb + Cs > 1 (on exactly 1, where Cb > 1/2), else 0; subtract max(0, Cb - Cs);
divide min(1, Cb / Cs) (white where Cs = 0 < Cb); darker / lighter colour: the whole pixel of
lower / higher luminosity, 0.3/0.59/0.11 of the 8-bit levels rounded to a level (a tie keeps
the backdrop); dissolve: normal, with each pixel fully opaque where a noise value
keyed by its document position is below its alpha, and transparent elsewhere.
"""

from __future__ import annotations

from enum import StrEnum


class BlendMode(StrEnum):
    NORMAL = "normal"
    MULTIPLY = "multiply"
    SCREEN = "screen"
    OVERLAY = "overlay"
    DARKEN = "darken"
    LIGHTEN = "lighten"
    COLOR_DODGE = "color-dodge"
    COLOR_BURN = "color-burn"
    HARD_LIGHT = "hard-light"
    SOFT_LIGHT = "soft-light"
    DIFFERENCE = "difference"
    EXCLUSION = "exclusion"
    HUE = "hue"
    SATURATION = "saturation"
    COLOR = "color"
    LUMINOSITY = "luminosity"
    ADD = "add"  # linear dodge
    DISSOLVE = "dissolve"
    LINEAR_BURN = "linear-burn"
    LINEAR_LIGHT = "linear-light"
    VIVID_LIGHT = "vivid-light"
    PIN_LIGHT = "pin-light"
    HARD_MIX = "hard-mix"
    SUBTRACT = "subtract"
    DIVIDE = "divide"
    DARKER_COLOR = "darker-color"
    LIGHTER_COLOR = "lighter-color"

    @property
    def label(self) -> str:
        return "Linear dodge (add)" if self is BlendMode.ADD else self.value.replace("-", " ").capitalize()

    @property
    def separable(self) -> bool:
        return self not in NON_SEPARABLE


# Photoshop's eight modes where a layer's Fill is not a second opacity: Fill fades the blend
# (see editor.render.blendmath.special_fill) while opacity and coverage weigh the result.
SPECIAL_FILL = frozenset({BlendMode.COLOR_BURN, BlendMode.LINEAR_BURN, BlendMode.COLOR_DODGE, BlendMode.ADD,
                          BlendMode.VIVID_LIGHT, BlendMode.LINEAR_LIGHT, BlendMode.HARD_MIX, BlendMode.DIFFERENCE})

NON_SEPARABLE = frozenset({BlendMode.HUE, BlendMode.SATURATION, BlendMode.COLOR, BlendMode.LUMINOSITY,
                           BlendMode.DARKER_COLOR, BlendMode.LIGHTER_COLOR})

# The modes as Photoshop's menu groups them (normal, darken, lighten, contrast, inversion, component).
MENU_GROUPS: tuple[tuple[BlendMode, ...], ...] = (
    (BlendMode.NORMAL, BlendMode.DISSOLVE),
    (BlendMode.DARKEN, BlendMode.MULTIPLY, BlendMode.COLOR_BURN, BlendMode.LINEAR_BURN, BlendMode.DARKER_COLOR),
    (BlendMode.LIGHTEN, BlendMode.SCREEN, BlendMode.COLOR_DODGE, BlendMode.ADD, BlendMode.LIGHTER_COLOR),
    (BlendMode.OVERLAY, BlendMode.SOFT_LIGHT, BlendMode.HARD_LIGHT, BlendMode.VIVID_LIGHT, BlendMode.LINEAR_LIGHT,
     BlendMode.PIN_LIGHT, BlendMode.HARD_MIX),
    (BlendMode.DIFFERENCE, BlendMode.EXCLUSION, BlendMode.SUBTRACT, BlendMode.DIVIDE),
    (BlendMode.HUE, BlendMode.SATURATION, BlendMode.COLOR, BlendMode.LUMINOSITY),
)


def dissolve_noise(x, y):
    """The dissolve threshold of document pixel (x, y), in [0, 1): an integer hash of the
    position (works on ints or integer numpy arrays), so a render of any rectangle agrees with
    the full render and the pattern stays put while the layer above or below changes."""
    mask = 0xFFFFFFFF
    v = _mix32((y * 0x9E3779B1 + 0x7F4A7C15) & mask)
    v = _mix32((v ^ (x & mask)) & mask)
    return (v >> 8) * (1.0 / (1 << 24))


def _mix32(v):
    # Chris Wellons' lowbias32 integer hash.
    mask = 0xFFFFFFFF
    v ^= v >> 16
    v = (v * 0x7FEB352D) & mask
    v ^= v >> 15
    v = (v * 0x846CA68B) & mask
    v ^= v >> 16
    return v
