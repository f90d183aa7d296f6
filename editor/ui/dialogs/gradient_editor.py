"""The gradient editor (Photoshop's Gradient Editor, GIMP's): presets on the left, the selected
preset's stops on the right.

The bar shows the gradient over a checkerboard; the markers under it are the stops. Click a
marker to select it, drag it to move it, click the empty track to add a stop there (its
colour and opacity taken from the gradient at that point), Delete removes the selected stop
(a gradient keeps at least two). Beside the selected stop, a diamond on each ramp is that
ramp's midpoint (Photoshop's: where it is halfway); drag it (5..95 % of the ramp), or click it
and type its Location. The selected stop's colour (a colour, or the foreground or
background colour, resolved when painting), opacity and location are edited below, and the
gradient's Smoothness (Photoshop's, 0..100 %: how far each ramp between stops eases towards
a curve through its neighbours; 100 % is Photoshop's default) beside them.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.paint.gradient import BACKGROUND, FOREGROUND, Gradient, Stop, builtin_presets

from ..tools.gradient import gradient_image

MARGIN = 8  # the bar's inset, so the end markers are whole
BAR_H = 28
MARKER = 9


MID_MIN, MID_MAX = 0.05, 0.95  # Photoshop's range for a midpoint diamond
DIAMOND = 4


class StopBar(QWidget):
    """The gradient strip and its stop markers; emits `selected(index)`, `edited(gradient)`,
    and `pressed` and `released` when a press or drag on it starts and ends. With `midpoints`
    the ramps beside the selected stop show their midpoint diamonds: `midpoint_selected(index)`
    (the stop whose ramp it is, `current_mid`) when one is clicked."""

    selected = Signal(int)
    midpoint_selected = Signal(int)
    edited = Signal(object)
    pressed = Signal()
    released = Signal()

    def __init__(self, fg, bg, parent: QWidget | None = None, *, midpoints: bool = False) -> None:
        super().__init__(parent)
        self.fg, self.bg = fg, bg
        self.gradient = builtin_presets()[0]
        self.current = 0
        self.current_mid: int | None = None
        self.midpoints = midpoints
        self._dragging = False
        self._dragging_mid = False
        self.setMinimumSize(360, BAR_H + 2 * MARKER + 8)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip("Click the track to add a stop; drag a stop to move it; Delete removes it")

    def set_gradient(self, gradient: Gradient, current: int = 0, mid: int | None = None) -> None:
        self.gradient = gradient
        self.current = min(max(0, current), len(gradient.stops) - 1)
        self.current_mid = mid
        self.update()

    # --- geometry -----------------------------------------------------------------
    def _bar(self) -> QRectF:
        return QRectF(MARGIN, 2, self.width() - 2 * MARGIN, BAR_H)

    def x_of(self, position: float) -> float:
        bar = self._bar()
        return bar.left() + position * bar.width()

    def position_at(self, x: float) -> float:
        bar = self._bar()
        return min(1.0, max(0.0, (x - bar.left()) / max(1.0, bar.width())))

    def stop_at(self, x: float, y: float) -> int | None:
        if y < self._bar().bottom():
            return None
        best = None
        for k, s in enumerate(self.gradient.stops):
            d = abs(self.x_of(s.position) - x)
            if d <= MARKER and (best is None or d < best[0]):
                best = (d, k)
        return None if best is None else best[1]

    def midpoint_x(self, index: int) -> float | None:
        """Where the midpoint of the ramp ending at stop `index` is drawn (None: no such ramp)."""
        stops = self.gradient.stops
        if not 0 < index < len(stops) or stops[index].position <= stops[index - 1].position:
            return None
        p0, p1 = stops[index - 1].position, stops[index].position
        return self.x_of(p0 + (p1 - p0) * stops[index].midpoint)

    def shown_midpoints(self) -> list[int]:
        """The ramps whose diamonds show: either side of the selected stop (as in Photoshop)."""
        if not self.midpoints:
            return []
        return [k for k in (self.current, self.current + 1) if self.midpoint_x(k) is not None]

    def _diamond_y(self) -> float:
        return self._bar().bottom() + DIAMOND  # hanging from the bar, above the stops' lower half

    def midpoint_at(self, x: float, y: float) -> int | None:
        """The diamond at (x, y); below the diamonds the track still adds a stop."""
        if not self._bar().bottom() <= y < self._diamond_y() + DIAMOND:
            return None
        for k in self.shown_midpoints():
            if abs(self.midpoint_x(k) - x) <= DIAMOND + 2:
                return k
        return None

    def set_midpoint(self, index: int, midpoint: float) -> None:
        """The ramp ending at stop `index` is halfway at `midpoint` (0.05..0.95) of its way."""
        stops = list(self.gradient.stops)
        stops[index] = replace(stops[index], midpoint=round(min(MID_MAX, max(MID_MIN, midpoint)), 3))
        self.gradient = replace(self.gradient, stops=tuple(stops))
        self.current_mid = index
        self.update()
        self.edited.emit(self.gradient)

    # --- painting -----------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = self._bar()
        image = gradient_image(self.gradient, max(2, int(bar.width())), int(bar.height()), self.fg, self.bg)
        p.drawImage(bar.toRect(), image)
        p.setPen(QPen(QColor(0, 0, 0), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(bar)
        for k, s in enumerate(self.gradient.stops):
            x = self.x_of(s.position)
            top = bar.bottom() + 2
            path = QPainterPath(QPointF(x, top))
            path.lineTo(x + MARKER * 0.7, top + MARKER)
            path.lineTo(x - MARKER * 0.7, top + MARKER)
            path.closeSubpath()
            colour = s.resolved(self.fg, self.bg).color
            p.setBrush(QColor(*colour))
            selected = k == self.current and self.current_mid is None
            p.setPen(QPen(QColor(255, 255, 255) if selected else QColor(0, 0, 0), 2 if selected else 1))
            p.drawPath(path)
        for k in self.shown_midpoints():
            x, y = self.midpoint_x(k), self._diamond_y()
            diamond = QPainterPath(QPointF(x, y - DIAMOND))
            for px, py in ((x + DIAMOND, y), (x, y + DIAMOND), (x - DIAMOND, y)):
                diamond.lineTo(px, py)
            diamond.closeSubpath()
            p.setBrush(self.palette().highlight().color() if k == self.current_mid else QColor(200, 200, 200))
            p.setPen(QPen(QColor(0, 0, 0), 1))
            p.drawPath(diamond)
        p.end()

    # --- input --------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.pressed.emit()
        pos = event.position()
        k = self.stop_at(pos.x(), pos.y())
        mid = self.midpoint_at(pos.x(), pos.y()) if k is None else None
        if mid is not None:
            self.current_mid = mid
            self._dragging_mid = True
            self.midpoint_selected.emit(mid)
            self.update()
            return
        if k is None and pos.y() >= self._bar().bottom():
            t = self.position_at(pos.x())
            r, g, b, a = self.gradient.sample(t, self.fg, self.bg)
            stops = (*self.gradient.stops, Stop(t, (round(r), round(g), round(b)), a / 255.0))
            new = replace(self.gradient, stops=stops)
            k = next(i for i, s in enumerate(new.stops) if s.position == t)
            self.set_gradient(new, k)
            self.edited.emit(new)
        if k is not None:
            self.current = k
            self.current_mid = None
            self._dragging = True
            self.selected.emit(k)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging_mid and self.current_mid is not None:
            stops, k = self.gradient.stops, self.current_mid
            p0, p1 = stops[k - 1].position, stops[k].position
            self.set_midpoint(k, round((self.position_at(event.position().x()) - p0) / (p1 - p0), 2))
            self.midpoint_selected.emit(k)
            return
        if not self._dragging:
            return
        t = round(self.position_at(event.position().x()), 3)
        self.move_stop(self.current, t)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = self._dragging_mid = False
        self.released.emit()

    def move_stop(self, index: int, position: float) -> None:
        stops = list(self.gradient.stops)
        moved = replace(stops[index], position=position)
        stops[index] = moved
        new = replace(self.gradient, stops=tuple(stops))
        self.current = next(i for i, s in enumerate(new.stops) if s is moved)
        self.gradient = new
        self.update()
        self.selected.emit(self.current)
        self.edited.emit(new)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.current_mid is None:
            self.delete_current()
            return
        super().keyPressEvent(event)

    def delete_current(self) -> None:
        if len(self.gradient.stops) <= 2:
            return
        stops = list(self.gradient.stops)
        del stops[self.current]
        new = replace(self.gradient, stops=tuple(stops))
        self.set_gradient(new, min(self.current, len(stops) - 1))
        self.selected.emit(self.current)
        self.edited.emit(new)


class StopEditor(QWidget):
    """The stop bar, the gradient's smoothness and the selected stop's colour, opacity and
    location: the Gradient Editor's right side, and the Gradient Fill dialog's gradient.
    `edited(gradient)` on every change (each step of a smoothness drag too: a live preview)."""

    edited = Signal(object)

    def __init__(self, fg=(0, 0, 0), bg=(255, 255, 255), parent: QWidget | None = None, *,
                 dynamic: bool = True) -> None:
        """`dynamic`: a stop may be the foreground or background colour (resolved when
        painting); a fill layer's colours are fixed when it is made, so its editor offers
        plain colours only."""
        super().__init__(parent)
        self.fg, self.bg = tuple(fg), tuple(bg)
        self._updating = False
        self.bar = StopBar(self.fg, self.bg, midpoints=True)
        self.bar.selected.connect(self._show_stop)
        self.bar.midpoint_selected.connect(self._show_midpoint)
        self.bar.edited.connect(self.edited)
        self.kind = QComboBox()
        self.kind.setObjectName("stop_kind")
        self.kind.addItem("Colour", "colour")
        if dynamic:
            self.kind.addItem("Foreground", FOREGROUND)
            self.kind.addItem("Background", BACKGROUND)
        self.kind.setVisible(dynamic)
        self.kind.currentIndexChanged.connect(self._stop_changed)
        self.colour = QPushButton()
        self.colour.setObjectName("stop_colour")
        self.colour.setFixedWidth(64)
        self.colour.setToolTip("The selected stop's colour")
        self.colour.clicked.connect(self._pick_colour)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.kind)
        colour_row.addWidget(self.colour)
        colour_row.addStretch(1)
        self.opacity = QSpinBox()
        self.opacity.setObjectName("stop_opacity")
        self.opacity.setRange(0, 100)
        self.opacity.setSuffix(" %")
        self.opacity.valueChanged.connect(self._stop_changed)
        self.location = QSpinBox()
        self.location.setObjectName("stop_location")
        self.location.setRange(0, 100)
        self.location.setSuffix(" %")
        self.location.setToolTip("The selected stop's place on the gradient, or the selected midpoint's on its ramp")
        self.location.valueChanged.connect(self._location_changed)
        self.remove = QPushButton("Delete Stop")
        self.remove.clicked.connect(self.bar.delete_current)
        self.smoothness_slider = QSlider(Qt.Orientation.Horizontal)
        self.smoothness_slider.setObjectName("gradient_smoothness_slider")
        self.smoothness_slider.setRange(0, 100)
        self.smoothness = QSpinBox()
        self.smoothness.setObjectName("gradient_smoothness")
        self.smoothness.setRange(0, 100)
        self.smoothness.setSuffix(" %")
        tip = "How far each ramp between stops eases into a curve (0 %: straight ramps; Photoshop's default 100 %)"
        for w in (self.smoothness_slider, self.smoothness):
            w.setToolTip(tip)
        self.smoothness_slider.valueChanged.connect(self.smoothness.setValue)
        self.smoothness.valueChanged.connect(self.smoothness_slider.setValue)
        self.smoothness.valueChanged.connect(self._smoothness_changed)
        smoothness_row = QHBoxLayout()
        smoothness_row.addWidget(self.smoothness_slider, 1)
        smoothness_row.addWidget(self.smoothness)
        # Number fields as wide as their numbers (stretched across the dialog they read as sliders).
        for spin in (self.opacity, self.location, self.smoothness):
            spin.setMaximumWidth(110)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.bar)
        self.form.addRow("Smoothness", smoothness_row)
        self.form.addRow("Colour", colour_row)
        self.form.addRow("Opacity", self.opacity)
        self.form.addRow("Location", self.location)
        self.form.addRow(self.remove)

    @property
    def gradient(self) -> Gradient:
        return self.bar.gradient

    def set_gradient(self, gradient: Gradient) -> None:
        self.bar.set_gradient(gradient, 0)
        self._updating = True
        self.smoothness.setValue(round(gradient.smoothness))
        self._updating = False
        self._show_stop(0)

    def _smoothness_changed(self, value: int) -> None:
        if self._updating or value == round(self.bar.gradient.smoothness):
            return
        g = replace(self.bar.gradient, smoothness=float(value))
        self.bar.set_gradient(g, self.bar.current, self.bar.current_mid)
        self.edited.emit(g)

    def _show_stop(self, index: int) -> None:
        stops = self.bar.gradient.stops
        s = stops[min(index, len(stops) - 1)]
        self._updating = True
        for w in (self.kind, self.opacity, self.remove):
            w.setEnabled(True)
        self.location.setRange(0, 100)
        self.kind.setCurrentIndex(max(0, self.kind.findData(s.color if isinstance(s.color, str) else "colour")))
        self._paint_swatch(s.resolved(self.fg, self.bg).color)
        self.colour.setEnabled(not isinstance(s.color, str))
        self.opacity.setValue(round(s.opacity * 100))
        self.location.setValue(round(s.position * 100))
        self._updating = False

    def _show_midpoint(self, index: int) -> None:
        """A midpoint selected: Location is its place on its ramp (Photoshop's); the stop's
        colour and opacity rest until a stop is selected again."""
        self._updating = True
        for w in (self.kind, self.colour, self.opacity, self.remove):
            w.setEnabled(False)
        self.location.setRange(round(MID_MIN * 100), round(MID_MAX * 100))
        self.location.setValue(round(self.bar.gradient.stops[index].midpoint * 100))
        self._updating = False

    def _paint_swatch(self, rgb) -> None:
        pix = QPixmap(48, 16)
        pix.fill(QColor(*rgb))
        self.colour.setIcon(QIcon(pix))
        self.colour.setIconSize(pix.size())

    def _current_stop(self) -> Stop:
        return self.bar.gradient.stops[self.bar.current]

    def _set_stop(self, stop: Stop) -> None:
        stops = list(self.bar.gradient.stops)
        stops[self.bar.current] = stop
        g = replace(self.bar.gradient, stops=tuple(stops))
        self.bar.set_gradient(g, next(i for i, s in enumerate(g.stops) if s is stop))
        self._show_stop(self.bar.current)
        self.edited.emit(g)

    def _stop_changed(self) -> None:
        if self._updating:
            return
        s = self._current_stop()
        kind = self.kind.currentData()
        colour = kind if kind != "colour" else (s.resolved(self.fg, self.bg).color)
        self._set_stop(replace(s, color=colour, opacity=self.opacity.value() / 100.0))

    def _location_changed(self, value: int) -> None:
        if self._updating:
            return
        if self.bar.current_mid is not None:
            self.bar.set_midpoint(self.bar.current_mid, value / 100.0)
        else:
            self.bar.move_stop(self.bar.current, value / 100.0)

    def set_stop_colour(self, rgb) -> None:
        """The selected stop takes this colour (the colour button's dialog calls it)."""
        self._set_stop(replace(self._current_stop(), color=tuple(int(c) for c in rgb)))

    def _pick_colour(self) -> None:
        s = self._current_stop().resolved(self.fg, self.bg)
        colour = QColorDialog.getColor(QColor(*s.color), self, "Stop colour")
        if colour.isValid():
            self.set_stop_colour((colour.red(), colour.green(), colour.blue()))


class GradientEditor(QDialog):
    """Edit a copy of the preset list; `gradients()` and `current_index()` after it is accepted."""

    def __init__(self, gradients: list[Gradient], current: int, fg=(0, 0, 0), bg=(255, 255, 255),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gradient Editor")
        self.setObjectName("gradientEditor")
        self.fg, self.bg = tuple(fg), tuple(bg)
        self._items = list(gradients) or builtin_presets()
        self._updating = False

        self.list = QListWidget()
        self.list.setObjectName("gradient_presets")
        self.list.setIconSize(QSize(120, 16))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._show_preset)
        new, delete, reset = QPushButton("New"), QPushButton("Delete"), QPushButton("Defaults")
        new.setToolTip("A new preset: a copy of the selected one")
        reset.setToolTip("Put back the presets Veil starts with")
        new.clicked.connect(self._new)
        delete.clicked.connect(self._delete)
        reset.clicked.connect(self._reset)
        self.delete_preset = delete
        left = QVBoxLayout()
        left.addWidget(self.list)
        row = QHBoxLayout()
        for b in (new, delete, reset):
            row.addWidget(b)
        left.addLayout(row)

        self.name = QLineEdit()
        self.name.setObjectName("gradient_name")
        self.name.textEdited.connect(self._renamed)
        self.stops = StopEditor(self.fg, self.bg)
        self.stops.edited.connect(self._replace)
        # The stop editor's parts, by the names the editor has always had (tests, screenshots).
        self.bar, self.kind, self.opacity, self.location = (self.stops.bar, self.stops.kind, self.stops.opacity,
                                                            self.stops.location)
        self.set_stop_colour = self.stops.set_stop_colour
        self.stops.form.insertRow(0, "Name", self.name)
        right = self.stops

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(right, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(buttons)
        self._fill_list(current)

    # --- results --------------------------------------------------------------------
    def gradients(self) -> list[Gradient]:
        return list(self._items)

    def current_index(self) -> int:
        return max(0, self.list.currentRow())

    @property
    def gradient(self) -> Gradient:
        return self._items[self.current_index()]

    # --- the list -------------------------------------------------------------------
    def _icon(self, g: Gradient) -> QIcon:
        return QIcon(QPixmap.fromImage(gradient_image(g, 120, 16, self.fg, self.bg)))

    def _fill_list(self, current: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for g in self._items:
            QListWidgetItem(self._icon(g), g.name, self.list)
        self.list.blockSignals(False)
        self._fit_list()
        self.list.setCurrentRow(min(max(0, current), len(self._items) - 1))
        self._show_preset(self.list.currentRow())

    def _fit_list(self) -> None:
        """As wide as the longest name beside its strip, so no name is cut (at least 260 px)."""
        names = [self.list.fontMetrics().horizontalAdvance(g.name) for g in self._items]
        frame = 2 * self.list.frameWidth() + self.list.verticalScrollBar().sizeHint().width()
        self.list.setMinimumWidth(max(260, self.list.iconSize().width() + max(names, default=0) + 24 + frame))

    def _show_preset(self, row: int) -> None:
        if row < 0:
            return
        self.stops.set_gradient(self._items[row])
        self._updating = True
        self.name.setText(self._items[row].name)
        self._updating = False
        self.delete_preset.setEnabled(len(self._items) > 1)

    def _replace(self, g: Gradient) -> None:
        row = self.current_index()
        self._items[row] = g
        item = self.list.item(row)
        item.setIcon(self._icon(g))
        item.setText(g.name)

    def _new(self) -> None:
        g = replace(self.gradient, name=f"{self.gradient.name} copy")
        self._items.insert(self.current_index() + 1, g)
        self._fill_list(self.current_index() + 1)

    def _delete(self) -> None:
        if len(self._items) > 1:
            row = self.current_index()
            del self._items[row]
            self._fill_list(min(row, len(self._items) - 1))

    def _reset(self) -> None:
        self._items = builtin_presets()
        self._fill_list(0)

    def _renamed(self, text: str) -> None:
        if not self._updating:
            g = replace(self.gradient, name=text or "Gradient")
            self._replace(g)
            self.stops.bar.gradient = g  # keep the bar's copy named too (its next edit carries the name)
