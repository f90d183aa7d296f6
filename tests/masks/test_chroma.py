import cv2
import numpy as np
import pytest

from editor.masks.chroma import ChromaKeyParams, chroma_key, cutout, despill, detect_screen
from tests.masks.scenes import mse, sad, screen_scene

HSV_SCREEN = {"green": ((35, 60, 40), (85, 255, 255)), "blue": ((95, 60, 40), (130, 255, 255))}


def hard_hsv_key(image: np.ndarray, key: str) -> np.ndarray:
    """The baseline: a hard HSV threshold around the screen's hue."""
    hsv = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2HSV)
    return 255 - cv2.inRange(hsv, *HSV_SCREEN[key])


# SAD at least this many times lower than the hard HSV key (the 24 MP benchmark asks 3x of green).
SAD_RATIO = {"green": 2.8, "blue": 2.0}


@pytest.mark.parametrize("key", ["green", "blue"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_soft_key_beats_a_hard_hsv_key(key, seed):
    scene = screen_scene(400, 600, seed, key)
    alpha = chroma_key(scene.image, ChromaKeyParams(key=key))
    ours, baseline = sad(alpha, scene.alpha), sad(hard_hsv_key(scene.image, key), scene.alpha)
    assert ours * SAD_RATIO[key] < baseline, (ours, baseline)
    assert mse(alpha, scene.alpha) < 0.0008
    # The matte is clean where the truth is: the screen keyed out, the subject kept.
    assert alpha[scene.alpha == 0].mean() < 1.0
    assert alpha[scene.alpha == 1].mean() > 254.0
    partial = (scene.alpha > 0.1) & (scene.alpha < 0.9)
    assert ((alpha[partial] > 0) & (alpha[partial] < 255)).mean() > 0.6  # soft, not a cut


def test_even_light_keys_the_dark_corners():
    scene = screen_scene(400, 600, 3, "green")
    even = chroma_key(scene.image, ChromaKeyParams(even_light=True))
    flat = chroma_key(scene.image, ChromaKeyParams(even_light=False))
    assert sad(even, scene.alpha) < sad(flat, scene.alpha)


@pytest.mark.parametrize("seed", [0, 4])
def test_clean_snaps_the_noise_veil_without_losing_strands(seed):
    scene = screen_scene(400, 600, seed, "green")
    raw = chroma_key(scene.image, ChromaKeyParams(clean=0.0))
    clean = chroma_key(scene.image, ChromaKeyParams())
    screen, strands = scene.alpha == 0, (scene.alpha > 0.3) & (scene.alpha < 0.7)
    assert raw[screen].mean() > 3.0 and clean[screen].mean() < 0.1  # noise unmixes to a faint veil
    # Screen pixels touching a strand may keep a trace (a few levels): 0.2 % of the screen at most.
    assert (clean[screen] == 0).mean() > 0.998
    assert sad(clean, scene.alpha) * 4 < sad(raw, scene.alpha)
    # Half-covered pixels keep their unmixed alpha: neither snapped to 0 nor to 1.
    assert ((clean[strands] > 0) & (clean[strands] < 255)).mean() > 0.95


def test_default_key_unmixes_a_linear_blend():
    """A grey subject blended over the screen keys to its coverage (no ramp bias), even under noise."""
    rng = np.random.default_rng(0)
    mix = np.linspace(0, 1, 101, dtype=np.float32)
    row = mix[:, None] * 128 + (1 - mix[:, None]) * np.array([40, 175, 75], np.float32)
    pixels = np.repeat(row[None], 64, axis=0) + rng.normal(0, 3, (64, 101, 3))
    alpha = chroma_key(np.clip(pixels + 0.5, 0, 255).astype(np.uint8), ChromaKeyParams(key="#28af4b", even_light=False))
    bias = alpha[:, 15:86].mean(axis=0) / 255 - mix[15:86]
    assert np.abs(bias).max() < 0.02
    assert (alpha[:, :5] == 0).all() and (alpha[:, -5:] == 255).all()


def test_picked_key_colour_matches_the_preset_on_a_clean_screen():
    scene = screen_scene(300, 400, 4, "green")
    backdrop = scene.image[scene.alpha == 0][:, :3].astype(np.float32)
    picked = "#" + "".join(f"{int(c):02x}" for c in np.median(backdrop, axis=0))
    alpha = chroma_key(scene.image, ChromaKeyParams(key=picked, even_light=True))
    assert sad(alpha, scene.alpha) < 1.2 * sad(chroma_key(scene.image, ChromaKeyParams()), scene.alpha)


def test_foreground_colours_without_a_dominant_key_channel_stay_opaque():
    colours = np.array([[(225, 200, 70), (196, 128, 100), (60, 200, 200), (128, 128, 128), (0, 0, 0), (255, 255, 255)]], np.uint8)
    screen = np.full((40, 40, 3), (40, 175, 75), np.uint8)
    screen[:1, :6] = colours  # a few subject pixels on a screen
    alpha = chroma_key(screen, ChromaKeyParams(even_light=False))
    assert (alpha[0, :6] == 255).all()
    assert (alpha[5:, :] == 0).all()


def test_tolerance_and_softness_shape_the_ramp():
    mix = np.linspace(0, 1, 101, dtype=np.float32)  # coverage of a grey subject over the screen
    row = (mix[:, None] * 128 + (1 - mix[:, None]) * np.array([40, 175, 75], np.float32)).astype(np.uint8)
    pixels = np.repeat(row[None], 4, axis=0)
    hard = chroma_key(pixels, ChromaKeyParams(key="#28af4b", tolerance=0.5, softness=0.0, even_light=False))[0]
    soft = chroma_key(pixels, ChromaKeyParams(key="#28af4b", tolerance=0.05, softness=0.9, even_light=False))[0]
    assert set(np.unique(hard)) <= {0, 255}
    assert np.all(np.diff(soft.astype(int)) >= 0)
    assert ((soft > 0) & (soft < 255)).sum() > 60
    # A linear blend keys to roughly its coverage in the middle of the ramp.
    assert abs(int(soft[50]) - 128) < 20


def test_despill_removes_the_key_cast_from_the_foreground():
    scene = screen_scene(400, 600, 5, "green")
    fg = scene.alpha > 0.5
    rgb = scene.image[..., :3].astype(np.int32)
    excess_before = np.maximum(rgb[..., 1] - np.maximum(rgb[..., 0], rgb[..., 2]), 0)
    clean = despill(scene.image, "green").astype(np.int32)
    excess_after = np.maximum(clean[..., 1] - np.maximum(clean[..., 0], clean[..., 2]), 0)
    edge = fg & (scene.alpha < 0.99)  # strands and soft edges, where the screen spills most
    assert excess_before[edge].mean() > 5
    assert excess_after[fg].mean() <= 2 and excess_after.max() == 0
    assert np.array_equal(clean[..., [0, 2, 3]], scene.image[..., [0, 2, 3]])  # only the key channel moves
    soft = despill(scene.image, "green", "average").astype(np.int32)
    assert (soft[..., 1] <= clean[..., 1]).all()


def test_despill_in_place_and_blue():
    pixels = np.array([[[10, 20, 200, 255], [100, 90, 80, 255]]], np.uint8)
    despill(pixels, "blue", out=pixels)
    assert pixels[0, 0].tolist() == [10, 20, 20, 255]
    assert pixels[0, 1].tolist() == [100, 90, 80, 255]


def test_cutout_multiplies_the_layer_alpha():
    pixels = np.full((2, 2, 4), 200, np.uint8)
    pixels[..., 3] = [[255, 128], [0, 255]]
    out = cutout(pixels, np.array([[255, 255], [255, 0]], np.uint8))
    assert out[..., 3].tolist() == [[255, 128], [0, 0]]


def test_bad_parameters_are_refused():
    pixels = np.zeros((8, 8, 3), np.uint8)
    for params in (ChromaKeyParams(key="#808080"), ChromaKeyParams(key="red"), ChromaKeyParams(tolerance=1.5),
                   ChromaKeyParams(clean=0.5),
                   ChromaKeyParams(despill_mode="nope")):
        with pytest.raises(ValueError):
            chroma_key(pixels, params)
    assert ChromaKeyParams.from_dict(ChromaKeyParams(key="blue", despill=True).to_dict()) == ChromaKeyParams(key="blue", despill=True)


@pytest.mark.parametrize("key", ["green", "blue"])
def test_detect_screen_reads_the_backdrop_off_the_picture_border(key):
    for seed in range(3):
        assert detect_screen(screen_scene(200, 300, seed, key).image) == key


def test_detect_screen_falls_back_to_green_without_a_screen():
    grey = np.full((60, 80, 4), 128, np.uint8)
    grey[20:40, 30:50, :3] = (20, 40, 230)  # a blue subject, not a blue backdrop
    assert detect_screen(grey) == "green"


def _reference_key(image: np.ndarray, key: str, clean: float) -> np.ndarray:
    """The key without the hold, written out plainly in numpy: the ramp against the plate's strength
    at every pixel, then the 3x3 snap to 0 / 1 (what the fused kernel computes row by row)."""
    from editor.masks.screen_plate import plate_at, screen_plate

    channel = 1 if key == "green" else 2
    a, b = (c for c in range(3) if c != channel)
    plate = screen_plate(image, channel)
    grid = plate.grid[..., channel] - np.maximum(plate.grid[..., a], plate.grid[..., b])
    grid = np.maximum(grid, max(0.25 * float(np.median(grid)), 1.0))
    flat = plate_at(type(plate)(np.repeat(grid[..., None], 3, axis=2).astype(np.float32), plate.step, plate.noise),
                    image.shape[:2])[..., 0]
    rgb = image[..., :3].astype(np.float32)
    excess = rgb[..., channel] - np.maximum(rgb[..., a], rgb[..., b])
    alpha = np.clip(1.0 - excess / flat, 0.0, 1.0)
    total = cv2.boxFilter(alpha, -1, (3, 3), normalize=False, borderType=cv2.BORDER_REPLICATE)
    alpha = np.where(total < 9 * clean, 0.0, np.where(total > 9 * (1 - clean), 1.0, alpha))
    return (alpha * 255 + 0.5).astype(np.uint8)


@pytest.mark.parametrize("key", ["green", "blue"])
def test_the_fused_key_kernel_agrees_with_the_plain_formula(key):
    """The kernel interpolates the plate's reciprocal strength and sums 3x3 in a ring of rows; it
    must give the plain formula's alpha to a level, bar a few threshold flips (< 0.05 % of pixels)."""
    scene = screen_scene(500, 700, 3, key)
    ours = chroma_key(scene.image, ChromaKeyParams(key=key, hold_core=False))
    diff = np.abs(ours.astype(np.int16) - _reference_key(scene.image, key, 0.1))
    assert np.count_nonzero(diff > 1) <= 0.0005 * diff.size
    assert np.count_nonzero(diff) <= 0.01 * diff.size
    held = chroma_key(scene.image, ChromaKeyParams(key=key))
    assert np.all(held >= ours)  # the hold only ever raises alpha to 255
    assert np.all((held == ours) | (held == 255))
