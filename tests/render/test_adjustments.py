"""Every adjustment's fast path (tables through cv2.LUT, numba kernels) against its float64
reference (adjust_reference.py), on random images and random settings."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from editor.render import adjustments as A

from .adjust_reference import REFERENCES

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _image(seed: int, n: int = 24) -> np.ndarray:
    rng = np.random.default_rng(seed)
    px = rng.integers(0, 256, (n, n, 4), dtype=np.uint8)
    px[0, :8, :3] = [[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0],
                     [128, 128, 128], [0, 255, 255]]
    return px


def _check(name: str, params: dict, seed: int, *, near_jumps: bool = False) -> None:
    px = _image(seed)
    fast = px.copy()
    A.apply(name, params, fast)
    assert np.array_equal(fast[..., 3], px[..., 3]), "alpha must be left alone"
    settings_ = A.spec(name).normalise(params)
    rgb = px[..., :3].reshape(-1, 3).astype(np.float64) / 255
    ref = REFERENCES[name](rgb, settings_)
    expected = np.clip(np.floor(ref * 255 + 0.5), 0, 255).reshape(px.shape[0], px.shape[1], 3)
    diff = np.abs(fast[..., :3].astype(int) - expected)
    if near_jumps:
        # Where the model itself jumps (a range at full weight and lightness +-100 makes a grey that a
        # saturation raise leaves grey; a hair less weight leaves a trace of chroma it blows up), float32
        # and float64 may land on either side. So the fast value may also be what the reference gives
        # for the input with one channel nudged by a quarter level: it must lie within their span.
        lo, hi = ref.copy(), ref.copy()
        for channel in range(3):
            for nudge in (-0.25 / 255, 0.25 / 255):
                nudged = rgb.copy()
                nudged[:, channel] = np.clip(nudged[:, channel] + nudge, 0, 1)
                moved = REFERENCES[name](nudged, settings_)
                lo, hi = np.minimum(lo, moved), np.maximum(hi, moved)
        shape = (px.shape[0], px.shape[1], 3)
        below = np.clip(np.floor(lo * 255 + 0.5), 0, 255).reshape(shape) - fast[..., :3]
        above = fast[..., :3] - np.clip(np.floor(hi * 255 + 0.5), 0, 255).reshape(shape)
        diff = np.maximum(0, np.maximum(below, above))
    worst = np.unravel_index(np.argmax(diff), diff.shape)
    assert diff.max() <= 1, f"{name} {params}: off by {diff.max()} at {worst}, input {px[worst[:2]]}"


def test_every_adjustment_has_a_reference():
    assert {s.name for s in A.adjustments()} == set(REFERENCES)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_defaults(name):
    _check(name, {}, 0)


@pytest.mark.parametrize("name", sorted(n for n in REFERENCES if n not in ("invert", "posterize", "threshold",
                                                                             "gradient_map", "black_white",
                                                                             "photo_filter")))
def test_defaults_change_nothing(name):
    px = _image(1)
    out = px.copy()
    A.apply(name, {}, out)
    assert np.abs(out.astype(int) - px).max() <= 1


level = st.fixed_dictionaries({
    "in_black": st.integers(0, 120), "in_white": st.integers(130, 255), "gamma": st.floats(0.1, 9.99),
    "out_black": st.integers(0, 255), "out_white": st.integers(0, 255)})


@SETTINGS
@given(st.fixed_dictionaries({c: level for c in ("master", "red", "green", "blue")}), st.integers(0, 99))
def test_levels(params, seed):
    _check("levels", params, seed)


def test_levels_gamma_above_one_has_photoshops_toe_near_black():
    # SethRobinson/Patchy docs/high-bit-depth.md: below t = 2^(-g - 1/(g-1)) a cubic Hermite toe
    # leaves black at slope 2^g and meets the power at t; at gamma 2, t = 1/8 (input 31.9)
    flat = {"in_black": 0, "in_white": 255, "gamma": 1.0, "out_black": 0, "out_white": 255}
    params = {"master": dict(flat, gamma=2.0), "red": flat, "green": flat, "blue": flat}
    table = A.levels.lut(params)[0]
    assert (table[0], table[1], table[4], table[8], table[16], table[24]) == (0, 4, 16, 30, 56, 76)  # power: 16, 32, 45, 64, 78
    assert all(table[x] == round(255 * (x / 255) ** 0.5) for x in (32, 64, 200, 255))  # from t on, the power
    params["master"]["gamma"] = 0.5  # below 1 the plain power
    assert A.levels.lut(params)[0][16] == round(255 * (16 / 255) ** 2)


points = st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)), min_size=2, max_size=6,
                  unique_by=lambda p: p[0]).map(sorted)


@SETTINGS
@given(st.fixed_dictionaries({c: points for c in ("master", "red", "green", "blue")}), st.integers(0, 99))
def test_curves(params, seed):
    _check("curves", params, seed)


def test_curve_passes_through_its_points_and_is_flat_beyond_them():
    table = A.curves.curve_table([[30, 10], [100, 160], [200, 220]])
    assert table[30] == 10 and table[100] == 160 and table[200] == 220
    assert (table[:30] == 10).all() and (table[200:] == 220).all()


@SETTINGS
@given(st.integers(2, 255), st.integers(1, 255), st.integers(0, 99))
def test_posterize_threshold(levels, level, seed):
    _check("posterize", {"levels": levels}, seed)
    _check("threshold", {"level": level}, seed)


@SETTINGS
@given(st.floats(-5, 5), st.floats(-0.5, 0.5), st.floats(0.1, 9.99), st.integers(0, 99))
def test_exposure(exposure, offset, gamma, seed):
    _check("exposure", {"exposure": exposure, "offset": offset, "gamma": gamma}, seed)


@SETTINGS
@given(st.integers(-150, 150), st.integers(-100, 100), st.booleans(), st.integers(0, 99))
def test_brightness_contrast(b, c, legacy, seed):
    _check("brightness_contrast", {"brightness": b, "contrast": c, "legacy": legacy}, seed)


def test_posterize_truncates_its_steps():
    # SethRobinson/Patchy docs/adjustments-calibration.md: 3 levels give 0, 127, 255 (not 128)
    assert sorted(set(A.posterize.lut({"levels": 3})[0].tolist())) == [0, 127, 255]
    assert sorted(set(A.posterize.lut({"levels": 7})[0].tolist())) == [255 * k // 6 for k in range(7)]


def test_legacy_brightness_contrast_in_photoshops_order():
    # SethRobinson/Patchy docs/adjustments-calibration.md: negative contrast compresses, then adds
    # the brightness; positive contrast takes it in its input; 100 thresholds v + b at 127
    table = A.brightness_contrast.lut({"brightness": 50, "contrast": -50, "legacy": True})[0]
    assert table[0] == 64 + 50 and table[255] == 191 + 50 and table[100] == round((100 - 127.5) / 2 + 127.5) + 50
    table = A.brightness_contrast.lut({"brightness": 20, "contrast": 20, "legacy": True})[0]
    assert table[100] == round((100 + 20 - 127.5) * 1.25 + 127.5)
    table = A.brightness_contrast.lut({"brightness": 10, "contrast": 100, "legacy": True})[0]
    assert table[116] == 0 and table[117] == 255


def test_curves_round_the_channel_table_before_the_master():
    # SethRobinson/Patchy docs/adjustments-calibration.md: each curve is a byte table, the channel's
    # first, then Composite. Red halves its input (1 gives 0.498, a byte 0); a master rising to white
    # by 10 then maps 0 to 0 (composed in float it read 0.498 x 25.5 = 12.7: 13).
    table = A.curves.lut({"master": [[0, 0], [10, 255]], "red": [[0, 0], [255, 127]],
                          "green": [[0, 0], [255, 255]], "blue": [[0, 0], [255, 255]]})
    assert table[0, 1] == 0 and table[0, 3] == A.curves.curve_table([[0, 0], [10, 255]])[1]


def test_current_brightness_contrast_as_photoshop():
    # SethRobinson/Patchy docs/adjustments-calibration.md "Modern Brightness/Contrast": brightness is
    # the gain 2^(b/110) up to output 1/2 (50 at +55 gives 50 sqrt(2) = 70.7), a negative one its
    # inverse; contrast 100 is 1.52 u^2 + 0.24 u below 1/2 (64 gives 39.8), mirrored above
    def table(b, c):
        return A.brightness_contrast.lut({"brightness": b, "contrast": c, "legacy": False})[0]
    assert table(55, 0)[50] == 71 and table(-55, 0)[71] == 50
    assert table(0, 100)[64] == 40 and table(0, 100)[191] == 215
    assert table(0, 0).tolist() == list(range(256))
    assert table(100, 0)[255] == 255 and table(100, 0)[64] == round(64 * 2 ** (100 / 110))
    # above 100 the curve is f_(b - 100) after f_100: 20 goes to 20 * 2^(150/110) = 51.4
    assert table(150, 0)[20] == 51


settings3 = st.fixed_dictionaries({"hue": st.integers(-180, 180), "saturation": st.integers(-100, 100),
                                   "lightness": st.integers(-100, 100)})


@SETTINGS
@given(settings3, st.sampled_from(A.hue_saturation.RANGES), settings3, st.booleans(), st.integers(0, 99))
# A range's lightness +100 makes a grey that the master's +100 saturation must leave grey
# (a float32 residue of chroma there was blown up to 6 levels).
@example({"hue": 0, "saturation": 100, "lightness": 1}, "reds", {"hue": 0, "saturation": 0, "lightness": 100}, False, 0)
# (207, 163, 31) has a hue of exactly 45 degrees, where Yellows reaches full weight; after the master's
# -1 lightness float32 puts it a hair below, where the range's +100 saturation blows up what is left.
@example({"hue": 0, "saturation": 0, "lightness": -1}, "yellows", {"hue": 0, "saturation": 100, "lightness": 100},
         False, 98)
def test_hue_saturation(master, name, rng_settings, colorize, seed):
    params = {"master": master, name: rng_settings,
              "colorize": {"on": colorize, "hue": 200, "saturation": 40, "lightness": master["lightness"]}}
    _check("hue_saturation", params, seed, near_jumps=True)


def test_hue_saturation_range_falloff_is_photoshops():
    weight = A.hue_saturation.range_weight_deg
    reds = (315, 345, 15, 45)
    assert weight(0, *reds) == 1 and weight(15, *reds) == 1 and weight(345, *reds) == 1
    assert weight(330, *reds) == pytest.approx(0.5) and weight(30, *reds) == pytest.approx(0.5)
    assert weight(90, *reds) == 0 and weight(300, *reds) == 0


@SETTINGS
@given(st.lists(st.tuples(st.lists(st.integers(0, 359), min_size=4, max_size=4), st.integers(0, 359), settings3),
                min_size=1, max_size=6),
       st.lists(st.floats(0, 359.999), min_size=20, max_size=20))
@example([([10, 10, 40, 40], 0, {"hue": 30, "saturation": -50, "lightness": 20})], [10.0, 9.999, 40.0, 40.001, 25.5])
@example([([0, 30, 60, 90], 300, {"hue": 0, "saturation": 60, "lightness": 0})], [300.0, 359.5, 0.0, 0.5, 29.999])
def test_hue_saturation_range_table_is_the_weighed_sum(ranges, hues):
    # The per-degree table the kernel reads must give each hue what weighing every range gives, even
    # where a slider pair meets (a step) and where a range wraps past 360.
    hs = A.hue_saturation
    params = {"master": {"hue": 0, "saturation": 0, "lightness": 0}}
    for name, (angles, turn, chosen) in zip(hs.RANGES, ranges, strict=False):
        params[name] = {**chosen, "range": [(v + turn) % 360 for v in sorted(angles)]}
    packed = hs.pack(hs.SPEC.normalise(params))
    for hue in hues + [float(v) for i in range(len(ranges)) for v in packed[7 + 7 * i: 11 + 7 * i]]:
        want = np.zeros(3)
        for i in range(6):
            a, b, c, d, h, s, l_ = packed[7 + 7 * i: 14 + 7 * i]
            want += hs.range_weight_deg(hue, a, b, c, d) * np.array([h, hs.saturation_scale(s) - 1, l_])
        got = hs._ranges_at(packed, hue) if len(packed) > hs.N_PARAMS else (0.0, 0.0, 0.0)
        assert np.allclose(got, want, atol=1e-9), (hue, got, want)


def _hue_sat(params, rgb):
    px = np.array([[list(rgb) + [255]]], np.uint8)
    A.apply("hue_saturation", params, px)
    return px[0, 0, :3].astype(int)


def _range(name, saturation):
    return {"hue": 0, "saturation": saturation, "lightness": 0,
            "range": A.hue_saturation.DEFAULT_RANGES[A.hue_saturation.RANGES.index(name)]}


def test_hue_saturation_scales_saturation_once_as_photoshop():
    # SethRobinson/Patchy docs/adjustments-calibration.md "Per-hue-range bands": each range adds
    # w (factor - 1) to 1, which multiplies the master's factor, in one step limited at full saturation.
    # (230, 30, 30): lightness 130, half chroma 100. Master +40 (x 5/3) with Reds -60 (x 0.4) is x 2/3
    # once: half chroma 66.7 (clamping the raise first at 125, then cutting, gave 50: (180, 80, 80)).
    got = _hue_sat({"master": {"hue": 0, "saturation": 40, "lightness": 0}, "reds": _range("reds", -60)},
                   (230, 30, 30))
    assert np.abs(got - [197, 63, 63]).max() <= 1, got
    # (165, 150, 135) has hue 30: Reds and Yellows weigh 1/2 each. "Weight 0.5 at +50 measures ratio 1.5":
    got = _hue_sat({"reds": _range("reds", 50)}, (165, 150, 135))
    assert np.abs(got - [172.5, 150, 127.5]).max() <= 1, got
    # two half-weighted +60 ranges sum to the full range's x 2.5: half chroma 15 becomes 37.5
    got = _hue_sat({"reds": _range("reds", 60), "yellows": _range("yellows", 60)}, (165, 150, 135))
    assert np.abs(got - [187.5, 150, 112.5]).max() <= 1, got


def test_hue_saturation_full_raise_is_128_times():
    # Ibid., "Hue/Saturation master": +100 is x 128, not unbounded: a midtone of chroma 1 ends half saturated
    got = _hue_sat({"master": {"hue": 0, "saturation": 100, "lightness": 0}}, (128, 127, 127))
    assert np.abs(got - [191.5, 63.5, 63.5]).max() <= 1, got
    assert A.hue_saturation.saturation_scale(100) == 128 and A.hue_saturation.saturation_scale(50) == 2


tones = st.lists(st.integers(-100, 100), min_size=3, max_size=3)


@SETTINGS
@given(tones, tones, tones, st.booleans(), st.integers(0, 99))
def test_color_balance(shadows, midtones, highlights, preserve, seed):
    _check("color_balance", {"shadows": shadows, "midtones": midtones, "highlights": highlights,
                             "preserve_luminosity": preserve}, seed)


@SETTINGS
@given(st.lists(st.integers(-200, 300), min_size=6, max_size=6), st.booleans(), st.integers(0, 99))
def test_black_white(weights, tint, seed):
    params = dict(zip(("reds", "yellows", "greens", "cyans", "blues", "magentas"), weights, strict=True))
    _check("black_white", dict(params, tint=tint, tint_color=[200, 150, 90]), seed)


def test_black_white_defaults_on_primaries():
    px = np.array([[[255, 0, 0, 255], [255, 255, 0, 255], [0, 0, 255, 255], [90, 90, 90, 255]]], np.uint8)
    A.apply("black_white", {}, px)
    assert px[0, :, 0].tolist() == [102, 153, 51, 90]


@SETTINGS
@given(st.integers(-100, 100), st.integers(-100, 100), st.integers(0, 99))
def test_vibrance(v, s, seed):
    _check("vibrance", {"vibrance": v, "saturation": s}, seed)


mix = st.fixed_dictionaries({s: st.integers(-200, 200) for s in ("red", "green", "blue", "constant")})


@SETTINGS
@given(mix, mix, mix, mix, st.booleans(), st.integers(0, 99))
def test_channel_mixer(red, green, blue, gray, monochrome, seed):
    _check("channel_mixer", {"red": red, "green": green, "blue": blue, "gray": gray, "monochrome": monochrome}, seed)


def test_channel_mixer_swaps_channels():
    px = np.array([[[200, 50, 10, 255]]], np.uint8)
    A.apply("channel_mixer", {"red": {"red": 0, "blue": 100}, "blue": {"red": 100, "blue": 0}}, px)
    assert px[0, 0].tolist() == [10, 50, 200, 255]


inks = st.fixed_dictionaries({ink: st.integers(-100, 100) for ink in ("cyan", "magenta", "yellow", "black")})


@SETTINGS
@given(st.lists(inks, min_size=9, max_size=9), st.sampled_from(["relative", "absolute"]), st.integers(0, 99))
def test_selective_color(classes, method, seed):
    names = ("reds", "yellows", "greens", "cyans", "blues", "magentas", "whites", "neutrals", "blacks")
    _check("selective_color", {"method": method, **dict(zip(names, classes, strict=True))}, seed)


def test_selective_color_as_photoshop_describes_it():
    """Reds +100 % cyan (absolute) takes pure red's red away; Relative leaves it (pure red holds
    no cyan ink to scale); whites -100 % black leaves white alone; neutrals +100 % black
    darkens a mid grey and not black or white."""
    px = np.array([[[255, 0, 0, 255], [255, 255, 255, 255], [128, 128, 128, 255], [0, 0, 0, 255]]], np.uint8)
    out = px.copy()
    A.apply("selective_color", {"method": "absolute", "reds": {"cyan": 100}}, out)
    assert out[0, 0, :3].tolist() == [0, 0, 0] and np.array_equal(out[0, 1:], px[0, 1:])
    out = px.copy()
    A.apply("selective_color", {"method": "relative", "reds": {"cyan": 100}}, out)
    assert np.array_equal(out, px)
    out = px.copy()
    A.apply("selective_color", {"neutrals": {"black": 100}}, out)
    assert out[0, 2, 0] < 40 and out[0, 1, :3].tolist() == [255, 255, 255] and out[0, 3, :3].tolist() == [0, 0, 0]


@SETTINGS
@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(list), st.integers(0, 100),
       st.booleans(), st.integers(0, 99))
def test_photo_filter(color, density, preserve, seed):
    _check("photo_filter", {"color": color, "density": density, "preserve_luminosity": preserve}, seed)


def test_photo_filter_is_a_multiply_at_full_density_and_keeps_luminosity_when_asked():
    px = np.array([[[200, 100, 50, 255], [90, 90, 90, 255]]], np.uint8)
    out = px.copy()
    A.apply("photo_filter", {"color": [255, 128, 0], "density": 100, "preserve_luminosity": False}, out)
    assert out[0, 0, :3].tolist() == [200, 50, 0] and out[0, 1, :3].tolist() == [90, 45, 0]
    out = px.copy()
    A.apply("photo_filter", {"color": [255, 128, 0], "density": 60, "preserve_luminosity": True}, out)
    lum = lambda c: 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2]  # noqa: E731
    assert abs(lum(out[0, 1, :3].astype(float)) - 90) <= 1 and out[0, 1, 0] > out[0, 1, 2] + 40  # warmed


@st.composite
def lookup_tables(draw):
    n = draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return {"size": n, "rgb": rng.integers(0, 256, n ** 3 * 3).tolist()}


@SETTINGS
@given(lookup_tables(), st.integers(0, 99))
def test_color_lookup(table, seed):
    _check("color_lookup", {"table": table}, seed)


def test_color_lookup_table_swapping_red_and_blue():
    swap = {"size": 2, "rgb": [v for r in (0, 255) for g in (0, 255) for b in (0, 255) for v in (b, g, r)]}
    px = np.array([[[200, 50, 10, 255], [0, 128, 255, 255]]], np.uint8)
    A.apply("color_lookup", {"table": swap}, px)
    assert px[0, :, :3].tolist() == [[10, 50, 200], [255, 128, 0]]


stops = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
                 min_size=1, max_size=5).map(lambda s: sorted([list(t) for t in s]))


@SETTINGS
@given(stops, st.booleans(), st.integers(0, 99))
@example([[0.0, 0, 0, 0], [0.4, 0, 0, 0], [0.4, 0, 0, 2], [1.0, 0, 0, 0]], False, 0)  # (207, 58, 53): luminosity 102, on the edge
def test_gradient_map(gradient, reverse, seed):
    _check("gradient_map", {"gradient": gradient, "reverse": reverse}, seed)


def test_schema_normalises_and_clamps():
    s = A.spec("levels")
    p = s.normalise({"master": {"gamma": 50, "in_black": -4}})
    assert p["master"]["gamma"] == 9.99 and p["master"]["in_black"] == 0 and p["red"] == s.defaults()["red"]
    assert A.spec("curves").normalise({"master": [[10, 300], [0, 0], [10, 5]]})["master"] == [[0, 0], [10, 5]]
    with pytest.raises(ValueError):
        A.spec("no such thing")
