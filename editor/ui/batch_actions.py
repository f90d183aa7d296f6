"""File > Batch…, File > Save as Recipe…, File > Export Masks as Labels… and the Review window.

The work is editor.batch's (the same code as `veil batch`); this module only asks for files,
runs the batch on a worker thread behind a progress dialog with Cancel, and shows results.
`install_batch_actions(window, file_menu)` is the one hook in the main window.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

THUMB = 140


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class BatchDialog(QDialog):
    """Recipe, input folder, output folder; OK runs the batch."""

    def __init__(self, parent: QWidget | None = None, recipe: str = "", inputs: str = "", out_dir: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Batch")
        self.recipe, self.inputs, self.out_dir = QLineEdit(recipe), QLineEdit(inputs), QLineEdit(out_dir)
        form = QFormLayout()
        for label, edit, pick in (("Recipe", self.recipe, self._pick_recipe), ("Images folder", self.inputs, None),
                                  ("Output folder", self.out_dir, None)):
            row = QHBoxLayout()
            row.addWidget(edit)
            browse = QPushButton("Browse…")
            browse.clicked.connect(pick or (lambda _=False, e=edit: self._pick_folder(e)))
            row.addWidget(browse)
            form.addRow(label, row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Run")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _pick_recipe(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Recipe", self.recipe.text(), "Recipes (*.toml *.json)")
        if path:
            self.recipe.setText(path)

    def _pick_folder(self, edit: QLineEdit) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder", edit.text())
        if path:
            edit.setText(path)


class BatchActions:
    """Kept on the window as `window.batch_actions`."""

    def __init__(self, window, file_menu: QMenu) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.last_report = None
        self.review: ReviewWindow | None = None
        before = window.actions.get("quit")
        for key, text, slot in (("batch", "Batch…", self.run_dialog),
                                ("save_recipe", "Save as Recipe…", self.save_recipe),
                                ("export_labels", "Export Masks as Labels…", self.export_labels),
                                ("review", "Review Batch…", self.open_review)):
            action = QAction(text, window)
            action.triggered.connect(lambda _=False, s=slot: s())
            file_menu.insertAction(before, action) if before is not None else file_menu.addAction(action)
            window.addAction(action)
            self.actions[key] = action
        if before is not None:
            file_menu.insertSeparator(before)

    # --- File > Batch -------------------------------------------------------------------------
    def run_dialog(self) -> None:
        dialog = BatchDialog(self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.run(dialog.recipe.text(), dialog.inputs.text(), dialog.out_dir.text())

    def run(self, recipe_path: str, inputs: str, out_dir: str, *, jobs: int | None = None):
        """Run a recipe over a folder behind a progress dialog with Cancel (the window stays
        live); returns the report, or None when the recipe could not be read."""
        from PySide6.QtCore import QEventLoop

        from editor.batch import RecipeError, load_recipe, run_batch

        try:
            recipe = load_recipe(recipe_path)
        except RecipeError as e:
            QMessageBox.critical(self.window, "Batch", str(e))
            return None
        cancel = threading.Event()
        signals = _Signals()
        dialog = QProgressDialog("Running the recipe…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Batch")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel.set)
        self.progress_dialog = dialog
        outcome: dict = {}
        loop = QEventLoop()

        def on_progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            dialog.setLabelText(f"{done} of {total} images")

        def finish(key, value) -> None:
            outcome[key] = value
            loop.quit()

        signals.progress.connect(on_progress)
        signals.finished.connect(lambda report: finish("report", report))
        signals.failed.connect(lambda error: finish("error", error))

        def work() -> None:
            try:
                report = run_batch([inputs], out_dir, recipe, jobs=jobs or os.cpu_count() or 1,
                                   progress=signals.progress.emit, cancelled=cancel.is_set)
                signals.finished.emit(report)
            except Exception as e:  # noqa: BLE001 - shown to the user
                signals.failed.emit(e)

        dialog.show()
        worker = threading.Thread(target=work, name="batch", daemon=True)
        worker.start()
        loop.exec()
        worker.join()
        dialog.close()
        if "error" in outcome:
            QMessageBox.critical(self.window, "Batch", str(outcome["error"]))
            return None
        report = self.last_report = outcome["report"]
        text = report.summary() + ("\n" + "\n".join(r for _, r in report.failed[:10]) if report.failed else "")
        self.window.show_status(report.summary(), 10_000)
        if report.failed:
            QMessageBox.warning(self.window, "Batch", text)
        self.last_out_dir = out_dir
        return report

    # --- File > Save as Recipe --------------------------------------------------------------------
    def save_recipe(self, path: str | None = None) -> bool:
        from editor.batch.recipe import recipe_from_document, save_recipe

        try:
            recipe = recipe_from_document(self.window.document)
        except ValueError as e:
            QMessageBox.information(self.window, "Save as Recipe", str(e))
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.window, "Save as Recipe", "recipe.toml", "Recipes (*.toml *.json)")
            if not path:
                return False
        try:
            save_recipe(recipe, path)
        except OSError as e:
            QMessageBox.critical(self.window, "Save as Recipe", f"{path}: cannot write it ({e.strerror or e})")
            return False
        self.window.show_status(f"Recipe saved to {path}", 5000)
        return True

    # --- File > Export Masks as Labels --------------------------------------------------------
    def export_labels(self, folder: str | None = None) -> bool:
        from editor.batch.labels import export_document_labels

        if folder is None:
            folder = QFileDialog.getExistingDirectory(self.window, "Export Masks as Labels")
            if not folder:
                return False
        doc = self.window.document
        stem = Path(doc.path).stem if doc.path else "untitled"
        try:
            written = export_document_labels(doc, folder, stem)
        except (ValueError, OSError) as e:
            QMessageBox.information(self.window, "Export Masks as Labels", str(e))
            return False
        self.window.show_status(f"{len(written)} label files written to {folder}", 5000)
        return True

    # --- Review --------------------------------------------------------------------------------
    def open_review(self, out_dir: str | None = None) -> ReviewWindow | None:
        if out_dir is None:
            out_dir = QFileDialog.getExistingDirectory(self.window, "Review Batch", getattr(self, "last_out_dir", ""))
            if not out_dir:
                return None
        self.review = ReviewWindow(self.window, Path(out_dir))
        self.review.show()
        return self.review


def _checkerboard(h: int, w: int, cell: int = 8) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    on = ((yy // cell + xx // cell) % 2).astype(bool)
    out = np.empty((h, w, 3), np.float32)
    out[:] = 204
    out[on] = 255
    return out


def review_thumbnail(final: np.ndarray, alpha: np.ndarray | None, side: int = THUMB) -> np.ndarray:
    """RGB: the cut-out over a checkerboard beside the result over its new background."""
    import cv2

    h, w = final.shape[:2]
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(final[..., :3], size, interpolation=cv2.INTER_AREA).astype(np.float32)
    a = final[..., 3] if alpha is None and final.shape[2] == 4 else alpha
    a = np.full((h, w), 255, np.uint8) if a is None else a
    a = cv2.resize(a, size, interpolation=cv2.INTER_AREA).astype(np.float32)[..., None] / 255.0
    board = _checkerboard(size[1], size[0])
    cut = small * a + board * (1 - a)
    if final.shape[2] == 4:  # a transparent result: its own background is the checkerboard too
        small = small * a + board * (1 - a)
    gap = np.full((size[1], 4, 3), 60, np.float32)
    return np.clip(np.hstack([cut, gap, small]) + 0.5, 0, 255).astype(np.uint8)


class ReviewWindow(QDialog):
    """A batch's results as thumbnails, most uncertain mask first (the share of half-transparent
    pixels); double-click opens that image's layered .ora with its live mask in a new window."""

    def __init__(self, window, out_dir: Path) -> None:
        super().__init__(window)
        from editor.batch.runner import Manifest

        self.window_ = window
        self.setWindowTitle(f"Review — {out_dir}")
        self.resize(900, 640)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(2 * THUMB + 4, THUMB))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(8)
        self.list.itemDoubleClicked.connect(self.open_item)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Most uncertain masks first. Double-click to fix one in the editor."))
        layout.addWidget(self.list)
        entries = sorted(Manifest(out_dir).entries.values(), key=lambda e: -float(e.get("uncertainty", 0)))
        self.entries = [e for e in entries if all(Path(p).exists() for p in e["outputs"])]
        for entry in self.entries:
            item = QListWidgetItem(self._icon(entry), f"{Path(entry['input']).name}\n{entry['uncertainty']:.1%} soft")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.list.addItem(item)

    def _icon(self, entry: dict) -> QIcon:
        from PIL import Image

        outputs = [Path(p) for p in entry["outputs"]]
        image = next((p for p in outputs if p.suffix.lower() in (".png", ".jpg", ".webp", ".tif")
                      and not p.name.endswith(".mask.png") and p.parent.name != "labels"), None)
        mask = next((p for p in outputs if p.name.endswith(".mask.png")), None)
        if image is None:
            return QIcon()
        with Image.open(image) as im:
            final = np.asarray(im.convert("RGBA" if im.mode in ("RGBA", "LA", "P") else "RGB"))
        alpha = None
        if mask is not None:
            with Image.open(mask) as im:
                alpha = np.asarray(im.convert("L"))
        thumb = np.ascontiguousarray(review_thumbnail(final, alpha))
        qimage = QImage(thumb.data, thumb.shape[1], thumb.shape[0], thumb.shape[1] * 3, QImage.Format.Format_RGB888)
        return QIcon(QPixmap.fromImage(qimage.copy()))

    def open_item(self, item: QListWidgetItem) -> bool:
        entry = item.data(Qt.ItemDataRole.UserRole)
        ora = next((p for p in entry["outputs"] if p.endswith(".ora")), None)
        if ora is None:
            QMessageBox.information(self, "Review", "This batch wrote no layered .ora (recipe: [outputs] ora = true), "
                                                     "so there is no live mask to open.")
            return False
        return self.window_.files.open_in_new_window(ora)


def install_batch_actions(window, file_menu: QMenu) -> BatchActions:
    window.batch_actions = BatchActions(window, file_menu)
    return window.batch_actions
