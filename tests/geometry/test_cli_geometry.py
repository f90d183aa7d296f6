"""`veil convert` / `veil render` with --crop, --resize, --resample, --rotate, --canvas, --anchor."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from editor import cli
from editor.core import Document, Layer
from editor.geometry import crop, resize_canvas, resize_image, rotate_canvas
from editor.geometry.cli_args import parse_size
from editor.io import open_document, save_document
from editor.render import flatten_rgba


def _doc() -> Document:
    rng = np.random.default_rng(3)
    doc = Document(64, 48)
    doc.root.insert(0, Layer("Background", rng.integers(0, 256, (48, 64, 4), dtype=np.uint8)))
    top = np.zeros((10, 12, 4), np.uint8)
    top[...] = (250, 20, 20, 255)
    doc.root.insert(1, Layer("Red", top, offset=(30, 5)))
    return doc


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "in.ora"
    save_document(_doc(), path)
    return path


def test_convert_applies_the_steps_in_the_order_given(source, tmp_path):
    out = tmp_path / "out.ora"
    assert cli.main(["convert", str(source), str(out), "--crop", "4,2,40,30", "--resize", "20x15",
                     "--resample", "lanczos", "--rotate", "90"]) == 0
    expected = _doc()
    crop(expected, (4, 2, 40, 30))
    resize_image(expected, 20, 15, "lanczos")
    rotate_canvas(expected, 90)
    got = open_document(out)
    assert (got.width, got.height) == (15, 20)
    np.testing.assert_array_equal(flatten_rgba(got), flatten_rgba(expected))
    assert got.find_by_name("Red").offset == expected.find_by_name("Red").offset


def test_the_order_matters(source, tmp_path):
    a, b = tmp_path / "a.ora", tmp_path / "b.ora"
    assert cli.main(["convert", str(source), str(a), "--resize", "32x24", "--crop", "0,0,16,16"]) == 0
    assert cli.main(["convert", str(source), str(b), "--crop", "0,0,16,16", "--resize", "32x24"]) == 0
    assert (open_document(a).width, open_document(a).height) == (16, 16)
    assert (open_document(b).width, open_document(b).height) == (32, 24)


def test_canvas_with_anchor_and_colour_on_render(source, tmp_path):
    out = tmp_path / "flat.png"
    assert cli.main(["render", str(source), str(out), "--canvas", "80x60", "--anchor", "bottom-right",
                     "--canvas-color", "#00ff00"]) == 0
    expected = _doc()
    resize_canvas(expected, 80, 60, "bottom-right", (0, 255, 0))
    got = np.asarray(Image.open(out))
    np.testing.assert_array_equal(got, flatten_rgba(expected))
    assert (got[:12, :16] == (0, 255, 0, 255)).all()


def test_keep_cropped_pixels(source, tmp_path):
    out = tmp_path / "kept.ora"
    assert cli.main(["convert", str(source), str(out), "--crop", "10,10,20,20", "--keep-cropped-pixels"]) == 0
    doc = open_document(out)
    assert (doc.width, doc.height) == (20, 20)
    assert doc.find_by_name("Background").pixels.shape == (48, 64, 4)


def test_resize_forms():
    assert parse_size("800x600", (64, 48)) == (800, 600)
    assert parse_size("32x", (64, 48)) == (32, 24)
    assert parse_size("x96", (64, 48)) == (128, 96)
    assert parse_size("50%", (64, 48)) == (32, 24)
    assert parse_size("10×5", (64, 48)) == (10, 5)
    with pytest.raises(ValueError, match="WxH"):
        parse_size("big", (64, 48))


@pytest.mark.parametrize("args", [["--crop", "1,2,3"], ["--crop", "0,0,0,10"], ["--resize", "axb"],
                                  ["--rotate", "left"], ["--canvas", "x"], ["--resample", "sinc"],
                                  ["--anchor", "middle"], ["--canvas", "10x10", "--canvas-color", "green"]])
def test_bad_geometry_exits_2_with_a_reason(source, tmp_path, args, capsys):
    out = tmp_path / "never.ora"
    with pytest.raises(SystemExit) as exit_:
        cli.main(["convert", str(source), str(out), *args])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "usage" in err.lower() and ("must" in err or "invalid" in err or "range" in err or "takes" in err)
    assert not out.exists()


def test_help_lists_the_geometry_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["convert", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--crop X,Y,W,H", "--resize WxH", "--resample", "--rotate DEG", "--canvas WxH", "--anchor"):
        assert option in text
    assert "in the order given" in text
