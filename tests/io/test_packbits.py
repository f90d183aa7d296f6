"""PackBits (Photoshop RLE) rows: psd-tools' decoder reads back exactly what was encoded."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from psd_tools.compression import decompress
from psd_tools.constants import Compression

from editor.io import packbits


def _decoded(counts: np.ndarray, data: np.ndarray, h: int, w: int) -> np.ndarray:
    table = counts.astype(">u2").tobytes()
    return np.frombuffer(decompress(table + data.tobytes(), Compression.RLE, w, h, 8, 1), np.uint8).reshape(h, w)


# Runs are what PackBits cares about: draw rows from few values so long and short runs both occur.
_planes = st.tuples(st.integers(1, 9), st.integers(1, 300)).flatmap(
    lambda hw: arrays(np.uint8, hw, elements=st.sampled_from([0, 1, 255])))


@settings(max_examples=150, deadline=None)
@given(_planes)
def test_rows_decode_back_exactly(plane):
    counts, data = packbits.encode(plane)
    assert counts.sum() == data.size
    assert np.array_equal(_decoded(counts, data, *plane.shape), plane)
    assert counts.max() <= packbits.worst_row_bytes(plane.shape[1])


def test_a_strided_channel_encodes_as_its_copy_and_runs_shrink():
    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, (64, 700, 4), dtype=np.uint8)
    rgba[:, :400, 1] = 7  # a 400-byte run: four repeat packets of at most 128
    for c in range(4):
        counts, data = packbits.encode(rgba[..., c])
        again = packbits.encode(np.ascontiguousarray(rgba[..., c]))
        assert np.array_equal(counts, again[0]) and np.array_equal(data, again[1])
        assert np.array_equal(_decoded(counts, data, 64, 700), rgba[..., c])
    counts, _ = packbits.encode(rgba[..., 1])
    assert int(counts[0]) == 4 * 2 + packbits.worst_row_bytes(300)


def test_empty_plane():
    counts, data = packbits.encode(np.zeros((0, 5), np.uint8))
    assert counts.size == 0 and data.size == 0
