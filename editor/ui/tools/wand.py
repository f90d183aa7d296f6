"""Magic wand (W): click a colour to select it within a tolerance.

Options: tolerance, contiguous, sample merged (the visible image rather than
the active layer), anti-alias, and the combine mode. The sampled image is
kept until the document's pixels change, so repeated clicks cost only the
fill (the merged image needs a composite, which is the slow part).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox

from editor.core import Change
from editor.masks.selection import ops
from editor.masks.selection.wand import DEFAULT_TOLERANCE

from .base import PointerEvent
from .selection_base import SelectionOptions, SelectionTool

STALE_KINDS = ("pixels", "mask", "property", "structure", "document", "active")


class MagicWandTool(SelectionTool):
    name = "Magic Wand"
    icon = "magic-staff"
    shortcut = "W"
    tooltip = "Magic wand (W): select a colour region; Shift adds, Alt subtracts"

    def __init__(self, host) -> None:
        super().__init__(host)
        self._sample: np.ndarray | None = None
        self._sample_key: tuple | None = None
        self._watched = None

    def build_options(self, options: SelectionOptions) -> None:
        options.add(QLabel("Tolerance"))
        self.tolerance = options.add(QSpinBox())
        self.tolerance.setRange(0, 255)
        self.tolerance.setValue(DEFAULT_TOLERANCE)
        self.contiguous = options.add(QCheckBox("Contiguous"))
        self.contiguous.setChecked(True)
        self.sample_merged = options.add(QCheckBox("Sample merged"))

    def activate(self) -> None:
        self.options  # noqa: B018 - build the option widgets before the first click

    def _on_change(self, change: Change) -> None:
        if change.kind in STALE_KINDS:
            self._sample = None

    def _watch(self) -> None:
        doc = self.document
        if self._watched is not doc:
            if self._watched is not None:
                self._watched.events.disconnect(self._on_change)
            doc.events.connect(self._on_change)
            self._watched = doc
            self._sample = None

    def sample(self) -> np.ndarray | None:
        self._watch()
        merged = self.sample_merged.isChecked()
        key = (merged, id(self.document.active))
        if self._sample is None or self._sample_key != key:
            self._sample = ops.sample_image(self.document, merged=merged)
            self._sample_key = key
        return self._sample

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        doc = self.document
        if not (0 <= pos.x() < doc.width and 0 <= pos.y() < doc.height):
            return
        sample = self.sample()
        if sample is None:
            self.host.show_status("The magic wand needs a pixel layer, or Sample merged")
            return
        ops.wand_select(doc, pos.x(), pos.y(), self.mode_for(event), tolerance=self.tolerance.value(),
                        contiguous=self.contiguous.isChecked(), antialias=self.antialias, sample=sample)
