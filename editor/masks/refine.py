"""Refine edge (Photoshop's Select and Mask): reshape a mask's edge, matte hair in its band,
and decontaminate the colours there.

Shaping: `smooth` blurs the outline and re-cuts it at one half (rounds off
jaggies), `shift_edge` moves the cut in or out (-1..1 of the edge radius),
`contrast` steepens the soft ramp, `feather` blurs the result.

Matting: a trimap is built from the edge band (everything within `radius`
of the mask's 50 % contour is unknown, the rest definite foreground or
background) and pymatting's closed-form matting solves alpha inside it.
A global solve at 24 MP would not fit in memory, so the band is covered by
tiles and each tile is solved on its own crop (with a margin of known
pixels), writing back only its unknown pixels.

Decontaminate (Photoshop's Decontaminate Colors): in every partly
transparent pixel of the finished mask (the matted band, a feather), the
colour is moved toward the foreground colour estimated from the opaque
pixels nearby (pymatting's multilevel foreground estimation), by
`decontaminate_amount`, so the backdrop does not bleed through the edge.

Refine radius strokes (Photoshop's Refine Radius tool) widen the band by
hand where hair or fur reaches further than the radius: each stroke is a
polyline with a brush size in layer pixels, painted in order; a painted
stroke adds its pixels to the unknown band, an erasing one (Alt) takes them
out of it again, back to the shaped mask's own value. Strokes are vectors, so
they are saved with the generator's parameters and replay at any scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from .lean_import import import_without_init
from .object_select import CancelFlag, Cancelled, Progress
from .strokes import FLAGGED, PLAIN, check_strokes, plain_strokes, strokes_map

TILE = 192
MARGIN = 16


@dataclass
class RefineParams:
    radius: int = 8  # edge band half-width in pixels (0: no band, no matting)
    smooth: float = 0.0  # outline smoothing, Gaussian sigma in pixels
    feather: float = 0.0  # Gaussian sigma of the final blur
    contrast: float = 0.0  # 0..1: steepens the soft edge
    shift_edge: float = 0.0  # -1..1 of the radius: shrink (negative) or grow the mask
    matting: bool = True  # solve alpha in the band (hair, fur)
    decontaminate: bool = False
    decontaminate_amount: float = 1.0  # 0..1: how much of the estimated foreground colour replaces the layer's
    # refine radius strokes: {"points": [[x, y], ...], "size": brush diameter, "erase": bool}, layer pixels
    radius_strokes: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": "refine-edge", **{k: v for k, v in self.__dict__.items() if k != "radius_strokes"},
                "radius_strokes": plain_strokes(self.radius_strokes, "erase")}

    @classmethod
    def from_dict(cls, data: dict) -> RefineParams:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


PAINTED, ERASED = PLAIN, FLAGGED  # a radius stroke widens the band; an erasing one narrows it back


def check_radius_strokes(strokes: list) -> None:
    check_strokes(strokes, "erase")


def radius_strokes_map(strokes: list[dict], shape: tuple[int, int], scale: float = 1.0) -> np.ndarray:
    """uint8 (h, w): PAINTED where the strokes widen the band, ERASED where they take it out, else 0."""
    return strokes_map(strokes, shape, "erase", scale)


def trimap(mask: np.ndarray, radius: int) -> np.ndarray:
    """float64 trimap: 1 foreground, 0 background, 0.5 unknown within `radius` of the 50 % contour."""
    hard = (mask >= 128).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    grown, shrunk = cv2.dilate(hard, kernel), cv2.erode(hard, kernel)
    tri = np.where(shrunk > 0, 1.0, 0.0)
    tri[(grown > 0) & (shrunk == 0)] = 0.5
    return tri


def _band_tiles(unknown: np.ndarray):
    h, w = unknown.shape
    for ty in range(0, h, TILE):
        for tx in range(0, w, TILE):
            if unknown[ty : ty + TILE, tx : tx + TILE].any():
                yield ty, tx


def pymatting_solvers():
    """pymatting's closed-form alpha and multilevel foreground estimation, imported on first use
    without the rest of pymatting, whose kernels would all compile at import (lean_import)."""
    alpha_cf, foreground_ml = import_without_init("pymatting", ("alpha.estimate_alpha_cf",
                                                                "foreground.estimate_foreground_ml"))
    return alpha_cf.estimate_alpha_cf, foreground_ml.estimate_foreground_ml


def _crops(todo: np.ndarray, known_fg: np.ndarray, known_bg: np.ndarray | None):
    """For each TILE holding a `todo` pixel: (target slices, crop slices, the tile's slices in the crop),
    the crop grown until it holds known foreground (and background, when `known_bg` is given) to learn from."""
    h, w = todo.shape
    for ty, tx in _band_tiles(todo):
        for margin in (MARGIN, 4 * MARGIN, TILE):
            y0, x0 = max(0, ty - margin), max(0, tx - margin)
            y1, x1 = min(h, ty + TILE + margin), min(w, tx + TILE + margin)
            if known_fg[y0:y1, x0:x1].any() and (known_bg is None or known_bg[y0:y1, x0:x1].any()):
                break
        else:
            continue  # nothing known nearby: leave this tile as it is
        cy, cx = ty - y0, tx - x0
        core = (slice(cy, cy + min(TILE, h - ty)), slice(cx, cx + min(TILE, w - tx)))
        yield (slice(ty, ty + TILE), slice(tx, tx + TILE)), (slice(y0, y1), slice(x0, x1)), core


LAPLACIAN_REACH = 2  # pymatting's matting Laplacian (3x3 windows) links a pixel to those within 2 px


def solve_box(unknown: np.ndarray) -> tuple[slice, slice]:
    """The part of a crop the closed-form solve depends on: its unknown pixels' bounds grown by
    LAPLACIAN_REACH. pymatting solves for the unknowns only, and their equations hold only the
    windows touching an unknown (the pixels within 2 px): solving on this box gives the same
    system, in the same order, as on the whole crop, without building the Laplacian of the
    known pixels around it (most of a 224 px crop when the band runs straight through it)."""
    rows, cols = np.flatnonzero(unknown.any(axis=1)), np.flatnonzero(unknown.any(axis=0))
    h, w = unknown.shape
    return (slice(max(0, rows[0] - LAPLACIAN_REACH), min(h, rows[-1] + 1 + LAPLACIAN_REACH)),
            slice(max(0, cols[0] - LAPLACIAN_REACH), min(w, cols[-1] + 1 + LAPLACIAN_REACH)))


def _preconditioner(matrix):
    """pymatting's incomplete Cholesky, with its factor's buffer sized to the system: its default
    reserves 4 GB (two 250M-entry arrays) for every tile. The factor is the same; a buffer too
    small (never seen: the fill-in stays a few times the matrix's) falls back to the default."""
    (ichol_module,) = import_without_init("pymatting", ("preconditioner.ichol",))
    ichol = ichol_module.ichol
    n = matrix.shape[0]
    try:
        return ichol(matrix, max_nnz=max(1024, min(n * (n + 1) // 2, 16 * matrix.nnz)))
    except ValueError:
        return ichol(matrix)


def closed_form_alpha(image: np.ndarray, trimap: np.ndarray) -> np.ndarray:
    """pymatting's estimate_alpha_cf (its Laplacian, incomplete Cholesky and conjugate gradients,
    its defaults) with the unknowns in reverse Cuthill-McKee order: the matting band numbered
    along the contour keeps the factor's fill-in near the diagonal (ichol + cg 0.34 -> 0.17 s CPU
    per 12 MP bench image). The same system solved to the same tolerance: alpha within 1e-5 of
    pymatting's order."""
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    util, laplacian_module, cg = import_without_init("pymatting", ("util.util", "laplacian.cf_laplacian",
                                                                   "solver.cg"))
    util.sanity_check_image(image)
    is_fg, _, is_known, is_unknown = util.trimap_split(trimap)
    laplacian = laplacian_module.cf_laplacian(image, is_known=is_known)
    rows = laplacian[is_unknown, :]
    system, known = rows[:, is_unknown].tocsr(), rows[:, is_known]
    rhs = -known.dot(is_fg[is_known])
    order = reverse_cuthill_mckee(system, symmetric_mode=True)
    system = system[order][:, order].tocsc()
    x = trimap.astype(np.float64).ravel()
    solved = np.empty(order.size)
    solved[order] = cg.cg(system, rhs[order], M=_preconditioner(system))
    x[is_unknown] = solved
    return np.clip(x, 0, 1).reshape(trimap.shape)


def matte_band(rgb: np.ndarray, tri: np.ndarray, *, progress: Progress | None = None,
               cancel: CancelFlag | None = None) -> np.ndarray:
    """Alpha (float32) for the unknown pixels of `tri`, tile by tile; known pixels keep the trimap's value."""
    alpha = tri.astype(np.float32)
    unknown = tri == 0.5
    crops = list(_crops(unknown, tri == 1.0, tri == 0.0))
    for n, (target, crop, core) in enumerate(crops):
        if cancel is not None and cancel():
            raise Cancelled()
        crop_tri = tri[crop]
        crop_alpha = crop_tri.astype(np.float64)
        box = solve_box(unknown[crop])
        if not ((crop_tri[box] == 1.0).any() and (crop_tri[box] == 0.0).any()):
            box = (slice(None), slice(None))  # pymatting needs both sides known: all of the crop, as before
        image = rgb[crop][box].astype(np.float64) / 255.0
        crop_alpha[box] = closed_form_alpha(image, crop_tri[box])
        np.copyto(alpha[target], crop_alpha[core].astype(np.float32), where=unknown[target])
        if progress is not None:
            progress((n + 1) / len(crops))
    return np.clip(alpha, 0, 1)


def decontaminate_colours(rgb: np.ndarray, alpha: np.ndarray, amount: float = 1.0, *,
                          progress: Progress | None = None, cancel: CancelFlag | None = None) -> np.ndarray:
    """Photoshop's Decontaminate Colors: the colour of every partly transparent pixel of `alpha`
    (uint8) moved toward the foreground colour estimated from the opaque pixels nearby (pymatting's
    multilevel foreground estimation), by `amount` (0..1). Opaque and hidden pixels keep theirs."""
    _, estimate_foreground_ml = pymatting_solvers()
    out = rgb.copy()
    soft = (alpha > 0) & (alpha < 255)
    crops = list(_crops(soft, alpha == 255, None))
    for n, (target, crop, core) in enumerate(crops):
        if cancel is not None and cancel():
            raise Cancelled()
        image = rgb[crop].astype(np.float64) / 255.0
        fg = estimate_foreground_ml(image, alpha[crop].astype(np.float64) / 255.0)
        mixed = image + amount * (np.clip(fg, 0, 1) - image)
        np.copyto(out[target], (mixed[core] * 255 + 0.5).astype(np.uint8), where=soft[target][..., None])
        if progress is not None:
            progress((n + 1) / len(crops))
    return out


def shape_edge(mask: np.ndarray, params: RefineParams) -> np.ndarray:
    """Smooth, shift, steepen (float32 0..1), before matting."""
    m = mask.astype(np.float32) / 255.0
    if params.smooth > 0:
        m = cv2.GaussianBlur(m, (0, 0), params.smooth)
        m = np.clip((m - 0.5) * 4.0 + 0.5, 0.0, 1.0)  # re-cut at one half, keeping a narrow ramp
    if params.shift_edge:
        steps = int(round(abs(params.shift_edge) * max(params.radius, 1)))
        if steps:
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * steps + 1, 2 * steps + 1))
            m = cv2.dilate(m, kernel) if params.shift_edge > 0 else cv2.erode(m, kernel)
    return m


def finish_edge(alpha: np.ndarray, params: RefineParams) -> np.ndarray:
    a = alpha
    if params.contrast > 0:
        gain = 1.0 / max(1.0 - params.contrast, 0.02)
        a = np.clip((a - 0.5) * gain + 0.5, 0.0, 1.0)
    if params.feather > 0:
        a = cv2.GaussianBlur(a, (0, 0), params.feather)
    return (np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8)


def _blur_reach(sigma: float) -> int:
    """How far cv2.GaussianBlur of a float image carries a pixel (its kernel is ~8 sigma + 1 wide)."""
    return int(np.ceil(4.0 * sigma)) + 1 if sigma > 0 else 0


def refine_reach(params: RefineParams) -> int:
    """How far past the bounds of a mask's nonzero pixels `refine_edge` can make the mask nonzero
    (or read it): the smoothing blur, the edge shift, the matting band, the feather."""
    steps = int(round(abs(params.shift_edge) * max(params.radius, 1))) if params.shift_edge else 0
    return _blur_reach(params.smooth) + steps + max(params.radius, 0) + _blur_reach(params.feather)


def refine_window(bounds: tuple[int, int, int, int], shape: tuple[int, int],
                  params: RefineParams) -> tuple[int, int, int, int] | None:
    """A window (x0, y0, x1, y1) of a (h, w) picture whose mask is nonzero only inside `bounds`
    (x0, y0, x1, y1), on which `refine_edge` gives the same mask and colours as on the whole
    picture, and outside which the refined mask stays 0; None when there is none (radius strokes
    reach anywhere). The bounds grown by `refine_reach` hold all that refining changes; the window
    takes the whole TILE-grid tiles over that, plus one tile of context per side (or the reach
    again, in tiles, if it is wider): matting and decontaminating solve each tile of the picture's grid on a crop
    reaching up to a tile further, so the window starts on that grid and holds every such crop,
    and the blurs see zeros past its edge (as far as they reach) as they do in the whole picture."""
    if params.radius_strokes:
        return None
    h, w = shape
    reach = refine_reach(params)
    x0, y0 = max(0, bounds[0] - reach), max(0, bounds[1] - reach)
    x1, y1 = min(w, bounds[2] + reach), min(h, bounds[3] + reach)
    pad = TILE * max(1, -(-reach // TILE))  # the context tile, or the reach again if that is wider
    return (max(0, x0 // TILE * TILE - pad), max(0, y0 // TILE * TILE - pad),
            min(w, -(-x1 // TILE) * TILE + pad), min(h, -(-y1 // TILE) * TILE + pad))


def refine_edge(pixels: np.ndarray, mask: np.ndarray, params: RefineParams, *,
                progress: Callable[[float], None] | None = None,
                cancel: CancelFlag | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The refined mask (uint8) and, with `decontaminate`, the layer pixels with cleaned edge colours."""
    if mask.shape != pixels.shape[:2]:
        raise ValueError("the mask must be the size of the pixels")
    return _refine(pixels, mask, params, 1.0, progress, cancel)


def refine_preview(pixels: np.ndarray, mask: np.ndarray, params: RefineParams,
                   scale: float) -> tuple[np.ndarray, np.ndarray | None]:
    """`refine_edge` on a copy reduced by `scale`: `params` are the full-size ones, lengths scaled here."""
    small = RefineParams(round(params.radius * scale), params.smooth * scale, params.feather * scale, params.contrast,
                         params.shift_edge, params.matting, params.decontaminate, params.decontaminate_amount,
                         params.radius_strokes)
    return _refine(pixels, mask, small, scale)


def _refine(pixels: np.ndarray, mask: np.ndarray, params: RefineParams, stroke_scale: float,
            progress: Callable[[float], None] | None = None,
            cancel: CancelFlag | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    shaped = shape_edge(mask, params)
    rgb = np.ascontiguousarray(pixels[..., :3])
    amount = float(np.clip(params.decontaminate_amount, 0.0, 1.0)) if params.decontaminate else 0.0
    matting = params.matting and (params.radius > 0 or bool(params.radius_strokes))
    share = 0.7 if matting and amount > 0 else 1.0  # of the progress bar, for the matting
    if matting:
        hard = (shaped * 255).astype(np.uint8)
        tri = trimap(hard, params.radius) if params.radius > 0 else np.where(hard >= 128, 1.0, 0.0)
        if params.radius_strokes:
            painted = radius_strokes_map(params.radius_strokes, mask.shape, stroke_scale)
            tri[painted == PAINTED] = 0.5
            erased = painted == ERASED
            tri[erased] = np.where(hard[erased] >= 128, 1.0, 0.0)
        alpha = matte_band(rgb, tri, progress=progress and (lambda f: progress(share * f)), cancel=cancel)
        shaped = np.where(tri == 0.5, alpha, shaped).astype(np.float32)
    refined = finish_edge(shaped, params)
    if amount <= 0:
        return refined, None
    # Decontaminate what the user will see soft: the finished mask, after contrast and feather.
    cleaned = pixels.copy()
    cleaned[..., :3] = decontaminate_colours(rgb, refined, amount, cancel=cancel,
                                             progress=progress and (lambda f: progress(share + (1 - share) * f)))
    return refined, cleaned
