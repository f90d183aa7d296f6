"""Free Transform (Ctrl+T) and Transform Selection: handles, live preview, options bar, commit in a worker.

A transform is a mode, as in Photoshop: `begin()` frames the selected layers'
bounds (or the selection) with eight handles and a reference point and makes this
the canvas's tool until Enter commits or Escape cancels; the window's previous tool
then comes back.

- Drag inside: move (Shift: along an axis). Drag a handle: scale in the layer's own
  frame; proportional by default, as in Photoshop 2019 and later, Shift toggles free
  scaling (the chain button in the options bar sets the default). Alt scales about the
  reference point. Drag outside the box: rotate about the reference point (Shift: 15°
  steps). Drag the reference point to move it.
- Ctrl-drag a corner: distort (the corner alone moves). Ctrl-drag an edge: the edge
  moves (Ctrl+Shift: along itself, a skew).
- Modes (Edit > Transform): scale, rotate, skew, distort, perspective decide what a
  handle drag does; flips and quarter turns apply about the reference point at once.

The preview draws the mipmap level the canvas shows: the document without the
targets, the targets through the matrix by QPainter, what lies above them; no
full-resolution pixel is resampled until the commit, which runs in a worker and is
one undo step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QCursor,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from editor.core import Rect
from editor.masks.selection.outline import selection_outline
from editor.render import freetransform as ft
from editor.render.transform import (
    selection_command,
    target_bounds,
    top_level,
    transform_command,
    transformable,
)
from editor.render.transform_preview import PreviewImages, preview_images
from editor.render.warp import DEFAULT_INTERPOLATION, INTERPOLATIONS, apply_points

from ..icons import icon
from .base import PointerEvent, Tool

HANDLE_PX = 7  # handle square side, widget pixels
HIT_PX = 7  # how near a handle or the reference point a press must be
MODES = ("free", "scale", "rotate", "skew", "distort", "perspective")
INTERPOLATION_LABELS = {"nearest": "Nearest Neighbor", "bilinear": "Bilinear", "bicubic": "Bicubic", "lanczos": "Lanczos"}
_CORNER_CURSORS = {0: Qt.CursorShape.SizeFDiagCursor, 4: Qt.CursorShape.SizeFDiagCursor,
                   2: Qt.CursorShape.SizeBDiagCursor, 6: Qt.CursorShape.SizeBDiagCursor,
                   1: Qt.CursorShape.SizeVerCursor, 5: Qt.CursorShape.SizeVerCursor,
                   3: Qt.CursorShape.SizeHorCursor, 7: Qt.CursorShape.SizeHorCursor}


def qtransform(m: np.ndarray) -> QTransform:
    """A numpy column-vector 3x3 matrix as Qt's row-vector QTransform."""
    return QTransform(m[0, 0], m[1, 0], m[2, 0], m[0, 1], m[1, 1], m[2, 1], m[0, 2], m[1, 2], m[2, 2])


def _qimage(array: np.ndarray) -> QImage:
    array = np.ascontiguousarray(array)
    h, w = array.shape[:2]
    image = QImage(array.data, w, h, array.strides[0], QImage.Format.Format_ARGB32_Premultiplied)
    image._keepalive = array
    return image


@dataclass
class Session:
    """A transform in progress."""

    kind: str  # "layers" or "selection"
    rect: Rect  # source rectangle the handles frame (document coordinates)
    nodes: list = field(default_factory=list)
    part: str = "pixels"
    matrix: np.ndarray = field(default_factory=lambda: np.eye(3))
    ref: tuple[float, float] = (0.0, 0.0)  # reference point, source coordinates
    skew_v: float = 0.0
    mode: str = "free"
    preview: PreviewImages | None = None
    images: tuple[QImage, QImage, QImage | None] | None = None
    outline: QPainterPath | None = None  # selection outline (source coordinates)
    history_index: int = 0
    committing: bool = False


@dataclass
class Drag:
    kind: str  # move, scale, rotate, distort, skew, perspective, ref
    handle: int
    m0: np.ndarray
    start: tuple[float, float]
    base_angle: float = 0.0
    ref0: tuple[float, float] = (0.0, 0.0)


class TransformOptions(QWidget):
    """X, Y, W %, chain, H %, angle, H and V skew, interpolation, cancel and commit buttons."""

    def __init__(self, tool: FreeTransformTool) -> None:
        super().__init__()
        self.tool = tool
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.fields: dict[str, QDoubleSpinBox] = {}

        def spin(key: str, label: str, lo: float, hi: float, suffix: str, decimals: int, tip: str) -> QDoubleSpinBox:
            box = QDoubleSpinBox()
            box.setObjectName(f"transform_{key}")
            box.setRange(lo, hi)
            box.setDecimals(decimals)
            box.setSuffix(suffix)
            box.setKeyboardTracking(False)  # apply on Enter or focus out, not on every keystroke
            box.setToolTip(tip)
            box.setMinimumWidth(84)
            box.valueChanged.connect(lambda _v, k=key: tool.field_edited(k))
            layout.addWidget(QLabel(label))
            layout.addWidget(box)
            self.fields[key] = box
            return box

        spin("x", "X:", -1e6, 1e6, " px", 1, "Horizontal position of the reference point")
        spin("y", "Y:", -1e6, 1e6, " px", 1, "Vertical position of the reference point")
        spin("w", "W:", -1e5, 1e5, " %", 2, "Width, percent")
        self.chain = QToolButton()
        self.chain.setObjectName("transform_chain")
        self.chain.setCheckable(True)
        self.chain.setChecked(True)
        self.chain.setIcon(icon("link-variant"))
        self.chain.setToolTip("Maintain aspect ratio (Shift while dragging does the opposite)")
        self.chain.toggled.connect(lambda on: self.chain.setIcon(icon("link-variant" if on else "link-variant-off")))
        layout.addWidget(self.chain)
        spin("h", "H:", -1e5, 1e5, " %", 2, "Height, percent")
        spin("angle", "∠", -180, 180, " °", 2, "Rotation, degrees clockwise")
        spin("skew_h", "H:", -89, 89, " °", 2, "Horizontal skew, degrees")
        spin("skew_v", "V:", -89, 89, " °", 2, "Vertical skew, degrees")
        self.fields["angle"].setWrapping(True)
        layout.addWidget(QLabel("Interpolation:"))
        self.interpolation = QComboBox()
        self.interpolation.setObjectName("transform_interpolation")
        for key, label in INTERPOLATION_LABELS.items():
            self.interpolation.addItem(label, key)
        self.interpolation.setCurrentIndex(list(INTERPOLATIONS).index(DEFAULT_INTERPOLATION))
        layout.addWidget(self.interpolation)
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setToolTip("Cancel transform (Esc)")
        self.cancel_button.clicked.connect(tool.cancel)
        self.commit_button = QToolButton()
        self.commit_button.setIcon(icon("check"))
        self.commit_button.setToolTip("Commit transform (Enter)")
        self.commit_button.clicked.connect(tool.commit)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.commit_button)
        layout.addStretch(1)

    def show_fields(self, values: ft.Fields) -> None:
        for key, box in self.fields.items():
            box.blockSignals(True)
            box.setValue(getattr(values, key))
            box.blockSignals(False)

    def read(self) -> ft.Fields:
        return ft.Fields(**{k: b.value() for k, b in self.fields.items()})

    @property
    def interpolation_name(self) -> str:
        return self.interpolation.currentData()


class FreeTransformTool(Tool):
    name = "Free Transform"
    icon = "vector-square-edit"
    shortcut = ""  # Ctrl+T is the Edit menu's
    tooltip = "Free Transform: drag the handles; Enter commits, Esc cancels"

    def __init__(self, host) -> None:
        super().__init__(host)
        self.session: Session | None = None
        self.drag: Drag | None = None
        self._options: TransformOptions | None = None
        self._hover_cursor = QCursor(Qt.CursorShape.ArrowCursor)
        self.on_finished = None  # called with True (committed) or False when a transform ends
        self.last_job = None  # the commit's worker job (tests wait on it)

    # --- starting and ending --------------------------------------------------------
    def options_widget(self) -> TransformOptions:
        if self._options is None:
            self._options = TransformOptions(self)
        return self._options

    @property
    def active(self) -> bool:
        return self.session is not None

    def begin_layers(self, nodes: list | None = None, mode: str = "free") -> bool:
        """Frame the selected layers (or `nodes`) for transforming; False (and a status message) when none can be."""
        doc = self.document
        nodes = top_level(list(nodes if nodes is not None else self.host.selected_layers()))
        if not nodes:
            self.host.show_status("Select a layer to transform")
            return False
        if any(n.locked for n in nodes):
            self.host.show_status("A selected layer is locked")
            return False
        if not all(transformable(n) for n in nodes):
            self.host.show_status("The selected layer has nothing to transform")
            return False
        part = "mask" if doc.edit_mask else "pixels"
        rect = target_bounds(doc, nodes, part)
        if rect is None or rect.empty:
            self.host.show_status("The selected layers are empty")
            return False
        self.session = Session("layers", rect, nodes, part, mode=mode)
        self._start()
        return True

    def begin_selection(self, mode: str = "free") -> bool:
        doc = self.document
        rect = doc.selection.bounds() if doc.selection is not None else None
        if rect is None:
            self.host.show_status("Nothing is selected")
            return False
        self.session = Session("selection", rect, mode=mode)
        path = QPainterPath()
        for pts in selection_outline(doc.selection.data):
            path.addPolygon(QPolygonF([QPointF(x, y) for x, y in pts.tolist()]))
            path.closeSubpath()
        for vector in doc.paths:
            path.addPath(_vector_path(vector))
        self.session.outline = path
        self._start()
        return True

    def _start(self) -> None:
        s = self.session
        assert s is not None
        s.ref = (s.rect.x + s.rect.w / 2, s.rect.y + s.rect.h / 2)
        s.history_index = self.document.history.index
        self.document.events.connect(self._on_change)
        self.canvas.document_replaced.connect(self._on_replaced)
        self.canvas.suppress_ants = s.kind == "selection"
        self._sync_fields()
        self._repaint_all()

    def _finish(self, committed: bool) -> None:
        s = self.session
        if s is None:
            return
        self.session = None
        self.drag = None
        try:
            s_doc = self.document
            s_doc.events.disconnect(self._on_change)
        except (ValueError, RuntimeError, AssertionError):
            pass
        try:
            self.canvas.document_replaced.disconnect(self._on_replaced)
        except (RuntimeError, TypeError):
            pass
        self.canvas.suppress_ants = False
        self.canvas.update()
        if self.on_finished is not None:
            self.on_finished(committed)

    def _on_change(self, change) -> None:
        s = self.session
        if s is None or s.committing:
            return
        if change.kind == "history" and self.document.history.index != s.history_index:
            self.host.show_status("The document changed: transform cancelled")
            self._finish(False)

    def _on_replaced(self) -> None:
        if self.session is not None:
            self.session.committing = False
            self._finish(False)

    def cancel(self) -> None:
        if self.session is not None and not self.session.committing:
            self._finish(False)

    def commit(self) -> None:
        """Apply the transform: full resolution, in a worker when the window has one; one undo step."""
        s = self.session
        if s is None or s.committing:
            return
        if np.allclose(s.matrix, np.eye(3), atol=1e-12):
            self._finish(False)
            return
        s.committing = True
        doc, matrix, interpolation = self.document, s.matrix.copy(), self.options_widget().interpolation_name
        if s.kind == "layers":
            nodes, part = list(s.nodes), s.part

            def work(progress, cancelled):
                return transform_command(doc, nodes, matrix, interpolation, part=part, progress=progress)
            label = "Free Transform"
        else:
            def work(progress, cancelled):
                return selection_command(doc, matrix, interpolation)
            label = "Transform Selection"

        def done(cmd) -> None:
            if self.session is not s:
                return
            if cmd is not None and doc is self.document:
                doc.execute(cmd)
            self._finish(True)

        def failed(err: Exception) -> None:
            if self.session is s:
                s.committing = False
                self.host.show_status(f"Could not transform: {err}", 8000)

        jobs = getattr(self.host, "jobs", None)
        if jobs is None:
            try:
                result = work(lambda f: None, lambda: False)
            except ValueError as err:
                failed(err)
                return
            done(result)
            return
        self.last_job = jobs.run(work, label=label, on_done=done, on_error=failed, on_cancel=lambda: failed(Exception("cancelled")))

    def deactivate(self) -> None:
        """Another tool was chosen mid-transform: apply it, as Photoshop's prompt does by default."""
        if self.session is not None and not self.session.committing:
            self.commit()

    # --- state ------------------------------------------------------------------------
    def set_matrix(self, matrix: np.ndarray) -> None:
        s = self.session
        if s is None:
            return
        before = self._widget_bounds()
        s.matrix = np.asarray(matrix, np.float64)
        self._sync_fields()
        after = self._widget_bounds()
        if before is not None and after is not None:
            self.canvas.update(before.united(after).adjusted(-12, -12, 12, 12))
        else:
            self.canvas.update()

    def fields(self) -> ft.Fields:
        s = self.session
        assert s is not None
        return ft.decompose(s.matrix, s.ref, s.skew_v)

    def _sync_fields(self) -> None:
        if self.session is not None:
            self.options_widget().show_fields(self.fields())

    def field_edited(self, key: str) -> None:
        s = self.session
        if s is None or s.committing or self._options is None:
            return
        old = self.fields()
        new = self._options.read()
        if key == "skew_v":
            s.skew_v = new.skew_v
        self.set_matrix(ft.with_fields(s.matrix, s.ref, old, new))

    def apply(self, op: str) -> None:
        """Flip Horizontal / Flip Vertical / Rotate 180 / 90 CW / 90 CCW about the reference point, now."""
        s = self.session
        if s is None:
            return
        centre = self.reference_point()
        m = {"flip_h": lambda: ft.flip(s.matrix, centre, True), "flip_v": lambda: ft.flip(s.matrix, centre, False),
             "rotate_180": lambda: ft.turn(s.matrix, centre, 180), "rotate_cw": lambda: ft.turn(s.matrix, centre, 90),
             "rotate_ccw": lambda: ft.turn(s.matrix, centre, -90)}[op]()
        self.set_matrix(m)

    def set_mode(self, mode: str) -> None:
        if self.session is not None and mode in MODES:
            self.session.mode = mode

    def reference_point(self) -> tuple[float, float]:
        s = self.session
        assert s is not None
        x, y = apply_points(s.matrix, np.array([s.ref]))[0]
        return float(x), float(y)

    def handles_doc(self) -> np.ndarray:
        s = self.session
        assert s is not None
        return ft.handle_points(s.rect, s.matrix)

    def handles_widget(self) -> list[QPointF]:
        return [self.canvas.doc_to_widget(QPointF(x, y)) for x, y in self.handles_doc()]

    def _widget_bounds(self) -> QRect | None:
        if self.session is None:
            return None
        pts = self.handles_widget() + [self.canvas.doc_to_widget(QPointF(*self.reference_point()))]
        return QPolygonF(pts).boundingRect().toAlignedRect()

    # --- hit testing ----------------------------------------------------------------------
    def hit(self, widget_pos: QPointF) -> tuple[str, int]:
        """What a press at `widget_pos` grabs: ("ref"|"handle"|"inside"|"outside", handle index)."""
        ref = self.canvas.doc_to_widget(QPointF(*self.reference_point()))
        if _dist(ref, widget_pos) <= HIT_PX:
            return ("ref", -1)
        pts = self.handles_widget()
        best = min(range(8), key=lambda i: _dist(pts[i], widget_pos))
        if _dist(pts[best], widget_pos) <= HIT_PX:
            return ("handle", best)
        quad = np.array([(p.x(), p.y()) for p in (pts[0], pts[2], pts[4], pts[6])])
        if ft.inside_quad(quad, widget_pos.x(), widget_pos.y()):
            return ("inside", -1)
        return ("outside", -1)

    # --- input ------------------------------------------------------------------------------
    def cursor(self) -> QCursor:
        return self._hover_cursor

    def hover(self, pos: QPointF, event: PointerEvent) -> None:
        if self.session is None:
            return
        what, handle = self.hit(event.widget_pos)
        if what == "handle":
            shape = _CORNER_CURSORS[handle] if self.session.mode not in ("rotate",) else Qt.CursorShape.CrossCursor
            cursor = QCursor(shape)
        elif what == "inside":
            cursor = QCursor(Qt.CursorShape.SizeAllCursor)
        elif what == "ref":
            cursor = QCursor(Qt.CursorShape.CrossCursor)
        else:
            cursor = QCursor(icon("rotate-right").pixmap(22, 22)) if self.session.mode in ("free", "rotate") else QCursor()
        self._hover_cursor = cursor
        self.canvas.setCursor(cursor)

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        s = self.session
        if s is None or s.committing or event.button != Qt.MouseButton.LeftButton:
            return
        what, handle = self.hit(event.widget_pos)
        ctrl = event.has(Qt.KeyboardModifier.ControlModifier)
        start = (pos.x(), pos.y())
        if what == "ref":
            kind = "ref"
        elif what == "inside":
            kind = "move"
        elif what == "outside":
            kind = "rotate" if s.mode in ("free", "rotate") else ""
        elif s.mode == "rotate":
            kind = "rotate"
        elif s.mode == "distort" or (s.mode == "free" and ctrl):
            kind = "distort"
        elif s.mode == "perspective":
            kind = "perspective"
        elif s.mode == "skew":
            kind = "skew"
        else:
            kind = "scale"
        if not kind:
            return
        self.drag = Drag(kind, handle, s.matrix.copy(), start, self.fields().angle, s.ref)

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        s, d = self.session, self.drag
        if s is None or d is None:
            return
        x, y = pos.x(), pos.y()
        dx, dy = x - d.start[0], y - d.start[1]
        shift = event.has(Qt.KeyboardModifier.ShiftModifier)
        alt = event.has(Qt.KeyboardModifier.AltModifier)
        if d.kind == "ref":
            p = apply_points(np.linalg.inv(d.m0), np.array([[x, y]]))[0]
            s.ref = (float(p[0]), float(p[1]))
            self._sync_fields()
            self.canvas.update()
            return
        if d.kind == "move":
            if shift:
                dx, dy = (dx, 0.0) if abs(dx) >= abs(dy) else (0.0, dy)
            m = ft.move(d.m0, dx, dy)
        elif d.kind == "rotate":
            centre = tuple(apply_points(d.m0, np.array([s.ref]))[0])
            m = ft.rotate_drag(d.m0, centre, d.start, x, y, snap=15.0 if shift else None, base_angle=d.base_angle)
        elif d.kind == "scale":
            proportional = self.options_widget().chain.isChecked() != shift
            # The grabbed handle follows the pointer's motion, wherever within its square it was grabbed.
            hx, hy = ft.handle_points(s.rect, d.m0)[d.handle]
            m = ft.scale_drag(d.m0, s.rect, d.handle, hx + dx, hy + dy, proportional=proportional,
                              anchor=s.ref if alt else None)
        elif d.kind == "distort":
            m = ft.distort_drag(d.m0, s.rect, d.handle, dx, dy, along_edge=shift and d.handle in ft.EDGES)
        elif d.kind == "skew":
            if d.handle in ft.EDGES:
                m = ft.distort_drag(d.m0, s.rect, d.handle, dx, dy, along_edge=True)
            else:
                m = ft.skew_corner_drag(d.m0, s.rect, d.handle, dx, dy)
        else:  # perspective
            m = ft.perspective_drag(d.m0, s.rect, d.handle, dx, dy)
        self.set_matrix(m)

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        self.drag = None

    def key_press(self, event: QKeyEvent) -> bool:
        if self.session is None:
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()
            return True
        if key == Qt.Key.Key_Escape:
            self.cancel()
            return True
        nudge = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}.get(Qt.Key(key))
        if nudge is not None and not self.session.committing:
            step = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
            self.set_matrix(ft.move(self.session.matrix, nudge[0] * step, nudge[1] * step))
            return True
        return False

    # --- drawing ------------------------------------------------------------------------------
    def paint_composite(self, p: QPainter, canvas, area: QRectF, visible: QRectF) -> bool:
        """Draw the document during a layer transform: below, the targets through the matrix, above."""
        s = self.session
        if s is None or s.kind != "layers" or canvas.source is None:
            return False
        level = canvas.source.level_for(canvas.zoom * canvas.devicePixelRatioF())
        if s.preview is None or s.preview.level != level:
            nodes = [] if s.part == "mask" else s.nodes  # a moving unlinked mask: its outline shows it
            if nodes:
                s.preview = preview_images(self.document, nodes, level)
                s.images = (_qimage(s.preview.below), _qimage(s.preview.target),
                            None if s.preview.above is None else _qimage(s.preview.above))
            else:
                return False
        below, target, above = s.images
        f = 1.0 / (1 << level)
        smooth = canvas.zoom * canvas.devicePixelRatioF() < f * 0.999
        p.save()
        p.setClipRect(area, Qt.ClipOperation.IntersectClip)
        _draw_level(p, canvas, below, f, visible, smooth)
        view = np.array([[canvas.view.scale, 0, canvas.view.origin.x()], [0, canvas.view.scale, canvas.view.origin.y()], [0, 0, 1]])
        r = s.preview.target_rect
        to_doc = np.array([[1 / f, 0, r.x], [0, 1 / f, r.y], [0, 0, 1]])
        p.setTransform(qtransform(view @ s.matrix @ to_doc), True)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        p.drawImage(QPointF(0, 0), target)
        p.setTransform(QTransform())
        if above is not None:
            _draw_level(p, canvas, above, f, visible, smooth)
        p.restore()
        return True

    def paint_overlay(self, painter: QPainter, canvas) -> None:
        s = self.session
        if s is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if s.outline is not None:
            view = np.array([[canvas.view.scale, 0, canvas.view.origin.x()], [0, canvas.view.scale, canvas.view.origin.y()], [0, 0, 1]])
            path = qtransform(view @ s.matrix).map(s.outline)
            for colour, dash in ((Qt.GlobalColor.white, None), (Qt.GlobalColor.black, [4, 4])):
                pen = QPen(colour, 1)
                pen.setCosmetic(True)
                if dash:
                    pen.setDashPattern(dash)
                painter.setPen(pen)
                painter.drawPath(path)
        pts = self.handles_widget()
        box = QPolygonF([pts[i] for i in (0, 1, 2, 3, 4, 5, 6, 7)])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(0, 0, 0, 150), 3))
        painter.drawPolygon(box)
        painter.setPen(QPen(QColor(255, 255, 255), 1))
        painter.drawPolygon(box)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        half = HANDLE_PX / 2
        for pt in pts:
            rect = QRectF(pt.x() - half, pt.y() - half, HANDLE_PX, HANDLE_PX)
            painter.setPen(QPen(QColor(20, 20, 20), 1))
            painter.setBrush(QColor(255, 255, 255))
            painter.drawRect(rect)
        ref = canvas.doc_to_widget(QPointF(*self.reference_point()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, width in ((QColor(0, 0, 0, 170), 3), (QColor(255, 255, 255), 1)):
            painter.setPen(QPen(colour, width))
            painter.drawEllipse(ref, 5, 5)
            painter.drawLine(QPointF(ref.x() - 8, ref.y()), QPointF(ref.x() + 8, ref.y()))
            painter.drawLine(QPointF(ref.x(), ref.y() - 8), QPointF(ref.x(), ref.y() + 8))
        painter.restore()

    def _repaint_all(self) -> None:
        self.canvas.update()


def _dist(a: QPointF, b: QPointF) -> float:
    return math.hypot(a.x() - b.x(), a.y() - b.y())


def _draw_level(p: QPainter, canvas, image: QImage, f: float, visible: QRectF, smooth: bool) -> None:
    """The visible part of a level image, snapped to whole level pixels (as the canvas draws its mipmap)."""
    lx0, ly0 = math.floor(visible.left() * f), math.floor(visible.top() * f)
    lx1 = min(image.width(), math.ceil(visible.right() * f))
    ly1 = min(image.height(), math.ceil(visible.bottom() * f))
    if lx1 <= lx0 or ly1 <= ly0:
        return
    source = QRectF(lx0, ly0, lx1 - lx0, ly1 - ly0)
    target = canvas.view.rect_to_widget(QRectF(lx0 / f, ly0 / f, (lx1 - lx0) / f, (ly1 - ly0) / f))
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
    p.drawImage(target, image, source)


def _vector_path(vector) -> QPainterPath:
    path = QPainterPath()
    segments = vector.segments()
    if not segments:
        return path
    path.moveTo(QPointF(*segments[0][0]))
    for _p0, c1, c2, p1 in segments:
        path.cubicTo(QPointF(*c1), QPointF(*c2), QPointF(*p1))
    return path
