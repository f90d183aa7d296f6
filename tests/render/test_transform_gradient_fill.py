"""Free Transform of a gradient fill layer (alone or in a group): its gradient moves with its mask."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import Document, Group, Layer, Rect, Selection, SetSelection, ops
from editor.render import render
from editor.render.transform import target_bounds, transform_nodes, transformable
from editor.render.warp import translation

STOPS = [{"position": 0.0, "color": [255, 0, 0], "opacity": 1.0},
         {"position": 1.0, "color": [0, 0, 255], "opacity": 1.0}]


def document(grouped: bool):
    doc = Document(100, 70)
    grey = np.full((70, 100, 4), 80, np.uint8)
    grey[..., 3] = 255
    doc.root.insert(0, Layer("Background", grey))
    doc.active = doc.root.children[0]
    data = np.zeros((70, 100), np.uint8)
    data[10:40, 15:60] = 255
    doc.execute(SetSelection(Selection(data)))
    node = ops.new_gradient_fill_layer(doc, {"stops": STOPS, "style": "diamond", "angle": 20.0, "dither": False})
    if grouped:
        ops.group_together(doc, [node])
    return doc, node


@pytest.mark.parametrize("grouped", [False, True])
def test_a_move_takes_the_gradient_with_its_mask(grouped):
    doc, node = document(grouped)
    target = node.parent if grouped else node
    assert isinstance(target, Group) == grouped and transformable(target)
    assert target_bounds(doc, [target]) == Rect(15, 10, 45, 30)  # the handles frame the gradient's box
    before = render(doc)[..., :3].astype(int)
    assert transform_nodes(doc, [target], translation(20, 15), "nearest")
    assert node.gradient["box"] == [35, 25, 45, 30] and node.gradient["angle"] == pytest.approx(20.0)
    after = render(doc)[..., :3].astype(int)
    assert np.abs(after[25:55, 35:80] - before[10:40, 15:60]).max() <= 1
    doc.undo()
    assert node.gradient["box"] == [15, 10, 45, 30]
