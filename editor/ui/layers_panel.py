"""The Layers dock: blend mode, opacity and Fill of the active layer, the layer tree (several rows may be selected), and buttons."""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core import BlendMode, Change, Document, ops
from editor.core.blend import MENU_GROUPS
from editor.core.layers import Node
from editor.render.kinds import renders_fill

from .icons import icon
from .layers_model import LayerTreeModel
from .layers_view import LayerTreeView

if TYPE_CHECKING:
    from .layer_actions import LayerActions

_edit_ids = itertools.count(1)


def _has_fill(node: Node) -> bool:
    """Whether the node renders a Fill (editor.render.kinds: pixel and fill layers of every kind)."""
    return renders_fill(node)


class LayersPanel(QWidget):
    def __init__(self, actions: LayerActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layersPanel")
        self.doc: Document | None = None
        self.layer_actions = actions
        self.model = LayerTreeModel(self)
        self.view = LayerTreeView(self.model, self)
        self.view.context_menu_requested.connect(self._context_menu)
        self.view.selection_changed.connect(actions.update_state)
        self.view.delete_requested.connect(lambda: actions.actions["delete"].trigger())
        self.view.fill_edit_requested.connect(actions.edit_content)
        self.view.settings_requested.connect(actions.show_adjustment_properties)

        self.blend = QComboBox()
        self.blend.setToolTip("Blend mode of the selected layers (shows the active one's)")
        for n, group in enumerate(MENU_GROUPS):  # grouped as Photoshop's menu groups them
            if n:
                self.blend.insertSeparator(self.blend.count())
            for mode in group:
                self.blend.addItem(mode.label, mode)
        self.blend.activated.connect(self._blend_chosen)

        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(0, 100)
        self.opacity_spin = QSpinBox()
        self.opacity_spin.setRange(0, 100)
        self.opacity_spin.setSuffix(" %")
        self.opacity_spin.setToolTip("Opacity of the selected layers (shows the active one's)")

        # Photoshop's Fill, beside Opacity: the layer's own paint (pixel and fill layers only).
        self.fill_slider = QSlider(Qt.Orientation.Horizontal)
        self.fill_slider.setRange(0, 100)
        self.fill_slider.setObjectName("layersFill")
        self.fill_spin = QSpinBox()
        self.fill_spin.setRange(0, 100)
        self.fill_spin.setSuffix(" %")
        self.fill_spin.setToolTip("Fill of the selected pixel and fill layers: like opacity, except in colour and "
                                  "linear burn and dodge, vivid and linear light, hard mix and difference, where it "
                                  "fades the blend itself (as Photoshop's Fill)")
        self._edit_keys = {"opacity": "", "fill": ""}
        for prop, slider, spin in (("opacity", self.opacity_slider, self.opacity_spin),
                                   ("fill", self.fill_slider, self.fill_spin)):
            slider.sliderPressed.connect(functools.partial(self._new_edit, prop))
            slider.valueChanged.connect(functools.partial(self._from_slider, prop, slider))
            spin.valueChanged.connect(functools.partial(self._from_spin, prop))

        top = QHBoxLayout()
        top.setContentsMargins(6, 6, 6, 2)
        top.addWidget(self.blend, 1)
        # Opacity above Fill, labels and fields aligned, as Photoshop stacks them: side by side
        # the two sliders were squeezed to a few pixels in a dock of usual width.
        opacity_row = QGridLayout()
        opacity_row.setContentsMargins(6, 0, 6, 4)
        opacity_row.setVerticalSpacing(2)
        for row, (label, slider, spin) in enumerate((("Opacity", self.opacity_slider, self.opacity_spin),
                                                     ("Fill", self.fill_slider, self.fill_spin))):
            opacity_row.addWidget(QLabel(label), row, 0)
            opacity_row.addWidget(slider, row, 1)
            opacity_row.addWidget(spin, row, 2)
        opacity_row.setColumnStretch(1, 1)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 2, 4, 4)
        buttons.setSpacing(2)
        for key in ("new_layer", "new_group", "new_fill", "adjust_curves", None, "mask_white", "clip", None, "duplicate", "merge_down", "delete"):
            if key is None:
                buttons.addSpacing(8)
                continue
            button = QToolButton()
            button.setDefaultAction(actions.actions[key])
            button.setIconSize(QSize(18, 18))
            button.setAutoRaise(True)
            if key == "mask_white":  # the mask button offers every kind on a long press or its arrow
                button.setMenu(actions.add_mask_menu(button))
                button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
                button.setToolTip("Add layer mask (reveal all); arrow for more")
                button.setIcon(icon("layers-outline"))
            if key == "new_fill":  # a solid colour on a click, every fill kind on its arrow
                button.setMenu(actions.fill_menu(button))
                button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
                button.setToolTip("New fill layer (solid colour); arrow for a gradient")
                button.setObjectName("newFillButton")
            if key == "adjust_curves":  # Photoshop's half-filled circle: every adjustment and filter in its menu
                menu = actions.adjustment_menu(button)
                menu.addSeparator()
                for action in actions.adjustment_menu(menu, "filter").actions():
                    menu.addAction(action)
                button.setMenu(menu)
                button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
                button.setToolTip("New adjustment or filter layer")
                button.setIcon(icon("circle-half-full"))
                button.setObjectName("newAdjustmentButton")
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addLayout(opacity_row)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.model.active_changed.connect(lambda _node: self._sync_controls())

    def set_document(self, doc: Document | None) -> None:
        if self.doc is not None:
            self.doc.events.disconnect(self._on_change)
        self.doc = doc
        self.model.set_document(doc)
        if doc is not None:
            doc.events.connect(self._on_change)
        self._sync_controls()

    def _on_change(self, change: Change) -> None:
        if change.kind in ("property", "active", "structure", "history", "mask"):
            self._sync_controls()

    def _sync_controls(self) -> None:
        node: Node | None = self.doc.active if self.doc is not None else None
        widgets = (self.blend, self.opacity_slider, self.opacity_spin, self.fill_slider, self.fill_spin)
        for widget in widgets:
            widget.setEnabled(node is not None)
            widget.blockSignals(True)
        if node is not None:
            self.blend.setCurrentIndex(self.blend.findData(node.blend_mode))
            value = round(node.opacity * 100)
            self.opacity_slider.setValue(value)
            self.opacity_spin.setValue(value)
            fill = round(node.fill * 100) if _has_fill(node) else 100
            self.fill_slider.setValue(fill)
            self.fill_spin.setValue(fill)
            self.fill_slider.setEnabled(_has_fill(node))
            self.fill_spin.setEnabled(_has_fill(node))
        for widget in widgets:
            widget.blockSignals(False)
        self.layer_actions.update_state()

    # --- edits ----------------------------------------------------------------------
    def _blend_chosen(self, row: int) -> None:
        if self.doc is not None and self.blend.itemData(row) is not None:  # every selected layer, as Photoshop does
            mode = BlendMode(self.blend.itemData(row))
            ops.set_properties_each(self.doc, {n: {"blend_mode": mode} for n in self.layer_actions.selected()}, "Blend mode")

    def _new_edit(self, prop: str) -> None:
        self._edit_keys[prop] = f"{prop}-{next(_edit_ids)}"  # one drag of the slider = one undo step

    def _from_slider(self, prop: str, slider: QSlider, value: int) -> None:
        if not slider.isSliderDown():
            self._new_edit(prop)
        self._set(prop, value)

    def _from_spin(self, prop: str, value: int) -> None:
        self._new_edit(prop)
        self._set(prop, value)

    def _set(self, prop: str, value: int) -> None:
        """Opacity or Fill of every selected layer, as Photoshop sets them (Fill: pixel and fill layers)."""
        if self.doc is not None:
            nodes = [n for n in self.layer_actions.selected() if prop != "fill" or _has_fill(n)]
            ops.set_properties_each(self.doc, {n: {prop: value / 100.0} for n in nodes}, prop.capitalize(),
                                    merge_key=self._edit_keys[prop])

    def _context_menu(self, pos) -> None:
        node, _part = self.view.part_at(pos)
        if node is not None and self.doc is not None and node is not self.doc.active:
            self.doc.set_active(node)
        self.layer_actions.update_state()
        self.layer_actions.context_menu(self).exec(self.view.viewport().mapToGlobal(pos))
