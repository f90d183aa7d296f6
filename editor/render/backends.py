"""Choosing the compositing backend: numba when it imports, plain numpy otherwise."""

from __future__ import annotations

import threading
from types import ModuleType

from . import numpy_backend

_fast: ModuleType | None = None
try:
    from . import numba_backend as _fast  # type: ignore[no-redef]
except ImportError:  # numba missing or broken: numpy still renders everything
    _fast = None

NAMES = ("numba", "numpy")

# Set while warm_up compiles the kernels: a first compile takes ~30 s with a cold
# cache, and a render waiting on numba's compile lock would freeze the window.
_compiling = threading.Event()


def get(name: str | None = None) -> ModuleType:
    """The backend called `name`; None picks the fastest one ready to run now."""
    if name is None:
        return numpy_backend if _fast is None or _compiling.is_set() else _fast
    if name == "numpy":
        return numpy_backend
    if name == "numba":
        if _fast is None:
            raise RuntimeError("the numba backend is not available (numba failed to import)")
        return _fast
    raise ValueError(f"unknown render backend {name!r}; expected one of {', '.join(NAMES)}")


def fast_ready() -> bool:
    """Whether numba kernels can run now without waiting on the warm-up's compile."""
    return _fast is not None and not _compiling.is_set()


def available() -> list[str]:
    return [n for n in NAMES if n == "numpy" or _fast is not None]


def warm_up() -> None:
    """Compile (or load from numba's on-disk cache) the fast kernels; numpy renders meanwhile."""
    if _fast is None:
        return
    _compiling.set()
    try:
        _fast.warm_up()
        from . import straight_kernel

        straight_kernel.warm_up()
    finally:
        _compiling.clear()
