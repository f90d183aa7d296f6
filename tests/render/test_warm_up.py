"""While the numba kernels compile in the background, renders fall back to numpy instead of waiting."""

import threading

import numpy as np
import pytest

from editor.core import Document
from editor.render import Renderer, backends, render

pytestmark = pytest.mark.skipif("numba" not in backends.available(), reason="numba is not installed")


def test_renders_use_numpy_while_kernels_compile(monkeypatch):
    started, release = threading.Event(), threading.Event()

    def slow_compile() -> None:
        started.set()
        release.wait(10)

    monkeypatch.setattr(backends._fast, "warm_up", slow_compile)
    doc = Document.from_pixels(np.full((8, 8, 4), 200, np.uint8))
    renderer = Renderer(doc)
    thread = threading.Thread(target=backends.warm_up)
    thread.start()
    try:
        assert started.wait(10)
        assert backends.get() is backends.numpy_backend
        assert renderer.backend is backends.numpy_backend
        assert render(doc)[0, 0, 3] == 200  # renders now, with numpy
    finally:
        release.set()
        thread.join()
    assert backends.get() is backends._fast
    assert renderer.backend is backends._fast
