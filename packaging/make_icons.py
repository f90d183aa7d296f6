"""Render the application icon into the hicolor theme sizes desktops ask for (16 to 512 px).

The design is the one of resources/icons/veil.png, the window icon: a blue rounded tile with
Material Design's "layers-outline" glyph (through qtawesome). Drawing it at every size, rather
than scaling one bitmap, keeps the small sizes sharp. The PNGs are committed, so a build needs
no renderer; run from the repository root after changing the design:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import qtawesome as qta
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "packaging" / "icons" / "hicolor"
APP_ID = "io.github.veil_editor.Veil"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
TOP_LEFT, BOTTOM_RIGHT = QColor(64, 130, 204), QColor(40, 52, 92)


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = size / 32
    tile = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    gradient = QLinearGradient(QPointF(tile.left(), tile.top()), QPointF(tile.right(), tile.bottom()))
    gradient.setColorAt(0, TOP_LEFT)
    gradient.setColorAt(1, BOTTOM_RIGHT)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    radius = size * 0.19
    painter.drawRoundedRect(tile, radius, radius)
    glyph = round(size * 0.66)
    offset = (size - glyph) // 2
    painter.drawPixmap(offset, offset, qta.icon("mdi6.layers-outline", color="white").pixmap(glyph, glyph))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts need one
    for size in SIZES:
        target = THEME / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(target)):
            print(f"cannot write {target}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
