import pytest

from editor.core import Document
from editor.core.paths import AddPath, Anchor, EditPath, RemovePath, VectorPath


def sample_path():
    return VectorPath("P", [Anchor.corner(1, 2), Anchor.smooth(10.25, 5, 14, 9), Anchor.corner(3.5, 20)], closed=True)


def test_svg_round_trip():
    path = sample_path()
    d = path.to_svg()
    assert d.startswith("M 1 2 C") and d.endswith("Z")
    back = VectorPath.from_svg("P", d)
    assert back.anchors == path.anchors and back.closed
    open_path = VectorPath("O", path.anchors, closed=False)
    again = VectorPath.from_svg("O", open_path.to_svg())
    assert again.anchors == open_path.anchors and not again.closed


def test_svg_with_lines_and_bad_data():
    path = VectorPath.from_svg("L", "M 0 0 L 10 0 L 10 10 Z")
    assert [a.point for a in path.anchors] == [(0, 0), (10, 0), (10, 10)]
    with pytest.raises(ValueError):
        VectorPath.from_svg("x", "M 0 0 Q 1 1 2 2")


def test_path_commands_undo_and_merge():
    doc = Document(20, 20)
    events = []
    doc.events.connect(lambda c: events.append(c.kind))
    path = sample_path()
    doc.execute(AddPath(path))
    assert doc.paths == [path] and "paths" in events
    original = path.anchors
    moved = [a.moved(1, 1) for a in original]
    doc.execute(EditPath(path, moved, merge_key="drag"))
    doc.execute(EditPath(path, [a.moved(2, 2) for a in original], merge_key="drag"))
    assert len(doc.history.steps) == 2
    assert path.anchors[0].point == (3, 4)
    doc.undo()
    assert path.anchors == original
    doc.execute(RemovePath(path))
    assert doc.paths == []
    doc.undo()
    assert doc.paths == [path]
    doc.undo()
    assert doc.paths == []


def test_segments_and_bounds():
    path = sample_path()
    assert len(path.segments()) == 3
    assert len(VectorPath("o", path.anchors).segments()) == 2
    b = path.bounds()
    assert b.x <= 1 and b.y <= 1 and b.right >= 15 and b.bottom >= 21
    assert VectorPath("e").bounds() is None
