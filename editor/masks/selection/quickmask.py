"""Quick mask (Q): the selection becomes a document-sized mask the brushes paint.

While it is on, `doc.quick_mask` is a plain `Node` outside the layer tree
whose `mask.data` (255 selected, 0 not) holds the selection, and
`doc.selection` is None, so painting is not confined by it. The brush paints
that mask (`editor.paint.paint_target` returns it) through the usual `PixelEdit`
undo (its offset is (0, 0)); the
canvas shows it as a red overlay where it is not selected. Q again turns the
mask back into the selection. Entering and leaving are one undo step each,
as in GIMP and Photoshop; with no selection, quick mask starts all red
(nothing selected), as in GIMP.
"""

from __future__ import annotations

import numpy as np

from editor.core import Command, Document, Macro, Mask, Node, Selection, SetSelection


class SetQuickMask(Command):
    def __init__(self, node: Node | None, label: str = "Quick mask") -> None:
        self.node, self.label = node, label
        self.old: Node | None = None

    def redo(self, doc: Document) -> None:
        self.old = doc.quick_mask
        doc.quick_mask = self.node
        doc.notify("selection", None, doc.canvas)

    def undo(self, doc: Document) -> None:
        doc.quick_mask = self.old
        doc.notify("selection", None, doc.canvas)

    def nbytes(self) -> int:
        return sum(n.mask.data.nbytes for n in (self.node, self.old) if n is not None and n.mask is not None)


def enter_quick_mask(doc: Document) -> Node:
    if doc.quick_mask is not None:
        return doc.quick_mask
    if doc.selection is not None:
        data = doc.selection.data.copy()
    else:
        data = np.zeros((doc.height, doc.width), np.uint8)
    node = Node("Quick mask", mask=Mask(data))
    doc.execute(Macro("Quick mask on", [SetSelection(None), SetQuickMask(node)]))
    return node


def leave_quick_mask(doc: Document) -> Selection | None:
    node = doc.quick_mask
    if node is None or node.mask is None:
        return doc.selection
    data = node.mask.data.copy()
    selection = Selection(data) if data.any() else None
    doc.execute(Macro("Quick mask off", [SetQuickMask(None), SetSelection(selection)]))
    return selection


def toggle_quick_mask(doc: Document) -> bool:
    """Q: returns True when quick mask is now on."""
    if doc.quick_mask is None:
        enter_quick_mask(doc)
        return True
    leave_quick_mask(doc)
    return False
