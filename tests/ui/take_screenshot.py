"""Grab the real window with the sample open: `xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m tests.ui.take_screenshot [out.png]`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]


def main(out: str) -> None:
    app = QApplication([sys.argv[0]])
    app.setOrganizationName("Veil")
    app.setApplicationName("Veil-screenshot")  # its own settings: a clean, default layout
    QSettings().clear()
    from editor.ui.main_window import MainWindow
    from editor.ui.theme import apply_dark_theme

    apply_dark_theme(app)
    window = MainWindow(recovery_folder=Path(tempfile.mkdtemp()))
    window.resize(1560, 960)
    window.show()
    window.files.open(str(ROOT / "resources" / "samples" / "sample.ora"))
    while window.files.open_job is not None:  # read on a worker
        app.processEvents()
    window.canvas.fit()
    window.layers_panel.model.thumbnails.refresh()
    for _ in range(3):
        app.processEvents()
    window.grab().save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs" / "screenshot.png"))
