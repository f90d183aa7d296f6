"""Per-pixel adjustments as row kernels the compositor calls from inside its fused row loop.

A per-pixel adjustment computes on *planes*: a float32 (3, stride) array whose rows hold the
R, G, B of `n` pixels as 8-bit values (whole numbers 0..255, the straight colour an 8-bit
pipeline sees), which it replaces by the adjusted values (whole numbers 0..255 again).
Its parameters come packed in a float64 vector (`Spec.pack`).

`PlanesKernel` pairs the njit function `fn(planes, n, params)` with a C-callable wrapper,
compiled (or loaded from numba's cache) on first use, whose address the compositor's op
table carries: the fused row kernel (`editor/render/kernels.py`) calls whatever address an
op names, so it knows no adjustment and is not recompiled when one changes or is added.

`apply_image` runs a kernel over an (h, w, 4) uint8 straight image in place (alpha left
alone), on all cores: the same code the compositor runs, for `adjustments.apply`, the
stand-ins, thumbnails and the numpy backend.
"""

from __future__ import annotations

import threading

import numpy as np

from ._jit import njit, prange

try:
    from llvmlite import ir
    from numba import carray, cfunc, types
    from numba.core import cgutils
    from numba.extending import intrinsic
except ImportError:  # pragma: no cover - without numba the kernels run as plain Python
    cfunc = None

ZERO = np.float32(0)
F255 = np.float32(255)
HALF = np.float32(0.5)


class PlanesKernel:
    """A planes function and (with numba) the address of its C-callable wrapper.

    `c_wrapper(planes_ptr, stride, n, params_ptr, n_params)` must build the two arrays with
    `carray` and call `fn`; it is defined at module level beside `fn`, so numba caches it."""

    def __init__(self, fn, c_wrapper) -> None:
        self.fn, self._c_wrapper = fn, c_wrapper
        self._address: int | None = None
        self._lock = threading.Lock()

    @property
    def address(self) -> int:
        if self._address is None:
            if cfunc is None:
                raise RuntimeError("planes kernels need numba")
            with self._lock:
                if self._address is None:
                    self._address = cfunc(SIGNATURE, cache=True, fastmath=True)(self._c_wrapper).address
        return self._address


if cfunc is not None:
    SIGNATURE = types.void(types.voidptr, types.int64, types.int64, types.voidptr, types.int64)

    @intrinsic
    def call_planes(typingctx, address, planes, stride, n, params, n_params):
        """Call the planes kernel at `address` (a PlanesKernel's) on `n` pixels of the float32
        planes at address `planes` (rows `stride` floats apart) with `n_params` float64
        parameters at address `params`."""
        sig = types.void(types.int64, types.int64, types.int64, types.int64, types.int64, types.int64)

        def codegen(context, builder, signature, args):
            vp, i64 = cgutils.voidptr_t, ir.IntType(64)
            fnty = ir.FunctionType(ir.VoidType(), [vp, i64, i64, vp, i64])
            fn = builder.inttoptr(args[0], fnty.as_pointer())
            builder.call(fn, [builder.inttoptr(args[1], vp), args[2], args[3], builder.inttoptr(args[4], vp), args[5]])
            return context.get_dummy_value()
        return sig, codegen

    @njit(inline="always")
    def kernel_arrays(planes_ptr, stride, params_ptr, n_params):
        """The (3, stride) float32 planes and the float64 parameters a C wrapper receives."""
        return carray(planes_ptr, (3, stride), np.float32), carray(params_ptr, (n_params,), np.float64)

    @njit(parallel=True, cache=True)
    def _apply_rows(rgba, address, params):
        h, w = rgba.shape[0], rgba.shape[1]
        for y in prange(h):
            planes = np.empty((3, w), np.float32)
            for x in range(w):
                for c in range(3):
                    planes[c, x] = rgba[y, x, c]
            call_planes(address, planes.ctypes.data, w, w, params.ctypes.data, params.shape[0])
            for x in range(w):
                for c in range(3):
                    rgba[y, x, c] = np.uint8(planes[c, x])


else:  # pragma: no cover - without numba nothing calls the C wrappers
    def kernel_arrays(planes_ptr, stride, params_ptr, n_params):
        raise RuntimeError("planes kernels need numba")


def apply_image(rgba: np.ndarray, kernel: PlanesKernel, params: np.ndarray) -> None:
    """Run `kernel` on an (h, w, 4) uint8 straight image in place (alpha untouched)."""
    params = np.ascontiguousarray(params, np.float64)
    if params.size == 0:
        params = np.zeros(1, np.float64)
    if cfunc is not None:
        _apply_rows(rgba, kernel.address, params)
        return
    planes = np.ascontiguousarray(rgba[..., :3].reshape(-1, 3).T, np.float32)  # pragma: no cover
    kernel.fn(planes, planes.shape[1], params)  # pragma: no cover
    rgba[..., :3] = planes.T.reshape(rgba.shape[0], rgba.shape[1], 3).astype(np.uint8)  # pragma: no cover


@njit(inline="always", fastmath=True)
def to_level(v):
    """A 0..255 float rounded to a whole 8-bit level (as a float)."""
    return np.float32(np.int32(min(F255, max(ZERO, v + HALF))))


# --- the two table kernels -----------------------------------------------------------------

@njit(fastmath=True)
def lut_planes(planes, n, table):
    """Per-channel tables: params are three 256-entry tables (R, G, B), one after another."""
    local = np.empty(768, np.float32)
    for i in range(768):
        local[i] = table[i]
    for c in range(3):
        row = planes[c]
        base = np.uint32(c * 256)
        for x in range(n):
            # Unsigned indices: numba adds no negative-index wraparound, which halves the time.
            row[x] = local[base + np.uint32(row[x])]


def _lut_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    lut_planes(planes, n, params)


@njit(fastmath=True)
def luminosity_lut_planes(planes, n, table):
    """A colour per luminosity: each pixel's luminosity with Photoshop's weights (those of its
    Threshold and of the W3C luminosity blend), (30 R + 59 G + 11 B + 50) // 100, rounded to a
    byte, picks R, G, B from three 256-entry tables."""
    r, g, b = planes[0], planes[1], planes[2]
    for x in range(n):
        lum = (np.uint32(30) * np.uint32(r[x]) + np.uint32(59) * np.uint32(g[x]) + np.uint32(11) * np.uint32(b[x])
               + np.uint32(50)) // np.uint32(100)
        r[x], g[x], b[x] = table[lum], table[np.uint32(256) + lum], table[np.uint32(512) + lum]


def _luminosity_lut_c(planes_ptr, stride, n, params_ptr, n_params):
    planes, params = kernel_arrays(planes_ptr, stride, params_ptr, n_params)
    luminosity_lut_planes(planes, n, params)


LUT = PlanesKernel(lut_planes, _lut_c)
LUMINOSITY_LUT = PlanesKernel(luminosity_lut_planes, _luminosity_lut_c)


def luminosity_table(rgb: np.ndarray) -> np.ndarray:
    """(256, 3) colours by luminosity as LUMINOSITY_LUT's packed parameters."""
    return np.ascontiguousarray(np.asarray(rgb, np.float64).T).reshape(768)
