import numpy as np

from editor.masks.selection.wand import magic_wand


def scene():
    """Grey background 100, a flat square of 200 and, apart from it, a second one."""
    img = np.zeros((60, 80, 4), np.uint8)
    img[..., :3] = 100
    img[..., 3] = 255
    img[10:30, 10:30, :3] = 200
    img[10:30, 50:70, :3] = 200
    return img


def test_contiguous_selects_the_clicked_flat_region_only():
    sel = magic_wand(scene(), 15, 15, tolerance=10, antialias=False)
    expected = np.zeros((60, 80), np.uint8)
    expected[10:30, 10:30] = 255
    np.testing.assert_array_equal(sel, expected)


def test_global_selects_every_match():
    sel = magic_wand(scene(), 15, 15, tolerance=10, contiguous=False, antialias=False)
    assert (sel[10:30, 50:70] == 255).all() and sel[40, 40] == 0


def test_tolerance_is_per_channel_and_inclusive():
    img = scene()
    img[10:30, 30:40, :3] = (220, 200, 200)  # red differs by 20
    sel = magic_wand(img, 15, 15, tolerance=20, antialias=False)
    assert (sel[10:30, 30:40] == 255).all()
    sel = magic_wand(img, 15, 15, tolerance=19, antialias=False)
    assert not sel[10:30, 30:40].any()
    assert (sel[10:30, 10:30] == 255).all()


def test_noise_within_tolerance_is_selected_and_beyond_is_not():
    rng = np.random.default_rng(1)
    img = scene()
    noise = rng.integers(-8, 9, size=(20, 20, 3))
    noise[5, 5] = 0  # the seed pixel, (15, 15)
    img[10:30, 10:30, :3] = 200 + noise
    sel = magic_wand(img, 15, 15, tolerance=8, antialias=False)
    assert (sel[10:30, 10:30] == 255).all()
    sel = magic_wand(img, 15, 15, tolerance=5, antialias=False)
    inside = sel[10:30, 10:30] == 255
    within = (np.abs(noise) <= 5).all(axis=2)
    assert not (inside & ~within).any()
    assert sel[0:10].sum() == 0


def test_alpha_takes_part():
    img = scene()
    img[10:30, 10:20, 3] = 0
    sel = magic_wand(img, 25, 15, tolerance=10, antialias=False)
    assert (sel[10:30, 20:30] == 255).all() and not sel[10:30, 10:20].any()


def test_antialias_softens_only_the_edge_and_keeps_the_half_way_line():
    hard = magic_wand(scene(), 15, 15, tolerance=10, antialias=False)
    soft = magic_wand(scene(), 15, 15, tolerance=10, antialias=True)
    assert soft[20, 20] == 255 and soft[45, 45] == 0
    assert 0 < soft[20, 9] < 128 < soft[20, 10] < 255
    np.testing.assert_array_equal(soft >= 128, hard == 255)


def test_rgb_and_grey_images_and_clicks_outside():
    rgb = np.ascontiguousarray(scene()[..., :3])
    assert (magic_wand(rgb, 15, 15, tolerance=10, antialias=False)[10:30, 10:30] == 255).all()
    grey = rgb[..., 0].copy()
    assert (magic_wand(grey, 15, 15, tolerance=10, antialias=False)[10:30, 10:30] == 255).all()
    assert not magic_wand(rgb, -1, 5).any() and not magic_wand(rgb, 80, 5).any()
