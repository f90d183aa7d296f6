"""The History dock: the core history's steps, click one to go back or forward to it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from editor.core import Change, Document

from .icons import icon


class HistoryPanel(QListWidget):
    """Row 0 is the document as opened; row i is the state after step i."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.setObjectName("historyPanel")
        self.itemClicked.connect(self._jump)

    def set_document(self, doc: Document | None) -> None:
        if self.doc is not None:
            self.doc.events.disconnect(self._on_change)
        self.doc = doc
        if doc is not None:
            doc.events.connect(self._on_change)
        self.refresh()

    def _on_change(self, change: Change) -> None:
        if change.kind == "history":
            self.refresh()

    def refresh(self) -> None:
        self.blockSignals(True)
        self.clear()
        doc = self.doc
        if doc is not None:
            history = doc.history
            first = QListWidgetItem(icon("file-image-outline"), "Open" if history.dropped == 0 else "…")
            self.addItem(first)
            for i, label in enumerate(history.labels(), start=1):
                item = QListWidgetItem(icon("history"), label)
                if i > history.index:  # undone steps, redoable, shown dimmed as in Photoshop
                    item.setForeground(Qt.GlobalColor.gray)
                self.addItem(item)
            self.setCurrentRow(history.index)
            self.scrollToItem(self.currentItem())
        self.blockSignals(False)

    def _jump(self, item: QListWidgetItem) -> None:
        if self.doc is not None:
            self.doc.jump(self.row(item))
