"""Edit > Fill…, Stroke…, Clear and the Backspace fills, and the gradient/bucket tool pair, as Photoshop.

- Fill… (Shift+F5, Shift+Backspace): foreground, background, a colour, black, 50 % grey or white,
  with mode, opacity and Preserve Transparency;
- Stroke…: a band along the selection's edge (width, inside / centre / outside, colour);
- Clear (Delete, Backspace): with a selection, transparent pixels or black on a mask (as it shows,
  also on an inverted mask). Without one, Delete in the Layers panel still deletes the layer;
  elsewhere it only says what it needs. Delete never removes a layer while there is a selection;
- Alt+Backspace fills with the foreground, Ctrl+Backspace with the background;
- G picks the gradient or the paint bucket, whichever of the two was used last; Shift+G swaps.

Each is one undo step, through editor.paint.fill and the one paint target.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence

from editor.core import Document
from editor.paint import PaintRefused, current_target
from editor.paint import fill as fill_ops

from .dialogs.fill_dialogs import FillChoice, FillDialog, StrokeChoice, StrokeDialog


def _rgb(colour) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


class FillActions(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.fill_choice = FillChoice()
        self.stroke_choice: StrokeChoice | None = None

    @property
    def document(self) -> Document:
        return self.window.document

    # --- running one command ------------------------------------------------------------
    def _run(self, fn, done: str | None = None) -> bool:
        try:
            cmd = fn()
        except PaintRefused as refusal:
            self.window.show_status(str(refusal))
            return False
        if cmd is None:
            self.window.show_status("Nothing changed")
            return False
        if done:
            self.window.show_status(done)
        return True

    def _on_mask(self) -> bool:
        return current_target(self.document)[1] == "mask"

    def has_selection(self) -> bool:
        sel = self.document.selection
        return sel is not None and not sel.is_empty

    # --- the commands ---------------------------------------------------------------------
    def fill_with(self, choice: FillChoice) -> bool:
        rgb = choice.rgb(self.window.foreground, self.window.background)
        return self._run(lambda: fill_ops.fill(self.document, rgb, opacity=choice.opacity, mode=choice.mode,
                                               preserve_transparency=choice.preserve_transparency))

    def fill_dialog(self) -> None:
        dialog = FillDialog(self.fill_choice, on_mask=self._on_mask(), parent=self.window)
        if dialog.exec():
            self.fill_choice = dialog.choice()
            self.fill_with(self.fill_choice)

    def fill_foreground(self) -> None:
        self.fill_with(FillChoice("foreground"))

    def fill_background(self) -> None:
        self.fill_with(FillChoice("background"))

    def stroke_dialog(self) -> None:
        if not self.has_selection():
            self.window.show_status("Stroke needs a selection: its edge is what is stroked")
            return
        choice = self.stroke_choice or StrokeChoice(colour=_rgb(self.window.foreground))
        dialog = StrokeDialog(choice, on_mask=self._on_mask(), parent=self.window)
        if dialog.exec():
            self.stroke_choice = dialog.choice()
            self.stroke_with(self.stroke_choice)

    def stroke_with(self, c: StrokeChoice) -> bool:
        return self._run(lambda: fill_ops.stroke(self.document, c.colour, c.width, c.location, opacity=c.opacity,
                                                 mode=c.mode, preserve_transparency=c.preserve_transparency))

    def clear(self) -> None:
        """Delete / Backspace."""
        if not self.has_selection():
            view = self.window.layers_panel.view
            if view.hasFocus():  # the Layers panel's own Delete: the layer goes, as before
                view.delete_requested.emit()
                return
            self.window.show_status("Nothing is selected to clear (Delete in the Layers panel deletes the layer)")
            return
        self._run(lambda: fill_ops.clear(self.document))

    # --- the gradient / bucket pair ------------------------------------------------------------
    def _group(self):
        names = ("Gradient", "Paint Bucket")
        return [t for t in self.window.tools if t.name in names]

    def pick_group_tool(self) -> None:
        """G: the one of the pair used last (the gradient at first)."""
        group = self._group()
        last = getattr(self, "_last_group_tool", None)
        self._last_group_tool = last if last in group else group[0]
        self.window.set_tool(self._last_group_tool)

    def cycle_group_tool(self) -> None:
        """Shift+G: the other one."""
        group = self._group()
        current = self.window.canvas.tool
        nxt = group[(group.index(current) + 1) % len(group)] if current in group else group[0]
        self._last_group_tool = nxt
        self.window.set_tool(nxt)

    def _tool_changed(self) -> None:
        tool = self.window.canvas.tool
        if tool in self._group():
            self._last_group_tool = tool


def install_fill_actions(window, edit_menu) -> FillActions:
    """Add Fill…, Stroke…, Clear and the Backspace fills to the Edit menu, and G / Shift+G for the pair."""
    actions = FillActions(window)
    a = window._action
    edit_menu.addSeparator()
    edit_menu.addAction(a("fill", "Fill…", actions.fill_dialog, ["Shift+F5", "Shift+Backspace"], "format-color-fill"))
    edit_menu.addAction(a("stroke", "Stroke…", actions.stroke_dialog, None, "border-outside"))
    edit_menu.addAction(a("clear", "Clear", actions.clear, ["Delete", "Backspace"], "eraser-variant"))
    edit_menu.addAction(a("fill_foreground", "Fill with Foreground", actions.fill_foreground,
                          ["Alt+Backspace", "Alt+Delete"], "format-color-fill"))
    edit_menu.addAction(a("fill_background", "Fill with Background", actions.fill_background,
                          ["Ctrl+Backspace", "Ctrl+Delete"], "format-color-fill"))
    window.layers_panel.view.clear_requested.connect(actions.clear)
    group = actions._group()
    if group:
        for tool in group:  # one key for the pair, as Photoshop: G the last used, Shift+G the other
            tool.action.setShortcut(QKeySequence())
        a("tool_gradient_group", "Gradient or Paint Bucket", actions.pick_group_tool, "G")
        a("tool_gradient_cycle", "Next of Gradient and Paint Bucket", actions.cycle_group_tool, "Shift+G")
        window.tool_actions.triggered.connect(lambda _action: actions._tool_changed())
    window.fill_actions = actions
    return actions
