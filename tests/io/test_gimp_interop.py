"""Veil's PSD export opened by the real GIMP: GIMP's flattened render must match Veil's.

Runs where `gimp` is installed (.ci/run installs Debian's GIMP 2.10; without
it these tests skip and say so). One GIMP batch flattens every file.

Covered: masks, opacity, groups, clipping, offsets (the bundled sample) and
the blend modes GIMP computes as Photoshop and Veil do. GIMP's PSD import maps
colour dodge/burn, linear dodge (add) and the HSL modes onto GIMP's own modes,
which use other formulas (its hue/saturation/colour/luminosity work in LCh),
so those are not compared. Soft light differs by a few levels: GIMP's curve
is not the W3C/Photoshop one.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from editor.core import BlendMode, Document, Layer, Mask
from editor.io import export_psd, open_document
from editor.render import flatten_rgba

SAMPLE = Path(__file__).parents[2] / "resources" / "samples" / "sample.ora"
SAME_MODES = [BlendMode.NORMAL, BlendMode.MULTIPLY, BlendMode.SCREEN, BlendMode.OVERLAY, BlendMode.DARKEN,
              BlendMode.LIGHTEN, BlendMode.HARD_LIGHT, BlendMode.DIFFERENCE, BlendMode.EXCLUSION]

FLATTEN = """(define (veil-flatten in out)
  (let* ((image (car (gimp-file-load RUN-NONINTERACTIVE in in)))
         (layer (car (gimp-image-merge-visible-layers image CLIP-TO-IMAGE))))
    (file-png-save2 RUN-NONINTERACTIVE image layer out out 0 9 0 0 0 0 0 0 0)))"""


def mode_document(mode: BlendMode, h: int = 64, w: int = 96) -> Document:
    """Gradients under a layer in `mode` with opacity 0.8, a ramp mask and a half-transparent strip."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    bg = np.empty((h, w, 4), np.uint8)
    bg[..., 0], bg[..., 1] = x / w * 255, y / h * 255
    bg[..., 2], bg[..., 3] = 128 + 100 * np.sin(x / 9), 255
    top = np.empty((h, w, 4), np.uint8)
    top[..., 0], top[..., 1] = 255 - y / h * 255, 128 + 120 * np.cos(y / 7)
    top[..., 2], top[..., 3] = x / w * 255, np.where(x < w * 0.8, 255, 128)
    doc = Document(w, h)
    doc.root.insert(0, Layer("Backdrop", bg))
    doc.root.insert(1, Layer(mode.name, top, blend_mode=mode, opacity=0.8,
                             mask=Mask(((x + y) / (w + h) * 255).astype(np.uint8))))
    return doc


@pytest.fixture(scope="module")
def gimp_renders(tmp_path_factory) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """name -> (Veil's render, GIMP's render of Veil's PSD export)."""
    gimp = shutil.which("gimp")
    if gimp is None:
        pytest.skip("GIMP is not installed (.ci/run installs it with apt-get)")
    folder = tmp_path_factory.mktemp("gimp")
    documents = {"sample": open_document(SAMPLE)} | {mode.name: mode_document(mode) for mode in SAME_MODES}
    batch = [FLATTEN]
    for name, doc in documents.items():
        export_psd(doc, folder / f"{name}.psd")
        batch.append(f'(veil-flatten "{folder / name}.psd" "{folder / name}.png")')
    subprocess.run([gimp, "-i", "-n", "-d", "-f", "-b", "\n".join(batch), "-b", "(gimp-quit 0)"],
                   capture_output=True, timeout=240, check=False)
    renders = {}
    for name, doc in documents.items():
        out = folder / f"{name}.png"
        assert out.exists(), f"GIMP did not open or flatten {name}.psd"
        renders[name] = (flatten_rgba(doc), np.asarray(Image.open(out).convert("RGBA")))
    return renders


@pytest.mark.slow
def test_gimp_renders_the_sample_project_export_as_veil_does(gimp_renders):
    ours, gimps = (a.astype(int) for a in gimp_renders["sample"])
    diff = np.abs(ours - gimps)
    # masks, groups, clipping and opacity agree; the few levels left are the soft-light layer
    assert diff.max() <= 8 and diff.mean() < 0.5, (diff.max(), diff.mean())


@pytest.mark.slow
@pytest.mark.parametrize("mode", SAME_MODES, ids=lambda m: m.name)
def test_gimp_renders_each_shared_blend_mode_as_veil_does(gimp_renders, mode):
    ours, gimps = (a.astype(int) for a in gimp_renders[mode.name])
    assert np.abs(ours - gimps).max() <= 1
