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
