"""The canvas: draws the composite from the mipmap pyramid, zooms, pans, feeds the tools.

Only what changed is repainted: a document change marks its rectangle dirty in
the pyramid and asks Qt to repaint that rectangle of the widget; a pan
repaints the view from the level nearest the zoom, never scaling the full
image. Pointer events reach the active tool in document coordinates, unless a
sampler is set (a dialog's eyedropper): then a left click samples instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QTabletEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from editor.core import Change, Document, Rect
from editor.masks.selection.outline import selection_outline
from editor.render.renderer import affected_rect

from .display import DisplaySource
from .tools.base import PointerEvent, Tool
from .view_transform import MAX_ZOOM, MIN_ZOOM, ViewTransform, next_zoom, wheel_zoom

BACKGROUND = QColor(38, 38, 40)
CHECKER_LIGHT, CHECKER_DARK = QColor(204, 204, 204), QColor(153, 153, 153)
CHECKER_CELL = 8
ANTS_INTERVAL_MS = 160


def _checker_image(width: int, height: int) -> QImage:
    """An opaque checkerboard one period larger than the view: blitting it costs far less than a pattern fill."""
    period = 2 * CHECKER_CELL
    tile = QPixmap(period, period)
    tile.fill(CHECKER_LIGHT)
    p = QPainter(tile)
    p.fillRect(0, 0, CHECKER_CELL, CHECKER_CELL, CHECKER_DARK)
    p.fillRect(CHECKER_CELL, CHECKER_CELL, CHECKER_CELL, CHECKER_CELL, CHECKER_DARK)
    p.end()
    image = QImage(width + period, height + period, QImage.Format.Format_RGB32)
    p = QPainter(image)
    p.fillRect(image.rect(), QBrush(tile))
    p.end()
    return image


def _gray_image(array: np.ndarray) -> QImage:
    array = np.ascontiguousarray(array)
    h, w = array.shape
    image = QImage(array.data, w, h, array.strides[0], QImage.Format.Format_Grayscale8)
    image._keepalive = array
    return image


def _premul_image(bgra: np.ndarray) -> QImage:
    h, w = bgra.shape[:2]
    image = QImage(bgra.data, w, h, bgra.strides[0], QImage.Format.Format_ARGB32_Premultiplied)
    image._keepalive = bgra
    return image


class Canvas(QWidget):
    zoom_changed = Signal(float)
    cursor_moved = Signal(object)  # QPointF in document coordinates, or None when outside
    document_replaced = Signal()  # set_document ran: whatever worked on the old document must let go

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_TabletTracking)
        self.setAcceptDrops(False)  # the main window takes file drops
        self.setMinimumSize(200, 150)
        self.view = ViewTransform()
        self.document: Document | None = None
        self.source: DisplaySource | None = None
        self.tool: Tool | None = None
        # While set, a left click calls sampler(document position, modifiers) instead of the tool.
        self.sampler: Callable[[QPointF, Qt.KeyboardModifier], None] | None = None
        self._sampler_cursor: QCursor | None = None
        self.show_mask_overlay = False  # "\": red overlay of the active mask
        self.mask_alone_node = None  # Alt+click on a mask thumbnail: that mask alone, in grayscale
        self._checker: QImage | None = None
        self._fitted = False
        self._doc_size: tuple[int, int] | None = None
        self._space_held = False
        self._panning: QPointF | None = None
        self._tablet_down = False
        self._ants_path: QPainterPath | None = None
        self._ants_phase = 0
        self.suppress_ants = False  # Transform Selection draws the outline it moves instead
        self._ants_timer = QTimer(self)
        self._ants_timer.setInterval(ANTS_INTERVAL_MS)
        self._ants_timer.timeout.connect(self._march_ants)

    # --- document -------------------------------------------------------------
    def set_document(self, doc: Document | None) -> None:
        if self.document is not None:
            self.document.events.disconnect(self._on_change)
        if self.source is not None:
            self.source.close()
        self.document = doc
        self.source = DisplaySource(doc) if doc is not None else None
        if self.source is not None:
            self.source.on_settled = self.update
        self.mask_alone_node = None
        if doc is not None:
            doc.events.connect(self._on_change)
        if self.tool is not None:
            self.tool.document_replaced()
        self._rebuild_ants()
        self._fitted = False
        self._doc_size = (doc.width, doc.height) if doc is not None else None
        if self.isVisible() and doc is not None:
            self.fit()
        self.update()
        self.document_replaced.emit()

    def _on_change(self, change: Change) -> None:
        if change.kind == "paths":  # vector paths are drawn over the image, not in it
            self.update_overlay(change.rect)
            return
        if change.kind == "selection":
            self._rebuild_ants()
        if change.kind == "document" and self.document is not None:
            self._canvas_changed()
        if change.kind in ("active", "structure") and self.mask_alone_node is not None:
            if self.document is None or self.mask_alone_node.mask is None or self.document.find(self.mask_alone_node.uid) is None:
                self.mask_alone_node = None
            self.update()
        if change.kind == "active" and self.show_mask_overlay:
            self.update()
        if change.rect is not None and change.kind != "selection":
            # What the composite may change: a feathered mask's edit spreads by the feather,
            # a blur layer above spreads it further (the same rect the pyramid re-renders).
            affected = affected_rect(self.document, change) if self.document is not None else None
            self.update_doc_rect(change.rect if affected is None else affected.union(change.rect))

    def _canvas_changed(self) -> None:
        """The canvas was cropped, resized, rotated: fit the new size on screen (Photoshop re-fits too)."""
        assert self.document is not None
        size = (self.document.width, self.document.height)
        if size != self._doc_size:
            self._doc_size = size
            if self.isVisible():
                self.fit()
            else:
                self._fitted = False
        self.update()

    def settle(self) -> None:
        """A drag of a setting ended: the full-resolution render replaces its preview now."""
        if self.source is not None:
            self.source.settle()

    def update_doc_rect(self, rect: Rect | QRectF) -> None:
        """Re-render a document rectangle and repaint it (pixels changed)."""
        if self.source is None:
            return
        r = rect if isinstance(rect, Rect) else _to_rect(rect)
        self.source.invalidate(r)
        self.update_overlay(QRectF(r.x, r.y, r.w, r.h))

    def update_overlay(self, rect: QRectF | Rect | None = None) -> None:
        """Repaint a document rectangle without re-rendering (tool outlines, ants)."""
        if rect is None:
            self.update()
            return
        if isinstance(rect, Rect):
            rect = QRectF(rect.x, rect.y, rect.w, rect.h)
        self.update(self.view.rect_to_widget(rect).toAlignedRect().adjusted(-2, -2, 2, 2))

    # --- coordinates ------------------------------------------------------------
    def doc_to_widget(self, p: QPointF) -> QPointF:
        return self.view.to_widget(p)

    def widget_to_doc(self, p: QPointF) -> QPointF:
        return self.view.to_doc(p)

    def doc_rect_to_widget(self, r: QRectF | Rect) -> QRectF:
        if isinstance(r, Rect):
            r = QRectF(r.x, r.y, r.w, r.h)
        return self.view.rect_to_widget(r)

    @property
    def zoom(self) -> float:
        return self.view.scale

    # --- zoom and pan -----------------------------------------------------------
    def _anchor(self) -> QPointF:
        pos = self.mapFromGlobal(QCursor.pos())
        if self.rect().contains(pos):
            return QPointF(pos)
        return QPointF(self.width() / 2, self.height() / 2)

    def set_zoom(self, scale: float, anchor: QPointF | None = None) -> None:
        self.view.zoom_at(anchor if anchor is not None else self._anchor(), scale)
        self._view_changed()

    def zoom_in(self) -> None:
        self.set_zoom(next_zoom(self.view.scale, +1))

    def zoom_out(self) -> None:
        self.set_zoom(next_zoom(self.view.scale, -1))

    def actual_pixels(self) -> None:
        self.set_zoom(1.0, QPointF(self.width() / 2, self.height() / 2))

    def fit(self) -> None:
        if self.document is not None:
            self.view.fit(self.document.width, self.document.height, self.width(), self.height())
            self._fitted = True
            self._view_changed()

    def zoom_to_doc_rect(self, rect: QRectF) -> None:
        """Zoom so a document rectangle fills the view, centred (the Zoom tool's drag)."""
        if rect.width() <= 0 or rect.height() <= 0:
            return
        scale = min(MAX_ZOOM, max(MIN_ZOOM, min(self.width() / rect.width(), self.height() / rect.height())))
        centre = rect.center()
        self.view.scale = scale
        self.view.origin = QPointF(self.width() / 2 - centre.x() * scale, self.height() / 2 - centre.y() * scale)
        self._view_changed()

    def pan_by(self, dx: float, dy: float) -> None:
        self.view.pan(dx, dy)
        self.update()

    def _view_changed(self) -> None:
        self.zoom_changed.emit(self.view.scale)
        self.update()

    # --- painting -----------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), BACKGROUND)
        doc = self.document
        if doc is None or self.source is None:
            p.end()
            return
        doc_widget = self.view.rect_to_widget(QRectF(0, 0, doc.width, doc.height))
        area = QRectF(event.rect()).intersected(doc_widget)
        if not area.isEmpty():
            p.setClipRect(event.rect())
            visible = self.view.rect_to_doc(area)
            if self.mask_alone_node is not None and self.mask_alone_node.mask is not None:
                p.fillRect(area, Qt.GlobalColor.black)
                self._draw_mask(p, visible, self.mask_alone_node, overlay=False)
            else:
                self._draw_checker(p, area, doc_widget.topLeft())
                if self.tool is None or not self.tool.paint_composite(p, self, area, visible):
                    self._draw_composite(p, visible)
                active = doc.active
                if self.show_mask_overlay and active is not None and active.mask is not None:
                    self._draw_mask(p, visible, active, overlay=True)
                if doc.quick_mask is not None and doc.quick_mask.mask is not None:
                    self._draw_mask(p, visible, doc.quick_mask, overlay=True)  # red where not selected
        p.setClipping(False)
        p.setPen(QPen(QColor(0, 0, 0, 160), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(doc_widget.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._ants_path is not None and not self.suppress_ants:
            self._draw_ants(p)
        if self.tool is not None and self.sampler is None:  # a sampling click does not reach the tool: hide its outline
            self.tool.paint_overlay(p, self)
        p.end()

    def _draw_checker(self, p: QPainter, area: QRectF, anchor: QPointF) -> None:
        """The checkerboard behind transparency, its cells fixed to the image's corner as it pans."""
        period = 2 * CHECKER_CELL
        if self._checker is None or self._checker.width() < self.width() + period or self._checker.height() < self.height() + period:
            self._checker = _checker_image(self.width(), self.height())
        target = area.toAlignedRect().intersected(self.rect())
        dx, dy = round(anchor.x()) % period, round(anchor.y()) % period
        p.drawImage(target.topLeft(), self._checker, target.translated(period - dx, period - dy))

    def _device_scale(self) -> float:
        return self.view.scale * self.devicePixelRatioF()

    def _draw_composite(self, p: QPainter, visible: QRectF) -> None:
        assert self.source is not None
        level = self.source.level_for(self._device_scale())
        viewport = _to_rect(self.view.rect_to_doc(QRectF(self.rect())))  # the whole view, not this paint's part
        image, f = self.source.level_image(level, viewport)
        # Snap to whole level pixels so partial repaints line up exactly.
        lx0, ly0 = math.floor(visible.left() * f), math.floor(visible.top() * f)
        lx1 = min(image.width(), math.ceil(visible.right() * f))
        ly1 = min(image.height(), math.ceil(visible.bottom() * f))
        if lx1 <= lx0 or ly1 <= ly0:
            return
        source = QRectF(lx0, ly0, lx1 - lx0, ly1 - ly0)
        target = self.view.rect_to_widget(QRectF(lx0 / f, ly0 / f, (lx1 - lx0) / f, (ly1 - ly0) / f))
        smooth = self._device_scale() < f * 0.999  # scaling down: filter; zoomed in: crisp pixels
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        p.drawImage(target, image, source)

    def _draw_mask(self, p: QPainter, visible: QRectF, node, *, overlay: bool) -> None:
        """The mask in grayscale (alone) or as a red overlay where it hides, only the visible part."""
        assert self.source is not None and self.document is not None
        mask = node.mask
        mr = node.mask_rect(self.document.canvas)
        step = 1 << self.source.level_for(self._device_scale())
        x0 = max(0, math.floor(visible.left()) - mr.x) // step * step
        y0 = max(0, math.floor(visible.top()) - mr.y) // step * step
        x1 = min(mr.w, math.ceil(visible.right()) - mr.x)
        y1 = min(mr.h, math.ceil(visible.bottom()) - mr.y)
        if x1 <= x0 or y1 <= y0:
            return
        data = mask.data[y0:y1:step, x0:x1:step]
        if mask.inverted:
            data = 255 - data
        h, w = data.shape
        target = self.view.rect_to_widget(QRectF(mr.x + x0, mr.y + y0, w * step, h * step))
        if overlay:
            alpha = ((255 - data.astype(np.uint16)) // 2).astype(np.uint8)
            bgra = np.zeros((h, w, 4), np.uint8)
            bgra[..., 2] = alpha
            bgra[..., 3] = alpha
            image = _premul_image(bgra)
        else:
            image = _gray_image(data)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._device_scale() < 1.0 / step)
        p.drawImage(target, image)

    # --- marching ants ------------------------------------------------------------
    def _rebuild_ants(self) -> None:
        doc = self.document
        self._ants_path = None
        if doc is not None and doc.selection is not None and not doc.selection.is_empty:
            path = QPainterPath()
            for pts in selection_outline(doc.selection.data):  # bounded work for huge or speckled selections
                path.addPolygon(QPolygonF([QPointF(x, y) for x, y in pts.tolist()]))
                path.closeSubpath()
            self._ants_path = path
        if self._ants_path is not None:
            self._ants_timer.start()
        else:
            self._ants_timer.stop()
        self.update()

    def _march_ants(self) -> None:
        self._ants_phase = (self._ants_phase + 1) % 8
        if self._ants_path is not None:
            self.update(self.view.rect_to_widget(self._ants_path.boundingRect()).toAlignedRect().adjusted(-3, -3, 3, 3))

    def _draw_ants(self, p: QPainter) -> None:
        assert self._ants_path is not None
        p.save()
        p.setTransform(p.transform().translate(self.view.origin.x(), self.view.origin.y()).scale(self.view.scale, self.view.scale))
        white = QPen(Qt.GlobalColor.white, 0)
        white.setCosmetic(True)
        black = QPen(Qt.GlobalColor.black, 0)
        black.setCosmetic(True)
        black.setDashPattern([4, 4])
        black.setDashOffset(self._ants_phase)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(white)
        p.drawPath(self._ants_path)
        p.setPen(black)
        p.drawPath(self._ants_path)
        p.restore()

    # --- input ----------------------------------------------------------------
    def set_tool(self, tool: Tool | None) -> None:
        if self.tool is not None:
            self.tool.deactivate()
        self.tool = tool
        if tool is not None:
            tool.activate()
        self._update_cursor()
        self.update()

    def set_sampler(self, sampler: Callable[[QPointF, Qt.KeyboardModifier], None] | None,
                    cursor: QCursor | None = None) -> None:
        """Route left clicks to `sampler` (with `cursor` shown) instead of the tool; None gives them back.

        Panning and zooming keep working; the tool sees no pointer or key events meanwhile.
        """
        self.sampler, self._sampler_cursor = sampler, cursor
        self._update_cursor()
        self.update()

    def _update_cursor(self) -> None:
        if self._panning is not None:
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif self._space_held:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        elif self.sampler is not None:
            self.setCursor(self._sampler_cursor or QCursor(Qt.CursorShape.CrossCursor))
        elif self.tool is not None:
            self.setCursor(self.tool.cursor())
        else:
            self.unsetCursor()

    def _pointer(self, pos: QPointF, button, buttons, modifiers, pressure=1.0, tilt=(0.0, 0.0), ts=0, tablet=False) -> PointerEvent:
        return PointerEvent(self.view.to_doc(pos), QPointF(pos), button, buttons, modifiers, pressure, tilt, ts, tablet)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() == Qt.MouseButton.MiddleButton or (self._space_held and event.button() == Qt.MouseButton.LeftButton):
            self._panning = event.position()
            self._update_cursor()
            return
        if self.sampler is not None:
            if event.button() == Qt.MouseButton.LeftButton and self.document is not None:
                self.sampler(self.view.to_doc(event.position()), event.modifiers())
            return
        if self.tool is not None and self.document is not None and not self._tablet_down:
            pe = self._pointer(event.position(), event.button(), event.buttons(), event.modifiers(), ts=event.timestamp())
            self.tool.press(pe.pos, pe)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        doc_pos = self.view.to_doc(pos)
        self.cursor_moved.emit(doc_pos)
        if self._panning is not None:
            delta = pos - self._panning
            self._panning = pos
            self.pan_by(delta.x(), delta.y())
            return
        if self.tool is None or self.document is None or self._tablet_down or self.sampler is not None:
            return
        pe = self._pointer(pos, Qt.MouseButton.NoButton, event.buttons(), event.modifiers(), ts=event.timestamp())
        if event.buttons() & (Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton):
            self.tool.move(pe.pos, pe)
        else:
            self.tool.hover(pe.pos, pe)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._panning = None
            self._update_cursor()
            return
        if self.sampler is not None:
            return
        if self.tool is not None and self.document is not None and not self._tablet_down:
            pe = self._pointer(event.position(), event.button(), event.buttons(), event.modifiers(), ts=event.timestamp())
            self.tool.release(pe.pos, pe)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.sampler is not None:  # the second press of a quick double click samples too, as on the preview
            self.mousePressEvent(event)
            return
        if self.tool is not None and self.document is not None:
            pe = self._pointer(event.position(), event.button(), event.buttons(), event.modifiers(), ts=event.timestamp())
            self.tool.double_click(pe.pos, pe)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """Pen input with pressure; accepted so Qt sends no duplicate mouse events."""
        if self.tool is None or self.document is None or self._space_held or self.sampler is not None:
            event.ignore()  # Qt then sends the matching mouse events
            return
        event.accept()
        pe = self._pointer(event.position(), event.button(), event.buttons(), event.modifiers(), event.pressure(),
                           (event.xTilt(), event.yTilt()), event.timestamp(), True)
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._tablet_down = True
            self.tool.press(pe.pos, pe)
        elif kind == QTabletEvent.Type.TabletMove:
            self.cursor_moved.emit(pe.pos)
            (self.tool.move if self._tablet_down else self.tool.hover)(pe.pos, pe)
        elif kind == QTabletEvent.Type.TabletRelease:
            self._tablet_down = False
            self.tool.release(pe.pos, pe)

    def wheelEvent(self, event: QWheelEvent) -> None:
        angle = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(wheel_zoom(self.view.scale, angle.y()), event.position())
        else:
            pixel = event.pixelDelta()
            dx, dy = (pixel.x(), pixel.y()) if not pixel.isNull() else (angle.x() / 2, angle.y() / 2)
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                dx, dy = dy, dx
            self.pan_by(dx, dy)
        event.accept()

    def event(self, event) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and self.tool is not None and self.sampler is None
                and self.tool.takes_key(event)):
            event.accept()  # the key goes to the tool (keyPressEvent), not to a window shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_held = True
                self._update_cursor()
            return
        if self.tool is not None and self.document is not None and self.sampler is None and self.tool.key_press(event):
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self._update_cursor()
            return
        if self.tool is not None and self.document is not None and self.sampler is None and self.tool.key_release(event):
            return
        super().keyReleaseEvent(event)

    def leaveEvent(self, event) -> None:
        self.cursor_moved.emit(None)
        super().leaveEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._fitted and self.document is not None:
            self.fit()


def _to_rect(r: QRectF) -> Rect:
    aligned: QRect = r.toAlignedRect()
    return Rect(aligned.x(), aligned.y(), aligned.width(), aligned.height())
