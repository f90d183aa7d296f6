"""Never lose work: resume by manifest, atomic outputs, a bad image reported while the rest
go on, a SIGKILL midway then a rerun, and `veil batch` on the command line."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from editor.batch import parse_recipe, run_batch
from editor.batch.runner import MANIFEST
from tests.batch.shots import green_screen_shot, read_rgba

RECIPE = ('[mask]\ngenerator = "chroma-key"\nname = "bottle"\n[background]\ntype = "colour"\n'
          '[trim]\nmargin = 4\n[fit]\nwidth = 96\nheight = 96\n[[export]]\nformat = "jpeg"\n'
          '[[export]]\nformat = "png"\n[outputs]\nmask = true\n')


def _shots(folder: Path, n: int, **kw) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    return [green_screen_shot(folder, f"shot{i:02d}.png", seed=i, **kw) for i in range(n)]


def _manifest_keys(out: Path) -> list[str]:
    lines = (out / MANIFEST).read_text().splitlines()
    return [json.loads(line)["key"] for line in lines if line.strip()]


def _files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and ".veil-batch" not in p.parts)


def test_a_rerun_skips_what_is_done_and_force_redoes_it(tmp_path):
    _shots(tmp_path / "in", 3)
    recipe = parse_recipe(RECIPE)
    first = run_batch([tmp_path / "in"], tmp_path / "out", recipe)
    assert len(first.done) == 3 and first.ok
    assert _files(tmp_path / "out") == sorted(f"shot{i:02d}{t}" for i in range(3) for t in (".jpg", ".png", ".mask.png"))
    again = run_batch([tmp_path / "in"], tmp_path / "out", recipe)
    assert len(again.done) == 0 and len(again.skipped) == 3
    (tmp_path / "out" / "shot01.png").unlink()  # an output gone: that image is redone
    third = run_batch([tmp_path / "in"], tmp_path / "out", recipe)
    assert [Path(e["input"]).name for e in third.done] == ["shot01.png"]
    changed = parse_recipe(RECIPE.replace("margin = 4", "margin = 5"))  # another recipe: all redone
    assert len(run_batch([tmp_path / "in"], tmp_path / "out", changed).done) == 3
    assert len(run_batch([tmp_path / "in"], tmp_path / "out", changed, force=True).done) == 3


def test_a_bad_image_is_reported_and_the_rest_are_done(tmp_path):
    _shots(tmp_path / "in", 2)
    (tmp_path / "in" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    report = run_batch([tmp_path / "in"], tmp_path / "out", parse_recipe(RECIPE))
    assert len(report.done) == 2 and [Path(s).name for s, _ in report.failed] == ["broken.png"]
    assert "broken.png" in report.failed[0][1] and not list((tmp_path / "out").glob("broken*"))
    assert "2 done, 0 skipped (done before), 1 failed" in report.summary()


def _veil(*args, **kw):
    exe = Path(sys.executable).parent / "veil"
    command = str(exe) if exe.exists() else shutil.which("veil")
    env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "HOME": os.environ.get("HOME", "/tmp")}
    return [command, "batch", *map(str, args)], env


def test_veil_batch_on_the_command_line(tmp_path):
    _shots(tmp_path / "in", 2)
    (tmp_path / "in" / "broken.jpg").write_bytes(b"\xff\xd8\xff garbage")
    (tmp_path / "r.toml").write_text(RECIPE)
    cmd, env = _veil(tmp_path / "r.toml", tmp_path / "in", "--out-dir", tmp_path / "out", "--jobs", "2",
                     "--labels", "coco,yolo")
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "broken.jpg" in result.stderr and "2 done, 0 skipped (done before), 1 failed" in result.stderr
    assert (tmp_path / "out" / "shot00.jpg").exists() and (tmp_path / "out" / "labels" / "coco.json").exists()
    # A bad recipe: exit 2 with the line and the reason, and nothing touched.
    (tmp_path / "bad.toml").write_text(RECIPE.replace("width = 96", "width = -96"))
    cmd, env = _veil(tmp_path / "bad.toml", tmp_path / "in", "--out-dir", tmp_path / "never")
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2 and "bad.toml:9: fit.width: must be int in [1, 30000], not -96" in result.stderr
    assert not (tmp_path / "never").exists()


def test_a_batch_killed_midway_and_rerun_writes_every_output_once(tmp_path):
    """SIGKILL while images are being written; the rerun finishes the rest: every output
    exists once and whole, no temporary file is left, each image is in the manifest once."""
    n = 10
    _shots(tmp_path / "in", n, h=360, w=480)
    (tmp_path / "r.toml").write_text(RECIPE.replace('[outputs]', '[refine]\nradius = 3\n[outputs]'))
    out = tmp_path / "out"
    cmd, env = _veil(tmp_path / "r.toml", tmp_path / "in", "--out-dir", out, "--jobs", "1", "--no-progress")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    manifest = out / MANIFEST
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(_manifest_keys(out))
    assert 3 <= done_before < n
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{n - done_before} done, {done_before} skipped" in result.stderr
    want = sorted(f"shot{i:02d}{t}" for i in range(n) for t in (".jpg", ".png", ".mask.png"))
    assert _files(out) == want  # every output once, no partial or temporary file
    keys = _manifest_keys(out)
    assert len(keys) == len(set(keys)) == n
    for i in range(n):
        assert read_rgba(out / f"shot{i:02d}.png").shape == (96, 96, 4)  # whole files
        assert read_rgba(out / f"shot{i:02d}.jpg").shape == (96, 96, 3)


def test_labels_read_back_with_pycocotools(tmp_path):
    from PIL import Image
    from pycocotools import mask as cocomask
    from pycocotools.coco import COCO

    shots = _shots(tmp_path / "in", 3)
    recipe = parse_recipe('[mask]\ngenerator = "chroma-key"\nname = "bottle"\n[[export]]\nformat = "png"\n'
                          '[labels]\nformats = ["coco", "png", "yolo"]\n')
    report = run_batch([tmp_path / "in"], tmp_path / "out", recipe)
    assert report.ok
    labels = tmp_path / "out" / "labels"
    for name in ("coco.json", "coco_polygons.json"):
        coco = COCO(str(labels / name))
        assert [c["name"] for c in coco.loadCats(coco.getCatIds())] == ["bottle"]
        for image in coco.loadImgs(coco.getImgIds()):
            shot = shots[int(image["file_name"][4:6])]
            (ann,) = coco.loadAnns(coco.getAnnIds(imgIds=image["id"]))
            got = coco.annToMask(ann).astype(bool)
            truth = shot.alpha >= 128
            if name == "coco.json":  # RLE: exact
                np.testing.assert_array_equal(got, truth)
                assert ann["area"] == truth.sum() and cocomask.area(ann["segmentation"]) == truth.sum()
            else:  # polygons along the pixel edges
                assert (got & truth).sum() / (got | truth).sum() > 0.97
            x, y, w, h = shot.box
            assert ann["bbox"] == [x, y, w, h]
    for i, shot in enumerate(shots):
        ids = np.asarray(Image.open(labels / f"shot{i:02d}.png"))
        np.testing.assert_array_equal(ids, (shot.alpha >= 128).astype(np.uint8))
        (line,) = (labels / f"shot{i:02d}.txt").read_text().splitlines()
        values = [float(v) for v in line.split()]
        assert values[0] == 0 and len(values) % 2 == 1 and all(0 <= v <= 1 for v in values[1:])
        xs, ys = np.asarray(values[1::2]) * 160, np.asarray(values[2::2]) * 120
        x, y, w, h = shot.box
        assert abs(xs.min() - x) <= 1 and abs(xs.max() - (x + w)) <= 1 and abs(ys.min() - y) <= 1
    assert (labels / "classes.txt").read_text() == "bottle\n"


def test_export_masks_as_labels_from_a_document(tmp_path):
    from pycocotools.coco import COCO

    from editor.batch.labels import export_document_labels
    from editor.core import Document, Group, Layer, Mask

    doc = Document(40, 30)
    a = np.zeros((10, 10), np.uint8)
    a[2:8, 2:8] = 255
    cup = Layer("cup", np.full((10, 10, 4), 200, np.uint8), offset=(5, 5), mask=Mask(a))
    group = Group("plates")
    plate = Layer("plate 1", np.full((30, 40, 4), 255, np.uint8), mask=Mask(np.pad(np.full((5, 5), 255, np.uint8),
                                                                                      ((20, 5), (30, 5)))))
    for parent, node in ((doc.root, cup), (doc.root, group), (group, plate)):
        parent.children.append(node)
        node.parent = parent
    export_document_labels(doc, tmp_path, "scene")
    coco = COCO(str(tmp_path / "coco.json"))
    assert [c["name"] for c in coco.loadCats(coco.getCatIds())] == ["cup", "plates"]
    anns = coco.loadAnns(coco.getAnnIds())
    assert [a["bbox"] for a in anns] == [[7, 7, 6, 6], [30, 20, 5, 5]]
    ids = read_rgba(tmp_path / "scene.png")
    assert set(np.unique(ids)) == {0, 1, 2} and ids[8, 8] == 1 and ids[22, 32] == 2
    assert (tmp_path / "classes.txt").read_text() == "cup\nplates\n"
    with pytest.raises(ValueError, match="no layer has a mask"):
        export_document_labels(Document(4, 4), tmp_path / "none", "empty")


FAULTS_PROBE = """
import resource, sys
import numpy as np
from editor.batch.runner import one_thread

def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(20):
        a = np.ones(1 << 18)  # 2 MB: a mapping of its own past the 128 kB threshold, no huge pages
        del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

faults()
plain = faults()
one_thread()
faults()
print(plain, faults())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_a_worker_reuses_freed_memory_instead_of_faulting_it_in_again():
    """Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which maps (and page-faults) every
    temporary past 128 kB afresh; a worker's set-up lets malloc reuse them."""
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    out = subprocess.run([sys.executable, "-c", FAULTS_PROBE], env=env, capture_output=True, text=True, check=True)
    plain, kept = map(int, out.stdout.split())
    assert plain > 20 * 400  # each 2 MB array faulted in page by page
    assert kept < plain / 10
