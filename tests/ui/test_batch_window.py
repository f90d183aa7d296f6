"""File > Batch…, Save as Recipe…, Export Masks as Labels… and the Review window, driven
through the real main window."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer

from editor.core import Document, FillLayer, Layer
from editor.masks.generators import apply_to_layer
from tests.batch.shots import cutout_shot, green_screen_shot

RECIPE = ('[mask]\ngenerator = "chroma-key"\nname = "bottle"\n[refine]\nradius = 2\n[background]\ntype = "colour"\n'
          '[trim]\nmargin = 4\n[fit]\nwidth = 80\nheight = 80\n[[export]]\nformat = "png"\n'
          '[outputs]\nmask = true\nora = true\n')


def _menu_texts(window) -> list[str]:
    file_menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in file_menu.actions()]


def test_file_menu_runs_a_recipe_over_a_folder_and_reviews_it(make_window, tmp_path, qtbot):
    window = make_window()
    texts = _menu_texts(window)
    for text in ("Batch…", "Save as Recipe…", "Export Masks as Labels…", "Review Batch…"):
        assert text in texts
    assert texts.index("Batch…") < texts.index("Quit")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        green_screen_shot(folder, f"shot{i}.png", seed=i)
    (tmp_path / "r.toml").write_text(RECIPE)
    report = window.batch_actions.run(str(tmp_path / "r.toml"), str(folder), str(tmp_path / "out"), jobs=1)
    assert report is not None and len(report.done) == 3 and report.ok
    assert (tmp_path / "out" / "shot0.ora").exists()

    review = window.batch_actions.open_review(str(tmp_path / "out"))
    assert review.list.count() == 3
    soft = [e["uncertainty"] for e in review.entries]
    assert soft == sorted(soft, reverse=True)  # the most uncertain mask first
    assert not review.list.item(0).icon().isNull()
    assert review.open_item(review.list.item(0))  # its .ora, with the live mask, in a new window
    from PySide6.QtWidgets import QApplication

    from editor.ui.main_window import _WINDOWS

    qtbot.waitUntil(lambda: all(w.files.open_job is None for w in _WINDOWS))  # read on a worker
    opened = [w for w in QApplication.topLevelWidgets()
              if w is not window and getattr(getattr(w, "document", None), "path", None)
              and w.document.path == review.entries[0]["outputs"][-1]]
    assert opened, "the review did not open the image's .ora"
    bottle = opened[0].document.find_by_name("bottle")
    assert bottle.mask is not None and bottle.mask.generator["kind"] == "refine-edge"
    for w in opened:
        w.close()
    review.close()


def test_cancel_stops_the_batch_between_images(make_window, tmp_path):
    window = make_window()
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        green_screen_shot(folder, f"shot{i}.png", seed=i)
    (tmp_path / "r.toml").write_text(RECIPE)
    def press_cancel() -> None:
        from PySide6.QtWidgets import QPushButton

        (button,) = window.batch_actions.progress_dialog.findChildren(QPushButton)
        button.click()

    QTimer.singleShot(30, press_cancel)
    report = window.batch_actions.run(str(tmp_path / "r.toml"), str(folder), str(tmp_path / "out"), jobs=1)
    assert report is not None and len(report.done) < 6 and not report.failed


def test_a_bad_recipe_is_refused_with_its_line(make_window, tmp_path, dialogs):
    window = make_window()
    (tmp_path / "bad.toml").write_text('[fit]\nwidth = 0\nheight = 10\n[[export]]\nformat = "png"\n')
    assert window.batch_actions.run(str(tmp_path / "bad.toml"), str(tmp_path), str(tmp_path / "out")) is None
    kind, _, text = dialogs.shown[-1]
    assert kind == "critical" and "bad.toml:2: fit.width: must be int in [1, 30000], not 0" in text
    assert not (tmp_path / "out").exists()


def test_save_as_recipe_and_export_masks_as_labels(make_window, tmp_path):
    from pycocotools.coco import COCO

    from editor.batch import load_recipe

    shot = green_screen_shot(tmp_path, "shot.png", seed=3)
    doc = Document(160, 120)
    doc.root.insert(0, FillLayer("Backdrop", (250, 250, 250, 255)))
    layer = Layer("bottle", np.dstack([shot.rgb, np.full(shot.alpha.shape, 255, np.uint8)]))
    doc.root.insert(1, layer)
    apply_to_layer(doc, layer, {"kind": "chroma-key", "key": "green"})
    window = make_window(doc)
    assert window.batch_actions.save_recipe(str(tmp_path / "mine.toml"))
    recipe = load_recipe(tmp_path / "mine.toml")
    assert recipe.get("mask")["generator"] == "chroma-key" and recipe.get("mask")["name"] == "bottle"
    assert recipe.get("background") == {"type": "colour", "colour": "#fafafa", "image": None, "blur": 25.0}
    x, y, w, h = shot.box
    assert recipe.get("trim")["margin"] == min(x, y, 160 - x - w, 120 - y - h)
    assert recipe.get("fit")["width"] == 160 and recipe.get("fit")["height"] == 120

    assert window.batch_actions.export_labels(str(tmp_path / "labels"))
    coco = COCO(str(tmp_path / "labels" / "coco.json"))
    (ann,) = coco.loadAnns(coco.getAnnIds())
    assert ann["bbox"] == [x, y, w, h]


def test_review_thumbnail_shows_cutout_on_checkerboard_and_result(tmp_path):
    from editor.ui.batch_actions import review_thumbnail

    shot = cutout_shot(tmp_path, "c.png")
    final = np.dstack([shot.rgb, np.full(shot.alpha.shape, 255, np.uint8)])
    thumb = review_thumbnail(final, shot.alpha, side=80)
    assert thumb.shape == (60, 164, 3)
    assert tuple(thumb[1, 1]) in ((204, 204, 204), (255, 255, 255))  # checkerboard where the mask hides
