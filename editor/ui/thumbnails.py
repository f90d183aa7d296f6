"""Layer and mask thumbnails, made lazily on a timer so painting never waits for them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from editor.core import Change, Document, Rect
from editor.core.layers import FillLayer, GradientFillLayer, Group, Layer, Node

THUMB_SIZE = 40
REFRESH_MS = 250


def _sample_grid(doc: Document, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Document coordinates of a thumbnail's pixel centres (the canvas fitted in size x size)."""
    scale = size / max(doc.width, doc.height)
    tw, th = max(1, round(doc.width * scale)), max(1, round(doc.height * scale))
    xs = ((np.arange(tw) + 0.5) / scale).astype(np.int64)
    ys = ((np.arange(th) + 0.5) / scale).astype(np.int64)
    return xs, ys


def _sample(array: np.ndarray, ox: int, oy: int, xs: np.ndarray, ys: np.ndarray, fill) -> np.ndarray:
    """array (placed at ox, oy) sampled at document points; `fill` outside it."""
    h, w = array.shape[:2]
    lx, ly = xs - ox, ys - oy
    inside_x, inside_y = (lx >= 0) & (lx < w), (ly >= 0) & (ly < h)
    out = np.empty((len(ys), len(xs)) + array.shape[2:], array.dtype)
    out[...] = fill
    if inside_x.any() and inside_y.any():
        rows, cols = np.flatnonzero(inside_y), np.flatnonzero(inside_x)
        out[np.ix_(rows, cols)] = array[np.ix_(ly[rows], lx[cols])]
    return out


def _rgba_image(rgba: np.ndarray) -> QImage:
    rgba = np.ascontiguousarray(rgba)
    h, w = rgba.shape[:2]
    return QImage(rgba.data, w, h, rgba.strides[0], QImage.Format.Format_RGBA8888).copy()


def _pixel_thumbnail(doc: Document, node: Layer, xs: np.ndarray, ys: np.ndarray) -> QImage:
    return _rgba_image(_sample(node.pixels, node.x, node.y, xs, ys, 0))


def _fill_thumbnail(doc: Document, node: FillLayer, xs: np.ndarray, ys: np.ndarray) -> QImage:
    out = np.empty((len(ys), len(xs), 4), np.uint8)
    out[...] = node.color
    return _rgba_image(out)


def _gradient_fill_thumbnail(doc: Document, node: GradientFillLayer, xs: np.ndarray, ys: np.ndarray) -> QImage:
    """The gradient drawn at the thumbnail's own size (its settings scaled, not the canvas sampled)."""
    from editor.paint.gradient_fill import fill_pixels, scaled

    factor = len(xs) / max(1, doc.width)
    small = Rect(0, 0, len(xs), len(ys))
    return _rgba_image(fill_pixels(scaled(node.gradient, factor), small, small))


def _swatch(w: int, h: int) -> np.ndarray:
    """A test card: hues across, dark to light down, as straight RGBA bytes."""
    hue = np.linspace(0, 6, w, endpoint=False)[None, :]
    light = np.linspace(0.15, 0.9, h)[:, None]
    rgb = np.stack([np.clip(np.abs((hue + k) % 6 - 3) - 1, 0, 1) for k in (0, 4, 2)], axis=-1)
    rgb = np.where(light[..., None] < 0.5, rgb * light[..., None] * 2, rgb + (1 - rgb) * (light[..., None] * 2 - 1))
    out = np.empty((h, w, 4), np.uint8)
    out[..., :3] = np.clip(rgb * 255 + 0.5, 0, 255)
    out[..., 3] = 255
    return out


def _adjustment_thumbnail(doc: Document, node: Node, xs: np.ndarray, ys: np.ndarray) -> QImage:
    """What the adjustment does to a test card (so Curves, Hue/Saturation, Invert look it)."""
    from editor.render import adjustments

    card = _swatch(len(xs), len(ys))
    spec = adjustments.SPECS.get(node.adjustment)  # type: ignore[attr-defined]
    if spec is None:
        return _rgba_image(card)
    if spec.category == "filter":
        out = adjustments.filtered(spec.name, node.params, card.astype(np.float32) / 255)  # type: ignore[attr-defined]
        return _rgba_image(np.clip(out * 255 + 0.5, 0, 255).astype(np.uint8))
    adjustments.apply(spec.name, node.params, card)  # type: ignore[attr-defined]
    return _rgba_image(card)


# How each node kind draws its layer thumbnail, by `node.kind` (see editor.render.kinds);
# a kind without one (a group) shows an icon instead.
KIND_THUMBNAILS: dict[str, Callable[[Document, Node, np.ndarray, np.ndarray], QImage | None]] = {
    "pixel": _pixel_thumbnail,  # type: ignore[dict-item]
    "fill": _fill_thumbnail,  # type: ignore[dict-item]
    "gradient-fill": _gradient_fill_thumbnail,  # type: ignore[dict-item]
    "adjustment": _adjustment_thumbnail,
}


def layer_thumbnail(doc: Document, node: Node, size: int = THUMB_SIZE) -> QImage | None:
    """The node's own content in the canvas frame; None for kinds that show an icon (groups)."""
    draw = KIND_THUMBNAILS.get(node.kind)
    if draw is None:
        return None
    xs, ys = _sample_grid(doc, size)
    return draw(doc, node, xs, ys)


def mask_thumbnail(doc: Document, node: Node, size: int = THUMB_SIZE) -> QImage | None:
    if node.mask is None:
        return None
    xs, ys = _sample_grid(doc, size)
    ox, oy = node.offset
    gray = _sample(node.mask.data, ox, oy, xs, ys, 0)
    gray = np.ascontiguousarray(gray)
    h, w = gray.shape
    return QImage(gray.data, w, h, gray.strides[0], QImage.Format.Format_Grayscale8).copy()


class ThumbnailCache(QObject):
    """Thumbnails per node uid; changed pixels mark them stale and a timer remakes them."""

    updated = Signal(object)  # the Node whose thumbnails changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self._layer: dict[int, QImage | None] = {}
        self._mask: dict[int, QImage | None] = {}
        self._stale: dict[int, Node] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def set_document(self, doc: Document | None) -> None:
        if self.doc is not None:
            self.doc.events.disconnect(self._on_change)
        self.doc = doc
        self._layer.clear()
        self._mask.clear()
        self._stale.clear()
        if doc is not None:
            doc.events.connect(self._on_change)

    def _on_change(self, change: Change) -> None:
        node = change.node
        if node is None or change.kind not in ("pixels", "mask", "property", "structure"):
            return
        if change.kind == "property" and not (change.name and ({"x", "y", "color", "params", "gradient"} & set(change.name.split(",")))):
            return
        for n in [node, *(node.walk() if isinstance(node, Group) else [])]:
            self._stale[n.uid] = n
        if not self._timer.isActive():  # not restarted: a long stroke still refreshes every REFRESH_MS
            self._timer.start()

    def layer(self, node: Node) -> QImage | None:
        if node.uid not in self._layer and self.doc is not None:
            self._layer[node.uid] = layer_thumbnail(self.doc, node)
        return self._layer.get(node.uid)

    def mask(self, node: Node) -> QImage | None:
        if node.uid not in self._mask and self.doc is not None:
            self._mask[node.uid] = mask_thumbnail(self.doc, node)
        return self._mask.get(node.uid)

    def refresh(self) -> None:
        stale, self._stale = self._stale, {}
        for uid, node in stale.items():
            self._layer.pop(uid, None)
            self._mask.pop(uid, None)
            self.updated.emit(node)
