"""Segmentation-model benchmarks: what Veil costs around a model, not the model itself.

The models are the tiny ONNX stand-ins of tests/masks/onnx_models.py with the
real interfaces (a 320x320 u2netp, a segment-anything pair), so no download
is needed; each figure subtracts the model's own run time, measured in the
same run on the same tensor.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from editor.core import Document
from editor.masks.generators import apply_to_layer
from editor.masks.models import SubjectParams, select_subject
from editor.masks.models.prompt import ADD, decode_logits, embed, logits_to_mask
from editor.masks.models.registry import resolve
from editor.masks.models.segment import preprocess
from editor.masks.models.session import session
from editor.masks.selection import ops
from tests.masks.onnx_models import OPSET, sam_pair
from tests.masks.scenes import object_scene

from .harness import cpu_median_ms, median_ms, record

W12, H12 = 4000, 3000


def _photo() -> np.ndarray:
    return np.ascontiguousarray(object_scene(H12, W12, 0).image[..., :3])


def _answering_model(path: Path, truth: np.ndarray, size: int = 320) -> Path:
    """A u2netp-shaped model whose output is the scene's true alpha at its input size with a
    network's soft edge (a few input pixels wide): the refine step then meets the edge band a real
    model leaves, where a linear stand-in would make the whole photo "edge"."""
    import cv2
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    small = cv2.resize(truth.astype(np.float32), (size, size), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 1.0)[None, None].astype(np.float32)
    x = helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, size, size])
    out = helper.make_tensor_value_info("d0", TensorProto.FLOAT, [1, 1, size, size])
    nodes = [helper.make_node("ReduceMean", ["input.1"], ["m"], axes=[1], keepdims=1),
             helper.make_node("Mul", ["m", "zero"], ["z"]),
             helper.make_node("Add", ["z", "answer"], ["d0"])]
    inits = [numpy_helper.from_array(np.zeros((1,), np.float32), "zero"), numpy_helper.from_array(small, "answer")]
    model = helper.make_model(helper.make_graph(nodes, "answer", [x], [out], inits), opset_imports=OPSET)
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def _rembg_steps(rgb: np.ndarray, sess, family) -> Image.Image:
    """The same steps as rembg writes them: Pillow in and out, divide by the image's maximum,
    mean/std, min-max, then the mask put on the photo as its alpha (rembg's cut-out)."""
    img = Image.fromarray(rgb).convert("RGB")
    small = np.asarray(img.resize((family.size, family.size), Image.Resampling.LANCZOS), np.float64)
    small = small / np.max(small)
    small = (small - np.asarray(family.mean)) / np.asarray(family.std)
    tensor = small.transpose(2, 0, 1)[None].astype(np.float32)
    pred = sess.run(None, {sess.get_inputs()[0].name: tensor})[0][:, 0, :, :]
    pred = (pred - pred.min()) / (pred.max() - pred.min())
    mask = Image.fromarray((pred[0] * 255).astype(np.uint8), "L").resize(img.size, Image.Resampling.LANCZOS)
    cutout = img.copy()
    cutout.putalpha(mask)
    return cutout


def bench_model_overhead_12mp():
    scene = object_scene(H12, W12, 0)
    rgb = np.ascontiguousarray(scene.image[..., :3])
    with tempfile.TemporaryDirectory() as tmp:
        path = _answering_model(Path(tmp) / "u2netp.onnx", scene.alpha)
        info = resolve(str(path), kind="salient")
        sess = session(info.path)
        tensor = preprocess(rgb, info.family)
        model_ms = median_ms(lambda: sess.run(None, {sess.get_inputs()[0].name: tensor}), repeat=9)
        doc = Document.from_pixels(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]))
        layer = doc.root.children[0]
        params = SubjectParams(info.name)

        def veil():
            mask = select_subject(layer.pixels, params, model=info)
            apply_to_layer(doc, layer, params.to_dict(), data=mask)

        ours = median_ms(veil, repeat=5) - model_ms
        baseline = median_ms(lambda: _rembg_steps(rgb, sess, info.family), repeat=5) - model_ms
        unrefined = select_subject(layer.pixels, SubjectParams(info.name, refine=False), model=info)
        refined = select_subject(layer.pixels, params, model=info)
        cpu = cpu_median_ms(veil, repeat=3) - cpu_median_ms(lambda: sess.run(None, {"input.1": tensor}), repeat=5)
        baseline_cpu = cpu_median_ms(lambda: _rembg_steps(rgb, sess, info.family), repeat=3)
    truth = scene.alpha
    return record("model_overhead_12mp", ours, "rembg's steps with Pillow (no edge refine)", baseline, budget_ms=250,
                  model_run_ms=round(model_ms, 2), cpu_ms=round(cpu, 1), baseline_cpu_ms=round(baseline_cpu, 1),
                  sad_refined=round(float(np.abs(refined / 255 - truth).sum()) / 1e3, 1),
                  sad_unrefined=round(float(np.abs(unrefined / 255 - truth).sum()) / 1e3, 1))


def bench_object_prompt_after_embedding():
    rgb = _photo()
    with tempfile.TemporaryDirectory() as tmp:
        sam_pair(Path(tmp), "tiny_sam")
        info = resolve(str(Path(tmp) / "tiny_sam.encoder.onnx"), kind="prompt")
        emb = embed(info, rgb)
        doc = Document.from_pixels(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]))
        points = iter(range(10**6))

        def prompt():
            i = next(points)
            x, y = 1000 + (i * 37) % 2000, 800 + (i * 53) % 1400
            data = logits_to_mask(decode_logits(info, emb, [(x, y, ADD)]), emb)
            ops.select(doc, data, "replace", "Object Selection")

        ours = median_ms(prompt, repeat=9)
        hover = median_ms(lambda: decode_logits(info, emb, [(2000, 1500, ADD)]) > 0, repeat=9)
    return record("object_prompt_after_embedding", ours, None, None, budget_ms=150,
                  hover_ms=round(hover, 1), image="12 MP", decoder="tiny segment-anything stand-in")
