"""What each known segmentation model family expects, as its authors define it.

Veil runs models users already have (rembg's downloads, segment-anything
exports); it ships none. A family fixes the whole contract around the
network, so the same file gives the same mask here as in the program it
came from:

- salient-object models (rembg's sessions: u2net, u2netp, u2net_human_seg,
  silueta, isnet-general-use, isnet-anime, the BiRefNet variants,
  bria-rmbg): the photo as RGB resized to a square `size`, divided by its
  own maximum (rembg's "divide by max", not by 255), then `(x - mean) / std`
  per channel, NCHW float32. The first output's channel 0 is the
  prediction; BiRefNet passes it through a sigmoid first; then every family
  min-max normalises it to 0..1, truncates `* 255` to uint8 and resizes it
  back to the photo (rembg uses Pillow's Lanczos both ways; see
  `segment.py` for the filters Veil uses and why).
- prompt-able models (segment-anything encoder/decoder pairs, including
  MobileSAM, EfficientSAM-style exports that keep SAM's decoder interface):
  the encoder takes either rembg's HWC float32 image in 0..255 fitted into
  its fixed input, or SAM's own NCHW 1024x1024 tensor normalised with SAM's
  pixel mean/std and padded bottom-right; the decoder takes SAM's prompt
  interface (`point_coords` in the encoder's frame, `point_labels` 1 add,
  0 remove, 2/3 box corners, -1 padding).
"""

from __future__ import annotations

from dataclasses import dataclass

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
SAM_PIXEL_MEAN = (123.675, 116.28, 103.53)
SAM_PIXEL_STD = (58.395, 57.12, 57.375)
SAM_LONG_SIDE = 1024


@dataclass(frozen=True)
class SalientFamily:
    """A salient-object model: one image in, one saliency map out."""

    name: str
    size: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    sigmoid: bool = False  # BiRefNet's output is a logit

    kind = "salient"


@dataclass(frozen=True)
class PromptFamily:
    """A segment-anything-style pair: an image encoder and a prompt decoder."""

    name: str
    kind = "prompt"


SALIENT_FAMILIES: dict[str, SalientFamily] = {
    f.name: f for f in (
        SalientFamily("u2net", 320, IMAGENET_MEAN, IMAGENET_STD),
        SalientFamily("u2netp", 320, IMAGENET_MEAN, IMAGENET_STD),
        SalientFamily("u2net_human_seg", 320, IMAGENET_MEAN, IMAGENET_STD),
        SalientFamily("silueta", 320, IMAGENET_MEAN, IMAGENET_STD),
        SalientFamily("isnet-general-use", 1024, IMAGENET_MEAN, (1.0, 1.0, 1.0)),
        SalientFamily("isnet-anime", 1024, IMAGENET_MEAN, (1.0, 1.0, 1.0)),
        SalientFamily("birefnet-general", 1024, IMAGENET_MEAN, IMAGENET_STD, sigmoid=True),
        SalientFamily("birefnet-general-lite", 1024, IMAGENET_MEAN, IMAGENET_STD, sigmoid=True),
        SalientFamily("birefnet-portrait", 1024, IMAGENET_MEAN, IMAGENET_STD, sigmoid=True),
        SalientFamily("birefnet-dis", 1024, IMAGENET_MEAN, IMAGENET_STD, sigmoid=True),
        SalientFamily("birefnet-hrsod", 1024, IMAGENET_MEAN, IMAGENET_STD, sigmoid=True),
        SalientFamily("birefnet-cod", 1024, IMAGENET_MEAN, IMAGENET_STD, sigmoid=True),
        SalientFamily("birefnet-massive", 1024, IMAGENET_MEAN, IMAGENET_STD, sigmoid=True),
        SalientFamily("bria-rmbg", 1024, IMAGENET_MEAN, IMAGENET_STD),
    )
}

SAM = PromptFamily("sam")

# File stems as rembg and the segment-anything exporters name them, longest first so that
# "u2netp" is not read as "u2net" and "birefnet-general-lite" not as "birefnet-general".
_STEMS = sorted(SALIENT_FAMILIES, key=len, reverse=True)
_ALIASES = {"isnet-general": "isnet-general-use", "dis": "isnet-general-use", "rmbg": "bria-rmbg",
            "bria-rmbg-2.0": "bria-rmbg", "birefnet": "birefnet-general"}


def salient_family_for(stem: str) -> SalientFamily | None:
    """The family a model file's name says it belongs to (None: the name does not tell)."""
    s = stem.lower().replace(" ", "-")
    for name in _STEMS:
        if s == name or s.startswith(name + "-") or s.startswith(name + ".") or s.startswith(name + "_"):
            # "u2net_human_seg" must not fall to "u2net": _STEMS is longest first, so it is tried first.
            return SALIENT_FAMILIES[name]
    for alias, name in sorted(_ALIASES.items(), key=lambda kv: len(kv[0]), reverse=True):
        if s == alias or s.startswith(alias + "-") or s.startswith(alias + "_"):
            return SALIENT_FAMILIES[name]
    return None


def expected_inputs() -> str:
    """One line naming what Veil can recognise, for error messages."""
    sizes = sorted({f"{f.size}x{f.size}" for f in SALIENT_FAMILIES.values()})
    return (f"a salient-object model named after its family ({', '.join(SALIENT_FAMILIES)}) "
            f"with one 1x3xSxS float input (S = {' or '.join(s.split('x')[0] for s in sizes)}), "
            "or a segment-anything pair named *encoder*.onnx / *decoder*.onnx whose decoder takes "
            "image_embeddings, point_coords, point_labels, mask_input, has_mask_input and orig_im_size")
