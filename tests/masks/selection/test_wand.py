import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.masks.selection import wand
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


def reference_wand(img, x, y, tolerance, contiguous, antialias):
    """The wand written plainly: per-channel test, scipy's 4-connected labels, a padded [1 2 1] blur."""
    from scipy import ndimage

    match = (np.abs(img.astype(np.int16) - img[y, x].astype(np.int16)) <= tolerance).all(axis=2)
    if contiguous:
        labels, _ = ndimage.label(match)
        match = labels == labels[y, x]
    region = match.astype(np.int32) * 255
    if not antialias:
        return region.astype(np.uint8)
    p = np.pad(region, 1, mode="edge")
    column = p[:-2] + 2 * p[1:-1] + p[2:]
    total = column[:, :-2] + 2 * column[:, 1:-1] + column[:, 2:]
    return ((total + 8) >> 4).astype(np.uint8)


def palette_image(rng, h, w, colours, block):
    """Blocks of a few colours with a little noise: regions of every shape, runs of every length."""
    palette = rng.integers(0, 256, (colours, 4))
    coarse = rng.integers(0, colours, (-(-h // block), -(-w // block)))
    img = palette[np.kron(coarse, np.ones((block, block), int))[:h, :w]]
    return np.clip(img + rng.integers(-3, 4, img.shape), 0, 255).astype(np.uint8)


@given(seed=st.integers(0, 2**32 - 1), h=st.integers(1, 40), w=st.integers(1, 300),
       colours=st.integers(2, 4), block=st.integers(1, 9), tolerance=st.integers(0, 40),
       contiguous=st.booleans(), antialias=st.booleans())
@settings(max_examples=150, deadline=None)
def test_matches_the_plain_reference(seed, h, w, colours, block, tolerance, contiguous, antialias):
    rng = np.random.default_rng(seed)
    img = palette_image(rng, h, w, colours, block)
    x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
    np.testing.assert_array_equal(
        magic_wand(img, x, y, tolerance=tolerance, contiguous=contiguous, antialias=antialias),
        reference_wand(img, x, y, tolerance, contiguous, antialias))


def test_busy_images_take_the_pixel_flood_and_agree():
    """Stripes one pixel wide give 100 runs a row on a 200-wide image, past the run path's room."""
    img = np.zeros((30, 200, 4), np.uint8)
    img[:, ::2] = 255
    img[0] = 255  # joins every stripe: one comb-shaped region
    packed = wand._packed_rgba(img)
    assert wand._connected_runs(packed, 0, 0, np.uint32(0xFFFFFFFF), np.uint32(0xFFFFFFFF), True) is None
    for contiguous in (True, False):
        for antialias in (True, False):
            np.testing.assert_array_equal(magic_wand(img, 0, 0, tolerance=10, contiguous=contiguous, antialias=antialias),
                                          reference_wand(img, 0, 0, 10, contiguous, antialias))


def test_a_region_winding_up_and_down_is_found_whole():
    """A spiral needs the flood to go back up rows it has left: the run search must not be one-way."""
    img = np.zeros((41, 41, 4), np.uint8)
    img[..., 3] = 255
    wall = np.zeros((41, 41), bool)
    for k in range(0, 20, 4):  # concentric square walls with alternating gaps
        wall[k, k:41 - k] = wall[40 - k, k:41 - k] = wall[k:41 - k, k] = wall[k:41 - k, 40 - k] = True
        gap = k + 2
        if (k // 4) % 2:
            wall[k, gap] = False
        else:
            wall[40 - k, 40 - gap] = False
    img[wall, :3] = 255
    sel = magic_wand(img, 20, 20, tolerance=0, antialias=False)
    np.testing.assert_array_equal(sel, reference_wand(img, 20, 20, 0, True, False))
    assert (sel == 255).sum() == (~wall).sum()
