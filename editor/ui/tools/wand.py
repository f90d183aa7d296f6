"""Magic wand (W): click a colour to select it within a tolerance.

Options: tolerance, contiguous, sample merged (the visible image rather than
the active layer), anti-alias, and the combine mode. The sampled image comes
from the document's sample cache, shared with the paint bucket: repeated
clicks cost only the fill, and the merged image (a composite, the slow part)
is re-rendered only where the document changed.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox

from editor.masks.selection import ops
from editor.masks.selection.sample import sample_cache
from editor.masks.selection.wand import DEFAULT_TOLERANCE

from .base import PointerEvent
from .selection_base import SelectionOptions, SelectionTool


class MagicWandTool(SelectionTool):
    name = "Magic Wand"
    icon = "magic-staff"
    shortcut = "W"
    tooltip = "Magic wand (W): select a colour region; Shift adds, Alt subtracts"

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

    def sample(self) -> np.ndarray | None:
        cache = sample_cache(self.document)
        return cache.merged() if self.sample_merged.isChecked() else cache.pixels(self.document.active)

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
