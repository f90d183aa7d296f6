"""Edit > Free Transform (Ctrl+T), Edit > Transform > ..., Select > Transform Selection.

`install_transform_actions(window, edit_menu, select_menu)` makes one
`FreeTransformTool` for the window (kept as `window.transform`) and the actions.
A transform borrows the canvas from the current tool and gives it back when it
ends. The Transform submenu's modes start a transform in that mode (or switch the
running one); its flips and quarter turns are the "turn-layers" operation's menu entries
on the registry (editor.geometry.operations): they apply at once to the selected layers
when no transform runs, as in Photoshop, exactly (no resampling), as one undo step.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from editor.core.operations import REGISTRY
from editor.geometry.operations import turn_nodes

from .icons import icon
from .tools.transform_tool import FreeTransformTool

MODES = (("scale", "Scale"), ("rotate", "Rotate"), ("skew", "Skew"), ("distort", "Distort"), ("perspective", "Perspective"))


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
        section = 0  # the modes'
        for op, entry in REGISTRY.menu_entries("edit/Transform"):
            if entry.section != section:
                sub.addSeparator()
                section = entry.section
            sub.addAction(self._action(entry.key, entry.text, lambda _=False, o=op.id, p=entry.params: self.run(o, p),
                                       entry.shortcut, entry.icon))
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
        self.run("turn-layers", {"turn": op})

    def run(self, op_id: str, params: dict) -> None:
        """A Transform submenu entry: inside a running transform the flip or turn joins it (turns
        only); otherwise the registered operation on the selected layers, in a worker."""
        if self.tool.active and "turn" in params:
            self.tool.apply(params["turn"])
            return
        doc = self.window.document
        op = REGISTRY.get(op_id)
        values = op.validate(params)
        try:
            nodes = turn_nodes(doc, values, self.window.selected_layers())
        except ValueError as err:
            self.window.show_status(str(err))
            return
        label = next((e.text for e in op.menu_entries() if e.params == params), op.label)

        def work(progress, cancelled):
            return op.extra["command"](doc, values, progress, nodes=nodes)

        def done(cmd) -> None:
            if cmd is not None and doc is self.window.document:
                doc.execute(cmd)

        self.window.jobs.run(work, label=label, on_done=done,
                             on_error=lambda err: self.window.show_status(f"Could not transform: {err}", 8000))


def install_transform_actions(window, edit: QMenu, select: QMenu) -> TransformActions:
    window.transform = TransformActions(window, edit, select)
    return window.transform
