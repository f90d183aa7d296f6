import zipfile

import numpy as np

from editor.core import Document
from editor.core.paths import AddPath, Anchor, VectorPath
from editor.io import open_document, save_document
from editor.io.ora_paths import PATHS_MEMBER


def doc_with_paths():
    doc = Document.from_pixels(np.full((20, 30, 4), 200, np.uint8))
    doc.execute(AddPath(VectorPath("Outline", [Anchor.corner(1, 2), Anchor.smooth(10.5, 5.25, 14, 9), Anchor.corner(3, 18)], True)))
    doc.execute(AddPath(VectorPath("Open", [Anchor.corner(0, 0), Anchor.corner(29.75, 19)])))
    return doc


def test_paths_survive_a_save_and_open(tmp_path):
    doc = doc_with_paths()
    target = tmp_path / "p.ora"
    save_document(doc, target)
    back = open_document(target)
    assert [(p.name, p.anchors, p.closed) for p in back.paths] == [(p.name, p.anchors, p.closed) for p in doc.paths]
    assert back.warnings == []


def test_a_damaged_paths_member_costs_only_the_paths(tmp_path):
    target = tmp_path / "p.ora"
    save_document(doc_with_paths(), target)
    broken = tmp_path / "broken.ora"
    with zipfile.ZipFile(target) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b'{"paths": [{"name": "x", "d": "M 0 0 Q"}]}' if info.filename == PATHS_MEMBER else data)
    back = open_document(broken)
    assert back.paths == [] and len(back.layers()) == 1
    assert any("paths" in w for w in back.warnings)


def test_no_paths_no_member(tmp_path):
    target = tmp_path / "p.ora"
    save_document(Document.from_pixels(np.zeros((4, 4, 4), np.uint8)), target)
    with zipfile.ZipFile(target) as zf:
        assert PATHS_MEMBER not in zf.namelist()
