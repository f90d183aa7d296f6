"""The Properties dock (Photoshop's Properties panel) for the active layer.

Sections, shown as they apply: the layer (opacity, blend mode, Blending Options… for Blend If),
its mask (density, feather, invert, enabled; Refine Edge, Colour Range and Re-run Generator,
which are the Mask menu's own actions), and an adjustment's or filter's settings. Every
control edits through a core command: one drag of a slider is one undo step (its steps share
a merge key), and the canvas follows live. The panel follows the active layer, the document's
changes and undo.

`install_properties_panel(window)` docks it on the right beside Layers (View > Panels >
Properties) and adds Layer > Layer Style > Blending Options….
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core import Change, Document, Layer, Node, ops
from editor.core.blend import MENU_GROUPS
from editor.core.blendif import active as blend_if_active
from editor.core.layers import KNOCKOUTS
from editor.render import adjustments
from editor.render.kinds import renders_fill

from .dialogs.adjustment_controls import AdjustmentControls
from .dialogs.blending_options import open_blending_options

_edit_ids = itertools.count(1)

_CHANGES = ("active", "structure", "history", "property", "mask", "document")

KIND_TITLES = {"pixel": "Pixel layer", "fill": "Colour fill layer", "gradient-fill": "Gradient fill layer",
               "group": "Group", "adjustment": "Adjustment"}


class ValueSlider(QWidget):
    """A slider and a spin box over a float range; `edited(value, merge_key)` on user changes.

    A drag of the slider keeps one merge key from press to release (one undo step); each typed
    value or arrow step gets a fresh one.
    """

    edited = Signal(float, str)

    def __init__(self, lo: float, hi: float, *, decimals: int = 0, suffix: str = "", scale: float | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lo, self.hi = lo, hi
        self.scale = scale if scale is not None else 10 ** decimals  # slider steps per unit
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(round(lo * self.scale), round(hi * self.scale))
        self.spin = QDoubleSpinBox()
        self.spin.setRange(lo, hi)
        self.spin.setDecimals(decimals)
        self.spin.setSuffix(suffix)
        self.spin.setKeyboardTracking(False)
        self.spin.setMinimumWidth(74)
        self._key = ""
        self.slider.sliderPressed.connect(self._new_key)
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)

    def _new_key(self) -> None:
        self._key = f"props-{next(_edit_ids)}"

    def value(self) -> float:
        return self.spin.value()

    def set_value(self, value: float) -> None:
        """Show a value without emitting `edited`."""
        for w in (self.slider, self.spin):
            w.blockSignals(True)
        self.slider.setValue(round(value * self.scale))
        self.spin.setValue(value)
        for w in (self.slider, self.spin):
            w.blockSignals(False)

    def _from_slider(self, position: int) -> None:
        if not self.slider.isSliderDown():
            self._new_key()
        value = position / self.scale
        self.spin.blockSignals(True)
        self.spin.setValue(value)
        self.spin.blockSignals(False)
        self.edited.emit(value, self._key)

    def _from_spin(self, value: float) -> None:
        self._new_key()
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * self.scale))
        self.slider.blockSignals(False)
        self.edited.emit(value, self._key)


class PropertiesPanel(QScrollArea):
    def __init__(self, window) -> None:
        super().__init__()
        self.setObjectName("propertiesPanel")
        self.window = window
        self.doc: Document | None = None
        self._refresh_pending = False
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)

        self.title = QLabel("No layer")
        self.title.setObjectName("propertiesTitle")
        self.title.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.title)

        # --- an adjustment's settings, first as in Photoshop's Properties ---------------------
        self.settings_box = QGroupBox("Settings")
        self.settings_layout = QFormLayout(self.settings_box)
        self.settings_refresh: Callable[[], None] | None = None
        self._settings_for: tuple[int, str] | None = None
        layout.addWidget(self.settings_box)

        # --- the layer ---------------------------------------------------------------
        self.layer_box = QGroupBox("Layer")
        form = QFormLayout(self.layer_box)
        self.opacity = ValueSlider(0, 100, suffix=" %")
        self.opacity.setObjectName("propertiesOpacity")
        self.opacity.edited.connect(lambda v, key: self._set_node(merge_key=key, opacity=v / 100))
        self.fill = ValueSlider(0, 100, suffix=" %")
        self.fill.setObjectName("propertiesFill")
        self.fill.setToolTip("Photoshop's Fill: like opacity, except in colour and linear burn and dodge, vivid and "
                             "linear light, hard mix and difference, where it fades the blend itself")
        self.fill.edited.connect(lambda v, key: self._set_node(merge_key=key, fill=v / 100))
        self.blend = QComboBox()
        for n, group in enumerate(MENU_GROUPS):
            if n:
                self.blend.insertSeparator(self.blend.count())
            for mode in group:
                self.blend.addItem(mode.label, mode)
        self.blend.activated.connect(self._blend_chosen)
        self.blend_if_button = QPushButton("Blending Options…")
        self.blend_if_button.setObjectName("propertiesBlendIf")
        self.blend_if_button.setToolTip("Blend If: show this layer only where it, or what lies below it, "
                                        "is in a range of tones")
        self.blend_if_button.clicked.connect(self.open_blending_options)
        form.addRow("Opacity", self.opacity)
        form.addRow("Fill", self.fill)
        self.fill_label = form.labelForField(self.fill)
        form.addRow("Mode", self.blend)
        form.addRow("", self.blend_if_button)
        # Photoshop's Advanced Blending (Layer Style > Blending Options): Knockout, Channels,
        # Blend Clipped Layers as Group; each change is one undo step.
        self.knockout = QComboBox()
        self.knockout.setObjectName("propertiesKnockout")
        for value in KNOCKOUTS:
            self.knockout.addItem(value.title(), value)
        self.knockout.setToolTip("Knockout: within this layer's shape, show what lies below its group (Shallow) "
                                 "or the Background (Deep) instead of the layers between")
        self.knockout.activated.connect(self._knockout_chosen)
        form.addRow("Knockout", self.knockout)
        self.channel_boxes: dict[str, QCheckBox] = {}
        channels = QHBoxLayout()
        for letter in "rgb":
            box = QCheckBox(letter.upper())
            box.setObjectName(f"propertiesChannel{letter.upper()}")
            box.setToolTip("Blend into this colour channel; unticked, the channel keeps what lies below")
            box.toggled.connect(self._channels_toggled)
            self.channel_boxes[letter] = box
            channels.addWidget(box)
        channels.addStretch(1)
        form.addRow("Channels", channels)
        self.clip_group_blend = QCheckBox("Blend clipped layers as group")
        self.clip_group_blend.setObjectName("propertiesClipGroupBlend")
        self.clip_group_blend.setToolTip("On a clipping base: its mode applies to the layers clipped to it; off, "
                                         "each clipped layer blends in its own mode with what lies below")
        self.clip_group_blend.toggled.connect(
            lambda on: self._set_node(label="Blend clipped layers as group" if on else "Blend clipped layers apart",
                                      clip_group_blend=on))
        form.addRow("", self.clip_group_blend)
        layout.addWidget(self.layer_box)

        # --- the mask ------------------------------------------------------------------
        self.mask_box = QGroupBox("Mask")
        form = QFormLayout(self.mask_box)
        self.density = ValueSlider(0, 100, suffix=" %")
        self.density.setObjectName("propertiesDensity")
        self.density.setToolTip("How strongly the mask hides (Photoshop's Density)")
        self.density.edited.connect(lambda v, key: self._set_mask(merge_key=key, label="Mask density", density=v / 100))
        self.feather = ValueSlider(0, 250, decimals=1, suffix=" px")
        self.feather.setObjectName("propertiesFeather")
        self.feather.setToolTip("Softens the mask's edge at render time; the mask itself is kept")
        self.feather.edited.connect(lambda v, key: self._set_mask(merge_key=key, label="Mask feather", feather=v))
        self.mask_enabled = QCheckBox("Enabled")
        self.mask_enabled.toggled.connect(lambda on: self._set_mask(label="Enable mask" if on else "Disable mask",
                                                                    enabled=on))
        self.mask_inverted = QCheckBox("Invert")
        self.mask_inverted.setToolTip("Show where the mask hides and hide where it shows (kept as a setting)")
        self.mask_inverted.toggled.connect(lambda on: self._set_mask(label="Invert mask setting", inverted=on))
        checks = QHBoxLayout()
        checks.addWidget(self.mask_enabled)
        checks.addWidget(self.mask_inverted)
        checks.addStretch(1)
        form.addRow("Density", self.density)
        form.addRow("Feather", self.feather)
        form.addRow("", checks)
        # The Mask menu's own actions, run from buttons of the panel's (their enabled state is the
        # panel's to show; the actions themselves stay as the menu leaves them).
        self.mask_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        for key, text in (("refine_edge", "Refine Edge…"), ("color_range", "Colour Range…"),
                          ("rerun_generator", "Re-run")):
            button = QPushButton(text)
            button.setObjectName(f"properties_{key}")
            action = self._generator_action(key)
            if action is not None:
                button.setToolTip(action.text().rstrip("…") + (f" ({action.shortcut().toString()})"
                                                              if not action.shortcut().isEmpty() else ""))
                button.clicked.connect(lambda _=False, a=action: a.trigger())
            self.mask_buttons[key] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.no_mask = QWidget()
        row = QHBoxLayout(self.no_mask)
        row.setContentsMargins(0, 0, 0, 0)
        add_mask = QToolButton()
        add_mask.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        actions = getattr(window, "layer_actions", None)
        if actions is not None and "mask_white" in actions.actions:
            add_mask.setDefaultAction(actions.actions["mask_white"])
        row.addWidget(QLabel("No mask."))
        row.addWidget(add_mask)
        row.addStretch(1)
        layout.addWidget(self.mask_box)
        layout.addWidget(self.no_mask)

        layout.addStretch(1)

        window.canvas.document_replaced.connect(self._document_replaced)
        self._document_replaced()

    # --- following the document ---------------------------------------------------------
    def _generator_action(self, key: str) -> QAction | None:
        generators = getattr(self.window, "mask_generators", None)
        return generators.actions.get(key) if generators is not None else None

    def _document_replaced(self) -> None:
        doc = self.window.canvas.document
        if self.doc is not None:
            self.doc.events.disconnect(self._on_change)
        self.doc = doc
        if doc is not None:
            doc.events.connect(self._on_change)
        self.refresh()

    def _on_change(self, change: Change) -> None:
        if change.kind in _CHANGES and not self._refresh_pending:
            # Coalesced: a drag or a stroke sends many changes per frame.
            self._refresh_pending = True
            QTimer.singleShot(0, self.refresh)

    def node(self) -> Node | None:
        return self.doc.active if self.doc is not None else None

    def refresh(self) -> None:
        """Show the active layer's current settings (without emitting edits)."""
        self._refresh_pending = False
        node = self.node()
        self.layer_box.setVisible(node is not None)
        if node is None:
            self.title.setText("No layer")
            self.mask_box.hide()
            self.no_mask.hide()
            self.settings_box.hide()
            return
        kind = KIND_TITLES.get(node.kind, node.kind.replace("-", " ").capitalize())
        self.title.setText(f"{node.name}  ·  {kind}")
        self.opacity.set_value(round(node.opacity * 100))
        has_fill = renders_fill(node)
        self.fill.setVisible(has_fill)
        self.fill_label.setVisible(has_fill)
        if has_fill:
            self.fill.set_value(round(node.fill * 100))
        self.blend.blockSignals(True)
        self.blend.setCurrentIndex(self.blend.findData(node.blend_mode))
        self.blend.blockSignals(False)
        self.blend_if_button.setText("Blending Options… (on)" if blend_if_active(node.blend_if)
                                     else "Blending Options…")
        self.knockout.setCurrentIndex(self.knockout.findData(node.knockout))  # activated: user choices only
        for letter, box in self.channel_boxes.items():
            box.blockSignals(True)
            box.setChecked(letter in node.channels)
            box.blockSignals(False)
        self.clip_group_blend.blockSignals(True)
        self.clip_group_blend.setChecked(node.clip_group_blend)
        self.clip_group_blend.blockSignals(False)
        mask = node.mask
        self.mask_box.setVisible(mask is not None)
        self.no_mask.setVisible(mask is None)
        if mask is not None:
            self.density.set_value(round(mask.density * 100))
            self.feather.set_value(mask.feather)
            for box, value in ((self.mask_enabled, mask.enabled), (self.mask_inverted, mask.inverted)):
                box.blockSignals(True)
                box.setChecked(value)
                box.blockSignals(False)
            for w in (self.density, self.feather, self.mask_inverted):
                w.setEnabled(mask.enabled)
        is_layer = isinstance(node, Layer)
        generated = mask is not None and bool(mask.generator)
        for key, button in self.mask_buttons.items():
            button.setVisible(is_layer)  # the generators work on pixel layers
            button.setEnabled(is_layer and mask is not None and (key != "rerun_generator" or generated))
        self._refresh_settings(node)

    def _refresh_settings(self, node: Node) -> None:
        """Controls generated from the adjustment's parameter schema (built once per layer)."""
        builder = SETTINGS_BUILDERS.get(node.kind)
        if builder is None:
            self.settings_box.hide()
            self._settings_for = None
            return
        self.settings_box.show()
        ident = (node.uid, getattr(node, "adjustment", node.kind))
        if self._settings_for != ident:
            while self.settings_layout.rowCount():
                self.settings_layout.removeRow(0)
            self.settings_refresh = builder(self, node, self.settings_layout)
            self._settings_for = ident
        if self.settings_refresh is not None:
            self.settings_refresh()

    # --- edits ------------------------------------------------------------------------------
    def _set_node(self, *, merge_key: str | None = None, label: str | None = None, **values) -> None:
        node = self.node()
        if node is not None and self.doc is not None:
            ops.set_properties(self.doc, node, merge_key=merge_key, label=label, **values)

    def _set_mask(self, *, merge_key: str | None = None, label: str | None = None, **values) -> None:
        node = self.node()
        if node is not None and node.mask is not None and self.doc is not None:
            ops.set_mask_properties(self.doc, node, merge_key=merge_key, label=label, **values)

    def _knockout_chosen(self, row: int) -> None:
        value = self.knockout.itemData(row)
        node = self.node()
        if value is not None and node is not None and value != node.knockout:
            self._set_node(label="Knockout", knockout=value)

    def _channels_toggled(self) -> None:
        channels = "".join(letter for letter, box in self.channel_boxes.items() if box.isChecked())
        node = self.node()
        if node is not None and channels != node.channels:
            self._set_node(label="Blend channels", channels=channels)

    def _blend_chosen(self, row: int) -> None:
        mode = self.blend.itemData(row)
        if mode is not None:
            self._set_node(label="Blend mode", blend_mode=mode)

    def show_settings(self) -> None:
        """Bring the panel forward with room for an adjustment's controls (a new adjustment
        layer, or a double-click on one, as Photoshop shows its Properties)."""
        dock = getattr(self.window, "properties_dock", None)
        if dock is None:
            return
        dock.show()
        dock.raise_()
        layers = getattr(self.window, "layers_dock", None)
        if layers is not None and not dock.isFloating() and self.window.dockWidgetArea(dock) == \
                self.window.dockWidgetArea(layers):
            want = min(self.widget().sizeHint().height() + 40, int(self.window.height() * 0.6))
            if dock.height() < want:
                total = dock.height() + layers.height()
                self.window.resizeDocks([layers, dock], [max(200, total - want), want], Qt.Orientation.Vertical)

    def open_blending_options(self):
        return open_blending_options(self.window, self.node())


# node.kind -> builder(panel, node, form) returning a function that shows the node's current
# values; adjustment kinds register theirs (see register_settings).
SETTINGS_BUILDERS: dict[str, Callable[[PropertiesPanel, Node, QFormLayout], Callable[[], None]]] = {}


def register_settings(kind: str, builder: Callable[[PropertiesPanel, Node, QFormLayout], Callable[[], None]]) -> None:
    SETTINGS_BUILDERS[kind] = builder


def _adjustment_settings(panel: PropertiesPanel, node: Node, form: QFormLayout) -> Callable[[], None]:
    """An adjustment's or filter's controls, the settings dialog's own: each drag of a slider or
    a curve point is one undo step, previewed at the screen's level until its release; each
    typed value, click or toggle is a step of its own."""
    spec = adjustments.spec(node.adjustment)
    controls = AdjustmentControls(spec, node.params)
    controls.setObjectName("propertiesAdjustment")
    drag = {"key": "", "down": False}

    def pressed() -> None:
        drag["key"], drag["down"] = f"props-{next(_edit_ids)}", True

    def released() -> None:
        drag["down"] = False
        panel.window.canvas.settle()

    def edited() -> None:
        if not drag["down"]:
            drag["key"] = f"props-{next(_edit_ids)}"
        if panel.doc is not None:
            ops.set_adjustment_params(panel.doc, node, controls.params(), merge_key=drag["key"],
                                      label=f"{spec.label} settings")

    def refresh() -> None:  # undo, redo or the dialog changed the params: show them
        if not drag["down"] and controls.params() != spec.normalise(node.params):
            controls.show_values(node.params)

    controls.pressed.connect(pressed)
    controls.released.connect(released)
    controls.edited.connect(edited)
    panel.settings_box.setTitle(spec.label.replace("&", "&&"))  # "&" is no mnemonic
    form.addRow(controls)
    panel.adjustment_controls = controls  # for tests
    return refresh


register_settings("adjustment", _adjustment_settings)


def install_properties_panel(window) -> PropertiesPanel:
    """The Properties dock beside Layers, and Layer > Layer Style > Blending Options…."""
    panel = PropertiesPanel(window)
    dock = window.add_panel("Properties", "propertiesDock", panel)
    # Under Layers, in a tab beside History, so the layer list keeps its height.
    window.tabifyDockWidget(window.history_dock, dock)
    dock.raise_()
    window.properties_panel, window.properties_dock = panel, dock
    layer_menu = window.menus.get("layer")
    if isinstance(layer_menu, QMenu):
        style = layer_menu.addMenu("Layer Style")
        action = QAction("Blending Options…", window)
        action.triggered.connect(lambda: open_blending_options(window))
        style.addAction(action)
        window.actions["blending_options"] = action
    return panel
