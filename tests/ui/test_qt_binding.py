"""The Qt binding itself: what Veil needs of it beyond its API."""

import gc
import sys

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683)")
def test_void_qt_calls_keep_none_alive(qapp):
    """PySide6 6.12.0 on Python 3.11 returned None from void methods without a reference: None's
    count fell by one per call, and the editor aborted with 'deallocating None' after a few
    minutes of repainting the layers panel. pyproject.toml pins a release without the bug."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(1000):
        painter.fillRect(QRect(0, 0, 4, 4), QColor(1, 2, 3))
        painter.save()
        painter.restore()
    gc.collect()
    lost = before - sys.getrefcount(None)
    painter.end()
    assert lost < 100, f"None lost {lost} references over 3000 void Qt calls"
