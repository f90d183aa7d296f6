"""Adjustment and filter layers in files: ORA keeps them live in Veil's namespace with a
stand-in image other programs show; pixel-only exports render them into pixel layers and
say so; `veil info` describes them."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

import numpy as np

from editor.core import Adjustment, BlendMode, Document, Group, Layer, Mask
from editor.io import export_flat_ora, open_document, save_document
from editor.io.info import describe
from editor.io.maskbake import baked_copy
from editor.render import flatten_rgba

VEIL = "{https://veil.example/ora}"


def _doc() -> Document:
    rng = np.random.default_rng(0)
    px = rng.integers(0, 256, (24, 32, 4), dtype=np.uint8)
    px[..., 3] = 255
    doc = Document(32, 24)
    doc.root.insert(0, Layer("photo", px))
    top = px.copy()
    top[:, :10, 3] = 0
    doc.root.insert(1, Layer("top", top))
    mask = rng.integers(0, 256, (24, 32), dtype=np.uint8)
    doc.root.insert(2, Adjustment("Curves", "curves", {"master": [[0, 0], [80, 190], [255, 255]]},
                                  mask=Mask(mask), opacity=0.8, blend_mode=BlendMode.LUMINOSITY))
    doc.root.insert(3, Adjustment("Hue", "hue_saturation", {"master": {"hue": 40}}, clipped=True))
    doc.root.insert(4, Group("pass", [Adjustment("Blur", "gaussian_blur", {"radius": 1.5})], isolated=False))
    return doc


def test_ora_round_trip_keeps_adjustments_live(tmp_path):
    doc = _doc()
    save_document(doc, tmp_path / "a.ora")
    back = open_document(tmp_path / "a.ora")
    assert back.warnings == []
    curves, hue = back.root.children[2], back.root.children[3]
    assert isinstance(curves, Adjustment) and curves.adjustment == "curves"
    assert curves.params == doc.root.children[2].params and curves.opacity == 0.8
    assert curves.blend_mode is BlendMode.LUMINOSITY and np.array_equal(curves.mask.data, doc.root.children[2].mask.data)
    assert hue.clipped and hue.params == {"master": {"hue": 40}}
    blur = back.root.children[4].children[0]
    assert blur.adjustment == "gaussian_blur" and blur.params == {"radius": 1.5}
    assert np.array_equal(flatten_rgba(back), flatten_rgba(doc))


def test_programs_without_veils_attributes_see_the_stand_in(tmp_path):
    """Strip Veil's kind from the stack (what Krita reads): each adjustment is then a pixel layer
    with its mask, mode and opacity, showing what Veil shows over opaque pixels."""
    doc = Document(32, 24)
    px = np.random.default_rng(1).integers(0, 256, (24, 32, 4), dtype=np.uint8)
    px[..., 3] = 255
    doc.root.insert(0, Layer("photo", px))
    mask = np.random.default_rng(2).integers(0, 256, (24, 32), dtype=np.uint8)
    doc.root.insert(1, Adjustment("Levels", "levels", {"master": {"gamma": 1.8, "in_black": 20}},
                                  mask=Mask(mask), opacity=0.6))
    doc.root.insert(2, Adjustment("Hue", "hue_saturation", {"master": {"hue": 120}}, blend_mode=BlendMode.COLOR))
    save_document(doc, tmp_path / "a.ora")
    with zipfile.ZipFile(tmp_path / "a.ora") as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    root = ET.fromstring(entries["stack.xml"])
    for e in root.iter("layer"):
        for key in [k for k in e.attrib if k.startswith(VEIL)]:
            del e.attrib[key]
    for e in root.iter("stack"):
        for key in [k for k in e.attrib if k.startswith(VEIL)]:
            del e.attrib[key]
    entries["stack.xml"] = ET.tostring(root)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    (tmp_path / "plain.ora").write_bytes(buf.getvalue())
    plain = open_document(tmp_path / "plain.ora")
    assert all(isinstance(n, Layer) for n in plain.root.children)
    assert np.abs(flatten_rgba(plain).astype(int) - flatten_rgba(doc)).max() <= 2


def test_flattened_masks_export_renders_adjustments_into_pixel_layers(tmp_path):
    doc = _doc()
    baked = baked_copy(doc, layer_masks=True)
    assert len(baked.warnings) == 3 and "'Curves': adjustment layer (curves) rendered into a pixel layer" in baked.warnings
    export_flat_ora(doc, tmp_path / "a.flat.ora")
    back = open_document(tmp_path / "a.flat.ora")
    assert not any(isinstance(n, Adjustment) for n in back.nodes())
    # Opaque below everywhere except the clipped layer's base: the look is kept there.
    diff = np.abs(flatten_rgba(back).astype(int) - flatten_rgba(doc))
    assert diff[:, 12:].max() <= 3


def test_info_describes_adjustments():
    layers = {n["name"]: n for n in describe(_doc())["layers"]}
    assert layers["Curves"]["kind"] == "adjustment" and layers["Curves"]["adjustment"] == "curves"
    assert layers["Curves"]["params"]["master"] == [[0, 0], [80, 190], [255, 255]]
    assert layers["Curves"]["params"]["red"] == [[0, 0], [255, 255]]  # defaults filled in
    assert layers["Hue"]["params"]["master"]["hue"] == 40


def test_export_warnings_name_the_baked_layers():
    from editor.io.files import export_warnings

    doc = _doc()
    assert export_warnings(doc, "a.ora") == []
    flat = export_warnings(doc, "a.flat.ora")
    assert len(flat) == 3 and flat[0] == "'Curves': curves layer rendered into a pixel layer"
    assert export_warnings(doc, "a.psd") == ["'Blur': gaussian blur layer rendered into a pixel layer"]  # adjustments stay live
