"""Merging Photoshop's colour and opacity stops into Veil's one list (editor/io/psd_gradient.py):
the merged gradient shows, everywhere, the colour the colour stops give and the opacity the
opacity stops give, each interpolated on its own as Photoshop keeps them."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.io.psd_gradient import merged_stops
from editor.paint.gradient import Gradient, Stop

positions = st.lists(st.integers(0, 4096), min_size=1, max_size=6).map(sorted)
colour = st.tuples(*[st.integers(0, 255)] * 3)


@st.composite
def stop_lists(draw):
    cp = draw(positions)
    op = draw(positions)
    colours = [(p / 4096, tuple(float(v) for v in draw(colour)), 0.5) for p in cp]
    opacities = [(p / 4096, draw(st.integers(0, 100)) / 100, 0.5) for p in op]
    return colours, opacities


def _own(stops, t):
    """One list interpolated on its own, ends held (Photoshop's ramp between two stops)."""
    pos = np.array([s[0] for s in stops])
    values = np.array([s[1] for s in stops], np.float64).reshape(len(stops), -1)
    return np.stack([np.interp(t, pos, values[:, c]) for c in range(values.shape[1])], -1)


@settings(max_examples=150, deadline=None)
@given(stop_lists())
def test_merged_stops_show_each_list_as_it_is(lists):
    colours, opacities = lists
    merged = merged_stops(colours, opacities)
    sample = Gradient("g", tuple(Stop.from_dict(s) for s in merged)).sample
    edges = np.array([s[0] for s in colours] + [s[0] for s in opacities])
    t = np.linspace(0, 1, 997)
    t = t[np.min(np.abs(t[:, None] - edges[None, :]), axis=1) > 1e-3]  # off the stops: a hard edge is either side
    got = sample(t)
    assert np.abs(got[:, :3] - _own(colours, t)).max() <= 0.5 + 1e-6  # stop colours are whole levels
    assert np.abs(got[:, 3] / 255 - _own(opacities, t)[:, 0]).max() <= 1e-6


def test_a_midpoint_puts_the_halfway_value_there_and_keeps_both_halves_straight():
    # the midpoint is the segment's end stop's (Patchy docs/gradients.md "Stop editor widget")
    merged = merged_stops([(0.0, (0.0, 0.0, 0.0), 0.7), (1.0, (200.0, 100.0, 50.0), 0.2)],
                          [(0.0, 1.0, 0.5), (1.0, 0.0, 0.5)])
    assert [s["position"] for s in merged] == [0.0, 0.2, 1.0]
    assert merged[1]["color"] == [100, 50, 25] and abs(merged[1]["opacity"] - 0.8) < 1e-9


def test_a_hard_edge_keeps_both_stops_and_the_other_list_is_continuous_there():
    merged = merged_stops([(0.0, (255.0, 0.0, 0.0), 0.5), (0.5, (255.0, 0.0, 0.0), 0.5),
                           (0.5, (0.0, 0.0, 255.0), 0.5), (1.0, (0.0, 0.0, 255.0), 0.5)],
                          [(0.0, 1.0, 0.5), (1.0, 0.0, 0.5)])
    assert [(s["position"], s["color"]) for s in merged] == [
        (0.0, [255, 0, 0]), (0.5, [255, 0, 0]), (0.5, [0, 0, 255]), (1.0, [0, 0, 255])]
    assert [s["opacity"] for s in merged] == [1.0, 0.5, 0.5, 0.0]
