"""The Paint Bucket (G / Shift+G, with the gradient): fill the region a magic wand click would select.

Options as Photoshop's: mode, opacity, tolerance, anti-alias, contiguous, sample merged (all
layers rather than the active one). It fills with the foreground colour (its grey on a mask,
sampling the mask as it shows), inside the selection, one undo step. The sampled image comes
from the document's sample cache, shared with the magic wand (editor.masks.selection.sample).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from editor.core import BlendMode
from editor.core.blend import MENU_GROUPS
from editor.masks.selection.wand import DEFAULT_TOLERANCE
from editor.paint import PaintRefused, PaintTarget
from editor.paint.fill import bucket_fill, bucket_sample

from .base import PointerEvent, Tool


class BucketOptions(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Mode"))
        self.mode = QComboBox()
        self.mode.setObjectName("bucket_mode")
        for k, group in enumerate(MENU_GROUPS):
            if k:
                self.mode.insertSeparator(self.mode.count())
            for m in group:
                self.mode.addItem(m.label, m)
        layout.addWidget(self.mode)
        layout.addWidget(QLabel("Opacity"))
        self.opacity = QSpinBox()
        self.opacity.setObjectName("bucket_opacity")
        self.opacity.setRange(0, 100)
        self.opacity.setSuffix(" %")
        self.opacity.setValue(100)
        layout.addWidget(self.opacity)
        layout.addWidget(QLabel("Tolerance"))
        self.tolerance = QSpinBox()
        self.tolerance.setObjectName("bucket_tolerance")
        self.tolerance.setRange(0, 255)
        self.tolerance.setValue(DEFAULT_TOLERANCE)
        layout.addWidget(self.tolerance)
        self.antialias = QCheckBox("Anti-alias")
        self.antialias.setChecked(True)
        self.contiguous = QCheckBox("Contiguous")
        self.contiguous.setChecked(True)
        self.sample_merged = QCheckBox("Sample merged")
        for box in (self.antialias, self.contiguous, self.sample_merged):
            layout.addWidget(box)
        layout.addStretch(1)


class PaintBucketTool(Tool):
    name = "Paint Bucket"
    icon = "format-color-fill"
    shortcut = "Shift+G"
    tooltip = "Paint bucket (G / Shift+G): fill a region of similar colour with the foreground"

    def __init__(self, host) -> None:
        super().__init__(host)
        self._options: BucketOptions | None = None

    @property
    def options(self) -> BucketOptions:
        if self._options is None:
            self._options = BucketOptions()
        return self._options

    def options_widget(self) -> QWidget | None:
        return self.options

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.PointingHandCursor)

    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        doc = self.document
        if not (0 <= pos.x() < doc.width and 0 <= pos.y() < doc.height):
            return
        o = self.options
        try:
            target = PaintTarget.current(doc)
        except PaintRefused as refusal:
            self.host.show_status(str(refusal))
            return
        merged = o.sample_merged.isChecked()
        if bucket_sample(doc, target, merged=merged) is None:
            self.host.show_status("The paint bucket needs a pixel layer or mask, or Sample merged")
            return
        fg = self.host.foreground
        cmd = bucket_fill(doc, pos.x(), pos.y(), (fg.red(), fg.green(), fg.blue()), tolerance=o.tolerance.value(),
                          contiguous=o.contiguous.isChecked(), sample_merged=merged,
                          antialias=o.antialias.isChecked(), opacity=o.opacity.value() / 100.0,
                          mode=BlendMode(o.mode.currentData()))
        if cmd is None:
            self.host.show_status("Nothing to fill there")
