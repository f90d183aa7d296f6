"""One dialog for every adjustment and filter layer, built from its parameter schema
(editor.render.adjustments): sliders for numbers, check boxes, Photoshop's Curves graph for
curve points, a stop strip for gradients, and text fields for colour ranges. Every change
shows at once on the canvas; everything done while the dialog is up is one undo step, and
Cancel takes it back. While a slider, a curve point or a gradient stop is dragged the canvas previews at the level it shows; `released` (the drag ended) lets it
render at full resolution at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from editor.core import Adjustment, Document, ops
from editor.render import adjustments
from editor.render.adjustments.base import Param

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


class AdjustmentDialog(QDialog):
    released = Signal()  # a slider, curve point or gradient stop drag ended

    def __init__(self, parent: QWidget | None, doc: Document, node: Adjustment) -> None:
        super().__init__(parent)
        self.doc, self.node = doc, node
        self.spec = adjustments.spec(node.adjustment)
        self.setWindowTitle(f"{self.spec.label} — {node.name}")
        self.setObjectName("adjustmentDialog")
        self._start = dict(node.params)
        self._changed = False
        self._merge_key = f"adjustment-dialog-{node.uid}-{id(self)}"
        self.widgets: dict[str, QWidget] = {}  # by dotted parameter path, for tests
        self._scales: dict[str, int] = {}
        values = self.spec.normalise(node.params)
        form = QWidget()
        layout = QFormLayout(form)
        self.getters: dict[str, Getter] = {}
        self.curves: CurvesEditor | None = None  # one graph for all the curve parameters
        curve_names = [p.name for p in self.spec.params if p.type == "curve"]
        if curve_names:
            self.curves = CurvesEditor()
            self.curves.set_points({name: values[name] for name in curve_names})
            self.curves.edited.connect(self.changed)
            self.curves.released.connect(self.released)
            layout.addRow(self.curves)
            for name in curve_names:
                self.getters[name] = lambda name=name: self.curves.points(name)
        for param in self.spec.params:
            if param.type != "curve":
                self.getters[param.name] = self._control(layout, param, values[param.name], param.name)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.Reset)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Reset).clicked.connect(self.reset_defaults)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        rows = sum(max(1, len(p.fields)) for p in self.spec.params if p.type != "curve")
        self.resize(480, min(680, 120 + 34 * rows + (380 if self.curves else 0)))

    # --- controls from the schema -----------------------------------------------------
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
            slider.sliderReleased.connect(self.released)
            spin.valueChanged.connect(lambda v: (slider.blockSignals(True), slider.setValue(round(v * scale)),
                                                 slider.blockSignals(False), self.changed()))
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
            check.toggled.connect(lambda _v: self.changed())
            layout.addRow(check)
            self.widgets[path] = check
            return check.isChecked
        if param.type == "choice":
            combo = QComboBox()
            combo.addItems(list(param.choices))
            combo.setCurrentText(value)
            combo.currentTextChanged.connect(lambda _v: self.changed())
            layout.addRow(param.title, combo)
            self.widgets[path] = combo
            return combo.currentText
        if param.type == "gradient":
            stops = GradientMapEditor()
            stops.set_stops(value)
            stops.edited.connect(self.changed)
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
        edit.editingFinished.connect(self.changed)
        layout.addRow(param.title, edit)
        self.widgets[path] = edit
        return read

    # --- applying -----------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        return {name: get() for name, get in self.getters.items()}

    def changed(self) -> None:
        before = self.node.params
        ops.set_adjustment_params(self.doc, self.node, self.params(), merge_key=self._merge_key,
                                  label=f"{self.spec.label} settings")
        self._changed = self._changed or self.node.params != before

    def reset_defaults(self) -> None:
        ops.set_adjustment_params(self.doc, self.node, self.spec.defaults(), merge_key=self._merge_key,
                                  label=f"{self.spec.label} settings")
        self._changed = True
        self.show_values()

    def show_values(self) -> None:
        """Show the node's params in the controls again (after Reset)."""
        values = self.spec.normalise(self.node.params)
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

    def reject(self) -> None:
        """Cancel: take back the one step the dialog made, when it made one."""
        history = self.doc.history
        step = history.steps[history.index - 1] if history.index > 0 else None
        if self._changed and getattr(step, "merge_key", None) == self._merge_key:
            self.doc.undo()
        super().reject()
