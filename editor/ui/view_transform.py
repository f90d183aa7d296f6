"""Zoom and pan of the canvas: document <-> widget coordinates, no Qt widgets."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF

# Photoshop-like zoom stops.
ZOOM_STOPS = (
    0.01, 0.02, 0.03, 0.05, 1 / 12, 0.125, 1 / 6, 0.25, 1 / 3, 0.5, 2 / 3,
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0,
)
MIN_ZOOM, MAX_ZOOM = ZOOM_STOPS[0], ZOOM_STOPS[-1]


class ViewTransform:
    """widget = doc * scale + origin (logical widget pixels)."""

    def __init__(self) -> None:
        self.scale = 1.0
        self.origin = QPointF(0.0, 0.0)

    def to_widget(self, p: QPointF) -> QPointF:
        return QPointF(p.x() * self.scale + self.origin.x(), p.y() * self.scale + self.origin.y())

    def to_doc(self, p: QPointF) -> QPointF:
        return QPointF((p.x() - self.origin.x()) / self.scale, (p.y() - self.origin.y()) / self.scale)

    def rect_to_widget(self, r: QRectF) -> QRectF:
        return QRectF(self.to_widget(r.topLeft()), self.to_widget(r.bottomRight()))

    def rect_to_doc(self, r: QRectF) -> QRectF:
        return QRectF(self.to_doc(r.topLeft()), self.to_doc(r.bottomRight()))

    def zoom_at(self, widget_pos: QPointF, scale: float) -> None:
        """Change the scale keeping the document point under `widget_pos` still."""
        scale = min(MAX_ZOOM, max(MIN_ZOOM, scale))
        anchor = self.to_doc(widget_pos)
        self.scale = scale
        self.origin = QPointF(widget_pos.x() - anchor.x() * scale, widget_pos.y() - anchor.y() * scale)

    def pan(self, dx: float, dy: float) -> None:
        self.origin = QPointF(self.origin.x() + dx, self.origin.y() + dy)

    def fit(self, doc_w: int, doc_h: int, view_w: float, view_h: float, margin: float = 24.0) -> None:
        avail_w, avail_h = max(1.0, view_w - 2 * margin), max(1.0, view_h - 2 * margin)
        self.scale = min(MAX_ZOOM, max(MIN_ZOOM, min(avail_w / doc_w, avail_h / doc_h)))
        self.center(doc_w, doc_h, view_w, view_h)

    def center(self, doc_w: int, doc_h: int, view_w: float, view_h: float) -> None:
        self.origin = QPointF((view_w - doc_w * self.scale) / 2, (view_h - doc_h * self.scale) / 2)


def next_zoom(scale: float, direction: int) -> float:
    """The next zoom stop above (direction > 0) or below the current scale."""
    if direction > 0:
        return next((z for z in ZOOM_STOPS if z > scale * 1.0001), MAX_ZOOM)
    return next((z for z in reversed(ZOOM_STOPS) if z < scale / 1.0001), MIN_ZOOM)


def wheel_zoom(scale: float, angle_delta_y: int) -> float:
    """Smooth zoom for Ctrl+wheel: one notch (120) is a factor of 2^(1/4)."""
    return scale * math.pow(2.0, angle_delta_y / 120.0 / 4.0)
