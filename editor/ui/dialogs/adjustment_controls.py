"""The controls of one adjustment or filter, built from its parameter schema
(editor.render.adjustments), laid out as Photoshop's: sliders for numbers (Colour Balance's
three between opposite colours), check boxes, a swatch for a colour, the Curves graph, the
gradient tool's stop strip, text fields for hue ranges, and like channels or tones one at a
time behind a menu. The settings dialog and the
Properties panel both show these; what an edit does (its undo step) is theirs to decide.

Signals: `edited` on every change the user makes, `pressed` when a slider, curve point or
gradient stop drag starts and `released` when it ends (so a drag can be one undo step and preview at the
screen's level until the release).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QStackedWidget,
    QWidget,
)

from editor.io.cube_lut import read_cube
from editor.render.adjustments.base import Param, Spec

from .curve_editor import CurvesEditor
from .gradient_map_editor import GradientMapEditor

Getter = Callable[[], Any]


def _numbers(text: str) -> list[float]:
    return [float(t) for t in text.replace(",", " ").replace(";", " ").split()]


def format_value(value: Any) -> str:
    return ", ".join(f"{v:g}" for v in value)


def parse_value(param: Param, text: str) -> Any:
    """The text field's value; ValueError when it cannot be read."""
    nums = _numbers(text)
    if len(nums) != 4:
        raise ValueError(f"{param.title} needs four hue angles")
    return nums


def _is_shift(param: Param) -> bool:
    """A colour param that is three signed shifts (Colour Balance), not an RGB colour."""
    return param.type == "color" and param.min is not None and param.min < 0


def _channel_group(params: list[Param], k: int) -> list[Param]:
    """The run of params from k that Photoshop shows behind one menu: records with the same
    first field (Levels' channels, the colour ranges, the mixer's outputs) or colour shifts."""
    first = params[k]

    def like(p: Param) -> bool:
        if first.type == "record":
            return p.type == "record" and p.fields[0].name == first.fields[0].name
        return _is_shift(first) and _is_shift(p)

    group = [first]
    while k + len(group) < len(params) and like(params[k + len(group)]):
        group.append(params[k + len(group)])
    return group


class ColourButton(QPushButton):
    """A swatch that opens the colour dialog; `edited` when a colour is chosen."""

    edited = Signal()

    def __init__(self, rgb: list[int], title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.set_value(rgb)
        self.clicked.connect(self._pick)

    def value(self) -> list[int]:
        return list(self._rgb)

    def set_value(self, rgb: list[int]) -> None:
        self._rgb = [int(c) for c in rgb]
        pix = QPixmap(40, 14)
        pix.fill(QColor(*self._rgb))
        self.setIcon(QIcon(pix))
        self.setText("#{:02x}{:02x}{:02x}".format(*self._rgb))

    def _pick(self) -> None:
        colour = QColorDialog.getColor(QColor(*self._rgb), self, self.title)
        if colour.isValid():
            self.set_value([colour.red(), colour.green(), colour.blue()])
            self.edited.emit()


class AdjustmentControls(QWidget):
    edited = Signal()
    pressed = Signal()
    released = Signal()

    def __init__(self, spec: Spec, params: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.widgets: dict[str, QWidget] = {}  # by dotted parameter path, for tests
        self._scales: dict[str, int] = {}
        self.getters: dict[str, Getter] = {}
        values = spec.normalise(params)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.curves: CurvesEditor | None = None  # one graph for all the curve parameters
        self.channel_menu: QComboBox | None = None  # which of a group of like records shows
        curve_names = [p.name for p in spec.params if p.type == "curve"]
        if curve_names:
            self.curves = CurvesEditor()
            self.curves.set_points({name: values[name] for name in curve_names})
            self.curves.edited.connect(self.edited)
            self.curves.pressed.connect(self.pressed)
            self.curves.released.connect(self.released)
            layout.addRow(self.curves)
            for name in curve_names:
                self.getters[name] = lambda name=name: self.curves.points(name)
        params = [p for p in spec.params if p.type != "curve"]
        k = 0
        while k < len(params):
            group = _channel_group(params, k)
            if len(group) > 1:
                self._channels(layout, group, values)
                k += len(group)
                continue
            param = params[k]
            self.getters[param.name] = self._control(layout, param, values[param.name], param.name)
            k += 1

    def _channels(self, layout: QFormLayout, group: list[Param], values: dict[str, Any]) -> None:
        """Records of one shape (Levels' channels, Hue/Saturation's colour ranges, the mixer's
        outputs) one at a time behind a menu, as Photoshop shows them."""
        menu = QComboBox()
        menu.setObjectName("adjustmentChannel")
        pages = QStackedWidget()
        for param in group:
            menu.addItem(param.title, param.name)
            page = QWidget()
            inner = QFormLayout(page)
            inner.setContentsMargins(0, 0, 0, 0)
            if param.type == "record":
                getters = {f.name: self._control(inner, f, values[param.name][f.name], f"{param.name}.{f.name}")
                           for f in param.fields}
                self.getters[param.name] = lambda getters=getters: {k: g() for k, g in getters.items()}
            else:
                self.getters[param.name] = self._control(inner, param, values[param.name], param.name)
            pages.addWidget(page)
        menu.currentIndexChanged.connect(pages.setCurrentIndex)
        menu.setCurrentIndex(max(0, menu.findData("midtones")))  # Colour Balance opens on Midtones
        self.channel_menu = menu
        first = group[0]
        title = ("Tone" if first.type == "color" else "Edit" if first.fields[0].name == "hue"
                 else "Colors" if first.fields[0].name == "cyan" else "Channel")
        layout.addRow(title, menu)
        layout.addRow(pages)

    def rows(self) -> int:
        """How many rows of fields the controls take (the graph aside), for sizing a window."""
        return sum(max(1, len(p.fields)) for p in self.spec.params if p.type != "curve")

    def _control(self, layout: QFormLayout, param: Param, value: Any, path: str) -> Getter:
        if param.type == "record":
            box = QGroupBox(param.title)
            inner = QFormLayout(box)
            getters = {f.name: self._control(inner, f, value[f.name], f"{path}.{f.name}") for f in param.fields}
            layout.addRow(box)
            return lambda: {k: g() for k, g in getters.items()}
        if param.type in ("int", "float"):
            return self._number(layout, param, value, path)
        if param.type == "bool":
            check = QCheckBox(param.title)
            check.setChecked(bool(value))
            check.toggled.connect(lambda _v: self.edited.emit())
            layout.addRow(check)
            self.widgets[path] = check
            return check.isChecked
        if param.type == "choice":
            combo = QComboBox()
            for choice in param.choices:
                combo.addItem(choice.replace("_", " ").capitalize(), choice)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
            layout.addRow(param.title, combo)
            self.widgets[path] = combo
            return combo.currentData
        if param.type == "gradient":
            stops = GradientMapEditor()
            stops.set_stops(value)
            stops.edited.connect(self.edited)
            stops.bar.pressed.connect(self.pressed)
            stops.bar.released.connect(self.released)
            layout.addRow(param.title, stops)
            self.widgets[path] = stops
            return stops.stops
        if param.type == "lut3d":
            return self._lookup(layout, param, value, path)
        if param.type == "color" and _is_shift(param):
            return self._shifts(layout, param, value, path)
        if param.type == "color":
            button = ColourButton(value, param.title)
            button.edited.connect(self.edited)
            layout.addRow(param.title, button)
            self.widgets[path] = button
            return button.value
        edit = QLineEdit(format_value(value))
        edit.setToolTip("four hue angles: ramp start, full start, full end, ramp end" if param.type == "range" else "")
        last = [value]

        def read() -> Any:
            try:
                last[0] = parse_value(param, edit.text())
                edit.setStyleSheet("")
            except ValueError:
                edit.setStyleSheet("color: #d04040")
            return last[0]
        edit.editingFinished.connect(self.edited)
        layout.addRow(param.title, edit)
        self.widgets[path] = edit
        return read

    def _number(self, layout: QFormLayout, param: Param, value: Any, path: str) -> Getter:
        """A slider with its spin box, the spin box narrow so the slider has the room."""
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        scale = 1 if param.type == "int" else 100
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(round((param.min or 0) * scale), round((param.max or 100) * scale))
        slider.setValue(round(value * scale))
        spin = QDoubleSpinBox()
        spin.setDecimals(0 if param.type == "int" else 2)
        spin.setRange(param.min or 0, param.max or 100)
        spin.setSingleStep(param.step or 1)
        spin.setValue(value)
        spin.setMaximumWidth(76)
        slider.valueChanged.connect(lambda v: spin.setValue(v / scale))
        slider.sliderPressed.connect(self.pressed)
        slider.sliderReleased.connect(self.released)
        spin.valueChanged.connect(lambda v: (slider.blockSignals(True), slider.setValue(round(v * scale)),
                                             slider.blockSignals(False), self.edited.emit()))
        h.addWidget(slider, 1)
        h.addWidget(spin)
        layout.addRow(param.title, row)
        self.widgets[path] = spin
        self.widgets[path + ":slider"] = slider
        self._scales[path] = scale
        return (lambda: int(round(spin.value()))) if param.type == "int" else spin.value

    def _lookup(self, layout: QFormLayout, param: Param, value: Any, path: str) -> Getter:
        """Color Lookup's table: its size, and Load 3D LUT… for a .cube file (Photoshop's menu)."""
        current = [value]
        label = QLabel()
        button = QPushButton("Load 3D LUT…")
        button.setObjectName("loadLut")

        def show(table: dict) -> None:
            current[0] = table
            n = table["size"]
            label.setText("none (identity)" if table["rgb"] == param.default_value()["rgb"] and n == 2
                          else f"{n} × {n} × {n} table")

        def load() -> None:
            path_, _ = QFileDialog.getOpenFileName(self, "Load 3D LUT", "", "3D LUT (*.cube)")
            if path_:
                self.load_lut(path_)

        def load_file(name: str) -> None:
            try:
                show(read_cube(name))
            except (OSError, ValueError) as error:
                label.setText(f"not loaded: {error}")
                return
            self.edited.emit()
        self.load_lut = load_file
        show(value)
        button.clicked.connect(load)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(label, 1)
        h.addWidget(button)
        layout.addRow(param.title, row)
        self._lookup_show = show
        return lambda: current[0]

    def _shifts(self, layout: QFormLayout, param: Param, value: Any, path: str) -> Getter:
        """Colour Balance's three sliders between opposite colours, as Photoshop labels them."""
        getters = [self._number(layout, Param(str(i), "int", 0, param.min, param.max, label=label), value[i],
                                f"{path}.{i}")
                   for i, label in enumerate(("Cyan – Red", "Magenta – Green", "Yellow – Blue"))]
        return lambda: [g() for g in getters]

    # --- values ---------------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        return {name: get() for name, get in self.getters.items()}

    def show_values(self, params: dict[str, Any] | None) -> None:
        """Show these params in the controls (no `edited`)."""
        values = self.spec.normalise(params)
        for p in self.spec.params:
            if p.type == "lut3d":
                self._lookup_show(values[p.name])
        if self.curves is not None:
            self.curves.set_points({p.name: values[p.name] for p in self.spec.params if p.type == "curve"})
        for path, widget in self.widgets.items():
            if path.endswith(":slider"):
                continue
            value: Any = values
            for key in path.split("."):
                value = value[int(key)] if key.isdigit() else value[key]
            widget.blockSignals(True)
            if isinstance(widget, QDoubleSpinBox):
                widget.setValue(value)
                slider = self.widgets[path + ":slider"]
                assert isinstance(slider, QSlider)
                slider.blockSignals(True)
                slider.setValue(round(value * self._scales[path]))
                slider.blockSignals(False)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, ColourButton):
                widget.set_value(value)
            elif isinstance(widget, GradientMapEditor):
                widget.set_stops(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(format_value(value))
            widget.blockSignals(False)
