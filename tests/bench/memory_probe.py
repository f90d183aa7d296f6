"""Resident memory of the editor window holding 10 layers at 24 MP (run in a fresh process by
bench_ui.bench_memory_10_layers_24mp, so nothing else the benchmarks made is counted)."""

from __future__ import annotations

import json
import os
import time

import numpy as np

W24, H24 = 6000, 4000


def _megabytes() -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident) from /proc, in MiB."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status if line.startswith(("VmRSS", "VmHWM")))
    return {key: int(value.split()[0]) // 1024 for key, value in fields.items()}


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from editor.core import Document, Layer, ops
    from editor.render import warm_up
    from editor.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    warm_up()
    at_start = _megabytes()["VmRSS"]
    doc = Document(W24, H24)
    rng = np.random.default_rng(0)
    for i in range(10):
        pixels = np.empty((H24, W24, 4), np.uint8)
        pixels[..., :3] = rng.integers(0, 256, 3, dtype=np.uint8)
        pixels[..., 3] = 255
        doc.root.insert(i, Layer(f"Layer {i}", pixels, opacity=0.9))
    doc.active = doc.root.children[-1]
    ops.add_mask(doc, doc.active, "white")
    window = MainWindow(document=doc, recovery_folder=os.environ.get("TMPDIR", "/tmp") + "/veil-memory-probe",
                        autosave_ms=10**9)
    window.resize(1600, 1000)
    window.show()

    def settle() -> None:
        for _ in range(10):
            app.processEvents()
            time.sleep(0.02)

    settle()
    window.set_tool(window.tool("Brush"))  # a stroke on the mask: the renderer's caches fill
    canvas = window.canvas
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(300, 300))
    for i in range(60):
        QTest.mouseMove(canvas, QPoint(300 + 10 * i, 300 + 5 * i))
        app.processEvents()
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(900, 600))
    canvas.set_zoom(1.0)
    for _ in range(10):
        canvas.pan_by(-500, -300)
        app.processEvents()
    settle()
    now = _megabytes()
    layer_bytes = sum(layer.pixels.nbytes for layer in doc.layers()) + doc.active.mask.data.nbytes
    print(json.dumps({"resident_mb": now["VmRSS"], "peak_mb": now["VmHWM"], "interpreter_and_libraries_mb": at_start,
                      "document_data_mb": layer_bytes // 2**20}))
    window.recovery.discard()


if __name__ == "__main__":
    main()
