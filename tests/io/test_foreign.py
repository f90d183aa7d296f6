"""Files written by Krita, GIMP and psd-tools (tests/io/fixtures/foreign, see its README).

Veil's render must match the other program's own render. Tolerance: 2/255 per
channel, the compositor's agreement bound with the float reference (DESIGN.md);
the files use opacity 0.8 (stored as 204/255) and multiply, so each program
rounds differently by up to one level. Pixels whose alpha is 0 in both carry
no colour and are not compared.
"""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from psd_tools import PSDImage

from editor.core import BlendMode, Group, Layer
from editor.io import open_document
from editor.render import flatten_rgba

FIXTURES = Path(__file__).parent / "fixtures" / "foreign"
TOLERANCE = 2


FAILURES = Path(__file__).parent / "_failures"  # git-ignored


def assert_renders_alike(actual: np.ndarray, expected: np.ndarray, name: str) -> None:
    """Within TOLERANCE where either is visible; on failure Veil's render is written to
    _failures/<name>.actual.png beside a copy of the expected one, to look at."""
    a, e = actual.astype(int), expected.astype(int)
    visible = (a[..., 3] > 0) | (e[..., 3] > 0)
    diff = np.abs(a - e)[visible]
    if diff.max(initial=0) > TOLERANCE:
        FAILURES.mkdir(exist_ok=True)
        Image.fromarray(actual, "RGBA").save(FAILURES / f"{name}.actual.png")
        Image.fromarray(expected, "RGBA").save(FAILURES / f"{name}.expected.png")
    assert diff.max(initial=0) <= TOLERANCE, f"max difference {diff.max()} over {(diff > TOLERANCE).any(-1).sum()} px"


def reference(name: str) -> np.ndarray:
    return np.asarray(Image.open(FIXTURES / name).convert("RGBA"))


@pytest.mark.parametrize(("source", "render"), [
    ("src.ora", "krita-render.png"),
    ("krita-export.ora", "krita-render.png"),
    ("krita-native-export.ora", "krita-native-export.png"),
    ("gimp-export.psd", "gimp-export-render.png"),
])
def test_veil_renders_what_the_other_program_renders(source, render):
    doc = open_document(FIXTURES / source)
    assert doc.warnings == []
    assert_renders_alike(flatten_rgba(doc), reference(render), source)


@pytest.mark.parametrize("source", ["krita-export.psd", "krita-native-export.psd", "psdtools-src.psd"])
def test_psds_render_as_their_layers_say(source):
    """Krita's PSDs lose its clipping (README), so their stored preview is Krita's view, not the layers';
    psd-tools' own compositor of the same layers is the reference."""
    psd = PSDImage.open(FIXTURES / source)
    expected = np.asarray(psd.composite(ignore_preview=True).convert("RGBA"))
    assert_renders_alike(flatten_rgba(open_document(FIXTURES / source)), expected, source)


def test_krita_ora_structures_become_masks_and_clipping():
    doc = open_document(FIXTURES / "krita-export.ora")
    names = [(n.name, type(n).__name__) for n in doc.root.children]
    assert names == [("Background", "Layer"), ("Masked", "Group"), ("Group", "Group")]
    clip_holder = doc.root.children[1]
    assert clip_holder.blend_mode is BlendMode.MULTIPLY and clip_holder.opacity == pytest.approx(0.8)
    masked, clipped = clip_holder.children
    assert isinstance(masked, Layer) and masked.mask is not None and masked.offset == (16, 12)
    assert masked.mask.shape == masked.pixels.shape[:2]
    assert set(np.unique(masked.mask.data)) <= {0, 128, 255} and clipped.clipped
    assert doc.active is masked


def test_psd_names_lose_kritas_trailing_nul_and_keep_unicode():
    krita = open_document(FIXTURES / "krita-native-export.psd")
    assert [n.name for n in krita.nodes()] == ["Background", "Masked", "Top", "Clipped"]
    top = krita.find_by_name("Top")
    assert top.mask is not None and top.mask.shape == top.pixels.shape[:2]
    made = open_document(FIXTURES / "psdtools-src.psd")
    assert [n.name for n in made.nodes()] == ["Ünïcödé layer ✓", "hidden", "normal group", "child"]
    assert not made.find_by_name("hidden").visible and isinstance(made.find_by_name("normal group"), Group)
