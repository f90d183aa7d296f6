"""A CMYK document's adjustment layers act on its inks (SethRobinson/Patchy
docs/adjustments-calibration.md, "Adjustment layers of CMYK documents"): stored ink values
(0 is full ink) through the adjustment's tables, black included, then shown as sRGB."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image
from psd_tools import PSDImage
from psd_tools.constants import Tag
from psd_tools.psd.tagged_blocks import TaggedBlock

from editor.core import Adjustment
from editor.io import open_document
from editor.io.psd_adjust import WRITERS
from editor.render import flatten_rgba

from .psd_adjust_builders import levels_block


def _cmyk_file(tmp_path, inks: np.ndarray, tag, block) -> np.ndarray:
    """A CMYK PSD (no profile) of `inks` (Pillow's CMYK, 255 full ink) under one adjustment layer;
    Veil's render of it."""
    h, w = inks.shape[:2]
    psd = PSDImage.new("CMYK", (w, h))
    psd.create_pixel_layer(Image.fromarray(inks, "CMYK"), name="inks", top=0, left=0)
    layer = psd.create_pixel_layer(Image.fromarray(np.zeros((1, 1, 4), np.uint8), "CMYK"), name="adj", top=0, left=0)
    layer._record.tagged_blocks[tag] = TaggedBlock(key=tag, data=block)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        buf = io.BytesIO()
        psd.save(buf)
    (tmp_path / "c.psd").write_bytes(buf.getvalue())
    doc = open_document(tmp_path / "c.psd")
    assert [n.adjustment for n in doc.root.children if isinstance(n, Adjustment)] == ["color_lookup"]
    assert any("works on the inks" in w for w in doc.warnings)
    return flatten_rgba(doc)[..., :3].astype(int)


def _inks() -> np.ndarray:
    rng = np.random.default_rng(4)
    inks = rng.integers(0, 256, (6, 10, 4), dtype=np.uint8)
    inks[..., 3] = 0  # no black: the plain conversion then separates the shown colour back to these inks
    inks[0, 0] = 0  # paper white
    return inks


def _shown(inks: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(inks, "CMYK").convert("RGB"), int)


def test_invert_in_a_cmyk_document_inverts_the_black_ink_too(tmp_path):
    inks = _inks()
    tag, block = WRITERS["invert"]
    got = _cmyk_file(tmp_path, inks, tag, block({}))
    expected = _shown(255 - inks)  # every ink inverted: no black becomes full black, so all goes black
    assert np.abs(got - expected).max() <= 2
    assert got[0, 0].tolist() == [0, 0, 0]  # (RGB's inversion would show paper white's complement: black too,
    assert np.abs(got - (255 - _shown(inks))).max() > 100  # but the colours as their complements)


def test_levels_output_white_in_a_cmyk_document_lays_ink_on_all_four(tmp_path):
    # output white 200 on the stored values: no ink (255 stored) becomes 200 stored, 55 of ink, black too
    inks = _inks()
    got = _cmyk_file(tmp_path, inks, Tag.LEVELS, levels_block(master=(0, 255, 0, 200, 100)))
    table = np.round(np.arange(256) * 200 / 255).astype(int)
    expected = _shown((255 - table[255 - inks.astype(int)]).astype(np.uint8))
    assert np.abs(got - expected).max() <= 2
    # paper white: 55 of cyan and 55 of black, (200 / 255)^2 of the light (RGB's own math: 200)
    assert abs(got[0, 0, 0] - 255 * (200 / 255) ** 2) <= 2
