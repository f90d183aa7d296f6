"""The frozen build: built by PyInstaller, copied outside the repository, run there.

Run by `make package-test` (marker `package`; `make test` skips it). The build takes minutes, so
it is reused when dist/veil is newer than every file it is made from, like make would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from editor import __version__

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "veil"
SAMPLE = ROOT / "resources" / "samples" / "sample.ora"
SOURCES = ("editor", "resources", "pyproject.toml",  # what goes into the build; docs and tools do not
           "packaging/veil.spec", "packaging/launch.py", "packaging/rthook_numba_cache.py")


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


@pytest.fixture(scope="session")
def build() -> Path:
    executable = DIST / "veil"
    if not executable.exists() or executable.stat().st_mtime < _newest_source_mtime():
        subprocess.run([str(Path(sys.executable).with_name("pyinstaller")), "--noconfirm", "--clean",
                        "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"),
                        str(ROOT / "packaging" / "veil.spec")], cwd=ROOT, check=True)
    return DIST


@pytest.fixture(scope="session")
def installed(build, tmp_path_factory) -> Path:
    """The build copied into a folder outside the repository, as an installer would place it."""
    target = tmp_path_factory.mktemp("opt") / "veil"
    shutil.copytree(build, target, symlinks=True)
    return target


@pytest.fixture
def user_env(tmp_path) -> dict[str, str]:
    """A user with empty home, cache and config: nothing left from earlier runs or the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "NUMBA_", "VIRTUAL_ENV"))}
    home = tmp_path / "home"
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"), QT_QPA_PLATFORM="offscreen")
    return env


def _run(installed: Path, args: list[str], cwd: Path, env: dict[str, str], timeout: float = 240):
    return subprocess.run([str(installed / "veil"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_version_prints_the_package_version(installed, tmp_path, user_env):
    result = _run(installed, ["--version"], tmp_path, user_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"veil {__version__}"


def test_render_sample_headless_matches_the_source_tree(installed, tmp_path, user_env):
    shutil.copy(SAMPLE, tmp_path / "sample.ora")
    result = _run(installed, ["render", "sample.ora", "out.png"], tmp_path, user_env)
    assert result.returncode == 0, result.stderr

    from editor.io import export_image, open_document

    export_image(open_document(SAMPLE), tmp_path / "expected.png")
    frozen = np.asarray(Image.open(tmp_path / "out.png").convert("RGBA"), dtype=np.int16)
    expected = np.asarray(Image.open(tmp_path / "expected.png").convert("RGBA"), dtype=np.int16)
    assert frozen.shape == expected.shape
    assert np.abs(frozen - expected).max() <= 2


def test_kernels_cache_in_the_user_cache_and_are_reused_from_any_folder(installed, tmp_path, user_env):
    build_id = (installed / "_internal" / "veil-build-id").read_text(encoding="ascii").strip()
    cache = Path(user_env["XDG_CACHE_HOME"]) / "veil" / build_id
    for folder in ("first", "second"):
        (tmp_path / folder).mkdir()
        shutil.copy(SAMPLE, tmp_path / folder / "sample.ora")
        result = _run(installed, ["render", "sample.ora", "out.png"], tmp_path / folder, user_env)
        assert result.returncode == 0, result.stderr
        if folder == "first":
            cached = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert any(p.suffix == ".nbi" for p in cached), "no numba cache index written"
    assert any(p.suffix == ".pyc" for p in cached), "no bytecode written to the cache"
    again = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert again == cached, "the second run, from another folder, compiled again"
    written_into_install = [p for p in installed.rglob("*") if p.suffix in (".nbi", ".nbc") or "__pycache__" in p.parts]
    assert not written_into_install


def test_window_starts_offscreen_with_the_sample(installed, tmp_path, user_env):
    shutil.copy(SAMPLE, tmp_path / "sample.ora")
    result = _run(installed, ["sample.ora"], tmp_path, {**user_env, "VEIL_QUIT_AFTER_SHOW": "1"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_bundle_carries_the_metadata_the_about_dialog_lists(build):
    from editor.ui.about import bundled_libraries

    bundled = {p.name.split("-")[0].lower().replace("_", "-") for p in (build / "_internal").glob("*.dist-info")}
    missing = [lib.name for lib in bundled_libraries() if lib.name.lower().replace("_", "-") not in bundled]
    assert not missing
