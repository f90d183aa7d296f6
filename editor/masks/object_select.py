"""Object select (GrabCut from a rectangle and scribbles) and Select Subject.

Full-resolution GrabCut is far too slow for photos (about two minutes at
12 MP on two cores), so the graph cut runs on a copy scaled down to about
`work_pixels`, one iteration at a time so the caller sees progress and can
cancel between iterations. The low-resolution answer is then scaled up and
only its edge band is refined at full resolution with a guided filter
steered by the full-resolution photo, which snaps the boundary to the real
edge; pixels away from the band keep the graph cut's answer.

Select Subject needs no rectangle: it starts GrabCut from a prior that
combines spectral-residual saliency (OpenCV contrib) with a border prior
(colours common along the frame's edge are backdrop). It works for a
product or portrait that stands apart from its surroundings and does not
touch the frame. It fails, and says so only through a poor mask, when the
subject runs off the edge of the frame (the border prior calls it
backdrop), when the background shares the subject's colours, when several
objects compete (it picks all or a mix), and on busy textured backgrounds
around a plain subject, where the texture is what looks salient.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cv2
import numpy as np

from .strokes import FLAGGED, PLAIN, plain_strokes, strokes_map

Progress = Callable[[float], None]
CancelFlag = Callable[[], bool]


class Cancelled(Exception):
    """The caller's cancel flag was raised; nothing was changed."""


@dataclass
class ObjectSelectParams:
    rect: tuple[int, int, int, int] | None = None  # x, y, w, h in layer pixels
    subject: bool = False  # no rectangle: start from saliency and the border prior
    refine: bool = True  # snap the edge band to the full-resolution photo
    iterations: int = 5
    work_pixels: int = 300_000  # GrabCut runs at about this many pixels
    plain: bool = False  # one GrabCut on Lab colour only (the former behaviour, the bench's baseline)
    # foreground and background scribbles: {"points": [[x, y], ...], "size": diameter, "background": bool}
    scribbles: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": "object", "rect": list(self.rect) if self.rect else None, "subject": self.subject,
                "refine": self.refine, "iterations": self.iterations, "work_pixels": self.work_pixels, "plain": self.plain,
                "scribbles": plain_strokes(self.scribbles, "background")}

    @classmethod
    def from_dict(cls, data: dict) -> ObjectSelectParams:
        rect = data.get("rect")
        return cls(tuple(int(v) for v in rect) if rect else None, bool(data.get("subject", False)),  # type: ignore[arg-type]
                   bool(data.get("refine", True)), int(data.get("iterations", 5)), int(data.get("work_pixels", 300_000)),
                   bool(data.get("plain", False)), list(data.get("scribbles") or []))


def scribble_maps(strokes: list[dict], shape: tuple[int, int],
                  scale: float = 1.0) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Foreground and background scribble masks (uint8, 1 under a scribble; None for none) of
    `shape`, the strokes' pixels times `scale`; a later scribble over an earlier one wins."""
    if not strokes:
        return None, None
    drawn = strokes_map(strokes, shape, "background", scale)
    fg, bg = (drawn == PLAIN).view(np.uint8), (drawn == FLAGGED).view(np.uint8)
    return (fg if fg.any() else None), (bg if bg.any() else None)


def _check(cancel: CancelFlag | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def subject_prior(rgb: np.ndarray) -> np.ndarray:
    """Foreground likelihood in [0, 1] from saliency and unlikeness to the frame's border colours."""
    h, w = rgb.shape[:2]
    saliency = cv2.saliency.StaticSaliencySpectralResidual_create()
    ok, sal = saliency.computeSaliency(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    sal = cv2.GaussianBlur(sal.astype(np.float32), (0, 0), max(h, w) / 60)
    sal = (sal - sal.min()) / max(float(sal.max() - sal.min()), 1e-6) if ok else np.zeros((h, w), np.float32)
    # Border prior: a colour histogram of the frame's edge; colours frequent there are backdrop.
    q = (rgb // 32).astype(np.int32)
    bins = (q[..., 0] * 8 + q[..., 1]) * 8 + q[..., 2]
    edge = max(2, min(h, w) // 30)
    border = np.concatenate([bins[:edge].ravel(), bins[-edge:].ravel(), bins[:, :edge].ravel(), bins[:, -edge:].ravel()])
    hist = np.bincount(border, minlength=512).astype(np.float32)
    hist /= hist.max()
    unlike_border = 1.0 - np.sqrt(hist[bins])
    unlike_border = cv2.GaussianBlur(unlike_border, (0, 0), max(h, w) / 200)
    return 0.5 * sal + 0.5 * unlike_border


def _initial_mask(small: np.ndarray, params: ObjectSelectParams, scale: float) -> np.ndarray:
    h, w = small.shape[:2]
    if params.rect is not None:
        x, y, rw, rh = params.rect
        x0, y0 = max(0, int(x * scale)), max(0, int(y * scale))
        x1, y1 = min(w, int(np.ceil((x + rw) * scale))), min(h, int(np.ceil((y + rh) * scale)))
        if x1 - x0 < 2 or y1 - y0 < 2:
            raise ValueError("the rectangle is too small to select an object in")
        mask = np.full((h, w), cv2.GC_BGD, np.uint8)
        mask[y0:y1, x0:x1] = cv2.GC_PR_FGD
        return mask
    if not params.subject:
        raise ValueError("object select needs a rectangle or subject=True")
    prior = subject_prior(small)
    threshold, _ = cv2.threshold((prior * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = np.where(prior * 255 > threshold, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    edge = max(1, min(h, w) // 50)
    mask[:edge], mask[-edge:], mask[:, :edge], mask[:, -edge:] = cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD
    return mask


def _apply_scribbles(mask: np.ndarray, scribbles: np.ndarray | None, value: int) -> None:
    if scribbles is None:
        return
    small = cv2.resize(scribbles.astype(np.uint8), (mask.shape[1], mask.shape[0]), interpolation=cv2.INTER_AREA)
    mask[small > 0] = value


def texture_map(rgb: np.ndarray, size: tuple[int, int], scale: float) -> np.ndarray:
    """Local contrast (standard deviation of grey in a window about one working pixel wide), computed
    at full resolution and reduced to `size` (w, h): the grain that the reduction averages away."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    k = max(3, int(round(1.5 / scale)) | 1)
    mean = cv2.boxFilter(grey, -1, (k, k))
    var = cv2.sqrBoxFilter(grey, -1, (k, k)) - mean * mean
    std = np.sqrt(np.maximum(var, 0.0, out=var), out=var)
    # A window straddling an edge sees the grainy side's contrast: the grainy region's map reaches
    # half a window into its smooth neighbour. The minimum over the same window takes that back.
    std = cv2.erode(std, np.ones((k, k), np.uint8))
    return cv2.resize(std, size, interpolation=cv2.INTER_AREA) if std.shape[::-1] != size else std


def feature_image(lab: np.ndarray, texture: np.ndarray) -> np.ndarray:
    """Lab plus log texture, each standardised (texture weighted up), reduced to the three principal
    components and stretched to 8 bits: GrabCut takes three 8-bit channels."""
    feats = np.concatenate([lab.reshape(-1, 3).astype(np.float32), np.log1p(texture).reshape(-1, 1)], axis=1)
    feats -= feats.mean(axis=0)
    feats /= np.maximum(feats.std(axis=0), 1e-6)
    feats[:, 3] *= TEXTURE_WEIGHT
    _, vectors = np.linalg.eigh(np.cov(feats, rowvar=False))
    comps = feats @ vectors[:, ::-1][:, :3]
    lo, hi = np.percentile(comps, 0.5, axis=0), np.percentile(comps, 99.5, axis=0)
    comps = (comps - lo) / np.maximum(hi - lo, 1e-6) * 255
    return np.clip(comps, 0, 255).astype(np.uint8).reshape(*lab.shape[:2], 3)


TEXTURE_WEIGHT = 1.5  # the texture channel against each colour channel: look-alike clutter differs mostly there


def _starts(rgb: np.ndarray, small: np.ndarray, scale: float, plain: bool) -> list[tuple[np.ndarray, int]]:
    """(8-bit 3-channel image, k-means seed) for each GrabCut start; the richest image last.

    The colour models are GMMs with five components each: in Lab, where distance follows perceived
    difference, muted clutter and a saturated subject fall into separate components more often
    than in RGB. Where the backdrop shares the subject's colours, texture tells them apart."""
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2Lab)
    if plain:
        return [(lab, 0)]
    feats = feature_image(lab, texture_map(rgb, (small.shape[1], small.shape[0]), scale))
    return [(lab, 0), (feats, 1), (feats, 0)]


def _grabcut(image: np.ndarray, mask: np.ndarray, seed: int, iterations: int,
             cancel: CancelFlag | None, tick: Callable[[], None]) -> np.ndarray:
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(seed)  # GrabCut seeds its colour models with k-means: the same input gives the same mask
    mode = cv2.GC_INIT_WITH_MASK
    for _ in range(iterations):
        _check(cancel)
        cv2.grabCut(image, mask, None, bgd, fgd, 1, mode)
        mode = cv2.GC_EVAL
        tick()
    return mask


GAMMA = 50.0  # GrabCut's smoothness weight (Rother et al., and OpenCV)


def _gmm_cost(pixels: np.ndarray, model: np.ndarray) -> np.ndarray:
    """-log likelihood of (n, 3) float64 pixels under one of OpenCV's 5-component GMMs (weights, means, covariances)."""
    weights, means, covs = model[:5], model[5:20].reshape(5, 3), model[20:65].reshape(5, 3, 3)
    total = np.zeros(len(pixels))
    for k in range(5):
        if weights[k] <= 0:
            continue
        cov = covs[k] + np.eye(3) * 1e-3
        diff = pixels - means[k]
        inv = np.linalg.inv(cov)
        mahal = np.einsum("ni,ij,nj->n", diff, inv, diff)
        total += weights[k] * np.exp(-0.5 * mahal) / np.sqrt(max(np.linalg.det(cov), 1e-12))
    return -np.log(np.maximum(total, 1e-300))


def grabcut_energy(image: np.ndarray, mask: np.ndarray) -> float:
    """GrabCut's energy of the labelling `mask` on `image`: data term under GMMs fitted to the
    labels (OpenCV's own fit, zero iterations) plus the contrast-weighted smoothness term."""
    fg = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
    if fg.all() or not fg.any():
        return float("inf")
    labels = np.where(fg, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    cv2.grabCut(image, labels, None, bgd, fgd, 0, cv2.GC_INIT_WITH_MASK)
    z = image.astype(np.float64)
    flat, fgf = z.reshape(-1, 3), fg.ravel()
    data = _gmm_cost(flat[fgf], fgd[0]).sum() + _gmm_cost(flat[~fgf], bgd[0]).sum()
    pairs = [(z[:, 1:] - z[:, :-1], fg[:, 1:] != fg[:, :-1], 1.0), (z[1:] - z[:-1], fg[1:] != fg[:-1], 1.0),
             (z[1:, 1:] - z[:-1, :-1], fg[1:, 1:] != fg[:-1, :-1], 2**-0.5),
             (z[1:, :-1] - z[:-1, 1:], fg[1:, :-1] != fg[:-1, 1:], 2**-0.5)]
    sq = [np.einsum("...i,...i->...", d, d) for d, _, _ in pairs]
    beta = 1.0 / (2.0 * max(sum(float(s.sum()) for s in sq) / sum(s.size for s in sq), 1e-9))
    smooth = sum(GAMMA * w * np.exp(-beta * s[cut]).sum() for s, (_, cut, w) in zip(sq, pairs, strict=True))
    return float(data + smooth)


REFINE_TILE = 256
_refine_pool: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _refine_pool
    if _refine_pool is None:  # OpenCV releases the GIL: the tiles run on every core
        _refine_pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="refine-band")
    return _refine_pool


def refine_band(rgb: np.ndarray, coarse: np.ndarray, radius: int, cancel: CancelFlag | None = None) -> np.ndarray:
    """Guided-filter the soft `coarse` mask along its edge band only, steered by the photo.

    `coarse` is float32 0..1 or uint8 0..255 and the result has its type; `rgb` may be a view
    of RGBA pixels. The band (soft values, grown by `radius`) is found tile by tile, so the
    cost follows the length of the edge, not the size of the photo."""
    u8 = coarse.dtype == np.uint8
    lo, hi = (2, 253) if u8 else (0.01, 0.99)
    h, w = coarse.shape
    tile, margin = REFINE_TILE, 2 * radius
    soft = (coarse > lo) & (coarse < hi)
    rows, cols = np.arange(0, h, tile), np.arange(0, w, tile)
    # each tile's "any soft pixel"; along rows first, which numpy reduces in one contiguous sweep
    edged = np.maximum.reduceat(np.maximum.reduceat(soft.view(np.uint8), cols, axis=1), rows, axis=0)
    # a tile's band may come from its neighbours' soft pixels (radius < tile)
    wanted = np.argwhere(cv2.dilate(edged, np.ones((3, 3), np.uint8)) > 0)
    out = coarse.copy()  # tiles read `coarse` beyond their edges while others write `out`
    eps = 0.02**2 * 255 * 255
    grow = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))

    def one(ty: int, tx: int) -> None:
        if cancel is not None and cancel():
            return
        y0, x0 = max(0, ty - margin), max(0, tx - margin)
        y1, x1 = min(h, ty + tile + margin), min(w, tx + tile + margin)
        region = coarse[y0:y1, x0:x1]
        band = ((region > lo) & (region < hi)).astype(np.uint8)
        cy, cx = ty - y0, tx - x0
        core = cv2.dilate(band, grow)[cy : cy + tile, cx : cx + tile].astype(bool)
        if not core.any():
            return
        src = region.astype(np.float32) * np.float32(1 / 255) if u8 else region
        filtered = cv2.ximgproc.guidedFilter(np.ascontiguousarray(rgb[y0:y1, x0:x1, :3]), src, radius, eps)
        piece = filtered[cy : cy + core.shape[0], cx : cx + core.shape[1]]
        if u8:
            piece = (np.clip(piece, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
        np.copyto(out[ty : ty + core.shape[0], tx : tx + core.shape[1]], piece, where=core)

    for future in [_pool().submit(one, int(rows[i]), int(cols[j])) for i, j in wanted]:
        future.result()
    _check(cancel)
    return out


def object_select(
    pixels: np.ndarray,
    params: ObjectSelectParams,
    *,
    fg_scribbles: np.ndarray | None = None,
    bg_scribbles: np.ndarray | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> np.ndarray:
    """The object's mask (h, w) uint8 for (h, w, 3|4) uint8 RGB[A] pixels; raises Cancelled.
    Scribbles come as `params.scribbles` (strokes in these pixels) or as masks (non-zero under a scribble)."""
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] < 3:
        raise ValueError("object_select needs (h, w, 3|4) uint8 pixels")
    report = progress or (lambda _f: None)
    rgb = np.ascontiguousarray(pixels[..., :3])
    h, w = rgb.shape[:2]
    if params.scribbles:
        if fg_scribbles is not None or bg_scribbles is not None:
            raise ValueError("give scribbles as strokes in the parameters or as masks, not both")
        fg_scribbles, bg_scribbles = scribble_maps(params.scribbles, (h, w))
    scale = min(1.0, float(np.sqrt(params.work_pixels / (h * w))))
    small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    scale_x, scale_y = small.shape[1] / w, small.shape[0] / h
    mask = _initial_mask(small, params, min(scale_x, scale_y))
    _apply_scribbles(mask, fg_scribbles, cv2.GC_FGD)
    _apply_scribbles(mask, bg_scribbles, cv2.GC_BGD)
    if not ((mask == cv2.GC_BGD) | (mask == cv2.GC_PR_BGD)).any() or not ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).any():
        raise ValueError("object select needs both possible foreground and background")
    starts = _starts(rgb, small, scale, params.plain)
    steps = len(starts) * params.iterations + (2 if params.refine and scale < 1 else 1)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        report(done / steps)

    cuts = [_grabcut(image, mask.copy(), seed, params.iterations, cancel, tick) for image, seed in starts]
    # Each start's cut is scored in one feature space (the richest one), with GMMs refitted to
    # its own labels: the lowest GrabCut energy is the most coherent split of the picture.
    judge = starts[-1][0]
    mask = min(cuts, key=lambda cut: grabcut_energy(judge, cut)) if len(cuts) > 1 else cuts[0]
    fg = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.float32)
    _check(cancel)
    if scale >= 1:
        result = (fg * 255).astype(np.uint8)
    else:
        coarse = cv2.resize(fg, (w, h), interpolation=cv2.INTER_LINEAR)
        if params.refine:
            radius = max(2, int(round(1.0 / scale)))
            coarse = refine_band(rgb, coarse, radius, cancel)
        # Keep a one-pixel anti-aliased edge: a steep ramp around one half.
        result = (np.clip((coarse - 0.5) * 3.0 + 0.5, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    # Scribbles are the user's word, at full resolution too.
    if fg_scribbles is not None:
        result[fg_scribbles > 0] = 255
    if bg_scribbles is not None:
        result[bg_scribbles > 0] = 0
    report(1.0)
    return result
