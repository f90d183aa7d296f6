"""The document: canvas, layer tree, active layer, selection and history."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .events import Change, Emitter
from .geometry import Rect
from .history import Command, History
from .layers import Group, Layer, Node
from .paths import VectorPath
from .selection import Selection

MAX_CANVAS_SIDE = 100_000


class Document:
    def __init__(self, width: int, height: int, *, resolution: float = 72.0, history_budget: int | None = None) -> None:
        if not (0 < width <= MAX_CANVAS_SIDE and 0 < height <= MAX_CANVAS_SIDE):
            raise ValueError(f"canvas size {width}x{height} is out of range")
        self.width, self.height = int(width), int(height)
        self.resolution = float(resolution)
        self.root = Group("Root")
        self.active: Node | None = None
        self.edit_mask = False  # the brush paints the active layer's mask, not its pixels
        self.selection: Selection | None = None
        self.paths: list[VectorPath] = []  # the pen tool's outlines, saved with the project
        # While quick mask is on, the selection lives here as an editable document-sized
        # mask (node.mask.data, 255 selected) that the brush paints; see editor.masks.selection.quickmask.
        self.quick_mask: Node | None = None
        self.history = History() if history_budget is None else History(history_budget)
        self.events = Emitter()
        self.path: str | None = None  # where the document was last opened or saved
        self.warnings: list[str] = []  # what a reader could not keep, for the user to see

    @property
    def canvas(self) -> Rect:
        return Rect(0, 0, self.width, self.height)

    @property
    def modified(self) -> bool:
        return self.history.modified

    # --- the tree -------------------------------------------------------
    def nodes(self) -> Iterator[Node]:
        """Every node, depth first, bottom first."""
        return self.root.walk()

    def layers(self) -> list[Layer]:
        return [n for n in self.nodes() if isinstance(n, Layer)]

    def find(self, uid: int) -> Node | None:
        return next((n for n in self.nodes() if n.uid == uid), None)

    def find_by_name(self, name: str) -> Node | None:
        return next((n for n in self.nodes() if n.name == name), None)

    def set_active(self, node: Node | None, *, edit_mask: bool | None = None) -> None:
        """Which layer the tools act on; not an undo step, as in every editor."""
        self.active = node
        if edit_mask is not None:
            self.edit_mask = edit_mask and node is not None and node.mask is not None
        elif node is None or node.mask is None:
            self.edit_mask = False
        self.notify("active", node)

    # --- changes --------------------------------------------------------
    def notify(self, kind: str, node: Node | None = None, rect: Rect | None = None, *, name: str | None = None) -> None:
        self.events.emit(Change(kind, node, rect, name))

    def execute(self, cmd: Command, *, mergeable: bool = True) -> Command:
        """Apply a command and record it as one undo step."""
        cmd.redo(self)
        self.record(cmd, mergeable=mergeable)
        return cmd

    def record(self, cmd: Command, *, mergeable: bool = True) -> None:
        """Record a command whose effect is already in the document (a live brush stroke)."""
        self.history.record(cmd, mergeable=mergeable)
        self.notify("history")

    def undo(self) -> bool:
        cmd = self.history.undo_step()
        if cmd is None:
            return False
        cmd.undo(self)
        self.notify("history")
        return True

    def redo(self) -> bool:
        cmd = self.history.redo_step()
        if cmd is None:
            return False
        cmd.redo(self)
        self.notify("history")
        return True

    def jump(self, index: int) -> None:
        """Undo or redo until `index` steps are applied (the History panel's click)."""
        index = max(0, min(index, len(self.history.steps)))
        while self.history.index > index:
            self.undo()
        while self.history.index < index:
            self.redo()

    def roll_back(self, index: int) -> None:
        """Undo back to `index` steps and forget the steps undone: a live-preview dialog's Cancel
        leaves the document, and its history, as they were when it opened."""
        while self.history.index > index and self.undo():
            pass
        self.history.forget_redo()
        self.notify("history")

    # --- construction helpers ----------------------------------------------
    @classmethod
    def from_pixels(cls, rgba: np.ndarray, name: str = "Background", **kw) -> Document:
        """A document holding one layer with these RGBA pixels; no undo step."""
        h, w = rgba.shape[:2]
        doc = cls(w, h, **kw)
        layer = Layer(name, rgba)
        doc.root.insert(0, layer)
        doc.active = layer
        return doc
