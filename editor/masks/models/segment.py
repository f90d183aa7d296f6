"""Select Subject with a salient-object model: photo in, soft mask out.

Pre- and post-processing follow each family's definition (families.py).
rembg resizes with Pillow's Lanczos both ways; on a 12 MP photo that alone
costs about half a second, so by default Veil shrinks with OpenCV's area
filter (the antialiased reduction; a mean difference of about 3/255 from
Pillow's Lanczos on noise, less on photos) and enlarges the mask bilinearly,
after which the edge band is refined at full resolution against the photo
(object select's guided filter), which decides the final edge anyway.
`filters="lanczos"` reproduces rembg's Pillow filters exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ..object_select import CancelFlag, Cancelled, Progress, refine_band
from .families import SalientFamily
from .registry import ModelError, ModelInfo, resolve
from .session import input_shape, session

FILTERS = ("fast", "lanczos")


@dataclass
class SubjectParams:
    model: str  # a registry name or a file path
    refine: bool = True  # refine the edge band at full resolution
    filters: str = "fast"  # "fast" (OpenCV area / bilinear) or "lanczos" (rembg's Pillow filters)
    sha256: str | None = None  # the model file's hash when the mask was made

    def to_dict(self) -> dict:
        return {"kind": "model-subject", "model": self.model, "refine": self.refine, "filters": self.filters,
                "sha256": self.sha256}

    @classmethod
    def from_dict(cls, data: dict) -> SubjectParams:
        if not data.get("model"):
            raise ValueError("a model mask needs the model's name or path")
        filters = str(data.get("filters", "fast"))
        if filters not in FILTERS:
            raise ValueError(f"filters must be one of {', '.join(FILTERS)}, not {filters!r}")
        return cls(str(data["model"]), bool(data.get("refine", True)), filters, data.get("sha256"))


def preprocess(rgb: np.ndarray, family: SalientFamily, filters: str = "fast") -> np.ndarray:
    """The (1, 3, S, S) float32 tensor the family's network takes, from (h, w, 3|4) uint8 pixels
    (alpha is ignored: the model sees the colours, as rembg's RGB conversion does)."""
    size = family.size
    if filters == "lanczos":
        from PIL import Image

        rgb = np.ascontiguousarray(rgb[..., :3])  # Pillow would premultiply an RGBA image
        small = np.asarray(Image.fromarray(rgb).resize((size, size), Image.Resampling.LANCZOS))
    else:
        h, w = rgb.shape[:2]
        shrink = h >= size and w >= size
        if not rgb.flags.c_contiguous:
            rgb = np.ascontiguousarray(rgb)
        small = cv2.resize(rgb, (size, size), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)[..., :3]
    x = small.astype(np.float64)
    x /= max(float(x.max()), 1e-6)  # rembg divides by the image's own maximum, not by 255
    x = (x - np.asarray(family.mean)) / np.asarray(family.std)
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32)


def postprocess(output: np.ndarray, family: SalientFamily, shape: tuple[int, int], filters: str = "fast") -> np.ndarray:
    """The (h, w) float32 0..1 mask from the network's first output, at the photo's size."""
    return postprocess_u8(output, family, shape, filters).astype(np.float32) * np.float32(1 / 255)


def postprocess_u8(output: np.ndarray, family: SalientFamily, shape: tuple[int, int], filters: str = "fast") -> np.ndarray:
    """The (h, w) uint8 mask from the network's first output, at the photo's size."""
    out = np.asarray(output, dtype=np.float64)
    if out.ndim == 4:
        pred = out[0, 0]
    elif out.ndim == 3:
        pred = out[0]
    elif out.ndim == 2:
        pred = out
    else:
        raise ModelError(f"the model's output has shape {list(out.shape)}; expected (1, 1, H, W)")
    if family.sigmoid:
        pred = 1.0 / (1.0 + np.exp(-pred))
    lo, hi = float(pred.min()), float(pred.max())
    pred = (pred - lo) / (hi - lo) if hi - lo > 1e-12 else np.clip(pred, 0.0, 1.0)
    small = (pred * 255).astype(np.uint8)  # rembg truncates here, before resizing back
    h, w = shape
    if filters == "lanczos":
        from PIL import Image

        big = np.asarray(Image.fromarray(small, "L").resize((w, h), Image.Resampling.LANCZOS))
    else:
        big = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return big


def check_inputs(info: ModelInfo, sess) -> None:
    """Refuse a file whose input does not fit its family, naming what was expected."""
    family = info.family
    shape = input_shape(sess)
    ok = len(shape) == 4 and shape[1] in (3, "3") and all(
        not isinstance(d, int) or d == family.size for d in shape[2:])
    if not ok:
        raise ModelError(f"{info.path.name}: a {family.name} model takes a 1x3x{family.size}x{family.size} "
                         f"image, but this file's input is {shape}")


def run_model(info: ModelInfo, rgb: np.ndarray, filters: str = "fast", cancel: CancelFlag | None = None) -> np.ndarray:
    """One inference: the (h, w) uint8 saliency of a (h, w, 3|4) uint8 photo."""
    sess = session(info.path)
    check_inputs(info, sess)
    tensor = preprocess(rgb, info.family, filters)  # type: ignore[arg-type]
    if cancel is not None and cancel():
        raise Cancelled()
    outputs = sess.run(None, {sess.get_inputs()[0].name: tensor})
    if cancel is not None and cancel():
        raise Cancelled()
    return postprocess_u8(outputs[0], info.family, rgb.shape[:2], filters)  # type: ignore[arg-type]


def select_subject(pixels: np.ndarray, params: SubjectParams, *, progress: Progress | None = None,
                   cancel: CancelFlag | None = None, model: ModelInfo | None = None) -> np.ndarray:
    """The subject's mask (h, w) uint8 for (h, w, 3|4) uint8 pixels; raises Cancelled or ModelError."""
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] < 3:
        raise ValueError("select_subject needs (h, w, 3|4) uint8 pixels")
    report: Callable[[float], None] = progress or (lambda _f: None)
    info = model or resolve(params.model, kind="salient")
    report(0.05)
    mask = run_model(info, pixels, params.filters, cancel)
    report(0.8)
    if params.refine:
        scale = info.family.size / max(pixels.shape[:2])  # type: ignore[union-attr]
        radius = max(2, int(round(1.0 / scale))) if scale < 1 else 2
        mask = refine_band(pixels, mask, radius, cancel)
    report(1.0)
    return mask
