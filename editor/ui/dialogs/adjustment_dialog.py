"""One dialog for every adjustment and filter layer, showing its schema-built controls
(adjustment_controls). Every change shows at once on the canvas; everything done while the
dialog is up is one undo step, and Cancel takes it back. While a slider or a curve point is
dragged the canvas previews at the level it shows; `released` (the drag ended) lets it render
at full resolution at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QScrollArea, QVBoxLayout, QWidget

from editor.core import Adjustment, Document, ops
from editor.render import adjustments

from .adjustment_controls import AdjustmentControls


class AdjustmentDialog(QDialog):
    released = Signal()  # a slider or curve drag ended

    def __init__(self, parent: QWidget | None, doc: Document, node: Adjustment) -> None:
        super().__init__(parent)
        self.doc, self.node = doc, node
        self.spec = adjustments.spec(node.adjustment)
        self.setWindowTitle(f"{self.spec.label} — {node.name}")
        self.setObjectName("adjustmentDialog")
        self._changed = False
        self._merge_key = f"adjustment-dialog-{node.uid}-{id(self)}"
        self.controls = AdjustmentControls(self.spec, node.params)
        self.controls.edited.connect(self.changed)
        self.controls.released.connect(self.released)
        self.widgets = self.controls.widgets  # by dotted parameter path, for tests
        self.curves = self.controls.curves
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.controls)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.Reset)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Reset).clicked.connect(self.reset_defaults)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        self.resize(420, min(680, 120 + 34 * self.controls.rows() + (380 if self.curves else 0)))

    def params(self) -> dict[str, Any]:
        return self.controls.params()

    def changed(self) -> None:
        before = self.node.params
        ops.set_adjustment_params(self.doc, self.node, self.params(), merge_key=self._merge_key,
                                  label=f"{self.spec.label} settings")
        self._changed = self._changed or self.node.params != before

    def reset_defaults(self) -> None:
        ops.set_adjustment_params(self.doc, self.node, self.spec.defaults(), merge_key=self._merge_key,
                                  label=f"{self.spec.label} settings")
        self._changed = True
        self.controls.show_values(self.node.params)

    def reject(self) -> None:
        """Cancel: take back the one step the dialog made, when it made one."""
        history = self.doc.history
        step = history.steps[history.index - 1] if history.index > 0 else None
        if self._changed and getattr(step, "merge_key", None) == self._merge_key:
            self.doc.undo()
        super().reject()
