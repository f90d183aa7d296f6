"""The Crop tool (C): a frame with eight handles over the canvas, as in Photoshop.

The frame starts as the whole canvas. Drag a handle to move an edge or a corner,
drag inside to move the frame, drag outside it to draw a new one. A ratio preset
in the options bar (Original, 1:1, 4:5, 3:2, 16:9, or W × H px, which also
resamples the result to exactly that size) keeps the frame's proportions; ⇄
swaps portrait and landscape. While dragging the frame shows its size in
pixels; the rule-of-thirds grid is drawn inside it and what will go is dimmed.
Straighten (the options button, or Ctrl+drag): drag along what should be level,
the horizon or a wall's edge, and the canvas turns so that line is horizontal
(or vertical, if it was nearer vertical); the frame then fits inside the turned
picture. Enter (or ✓) commits, Escape (or ✗) cancels, straightening included.
"Delete cropped pixels" off keeps the layers' pixels outside the canvas, so
Image > Reveal All brings them back. The whole crop, straightening and
resampling included, is one undo step.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QWidget,
)

from editor import geometry
from editor.core import Rect
from editor.core.document import MAX_CANVAS_SIDE
from editor.core.history import Macro

from ..icons import icon
from ..jobs import run_command
from .base import PointerEvent, Tool

HANDLE_PX = 8  # a handle's drawn size
HIT_PX = 9  # how close to a handle (widget pixels) a press grabs it
MIN_SIDE = 1
INSET = 2  # px a straightened frame keeps from the turned picture's edges

# (label, ratio w/h or a keyword)
PRESETS = (
    ("Free", None),
    ("Original ratio", "original"),
    ("1 : 1 (square)", 1.0),
    ("4 : 5 (8 : 10)", 4 / 5),
    ("3 : 2", 3 / 2),
    ("16 : 9", 16 / 9),
    ("W × H px", "pixels"),
)

# handle name -> (which x edge moves: -1 left, 1 right, 0 none; which y edge)
HANDLES = {
    "top-left": (-1, -1), "top": (0, -1), "top-right": (1, -1),
    "left": (-1, 0), "right": (1, 0),
    "bottom-left": (-1, 1), "bottom": (0, 1), "bottom-right": (1, 1),
}
_CURSORS = {
    (-1, -1): Qt.CursorShape.SizeFDiagCursor, (1, 1): Qt.CursorShape.SizeFDiagCursor,
    (1, -1): Qt.CursorShape.SizeBDiagCursor, (-1, 1): Qt.CursorShape.SizeBDiagCursor,
    (0, -1): Qt.CursorShape.SizeVerCursor, (0, 1): Qt.CursorShape.SizeVerCursor,
    (-1, 0): Qt.CursorShape.SizeHorCursor, (1, 0): Qt.CursorShape.SizeHorCursor,
}


def straighten_angle(p0: QPointF, p1: QPointF) -> float:
    """Degrees to turn the canvas clockwise so the line p0-p1 becomes level (or plumb, when it
    is nearer vertical); in (-45, 45]."""
    dx, dy = p1.x() - p0.x(), p1.y() - p0.y()
    if dx == 0 and dy == 0:
        return 0.0
    a = math.degrees(math.atan2(dy, dx))  # clockwise on screen, y down
    # the nearest multiple of 90 degrees is where the line should go
    turn = -(a - 90 * round(a / 90))
    return 0.0 if abs(turn) < 1e-9 else turn


def largest_inner_rect(w: float, h: float, angle_deg: float, canvas_w: int, canvas_h: int) -> Rect:
    """The largest axis-aligned rectangle of a `w` x `h` picture's proportions that lies inside the
    picture turned by `angle_deg` about the centre of a `canvas_w` x `canvas_h` canvas (centred)."""
    t = abs(math.radians(angle_deg)) % math.pi
    if t > math.pi / 2:
        t = math.pi - t
    s, c = math.sin(t), math.cos(t)
    # the classic result: scale the picture so its turned corners stay inside the turned picture
    long, short = max(w, h), min(w, h)
    if short <= 2.0 * s * c * long or abs(s - c) < 1e-10:
        x = 0.5 * short
        wr, hr = (x / s, x / c) if w >= h else (x / c, x / s)
    else:
        cos2 = c * c - s * s
        wr, hr = (w * c - h * s) / cos2, (h * c - w * s) / cos2
    if t > 1e-9:  # keep clear of the resampled, partly transparent edge: two pixels each side
        wr, hr = wr - 2 * INSET, hr - 2 * INSET
    wr, hr = max(1, math.floor(wr)), max(1, math.floor(hr))
    return Rect(math.floor((canvas_w - wr) / 2), math.floor((canvas_h - hr) / 2), wr, hr)


class CropOptions(QWidget):
    """Ratio preset, custom size, swap, straighten, delete cropped pixels, thirds, commit, cancel."""

    def __init__(self, tool: CropTool) -> None:
        super().__init__()
        self.tool = tool
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preset = QComboBox()
        self.preset.setObjectName("crop_preset")
        for label, value in PRESETS:
            self.preset.addItem(label, value)
        self.preset.currentIndexChanged.connect(lambda _i: tool.ratio_changed())
        self.width_spin, self.height_spin = QSpinBox(), QSpinBox()
        for spin, value, name in ((self.width_spin, 2000, "crop_width"), (self.height_spin, 2000, "crop_height")):
            spin.setRange(1, MAX_CANVAS_SIDE)
            spin.setValue(value)
            spin.setSuffix(" px")
            spin.setObjectName(name)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(lambda _v: tool.ratio_changed())
        self.swap = QToolButton()
        self.swap.setIcon(icon("swap-horizontal"))
        self.swap.setToolTip("Swap width and height (portrait / landscape)")
        self.swap.clicked.connect(tool.swap_ratio)
        self.straighten = QToolButton()
        self.straighten.setIcon(icon("angle-acute"))
        self.straighten.setText("Straighten")
        self.straighten.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.straighten.setCheckable(True)
        self.straighten.setToolTip("Drag along the horizon to level the picture (or Ctrl+drag)")
        self.thirds = QCheckBox("Rule of thirds")
        self.thirds.setChecked(True)
        self.thirds.toggled.connect(lambda _on: tool.canvas.update_overlay())
        self.delete_pixels = QCheckBox("Delete cropped pixels")
        self.delete_pixels.setChecked(True)
        self.delete_pixels.setToolTip("Off: layers keep what lies outside the crop (Image > Reveal All brings it back)")
        self.commit_button = QToolButton()
        self.commit_button.setIcon(icon("check"))
        self.commit_button.setToolTip("Commit the crop (Enter)")
        self.commit_button.clicked.connect(tool.commit)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("close"))
        self.cancel_button.setToolTip("Cancel the crop (Escape)")
        self.cancel_button.clicked.connect(tool.cancel)
        self.by = QLabel("×")
        for w in (QLabel("Ratio"), self.preset, self.width_spin, self.by, self.height_spin, self.swap, self.straighten,
                  self.thirds, self.delete_pixels, self.commit_button, self.cancel_button):
            layout.addWidget(w)
        layout.addStretch(1)
        self._show_size()
        self.preset.currentIndexChanged.connect(lambda _i: self._show_size())

    def _show_size(self) -> None:
        on = self.preset.currentData() == "pixels"
        for w in (self.width_spin, self.by, self.height_spin):
            w.setVisible(on)

    def set_preset(self, value) -> None:
        index = self.preset.findData(value)
        if index < 0:
            raise ValueError(f"no crop preset {value!r}")
        self.preset.setCurrentIndex(index)


class CropTool(Tool):
    name = "Crop"
    icon = "crop"
    shortcut = "C"
    tooltip = "Crop (C): drag the handles; Enter commits, Escape cancels; Ctrl+drag straightens"

    def __init__(self, host) -> None:
        super().__init__(host)
        self._options: CropOptions | None = None
        self.rect: Rect | None = None  # the frame, document pixels (None: the whole canvas, untouched)
        self.angle = 0.0  # the straightening applied so far (clockwise degrees)
        self._rotation = None  # the straightening's command, executed, folded into the crop's step
        self._job = None  # the straightening or the W x H resample being built in a worker
        self._straightening = False  # the job is a straightening (Escape stops it; a resample runs on)
        self._frame_for: tuple[int, int] | None = None  # canvas size the frame was made for
        self._drag: tuple[str, QPointF, Rect] | None = None  # (kind, press pos, frame at press)
        self._line: tuple[QPointF, QPointF] | None = None  # the straighten line being drawn
        self._portrait = False

    # --- options -------------------------------------------------------------------
    @property
    def options(self) -> CropOptions:
        if self._options is None:
            self._options = CropOptions(self)
        return self._options

    def options_widget(self) -> QWidget:
        return self.options

    def ratio(self) -> float | None:
        """The frame's width / height, or None when free."""
        value = self.options.preset.currentData()
        if value is None:
            return None
        if value == "original":
            r = self.document.width / self.document.height
        elif value == "pixels":
            r = self.options.width_spin.value() / self.options.height_spin.value()
        else:
            r = float(value)
            if self._portrait:
                r = 1.0 / r
        return r

    def ratio_changed(self) -> None:
        """A new preset: the largest frame of that ratio, centred in the current frame's place."""
        r = self.ratio()
        if r is None:
            return
        doc = self.document
        base = self.frame()
        w, h = base.w, base.h
        if self.rect is None:
            w, h = doc.width, doc.height
        if w / h > r:
            w = max(MIN_SIDE, round(h * r))
        else:
            h = max(MIN_SIDE, round(w / r))
        cx, cy = base.x + base.w / 2, base.y + base.h / 2
        self._set_rect(Rect(round(cx - w / 2), round(cy - h / 2), w, h))

    def swap_ratio(self) -> None:
        value = self.options.preset.currentData()
        if value == "pixels":
            o = self.options
            w, h = o.width_spin.value(), o.height_spin.value()
            o.width_spin.blockSignals(True)
            o.width_spin.setValue(h)
            o.width_spin.blockSignals(False)
            o.height_spin.setValue(w)
        else:
            self._portrait = not self._portrait
            if value is None or value == "original":  # free: turn the frame itself about its centre
                f = self.frame()
                cx, cy = f.x + f.w / 2, f.y + f.h / 2
                self._set_rect(Rect(round(cx - f.h / 2), round(cy - f.w / 2), f.h, f.w))
                return
            self.ratio_changed()

    # --- the frame -----------------------------------------------------------------
    def frame(self) -> Rect:
        doc = self.document
        if self.rect is not None and self._frame_for != (doc.width, doc.height):
            self._reset()  # the canvas changed under the frame (undo, another command)
        return self.rect if self.rect is not None else doc.canvas

    @property
    def pending(self) -> bool:
        """Whether Enter would change something."""
        return self.rect is not None or self._rotation is not None or self._target_size() is not None

    @property
    def busy(self) -> bool:
        """Whether a straightening or a resample is being built in a worker."""
        return self._job is not None

    def _ended(self) -> None:
        self._job = None
        self._straightening = False

    def _refuse_while_busy(self) -> bool:
        if self._job is not None:
            self.host.show_status(f"Wait for {self._job.label} to finish (or Escape)")
        return self._job is not None

    def _target_size(self) -> tuple[int, int] | None:
        if self._options is not None and self.options.preset.currentData() == "pixels":
            return self.options.width_spin.value(), self.options.height_spin.value()
        return None

    def _set_rect(self, rect: Rect | None) -> None:
        self.rect = rect
        self._frame_for = (self.document.width, self.document.height)
        self.canvas.update_overlay()

    def _reset(self) -> None:
        self.rect = None
        self.angle = 0.0
        self._rotation = None
        self._drag = None
        self._line = None

    def activate(self) -> None:
        self.options  # noqa: B018 - build the option widgets
        self._reset()
        self.canvas.update_overlay()

    def deactivate(self) -> None:
        self.cancel()

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)

    # --- hit testing ----------------------------------------------------------------
    def _handle_points(self, canvas, rect: Rect) -> dict[str, QPointF]:
        r = canvas.doc_rect_to_widget(rect)
        xs = {-1: r.left(), 0: r.center().x(), 1: r.right()}
        ys = {-1: r.top(), 0: r.center().y(), 1: r.bottom()}
        return {name: QPointF(xs[hx], ys[hy]) for name, (hx, hy) in HANDLES.items()}

    def hit(self, widget_pos: QPointF) -> str:
        """'handle name', 'inside' or 'outside' for a widget position."""
        frame = self.frame()
        best, dist = None, float(HIT_PX)
        for name, p in self._handle_points(self.canvas, frame).items():
            d = max(abs(p.x() - widget_pos.x()), abs(p.y() - widget_pos.y()))
            if d <= dist:
                best, dist = name, d
        if best is not None:
            return best
        r = self.canvas.doc_rect_to_widget(frame)
        return "inside" if r.contains(widget_pos) else "outside"

    # --- input ------------------------------------------------------------------------
    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        if self.options.straighten.isChecked() or event.has(Qt.KeyboardModifier.ControlModifier):
            self._line = (QPointF(pos), QPointF(pos))
            return
        kind = self.hit(event.widget_pos)
        self._drag = (kind, QPointF(pos), self.frame())

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self._line is not None:
            self._line = (self._line[0], QPointF(pos))
            self.canvas.update_overlay()
            return
        if self._drag is None:
            return
        kind, start, base = self._drag
        from_centre = event.has(Qt.KeyboardModifier.AltModifier)
        if kind == "inside":
            dx, dy = round(pos.x() - start.x()), round(pos.y() - start.y())
            self._set_rect(base.translated(dx, dy))
        elif kind == "outside":
            self._set_rect(self._new_frame(start, pos, from_centre, event.has(Qt.KeyboardModifier.ShiftModifier)))
        else:
            self._set_rect(self._resized(base, HANDLES[kind], pos, from_centre))

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        if self._line is not None:
            p0, _ = self._line
            self._line = None
            self.canvas.update_overlay()
            if math.hypot(pos.x() - p0.x(), pos.y() - p0.y()) * self.canvas.zoom >= 4:
                self.straighten(straighten_angle(p0, pos))
            return
        if self._drag is not None:
            kind, start, _ = self._drag
            if kind == "outside" and pos == start:
                self._drag = None
                return
            self.move(pos, event)
            self._drag = None
            self.canvas.update_overlay()

    def key_press(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()
            return True
        if key == Qt.Key.Key_Escape:
            if self.pending or self._drag is not None or self._straightening:
                self.cancel()
                return True
        return False

    # --- geometry of the drags ------------------------------------------------------------
    def _new_frame(self, start: QPointF, pos: QPointF, from_centre: bool, square: bool) -> Rect:
        sx, sy = round(start.x()), round(start.y())
        dx, dy = round(pos.x()) - sx, round(pos.y()) - sy
        r = self.ratio() or (1.0 if square else None)
        if r is not None:
            w = max(abs(dx), abs(dy) * r)
            h = w / r
            dx = round(math.copysign(w, dx or 1))
            dy = round(math.copysign(h, dy or 1))
        if from_centre:
            return Rect(sx - abs(dx), sy - abs(dy), max(MIN_SIDE, 2 * abs(dx)), max(MIN_SIDE, 2 * abs(dy)))
        x0, x1 = sorted((sx, sx + dx))
        y0, y1 = sorted((sy, sy + dy))
        return Rect(x0, y0, max(MIN_SIDE, x1 - x0), max(MIN_SIDE, y1 - y0))

    def _resized(self, base: Rect, handle: tuple[int, int], pos: QPointF, from_centre: bool) -> Rect:
        hx, hy = handle
        x0, y0, x1, y1 = float(base.x), float(base.y), float(base.right), float(base.bottom)
        px, py = round(pos.x()), round(pos.y())
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if hx < 0:
            x0 = min(px, x1 - MIN_SIDE)
        elif hx > 0:
            x1 = max(px, x0 + MIN_SIDE)
        if hy < 0:
            y0 = min(py, y1 - MIN_SIDE)
        elif hy > 0:
            y1 = max(py, y0 + MIN_SIDE)
        if from_centre:
            if hx:
                half = abs((x0 if hx < 0 else x1) - cx)
                x0, x1 = cx - half, cx + half
            if hy:
                half = abs((y0 if hy < 0 else y1) - cy)
                y0, y1 = cy - half, cy + half
        r = self.ratio()
        if r is not None:
            w, h = x1 - x0, y1 - y0
            if hx and hy:  # a corner: the longer side of the drag wins, the opposite corner stays
                if w / h > r:
                    h = w / r
                else:
                    w = h * r
            elif hx:  # a side edge: the height follows about the middle
                h = w / r
            else:
                w = h * r
            if hx < 0:
                x0 = x1 - w if not from_centre else cx - w / 2
            elif hx > 0:
                x1 = x0 + w if not from_centre else cx + w / 2
            else:
                x0, x1 = cx - w / 2, cx + w / 2
            if hy < 0:
                y0 = y1 - h if not from_centre else cy - h / 2
            elif hy > 0:
                y1 = y0 + h if not from_centre else cy + h / 2
            else:
                y0, y1 = cy - h / 2, cy + h / 2
            if hx > 0 and not from_centre:
                x1 = x0 + w
            if hx < 0 and from_centre:
                x1 = cx + w / 2
        ix0, iy0 = round(x0), round(y0)
        return Rect(ix0, iy0, max(MIN_SIDE, round(x1) - ix0), max(MIN_SIDE, round(y1) - iy0))

    # --- straighten, commit, cancel --------------------------------------------------------
    def straighten(self, angle: float) -> None:
        """Turn the canvas by `angle` degrees clockwise (on top of any straightening so far) and fit
        the frame inside the turned picture; folded into the crop's undo step on commit.

        The turn is resampled in a worker (progress and Cancel in the status bar); the picture
        shows unturned until it is done."""
        if abs(angle) < 0.01 or self._refuse_while_busy():
            return
        doc = self.document
        if self._rotation is not None:  # start again from the unturned picture
            doc.undo()
            self._rotation = None
        total = self.angle + angle
        self.angle = 0.0
        if abs(total) < 0.01:
            self._reset()
            self.canvas.update_overlay()
            return
        w0, h0 = doc.width, doc.height

        def done(cmd) -> None:
            if job.is_cancelled:  # cancelled after the worker had finished: as if it had not
                return
            doc.execute(cmd, mergeable=False)
            self._rotation = cmd
            self.angle = total
            inner = largest_inner_rect(w0, h0, total, doc.width, doc.height)
            r = self.ratio()
            if r is not None:
                w, h = inner.w, inner.h
                if w / h > r:
                    w = max(MIN_SIDE, math.floor(h * r))
                else:
                    h = max(MIN_SIDE, math.floor(w / r))
                inner = Rect((doc.width - w) // 2, (doc.height - h) // 2, w, h)
            self._set_rect(inner)
            self.host.show_status(f"Straightened by {total:.2f}°: Enter crops, Escape puts it back")

        self._straightening = True
        self._job = job = run_command(self.host.jobs, doc, f"Straighten {total:.2f}°",
                                      lambda progress: geometry.rotate_canvas_command(doc, total, "bicubic", progress),
                                      status=self.host.show_status, done=done, ended=self._ended,
                                      still_current=lambda: self.document is doc)

    def commit(self) -> None:
        """Crop to the frame (and resample to W × H px with that preset) as one undo step.

        The crop applies at once; a W × H resample is built in a worker and, when done, joins
        the crop's step (cancelled, the crop stays a step of its own)."""
        if self._refuse_while_busy():
            return
        doc = self.document
        frame = self.frame()
        rotation, target = self._rotation, self._target_size()
        crop = geometry.crop_command(doc, frame, delete_pixels=self.options.delete_pixels.isChecked())
        if rotation is not None:
            doc.undo()  # the straightening is re-applied inside the one step
        head = [c for c in (rotation, crop) if c is not None]
        self._reset()
        if head:
            doc.execute(Macro("Crop", head), mergeable=False)
        self.canvas.update_overlay()
        if target is None or target == (doc.width, doc.height):
            return

        def done(resize) -> None:
            if job.is_cancelled:
                return
            if head:
                doc.undo()  # the crop, done again below with the resample in its step
            doc.execute(Macro("Crop", [*head, resize]), mergeable=False)

        self._job = job = run_command(self.host.jobs, doc, f"Crop to {target[0]} × {target[1]} px",
                                      lambda progress: geometry.resize_image_command(doc, *target, "bicubic", progress),
                                      status=self.host.show_status, done=done, ended=self._ended,
                                      still_current=lambda: self.document is doc)

    def cancel(self) -> None:
        """Forget the frame; undo the straightening, or stop it being built. A committed crop's
        resample runs on (the status bar's Cancel stops it)."""
        if self._job is not None and self._straightening:
            self._job.cancel()
        if self._rotation is not None and self.document.history.can_undo:
            self.document.undo()
        self._reset()
        self.canvas.update_overlay()

    # --- drawing ----------------------------------------------------------------------------
    def paint_overlay(self, painter: QPainter, canvas) -> None:
        doc = self.document
        if doc is None:
            return
        frame = self.frame()
        r = canvas.doc_rect_to_widget(frame)
        painter.save()
        if self.rect is not None:  # dim what goes
            outside = QPainterPath()
            outside.addRect(QRectF(canvas.rect()))
            inner = QPainterPath()
            inner.addRect(r)
            painter.fillPath(outside.subtracted(inner), QColor(0, 0, 0, 170))
        if self.options.thirds.isChecked() and (self.rect is not None or self._drag is not None):
            painter.setPen(QPen(QColor(255, 255, 255, 150), 1))
            for i in (1, 2):
                x = r.left() + r.width() * i / 3
                y = r.top() + r.height() * i / 3
                painter.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
                painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        painter.setPen(QPen(QColor(0, 0, 0, 200), 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(r)
        painter.setPen(QPen(QColor(255, 255, 255), 1))
        painter.drawRect(r)
        half = HANDLE_PX / 2
        for p in self._handle_points(canvas, frame).values():
            box = QRectF(p.x() - half, p.y() - half, HANDLE_PX, HANDLE_PX)
            painter.fillRect(box, QColor(255, 255, 255))
            painter.setPen(QPen(QColor(0, 0, 0), 1))
            painter.drawRect(box)
        if self._drag is not None:
            self._draw_label(painter, QPointF(r.right() + 10, r.bottom() + 10), f"W: {frame.w} px  H: {frame.h} px")
        if self._line is not None:
            p0, p1 = (canvas.doc_to_widget(p) for p in self._line)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(QColor(0, 0, 0, 200), 3))
            painter.drawLine(p0, p1)
            painter.setPen(QPen(QColor(255, 220, 0), 1.5))
            painter.drawLine(p0, p1)
            self._draw_label(painter, p1 + QPointF(12, 12), f"{-straighten_angle(*self._line):.1f}°")
        painter.restore()

    @staticmethod
    def _draw_label(painter: QPainter, at: QPointF, text: str) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(max(8.0, font.pointSizeF()))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = QRectF(at.x(), at.y(), metrics.horizontalAdvance(text) + 12, metrics.height() + 6)
        painter.fillRect(box, QColor(30, 30, 30, 220))
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def overlay_rect(self) -> QRectF | None:
        return None  # the dimming covers the whole view: repaint it all
