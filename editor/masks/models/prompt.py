"""Object selection on a segment-anything-style encoder/decoder pair.

The encoder runs once per image (seconds, in a worker); every prompt (a
point to add, a point to remove, a box) then only runs the small decoder,
fast enough to follow the pointer. Coordinates cross three frames: the
layer's pixels, the encoder's frame (the photo scaled so its long side
fits the encoder; padded bottom-right for SAM's square input) and the
decoder's low-resolution logits, which are scaled back to the layer and cut
at zero with a one-pixel soft edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ..object_select import CancelFlag, Cancelled
from .families import SAM_LONG_SIDE, SAM_PIXEL_MEAN, SAM_PIXEL_STD
from .registry import ModelError, ModelInfo, resolve
from .session import input_shape, session

DECODER_INPUTS = ("image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size")
ADD, REMOVE = 1, 0  # SAM's point labels; 2 and 3 are a box's corners, -1 padding


@dataclass
class Embedding:
    """An image's encoding and the frame it was computed in."""

    features: np.ndarray
    image_shape: tuple[int, int]  # the layer's (h, w)
    frame: tuple[int, int]  # the encoder's (h, w) for the scaled photo, before padding
    scale: float  # layer pixel -> encoder frame


@dataclass
class ObjectParams:
    model: str
    points: list[tuple[float, float, int]] = field(default_factory=list)  # x, y (layer pixels), ADD/REMOVE
    box: tuple[float, float, float, float] | None = None  # x, y, w, h in layer pixels
    sha256: str | None = None

    def to_dict(self) -> dict:
        return {"kind": "model-object", "model": self.model, "points": [list(p) for p in self.points],
                "box": list(self.box) if self.box else None, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, data: dict) -> ObjectParams:
        if not data.get("model"):
            raise ValueError("a model mask needs the model's name or path")
        points = []
        for p in data.get("points") or []:
            if len(p) != 3 or int(p[2]) not in (ADD, REMOVE):
                raise ValueError(f"a point is x, y, label (1 add, 0 remove), not {p!r}")
            points.append((float(p[0]), float(p[1]), int(p[2])))
        box = data.get("box")
        if box is not None and (len(box) != 4 or box[2] <= 0 or box[3] <= 0):
            raise ValueError(f"a box is x, y, w, h with a positive size, not {box!r}")
        if not points and box is None:
            raise ValueError("object selection needs a point or a box")
        return cls(str(data["model"]), points, tuple(float(v) for v in box) if box else None,  # type: ignore[arg-type]
                   data.get("sha256"))


def _frame(h: int, w: int, long_side: int) -> tuple[int, int, float]:
    scale = long_side / max(h, w)
    return int(h * scale + 0.5), int(w * scale + 0.5), scale


def embed(info: ModelInfo, pixels: np.ndarray, cancel: CancelFlag | None = None) -> Embedding:
    """Run the encoder on (h, w, 3|4) uint8 pixels."""
    if info.decoder is None:
        raise ModelError(f"{info.name} is not an encoder/decoder pair")
    enc = session(info.path)
    rgb = np.ascontiguousarray(pixels[..., :3])
    h, w = rgb.shape[:2]
    shape = input_shape(enc)
    if len(shape) == 4 and shape[1] in (3, "3"):
        # SAM's own encoder: long side to 1024, normalised, padded bottom-right to a square.
        side = shape[2] if isinstance(shape[2], int) else SAM_LONG_SIDE
        fh, fw, scale = _frame(h, w, side)
        small = cv2.resize(rgb, (fw, fh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
        x = (small.astype(np.float32) - np.float32(SAM_PIXEL_MEAN)) / np.float32(SAM_PIXEL_STD)
        padded = np.zeros((side, side, 3), np.float32)
        padded[:fh, :fw] = x
        tensor = np.ascontiguousarray(padded.transpose(2, 0, 1)[None])
    elif len(shape) == 3 and shape[2] in (3, "3"):
        # rembg's export: an HWC image in 0..255 (normalisation inside the graph), fitted top-left into
        # its fixed input, or scaled to a 1024 long side when the input is dynamic.
        if isinstance(shape[0], int) and isinstance(shape[1], int):
            ih, iw = shape[0], shape[1]
            scale = min(iw / w, ih / h)
            fh, fw = min(ih, int(h * scale + 0.5)), min(iw, int(w * scale + 0.5))
        else:
            fh, fw, scale = _frame(h, w, SAM_LONG_SIDE)
            ih, iw = fh, fw
        small = cv2.resize(rgb, (fw, fh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
        tensor = np.zeros((ih, iw, 3), np.float32)
        tensor[:fh, :fw] = small
    else:
        raise ModelError(f"{info.path.name}: a segment-anything encoder takes 1x3x1024x1024 or HxWx3, "
                         f"but this file's input is {shape}")
    if cancel is not None and cancel():
        raise Cancelled()
    features = enc.run(None, {enc.get_inputs()[0].name: tensor})[0]
    return Embedding(features, (h, w), (fh, fw), scale)


def _decoder(info: ModelInfo):
    dec = session(info.decoder)  # type: ignore[arg-type]
    names = {i.name for i in dec.get_inputs()}
    missing = [n for n in DECODER_INPUTS if n not in names]
    if missing:
        raise ModelError(f"{info.decoder.name}: a segment-anything decoder takes {', '.join(DECODER_INPUTS)}; "  # type: ignore[union-attr]
                         f"this one lacks {', '.join(missing)}")
    return dec


def prompt_arrays(emb: Embedding, points: list[tuple[float, float, int]],
                  box: tuple[float, float, float, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """SAM's (1, N, 2) coordinates in the encoder's frame and (1, N) labels for the prompts.
    A pixel's centre is its coordinate plus one half."""
    coords, labels = [], []
    for x, y, label in points:
        coords.append(((x + 0.5) * emb.scale, (y + 0.5) * emb.scale))
        labels.append(label)
    if box is not None:
        x, y, bw, bh = box
        coords += [(x * emb.scale, y * emb.scale), ((x + bw) * emb.scale, (y + bh) * emb.scale)]
        labels += [2, 3]
    else:
        coords.append((0.0, 0.0))  # SAM's padding point when no box is given
        labels.append(-1)
    return np.asarray([coords], np.float32), np.asarray([labels], np.float32)


def decode_logits(info: ModelInfo, emb: Embedding, points: list[tuple[float, float, int]],
                  box: tuple[float, float, float, float] | None = None) -> np.ndarray:
    """The best mask's logits (fh, fw) float32 in the encoder's frame (> 0 is the object)."""
    if not points and box is None:
        raise ValueError("object selection needs a point or a box")
    dec = _decoder(info)
    coords, labels = prompt_arrays(emb, points, box)
    fh, fw = emb.frame
    inputs = {"image_embeddings": emb.features, "point_coords": coords, "point_labels": labels,
              "mask_input": np.zeros((1, 1, 256, 256), np.float32), "has_mask_input": np.zeros(1, np.float32),
              "orig_im_size": np.asarray([fh, fw], np.float32)}
    outputs = dec.run(None, inputs)
    masks = np.asarray(outputs[0], np.float32)
    if masks.ndim != 4:
        raise ModelError(f"{info.decoder.name}: expected masks shaped (1, M, H, W), got {list(masks.shape)}")  # type: ignore[union-attr]
    best = 0
    if len(outputs) > 1 and masks.shape[1] > 1:
        best = int(np.argmax(np.asarray(outputs[1]).reshape(-1)[: masks.shape[1]]))
    logits = masks[0, best]
    if logits.shape != (fh, fw):  # a decoder that ignores orig_im_size: crop its padded square, then fit
        side = max(logits.shape)
        crop_h, crop_w = round(fh * side / max(fh, fw)), round(fw * side / max(fh, fw))
        logits = cv2.resize(np.ascontiguousarray(logits[:crop_h, :crop_w]), (fw, fh), interpolation=cv2.INTER_LINEAR)
    return logits


def logits_to_mask(logits: np.ndarray, emb: Embedding) -> np.ndarray:
    """Scale the frame's logits to the layer and cut at zero with about a pixel of soft edge."""
    h, w = emb.image_shape
    # cv2.resize maps pixel centres (align_corners=False), as the encoder's resize did.
    big = cv2.resize(logits, (w, h), interpolation=cv2.INTER_LINEAR)
    return (np.clip(big * 2.0 + 0.5, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)


def decode(info: ModelInfo, emb: Embedding, points: list[tuple[float, float, int]],
           box: tuple[float, float, float, float] | None = None) -> np.ndarray:
    """The object's (h, w) uint8 mask at the layer's size."""
    return logits_to_mask(decode_logits(info, emb, points, box), emb)


def select_object(pixels: np.ndarray, params: ObjectParams, *, cancel: CancelFlag | None = None,
                  model: ModelInfo | None = None) -> np.ndarray:
    """Encode and decode in one go (the command line, a re-run of a saved mask)."""
    info = model or resolve(params.model, kind="prompt")
    return decode(info, embed(info, pixels, cancel), params.points, params.box)
