"""Edit > Preferences (Ctrl+K): the settings that live outside a document.

Its Models page lists the segmentation models Veil found (rembg's folder,
Veil's own models folder, and files added here), says why a file was
skipped, and adds or removes model files anywhere on disk. Added files are
kept in the per-user models.json (editor/masks/models/registry.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.masks.models import ModelError, scan
from editor.masks.models.registry import (
    extra_files,
    identify,
    rembg_folder,
    resolve,
    set_extra_files,
    veil_folder,
)

COLUMNS = ("Name", "Family", "Use", "Found in", "File")
USES = {"salient": "Select Subject", "prompt": "Object Selection"}


class ModelsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        folders = QLabel(f"Veil looks for .onnx models in rembg's folder <b>{rembg_folder()}</b> and in its own "
                         f"<b>{veil_folder()}</b>, and uses the files added below.")
        folders.setWordWrap(True)
        layout.addWidget(folders)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add Model File…")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Forget a file added here (files in the model folders stay)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button = QPushButton("Open Veil's Models Folder")
        self.open_button.clicked.connect(self.open_folder)
        for b in (self.add_button, self.remove_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Skipped files"))
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(90)
        layout.addWidget(self.problems)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        models, problems = scan()
        self.table.setRowCount(len(models))
        for row, info in enumerate(models):
            files = str(info.path) if info.decoder is None else f"{info.path}  +  {info.decoder.name}"
            for col, text in enumerate((info.name, info.family.name, USES.get(info.kind, info.kind), info.source, files)):
                item = QTableWidgetItem(text)
                item.setData(256, str(info.path))  # Qt.UserRole: which file the row is
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.problems.setPlainText("\n".join(problems) if problems else "None")
        self._update_buttons()

    def _selected_paths(self) -> list[Path]:
        rows = {i.row() for i in self.table.selectedItems()}
        return [Path(self.table.item(r, 0).data(256)) for r in sorted(rows)]

    def _update_buttons(self) -> None:
        added = {p.resolve() for p in extra_files()}
        chosen = self._selected_paths()
        self.remove_button.setEnabled(bool(chosen) and all(p.resolve() in added for p in chosen))

    def add_files(self, paths: list[Path]) -> list[str]:
        """Add model files (an encoder finds its decoder beside it); the errors of those refused."""
        current = extra_files()
        errors = []
        for path in paths:
            try:
                info = identify(path, "preferences") or resolve(str(path))
            except ModelError as e:
                errors.append(str(e))
                continue
            for p in (info.path, info.decoder):
                if p is not None and p not in current:
                    current.append(p)
        set_extra_files(current)
        self.refresh()
        return errors

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add Model Files", str(Path.home()), "ONNX models (*.onnx)")
        if names:
            errors = self.add_files([Path(n) for n in names])
            if errors:
                self.problems.setPlainText("\n".join(errors))

    def remove_selected(self) -> None:
        chosen = {p.resolve() for p in self._selected_paths()}
        kept = []
        for p in extra_files():
            info = None
            try:
                info = resolve(str(p))
            except ModelError:
                pass
            if p.resolve() in chosen or (info is not None and info.path.resolve() in chosen):
                continue
            kept.append(p)
        set_extra_files(kept)
        self.refresh()

    def open_folder(self) -> None:
        folder = veil_folder()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.resize(820, 460)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.models = ModelsPage()
        self.tabs.addTab(self.models, "Models")
        layout.addWidget(self.tabs)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        box.accepted.connect(self.accept)
        layout.addWidget(box)
