"""Icons: Material Design Icons through qtawesome, tinted for the dark theme."""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtGui import QIcon

ICON_COLOR = "#d4d4d4"
ICON_ACTIVE = "#ffffff"
ICON_DISABLED = "#6a6a6a"


@cache
def icon(name: str, color: str = ICON_COLOR) -> QIcon:
    """An mdi6 icon by name, e.g. icon("eye")."""
    return qta.icon(f"mdi6.{name}", color=color, color_active=ICON_ACTIVE, color_disabled=ICON_DISABLED)
