"""Photoshop's Classic interpolation of its two stop lists (editor/paint/photoshop_gradient.py),
with numbers worked from the rules SethRobinson/Patchy measured (docs/vector-tools.md "GdFl
gradient fill geometry": f(t) = t/2 + 3t^2/2 - t^3 for two stops at 100 %, eased by
smoothness / 4096, midpoints remapped first), and how a gradient fill layer's table uses it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.paint.gradient import Gradient, Stop
from editor.paint.gradient_fill import fill_pixels, normalised, photoshop_lists, table_of
from editor.paint.photoshop_gradient import classic, classic_table, merged_stops

BLACK_WHITE = [(0.0, (0.0, 0.0, 0.0), 0.5), (1.0, (255.0, 255.0, 255.0), 0.5)]
OPAQUE = [(0.0, 1.0, 0.5), (1.0, 1.0, 0.5)]


def _at(table: np.ndarray, t: float) -> np.ndarray:
    k = t * (table.shape[0] - 1)
    assert abs(k - round(k)) < 1e-9
    return table[round(k)]


def test_two_stops_at_full_smoothness_follow_the_cubic_ease():
    t = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    got = classic(BLACK_WHITE, t, 1.0)[:, 0]
    # f(1/4) = 1/8 + 3/32 - 1/64 = 13/64; f(3/4) = 51/64 (the ease is symmetric)
    assert got == pytest.approx([0.0, 255 * 13 / 64, 127.5, 255 * 51 / 64, 255.0])


def test_smoothness_blends_the_straight_ramp_and_the_cubic():
    half = classic(BLACK_WHITE, np.array([0.25]), 0.5)[0, 0]
    assert half == pytest.approx(255 * (0.25 + (13 / 64 - 0.25) * 0.5))
    assert classic(BLACK_WHITE, np.array([0.25]), 0.0)[0, 0] == pytest.approx(255 * 0.25)


def test_the_opacity_list_eases_as_the_colour_list_does():
    table = classic_table([(0.0, (10.0, 10.0, 10.0), 0.5), (1.0, (10.0, 10.0, 10.0), 0.5)],
                          [(0.0, 1.0, 0.5), (1.0, 0.0, 0.5)], 1.0, n=5)
    assert table[:, 3] == pytest.approx(255 * (1 - np.array([0.0, 13 / 64, 0.5, 51 / 64, 1.0])), abs=1e-4)
    assert np.all(table[:, :3] == 10.0)


def test_a_midpoint_is_remapped_before_the_ease():
    # the midpoint belongs to the segment's end stop: 25 % there puts the ramp's middle at t = 1/4
    stops = [(0.0, (0.0, 0.0, 0.0), 0.9), (1.0, (255.0, 255.0, 255.0), 0.25)]
    got = classic(stops, np.array([0.125, 0.25, 0.625]), 1.0)[:, 0]
    # t' = 0.125 / 0.5 = 1/4; 1/2; 1/2 + (0.625 - 0.25) / 1.5 = 3/4
    assert got == pytest.approx([255 * 13 / 64, 127.5, 255 * 51 / 64])


def test_inner_stops_bend_towards_their_neighbours():
    # 0 -> 100 -> 0: the middle of the first segment is the Catmull-Rom value with the first
    # stop repeated: 0.5 (0 + 100/2 + 400/4 - 300/8) = 56.25, not the straight 50
    stops = [(0.0, (0.0,) * 3, 0.5), (0.5, (100.0,) * 3, 0.5), (1.0, (0.0,) * 3, 0.5)]
    assert classic(stops, np.array([0.25, 0.75]), 1.0)[:, 0] == pytest.approx([56.25, 56.25])


def test_outside_the_stops_the_end_values_hold_and_a_hard_edge_is_kept():
    stops = [(0.2, (50.0,) * 3, 0.5), (0.5, (50.0,) * 3, 0.5), (0.5, (200.0,) * 3, 0.5), (0.8, (200.0,) * 3, 0.5)]
    got = classic(stops, np.array([0.0, 0.1, 0.4999, 0.5, 0.5001, 0.9, 1.0]), 1.0)[:, 0]
    assert got == pytest.approx([50, 50, 50, 50, 200, 200, 200], abs=0.05)  # the cubic leans a little


def test_the_cubic_overshoot_is_clamped_to_what_a_byte_holds():
    stops = [(0.0, (0.0,) * 3, 0.5), (0.1, (255.0,) * 3, 0.5), (0.2, (255.0,) * 3, 0.5), (1.0, (0.0,) * 3, 0.5)]
    table = classic_table(stops, OPAQUE, 1.0)
    assert table.min() >= 0.0 and table.max() <= 255.0
    assert classic(stops, np.linspace(0, 1, 4096), 1.0).max() > 255.0  # it did overshoot


# midpoints as Photoshop's editor offers them, 5..95 % (the remap clamps 0 and 100 to 0.01 % off them)
lists = st.lists(st.tuples(st.integers(0, 4096), st.integers(5, 95)), min_size=1, max_size=5).map(sorted)


@settings(max_examples=120, deadline=None)
@given(lists, lists, st.data())
def test_at_no_smoothness_the_merged_stops_draw_exactly_photoshops_lists(cp, op, data):
    """Veil's one list (midpoints as extra stops) drawn straight is Photoshop's drawing of the
    two lists at 0 % smoothness, midpoints included."""
    colours = [(p / 4096, tuple(float(data.draw(st.integers(0, 255))) for _ in range(3)), m / 100) for p, m in cp]
    opacities = [(p / 4096, data.draw(st.integers(0, 100)) / 100, m / 100) for p, m in op]
    merged = Gradient("g", tuple(Stop.from_dict(s) for s in merged_stops(colours, opacities)))
    t = np.linspace(0, 1, 1999)
    edges = np.array([s[0] for s in colours + opacities])
    t = t[np.min(np.abs(t[:, None] - edges[None, :]), axis=1) > 2e-3]  # a hard edge is either side
    want = np.concatenate([classic(colours, t, 0.0), classic(opacities, t, 0.0) * 255], axis=1)
    got = merged.sample(t)
    assert np.abs(got[:, :3] - want[:, :3]).max() <= 0.5 + 1e-6  # merged colours are whole levels
    assert np.abs(got[:, 3] - want[:, 3]).max() <= 1e-6


# --- a gradient fill layer's table ------------------------------------------------------------

STOPS = [{"position": 0.0, "color": [200, 40, 20], "opacity": 1.0},
         {"position": 0.6, "color": [30, 160, 90], "opacity": 0.5},
         {"position": 1.0, "color": [20, 40, 230], "opacity": 1.0}]


def test_without_smoothness_the_table_is_the_straight_one_veil_always_drew():
    s = normalised({"stops": STOPS, "reverse": True})
    assert "smoothness" not in s  # absent stays absent: Veil's own files do not change
    straight = Gradient("g", tuple(Stop.from_dict(d) for d in STOPS)).reversed().lut()
    assert np.array_equal(table_of(s), straight)
    assert np.array_equal(table_of({**s, "smoothness": 0.0}), straight)


def test_smoothness_eases_veils_own_stops_as_photoshop_eases_the_lists_it_writes():
    s = normalised({"stops": STOPS, "smoothness": 100.0})
    table = table_of(s)
    colours = [(d["position"], tuple(float(v) for v in d["color"]), 0.5) for d in STOPS]
    opacities = [(d["position"], d["opacity"], 0.5) for d in STOPS]
    assert np.allclose(table, classic_table(colours, opacities, 1.0))
    # half-way along the first segment (t = 0.3, entry 1228.5: between two entries) the colour is eased
    assert not np.allclose(table, Gradient("g", tuple(Stop.from_dict(d) for d in STOPS)).lut(), atol=1.0)
    assert np.allclose(table_of({**s, "reverse": True}), table[::-1])


def test_the_files_own_lists_draw_while_the_stops_are_theirs():
    colours = [(0.0, (250.0, 250.0, 250.0), 0.5), (0.6, (20.0, 20.0, 120.0), 0.3), (1.0, (240.0, 200.0, 0.0), 0.5)]
    opacities = [(0.0, 1.0, 0.5), (0.8, 0.2, 0.5), (1.0, 0.6, 0.5)]
    kept = {"colors": [[p, list(c), m] for p, c, m in colours], "opacities": [[p, o, m] for p, o, m in opacities]}
    s = normalised({"stops": merged_stops(colours, opacities), "smoothness": 75.0, "photoshop_stops": kept})
    assert photoshop_lists(s) is not None
    assert np.allclose(table_of(s), classic_table(colours, opacities, 0.75))
    # the merged list smoothed on its own is something else (its extra stops bend the curve)
    assert not np.allclose(table_of({**s, "photoshop_stops": None}), table_of(s), atol=1.0)
    # once the stops are edited the file's lists are no longer what the layer shows
    edited = {**s, "stops": [{**d, "opacity": 1.0} for d in s["stops"]]}
    assert photoshop_lists(edited) is None
    assert np.allclose(table_of(edited), table_of({**edited, "photoshop_stops": None}))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "a lot"])
def test_a_smoothness_that_is_not_a_number_is_refused(bad):
    with pytest.raises(ValueError):
        normalised({"stops": STOPS, "smoothness": bad})


def test_smoothness_outside_0_to_100_is_clamped():
    assert normalised({"smoothness": -4.0})["smoothness"] == 0.0
    assert normalised({"smoothness": 1e9})["smoothness"] == 100.0


@pytest.mark.parametrize("bad", [{"colors": []}, {"colors": [[0, [1, 2, 3], 0.5]], "opacities": []},
                                 {"colors": [[0, [1, 2], 0.5]], "opacities": [[0, 1, 0.5]]},
                                 {"colors": [[float("nan"), [1, 2, 3], 0.5]], "opacities": [[0, 1, 0.5]]},
                                 {"colors": [[0, [1, 2, 3], 0.5]] * 5000, "opacities": [[0, 1, 0.5]]}, 7])
def test_hostile_photoshop_stops_are_refused(bad):
    with pytest.raises(ValueError):
        normalised({"stops": STOPS, "photoshop_stops": bad})


def test_a_smooth_fill_draws_its_eased_table():
    from editor.core import Rect

    box = Rect(0, 0, 64, 4)
    s = {"stops": [{"position": 0.0, "color": [0, 0, 0], "opacity": 1.0},
                   {"position": 1.0, "color": [255, 255, 255], "opacity": 1.0}],
         "style": "linear", "angle": 0.0, "dither": False, "smoothness": 100.0}
    row = fill_pixels(s, box, box)[0, :, 0].astype(float)
    t = (np.arange(64) + 0.5) / 64
    assert np.abs(row - 255 * (t / 2 + 1.5 * t**2 - t**3)).max() <= 1.0
