import math

import numpy as np
import pytest

from editor.core import Mask, Rect, Selection
from editor.paint import Brush, PaintRefused, Stroke, warm_up
from tests.core.helpers import snapshot
from tests.paint.helpers import assert_matches_golden, mask_doc, pixel_doc


def paint(doc, layer, points, brush, value=255, target=None, eraser=False):
    stroke = Stroke(doc, layer, target, brush, value, eraser=eraser)
    for p in points:
        stroke.add_point(*p)
    return stroke.end()


def horizontal(y, x0=20, x1=180, step=3, pressure=1.0):
    return [(x, y, pressure) for x in range(x0, x1 + 1, step)]


def scripted_stroke(doc, layer):
    """An S curve whose pressure rises and falls, then an eraser pass across it."""
    soft = Brush(size=24, hardness=0.3, opacity=0.9, flow=0.6, spacing=0.1)
    curve = [(20 + t * 1.6, 60 + 35 * math.sin(t / 16), 0.3 + 0.7 * math.sin(math.pi * t / 100))
             for t in range(0, 101, 2)]
    paint(doc, layer, curve, soft)
    hard = Brush(size=10, hardness=1.0, spacing=0.1)
    paint(doc, layer, [(100, 10 + y, 1.0) for y in range(0, 101, 5)], hard, value=0, eraser=True)


def test_scripted_stroke_matches_golden_mask():
    doc, layer = mask_doc()
    scripted_stroke(doc, layer)
    assert_matches_golden(layer.mask.data, "scripted_stroke_mask")


def test_stroke_paints_only_the_mask_and_is_one_undo_step():
    doc, layer = mask_doc()
    pixels = layer.pixels.copy()
    before = len(doc.history.steps)
    paint(doc, layer, horizontal(60), Brush(size=20))
    assert len(doc.history.steps) == before + 1
    assert doc.history.labels()[-1] == "Brush on mask"
    assert np.array_equal(layer.pixels, pixels)
    assert layer.mask.data[60, 100] == 255 and layer.mask.data[5, 100] == 0


def painted_width(mask, x, threshold=128):
    return int((mask[:, x] >= threshold).sum())


def test_pressure_changes_width_when_mapped_to_size():
    widths = {}
    for pressure in (0.25, 1.0):
        doc, layer = mask_doc()
        paint(doc, layer, horizontal(60, pressure=pressure), Brush(size=40, hardness=1.0))
        widths[pressure] = painted_width(layer.mask.data, 100)
    assert widths[1.0] == pytest.approx(40, abs=1)
    assert widths[0.25] == pytest.approx(10, abs=1)

    doc, layer = mask_doc()
    paint(doc, layer, horizontal(60, pressure=0.25), Brush(size=40, hardness=1.0, pressure_size=False))
    assert painted_width(layer.mask.data, 100) == pytest.approx(40, abs=1)


def test_pressure_mapped_to_opacity_caps_the_value():
    doc, layer = mask_doc()
    brush = Brush(size=30, hardness=1.0, pressure_size=False, pressure_opacity=True)
    paint(doc, layer, horizontal(60, pressure=0.5), brush)
    assert layer.mask.data[60, 100] == pytest.approx(128, abs=1)
    assert painted_width(layer.mask.data, 100, threshold=100) == pytest.approx(30, abs=1)


def dab_profile(brush, x=100.0, y=60.0):
    doc, layer = mask_doc()
    paint(doc, layer, [(x, y, 1.0)], brush)
    return layer.mask.data[int(y)].astype(int)


def test_hardness_shapes_the_dab_profile():
    hard = dab_profile(Brush(size=40, hardness=1.0))
    soft = dab_profile(Brush(size=40, hardness=0.0))
    assert (hard[81:119] == 255).all()  # solid core out to the rim
    assert hard[80] + hard[119] > 0 and hard[78] == 0 and hard[121] == 0  # one-pixel antialiased rim
    assert soft[100] >= 250
    assert np.all(np.diff(soft[100:125]) <= 0)  # falls off steadily towards the rim
    assert (soft[109] + soft[110]) / 2 == pytest.approx(128, abs=4)  # half strength half way out
    assert soft.sum() < 0.7 * hard.sum()
    mid = dab_profile(Brush(size=40, hardness=0.5))
    assert (mid[91:110] == 255).all() and mid[115] < 200


def test_dabs_are_placed_with_sub_pixel_precision():
    for cx in (100.0, 100.25, 100.5, 100.8):
        row = dab_profile(Brush(size=8, hardness=0.5), x=cx, y=60.5)
        xs = np.arange(row.size) + 0.5
        centroid = (row * xs).sum() / row.sum()
        assert centroid == pytest.approx(cx, abs=0.05)


def test_spacing_sets_the_distance_between_dabs():
    doc, layer = mask_doc()
    # diameter 10, spacing 300%: one dab every 30 px from x=20.
    paint(doc, layer, horizontal(60, step=1), Brush(size=10, hardness=1.0, spacing=3.0))
    row = layer.mask.data[60] > 128
    starts = np.flatnonzero(row[1:] & ~row[:-1]) + 1
    assert np.diff(starts).tolist() == [30] * (len(starts) - 1)
    assert len(starts) >= 5

    doc, layer = mask_doc()
    paint(doc, layer, horizontal(60, step=7), Brush(size=10, hardness=1.0, spacing=0.1))
    assert (layer.mask.data[60, 20:175] == 255).all()  # dense spacing: a continuous line


def test_opacity_caps_what_one_stroke_reaches():
    doc, layer = mask_doc()
    brush = Brush(size=30, hardness=1.0, opacity=0.5, flow=1.0)
    back_and_forth = horizontal(60) + horizontal(60)[::-1] + horizontal(60)
    paint(doc, layer, back_and_forth, brush)
    assert layer.mask.data.max() == 128
    assert layer.mask.data[60, 40:160].min() == 128
    # A second stroke starts a new buffer and builds on the first one.
    paint(doc, layer, horizontal(60), brush)
    assert layer.mask.data[60, 100] == 192


def test_flow_builds_up_within_a_stroke():
    brush = Brush(size=30, hardness=1.0, opacity=1.0, flow=0.25, spacing=1.0)
    doc, layer = mask_doc()
    paint(doc, layer, [(100, 60, 1.0)], brush)
    one = int(layer.mask.data[60, 100])
    assert one == pytest.approx(64, abs=1)

    doc, layer = mask_doc()
    # spacing 100% of 30 px: three dabs on the same centre with a 30 px round trip per dab
    paint(doc, layer, [(100, 60, 1.0), (130, 60, 1.0), (100, 60, 1.0), (130, 60, 1.0), (100, 60, 1.0)], brush)
    built = int(layer.mask.data[60, 100])
    assert built == pytest.approx(255 * (1 - 0.75 ** 3), abs=1)
    assert built > one


def test_eraser_on_a_mask_paints_the_background_value():
    doc, layer = mask_doc(value=255)
    paint(doc, layer, horizontal(60), Brush(size=20, hardness=1.0), value=0, eraser=True)
    assert layer.mask.data[60, 100] == 0 and layer.mask.data[10, 100] == 255
    assert doc.history.labels()[-1] == "Eraser on mask"


def test_eraser_on_pixels_removes_alpha_and_keeps_colour():
    pixels = np.zeros((120, 200, 4), np.uint8)
    pixels[...] = (200, 50, 10, 255)
    doc, layer = pixel_doc(pixels)
    paint(doc, layer, horizontal(60), Brush(size=20, hardness=1.0, opacity=0.75), value=(0, 0, 0), eraser=True)
    assert layer.pixels[60, 100].tolist() == [200, 50, 10, 64]
    assert layer.pixels[10, 100].tolist() == [200, 50, 10, 255]


def test_brush_on_pixels_paints_the_colour_over_straight_alpha():
    pixels = np.zeros((120, 200, 4), np.uint8)
    pixels[:, 100:] = (0, 0, 255, 255)
    doc, layer = pixel_doc(pixels)
    paint(doc, layer, horizontal(60), Brush(size=20, hardness=1.0, opacity=0.5), value=(255, 0, 0))
    assert layer.pixels[60, 50].tolist() == [255, 0, 0, 128]  # over transparency: pure colour, half alpha
    assert layer.pixels[60, 150].tolist() == [128, 0, 128, 255]  # over opaque blue: the mix


def test_alpha_lock_keeps_alpha_and_the_eraser_paints_the_background():
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (120, 200, 4), dtype=np.uint8)
    alpha = pixels[..., 3].copy()
    doc, layer = pixel_doc(pixels, alpha_locked=True)
    paint(doc, layer, horizontal(60), Brush(size=20, hardness=1.0), value=(255, 0, 0))
    assert np.array_equal(layer.pixels[..., 3], alpha)
    assert (layer.pixels[55:66, 30:170, :3] == (255, 0, 0)).all()
    paint(doc, layer, horizontal(30), Brush(size=10, hardness=1.0), value=(0, 255, 0), eraser=True)
    assert np.array_equal(layer.pixels[..., 3], alpha)
    assert (layer.pixels[28:33, 30:170, :3] == (0, 255, 0)).all()


def test_locked_layers_and_missing_targets_refuse_to_paint():
    doc, layer = mask_doc()
    layer.locked = True
    with pytest.raises(PaintRefused, match="locked"):
        Stroke(doc, layer, "mask", Brush(), 255)
    layer.locked = False
    layer.mask = None
    with pytest.raises(PaintRefused, match="no mask"):
        Stroke(doc, layer, "mask", Brush(), 255)


def test_selection_confines_painting_softly_with_the_layer_offset():
    doc, layer = mask_doc(w=200, h=120, offset=(30, 20), canvas=(260, 160))
    sel = Selection.from_rect(260, 160, Rect(0, 0, 130, 160))  # document x < 130 selected
    sel.data[:, 130:160] = 128  # half selected
    doc.selection = sel
    paint(doc, layer, horizontal(80, x0=40, x1=250), Brush(size=20, hardness=1.0))  # document coordinates
    m = layer.mask.data
    row = 80 - 20
    assert (m[row, 10:100] == 255).all()  # document x 40..129
    assert (m[row, 100:130] == 128).all()  # document x 130..159, soft
    assert (m[:, 130:] == 0).all()  # document x >= 160: outside the selection
    assert (m[:40] == 0).all() and (m[81:] == 0).all()


def test_undo_restores_bit_for_bit_and_keeps_only_touched_tiles():
    rng = np.random.default_rng(2)
    doc, layer = pixel_doc(rng.integers(0, 256, (300, 500, 4), dtype=np.uint8), offset=(-40, 15))
    layer.mask = Mask(rng.integers(0, 256, (300, 500), dtype=np.uint8))
    original = snapshot(doc)
    paint(doc, layer, [(x, 100 + x / 5, 0.8) for x in range(0, 400, 9)], Brush(size=30, hardness=0.4),
          value=(9, 200, 30))
    cmd = paint(doc, layer, [(x, 200, 1.0) for x in range(0, 400, 9)], Brush(size=16), value=17,
                target="mask")
    painted = snapshot(doc)
    assert painted != original
    # only the tiles the stroke crossed: a band along y=200 (layer row 185), never the whole mask
    assert {ty for ty, _ in cmd.delta.before} <= {2, 3}
    assert cmd.nbytes() == len(cmd.delta.before) * 2 * 64 * 64 < 2 * layer.mask.data.nbytes
    assert doc.undo() and doc.undo()
    assert snapshot(doc) == original
    assert doc.redo() and doc.redo()
    assert snapshot(doc) == painted


def test_each_batch_of_dabs_announces_its_rect_in_document_coordinates():
    doc, layer = mask_doc(w=200, h=120, offset=(30, 20), canvas=(260, 160))
    before = layer.mask.data.copy()
    seen = []
    doc.events.connect(lambda change: seen.append(change) if change.kind == "mask" else None)
    stroke = Stroke(doc, layer, None, Brush(size=12), 255)
    rects = [stroke.add_point(x, 70, 1.0) for x in range(50, 200, 10)]
    stroke.end()
    assert [c.rect for c in seen] == rects and all(c.node is layer for c in seen)
    assert all(r.w <= 30 and r.h <= 16 for r in rects)  # a dab or two each, never the layer
    covered = np.zeros((160, 260), bool)
    for r in rects:
        covered[r.slices()] = True
    changed = np.zeros((160, 260), bool)
    changed[20:140, 30:230] = layer.mask.data != before
    assert changed.any() and not (changed & ~covered).any()


def test_cancel_puts_back_what_the_stroke_painted():
    doc, layer = mask_doc()
    stroke = Stroke(doc, layer, None, Brush(size=20), 255)
    for p in horizontal(60):
        stroke.add_point(*p)
    stroke.cancel()
    assert (layer.mask.data == 0).all() and not doc.history.steps


def test_smoothing_steadies_a_shaky_line_and_catches_up_at_the_end():
    shaky = [(x, 60 + (6 if i % 2 else -6), 1.0) for i, x in enumerate(range(20, 181, 4))]
    spread = {}
    for smoothing in (0.0, 0.8):
        doc, layer = mask_doc()
        paint(doc, layer, shaky, Brush(size=6, hardness=1.0, smoothing=smoothing))
        rows = np.flatnonzero(layer.mask.data[:, 60:140].any(axis=1))
        spread[smoothing] = rows[-1] - rows[0]
        assert layer.mask.data[shaky[-1][1], shaky[-1][0]] == 255  # the stroke ends at the pen
    assert spread[0.8] < spread[0.0] / 2


def test_line_to_draws_a_straight_segment_from_the_last_point():
    doc, layer = mask_doc()
    stroke = Stroke(doc, layer, None, Brush(size=6, hardness=1.0, smoothing=0.9), 255)
    stroke.add_point(20, 20)
    assert stroke.last_point == (20.0, 20.0)
    stroke.line_to(180, 100)
    stroke.end()
    for x in range(20, 181, 10):
        y = 20 + (x - 20) * 0.5
        assert layer.mask.data[int(y), x] == 255


def test_brush_settings_round_trip_and_reject_nonsense():
    brush = Brush(size=33, hardness=0.2, opacity=0.4, flow=0.7, spacing=0.3, smoothing=0.5,
                  pressure_size=False, pressure_opacity=True)
    stored = {k: str(v).lower() for k, v in brush.to_dict().items()}  # QSettings may hand back strings
    assert Brush.from_dict(stored) == brush
    assert Brush.from_dict({"size": "huge", "flow": -1}) == Brush()
    with pytest.raises(ValueError):
        Brush(opacity=2)


def test_warm_up_leaves_no_trace_and_strokes_still_work():
    warm_up()
    doc, layer = mask_doc()
    paint(doc, layer, horizontal(60), Brush(size=10, hardness=1.0))
    assert layer.mask.data[60, 100] == 255 and len(doc.history.steps) == 1


def test_hidden_layers_refuse_and_an_inverted_mask_still_shows_where_white_is_painted():
    doc, layer = mask_doc(value=255)
    layer.visible = False
    with pytest.raises(PaintRefused, match="hidden"):
        Stroke(doc, layer, "mask", Brush(), 255)
    layer.visible = True
    layer.mask.inverted = True  # data 255 = hidden
    paint(doc, layer, horizontal(60), Brush(size=10, hardness=1.0), value=255)
    assert layer.mask.data[60, 100] == 0 and layer.mask.data[10, 100] == 255


def test_a_fill_layer_mask_is_painted_in_document_coordinates():
    from editor.core import Document, FillLayer

    doc = Document(160, 100)
    fill = FillLayer("Backdrop", (255, 0, 0, 255), mask=Mask.filled(100, 160, 0))
    doc.root.insert(0, fill)
    doc.set_active(fill, edit_mask=True)
    paint(doc, fill, [(40, 50, 1.0), (120, 50, 1.0)], Brush(size=10, hardness=1.0), value=255)
    assert (fill.mask.data[50, 40:121] == 255).all() and fill.mask.data[20, 80] == 0
    with pytest.raises(PaintRefused, match="no pixels"):
        Stroke(doc, fill, "pixels", Brush(), (0, 0, 0))
