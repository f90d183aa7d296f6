"""The sample cache the magic wand and the paint bucket share: current after every kind of change,
and the merged image re-rendered only where the document changed."""

from __future__ import annotations

import gc

import numpy as np

from editor.core import BlendMode, Document, Layer, Mask, Rect, ops
from editor.masks.selection.sample import sample_cache
from editor.paint.fill import bucket_fill
from editor.render import flatten_rgba


def two_layers() -> tuple[Document, Layer, Layer]:
    doc = Document(200, 120)
    rng = np.random.default_rng(1)
    bg = rng.integers(0, 256, (120, 200, 4), dtype=np.uint8)
    bg[..., 3] = 255
    top = np.zeros((50, 60, 4), np.uint8)
    top[...] = (200, 30, 40, 180)
    under, over = Layer("bg", bg), Layer("top", top, offset=(30, 20), blend_mode=BlendMode.MULTIPLY,
                                           mask=Mask(np.full((50, 60), 200, np.uint8)))
    doc.root.insert(0, under)
    doc.root.insert(1, over)
    doc.set_active(under)
    return doc, under, over


def test_the_wand_and_the_bucket_share_one_cache_per_document():
    doc, _, _ = two_layers()
    assert sample_cache(doc) is sample_cache(doc)
    assert sample_cache(doc) is not sample_cache(two_layers()[0])


def test_merged_stays_current_and_only_the_changed_rect_is_rendered(monkeypatch):
    doc, under, over = two_layers()
    cache = sample_cache(doc)
    first = cache.merged()
    np.testing.assert_array_equal(first, flatten_rgba(doc))
    rendered: list[Rect] = []
    import editor.render as render_module

    real = render_module.render_float
    monkeypatch.setattr(render_module, "render_float", lambda d, rect=None, **kw: rendered.append(rect) or real(d, rect, **kw))
    assert cache.merged() is first and rendered == []  # nothing changed: nothing rendered
    bucket_fill(doc, 5, 5, (0, 255, 0), tolerance=0, sample_merged=True)  # a 1-pixel region of the noise
    doc.set_active(over, edit_mask=True)
    over.mask.data[:10, :10] = 0
    doc.notify("mask", over, Rect(30, 20, 10, 10))
    ops.set_properties(doc, over, opacity=0.5)
    merged = cache.merged()
    np.testing.assert_array_equal(merged, flatten_rgba(doc))
    assert all(r.w * r.h < 200 * 120 for r in rendered)  # rectangles, never the canvas
    doc.undo()  # the opacity back
    np.testing.assert_array_equal(cache.merged(), flatten_rgba(doc))


def test_own_samples_follow_pixels_masks_offsets_and_inversion():
    doc, under, over = two_layers()
    cache = sample_cache(doc)
    assert cache.pixels(under) is under.pixels  # covers the canvas: read in place
    placed = cache.pixels(over)
    assert placed.shape == (120, 200, 4) and (placed[20:70, 30:90] == over.pixels).all() and placed[0, 0, 3] == 0
    ops.move_layer_by(doc, over, -30, -20)
    assert (cache.pixels(over)[:50, :60] == over.pixels).all()
    shown = cache.mask(over)
    assert shown[10, 10] == 200 and shown[100, 150] == 0
    over.mask.data[:] = 10
    doc.notify("mask", over, Rect(0, 0, 60, 50))
    assert cache.mask(over)[10, 10] == 10
    ops.set_mask_properties(doc, over, inverted=True)
    assert cache.mask(over)[10, 10] == 245  # what shows


def test_a_document_that_goes_away_takes_its_cache_with_it():
    import weakref

    doc, under, over = two_layers()
    cache = weakref.ref(sample_cache(doc))
    cache().merged()
    gone = weakref.ref(doc)
    del doc, under, over
    gc.collect()
    assert gone() is None and cache() is None


def test_a_canvas_sized_mask_that_shows_as_stored_is_read_in_place():
    doc, under, _ = two_layers()
    under.mask = Mask(np.full((120, 200), 90, np.uint8))
    cache = sample_cache(doc)
    assert cache.mask(under) is under.mask.data
    ops.set_mask_properties(doc, under, inverted=True)
    assert cache.mask(under) is not under.mask.data and cache.mask(under)[0, 0] == 165
