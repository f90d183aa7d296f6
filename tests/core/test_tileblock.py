"""TileBlock (undo tiles in one block) and the pool that recycles the blocks of dropped steps."""

from __future__ import annotations

import numpy as np
import pytest

from editor.core import TILE, Document, History, Layer, PixelEdit, TileBlock, TileDelta, tileblock


@pytest.fixture
def small_pool(monkeypatch):
    """Pool every block, however small, and start empty."""
    monkeypatch.setattr(tileblock, "_MIN_POOLED", 0)
    tileblock.clear_pool()
    yield
    tileblock.clear_pool()


@pytest.mark.parametrize("shape", [(200, 300, 4), (130, 70), (64, 128, 4), (1, 1)])
def test_take_and_put_round_trip_any_tiles_at_the_edges_too(shape):
    rng = np.random.default_rng(0)
    array = rng.integers(0, 256, shape, dtype=np.uint8)
    rows, cols = tileblock.tile_grid(shape)
    for _ in range(5):
        held = rng.random((rows, cols)) < 0.6
        tiles = TileBlock.take(array, held)
        assert set(tiles) == {tuple(k) for k in np.argwhere(held).tolist()}
        for ty, tx in tiles:
            ys, xs = slice(ty * TILE, (ty + 1) * TILE), slice(tx * TILE, (tx + 1) * TILE)
            np.testing.assert_array_equal(tiles[ty, tx], array[ys, xs])
        other = rng.integers(0, 256, shape, dtype=np.uint8)
        expected = other.copy()
        for ty, tx in tiles:
            ys, xs = slice(ty * TILE, (ty + 1) * TILE), slice(tx * TILE, (tx + 1) * TILE)
            expected[ys, xs] = array[ys, xs]
        rect = tiles.put(other)
        np.testing.assert_array_equal(other, expected)
        if len(tiles):
            keys = np.argwhere(held)
            assert rect.x == keys[:, 1].min() * TILE and rect.y == keys[:, 0].min() * TILE
        else:
            assert rect is None


def test_slots_out_of_order_and_discarded_tiles():
    array = np.arange(128 * 192, dtype=np.uint32).reshape(128, 192).view(np.uint8).reshape(128, 192, 4)
    slots = np.array([[2, 1, 0], [-1, 4, 3]], np.int32)
    block = np.zeros((5, TILE, TILE, 4), np.uint8)
    for (ty, tx), s in np.ndenumerate(slots):
        if s >= 0:
            block[s] = array[ty * TILE:(ty + 1) * TILE, tx * TILE:(tx + 1) * TILE]
    tiles = TileBlock(slots, block, array.shape)
    tiles.discard(np.array([[False, True, False], [False, False, False]]))
    assert set(tiles) == {(0, 0), (0, 2), (1, 1), (1, 2)} and (0, 1) not in tiles
    out = np.zeros_like(array)
    tiles.put(out)
    np.testing.assert_array_equal(out[:, 64:128][:64], 0)
    np.testing.assert_array_equal(out[:64, :64], array[:64, :64])
    np.testing.assert_array_equal(out[64:, 64:], array[64:, 64:])


def _block_edit(array, held, label="Block edit"):
    """An edit kept as a block: originals taken, then the held tiles inverted."""
    tiles = TileBlock.take(array, held)
    for ty, tx in tiles:
        array[ty * TILE:(ty + 1) * TILE, tx * TILE:(tx + 1) * TILE] ^= 0xFF
    return TileDelta({}, blocks=[tiles])


def test_a_block_delta_undoes_and_redoes_bit_for_bit_and_counts_its_memory():
    rng = np.random.default_rng(1)
    layer = Layer("L", rng.integers(0, 256, (150, 260, 4), dtype=np.uint8))
    doc = Document(260, 150)
    doc.root.insert(0, layer)
    original = layer.pixels.copy()
    held = rng.random(tileblock.tile_grid(layer.pixels.shape)) < 0.5
    held[0, 0] = True
    delta = _block_edit(layer.pixels, held)
    edited = layer.pixels.copy()
    cmd = PixelEdit(layer, "pixels", delta)
    doc.record(cmd)
    assert cmd.nbytes() == 2 * delta.before[0, 0].base.nbytes  # the whole block, both halves
    for _ in range(2):
        doc.undo()
        np.testing.assert_array_equal(layer.pixels, original)
        doc.redo()
        np.testing.assert_array_equal(layer.pixels, edited)


def test_the_history_hands_dropped_blocks_back_and_a_similar_edit_reuses_them(small_pool):
    rng = np.random.default_rng(2)
    layer = Layer("L", rng.integers(0, 256, (256, 256, 4), dtype=np.uint8))
    doc = Document(256, 256)
    doc.root.insert(0, layer)
    held = np.ones((4, 4), np.bool_)
    first = PixelEdit(layer, "pixels", _block_edit(layer.pixels, held))
    doc.record(first)
    doc.undo()  # "after" is taken: a second block
    start = layer.pixels.copy()
    second = PixelEdit(layer, "pixels", _block_edit(layer.pixels, held))
    doc.record(second)  # drops the undone first step: both its blocks go to the pool
    assert not first.delta and tileblock.pooled_bytes() == 2 * 16 * TILE * TILE * 4
    reused = tileblock.new_block(16, (TILE, TILE, 4))
    assert tileblock.pooled_bytes() == 16 * TILE * TILE * 4
    reused[...] = 0  # whatever the pool hands out is overwritten: the live step must not care
    edited = layer.pixels.copy()
    doc.undo()
    np.testing.assert_array_equal(layer.pixels, start)
    doc.redo()
    np.testing.assert_array_equal(layer.pixels, edited)


def test_the_pool_refuses_a_viewed_block_and_stays_within_its_cap(small_pool, monkeypatch):
    block = np.empty((4, TILE, TILE, 4), np.uint8)
    view = block[1]
    tileblock.give_back(block)
    assert tileblock.pooled_bytes() == 0  # a view still looks into it
    del view
    tileblock.give_back(block)
    assert tileblock.pooled_bytes() == block.nbytes
    monkeypatch.setattr(tileblock, "POOL_BYTES", 3 * block.nbytes)
    for _ in range(5):
        tileblock.give_back(np.empty((4, TILE, TILE, 4), np.uint8))
    assert tileblock.pooled_bytes() == 3 * block.nbytes
    # A much larger block is not handed out for a small edit (the history would hold it all).
    tileblock.clear_pool()
    monkeypatch.setattr(tileblock, "POOL_BYTES", 1 << 30)
    tileblock.give_back(np.empty((1024, TILE, TILE), np.uint8))
    assert tileblock.new_block(100, (TILE, TILE)).shape[0] == 128  # fresh, rounded up to 64 tiles
    assert tileblock.new_block(900, (TILE, TILE)).shape[0] == 1024


def test_trimming_the_history_releases_the_oldest_blocks(small_pool):
    layer = Layer("L", np.zeros((128, 128, 4), np.uint8))
    doc = Document(128, 128)
    doc.root.insert(0, layer)
    doc.history = History(budget_bytes=3 * 4 * TILE * TILE * 4)
    cmds = [PixelEdit(layer, "pixels", _block_edit(layer.pixels, np.ones((2, 2), np.bool_)))]
    doc.record(cmds[0])
    second = PixelEdit(layer, "pixels", _block_edit(layer.pixels, np.ones((2, 2), np.bool_)))
    doc.record(second)  # over budget: the first step is dropped and released
    assert doc.history.steps == [second] and not cmds[0].delta
    assert tileblock.pooled_bytes() == 4 * TILE * TILE * 4
