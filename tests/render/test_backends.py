"""Numba is optional: without it the numpy backend renders everything."""

from __future__ import annotations

import subprocess
import sys

import pytest

from editor.render import backends

SCRIPT = """
import sys
sys.modules["numba"] = None  # importing numba now raises ImportError
import numpy as np
from editor.core import Document, Layer
from editor.render import render, warm_up
from editor.render.backends import available
doc = Document(4, 3)
doc.root.insert(0, Layer("l", np.full((3, 4, 4), 200, np.uint8)))
warm_up()
assert available() == ["numpy"], available()
assert render(doc)[0, 0].tolist() == [157, 157, 157, 200]
print("ok")
"""


def test_renders_without_numba() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_backend_names() -> None:
    assert backends.get("numpy").name == "numpy"
    assert "numpy" in backends.available()
    with pytest.raises(ValueError):
        backends.get("opencl")


THREADS_SCRIPT = """
import numba
import numpy as np
from numba import njit, prange

@njit(parallel=True)
def total(a):
    s = 0.0
    for i in prange(a.size):
        s += a[i]
    return s

total(np.ones(1000))
print(numba.threading_layer())
"""


def test_numba_runs_on_a_threadsafe_threading_layer() -> None:
    """The window calls parallel kernels from several threads at once (the canvas, the autosave and
    save writers, mask jobs). Numba's fallback 'workqueue' layer aborts the process on concurrent
    use; 'omp' (GNU OpenMP, libgomp1) and 'tbb' do not. A machine without either must fail here,
    not lose work later."""
    out = subprocess.run([sys.executable, "-c", THREADS_SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() in ("omp", "tbb"), f"threading layer {out.stdout.strip()!r}: install libgomp1"
