"""The paint bucket's one-pass write (editor.paint.bucket) against the two-step path it replaces."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import editor.paint.bucket as bucket
import editor.paint.fill as fill_module
from editor.core import Document, Layer, Rect, Selection
from editor.paint.fill import bucket_fill
from editor.paint.target import PaintTarget


def _scene(rng, trial, shapes):
    """A document of random size with a layer of few colours (so the wand finds regions) at a
    random offset, sometimes partly transparent, alpha-locked, under a soft or hard selection.
    shapes: flat rectangles and discs on a flat ground (rows repeat, as on a photo's backdrop),
    else noise of three levels."""
    w, h = (int(v) for v in rng.integers(1, 160, 2))
    lh, lw = (int(v) for v in rng.integers(1, 200, 2))
    offset = (int(rng.integers(-60, 60)), int(rng.integers(-60, 60)))
    if shapes:
        pixels = np.full((lh, lw, 4), 200, np.uint8)
        for _ in range(int(rng.integers(1, 6))):
            colour = tuple(int(v) for v in rng.integers(0, 3, 4) * 80)
            x0, y0, x1, y1 = (int(v) for v in rng.integers(-20, 220, 4))
            if rng.random() < 0.5:
                cv2.rectangle(pixels, (x0, y0), (x1, y1), colour, -1)
            else:
                cv2.circle(pixels, (x0, y0), abs(x1 - x0) // 2 + 1, colour, -1)
    else:
        pixels = (rng.integers(0, 3, (lh, lw, 4)) * 80).astype(np.uint8)
    pixels[..., 3] = rng.choice(np.array([0, 90, 255], np.uint8), (lh, lw)) if trial % 3 == 0 else 255
    doc = Document(w, h)
    layer = Layer("L", pixels, offset=offset, alpha_locked=trial % 5 == 2)
    doc.root.insert(0, layer)
    doc.set_active(layer)
    if trial % 4 == 1:
        doc.selection = Selection(rng.integers(0, 256, (h, w)).astype(np.uint8))
    elif trial % 4 == 3:
        sel = np.zeros((h, w), np.uint8)
        sel[h // 4:, w // 3:] = 255
        doc.selection = Selection(sel)
    return doc, layer


@pytest.mark.parametrize("shapes", [False, True])
def test_the_one_pass_bucket_equals_the_two_step_path_bit_for_bit(monkeypatch, shapes):
    """On random scenes (offsets, selections, alpha lock, opacity, a translucent colour,
    contiguous or not, antialiased or not): the same pixels, the same undo tiles, and undo and
    redo restore bit for bit."""
    calls = []
    real_fill_runs = bucket.fill_runs
    monkeypatch.setattr(bucket, "fill_runs", lambda *a, **k: calls.append(1) or real_fill_runs(*a, **k))
    real_runs = fill_module.wand_runs
    rng = np.random.default_rng(2)
    for trial in range(120):
        doc, layer = _scene(rng, trial, shapes)
        original = layer.pixels.copy()
        x, y = float(rng.integers(0, doc.width)) + 0.5, float(rng.integers(0, doc.height)) + 0.5
        kw = dict(tolerance=int(rng.integers(0, 90)), contiguous=bool(trial % 2), antialias=trial % 3 != 1,
                  opacity=0.5 if trial % 6 == 3 else 1.0)
        paint = (0, 200, 100, 128) if trial % 7 == 0 else (255, 10, 5)
        monkeypatch.setattr(fill_module, "wand_runs", real_runs)
        one_pass = bucket_fill(doc, x, y, paint, **kw)
        got = layer.pixels.copy()
        # Read now: the two-step fill below drops this undone step, whose memory is then reused.
        one_keys = None if one_pass is None else set(one_pass.delta.before)
        if one_pass is not None:
            doc.undo()
            np.testing.assert_array_equal(layer.pixels, original)
            doc.redo()
            np.testing.assert_array_equal(layer.pixels, got)
            doc.undo()
        monkeypatch.setattr(fill_module, "wand_runs", lambda *a, **k: None)  # the two-step path
        two_step = bucket_fill(doc, x, y, paint, **kw)
        np.testing.assert_array_equal(got, layer.pixels, err_msg=f"trial {trial}")
        assert (one_pass is None) == (two_step is None)
        if one_pass is not None:
            assert one_keys == set(two_step.delta.before), trial
    assert len(calls) > 60  # most clicks took the one-pass path


def test_blend_modes_and_masks_take_the_two_step_path(monkeypatch):
    from tests.paint.helpers import mask_doc, pixel_doc

    monkeypatch.setattr(bucket, "fill_runs", lambda *a, **k: pytest.fail("one-pass path taken"))
    doc, layer = pixel_doc(np.full((40, 50, 4), 100, np.uint8))
    assert bucket_fill(doc, 5, 5, (200, 0, 0), mode="multiply") is not None
    doc, layer = mask_doc(50, 40, value=255)
    assert bucket_fill(doc, 5, 5, (0, 0, 0)) is not None
    assert (layer.mask.data == 0).all()


def test_a_tile_kept_by_the_writer_keeps_the_earlier_original_when_already_touched():
    pixels = np.zeros((128, 128, 4), np.uint8)
    doc = Document(128, 128)
    layer = Layer("L", pixels.copy())
    doc.root.insert(0, layer)
    doc.set_active(layer)
    target = PaintTarget.current(doc)
    target.fill((9, 9, 9, 255), Rect(0, 0, 10, 10))  # tile (0, 0) touched first
    written = layer.pixels.copy()
    target.keep({(0, 0): written[:64, :64].copy(), (1, 1): written[64:, 64:].copy()})
    layer.pixels[64:, 64:] = 7
    cmd = target.commit("Two writes")
    assert set(cmd.delta.before) == {(0, 0), (1, 1)}
    doc.undo()
    np.testing.assert_array_equal(layer.pixels, pixels)


def test_clicks_that_reuse_the_blocks_of_dropped_steps_still_undo_bit_for_bit(monkeypatch):
    """Click, undo, click again (the undone step is dropped and its undo blocks recycled into the
    next click's), with redo in between: every step restores exactly, and the bucket kept its
    undo tiles in a block."""
    from editor.core import tileblock

    monkeypatch.setattr(tileblock, "_MIN_POOLED", 0)
    tileblock.clear_pool()
    rng = np.random.default_rng(5)
    for shapes in (True, False):
        doc, layer = _scene(rng, 4, shapes)
        states = [layer.pixels.copy()]
        for k in range(6):
            x, y = float(rng.integers(0, doc.width)), float(rng.integers(0, doc.height))
            cmd = bucket_fill(doc, x, y, (k * 40, 255 - k * 30, 7), tolerance=40)
            if cmd is None:
                continue
            assert cmd.delta._blocks  # the one-pass path's block form
            after = layer.pixels.copy()
            doc.undo()
            np.testing.assert_array_equal(layer.pixels, states[-1])
            doc.redo()
            np.testing.assert_array_equal(layer.pixels, after)
            if k % 2:
                doc.undo()  # the next click drops this step: its blocks go back to the pool
                np.testing.assert_array_equal(layer.pixels, states[-1])
            else:
                states.append(after)
        while doc.undo():
            pass
        np.testing.assert_array_equal(layer.pixels, states[0])
    tileblock.clear_pool()


@pytest.mark.parametrize("selection", ["none", "soft", "hard"])
def test_the_one_pass_bucket_keeps_the_previews_reduced_layer_up_to_date_under_a_selection(monkeypatch, selection):
    """The held 1/4 reduction the one-pass write updates block by block (a block covered at 255
    throughout is the colour, an untouched one keeps its average, the rest are averaged again)
    agrees with a fresh preview's, with no selection, a soft one and a hard one, opaque and
    translucent, and the preview reduces nothing again."""
    import editor.render.preview as preview_module
    from editor.render.preview import PreviewRenderer, held_reductions
    from tests.render.test_preview import _count_reductions

    rng = np.random.default_rng(7)
    for paint in ((250, 0, 0), (0, 90, 250, 140)):
        doc = Document(403, 301)
        pixels = rng.integers(0, 3, (301, 403, 4), dtype=np.uint8) + np.array([40, 90, 150, 252], np.uint8)
        cv2.circle(pixels, (200, 150), 90, (220, 30, 30, 255), -1)
        layer = Layer("photo", pixels)
        doc.root.insert(0, layer)
        doc.set_active(layer)
        if selection == "soft":
            doc.selection = Selection(rng.integers(0, 256, (301, 403)).astype(np.uint8))
        elif selection == "hard":
            sel = np.zeros((301, 403), np.uint8)
            sel[37:260, 61:390] = 255
            doc.selection = Selection(sel)
        preview = PreviewRenderer(doc)
        preview.render(2)
        reductions, real = _count_reductions(monkeypatch)
        assert bucket_fill(doc, 5, 5, paint, tolerance=8, antialias=True) is not None
        got = preview.render(2)
        assert reductions == [], "the layer was reduced again"
        monkeypatch.setattr(preview_module, "_reduce", real)
        fresh = PreviewRenderer(doc)
        # The composite's rounding: a soft selection's mixed pixels reach 2 levels (as before the one-pass write).
        assert np.abs(got.astype(int) - fresh.render(2).astype(int)).max() <= 2
        ours = next(h.reduced for h in held_reductions(doc, layer) if h.renderer is preview)
        theirs = next(h.reduced for h in held_reductions(doc, layer) if h.renderer is fresh)
        # The reduced layer itself: within the 4x reducer's rounding (half up here, half to even there).
        assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= 1
        fresh.close()
        preview.close()
