"""PyInstaller runtime hook: numba's kernel cache and Python's bytecode go to the user's cache.

An installed app often lives where users cannot write (/opt, Program Files), and nothing should be
written into it anyway. The modules holding `cache=True` kernels are bundled as plain .py files
(see veil.spec), so their code objects carry real absolute paths, which numba needs to key its
cache; this hook points numba at a folder of Veil's own, one per build, so a rebuilt Veil never
loads machine code compiled from older sources. The .pyc files of those modules go to the same
cache through `sys.pycache_prefix` (PyInstaller's bootloader turns bytecode writing off, which
would recompile Veil's sources at every start).
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


def _configure_caches() -> None:
    build_id = (Path(sys._MEIPASS) / "veil-build-id").read_text(encoding="ascii").strip()
    cache = _user_cache_root() / "veil" / build_id
    os.environ.setdefault("NUMBA_CACHE_DIR", str(cache / "numba"))  # a user's own choice wins
    sys.pycache_prefix = str(cache / "pycache")
    sys.dont_write_bytecode = False


_configure_caches()
