"""numba's njit and prange, or plain-Python stand-ins when numba is missing (then the
adjustments still run, slowly, as the compositor's numpy fallback does)."""

from __future__ import annotations

try:
    from numba import njit, prange
except ImportError:  # pragma: no cover - exercised by tests/render/test_backends.py in a subprocess
    prange = range

    def njit(*args, **kwargs):
        if args and callable(args[0]):
            fn = args[0]
            fn.py_func = fn
            return fn

        def wrap(fn):
            fn.py_func = fn
            return fn
        return wrap

__all__ = ["njit", "prange"]
