"""Object Selection (Shift+W): point at an object and it is selected, as Photoshop's tool.

On a segment-anything-style encoder/decoder pair (editor/masks/models/prompt.py):
the image is encoded once, in a worker, when the tool is chosen or the
pixels change; after that every prompt only runs the small decoder. Hovering
tints the object under the pointer, a click selects it, a drag draws a box
around it; Shift adds to the selection and Alt subtracts (the mode buttons
decide otherwise). With no such model installed, a drag runs the GrabCut
object select inside the box instead and the status bar says where a model
goes.

Hover decodes run on one background thread, newest request wins, so the
pointer never waits for the model; the tint is the decoder's own frame
(at most 1024 px on the long side) stretched over the canvas.
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPolygonF
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from editor.core import Change, Layer
from editor.masks.generators import apply_to_layer
from editor.masks.models import ModelError, ModelInfo, ObjectParams, scan
from editor.masks.models.prompt import ADD, REMOVE, Embedding, decode_logits, embed, logits_to_mask
from editor.masks.models.registry import rembg_folder, veil_folder
from editor.masks.object_select import Cancelled, ObjectSelectParams, object_select
from editor.masks.selection import ops

from ..jobs import JobCancelled
from .base import PointerEvent
from .selection_base import SelectionOptions, SelectionTool, draw_outline

STALE_KINDS = ("pixels", "structure", "document")  # what changes one layer's picture (the key follows the active layer)
MERGED_STALE_KINDS = (*STALE_KINDS, "mask", "property")  # and what changes the merged picture too
DRAG_PIXELS = 4  # a press that moves less than this (on screen) is a click, not a box
HOVER_TINT = (40, 120, 255, 110)  # RGBA of the hover highlight
NOTICE_MS = 10_000
OUTPUTS = ("Selection", "Layer Mask")


def no_prompt_model_notice() -> str:
    return (f"No object selection model installed: put a segment-anything encoder/decoder pair "
            f"(name.encoder.onnx + name.decoder.onnx) in {rembg_folder()} or {veil_folder()}. "
            f"Drag a box to select with GrabCut instead.")


def tint_image(inside: np.ndarray) -> QImage:
    """A premultiplied ARGB image, tinted where `inside` (a bool frame) is True."""
    h, w = inside.shape
    r, g, b, a = HOVER_TINT
    scale = a / 255
    buf = np.zeros((h, w, 4), np.uint8)  # BGRA in memory = ARGB32 on little-endian
    buf[inside] = (int(b * scale), int(g * scale), int(r * scale), a)
    image = QImage(buf.data, w, h, 4 * w, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()  # own the pixels: buf goes away


class _HoverDecoder(QObject):
    """Decodes the newest hover prompt on a background thread and reports its frame mask."""

    decoded = Signal(object, object)  # (request key, bool frame mask)

    def __init__(self) -> None:
        super().__init__()
        self._wanted: tuple | None = None  # (key, info, embedding, point)
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def request(self, key, info: ModelInfo, emb: Embedding, point: tuple[float, float]) -> None:
        with self._wake:
            self._wanted = (key, info, emb, point)
            self._wake.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="object-hover", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._wake:
                while self._wanted is None:
                    self._wake.wait()
                key, info, emb, (x, y) = self._wanted
                self._wanted = None
            try:
                inside = decode_logits(info, emb, [(x, y, ADD)]) > 0
            except Exception:  # noqa: BLE001 - a hover that fails only shows no tint; the click reports it
                inside = None
            self.decoded.emit(key, inside)


class ObjectSelectionTool(SelectionTool):
    name = "Object Selection"
    icon = "selection-search"
    shortcut = "Shift+W"
    tooltip = "Object selection (Shift+W): hover to find an object, click or drag a box to select it; Shift adds, Alt subtracts"

    def __init__(self, host) -> None:
        super().__init__(host)
        self._embedding: Embedding | None = None
        self._embedding_key: tuple | None = None
        self._job = None
        self._job_key: tuple | None = None
        self._pending: tuple | None = None  # a prompt made while the image was being encoded
        self._watched = None
        self._generation = 0  # bumped on every pixel change, so stale work is recognised
        self._press: QPointF | None = None
        self._press_widget: QPointF | None = None
        self._box: QRectF | None = None
        self._mode = "replace"
        self._hover_point: tuple[float, float] | None = None
        self._hover_image: QImage | None = None
        self._hover = _HoverDecoder()
        self._hover.decoded.connect(self._hover_ready)

    # --- options -----------------------------------------------------------
    def build_options(self, options: SelectionOptions) -> None:
        options.add(QLabel("Model"))
        self.model_box = options.add(QComboBox())
        self.model_box.setMinimumContentsLength(14)
        self.model_box.currentIndexChanged.connect(lambda _i: self._restart())
        options.add(QLabel("Make"))
        self.output = options.add(QComboBox())
        self.output.addItems(OUTPUTS)
        self.output.setToolTip("Layer Mask: the active layer's mask, kept live (its prompts and model are "
                               "remembered; Shift/Alt add points to them; Mask > Edit Mask Generator reopens it)")
        self.output.currentIndexChanged.connect(lambda _i: self._restart())
        self.sample_all = options.add(QCheckBox("Sample all layers"))
        self.sample_all.toggled.connect(lambda _on: self._restart())
        self.hover_box = options.add(QCheckBox("Object finder"))
        self.hover_box.setToolTip("Highlight the object under the pointer")
        self.hover_box.setChecked(True)
        self.refresh_models()

    def refresh_models(self) -> None:
        """List the prompt-able models found now (the folders may have changed)."""
        current = self.model_box.currentText()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        for info in scan()[0]:
            if info.kind == "prompt":
                self.model_box.addItem(info.name, info)
        if self.model_box.count() == 0:
            self.model_box.addItem("GrabCut (no model)", None)
        found = self.model_box.findText(current)
        self.model_box.setCurrentIndex(max(0, found))
        self.model_box.blockSignals(False)

    @property
    def model(self) -> ModelInfo | None:
        self.options  # noqa: B018 - the model box lives in the options bar
        return self.model_box.currentData()

    # --- lifecycle ---------------------------------------------------------
    def activate(self) -> None:
        self.options  # noqa: B018 - build the option widgets first
        self.refresh_models()
        if self.model is None:
            self.host.show_status(no_prompt_model_notice(), NOTICE_MS)
        else:
            self._ensure_embedding()

    def deactivate(self) -> None:
        self._clear_hover()
        box, self._box, self._press = self._box, None, None
        self.repaint_outline(box)

    def _on_change(self, change: Change) -> None:
        merged = self.sample_all.isChecked() and not self.to_mask
        if change.kind in (MERGED_STALE_KINDS if merged else STALE_KINDS):
            self._invalidate()

    def _watch(self) -> None:
        doc = self.document
        if self._watched is not doc:
            if self._watched is not None:
                self._watched.events.disconnect(self._on_change)
            doc.events.connect(self._on_change)
            self._watched = doc
            self._invalidate()

    def _invalidate(self) -> None:
        self._generation += 1
        self._embedding = None
        self._embedding_key = None
        self._clear_hover()

    def _restart(self) -> None:
        """An option changed what is encoded: start on the new picture at once."""
        self._invalidate()
        if self.canvas.tool is self:
            self._ensure_embedding()

    def _key(self) -> tuple:
        model = self.model
        return (self._generation, self.sample_all.isChecked(), self.to_mask, id(self.document.active),
                model.name if model else None)

    @property
    def to_mask(self) -> bool:
        self.options  # noqa: B018
        return self.output.currentText() == "Layer Mask"

    def _origin(self) -> tuple[int, int]:
        """Where the encoded picture's top-left sits on the canvas: the layer's offset for a mask
        (it is made of the layer's own pixels, as a re-run of its generator is), else the canvas's."""
        layer = self.document.active
        return layer.offset if self.to_mask and isinstance(layer, Layer) else (0, 0)

    # --- the embedding -------------------------------------------------------
    def _sample(self) -> np.ndarray | None:
        if self.to_mask:
            layer = self.document.active
            return layer.pixels if isinstance(layer, Layer) else None
        return ops.sample_image(self.document, merged=self.sample_all.isChecked())

    def _ensure_embedding(self) -> Embedding | None:
        """The current image's embedding, or None while it is computed (started here if needed)."""
        self._watch()
        key = self._key()
        if self._embedding is not None and self._embedding_key == key:
            return self._embedding
        if self._job is not None and self._job_key == key:
            return None
        info = self.model
        sample = self._sample()
        if info is None or sample is None:
            return None
        if self._job is not None:
            self._job.cancel()
        pixels = np.ascontiguousarray(sample[..., :3])
        self._job_key = key

        def work(progress, cancelled):
            try:
                info.sha256()  # a live mask remembers it: hash the file here, not on a click
                return embed(info, pixels, cancelled)
            except Cancelled as e:
                raise JobCancelled() from e

        def done(emb: Embedding, key=key) -> None:
            if self._job_key != key:
                return  # an older image's encoding finished after a newer one was asked for
            self._job = None
            if key != self._key():
                return
            self._embedding, self._embedding_key = emb, key
            pending, self._pending = self._pending, None
            if pending is not None:
                self._apply(*pending)

        def failed(error: Exception) -> None:
            self._job = None
            self._pending = None
            self.host.show_status(str(error) if isinstance(error, ModelError | ValueError)
                                  else f"Object selection failed: {error}", NOTICE_MS)

        def cancelled_() -> None:
            self._job = None
            self._pending = None

        self._job = self.host.jobs.run(work, label="Analysing image for Object Selection", on_done=done,
                                       on_error=failed, on_cancel=cancelled_)
        return None

    # --- hover -----------------------------------------------------------------
    def hover(self, pos: QPointF, event: PointerEvent) -> None:
        if self.model is None or not self.hover_box.isChecked():
            return
        doc = self.document
        if not (0 <= pos.x() < doc.width and 0 <= pos.y() < doc.height):
            self._clear_hover()
            return
        emb = self._ensure_embedding()
        if emb is None:
            return
        ox, oy = self._origin()
        self._hover_point = (pos.x() - ox, pos.y() - oy)
        self._hover.request(self._embedding_key, self.model, emb, self._hover_point)

    def _hover_ready(self, key, inside: np.ndarray | None) -> None:
        if key != self._embedding_key or self._hover_point is None or self._press is not None:
            return
        self._hover_image = tint_image(inside) if inside is not None and inside.any() else None
        self.canvas.update_overlay(self._doc_rect())

    def _clear_hover(self) -> None:
        had = self._hover_image is not None
        self._hover_point = None
        self._hover_image = None
        if had:
            self.canvas.update_overlay(self._doc_rect())

    def _doc_rect(self) -> QRectF:
        return QRectF(0, 0, self.document.width, self.document.height)

    # --- click and box -------------------------------------------------------------
    def press(self, pos: QPointF, event: PointerEvent) -> None:
        if event.button != Qt.MouseButton.LeftButton:
            return
        self._press, self._press_widget = QPointF(pos), QPointF(event.widget_pos)
        self._box = None
        self._mode = self.mode_for(event)
        self._clear_hover()

    def move(self, pos: QPointF, event: PointerEvent) -> None:
        if self._press is None:
            return
        if (event.widget_pos - self._press_widget).manhattanLength() < DRAG_PIXELS and self._box is None:
            return
        old = self._box
        self._box = QRectF(self._press, pos).normalized()
        self.repaint_outline(old, self._box)

    def release(self, pos: QPointF, event: PointerEvent) -> None:
        if self._press is None or event.button != Qt.MouseButton.LeftButton:
            return
        self.move(pos, event)
        start, box, mode = self._press, self._box, self._mode
        self._press = self._box = None
        self.repaint_outline(box)
        doc = self.document
        if box is not None:
            box = box.intersected(self._doc_rect())
            if box.width() < 1 or box.height() < 1:
                return
            prompt = ([], (box.x(), box.y(), box.width(), box.height()))
        elif 0 <= start.x() < doc.width and 0 <= start.y() < doc.height:
            prompt = ([(float(np.floor(start.x())), float(np.floor(start.y())), ADD)], None)  # the pixel clicked
        else:
            return
        if self.model is None:
            if self.to_mask:
                self.host.show_status(no_prompt_model_notice(), NOTICE_MS)
                return
            self._grabcut(prompt[1], mode)
            return
        ox, oy = self._origin()
        points, box_ = prompt
        prompt = ([(x - ox, y - oy, label) for x, y, label in points],
                  (box_[0] - ox, box_[1] - oy, box_[2], box_[3]) if box_ else None)
        if self._ensure_embedding() is None:
            self._pending = (*prompt, mode)
            self.host.show_status("Analysing the image: the object is selected as soon as it is ready")
            return
        self._apply(*prompt, mode)

    def _apply(self, points, box, mode: str) -> None:
        emb, info = self._embedding, self.model
        if emb is None or info is None:
            return
        layer = self.document.active
        if self.to_mask and isinstance(layer, Layer):
            points, box = self._mask_prompts(layer, points, box, mode)
        try:
            data = logits_to_mask(decode_logits(info, emb, points, box), emb)
        except (ModelError, ValueError) as error:
            self.host.show_status(str(error), NOTICE_MS)
            return
        if self.to_mask and isinstance(layer, Layer):
            params = ObjectParams(info.name, points, box, info.sha256()).to_dict()
            apply_to_layer(self.document, layer, params, data=data)
        else:
            ops.select(self.document, data, mode, "Object Selection")

    def _mask_prompts(self, layer: Layer, points, box, mode: str):
        """A live mask keeps all its prompts: Shift adds a point on the object and Alt one off it
        to those the mask already has (the model sees them together); a plain click starts anew."""
        old = layer.mask.generator if layer.mask is not None else None
        if mode not in ("add", "subtract") or not old or old.get("kind") != "model-object" \
                or old.get("model") != self.model.name:
            return points, box
        kept = [(float(x), float(y), int(label)) for x, y, label in old.get("points") or []]
        if mode == "subtract":
            points = [(x, y, REMOVE) for x, y, _ in points]
        old_box = tuple(old["box"]) if old.get("box") else None
        return kept + points, box or old_box

    def _grabcut(self, box, mode: str) -> None:
        if box is None:
            self.host.show_status(no_prompt_model_notice(), NOTICE_MS)
            return
        sample = self._sample()
        if sample is None:
            self.host.show_status("Object selection needs a pixel layer, or Sample all layers")
            return
        pixels = np.ascontiguousarray(sample)
        rect = tuple(int(round(v)) for v in box)
        doc = self.document

        def work(progress, cancelled):
            try:
                return object_select(pixels, ObjectSelectParams(rect=rect), progress=progress, cancel=cancelled)
            except Cancelled as e:
                raise JobCancelled() from e

        def done(data: np.ndarray) -> None:
            if self.document is doc and data.shape == (doc.height, doc.width):
                ops.select(doc, data, mode, "Object Selection")

        self.host.jobs.run(work, label="Object Selection (GrabCut)", on_done=done,
                           on_error=lambda e: self.host.show_status(f"Object selection failed: {e}", NOTICE_MS))

    # --- drawing ---------------------------------------------------------------------
    def paint_overlay(self, painter: QPainter, canvas) -> None:
        if self._hover_image is not None:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            emb = self._embedding
            if emb is not None:
                fh, fw = emb.frame
                # the frame covers the image exactly: its pixels are (image / scale) wide
                ox, oy = self._origin()
                target = canvas.doc_rect_to_widget(QRectF(ox, oy, fw / emb.scale, fh / emb.scale))
                painter.drawImage(target, self._hover_image)
            painter.restore()
        if self._box is not None:
            r = self._box
            draw_outline(painter, canvas, QPolygonF([r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()]),
                         closed=True)

    def overlay_rect(self) -> QRectF | None:
        if self._hover_image is not None:
            return self._doc_rect()
        return self._box
