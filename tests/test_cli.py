"""The `veil` command: the main paths run the installed script in a subprocess, as a user would;
argument variants call the same `cli.main` in-process to keep the suite fast on a 2-core machine."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from editor import cli
from editor.io import open_document, save_document
from editor.render import flatten_rgba
from tests.io.builders import full_document, tree

FOREIGN = Path(__file__).parent / "io" / "fixtures" / "foreign"


def veil_command() -> str:
    beside = Path(sys.executable).parent / "veil"
    found = str(beside) if beside.exists() else shutil.which("veil")
    if found is None:
        pytest.fail("the veil console script is not installed (pip install -e .)")
    return found


def veil(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([veil_command(), *map(str, args)], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "project.ora"
    save_document(full_document(), path)
    return path


def test_render_writes_the_composite(project, tmp_path):
    out = tmp_path / "flat.png"
    result = veil("render", project, out)
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.asarray(Image.open(out)), flatten_rgba(open_document(project)))


def test_render_jpeg_on_a_background(tmp_path):
    out = tmp_path / "flat.jpg"
    assert cli.main(["render", str(FOREIGN / "src.ora"), str(out), "--background", "#000000", "--quality", "95"]) == 0
    assert Image.open(out).format == "JPEG" and Image.open(out).size == (64, 48)


def test_info_json_describes_the_tree(project):
    result = veil("info", project, "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert (info["width"], info["height"]) == (64, 48)
    top = info["layers"][0]
    assert top["name"] == "Masked group" and top["kind"] == "group" and top["blend"] == "hue"
    assert top["mask"]["enabled"] and [c["name"] for c in top["children"]] == ["inner", "Colour fill"]
    base = next(n for n in info["layers"] if n["name"].startswith("Basis"))
    assert base["offset"] == [-5, 40] and base["mask"]["inverted"] and base["mask"]["feather"] == 1.5
    assert base["mask"]["generator"]["kind"] == "chroma-key"
    assert [n["clipped"] for n in info["layers"]] == [False, False, True, True, False, False]


def test_info_text(project, capsys):
    assert cli.main(["info", str(project)]) == 0
    out = capsys.readouterr().out
    assert "64x48" in out and "- Masked group  [group, hue" in out


def test_installed_convert_to_psd(project, tmp_path):
    result = veil("convert", project, tmp_path / "copy.psd")
    assert result.returncode == 0, result.stderr
    assert {n.name for n in open_document(tmp_path / "copy.psd").nodes()} == {
        n.name for n in open_document(project).nodes()}


@pytest.mark.parametrize("out_name", ["copy.psd", "copy.ora", "copy.flat.ora"])
def test_convert(project, tmp_path, out_name):
    out = tmp_path / out_name
    assert cli.main(["convert", str(project), str(out)]) == 0
    back = open_document(out)
    if out_name == "copy.ora":
        assert tree(back.root) == tree(open_document(project).root)
    if out_name == "copy.flat.ora":
        assert all(n.mask is None for n in back.nodes())
    if out_name == "copy.psd":
        assert {n.name for n in back.nodes()} == {n.name for n in open_document(project).nodes()}


def test_convert_flatten_masks_flag(project, tmp_path):
    assert cli.main(["convert", str(project), str(tmp_path / "x.ora"), "--flatten-masks"]) == 0
    assert all(n.mask is None for n in open_document(tmp_path / "x.ora").nodes())


def test_unreadable_file_exits_1_with_the_reason(tmp_path):
    bad = tmp_path / "bad.psd"
    bad.write_bytes(b"8BPS\x00\x01broken")
    result = veil("render", bad, tmp_path / "o.png")
    assert result.returncode == 1 and "bad.psd" in result.stderr and "cannot open" in result.stderr
    assert not (tmp_path / "o.png").exists()


def test_installed_command_exits_2_on_bad_arguments():
    result = veil("render", "only-one.ora")
    assert result.returncode == 2 and "usage" in result.stderr.lower()


@pytest.mark.parametrize("args", [["render", "only-one.ora"], ["info"], ["convert", "a.ora", "b.png"],
                                  ["render", "a.ora", "b.gif"], ["render", "a.ora", "b.jpg", "--quality", "x"],
                                  ["convert", "a.ora", "b.psd", "--flatten-masks"]])
def test_bad_arguments_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(args)
    assert exit_.value.code == 2 and "usage" in capsys.readouterr().err.lower()


@pytest.mark.parametrize(("command", "words"), [("render", "straight alpha"), ("info", "topmost first"),
                                                ("convert", "flat.ora")])
def test_help_explains_each_command(command, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0 and words in " ".join(capsys.readouterr().out.split())


def test_info_and_render_name_and_draw_adjustment_layers(tmp_path, capsys):
    from editor.core import Adjustment, Document, Layer

    doc = Document(16, 8)
    px = np.zeros((8, 16, 4), np.uint8)
    px[..., 0], px[..., 3] = 200, 255
    doc.root.insert(0, Layer("photo", px))
    doc.root.insert(1, Adjustment("Cool", "photo_filter", {"color": [0, 90, 255], "density": 100,
                                                         "preserve_luminosity": False}))
    from editor.io.psd_write import write_psd

    path = tmp_path / "adjusted.psd"
    with open(path, "wb") as f:
        write_psd(doc, f)
    assert cli.main(["info", str(path)]) == 0
    assert "- Cool  [adjustment photo_filter, normal, 100%]" in capsys.readouterr().out
    assert cli.main(["render", str(path), str(tmp_path / "out.png")]) == 0
    assert np.asarray(Image.open(tmp_path / "out.png"))[0, 0, :3].tolist() == [0, 0, 0]  # red times blue filter


def test_commands_turn_numpys_huge_page_advice_off_and_the_window_keeps_it(monkeypatch):
    """Read when numpy is first imported: `veil` decides before either path imports it."""
    import editor.__main__ as entry
    import editor.app

    seen = {}
    monkeypatch.setattr(cli, "main", lambda args: seen.setdefault("command", os.environ.get("NUMPY_MADVISE_HUGEPAGE")) and 0)
    monkeypatch.setattr(editor.app, "main", lambda args: seen.setdefault("window", os.environ.get("NUMPY_MADVISE_HUGEPAGE")) and 0)
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    entry.main([])
    assert seen["window"] is None
    entry.main(["render", "in.ora", "out.png"])
    assert seen["command"] == "0"
