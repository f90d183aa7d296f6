"""Blend modes: the W3C Compositing and Blending Level 1 set plus linear dodge."""

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

    @property
    def label(self) -> str:
        return "Linear dodge (add)" if self is BlendMode.ADD else self.value.replace("-", " ").capitalize()

    @property
    def separable(self) -> bool:
        return self not in NON_SEPARABLE


NON_SEPARABLE = frozenset({BlendMode.HUE, BlendMode.SATURATION, BlendMode.COLOR, BlendMode.LUMINOSITY})
