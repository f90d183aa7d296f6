"""PyInstaller runtime hook: give numba a writable cache of Veil's own before any kernel is compiled.

A frozen app lives in a folder users often cannot write (/opt, Program Files), so numba's default of
caching beside the source fails there. The kernels' sources are bundled (see veil.spec), which lets
numba's user-provided locator key each function to NUMBA_CACHE_DIR. The folder is per Veil version;
within it numba still checks the executable's hash, which changes with every build (the Python code
is archived inside it), so a rebuilt Veil never loads stale machine code.
"""

import os
import sys
from pathlib import Path


def _user_cache_root() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def _set_numba_cache_dir() -> None:
    if os.environ.get("NUMBA_CACHE_DIR"):
        return  # the user chose a place; respect it
    from editor import __version__

    os.environ["NUMBA_CACHE_DIR"] = str(_user_cache_root() / "veil" / "numba" / __version__)


_set_numba_cache_dir()
