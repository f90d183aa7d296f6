import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core import Document, FillLayer, Group, Layer, Mask, Rect, Selection, SetSelection, ops
from tests.core.helpers import snapshot


def rgba(h, w, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 4), dtype=np.uint8)


def make_doc():
    doc = Document.from_pixels(rgba(40, 60))
    return doc


def test_new_layer_goes_above_active_and_becomes_active():
    doc = make_doc()
    bg = doc.layers()[0]
    layer = ops.new_layer(doc)
    assert doc.root.children == [bg, layer]
    assert doc.active is layer
    assert layer.size == (60, 40)
    doc.undo()
    assert doc.root.children == [bg]
    assert doc.active is bg


def test_mask_kinds():
    doc = make_doc()
    layer = doc.layers()[0]
    for kind, expected in [("white", 255), ("black", 0)]:
        ops.add_mask(doc, layer, kind)
        assert (layer.mask.data == expected).all()
    ops.add_mask(doc, layer, "alpha")
    assert np.array_equal(layer.mask.data, layer.pixels[..., 3])
    ops.add_mask(doc, layer, "grayscale")
    px = layer.pixels[..., :3].astype(float)
    expected = np.round(px @ [0.2126, 0.7152, 0.0722])
    assert np.abs(layer.mask.data.astype(float) - expected).max() <= 1


def test_alpha_transfer_moves_alpha_into_mask_in_one_step():
    doc = make_doc()
    layer = doc.layers()[0]
    alpha = layer.pixels[..., 3].copy()
    ops.add_mask(doc, layer, "alpha-transfer")
    assert np.array_equal(layer.mask.data, alpha)
    assert (layer.pixels[..., 3] == 255).all()
    doc.undo()
    assert layer.mask is None
    assert np.array_equal(layer.pixels[..., 3], alpha)


def test_mask_from_selection_follows_layer_offset():
    doc = make_doc()
    small = Layer("small", rgba(10, 10), offset=(55, -5))  # partly off the canvas
    doc.root.insert(1, small)
    doc.execute(SetSelection(Selection.from_rect(60, 40, Rect(50, 0, 10, 3))))
    ops.add_mask(doc, small, "selection")
    expected = np.zeros((10, 10), np.uint8)
    expected[5:8, 0:5] = 255  # canvas rows 0-2, columns 55-59
    assert np.array_equal(small.mask.data, expected)


def test_selection_mask_on_group_and_fill_is_canvas_sized():
    doc = make_doc()
    fill = ops.new_fill_layer(doc, (0, 128, 0, 255))
    ops.add_mask(doc, fill, "black")
    assert fill.mask.shape == (40, 60)
    with pytest.raises(ValueError):
        ops.add_mask(doc, fill, "alpha")


def test_invert_discard_enable():
    doc = make_doc()
    layer = doc.layers()[0]
    ops.add_mask(doc, layer, "white")
    ops.invert_mask(doc, layer)
    assert (layer.mask.data == 0).all()
    ops.set_mask_enabled(doc, layer, False)
    assert not layer.mask.enabled
    ops.discard_mask(doc, layer)
    assert layer.mask is None
    doc.undo()
    doc.undo()
    assert layer.mask.enabled and (layer.mask.data == 0).all()


def test_group_and_ungroup_keep_order():
    doc = make_doc()
    bg = doc.layers()[0]
    a, b = ops.new_layer(doc), ops.new_layer(doc)
    group = ops.group_nodes(doc, [b, a])
    assert doc.root.children == [bg, group]
    assert group.children == [a, b]
    ops.ungroup(doc, group)
    assert doc.root.children == [bg, a, b]
    doc.undo()
    doc.undo()
    assert doc.root.children == [bg, a, b] and group.parent is None


def test_cannot_move_group_into_itself():
    doc = make_doc()
    outer = ops.new_group(doc)
    inner = Group("inner")
    ops.add_node(doc, inner, parent=outer)
    with pytest.raises(ValueError):
        ops.move_node(doc, outer, inner, 0)


def test_duplicate_is_deep():
    doc = make_doc()
    layer = doc.layers()[0]
    ops.add_mask(doc, layer, "white")
    copy = ops.duplicate_node(doc, layer)
    copy.pixels[0, 0] = 1
    copy.mask.data[0, 0] = 1
    assert layer.pixels[0, 0, 0] != 1 or layer.pixels[0, 0, 1] != 1
    assert layer.mask.data[0, 0] == 255
    assert copy.name == "Background copy"


def test_move_group_moves_its_layers_and_drag_merges():
    doc = make_doc()
    a = ops.new_layer(doc)
    group = ops.group_nodes(doc, [a])
    for _ in range(5):
        ops.move_layer_by(doc, group, 2, 1, merge_key="drag-1")
    assert a.offset == (10, 5)
    doc.undo()
    assert a.offset == (0, 0)


def test_delete_active_picks_neighbour():
    doc = make_doc()
    bg = doc.layers()[0]
    layer = ops.new_layer(doc)
    ops.delete_node(doc, layer)
    assert doc.active is bg
    doc.undo()
    assert doc.active is layer


def test_mask_shape_checked():
    with pytest.raises(ValueError):
        Layer("l", rgba(4, 4), mask=Mask(np.zeros((3, 3), np.uint8)))


# --- any sequence of operations, undone, restores the document bit for bit ----

OPERATIONS = [
    "new_layer", "new_fill", "new_group", "delete", "duplicate", "raise", "lower", "group", "ungroup",
    "mask_white", "mask_black", "mask_alpha", "mask_transfer", "mask_selection", "mask_gray", "invert_mask",
    "discard_mask", "toggle_mask", "opacity", "blend", "hide", "clip", "move", "paint", "select",
    "mask_density",
]


def apply_operation(doc: Document, op: str, pick: int) -> None:
    nodes = list(doc.nodes())
    node = nodes[pick % len(nodes)] if nodes else None
    doc.set_active(node)
    layer = node if isinstance(node, Layer) else None
    if op == "new_layer":
        ops.new_layer(doc)
    elif op == "new_fill":
        ops.new_fill_layer(doc, (pick % 256, 10, 20, 255))
    elif op == "new_group":
        ops.new_group(doc)
    elif node is None:
        return
    elif op == "delete":
        ops.delete_node(doc, node)
    elif op == "duplicate":
        ops.duplicate_node(doc, node)
    elif op in ("raise", "lower"):
        ops.raise_nodes(doc, [node], 1 if op == "raise" else -1)
    elif op == "group":
        ops.group_nodes(doc, [node])
    elif op == "ungroup" and isinstance(node, Group):
        ops.ungroup(doc, node)
    elif op in ("mask_white", "mask_black", "mask_selection"):
        ops.add_mask(doc, node, op.split("_")[1])
    elif op in ("mask_alpha", "mask_transfer", "mask_gray") and layer is not None:
        ops.add_mask(doc, layer, {"mask_alpha": "alpha", "mask_transfer": "alpha-transfer", "mask_gray": "grayscale"}[op])
    elif op == "invert_mask" and node.mask is not None:
        ops.invert_mask(doc, node)
    elif op == "discard_mask":
        ops.discard_mask(doc, node)
    elif op == "toggle_mask" and node.mask is not None:
        ops.set_mask_enabled(doc, node, not node.mask.enabled)
    elif op == "mask_density" and node.mask is not None:
        ops.set_mask_properties(doc, node, density=(pick % 10) / 10, feather=float(pick % 3), inverted=bool(pick % 2))
    elif op == "opacity":
        ops.set_properties(doc, node, opacity=(pick % 11) / 10)
    elif op == "blend":
        from editor.core import BlendMode
        ops.set_properties(doc, node, blend_mode=list(BlendMode)[pick % len(BlendMode)])
    elif op == "hide":
        ops.set_properties(doc, node, visible=not node.visible)
    elif op == "clip":
        ops.set_properties(doc, node, clipped=not node.clipped)
    elif op == "move":
        ops.move_layer_by(doc, node, pick % 7 - 3, pick % 5 - 2)
    elif op == "paint" and layer is not None:
        x, y = pick % layer.size[0], (pick * 7) % layer.size[1]
        ops.edit_array(doc, layer, "pixels", lambda a: a.__setitem__((slice(y, y + 9), slice(x, x + 9)), pick % 256), "Paint", Rect(x, y, 9, 9))
    elif op == "select":
        doc.execute(SetSelection(Selection.from_rect(doc.width, doc.height, Rect(pick % 30, pick % 20, 15, 10))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1000)), min_size=1, max_size=25))
def test_any_sequence_undone_restores_document(steps):
    doc = Document.from_pixels(rgba(24, 36))
    doc.root.insert(1, FillLayer("fill", (1, 2, 3, 255)))
    start = snapshot(doc)
    states = [start]
    for op, pick in steps:
        before = doc.history.index
        apply_operation(doc, op, pick)
        if doc.history.index != before:
            states.append(snapshot(doc))
    # undo one step at a time, checking every intermediate state
    for expected in reversed(states[:-1]):
        assert doc.undo()
        assert snapshot(doc) == expected
    assert not doc.undo()
    # and redo all the way forward again
    for expected in states[1:]:
        assert doc.redo()
        assert snapshot(doc) == expected


def test_snapshot_document_copies_what_a_save_writes_and_shares_no_array():
    from editor.core.paths import Anchor, VectorPath
    from tests.core.helpers import snapshot_node

    doc = make_doc()
    top = ops.new_layer(doc, "Top")
    ops.add_mask(doc, top, "black")
    group = ops.group_nodes(doc, [top])
    doc.root.insert(0, FillLayer("Fill", (10, 20, 30, 255)))
    doc.paths.append(VectorPath("Outline", [Anchor.corner(1, 1), Anchor.smooth(9, 9, 12, 9)], closed=True))
    doc.set_active(top, edit_mask=True)
    doc.path = "/somewhere/work.ora"

    copy = ops.snapshot_document(doc)
    assert snapshot_node(copy.root, with_uid=False) == snapshot_node(doc.root, with_uid=False)
    assert (copy.width, copy.height, copy.resolution, copy.path) == (doc.width, doc.height, doc.resolution, doc.path)
    assert copy.active is copy.find_by_name("Top") and copy.active is not top and copy.edit_mask
    assert [(p.name, p.anchors, p.closed) for p in copy.paths] == [(p.name, p.anchors, p.closed) for p in doc.paths]
    assert not copy.history.steps
    for mine, theirs in zip(doc.nodes(), copy.nodes(), strict=True):
        if isinstance(mine, Layer):
            assert not np.shares_memory(mine.pixels, theirs.pixels)
        if mine.mask is not None:
            assert not np.shares_memory(mine.mask.data, theirs.mask.data)
    assert copy.find_by_name(group.name).children[0] is copy.active

    # editing the document afterwards leaves the copy as it was
    top.pixels[:] = 7
    top.mask.data[:] = 200
    doc.paths[0].name = "Renamed"
    assert (copy.active.pixels != 7).any() and (copy.active.mask.data == 0).all()
    assert copy.paths[0].name == "Outline"


def test_raise_and_lower_several_nodes_one_place_each_in_one_step():
    doc = Document(8, 8)
    layers = {name: Layer(name, rgba(8, 8)) for name in "ABCD"}
    for i, layer in enumerate(layers.values()):
        doc.root.insert(i, layer)
    a, b, c, d = layers.values()
    steps = len(doc.history.steps)
    ops.raise_nodes(doc, [b, c], 1)
    assert doc.root.children == [a, d, b, c] and len(doc.history.steps) == steps + 1
    ops.raise_nodes(doc, [b, c], 1)  # C is on top: it stops, and B behind it
    assert doc.root.children == [a, d, b, c] and len(doc.history.steps) == steps + 1
    ops.raise_nodes(doc, [a, c], -1)  # A is at the bottom already; C goes under B
    assert doc.root.children == [a, d, c, b]
    doc.undo()
    doc.undo()
    assert doc.root.children == [a, b, c, d]
