"""Tiny ONNX models with the real interfaces of each family, built in the tests (no download).

Each computes a known function of its input, so a test can tell whether
Veil's pre- and post-processing and its coordinate mapping are right.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 17)]


def _save(graph, path: Path) -> Path:
    model = helper.make_model(graph, opset_imports=OPSET)
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def salient(path: Path, size: int, weights=(0.5, -0.25, 1.0), input_name="input.1", extra_outputs=1) -> Path:
    """A salient-object model whose map is sum_c weights[c] * x[c] (a 1x1 convolution), with
    `extra_outputs` more outputs after it as u2net has (its side outputs)."""
    w = numpy_helper.from_array(np.asarray(weights, np.float32).reshape(1, 3, 1, 1), "w")
    x = helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [1, 3, size, size])
    outs = [helper.make_tensor_value_info("d0", TensorProto.FLOAT, [1, 1, size, size])]
    nodes = [helper.make_node("Conv", [input_name, "w"], ["d0"])]
    for i in range(extra_outputs):
        nodes.append(helper.make_node("Neg", ["d0"], [f"d{i + 1}"]))
        outs.append(helper.make_tensor_value_info(f"d{i + 1}", TensorProto.FLOAT, [1, 1, size, size]))
    return _save(helper.make_graph(nodes, "salient", [x], outs, [w]), path)


def reference_salient(rgb: np.ndarray, size: int, mean, std, weights=(0.5, -0.25, 1.0), sigmoid=False) -> np.ndarray:
    """What rembg computes for `salient`'s model, written from rembg's definition (Pillow Lanczos
    both ways, divide by max, (x - mean) / std, min-max, truncate to uint8)."""
    from PIL import Image

    im = np.asarray(Image.fromarray(rgb).resize((size, size), Image.Resampling.LANCZOS)).astype(np.float64)
    im = im / max(im.max(), 1e-6)
    norm = (im - np.asarray(mean)) / np.asarray(std)
    pred = (norm * np.asarray(weights, np.float64)).sum(axis=2)
    if sigmoid:
        pred = 1 / (1 + np.exp(-pred))
    pred = (pred - pred.min()) / (pred.max() - pred.min())
    small = Image.fromarray((pred * 255).astype(np.uint8), "L")
    return np.asarray(small.resize((rgb.shape[1], rgb.shape[0]), Image.Resampling.LANCZOS))


def sam_pair(folder: Path, stem: str = "tiny_sam", frame=(768, 1024), radius: float = 40.0,
             encoder_input: str = "nchw") -> tuple[Path, Path]:
    """A segment-anything pair. The encoder averages its image to (1, 256, 64, 64); the decoder's
    logits are `radius - distance` to the first prompt point over a `frame`-sized grid (so the
    mask is a disc centred where the point lands), and a box's two corners give a rectangle."""
    folder.mkdir(parents=True, exist_ok=True)
    if encoder_input == "nchw":
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 1024, 1024])
        nodes = [helper.make_node("ReduceMean", ["x"], ["m"], axes=[1], keepdims=1)]
        src = "m"
    else:  # rembg's export: an HWC image
        x = helper.make_tensor_value_info("input_image", TensorProto.FLOAT, ["h", "w", 3])
        nodes = [helper.make_node("ReduceMean", ["input_image"], ["m0"], axes=[2], keepdims=1),
                 helper.make_node("Transpose", ["m0"], ["m1"], perm=[2, 0, 1]),
                 helper.make_node("Unsqueeze", ["m1", "ax0"], ["m"])]
        src = "m"
    inits = [numpy_helper.from_array(np.asarray([0], np.int64), "ax0"),
             numpy_helper.from_array(np.asarray([64, 64], np.int64), "hw"),
             numpy_helper.from_array(np.asarray([1, 256, 64, 64], np.int64), "shape")]
    nodes += [helper.make_node("Resize", [src, "", "", "full"], ["p"], mode="linear"),
              helper.make_node("Expand", ["p", "shape"], ["image_embeddings"])]
    inits.append(numpy_helper.from_array(np.asarray([1, 1, 64, 64], np.int64), "full"))
    emb = helper.make_tensor_value_info("image_embeddings", TensorProto.FLOAT, [1, 256, 64, 64])
    enc = _save(helper.make_graph(nodes, "encoder", [x], [emb], inits), folder / f"{stem}.encoder.onnx")

    fh, fw = frame
    ys, xs = np.mgrid[0:fh, 0:fw].astype(np.float32) + 0.5
    d_inputs = [
        helper.make_tensor_value_info("image_embeddings", TensorProto.FLOAT, [1, 256, 64, 64]),
        helper.make_tensor_value_info("point_coords", TensorProto.FLOAT, [1, "n", 2]),
        helper.make_tensor_value_info("point_labels", TensorProto.FLOAT, [1, "n"]),
        helper.make_tensor_value_info("mask_input", TensorProto.FLOAT, [1, 1, 256, 256]),
        helper.make_tensor_value_info("has_mask_input", TensorProto.FLOAT, [1]),
        helper.make_tensor_value_info("orig_im_size", TensorProto.FLOAT, [2]),
    ]
    inits = [numpy_helper.from_array(xs[None, None], "gx"), numpy_helper.from_array(ys[None, None], "gy"),
             numpy_helper.from_array(np.asarray([radius], np.float32), "r"),
             numpy_helper.from_array(np.asarray([0], np.int64), "i0"),
             numpy_helper.from_array(np.asarray([1], np.int64), "i1"),
             numpy_helper.from_array(np.asarray([2], np.int64), "i2"),
             numpy_helper.from_array(np.asarray([0.9], np.float32), "iou")]
    nodes = [
        # the first point's x and y, as (1,) tensors
        helper.make_node("Slice", ["point_coords", "i0", "i1", "i1"], ["p0"]),  # (1, 1, 2)
        helper.make_node("Flatten", ["p0"], ["pf"], axis=0),  # (1, 2)
        helper.make_node("Slice", ["pf", "i0", "i1", "i1"], ["px"]),
        helper.make_node("Slice", ["pf", "i1", "i2", "i1"], ["py"]),
        helper.make_node("Sub", ["gx", "px"], ["dx"]), helper.make_node("Sub", ["gy", "py"], ["dy"]),
        helper.make_node("Mul", ["dx", "dx"], ["dx2"]), helper.make_node("Mul", ["dy", "dy"], ["dy2"]),
        helper.make_node("Add", ["dx2", "dy2"], ["d2"]), helper.make_node("Sqrt", ["d2"], ["d"]),
        helper.make_node("Sub", ["r", "d"], ["masks"]),
        helper.make_node("Reshape", ["iou", "i1"], ["iou_predictions0"]),
        helper.make_node("Unsqueeze", ["iou_predictions0", "i0"], ["iou_predictions"]),
        helper.make_node("Identity", ["mask_input"], ["low_res_masks"]),
    ]
    outs = [helper.make_tensor_value_info("masks", TensorProto.FLOAT, [1, 1, fh, fw]),
            helper.make_tensor_value_info("iou_predictions", TensorProto.FLOAT, [1, 1]),
            helper.make_tensor_value_info("low_res_masks", TensorProto.FLOAT, [1, 1, 256, 256])]
    dec = _save(helper.make_graph(nodes, "decoder", d_inputs, outs, inits), folder / f"{stem}.decoder.onnx")
    return enc, dec
