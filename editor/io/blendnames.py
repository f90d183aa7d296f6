"""Blend mode names in OpenRaster (svg:/krita: composite ops), mapped to Veil's BlendMode."""

from __future__ import annotations

from editor.core import BlendMode

# Photoshop's modes outside OpenRaster's svg: set: the nearest svg: op, which readers that do not
# know Veil's exact veil:blend attribute show instead.
FALLBACK = {
    BlendMode.DISSOLVE: BlendMode.NORMAL, BlendMode.LINEAR_BURN: BlendMode.MULTIPLY,
    BlendMode.LINEAR_LIGHT: BlendMode.HARD_LIGHT, BlendMode.VIVID_LIGHT: BlendMode.HARD_LIGHT,
    BlendMode.PIN_LIGHT: BlendMode.HARD_LIGHT, BlendMode.HARD_MIX: BlendMode.HARD_LIGHT,
    BlendMode.SUBTRACT: BlendMode.DIFFERENCE, BlendMode.DIVIDE: BlendMode.COLOR_DODGE,
    BlendMode.DARKER_COLOR: BlendMode.DARKEN, BlendMode.LIGHTER_COLOR: BlendMode.LIGHTEN,
}

_SVG = {mode: f"svg:{mode.value}" for mode in BlendMode if mode not in FALLBACK} | {
    BlendMode.NORMAL: "svg:src-over", BlendMode.ADD: "svg:plus"}
_ORA_WRITE = _SVG | {mode: _SVG[near] for mode, near in FALLBACK.items()}

_ORA_READ: dict[str, BlendMode] = {op: mode for mode, op in _SVG.items()} | {
    # Krita writes its own operation ids where OpenRaster has no name.
    "krita:normal": BlendMode.NORMAL, "krita:multiply": BlendMode.MULTIPLY, "krita:screen": BlendMode.SCREEN,
    "krita:overlay": BlendMode.OVERLAY, "krita:darken": BlendMode.DARKEN, "krita:lighten": BlendMode.LIGHTEN,
    "krita:dodge": BlendMode.COLOR_DODGE, "krita:burn": BlendMode.COLOR_BURN,
    "krita:hard_light": BlendMode.HARD_LIGHT, "krita:soft_light_svg": BlendMode.SOFT_LIGHT,
    "krita:soft_light": BlendMode.SOFT_LIGHT, "krita:diff": BlendMode.DIFFERENCE,
    "krita:exclusion": BlendMode.EXCLUSION, "krita:hue": BlendMode.HUE, "krita:saturation": BlendMode.SATURATION,
    "krita:color": BlendMode.COLOR, "krita:luminize": BlendMode.LUMINOSITY, "krita:add": BlendMode.ADD,
    "krita:linear_dodge": BlendMode.ADD, "svg:add": BlendMode.ADD,
    "krita:dissolve": BlendMode.DISSOLVE, "krita:linear_burn": BlendMode.LINEAR_BURN,
    "krita:linear light": BlendMode.LINEAR_LIGHT, "krita:linear_light": BlendMode.LINEAR_LIGHT,
    "krita:vivid_light": BlendMode.VIVID_LIGHT, "krita:vivid light": BlendMode.VIVID_LIGHT,
    "krita:pin_light": BlendMode.PIN_LIGHT, "krita:pin light": BlendMode.PIN_LIGHT,
    "krita:hard_mix_photoshop": BlendMode.HARD_MIX, "krita:hard mix": BlendMode.HARD_MIX,
    "krita:subtract": BlendMode.SUBTRACT, "krita:divide": BlendMode.DIVIDE,
    "krita:darker color": BlendMode.DARKER_COLOR, "krita:darker_color": BlendMode.DARKER_COLOR,
    "krita:lighter color": BlendMode.LIGHTER_COLOR, "krita:lighter_color": BlendMode.LIGHTER_COLOR,
}


def ora_op(mode: BlendMode) -> str:
    """The composite-op written for `mode` (the nearest svg: op for Photoshop's own modes)."""
    return _ORA_WRITE[mode]


def blend_from_ora(op: str) -> BlendMode | None:
    """The Veil mode for a composite-op, or None when Veil has no such mode."""
    return _ORA_READ.get(op.strip().lower())


# Krita's own composite-op ids (maindoc.xml's compositeop), with whether Veil's mode is the same
# formula; Krita's "soft_light" is Photoshop's soft light and its "hard mix" its own, so they are
# shown as Veil's nearest with a warning.
_KRITA_NEAREST = {"soft_light": BlendMode.SOFT_LIGHT, "hard mix": BlendMode.HARD_MIX,
                  "soft_light_pegtop_delphi": BlendMode.SOFT_LIGHT, "soft_light_ifs_illusions": BlendMode.SOFT_LIGHT,
                  "hard_mix_softer_photoshop": BlendMode.HARD_MIX, "plus": BlendMode.ADD,
                  "hue_hsl": BlendMode.HUE, "saturation_hsl": BlendMode.SATURATION, "color_hsl": BlendMode.COLOR,
                  "lightness": BlendMode.LUMINOSITY, "hue_hsv": BlendMode.HUE, "saturation_hsv": BlendMode.SATURATION,
                  "color_hsv": BlendMode.COLOR, "value": BlendMode.LUMINOSITY}
_KRITA: dict[str, BlendMode] = {op[len("krita:"):]: mode for op, mode in _ORA_READ.items()
                                if op.startswith("krita:") and op[len("krita:"):] not in _KRITA_NEAREST} | {
    "normal": BlendMode.NORMAL, "destination-in": BlendMode.NORMAL, "linear_dodge": BlendMode.ADD,
    "hard_mix_photoshop": BlendMode.HARD_MIX, "soft_light_svg": BlendMode.SOFT_LIGHT,
}


def blend_from_krita(op: str) -> tuple[BlendMode | None, bool]:
    """The Veil mode for a Krita compositeop id and whether it is the same formula
    ((None, False) when Veil has nothing near it). A destination-in layer is the caller's to fold."""
    op = op.strip().lower()
    if op in _KRITA:
        return _KRITA[op], True
    return _KRITA_NEAREST.get(op), False
