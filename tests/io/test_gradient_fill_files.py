"""Gradient fill layers in files: ORA keeps them live (pixels for other readers), PSD reads
Photoshop's 'gradientfill' descriptors into the live layer."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

import numpy as np
from PIL import Image

from editor.core import BlendMode, Document, GradientFillLayer, Layer, Mask
from editor.io import open_document, save_document
from editor.io.ora_write import VEIL_NS
from editor.paint.gradient_fill import fill_pixels
from editor.render import flatten_rgba

VEIL = "{" + VEIL_NS + "}"
SETTINGS = {"stops": [{"position": 0.0, "color": [250, 10, 0], "opacity": 1.0},
                      {"position": 0.7, "color": [0, 90, 255], "opacity": 0.5}],
            "style": "diamond", "angle": 20.0, "scale": 70.0, "reverse": True, "dither": True,
            "offset": [5.0, -10.0], "align": True, "box": [4, 3, 20, 12]}


def test_ora_round_trip_keeps_the_layer_live_and_others_see_its_pixels(tmp_path):
    rng = np.random.default_rng(3)
    doc = Document(32, 20)
    doc.root.insert(0, Layer("bg", rng.integers(0, 256, (20, 32, 4), dtype=np.uint8)))
    mask = Mask(rng.integers(0, 256, (20, 32), dtype=np.uint8))
    doc.root.insert(1, GradientFillLayer("grad", SETTINGS, mask=mask, opacity=0.8, blend_mode=BlendMode.MULTIPLY))
    path = tmp_path / "g.ora"
    save_document(doc, path)
    back = open_document(path)
    assert back.warnings == []
    node = back.find_by_name("grad")
    assert isinstance(node, GradientFillLayer)
    assert node.gradient["style"] == "diamond" and node.gradient["box"] == [4, 3, 20, 12]
    assert node.mask is not None and np.array_equal(node.mask.data, mask.data)
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))
    with zipfile.ZipFile(path) as zf:  # a reader that knows nothing of Veil: the layer's own png
        stack = ET.fromstring(zf.read("stack.xml"))
        srcs = [e.get("src") for e in stack.iter("layer") if e.get(f"{VEIL}kind") == "gradient-fill"]
        assert len(srcs) == 1
        png = np.asarray(Image.open(io.BytesIO(zf.read(srcs[0]))).convert("RGBA"))
    want = fill_pixels(SETTINGS, doc.canvas, doc.canvas)
    assert np.abs(png.astype(int) - want.astype(int))[want[..., 3] > 0].max() <= 1
