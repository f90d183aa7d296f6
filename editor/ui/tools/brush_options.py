"""The brush's controls in the tool-options bar: size, hardness, opacity, flow, spacing,
smoothing and the two pressure switches."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from editor.paint import Brush

# (field, label, minimum, maximum, suffix, scale from the spin box to the Brush value)
_SPINS = (
    ("size", "Size", 1, 5000, " px", 1.0),
    ("hardness", "Hardness", 0, 100, " %", 0.01),
    ("opacity", "Opacity", 0, 100, " %", 0.01),
    ("flow", "Flow", 0, 100, " %", 0.01),
    ("spacing", "Spacing", 1, 1000, " %", 0.01),
    ("smoothing", "Smoothing", 0, 100, " %", 0.01),
)
_CHECKS = (
    ("pressure_size", "Pressure → size"),
    ("pressure_opacity", "Pressure → opacity"),
)


class BrushOptions(QWidget):
    """Edits a Brush; emits `changed(brush)` when the user changes a control."""

    changed = Signal(object)

    def __init__(self, brush: Brush, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._brush = brush
        self._updating = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.spins: dict[str, QSpinBox] = {}
        for name, label, lo, hi, suffix, _ in _SPINS:
            spin = QSpinBox()
            spin.setRange(lo, hi)
            spin.setSuffix(suffix)
            spin.setKeyboardTracking(False)
            spin.setObjectName(f"brush_{name}")
            spin.valueChanged.connect(self._edited)
            layout.addWidget(QLabel(label))
            layout.addWidget(spin)
            self.spins[name] = spin
        self.checks: dict[str, QCheckBox] = {}
        for name, label in _CHECKS:
            check = QCheckBox(label)
            check.setObjectName(f"brush_{name}")
            check.toggled.connect(self._edited)
            layout.addWidget(check)
            self.checks[name] = check
        layout.addStretch(1)
        self.set_brush(brush)

    @property
    def brush(self) -> Brush:
        return self._brush

    def set_brush(self, brush: Brush) -> None:
        """Show `brush` (changed by a key, say) without emitting `changed`."""
        self._brush = brush
        self._updating = True
        try:
            for name, _, _, _, _, scale in _SPINS:
                self.spins[name].setValue(round(getattr(brush, name) / scale))
            for name, _ in _CHECKS:
                self.checks[name].setChecked(getattr(brush, name))
        finally:
            self._updating = False

    def _edited(self) -> None:
        if self._updating:
            return
        values = {name: self.spins[name].value() * scale for name, _, _, _, _, scale in _SPINS}
        values.update({name: self.checks[name].isChecked() for name, _ in _CHECKS})
        self._brush = self._brush.with_(**values)
        self.changed.emit(self._brush)
