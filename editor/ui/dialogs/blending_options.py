"""Layer > Layer Style > Blending Options…: Blend If, as in Photoshop's Layer Style dialog.

Two range sliders (This Layer, Underlying Layer) for the channel chosen in the Blend If menu
(Gray, Red, Green, Blue); every channel's ranges apply at once. Each slider has four handles,
superqt's QRangeSlider with two handles at each end: dragging an end moves both of its halves
while they are together, Alt-drag splits them (as in Photoshop), and split halves move on their
own. The canvas previews every change live; the whole dialog is one undo step, and Cancel puts
the document and its history back as they were.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QLinearGradient, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from superqt import QRangeSlider

from editor.core import BlendIf, Document, Node, ops
from editor.core.blendif import CHANNELS, FULL

_sessions = itertools.count(1)
CHANNEL_LABELS = {"gray": "Gray", "red": "Red", "green": "Green", "blue": "Blue"}
_RAMP_END = {"gray": QColor(255, 255, 255), "red": QColor(255, 0, 0), "green": QColor(0, 255, 0),
             "blue": QColor(0, 0, 255)}


class SplitRangeSlider(QRangeSlider):
    """Four handles on 0..255: black lo, black hi, white lo, white hi (kept in that order).

    A handle whose partner sits on it drags both (an unsplit end); with Alt held the one on the
    side of the drag comes away from it, splitting the end into a soft ramp."""

    rangeEdited = Signal(tuple)  # the four values, on every user change

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, 255)
        self.setValue(FULL)
        self.setBarVisible(False)
        self.setBarMovesAllHandles(False)
        self.setMinimumWidth(300)
        self._alt = False
        # Programmatic updates block signals, so every valueChanged is the user's.
        self.valueChanged.connect(lambda v: self.rangeEdited.emit(tuple(int(round(x)) for x in v)))

    def range_values(self) -> tuple[int, int, int, int]:
        return tuple(int(round(v)) for v in self.value())  # type: ignore[return-value]

    def _neighbor_bound(self, val, index):
        # The halves of an end may sit on each other (superqt keeps one step between handles).
        pos = self._position
        if index > 0:
            val = max(pos[index - 1], val)
        if index < len(pos) - 1:
            val = min(pos[index + 1], val)
        return val

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        self._alt = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)
        super().mousePressEvent(ev)

    def setSliderPosition(self, pos, index=None, *, reversed=False):  # noqa: N802 (Qt's name)
        if isinstance(pos, (list, tuple)):
            return super().setSliderPosition(pos, index, reversed=reversed)
        idx = self._pressedIndex if index is None else index
        lower, upper = (idx, idx + 1) if idx % 2 == 0 else (idx - 1, idx)
        positions = self._position
        if positions[lower] != positions[upper]:
            return super().setSliderPosition(pos, idx)
        if self._alt:  # split: the half on the side of the drag comes away
            idx = upper if pos > positions[idx] else lower
            self._pressedIndex = idx
            return super().setSliderPosition(pos, idx)
        value = float(pos)
        if lower > 0:
            value = max(positions[lower - 1], value)
        if upper < len(positions) - 1:
            value = min(positions[upper + 1], value)
        value = self._type_cast(max(self.minimum(), min(self.maximum(), value)))
        positions[lower] = positions[upper] = value
        self._doSliderMove()
        return None


class Ramp(QWidget):
    """The gradient strip over a slider: black to the channel's colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(10)
        self.channel = "gray"

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        # The handles' centres run from half a handle in from each side.
        inset = 7
        g = QLinearGradient(inset, 0, self.width() - inset, 0)
        g.setColorAt(0, QColor(0, 0, 0))
        g.setColorAt(1, _RAMP_END[self.channel])
        p.fillRect(QRectF(0, 0, self.width(), self.height()), g)
        p.end()


def range_text(values: tuple[int, int, int, int]) -> str:
    """'0' or '10 / 40' at the black end, likewise at the white end, as Photoshop labels them."""
    b0, b1, w0, w1 = values
    black = f"{b0}" if b0 == b1 else f"{b0} / {b1}"
    white = f"{w1}" if w0 == w1 else f"{w0} / {w1}"
    return f"{black}  …  {white}"


class BlendingOptionsDialog(QDialog):
    def __init__(self, parent: QWidget | None, doc: Document, node: Node) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Blending Options — {node.name}")
        self.setObjectName("blendingOptionsDialog")
        self.doc, self.node = doc, node
        self.original = node.blend_if
        self.start_index = doc.history.index
        self._key = f"blend-if-{next(_sessions)}"

        self.channel = QComboBox()
        for ch in CHANNELS:
            self.channel.addItem(CHANNEL_LABELS[ch], ch)
        self.channel.currentIndexChanged.connect(lambda _i: self._show_channel())

        grid = QGridLayout()
        self.sliders: dict[str, SplitRangeSlider] = {}
        self.labels: dict[str, QLabel] = {}
        self.ramps: dict[str, Ramp] = {}
        for row, (which, title) in enumerate((("this", "This Layer:"), ("underlying", "Underlying Layer:"))):
            slider = SplitRangeSlider()
            slider.setObjectName(f"blendIf_{which}")
            slider.setToolTip("Drag an end to move it; Alt-drag to split it into a soft ramp")
            slider.rangeEdited.connect(lambda values, w=which: self._edited(w, values))
            label = QLabel()
            label.setMinimumWidth(120)
            ramp = Ramp()
            self.sliders[which], self.labels[which], self.ramps[which] = slider, label, ramp
            grid.addWidget(QLabel(title), row * 2, 0, 2, 1)
            grid.addWidget(ramp, row * 2, 1)
            grid.addWidget(slider, row * 2 + 1, 1)
            grid.addWidget(label, row * 2, 2, 2, 1)

        top = QHBoxLayout()
        top.addWidget(QLabel("Blend If:"))
        top.addWidget(self.channel)
        top.addStretch(1)
        hint = QLabel("Alt-drag a handle to split it. Every channel's ranges apply together.")
        hint.setStyleSheet("color: palette(mid);")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.Reset)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Reset).setText("Reset Channel")
        buttons.button(QDialogButtonBox.StandardButton.Reset).clicked.connect(self.reset_channel)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self._show_channel()

    # --- state ------------------------------------------------------------------
    def current(self) -> BlendIf:
        return self.node.blend_if or BlendIf()

    def channel_name(self) -> str:
        return self.channel.currentData()

    def _show_channel(self) -> None:
        ch = self.channel_name()
        for which, slider in self.sliders.items():
            values = self.current().range(which, ch)
            slider.blockSignals(True)
            slider.setValue(values)
            slider.blockSignals(False)
            self.labels[which].setText(range_text(values))
            self.ramps[which].channel = ch
            self.ramps[which].update()

    def set_range(self, which: str, values) -> None:
        """Set one range of the shown channel (live on the canvas, merged into the dialog's step)."""
        self._edited(which, tuple(int(v) for v in values))
        self._show_channel()

    def _edited(self, which: str, values: tuple[int, int, int, int]) -> None:
        if self.node.parent is None:  # the layer went away under the dialog
            return
        new = self.current().with_range(which, self.channel_name(), values)
        ops.set_blend_if(self.doc, self.node, new, merge_key=self._key)
        self.labels[which].setText(range_text(values))

    def reset_channel(self) -> None:
        for which in self.sliders:
            self.set_range(which, FULL)

    # --- closing ----------------------------------------------------------------
    def reject(self) -> None:
        if self.doc.history.index > self.start_index:
            self.doc.roll_back(self.start_index)
        super().reject()


def open_blending_options(window, node: Node | None = None) -> BlendingOptionsDialog | None:
    """Show the dialog for `node` (the active layer by default), window-modal."""
    doc = window.document
    node = node or doc.active
    if node is None:
        window.show_status("Choose a layer first")
        return None
    dialog = BlendingOptionsDialog(window, doc, node)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    window.blending_options = dialog
    return dialog
