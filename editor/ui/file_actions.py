"""File commands: new, open, open as layers, drop, save, export, recent files (the clipboard: clipboard.py).

A failed open or save shows a dialog saying what and why, and the document
stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

from editor.core import InsertNode, Macro, ops

from .dialogs.export_options import (
    EXPORT_FILTERS,
    ExportOptions,
    ExportOptionsDialog,
    export_kind,
    needs_options,
    with_extension,
)
from .dialogs.new_document import NewDocumentDialog
from .icons import icon
from .jobs import Job, run_with_progress

if TYPE_CHECKING:
    from .main_window import MainWindow

MAX_RECENT = 10
PROJECT_SUFFIXES = (".ora", ".kra", ".psd", ".psb")  # Veil reads Krita's .kra, saves .ora
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp")
OPEN_FILTER = "Images and projects (*.ora *.kra *.psd *.psb *.png *.jpg *.jpeg *.tif *.tiff *.webp *.bmp);;All files (*)"


def recent_labels(paths: list[str]) -> list[str]:
    """Menu labels for recent files: the file name, and where two names are the same, as many
    of their parent folders as tell them apart ("sample.ora — work/a", "sample.ora — work/b")."""
    parts = [Path(p).parts for p in paths]
    depth = [0] * len(paths)  # parent folders shown for each

    def label(i: int) -> str:
        name = parts[i][-1] if parts[i] else paths[i]
        if depth[i] == 0:
            return name
        folders = parts[i][-1 - depth[i]:-1]
        return f"{name} — {'/'.join(folders).replace('//', '/')}"

    while True:
        labels = [label(i) for i in range(len(paths))]
        clashing = [i for i, text in enumerate(labels) if labels.count(text) > 1 and depth[i] < len(parts[i]) - 1]
        if not clashing:
            return labels
        for i in clashing:
            depth[i] += 1


class FileActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.export_options = ExportOptions()
        self.open_job: Job | None = None
        self.recent_menu = QMenu("Open Recent", window)
        self.recent_menu.setIcon(icon("history"))
        self._rebuild_recent()

    # --- dialogs (one place, so tests can answer them) ----------------------------
    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.window, title, text)

    def _ask_open_paths(self, title: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self.window, title, self._last_folder(), OPEN_FILTER)
        return paths

    def _last_folder(self) -> str:
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    # --- new / open -----------------------------------------------------------------
    def new(self) -> None:
        if not self.window.maybe_save():
            return
        dialog = NewDocumentDialog(self.window, self.window.document.width, self.window.document.height)
        if dialog.exec():
            self.window.set_document(dialog.document())

    def open(self, path: str | None = None, on_opened: Callable[[bool], None] | None = None) -> bool:
        """Open a project or image in place of the current document, reading it on a worker with
        progress and Cancel in the status bar: the window stays live, and the open document stays
        as it was until the new one is ready (and on Cancel or an error, for good).

        Returns whether the open started; `on_opened(ok)` runs on the GUI thread when it ended.
        Several files chosen at once: the first opens here, each other one in a window of its own."""
        if path is None:
            paths = self._ask_open_paths("Open")
            if not paths:
                return False
            path = paths[0]
            for other in paths[1:]:
                self.open_in_new_window(other)
        if self.open_job is not None:
            self.window.show_status(f"Wait for {self.open_job.label} to finish, or cancel it")
            return False
        if not self.window.maybe_save():
            return False
        from editor.io import FileFormatError, OpenCancelled, open_document

        doc = self.window.document
        state = (doc.history.index, len(doc.history.steps))
        name = Path(path).name

        def work(progress, cancelled):
            def report(fraction: float) -> None:
                if cancelled():
                    raise OpenCancelled
                progress(fraction)

            return open_document(path, progress=report)

        def end(ok: bool) -> None:
            self.open_job = None
            if on_opened is not None:
                on_opened(ok)

        def done(opened) -> None:
            # Edits made while it read were not covered by the prompt before: ask again.
            if (doc.history.index, len(doc.history.steps)) != state and not self.window.maybe_save():
                self.window.show_status(f"{name} was not opened: this document changed while it read", 6000)
                return end(False)
            self.window.set_document(opened)
            self.add_recent(path)
            if opened.warnings:
                QMessageBox.warning(self.window, "Some things could not be kept",
                                    f"{name} opened, with these differences:\n\n• " + "\n• ".join(opened.warnings))
            end(True)

        def failed(err: Exception) -> None:
            if isinstance(err, OpenCancelled):
                return cancelled()
            self.error("Could not open the file", str(err) if isinstance(err, FileFormatError) else f"{path}: {err}")
            end(False)

        def cancelled() -> None:
            self.window.show_status(f"Open of {name} cancelled")
            end(False)

        self.open_job = self.window.jobs.run(work, label=f"Opening {name}", on_done=done, on_error=failed,
                                             on_cancel=cancelled)
        return True

    def open_in_new_window(self, path: str | None = None) -> bool:
        """Open a file in a new window beside this one (one document per window, several windows);
        a window whose open fails or is cancelled closes again. Returns whether it started."""
        if path is None:
            paths = self._ask_open_paths("Open in New Window")
            if not paths:
                return False
            return all([self.open_in_new_window(p) for p in paths])
        window = self.window.new_window()

        def opened(ok: bool) -> None:
            if not ok:
                window.close()  # nothing was opened: no empty window left behind

        return window.files.open(path, on_opened=opened)

    def open_as_layers(self, paths: list[str] | None = None) -> bool:
        paths = paths if paths is not None else self._ask_open_paths("Open as Layers")
        if not paths:
            return False
        from editor.io import FileFormatError, load_image_layers

        nodes = []
        for path in paths:
            try:
                nodes += load_image_layers(path)
            except FileFormatError as err:
                self.error("Could not open the file", str(err))
                return False
        self.add_layers(nodes, "Open as layers")
        return True

    def add_layers(self, nodes: list, label: str) -> None:
        """Insert nodes above the active layer as one undo step."""
        if not nodes:
            return
        doc = self.window.document
        parent, index = ops.place_new(doc, *nodes)
        cmds = [InsertNode(parent, index + i, node, label) for i, node in enumerate(nodes)]
        doc.execute(cmds[0] if len(cmds) == 1 else Macro(label, cmds))

    def drop(self, paths: list[str]) -> None:
        """Dropped files: a project opens; images become layers of the open document."""
        projects = [p for p in paths if Path(p).suffix.lower() in PROJECT_SUFFIXES]
        images = [p for p in paths if Path(p).suffix.lower() in IMAGE_SUFFIXES]
        if projects and images:  # the images join the project once it is open
            self.open(projects[0], on_opened=lambda ok: ok and self.open_as_layers(images))
        elif projects:
            self.open(projects[0])
        elif images:
            self.open_as_layers(images)

    # --- save / export ------------------------------------------------------------------
    def save(self) -> bool:
        doc = self.window.document
        if doc.path and doc.path.lower().endswith(".ora") and not doc.path.lower().endswith(".flat.ora"):
            return self.save_to(doc.path)
        return self.save_as()

    def save_as(self, path: str | None = None) -> bool:
        if path is None:
            doc = self.window.document
            start = str(Path(doc.path).with_suffix(".ora")) if doc.path else str(Path(self._last_folder()) / f"{self.window.document_name()}.ora")
            path, _ = QFileDialog.getSaveFileName(self.window, "Save As", start, "Veil project (OpenRaster) (*.ora)")
            if not path:
                return False
            if not path.lower().endswith(".ora"):
                path += ".ora"
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the project on a worker behind a progress dialog with Cancel (a big project takes
        tens of seconds), from a copy of the tree whose arrays the worker copies first: the file
        holds the document as it was when Save was chosen."""
        from editor.io import FileFormatError, SaveCancelled, write_project

        doc = self.window.document
        state = (doc.history.index, len(doc.history.steps))
        copy = ops.snapshot_document(doc, copy_arrays=False)

        def write(cancelled) -> None:
            try:
                ops.own_arrays(copy)
            except MemoryError:
                pass  # write from the shared arrays: the modal dialog keeps the user from editing them
            write_project(copy, path, cancelled=cancelled)

        try:
            run_with_progress(self.window, f"Saving {Path(path).name}", write)
        except SaveCancelled:
            self.window.show_status("Save cancelled: the file on disk is as it was")
            return False
        except (FileFormatError, OSError) as err:
            self.error("Could not save the file", str(err))
            return False
        doc.path = str(path)
        if (doc.history.index, len(doc.history.steps)) == state:  # nothing came in while it saved
            doc.history.mark_clean()
        self.add_recent(path)
        self.window.document_saved()
        return True

    def export(self, path: str | None = None, options: ExportOptions | None = None) -> bool:
        doc = self.window.document
        if path is None:
            start = str(Path(doc.path).with_suffix(".png")) if doc.path else str(Path(self._last_folder()) / f"{self.window.document_name()}.png")
            path, chosen = QFileDialog.getSaveFileName(self.window, "Export", start, ";;".join(label for label, _ in EXPORT_FILTERS))
            if not path:
                return False
            path = with_extension(path, chosen)
            if options is None and needs_options(path):
                dialog = ExportOptionsDialog(path, self.window, self.export_options)
                if not dialog.exec():
                    return False
                self.export_options = dialog.result_options()
        options = options or self.export_options
        from editor.io import FileFormatError, export_flat_ora, export_image, export_psd
        from editor.io.files import export_warnings

        try:
            kind = export_kind(path)
            baked = export_warnings(doc, path, flatten_masks=kind == "flat-ora") if kind in ("psd", "flat-ora") else []
            if kind == "psd":
                export_psd(doc, path)
            elif kind == "flat-ora":
                export_flat_ora(doc, path)
            else:
                export_image(doc, path, quality=options.quality, background=options.background)
        except (FileFormatError, OSError, ValueError) as err:
            self.error("Could not export the file", str(err))
            return False
        self.window.show_status(f"Exported {Path(path).name}")
        if baked:  # as Photoshop says what a format drops: the file is written, the layers stay live here
            QMessageBox.information(self.window, "Some layers were rendered into pixels",
                                    f"{Path(path).name} cannot keep these layers live, so it holds their look:"
                                    "\n\n• " + "\n• ".join(baked))
        return True

    # --- quit -------------------------------------------------------------------------
    def quit_all(self) -> bool:
        """File > Quit: close every editor window, this one first, each asking about its unsaved
        changes; Cancel in any of them stops the quit and leaves the rest open. The application
        ends with its last window."""
        from .main_window import MainWindow

        others = [w for w in QApplication.topLevelWidgets()
                  if isinstance(w, MainWindow) and w is not self.window and w.isVisible()]
        for window in [self.window, *others]:
            if window.isVisible() and not window.close():
                return False
        return True

    # --- recent files ------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = QSettings().value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path, *(p for p in self.recent_files() if p != path)][:MAX_RECENT]
        QSettings().setValue("recent_files", files)
        self._rebuild_recent()

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for path, label in zip(files, recent_labels(files), strict=True):
            action = QAction(label, self.recent_menu)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open(p))
            self.recent_menu.addAction(action)
        if files:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear Recent")
            clear.triggered.connect(self._clear_recent)
        self.recent_menu.setEnabled(bool(files))

    def _clear_recent(self) -> None:
        QSettings().setValue("recent_files", [])
        self._rebuild_recent()

