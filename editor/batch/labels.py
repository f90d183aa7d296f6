"""Masks as training labels for recognition: COCO JSON (RLE and polygons), an instance-id PNG
per image, YOLO segmentation text.

Each masked layer is one instance and its name (or, inside a group, the group's name) is its
class; a batch image has one instance, its subject. An instance is the pixels where the mask
shows at least half (alpha >= 128). pycocotools encodes the RLE, so what we write is what
COCO's own reader decodes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

HALF = 128


def binary(alpha: np.ndarray) -> np.ndarray:
    return alpha >= HALF


def polygons(alpha: np.ndarray, *, tolerance: float = 0.5) -> list[list[float]]:
    """The outer outlines of the instance as flat [x1, y1, x2, y2, ...] lists in pixel units
    (COCO's polygon form); outlines of fewer than three points are dropped."""
    import cv2

    hard = binary(alpha).astype(np.uint8)
    contours, _ = cv2.findContours(hard, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for c in contours:
        if tolerance > 0:
            c = cv2.approxPolyDP(c, tolerance, True)
        if len(c) >= 3:
            pts = _outset(c.reshape(-1, 2).astype(np.float64), 0.5)
            out.append([round(float(v), 2) for v in pts.ravel()])
    return out


def _area(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _outset(pts: np.ndarray, distance: float) -> np.ndarray:
    """The outline moved `distance` outwards (mitred corners): contour points are the centres of
    the boundary pixels, and the mask's edge runs half a pixel outside them, where COCO's
    rasteriser expects a polygon to be."""
    d_next = np.roll(pts, -1, axis=0) - pts
    d_next /= np.maximum(np.linalg.norm(d_next, axis=1, keepdims=True), 1e-9)
    d_prev = np.roll(d_next, 1, axis=0)
    n_next = np.stack([d_next[:, 1], -d_next[:, 0]], axis=1)
    n_prev = np.stack([d_prev[:, 1], -d_prev[:, 0]], axis=1)
    bisector = n_next + n_prev
    cos = np.maximum(1.0 + np.sum(n_next * n_prev, axis=1, keepdims=True), 0.5)  # limit sharp mitres
    miter = bisector / cos
    grown = pts + distance * miter
    if abs(_area(grown)) < abs(_area(pts)):
        grown = pts - distance * miter
    return grown


def rle(alpha: np.ndarray) -> dict[str, Any]:
    """COCO compressed RLE ({"size": [h, w], "counts": str})."""
    from pycocotools import mask as cocomask

    encoded = cocomask.encode(np.asfortranarray(binary(alpha).astype(np.uint8)))
    return {"size": [int(v) for v in encoded["size"]], "counts": encoded["counts"].decode("ascii")}


def instance_annotation(alpha: np.ndarray, klass: str) -> dict[str, Any] | None:
    """One instance: class, RLE, polygons, bbox [x, y, w, h] and area; None when it is empty."""
    hard = binary(alpha)
    rows, cols = np.flatnonzero(hard.any(axis=1)), np.flatnonzero(hard.any(axis=0))
    if rows.size == 0:
        return None
    bbox = [int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)]
    return {"class": klass, "rle": rle(alpha), "polygons": polygons(alpha), "bbox": bbox,
            "area": int(np.count_nonzero(hard))}


def instance_png(alphas: Sequence[np.ndarray]) -> np.ndarray:
    """(h, w) uint8 (uint16 past 255 instances): 0 background, i + 1 where instance i shows
    (a later, higher layer wins where instances overlap)."""
    dtype = np.uint8 if len(alphas) < 256 else np.uint16
    out = np.zeros(alphas[0].shape, dtype) if alphas else np.zeros((1, 1), np.uint8)
    for i, alpha in enumerate(alphas):
        out[binary(alpha)] = i + 1
    return out


def yolo_lines(instances: Iterable[tuple[int, np.ndarray]], width: int, height: int) -> list[str]:
    """YOLO segmentation: one line per outline, "class x1 y1 x2 y2 ..." normalised to 0..1."""
    lines = []
    for class_index, alpha in instances:
        for poly in polygons(alpha):
            xy = np.asarray(poly, np.float64).reshape(-1, 2) / (width, height)
            xy = np.clip(xy, 0.0, 1.0)
            lines.append(f"{class_index} " + " ".join(f"{v:.6f}" for v in xy.ravel()) + "\n")
    return lines


def coco_documents(images: Sequence[dict[str, Any]], classes: Sequence[str]) -> tuple[dict, dict]:
    """Two COCO documents for `images` = [{"file_name", "width", "height", "instances": [...]}]
    (instances as made by `instance_annotation`): segmentation as RLE, and as polygons."""
    categories = [{"id": i + 1, "name": name, "supercategory": "object"} for i, name in enumerate(classes)]
    ids = {name: i + 1 for i, name in enumerate(classes)}
    docs = []
    for form in ("rle", "polygons"):
        out_images, annotations = [], []
        for n, image in enumerate(images, 1):
            out_images.append({"id": n, "file_name": image["file_name"], "width": image["width"],
                               "height": image["height"]})
            for inst in image["instances"]:
                if form == "polygons" and not inst["polygons"]:
                    continue
                annotations.append({"id": len(annotations) + 1, "image_id": n, "category_id": ids[inst["class"]],
                                    "segmentation": inst[form], "area": inst["area"], "bbox": inst["bbox"],
                                    "iscrowd": 0})
        docs.append({"info": {"description": "Veil masks as labels", "version": "1.0"},
                     "images": out_images, "annotations": annotations, "categories": categories})
    return docs[0], docs[1]


def write_coco(folder: Path, images: Sequence[dict[str, Any]], classes: Sequence[str]) -> list[Path]:
    """labels/coco.json (RLE) and labels/coco_polygons.json, each written atomically."""
    from editor.io.atomic import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in zip(("coco.json", "coco_polygons.json"), coco_documents(images, classes), strict=True):
        with atomic_write(folder / name) as f:
            f.write(json.dumps(doc).encode())
        written.append(folder / name)
    return written


# --- a document's masked layers ----------------------------------------------------------------

def document_instances(doc) -> list[tuple[str, np.ndarray]]:
    """(class, canvas-sized alpha) of each masked pixel layer, bottom first: its mask as it
    renders (density, feather, invert) on the canvas, where the layer has pixels."""
    from editor.core import Group, Layer
    from editor.io.maskbake import effective_mask

    out = []
    for node in doc.nodes():
        if not isinstance(node, Layer) or node.mask is None:
            continue
        mask = effective_mask(node.mask).astype(np.uint16) * node.pixels[..., 3] // 255
        canvas = np.zeros((doc.height, doc.width), np.uint8)
        where = node.bounds().intersect(doc.canvas)
        if not where.empty:
            canvas[where.slices()] = mask[where.translated(-node.x, -node.y).slices()]
        parent = node.parent
        klass = parent.name if isinstance(parent, Group) and parent is not doc.root else node.name
        out.append((klass, canvas))
    return out


def export_document_labels(doc, folder: str | Path, stem: str, formats: Sequence[str] = ("coco", "png", "yolo")) -> list[Path]:
    """File > Export Masks as Labels: the document's masked layers as labels in `folder`."""
    from editor.io.atomic import atomic_write
    from editor.io.images import encode_png

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    instances = document_instances(doc)
    if not instances:
        raise ValueError("no layer has a mask: each masked layer is one instance")
    classes = list(dict.fromkeys(k for k, _ in instances))
    written: list[Path] = []
    if "png" in formats:
        with atomic_write(folder / f"{stem}.png") as f:
            f.write(encode_png(instance_png([a for _, a in instances])))
        written.append(folder / f"{stem}.png")
    if "yolo" in formats:
        with atomic_write(folder / f"{stem}.txt") as f:
            f.write("".join(yolo_lines([(classes.index(k), a) for k, a in instances], doc.width, doc.height)).encode())
        with atomic_write(folder / "classes.txt") as f:
            f.write("".join(c + "\n" for c in classes).encode())
        written += [folder / f"{stem}.txt", folder / "classes.txt"]
    if "coco" in formats:
        anns = [a for a in (instance_annotation(alpha, k) for k, alpha in instances) if a is not None]
        written += write_coco(folder, [{"file_name": f"{stem}.png", "width": doc.width, "height": doc.height,
                                        "instances": anns}], classes)
    return written
