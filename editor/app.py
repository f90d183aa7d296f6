"""The composition root: the Qt application, the main window, the file to open."""

from __future__ import annotations

import os
import sys
import threading


def _warm_up_kernels() -> None:
    from editor.io.kra_tiles import warm_up as warm_up_kra
    from editor.masks.warmup import warm_up as warm_up_masks
    from editor.paint import warm_up as warm_up_paint
    from editor.render import warm_up as warm_up_render

    warm_up_render()
    warm_up_paint()
    warm_up_masks()
    warm_up_kra()


def warm_up_in_background() -> threading.Thread:
    """Compile the render, brush, mask and .kra tile kernels off the GUI thread, so the first paint and stroke do not wait for numba."""
    thread = threading.Thread(target=_warm_up_kernels, name="numba-warm-up", daemon=True)
    thread.start()
    return thread


def main(args: list[str] | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.ui.main_window import MainWindow
    from editor.ui.theme import apply_dark_theme

    args = sys.argv[1:] if args is None else args
    app = QApplication.instance() or QApplication([sys.argv[0], *args])
    app.setOrganizationName("Veil")
    app.setApplicationName("Veil")
    app.setApplicationDisplayName("Veil")
    app.setDesktopFileName("io.github.veil_editor.Veil")  # packaging/'s .desktop entry, for the icon and grouping
    apply_dark_theme(app)
    from editor.ui.theme import app_icon

    app.setWindowIcon(app_icon())
    warm_up_in_background()
    window = MainWindow()
    window.show()
    paths = [a for a in args if not a.startswith("-")]
    if not window.offer_recovery() and paths:
        rest = paths[1:]
        window.files.open(paths[0], on_opened=lambda ok: ok and rest and window.files.open_as_layers(rest))
    if os.environ.get("VEIL_QUIT_AFTER_SHOW"):  # start-up timing (packaging/README.md): exit once shown
        QTimer.singleShot(0, app.quit)
    return app.exec()
