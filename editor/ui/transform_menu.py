"""Edit > Free Transform (Ctrl+T), Edit > Transform > ..., Select > Transform Selection.

`install_transform_actions(window, edit_menu, select_menu)` makes one
`FreeTransformTool` for the window (kept as `window.transform`) and the actions.
A transform borrows the canvas from the current tool and gives it back when it
ends. The Transform submenu's modes start a transform in that mode (or switch the
running one); its flips and quarter turns apply at once when no transform runs, as
in Photoshop, exactly (no resampling), as one undo step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from editor.render import freetransform as ft
from editor.render.transform import target_bounds, top_level, transform_command, transformable
from editor.render.warp import apply_points, translation

from .icons import icon
from .tools.transform_tool import FreeTransformTool

MODES = (("scale", "Scale"), ("rotate", "Rotate"), ("skew", "Skew"), ("distort", "Distort"), ("perspective", "Perspective"))
TURNS = (("rotate_180", "Rotate 180°"), ("rotate_cw", "Rotate 90° Clockwise"), ("rotate_ccw", "Rotate 90° Counter Clockwise"),
         None, ("flip_h", "Flip Horizontal"), ("flip_v", "Flip Vertical"))


class TransformActions:
    def __init__(self, window, edit: QMenu, select: QMenu) -> None:
        self.window = window
        self.tool = FreeTransformTool(window)
        self.tool.on_finished = self._finished
        self.actions: dict[str, QAction] = {}
        self._previous = None
        # A checkable action in the tools' exclusive group, not in the toolbox: the toolbox
        # shows no tool as current while the transform borrows the canvas.
        self.tool.action = QAction(icon(self.tool.icon), self.tool.name, window)
        self.tool.action.setCheckable(True)
        window.tool_actions.addAction(self.tool.action)

        before = window.actions.get("swap_colors")
        free = self._action("free_transform", "Free Transform", lambda: self.free_transform(), "Ctrl+T", "vector-square-edit")
        sub = QMenu("Transform", window)
        for key, text in MODES:
            sub.addAction(self._action(f"transform_{key}", text, lambda _=False, k=key: self.start_mode(k)))
        sub.addSeparator()
        for item in TURNS:
            if item is None:
                sub.addSeparator()
                continue
            key, text = item
            sub.addAction(self._action(f"transform_{key}", text, lambda _=False, k=key: self.turn(k)))
        if before is not None:
            edit.insertAction(before, free)
            edit.insertMenu(before, sub)
            edit.insertSeparator(before)
        else:
            edit.addSeparator()
            edit.addAction(free)
            edit.addMenu(sub)
        self.submenu = sub
        select.addSeparator()
        select.addAction(self._action("transform_selection", "Transform Selection", lambda: self.transform_selection(), None,
                                      "selection-drag"))

    def _action(self, key: str, text: str, slot, shortcut: str | None = None, icon_name: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.window.addAction(action)
        self.window.actions[key] = action
        self.actions[key] = action
        return action

    # --- starting ------------------------------------------------------------------------
    def _enter(self) -> None:
        current = self.window.canvas.tool
        if current is not self.tool:
            self._previous = current
            self.window.set_tool(self.tool)
        self.window.show_status("Transform: drag the handles; Enter commits, Esc cancels", 6000)

    def free_transform(self, mode: str = "free") -> bool:
        if self.tool.active:
            self.tool.set_mode(mode)
            return True
        if self.tool.begin_layers(mode=mode):
            self._enter()
            return True
        return False

    def start_mode(self, mode: str) -> bool:
        return self.free_transform(mode)

    def transform_selection(self) -> bool:
        if self.tool.active:
            return False
        if self.tool.begin_selection():
            self._enter()
            return True
        return False

    def _finished(self, committed: bool) -> None:
        previous, self._previous = self._previous, None
        if previous is not None and self.window.canvas.tool is self.tool:
            self.window.set_tool(previous)

    # --- immediate flips and turns ----------------------------------------------------------
    def turn(self, op: str) -> None:
        if self.tool.active:
            self.tool.apply(op)
            return
        doc = self.window.document
        nodes = top_level(self.window.selected_layers())
        if not nodes or any(n.locked for n in nodes) or not all(transformable(n) for n in nodes):
            self.window.show_status("Select an unlocked layer to transform")
            return
        part = "mask" if doc.edit_mask else "pixels"
        rect = target_bounds(doc, nodes, part)
        if rect is None:
            return
        matrix = exact_turn(op, rect)
        label = dict(item for item in TURNS if item is not None)[op]

        def work(progress, cancelled):
            return transform_command(doc, nodes, matrix, "nearest", part=part, progress=progress, label=label)

        def done(cmd) -> None:
            if cmd is not None and doc is self.window.document:
                doc.execute(cmd)

        self.window.jobs.run(work, label=label, on_done=done,
                             on_error=lambda err: self.window.show_status(f"Could not transform: {err}", 8000))


def exact_turn(op: str, rect) -> np.ndarray:
    """The flip or quarter turn `op` of `rect` about its centre, nudged so the result lands on whole pixels."""
    centre = (rect.x + rect.w / 2, rect.y + rect.h / 2)
    eye = np.eye(3)
    m = {"flip_h": lambda: ft.flip(eye, centre, True), "flip_v": lambda: ft.flip(eye, centre, False),
         "rotate_180": lambda: ft.turn(eye, centre, 180), "rotate_cw": lambda: ft.turn(eye, centre, 90),
         "rotate_ccw": lambda: ft.turn(eye, centre, -90)}[op]()
    corners = apply_points(m, ft.source_corners(rect))
    low = corners.min(axis=0)
    return translation(*(np.floor(low + 0.5) - low)) @ m


def install_transform_actions(window, edit: QMenu, select: QMenu) -> TransformActions:
    window.transform = TransformActions(window, edit, select)
    return window.transform
