"""Choosing the compositing backend: numba when it imports, plain numpy otherwise."""

from __future__ import annotations

from types import ModuleType

from . import numpy_backend

_fast: ModuleType | None = None
try:
    from . import numba_backend as _fast  # type: ignore[no-redef]
except ImportError:  # numba missing or broken: numpy still renders everything
    _fast = None

NAMES = ("numba", "numpy")


def get(name: str | None = None) -> ModuleType:
    """The backend called `name`; None picks the fastest available."""
    if name is None:
        return _fast or numpy_backend
    if name == "numpy":
        return numpy_backend
    if name == "numba":
        if _fast is None:
            raise RuntimeError("the numba backend is not available (numba failed to import)")
        return _fast
    raise ValueError(f"unknown render backend {name!r}; expected one of {', '.join(NAMES)}")


def available() -> list[str]:
    return [n for n in NAMES if n == "numpy" or _fast is not None]
