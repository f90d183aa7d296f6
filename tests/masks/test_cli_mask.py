"""`veil mask` run as the installed command, in a subprocess."""

import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.masks.scenes import object_scene, sad, screen_scene


def veil(*args) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "veil"
    command = str(exe) if exe.exists() else shutil.which("veil")
    assert command, "the veil console script is not installed (pip install -e .)"
    return subprocess.run([command, "mask", *map(str, args)], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"})


def _write_rgba(path: Path, rgba: np.ndarray) -> None:
    cv2.imwrite(str(path), cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("screens")
    scenes = [screen_scene(150, 220, seed) for seed in range(3)]
    for i, scene in enumerate(scenes):
        _write_rgba(folder / f"shot{i}.png", scene.image)
    return folder, scenes


def test_chroma_key_writes_a_grayscale_mask(screens, tmp_path):
    folder, scenes = screens
    out = tmp_path / "mask.png"
    result = veil("chroma-key", folder / "shot0.png", "--out", out, "--tolerance", "0.15")
    assert result.returncode == 0, result.stderr
    mask = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    assert mask.ndim == 2 and mask.shape == (150, 220)
    assert sad(mask, scenes[0].alpha) < 0.1 * scenes[0].alpha.size / 1000


def test_default_flags_key_exactly_as_the_dialog_defaults(screens, tmp_path):
    from editor.masks.chroma import ChromaKeyParams, chroma_key

    folder, scenes = screens
    out = tmp_path / "mask.png"
    assert veil("chroma-key", folder / "shot2.png", "--out", out).returncode == 0
    np.testing.assert_array_equal(cv2.imread(str(out), cv2.IMREAD_UNCHANGED), chroma_key(scenes[2].image, ChromaKeyParams()))


def test_the_default_key_is_the_screen_each_picture_shows(tmp_path):
    """A folder mixing green and blue screens keys each against its own screen (--key auto)."""
    from editor.masks.chroma import ChromaKeyParams, chroma_key

    scenes = {"green": screen_scene(150, 220, 4, "green"), "blue": screen_scene(150, 220, 5, "blue")}
    for name, scene in scenes.items():
        _write_rgba(tmp_path / f"{name}.png", scene.image)
    out_dir = tmp_path / "masks"
    assert veil("chroma-key", tmp_path, "--out-dir", out_dir).returncode == 0
    for name, scene in scenes.items():
        written = cv2.imread(str(out_dir / f"{name}.png"), cv2.IMREAD_UNCHANGED)
        np.testing.assert_array_equal(written, chroma_key(scene.image, ChromaKeyParams(key=name)))


def test_apply_with_despill_writes_a_clean_cutout(screens, tmp_path):
    folder, scenes = screens
    out = tmp_path / "cut.png"
    assert veil("chroma-key", folder / "shot1.png", "--out", out, "--apply", "--despill").returncode == 0
    bgra = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    assert bgra.shape == (150, 220, 4)
    rgb = bgra[..., 2::-1].astype(int)
    assert (rgb[..., 1] <= np.maximum(rgb[..., 0], rgb[..., 2])).all()
    assert bgra[..., 3][scenes[1].alpha == 1].mean() > 254.5 and bgra[..., 3][scenes[1].alpha == 0].max() < 64


def test_a_folder_goes_to_out_dir_on_all_cores(screens, tmp_path):
    folder, _ = screens
    out_dir = tmp_path / "masks"
    result = veil("chroma-key", folder, "--out-dir", out_dir, "--key", "green")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == ["shot0.png", "shot1.png", "shot2.png"]
    assert "3/3" in result.stderr  # the progress bar reached the end


def test_color_range_and_object(tmp_path):
    scene = object_scene(240, 320, 0)
    src = tmp_path / "product.png"
    _write_rgba(src, scene.image)
    x, y, w, h = scene.rect
    out = tmp_path / "object.png"
    result = veil("object", src, "--out", out, "--rect", f"{x},{y},{w},{h}")
    assert result.returncode == 0, result.stderr
    mask = cv2.imread(str(out), cv2.IMREAD_GRAYSCALE)
    inter = ((mask >= 128) & (scene.alpha >= 0.5)).sum()
    assert inter / ((mask >= 128) | (scene.alpha >= 0.5)).sum() > 0.9
    colour = "#" + "".join(f"{int(c):02x}" for c in scene.image[y + h // 2 - 5, x + w // 3, :3])  # on the product's body
    result = veil("color-range", src, "--out", tmp_path / "range.png", "--color", colour, "--fuzziness", "30")
    assert result.returncode == 0, result.stderr
    assert cv2.imread(str(tmp_path / "range.png"), cv2.IMREAD_GRAYSCALE).max() == 255


@pytest.mark.parametrize("args", [
    ["chroma-key", "IN", "--out", "x.png", "--key", "purple"],
    ["chroma-key", "IN", "IN", "--out", "x.png"],
    ["chroma-key", "IN", "--out", "x.jpg", "--apply"],
    ["color-range", "IN", "--out", "x.png"],
    ["color-range", "IN", "--out", "x.png", "--color", "#12"],
    ["object", "IN", "--out", "x.png"],
    ["object", "IN", "--out", "x.png", "--rect", "1,2,3"],
])
def test_bad_arguments_exit_2(screens, tmp_path, args):
    folder, _ = screens
    args = [str(folder / "shot0.png") if a == "IN" else str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = veil(*args)
    assert result.returncode == 2 and "usage" in result.stderr


def test_unreadable_files_exit_1_and_the_rest_are_done(screens, tmp_path):
    folder, _ = screens
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    result = veil("chroma-key", broken, "--out", tmp_path / "m.png")
    assert result.returncode == 1 and "broken.png" in result.stderr
    out_dir = tmp_path / "out"
    result = veil("chroma-key", folder / "shot0.png", broken, "--out-dir", out_dir)
    assert result.returncode == 1 and (out_dir / "shot0.png").exists() and not (out_dir / "broken.png").exists()
    assert veil("chroma-key", tmp_path / "missing.png", "--out", tmp_path / "m.png").returncode == 1


def test_band_matting_flag_keys_as_the_dialog_does(tmp_path):
    """`--band-matting` reaches the key (run from this tree: the flag is newer than an installed veil)."""
    from editor.masks.chroma import ChromaKeyParams, chroma_key
    from tests.masks.scenes_keying import keying_scene

    scene = keying_scene(150, 220, 2, "green", spill=40.0)
    _write_rgba(tmp_path / "shot.png", scene.image)
    out = tmp_path / "mask.png"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-m", "editor.cli", "mask", "chroma-key", str(tmp_path / "shot.png"),
                             "--band-matting", "--out", str(out)], capture_output=True, text=True, timeout=120, cwd=root,
                            env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    written = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    np.testing.assert_array_equal(written, chroma_key(scene.image, ChromaKeyParams(band_matting=True)))
    assert not np.array_equal(written, chroma_key(scene.image, ChromaKeyParams()))
