import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def model_home(tmp_path, monkeypatch):
    """An empty rembg model folder, Veil models folder and model config of the test's own."""
    home = tmp_path / "u2net"
    home.mkdir()
    monkeypatch.setenv("U2NET_HOME", str(home))
    monkeypatch.setattr("editor.masks.models.registry.veil_folder", lambda: tmp_path / "veil-models")
    monkeypatch.setattr("editor.masks.models.registry._config_file", lambda: tmp_path / "config" / "models.json")
    return home


def pytest_configure(config):
    """Compile the pymatting kernels Refine Edge uses once, in the controller, before the workers start.

    pymatting compiles eagerly on import (about a minute on a fresh machine) into numba's
    on-disk cache; two xdist workers doing it at once race on that cache ("no compiled object
    yet") and, on a loaded machine, run past the per-test timeout. Done here, the workers load
    the cached kernels in a second."""
    if not hasattr(config, "workerinput"):
        from editor.masks.refine import pymatting_solvers

        pymatting_solvers()
