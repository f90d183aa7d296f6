"""Gradient fill layers in files: ORA keeps them live (pixels for other readers), PSD reads
Photoshop's 'gradientfill' descriptors into the live layer."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

import numpy as np
import pytest
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


# --- PSD: written as Photoshop's gradient fill layer ('GdFl' block) with its pixels ----------

PSD_STOPS = [{"position": 0.0, "color": [255, 0, 0], "opacity": 1.0},
             {"position": 0.3, "color": [0, 200, 40], "opacity": 0.5},
             {"position": 0.3, "color": [0, 0, 255], "opacity": 1.0},  # a hard edge
             {"position": 1.0, "color": [20, 40, 255], "opacity": 0.2}]


def _psd_round_trip(doc: Document):
    import warnings

    from psd_tools import PSDImage

    from editor.io.errors import DEFAULT_LIMITS
    from editor.io.psd import read_psd
    from editor.io.psd_write import write_psd

    out = io.BytesIO()
    write_psd(doc, out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        psd = PSDImage.open(io.BytesIO(out.getvalue()))
    return psd, read_psd(out.getvalue(), "g.psd", DEFAULT_LIMITS)


def _gradient_doc(settings: dict, w: int = 240, h: int = 160, **kw) -> Document:
    doc = Document(w, h)
    y, x = np.mgrid[0:h, 0:w]
    bg = np.dstack([x * 255 // w, y * 255 // h, np.full_like(x, 128), np.full_like(x, 255)]).astype(np.uint8)
    doc.root.insert(0, Layer("bg", bg))
    doc.root.insert(1, GradientFillLayer("grad", settings, **kw))
    return doc


def _same_settings(a: dict, b: dict, canvas=None) -> None:
    """Equal within what the descriptor keeps (stop locations in 4096ths, numbers as doubles),
    and the same line drawn: the file is read in Photoshop's geometry, which Veil's own is
    written as (other scale and offset numbers for the same line)."""
    from editor.core import Rect
    from editor.paint.gradient_fill import _kernel_line, normalised

    canvas = canvas or Rect(0, 0, 240, 160)
    assert b.get("photoshop_geometry") is True
    assert np.allclose(_kernel_line(normalised(a), canvas), _kernel_line(normalised(b), canvas), atol=1e-6)

    a, b = normalised(a), normalised(b)
    assert [s["color"] for s in a["stops"]] == [s["color"] for s in b["stops"]]
    for sa, sb in zip(a["stops"], b["stops"], strict=True):
        assert abs(sa["position"] - sb["position"]) <= 0.5 / 4096 and abs(sa["opacity"] - sb["opacity"]) < 1e-9
    for key in ("style", "reverse", "dither", "align"):
        assert a[key] == b[key], key
    assert abs(a["angle"] - b["angle"]) < 1e-9


@pytest.mark.parametrize("style", ["linear", "radial", "angle", "reflected", "diamond"])
@pytest.mark.parametrize("align", [True, False])
def test_psd_round_trip_keeps_the_gradient_fill_live(style, align):
    settings = {"stops": PSD_STOPS, "style": style, "angle": 33.0, "scale": 80.0, "reverse": style == "radial",
                "dither": style != "angle", "offset": [10.0, -5.0], "align": align}
    mask = Mask(np.tile(np.linspace(0, 255, 240).astype(np.uint8), (160, 1)))
    doc = _gradient_doc(settings, opacity=0.8, fill=0.6, blend_mode=BlendMode.MULTIPLY, mask=mask)
    psd, back = _psd_round_trip(doc)
    (item,) = [layer for layer in psd if layer.name == "grad"]
    assert item.kind == "gradientfill" and item.fill_opacity == round(0.6 * 255)
    assert back.warnings == []
    node = back.find_by_name("grad")
    assert isinstance(node, GradientFillLayer)
    _same_settings(settings, node.gradient)
    assert node.blend_mode is BlendMode.MULTIPLY and abs(node.fill - 0.6) < 1 / 255 and abs(node.opacity - 0.8) < 1 / 255
    assert np.array_equal(node.mask.data, mask.data)
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1
    # what a reader that ignores the block (GIMP) shows: the layer's own pixels over the canvas
    stored = np.asarray(item.topil().convert("RGBA"))
    want = fill_pixels(settings, doc.canvas, doc.canvas)
    assert stored.shape == want.shape and np.abs(stored.astype(int) - want.astype(int)).max() <= 1


def test_psd_writes_a_box_aligned_gradient_as_the_same_gradient_over_its_record():
    """Veil's box (a shape's bounds, say) is not the layer record Photoshop aligns with: the
    gradient is written aligned with the record, scale and offset changed so it draws the same."""
    settings = {"stops": PSD_STOPS, "style": "diamond", "angle": 20.0, "scale": 70.0, "dither": False,
                "offset": [5.0, -10.0], "align": True, "box": [30, 20, 120, 90]}
    doc = _gradient_doc(settings)
    psd, back = _psd_round_trip(doc)
    node = back.find_by_name("grad")
    assert isinstance(node, GradientFillLayer) and node.gradient["box"] == [0, 0, 240, 160]
    assert node.gradient["scale"] != 70.0
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1


def test_psd_gradient_block_is_what_psd_tools_draws():
    """psd-tools draws the written block as Veil drew the layer (the styles it sweeps alike)."""
    from psd_tools.composite.paint import draw_gradient_fill
    from psd_tools.constants import ColorMode, Tag

    settings = {"stops": [{"position": 0.0, "color": [220, 80, 40], "opacity": 1.0},
                          {"position": 0.6, "color": [60, 170, 100], "opacity": 0.6},
                          {"position": 1.0, "color": [60, 80, 200], "opacity": 0.9}],
                "style": "radial", "angle": 0.0, "scale": 110.0, "dither": False, "align": True}
    doc = _gradient_doc(settings, w=420, h=300)
    psd, _ = _psd_round_trip(doc)
    (item,) = [layer for layer in psd if layer.name == "grad"]
    color, shape = draw_gradient_fill((0, 0, 420, 300), ColorMode.RGB,
                                      item.tagged_blocks.get_data(Tag.GRADIENT_FILL_SETTING))
    want = np.dstack([color * shape, shape]) * 255
    got = fill_pixels(settings, doc.canvas, doc.canvas).astype(np.float64)
    got[..., :3] *= got[..., 3:] / 255
    assert np.abs(got - want).max() <= 2.0


def test_smoothness_and_a_psds_own_lists_survive_ora_and_psd(tmp_path):
    """Veil's own smoothness is written as 'Intr' and read back; an ORA keeps the PSD's lists."""
    from psd_tools.constants import Tag

    from editor.paint.photoshop_gradient import merged_stops

    colours = [(0.0, (250.0, 250.0, 250.0), 0.5), (0.6, (20.0, 20.0, 120.0), 0.3), (1.0, (240.0, 200.0, 0.0), 0.5)]
    opacities = [(0.0, 1.0, 0.5), (0.8, 0.2, 0.5), (1.0, 0.6, 0.5)]
    settings = {"stops": merged_stops(colours, opacities), "style": "linear", "angle": 0.0, "dither": False,
                "smoothness": 70.0,
                "photoshop_stops": {"colors": [[p, list(c), m] for p, c, m in colours],
                                    "opacities": [[p, o, m] for p, o, m in opacities]}}
    doc = _gradient_doc(settings)
    path = tmp_path / "s.ora"
    save_document(doc, path)
    back = open_document(path)
    assert back.find_by_name("grad").gradient["smoothness"] == 70.0
    assert back.find_by_name("grad").gradient["photoshop_stops"] == doc.find_by_name("grad").gradient["photoshop_stops"]
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))
    own = {**settings, "photoshop_stops": None, "stops": PSD_STOPS, "smoothness": 35.0}
    doc = _gradient_doc(own)
    psd, back = _psd_round_trip(doc)
    (item,) = [layer for layer in psd if layer.name == "grad"]
    block = item.tagged_blocks.get_data(Tag.GRADIENT_FILL_SETTING)
    assert float(block[b"Grad"][b"Intr"]) == pytest.approx(0.35 * 4096)
    assert back.find_by_name("grad").gradient["smoothness"] == pytest.approx(35.0)
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1


@pytest.mark.parametrize("smoothness", [0.0, 35.0])
def test_a_stops_midpoint_survives_ora_and_psd(tmp_path, smoothness):
    """A Veil stop's midpoint (the Gradient Editor's diamond) is kept in an ORA's settings and
    written to a PSD as its stops' 'Mdpn' (percent), which reads back to the same drawing."""
    from psd_tools.constants import Tag

    stops = [{"position": 0.0, "color": [250, 20, 20], "opacity": 1.0},
             {"position": 0.5, "color": [20, 20, 250], "opacity": 0.4, "midpoint": 0.25},
             {"position": 1.0, "color": [20, 200, 20], "opacity": 1.0, "midpoint": 0.7}]
    settings = {"stops": stops, "style": "linear", "angle": 0.0, "dither": False, "smoothness": smoothness}
    doc = _gradient_doc(settings)
    path = tmp_path / "mid.ora"
    save_document(doc, path)
    back = open_document(path)
    assert [s.get("midpoint") for s in back.find_by_name("grad").gradient["stops"]] == [None, 0.25, 0.7]
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))
    psd, back = _psd_round_trip(doc)
    (item,) = [layer for layer in psd if layer.name == "grad"]
    grad = item.tagged_blocks.get_data(Tag.GRADIENT_FILL_SETTING)[b"Grad"]
    assert [int(c[b"Mdpn"]) for c in grad[b"Clrs"]][1:] == [25, 70]
    assert [int(o[b"Mdpn"]) for o in grad[b"Trns"]][1:] == [25, 70]
    assert np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc).astype(int)).max() <= 1
    plain = _gradient_doc({**settings, "stops": [{k: v for k, v in s.items() if k != "midpoint"} for s in stops]})
    assert np.abs(flatten_rgba(plain).astype(int) - flatten_rgba(doc).astype(int)).max() > 20
