"""The main window: menus, toolbox, tool options, canvas, Layers and History docks, status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from editor.core import Document
from editor.masks.selection import ops as selection_ops

from .about import AboutDialog
from .batch_actions import install_batch_actions
from .canvas import Canvas
from .clipboard import install_clipboard
from .color_swatch import ColorSwatch
from .dialogs.mask_menu import install_mask_generators
from .dialogs.new_document import new_document
from .file_actions import FileActions
from .fill_actions import install_fill_actions
from .history_panel import HistoryPanel
from .icons import icon
from .image_menu import install_image_menu
from .jobs import JobRunner
from .layer_actions import LayerActions
from .layers_panel import LayersPanel
from .model_actions import install_model_actions
from .properties_panel import install_properties_panel
from .recovery import DEFAULT_INTERVAL_MS, RecoveryManager
from .tools import TOOL_CLASSES, Tool
from .tools.select_menu import install_select_menu
from .transform_menu import install_transform_actions
from .view_state import install_view_state

APP_NAME = "Veil"


_WINDOWS: set[MainWindow] = set()  # the windows opened by new_window, kept alive while they are open


class MainWindow(QMainWindow):
    def __init__(self, *, recovery_folder: Path | None = None, autosave_ms: int = DEFAULT_INTERVAL_MS,
                 document: Document | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.resize(1500, 950)
        self.setAcceptDrops(True)
        self.foreground = QColor(0, 0, 0)
        self.background = QColor(255, 255, 255)
        self._document: Document | None = None

        self._canvas = Canvas(self)
        self.setCentralWidget(self._canvas)
        self._jobs = JobRunner(self)
        self.layer_actions = LayerActions(self)
        self.layers_panel = LayersPanel(self.layer_actions)
        self.layers_panel.view.mask_view_requested.connect(self.toggle_mask_alone)
        self.history_panel = HistoryPanel()
        self.files = FileActions(self)
        self.recovery = RecoveryManager(self, recovery_folder, autosave_ms)
        self.menus: dict[str, object] = {}
        self.actions: dict[str, QAction] = {}

        self._build_status_bar()
        self._build_docks()
        self._build_tools()
        self._build_menus()
        install_image_menu(self)
        install_view_state(self)
        install_properties_panel(self)
        self._restore_layout()
        self.set_document(document or new_document(1920, 1080))

    # --- what tools and helpers use ------------------------------------------------------
    @property
    def document(self) -> Document:
        assert self._document is not None
        return self._document

    @property
    def canvas(self) -> Canvas:
        return self._canvas

    @property
    def jobs(self) -> JobRunner:
        return self._jobs

    def show_status(self, text: str, timeout_ms: int = 3000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def new_window(self) -> MainWindow:
        """Another editor window beside this one, autosaving into the same recovery folder;
        it lives until it is closed (the application ends with its last window)."""
        window = MainWindow(recovery_folder=self.recovery.folder, autosave_ms=self.recovery.timer.interval())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _WINDOWS.add(window)
        window.destroyed.connect(lambda _obj=None, w=window: _WINDOWS.discard(w))
        window.show()
        return window

    def selected_layers(self) -> list:
        """The tools' view of the Layers panel's selection (ToolHost)."""
        return self.layer_actions.selected()

    def document_name(self) -> str:
        doc = self._document
        return Path(doc.path).stem if doc is not None and doc.path else "Untitled"

    # --- the document ----------------------------------------------------------------
    def set_document(self, doc: Document) -> None:
        if self._document is not None:
            self._document.events.disconnect(self._on_change)
        self._document = doc
        doc.events.connect(self._on_change)
        self._canvas.set_document(doc)
        self.layers_panel.set_document(doc)
        self.history_panel.set_document(doc)
        self.layers_panel.view.delegate.mask_alone_node = None
        self.size_label.setText(f"{doc.width} × {doc.height} px")
        self._update_title()
        self._update_edit_actions()
        self.layer_actions.update_state()
        self.view_state.sync()

    def _on_change(self, change) -> None:
        if change.kind == "history":
            self._update_title()
            self._update_edit_actions()
        if change.kind in ("active", "history", "structure", "mask", "property"):
            self.layer_actions.update_state()
            if change.kind in ("active", "structure") and self._canvas.mask_alone_node is None:
                self.layers_panel.view.delegate.mask_alone_node = None
        if change.kind == "selection":  # quick mask on or off
            self._update_title()
        if change.kind in ("active", "history", "structure", "mask", "selection"):
            self.view_state.sync()

    def document_saved(self) -> None:
        self.recovery.discard()
        self._update_title()
        self.show_status(f"Saved {self.document.path}")

    def _update_title(self) -> None:
        doc = self._document
        name = Path(doc.path).name if doc is not None and doc.path else "Untitled"
        quick = " (Quick Mask)" if doc is not None and doc.quick_mask is not None else ""
        self.setWindowTitle(f"{name}{'*' if doc is not None and doc.modified else ''}{quick} — {APP_NAME}")

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancels."""
        doc = self._document
        if doc is None or not doc.modified:
            return True
        answer = QMessageBox.warning(
            self, "Unsaved changes", f"Save the changes to {self.document_name()} before closing it?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.files.save()
        return answer == QMessageBox.StandardButton.Discard

    def offer_recovery(self) -> bool:
        """On start: offer autosaves left by a crash; True when one was restored."""
        entries = self.recovery.entries()
        if not entries:
            return False
        entry = entries[0]
        box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved work",
                          f"Veil found work that was not saved when it last closed:\n\n{entry.describe()}\n\nRestore it?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Restore")
        box.button(QMessageBox.StandardButton.No).setText("Later")
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Discard:
            self.recovery.forget(entry)
            return False
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            doc = self.recovery.restore(entry)
        except Exception as err:
            self.files.error("Could not restore", str(err))
            return False
        self.set_document(doc)
        self.show_status(f"Restored {entry.describe()}", 8000)
        return True

    # --- building -------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.zoom_label = QLabel("100%")
        self.position_label = QLabel("")
        self.color_label = QLabel("")
        self.color_label.setMinimumWidth(170)
        self.size_label = QLabel("")
        for label in (self.zoom_label, self.position_label, self.color_label, self.size_label):
            bar.addPermanentWidget(label)
        bar.addPermanentWidget(self._jobs.widget)
        self._canvas.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.4g}%"))
        self._canvas.cursor_moved.connect(self._show_cursor)

    def _show_cursor(self, pos) -> None:
        doc = self._document
        if pos is None or doc is None:
            self.position_label.setText("")
            self.color_label.setText("")
            return
        x, y = int(pos.x() // 1), int(pos.y() // 1)
        self.position_label.setText(f"x {x}  y {y}")
        rgba = self._canvas.source.pixel(x, y) if self._canvas.source is not None else None
        if rgba is None:
            self.color_label.setText("")
            return
        r, g, b, a = rgba
        self.color_label.setText(f"<span style='color:rgb({r},{g},{b})'>■</span> {r} {g} {b}  α {a}")

    def _build_docks(self) -> None:
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.layers_dock = self._dock("Layers", "layersDock", self.layers_panel)
        self.history_dock = self._dock("History", "historyDock", self.history_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.layers_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.resizeDocks([self.layers_dock, self.history_dock], [620, 220], Qt.Orientation.Vertical)
        self.resizeDocks([self.layers_dock], [330], Qt.Orientation.Horizontal)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def add_panel(self, title: str, name: str, widget: QWidget, area=Qt.DockWidgetArea.RightDockWidgetArea) -> QDockWidget:
        """Room for tool panels: other parts of Veil add their docks here (listed in View > Panels)."""
        dock = self._dock(title, name, widget)
        self.addDockWidget(area, dock)
        self.menus["panels"].addAction(dock.toggleViewAction())
        return dock

    def _build_tools(self) -> None:
        self.toolbox = QToolBar("Tools", self)
        self.toolbox.setObjectName("toolbox")
        self.toolbox.setIconSize(QSize(22, 22))
        self.toolbox.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.toolbox)
        self.options_bar = QToolBar("Tool Options", self)
        self.options_bar.setObjectName("options")
        self.options_bar.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.options_bar)
        self.options_title = QLabel()
        self.options_title.setStyleSheet("font-weight: 600; padding: 0 10px;")
        self.options_bar.addWidget(self.options_title)
        self.options_stack = QStackedWidget()
        self.options_bar.addWidget(self.options_stack)
        self._empty_options = QWidget()
        self.options_stack.addWidget(self._empty_options)

        self.tools: list[Tool] = []
        self.tool_actions = QActionGroup(self)
        for tool_class in TOOL_CLASSES:
            tool = tool_class(self)
            action = QAction(icon(tool.icon), tool.name, self)
            action.setCheckable(True)
            action.setToolTip(f"{tool.tooltip or tool.name} ({tool.shortcut})" if tool.shortcut else tool.tooltip or tool.name)
            if tool.shortcut:
                action.setShortcut(QKeySequence(tool.shortcut))
            action.triggered.connect(lambda _=False, t=tool: self.set_tool(t))
            self.tool_actions.addAction(action)
            self.toolbox.addAction(action)
            tool.action = action
            self.tools.append(tool)
        self.toolbox.addSeparator()
        self.swatch = ColorSwatch(self)
        self.toolbox.addWidget(self.swatch)
        if self.tools:
            self.set_tool(self.tools[0])

    def set_tool(self, tool: Tool) -> None:
        self._canvas.set_tool(tool)
        tool.action.setChecked(True)
        self.options_title.setText(tool.name)
        widget = tool.options_widget()
        if widget is None:
            widget = self._empty_options
        elif self.options_stack.indexOf(widget) < 0:
            self.options_stack.addWidget(widget)
        self.options_stack.setCurrentWidget(widget)

    def tool(self, name: str) -> Tool:
        return next(t for t in self.tools if t.name == name)

    def _action(self, key: str, text: str, slot, shortcut=None, icon_name: str | None = None, checkable=False) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.actions[key] = action
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        a, bar = self._action, self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(a("new", "New…", lambda: self.files.new(), QKeySequence.StandardKey.New, "file-plus-outline"))
        file.addAction(a("open", "Open…", lambda: self.files.open(), QKeySequence.StandardKey.Open, "folder-open-outline"))
        file.addAction(a("open_window", "Open in New Window…", lambda: self.files.open_in_new_window(), "Ctrl+Alt+O",
                         "open-in-new"))
        file.addAction(a("open_layers", "Open as Layers…", lambda: self.files.open_as_layers(), "Ctrl+Shift+O", "layers-plus"))
        file.addMenu(self.files.recent_menu)
        file.addSeparator()
        file.addAction(a("save", "Save", lambda: self.files.save(), QKeySequence.StandardKey.Save, "content-save-outline"))
        file.addAction(a("save_as", "Save As…", lambda: self.files.save_as(), "Ctrl+Shift+S", "content-save-edit-outline"))
        file.addAction(a("export", "Export…", lambda: self.files.export(), "Ctrl+Alt+Shift+W", "export"))
        file.addSeparator()
        # Close ends this window's document only (Photoshop's and GIMP's Ctrl+W); other windows stay open.
        file.addAction(a("close", "Close", self.close, "Ctrl+W", "close-box-outline"))
        file.addAction(a("quit", "Quit", lambda: self.files.quit_all(), QKeySequence.StandardKey.Quit, "exit-to-app"))
        install_batch_actions(self, file)  # Batch…, Save as Recipe…, Export Masks as Labels…, Review

        edit = bar.addMenu("&Edit")
        edit.addAction(a("undo", "Undo", self.undo, "Ctrl+Z", "undo"))
        edit.addAction(a("redo", "Redo", self.redo, ["Ctrl+Shift+Z", "Ctrl+Y"], "redo"))
        edit.addSeparator()
        install_clipboard(self, edit)
        edit.addSeparator()
        edit.addAction(a("swap_colors", "Swap Colours", self.swatch.swap, "X", "swap-horizontal"))
        edit.addAction(a("reset_colors", "Default Colours", self.swatch.reset, "D", "invert-colors"))
        install_fill_actions(self, edit)

        layer = bar.addMenu("&Layer")
        self.layer_actions.fill_layer_menu(layer)
        self.clipboard.fill_layer_menu(layer)
        mask = bar.addMenu("&Mask")
        self.layer_actions.fill_mask_menu(mask)
        install_mask_generators(self, mask)
        mask.addSeparator()
        mask.addAction(a("mask_overlay", "Show Mask Overlay", self.toggle_mask_overlay, "\\", "eye-circle-outline", checkable=True))
        mask.addAction(a("mask_alone", "Show Mask Alone", lambda: self.toggle_mask_alone(self.document.active), None, "eye-outline", checkable=True))
        for action in self.layer_actions.actions.values():
            self.addAction(action)

        select = bar.addMenu("&Select")
        select.addAction(a("select_all", "All", self.select_all, "Ctrl+A", "select-all"))
        select.addAction(a("deselect", "Deselect", self.deselect, ["Ctrl+D", "Ctrl+Shift+A"], "select-off"))
        select.addAction(a("reselect", "Reselect", self.reselect, "Ctrl+Shift+D", "selection-marker"))
        select.addAction(a("select_inverse", "Inverse", self.select_inverse, "Ctrl+Shift+I", "select-inverse"))
        install_select_menu(self, select)
        install_model_actions(self, select)
        install_transform_actions(self, edit, select)

        view = bar.addMenu("&View")
        view.addAction(a("zoom_in", "Zoom In", self._canvas.zoom_in, ["Ctrl++", "Ctrl+=", "+"], "magnify-plus-outline"))
        view.addAction(a("zoom_out", "Zoom Out", self._canvas.zoom_out, ["Ctrl+-", "-"], "magnify-minus-outline"))
        view.addAction(a("fit", "Fit on Screen", self._canvas.fit, "Ctrl+0", "fit-to-screen-outline"))
        view.addAction(a("actual", "100%", self._canvas.actual_pixels, "Ctrl+1", "numeric-1-box-outline"))
        view.addSeparator()
        panels = view.addMenu("Panels")
        panels.addAction(self.layers_dock.toggleViewAction())
        panels.addAction(self.history_dock.toggleViewAction())
        panels.addAction(self.toolbox.toggleViewAction())
        panels.addAction(self.options_bar.toggleViewAction())

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(a("about", "About Veil", self._about, None, "information-outline"))
        self.menus.update(file=file, edit=edit, layer=layer, mask=mask, select=select, view=view, panels=panels, help=help_menu)

    def _about(self) -> None:
        AboutDialog(self).open()

    # --- edit / view commands -------------------------------------------------------------
    def undo(self) -> None:
        if not self.document.undo():
            self.show_status("Nothing to undo")

    def redo(self) -> None:
        if not self.document.redo():
            self.show_status("Nothing to redo")

    def _update_edit_actions(self) -> None:
        doc = self._document
        history = doc.history if doc is not None else None
        undo, redo = self.actions["undo"], self.actions["redo"]
        undo.setEnabled(bool(history and history.can_undo))
        redo.setEnabled(bool(history and history.can_redo))
        undo.setText(f"Undo {history.steps[history.index - 1].label}" if history and history.can_undo else "Undo")
        redo.setText(f"Redo {history.steps[history.index].label}" if history and history.can_redo else "Redo")

    def toggle_mask_overlay(self) -> None:
        self._canvas.show_mask_overlay = not self._canvas.show_mask_overlay
        self.actions["mask_overlay"].setChecked(self._canvas.show_mask_overlay)
        self._canvas.update()

    def toggle_mask_alone(self, node) -> None:
        """Alt+click on a mask thumbnail: show that mask alone in grayscale; again to go back."""
        if node is None or node.mask is None or self._canvas.mask_alone_node is node:
            node = None
        self._canvas.mask_alone_node = node
        self.layers_panel.view.delegate.mask_alone_node = node
        self.actions["mask_alone"].setChecked(node is not None)
        self.layers_panel.view.viewport().update()
        self._canvas.update()

    def select_all(self) -> None:
        selection_ops.select_all(self.document)

    def deselect(self) -> None:
        selection_ops.select_none(self.document)

    def reselect(self) -> None:
        if not selection_ops.reselect(self.document):
            self.show_status("Nothing to reselect")

    def select_inverse(self) -> None:
        selection_ops.select_inverse(self.document)

    # --- window events -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.files.drop(paths))  # not inside the platform's drop handler

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self._jobs.cancel_all()
        self.recovery.discard()
        self.recovery.timer.stop()
        self._save_layout()
        event.accept()

    def _save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry, state = settings.value("window/geometry"), settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)
