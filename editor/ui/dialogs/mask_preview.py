"""What every mask generator dialog shares: a preview of the layer at dialog size, drawn as
overlay, matte, on black or on white, and parameters that re-run the preview through a
throttling timer so dragging a slider never stalls the window.

The document is not touched until OK, so Cancel leaves it exactly as it was; OK runs the
generator at full resolution and sets the mask as one undo step.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from editor.core import Layer
from editor.masks.generators import apply_to_layer, generate, source_pixels

PREVIEW_SIDE = 480
THROTTLE_MS = 60
VIEW_MODES = ("Overlay", "Matte", "On black", "On white")


def compose_view(rgb: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """RGB uint8 of the preview in one of VIEW_MODES."""
    m = mask.astype(np.float32)[..., None] / 255.0
    img = rgb.astype(np.float32)
    if mode == "Matte":
        out = np.repeat(mask[..., None], 3, axis=2).astype(np.float32)
    elif mode == "On black":
        out = img * m
    elif mode == "On white":
        out = img * m + 255.0 * (1 - m)
    else:  # overlay: hidden parts tinted red, like Photoshop's quick mask
        out = img * m + (img * 0.5 + np.array([255.0, 0, 0]) * 0.5) * (1 - m)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


# The dialog of each mask generator, by operation id: filled by `dialog_for` as each dialog
# module is imported; the Mask menu opens these for the registered generators.
DIALOGS: dict[str, type[GeneratorDialog]] = {}


def dialog_for(kind: str):
    """Class decorator: this dialog edits the registered mask generator `kind`."""
    from editor.masks.generators import generator_op

    generator_op(kind)  # a dialog for a generator nobody registered is a bug

    def register(cls):
        DIALOGS[kind] = cls
        return cls

    return register


class PreviewLabel(QLabel):
    """Shows the preview; reports presses, drags and releases in preview-pixel coordinates."""

    pressed = Signal(int, int, object)  # x, y, Qt.KeyboardModifiers
    dragged = Signal(int, int)
    released = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def _xy(self, pos: QPoint) -> tuple[int, int]:
        return int(pos.x()), int(pos.y())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.pressed.emit(*self._xy(event.position().toPoint()), event.modifiers())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.dragged.emit(*self._xy(event.position().toPoint()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.released.emit(*self._xy(event.position().toPoint()))


class Slider(QWidget):
    """A horizontal slider over a float range with its value shown beside it."""

    def __init__(self, lo: float, hi: float, value: float, decimals: int = 2, on_change=None) -> None:
        super().__init__()
        self.lo, self.hi, self.decimals = lo, hi, decimals
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 1000)
        self.label = QLabel()
        self.label.setMinimumWidth(44)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.slider.valueChanged.connect(self._show)
        if on_change is not None:
            self.slider.valueChanged.connect(lambda _v: on_change())
        self.set_value(value)
        self._show()

    def value(self) -> float:
        return round(self.lo + (self.hi - self.lo) * self.slider.value() / 1000.0, self.decimals)

    def set_value(self, value: float) -> None:
        self.slider.setValue(round((value - self.lo) / (self.hi - self.lo) * 1000))

    def _show(self) -> None:
        self.label.setText(f"{self.value():.{self.decimals}f}")


class GeneratorDialog(QDialog):
    """Base of the parameter dialogs. Subclasses build their controls and `params()`."""

    title = "Mask"

    def __init__(self, window, layer: Layer, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_, self.layer = window, layer
        self.setWindowTitle(self.title)
        self.shrink_layer()
        self.preview_runs = 0  # how often the preview was recomputed (tests watch it)

        self.preview = PreviewLabel()
        self.view_mode = QComboBox()
        self.view_mode.addItems(VIEW_MODES)
        self.view_mode.currentTextChanged.connect(lambda _t: self.redraw())
        self.form = QFormLayout()
        self.form.addRow("View", self.view_mode)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addLayout(self.form)
        side.addStretch(1)
        side.addWidget(self.buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.preview)
        layout.addLayout(side)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(THROTTLE_MS)
        self.timer.timeout.connect(self.update_preview)

    def shrink_layer(self) -> None:
        """The layer at preview size (`small`, `scale`); again whenever its pixels change. `source`
        is what the generator looks at: the layer's pixels, or for a fill layer or a group the
        composite below it (generators.source_pixels)."""
        self.source = source_pixels(self.window_.document, self.layer)
        h, w = self.source.shape[:2]
        self.scale = min(1.0, PREVIEW_SIDE / max(h, w))
        size = (max(1, round(w * self.scale)), max(1, round(h * self.scale)))
        pixels = self.source
        self.small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA) if self.scale < 1 else pixels.copy()
        self.preview_mask = np.full(self.small.shape[:2], 255, np.uint8)

    # --- subclasses -------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        raise NotImplementedError

    def preview_params(self) -> dict[str, Any]:
        """Parameters for the preview-sized image (the same unless they are in pixels)."""
        return self.params()

    # --- preview ----------------------------------------------------------------------
    def schedule_preview(self) -> None:
        """Restart the throttle: a slider drag recomputes once it pauses, not per pixel."""
        self.timer.start()

    def update_preview(self) -> None:
        try:
            self.preview_mask = generate(self.small, self.preview_params())
        except ValueError as e:  # e.g. no sample yet: show the reason, keep the last preview
            self.setToolTip(str(e))
        self.preview_runs += 1
        self.redraw()

    def preview_pixels(self) -> np.ndarray:
        """The colours the preview shows under the mask."""
        return self.small[..., :3]

    def redraw(self) -> None:
        rgb = np.ascontiguousarray(compose_view(self.preview_pixels(), self.preview_mask, self.view_mode.currentText()))
        self.draw_marks(rgb)
        h, w = rgb.shape[:2]
        image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview.setFixedSize(w, h)

    def draw_marks(self, rgb: np.ndarray) -> None:
        """Draw rectangles or scribbles onto the preview (object select)."""

    def full_res(self, x: int, y: int) -> tuple[int, int]:
        """Preview coordinates to layer pixels."""
        h, w = self.source.shape[:2]
        return min(w - 1, max(0, int(x / self.scale))), min(h - 1, max(0, int(y / self.scale)))

    # --- OK -------------------------------------------------------------------------
    def accept(self) -> None:
        """Generate at full resolution and set the mask: one undo step."""
        apply_to_layer(self.window_.document, self.layer, self.params())
        super().accept()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.update_preview()
