"""Free Transform benchmarks on a 24 MP layer with its mask: the live preview's frame and the commit."""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from editor.core import Document, Layer, Mask
from tests.bench.harness import VIEW_H, VIEW_W, fitted_canvas, record

W24, H24 = 6000, 4000  # 24 MP
FRAME_BUDGET_MS = 16.0
COMMIT_BUDGET_MS = 1500.0
MOVES = 40


def photo_document() -> Document:
    """A backdrop and a full-size photo-like layer with a soft mask (what a compositor scales into place)."""
    rng = np.random.default_rng(3)
    doc = Document(W24, H24)
    back = np.empty((H24, W24, 4), np.uint8)
    back[...] = (40, 60, 90, 255)
    doc.root.insert(0, Layer("Backdrop", back))
    yy, xx = np.mgrid[0:H24:8, 0:W24:8].astype(np.float32)
    small = np.empty(yy.shape + (4,), np.uint8)
    small[..., 0] = (xx / W24 * 255).astype(np.uint8)
    small[..., 1] = (yy / H24 * 255).astype(np.uint8)
    small[..., 2] = ((np.sin(xx / 90) * np.cos(yy / 70) + 1) * 127).astype(np.uint8)
    small[..., 3] = 255
    import cv2

    pixels = cv2.resize(small, (W24, H24), interpolation=cv2.INTER_CUBIC)
    pixels[..., :3] = np.clip(pixels[..., :3].astype(np.int16) + rng.integers(-12, 13, (H24, W24, 3), dtype=np.int16),
                              0, 255).astype(np.uint8)  # grain, so resampling has detail to keep
    pixels[..., 3] = 255
    mask = np.full((H24, W24), 255, np.uint8)
    cv2.circle(mask, (W24 // 2, H24 // 2), 1500, 40, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 40)
    layer = Layer("Photo", pixels, mask=Mask(mask))
    doc.root.insert(1, layer)
    doc.active = layer
    return doc


def commit_matrix(doc: Document) -> np.ndarray:
    from editor.render.warp import rotation, scaling

    cx, cy = W24 / 2, H24 / 2
    return rotation(17.0, cx, cy) @ scaling(0.8, 0.8, cx, cy)


class _Host:
    """The little of a main window the transform tool uses."""

    def __init__(self, canvas, doc) -> None:
        self.canvas, self.document, self.jobs = canvas, doc, None
        self.messages: list[str] = []

    def show_status(self, text: str, timeout_ms: int = 3000) -> None:
        self.messages.append(text)

    def selected_layers(self):
        return [self.document.active]


def bench_transform_preview_24mp():
    """Pointer move to repainted screen while dragging a Free Transform corner over a 24 MP masked layer,
    1600x1000 view at fit zoom (the whole view repainted synchronously each move); baseline: one frame
    of a preview that warps the full-resolution layer (OpenCV bilinear) and recomposites its rectangle."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import cv2
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from editor.render import render, warm_up
    from editor.render.warp import _array_matrix, warped_extent
    from editor.ui.tools.transform_tool import FreeTransformTool

    warm_up()
    doc = photo_document()
    canvas = fitted_canvas(doc)
    tool = FreeTransformTool(_Host(canvas, doc))
    canvas.set_tool(tool)
    t0 = time.perf_counter()
    assert tool.begin_layers()
    canvas.repaint()  # the first frame renders the preview's images
    start_ms = (time.perf_counter() - t0) * 1000.0

    def send(kind, pos, button, buttons):
        QApplication.sendEvent(canvas, QMouseEvent(kind, pos, QPointF(canvas.mapToGlobal(pos.toPoint())), button, buttons,
                                                   Qt.KeyboardModifier.NoModifier))

    corner = tool.handles_widget()[4]
    send(QEvent.Type.MouseButtonPress, corner, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
    times, cpu = [], []
    for i in range(MOVES):
        pos = corner - QPointF(4 + 6 * (i % 20), 3 + 4 * (i % 20))
        t, c = time.perf_counter(), time.process_time()
        send(QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)
        canvas.repaint()
        times.append((time.perf_counter() - t) * 1000.0)
        cpu.append((time.process_time() - c) * 1000.0)
    send(QEvent.Type.MouseButtonRelease, corner, Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton)
    scale = tool.fields().w
    tool.cancel()

    layer = doc.active
    m = tool_matrix = commit_matrix(doc)
    src = layer.bounds()
    dst = warped_extent(tool_matrix, src)
    naive = []
    for _ in range(3):
        t = time.perf_counter()
        cv2.warpAffine(layer.pixels, _array_matrix(m, src, dst)[:2], (dst.w, dst.h),
                       flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
        render(doc, dst.intersect(doc.canvas))
        naive.append((time.perf_counter() - t) * 1000.0)
    canvas.set_document(None)
    canvas.close()
    median = statistics.median(times)
    return record("transform_preview_24mp", median, "full-res warp + recomposite per move", statistics.median(naive),
                  FRAME_BUDGET_MS, zoom=round(canvas.zoom, 4), view=f"{VIEW_W}x{VIEW_H}", start_ms=round(start_ms),
                  p95_ms=round(sorted(times)[int(0.95 * (len(times) - 1))], 2), last_scale_pct=round(scale, 1),
                  cpu_median_ms=round(statistics.median(cpu), 2),
                  within_budget=median <= FRAME_BUDGET_MS)


def bench_transform_commit_24mp():
    """Lanczos rotate (17°) and scale (80 %) of a 24 MP layer with its mask: the Free Transform commit;
    baseline: Pillow's Image.transform (affine, its best filter, bicubic: it has no Lanczos there; it
    premultiplies RGBA) of the same layer and mask. Two layers: the opaque photo, and the same photo cut
    out (a soft alpha, as after a key). Both take the two-pass path (editor/render/separable.py).
    Quality: Veil's premultiplied colour and alpha against OpenCV's float32 premultiplied 2-D Lanczos,
    which has no prefilter on this 80 % shrink: the errors measure the widened (antialiased) kernel
    and the two-pass decomposition against it, mostly on the grain and at the layer's hard edge."""
    doc = photo_document()
    rows = [_commit_case(doc, "transform_commit_24mp")]
    layer = doc.active
    layer.pixels[..., 3] = 255 - layer.mask.data  # the cut-out: opaque outside the circle, soft inside it
    rows.append(_commit_case(doc, "transform_commit_24mp_cutout"))
    return rows


def _commit_case(doc: Document, name: str) -> dict:
    import cv2
    from PIL import Image

    from editor.render.transform import transform_command
    from editor.render.warp import _array_matrix, warped_extent

    layer = doc.active
    m = commit_matrix(doc)
    times, cpu = [], []
    cmd = None
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        cmd = transform_command(doc, [layer], m, "lanczos")
        times.append((time.perf_counter() - t) * 1000.0)
        cpu.append((time.process_time() - c) * 1000.0)  # all threads: on a shared machine, what the work costs
    _, pixels, offset, mask_data = cmd.new[0]

    src = layer.bounds()
    dst = warped_extent(m, src)
    inv = _array_matrix(m, src, dst)
    # Pillow's affine data maps output (x, y) to input; its pixel centres sit at +0.5 like Veil's.
    to_src = np.linalg.inv(np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]])) @ inv @ np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]])
    data = tuple(to_src[:2].ravel())
    rgba_img, mask_img = Image.fromarray(layer.pixels, "RGBA"), Image.fromarray(layer.mask.data, "L")
    pil, pil_cpu = [], []
    for _ in range(2):
        t, c = time.perf_counter(), time.process_time()
        rgba_img.transform((dst.w, dst.h), Image.Transform.AFFINE, data, resample=Image.Resampling.BICUBIC)
        mask_img.transform((dst.w, dst.h), Image.Transform.AFFINE, data, resample=Image.Resampling.BICUBIC)
        pil.append((time.perf_counter() - t) * 1000.0)
        pil_cpu.append((time.process_time() - c) * 1000.0)

    # The reference: float32 premultiplied OpenCV Lanczos of the whole layer at once.
    f = layer.pixels.astype(np.float32)
    f[..., :3] *= f[..., 3:4] / 255
    ref = cv2.warpAffine(f, inv[:2], (dst.w, dst.h), flags=cv2.INTER_LANCZOS4 | cv2.WARP_INVERSE_MAP,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
    del f
    a = np.clip(ref[..., 3], 0, 255)
    inside = a >= 255
    seen = pixels[..., :3].astype(np.float32) * (pixels[..., 3:4].astype(np.float32) / 255)  # premultiplied
    err = np.abs(seen - np.clip(ref[..., :3], 0, a[..., None]))
    alpha_err = np.abs(pixels[..., 3].astype(np.float32) - a)
    mref = cv2.warpAffine(layer.mask.data.astype(np.float32), inv[:2], (dst.w, dst.h),
                          flags=cv2.INTER_LANCZOS4 | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=(255,) * 4)
    mask_err = np.abs(mask_data.astype(np.float32) - np.clip(mref, 0, 255))
    return record(name, statistics.median(times), "Pillow Image.transform bicubic (RGBA + L)",
                  statistics.median(pil), COMMIT_BUDGET_MS, size=f"{dst.w}x{dst.h}", offset=list(offset),
                  cpu_median_ms=round(statistics.median(cpu)), baseline_cpu_median_ms=round(statistics.median(pil_cpu)),
                  max_premultiplied_err=round(float(err.max()), 2), mean_premultiplied_err=round(float(err.mean()), 4),
                  max_colour_err_opaque=round(float(err[inside].max()), 2) if inside.any() else None,
                  max_alpha_err=round(float(alpha_err.max()), 2), max_mask_err=round(float(mask_err.max()), 2),
                  within_budget=statistics.median(times) <= COMMIT_BUDGET_MS)
