"""Blend mode names in OpenRaster (svg:/krita: composite ops), mapped to Veil's BlendMode."""

from __future__ import annotations

from editor.core import BlendMode

_ORA_WRITE = {mode: f"svg:{mode.value}" for mode in BlendMode} | {BlendMode.NORMAL: "svg:src-over", BlendMode.ADD: "svg:plus"}

_ORA_READ: dict[str, BlendMode] = {op: mode for mode, op in _ORA_WRITE.items()} | {
    # Krita writes its own operation ids where OpenRaster has no name.
    "krita:normal": BlendMode.NORMAL, "krita:multiply": BlendMode.MULTIPLY, "krita:screen": BlendMode.SCREEN,
    "krita:overlay": BlendMode.OVERLAY, "krita:darken": BlendMode.DARKEN, "krita:lighten": BlendMode.LIGHTEN,
    "krita:dodge": BlendMode.COLOR_DODGE, "krita:burn": BlendMode.COLOR_BURN,
    "krita:hard_light": BlendMode.HARD_LIGHT, "krita:soft_light_svg": BlendMode.SOFT_LIGHT,
    "krita:soft_light": BlendMode.SOFT_LIGHT, "krita:diff": BlendMode.DIFFERENCE,
    "krita:exclusion": BlendMode.EXCLUSION, "krita:hue": BlendMode.HUE, "krita:saturation": BlendMode.SATURATION,
    "krita:color": BlendMode.COLOR, "krita:luminize": BlendMode.LUMINOSITY, "krita:add": BlendMode.ADD,
    "krita:linear_dodge": BlendMode.ADD, "svg:add": BlendMode.ADD,
}


def ora_op(mode: BlendMode) -> str:
    return _ORA_WRITE[mode]


def blend_from_ora(op: str) -> BlendMode | None:
    """The Veil mode for a composite-op, or None when Veil has no such mode."""
    return _ORA_READ.get(op.strip().lower())
