"""The controls of one adjustment or filter, built from its parameter schema
(editor.render.adjustments): sliders for numbers, check boxes, Photoshop's Curves graph for
curve points, the gradient tool's stop strip for gradients, and text fields for colour ranges. The settings dialog and the
Properties panel both show these; what an edit does (its undo step) is theirs to decide.

Signals: `edited` on every change the user makes, `pressed` when a slider, curve point or
gradient stop drag starts and `released` when it ends (so a drag can be one undo step and preview at the
screen's level until the release).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSlider,
    QWidget,
)

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
    want = 4 if param.type == "range" else 3
    if len(nums) != want:
        raise ValueError(f"{param.title} needs {want} numbers")
    return nums


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
        for param in spec.params:
            if param.type != "curve":
                self.getters[param.name] = self._control(layout, param, values[param.name], param.name)

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
        if param.type == "bool":
            check = QCheckBox(param.title)
            check.setChecked(bool(value))
            check.toggled.connect(lambda _v: self.edited.emit())
            layout.addRow(check)
            self.widgets[path] = check
            return check.isChecked
        if param.type == "choice":
            combo = QComboBox()
            combo.addItems(list(param.choices))
            combo.setCurrentText(value)
            combo.currentTextChanged.connect(lambda _v: self.edited.emit())
            layout.addRow(param.title, combo)
            self.widgets[path] = combo
            return combo.currentText
        if param.type == "gradient":
            stops = GradientMapEditor()
            stops.set_stops(value)
            stops.edited.connect(self.edited)
            stops.bar.pressed.connect(self.pressed)
            stops.bar.released.connect(self.released)
            layout.addRow(param.title, stops)
            self.widgets[path] = stops
            return stops.stops
        edit = QLineEdit(format_value(value))
        edit.setToolTip({"range": "four hue angles: ramp start, full start, full end, ramp end",
                         "color": "three numbers"}.get(param.type, ""))
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

    # --- values ---------------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        return {name: get() for name, get in self.getters.items()}

    def show_values(self, params: dict[str, Any] | None) -> None:
        """Show these params in the controls (no `edited`)."""
        values = self.spec.normalise(params)
        if self.curves is not None:
            self.curves.set_points({p.name: values[p.name] for p in self.spec.params if p.type == "curve"})
        for path, widget in self.widgets.items():
            if path.endswith(":slider"):
                continue
            value: Any = values
            for key in path.split("."):
                value = value[key]
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
                widget.setCurrentText(value)
            elif isinstance(widget, GradientMapEditor):
                widget.set_stops(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(format_value(value))
            widget.blockSignals(False)
