"""Float64 references for the adjustments, written from their definitions (Photoshop's where
Adobe publishes them; see each module's docstring where it does not), separately from the
fast paths: per pixel, plain Python/numpy, no tables, no numba.

Each takes straight RGB in 0..1 as an (n, 3) float64 array and the normalised params and
returns (n, 3) float64 in 0..1.
"""

from __future__ import annotations

import colorsys
import math

import numpy as np


def _each(rgb, fn):
    return np.array([fn(*p) for p in rgb], np.float64).reshape(rgb.shape)


def _levels_gamma(v, g):
    """Photoshop's Levels gamma (SethRobinson/Patchy docs/high-bit-depth.md): v^(1/g), and for
    g > 1 below t = 2^(-g - 1/(g-1)) the cubic through (0, 0) at slope 2^g meeting the power
    at t in value and slope, solved here as a cubic a s^3 + b s^2 + c s on s = v / t."""
    if g <= 1:
        return v ** (1 / g)
    t = 2.0 ** (-g - 1 / (g - 1))
    if v >= t or t <= 0:
        return v ** (1 / g)
    c = 2.0 ** g * t  # d/ds at 0
    value, slope = t ** (1 / g), (1 / g) * t ** (1 / g - 1) * t  # at s = 1
    # a + b + c = value, 3a + 2b + c = slope
    a = slope - c - 2 * (value - c)
    b = value - c - a
    s = v / t
    return a * s ** 3 + b * s ** 2 + c * s


def _levels_channel(x, ch):
    lo, hi = ch["in_black"] / 255, ch["in_white"] / 255
    v = min(1.0, max(0.0, (x - lo) / (hi - lo)))
    v = _levels_gamma(v, ch["gamma"])
    return ch["out_black"] / 255 + v * (ch["out_white"] - ch["out_black"]) / 255


def _byte(v):
    return min(255, max(0, math.floor(v * 255 + 0.5)))


def _luminosity(r, g, b):
    """Photoshop's luminosity of 8-bit channels, 0.30 R + 0.59 G + 0.11 B, rounded half up
    (exactly, in integers)."""
    r, g, b = (round(c * 255) for c in (r, g, b))
    return (30 * r + 59 * g + 11 * b + 50) // 100


def levels(rgb, p):
    # The channel's levels, then the master's.
    def px(r, g, b):
        out = []
        for x, name in zip((r, g, b), ("red", "green", "blue"), strict=True):
            y = min(1.0, max(0.0, _levels_channel(x, p[name])))
            out.append(_levels_channel(y, p["master"]))
        return out
    return _each(rgb, px)


def natural_spline(points):
    """The natural cubic spline through points as a function: solve for the second derivatives
    with a dense linear system (not the fast path's tridiagonal sweep)."""
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    n = len(xs)
    m = [0.0] * n
    if n >= 3:
        a = np.zeros((n, n))
        rhs = np.zeros(n)
        a[0, 0] = a[n - 1, n - 1] = 1
        for i in range(1, n - 1):
            h0, h1 = xs[i] - xs[i - 1], xs[i + 1] - xs[i]
            a[i, i - 1], a[i, i], a[i, i + 1] = h0 / 6, (h0 + h1) / 3, h1 / 6
            rhs[i] = (ys[i + 1] - ys[i]) / h1 - (ys[i] - ys[i - 1]) / h0
        m = list(np.linalg.solve(a, rhs))

    def f(x):
        if x <= xs[0]:
            return ys[0]
        if x >= xs[-1]:
            return ys[-1]
        i = max(k for k in range(n - 1) if xs[k] <= x)
        h = xs[i + 1] - xs[i]
        a_, b_ = (xs[i + 1] - x) / h, (x - xs[i]) / h
        return a_ * ys[i] + b_ * ys[i + 1] + ((a_ ** 3 - a_) * m[i] + (b_ ** 3 - b_) * m[i + 1]) * h * h / 6
    return f


def curves(rgb, p):
    master = natural_spline(p["master"])
    fns = [natural_spline(p[c]) for c in ("red", "green", "blue")]

    def px(*c):
        out = []
        for x, fn in zip(c, fns, strict=True):
            # the channel's curve rounded to a byte, then the master's (SethRobinson/Patchy
            # docs/adjustments-calibration.md: component tables first, then Composite)
            y = math.floor(min(255.0, max(0.0, fn(x * 255))) + 0.5)
            out.append(min(255.0, max(0.0, master(y))) / 255)
        return out
    return _each(rgb, px)


def invert(rgb, p):
    return 1 - rgb


def posterize(rgb, p):
    n = p["levels"]  # Photoshop's equal bins of the 256 input values
    return np.floor(np.floor(np.round(rgb * 255) * n / 256) * 255 / (n - 1)) / 255  # the step truncated


def threshold(rgb, p):
    def px(r, g, b):
        lum = _luminosity(r, g, b)
        v = 1.0 if lum >= p["level"] else 0.0
        return [v, v, v]
    return _each(rgb, px)


def exposure(rgb, p):
    # Linear light by a 2.2 power (Photoshop's for 8-bit RGB), exposure and offset, gamma, back.
    def ch(x):
        linear = min(1.0, max(0.0, x ** 2.2 * 2 ** p["exposure"] + p["offset"]))
        return (linear ** (1 / p["gamma"])) ** (1 / 2.2)
    return _each(rgb, lambda *c: [ch(x) for x in c])


def brightness_contrast(rgb, p):
    b, c = p["brightness"], p["contrast"]
    if p["legacy"]:
        b = min(100, max(-100, b))

        def ch(x):  # Photoshop's hybrid order (SethRobinson/Patchy docs/adjustments-calibration.md)
            v = round(x * 255)
            if c == 100:
                return 1.0 if v + b >= 127 else 0.0
            if c > 0:
                return ((v + b - 127.5) * 100 / (100 - c) + 127.5) / 255
            return (math.floor((v - 127.5) * (100 + c) / 100 + 127.5 + 0.5) + b) / 255
    else:
        def ch(x):
            return _bc_contrast(_bc_brightness(x, b), max(-50, c))
    return np.clip(_each(rgb, lambda *v: [ch(x) for x in v]), 0, 1)


def _bc_gain(u, b):
    """Current Brightness 0 < b <= 100 (SethRobinson/Patchy docs/adjustments-calibration.md):
    sigma u up to 1/2, then the cubic a s^3 + b s^2 + c s + 1/2 on s = (u - knee) / (1 - knee)
    with the slopes sigma and tau at its ends and the value 1 at s = 1, capped at 1."""
    sigma = 2 ** (b / 110)
    tau = max(0.1, 1 / (1 + 12 * (sigma - 1)))
    knee = 0.5 / sigma
    if u <= knee:
        return sigma * u
    span = 1 - knee
    c1, c2 = sigma * span, tau * span  # d/ds at s = 0 and s = 1
    # a + b2 + c1 = 1/2 (rise), 3a + 2 b2 + c1 = c2
    a = c2 + c1 - 1
    b2 = 0.5 - c1 - a
    s = (u - knee) / span
    return min(1.0, a * s ** 3 + b2 * s ** 2 + c1 * s + 0.5)


def _bc_brightness(u, b):
    if b == 0:
        return u
    if b > 0:
        return _bc_gain(u, b) if b <= 100 else _bc_brightness(_bc_gain(u, 100), b - 100)
    lo, hi = 0.0, 1.0  # the inverse of the brightening by -b
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _bc_brightness(mid, -b) < u else (lo, mid)
    return (lo + hi) / 2


def _bc_contrast(u, c):
    beta = 1 - 0.0076 * c
    if u > 0.5:
        return 1 - _bc_contrast(1 - u, c)
    return (2 - 2 * beta) * u * u + beta * u


def gradient_map(rgb, p):
    stops = p["gradient"]

    def colour(t):
        if p["reverse"]:
            t = 1 - t
        if t <= stops[0][0]:
            return [c / 255 for c in stops[0][1:4]]
        if t >= stops[-1][0]:  # the last stop holds from its position on, even where stops coincide
            return [c / 255 for c in stops[-1][1:4]]
        for s0, s1 in zip(stops, stops[1:], strict=False):
            if s0[0] <= t < s1[0]:  # on a hard edge (two stops at t) the later stop holds, as at the last
                f = (t - s0[0]) / (s1[0] - s0[0])
                return [(a + (b_ - a) * f) / 255 for a, b_ in zip(s0[1:4], s1[1:4], strict=True)]
        return [c / 255 for c in stops[-1][1:4]]

    def px(r, g, b):
        lum = _luminosity(r, g, b)
        return [_byte(c) / 255 for c in colour(lum / 255)]
    return _each(rgb, px)


def _weight(hue, rng):
    """A colour range's weight at `hue` degrees: 1 on [b, c], linear ramps a..b and c..d,
    measured around the circle from a."""
    a, b, c, d = rng
    t = (hue - a) % 360
    b, c, d = (b - a) % 360, (c - a) % 360, (d - a) % 360
    if t > d:
        return 0.0
    if t < b:
        return t / b if b else 1.0
    if t <= c:
        return 1.0
    return (d - t) / (d - c) if d > c else 1.0


def _saturation_factor(sat):
    """Hue/Saturation's factor on the HSL saturation; +100 gives 128 (SethRobinson/Patchy
    docs/adjustments-calibration.md: a midtone of chroma 1 comes out half saturated)."""
    return 1 + sat / 100 if sat <= 0 else min(128.0, 1 / max(1e-6, 1 - sat / 100))


def _hsl_step(rgb, hue, sat, light, factor=None):
    r, g, b = rgb
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    if hue or sat or factor is not None:
        h = (h + hue / 360) % 1.0
        s = min(1.0, max(0.0, s * (_saturation_factor(sat) if factor is None else factor)))
        r, g, b = colorsys.hls_to_rgb(h, lum, s)
    L = light / 100
    if L > 0:
        return [v + (1 - v) * L for v in (r, g, b)]
    return [v * (1 + L) for v in (r, g, b)]


RANGES = ("reds", "yellows", "greens", "cyans", "blues", "magentas")


def hue_saturation(rgb, p):
    def px(r, g, b):
        if p["colorize"]["on"]:
            _, lum, _ = colorsys.rgb_to_hls(r, g, b)
            lum = _hsl_step((lum, lum, lum), 0, 0, p["colorize"]["lightness"])[0]  # lightness first
            return list(colorsys.hls_to_rgb(p["colorize"]["hue"] / 360, lum, p["colorize"]["saturation"] / 100))
        # SethRobinson/Patchy docs/adjustments-calibration.md "Per-hue-range bands": the ranges weigh
        # by the original hue; their lightness first, then the master's; their hue turns add to the
        # master's; each adds w (factor - 1) to 1, which multiplies the master's factor.
        h, _, s = colorsys.rgb_to_hls(r, g, b)
        dh = dl = 0.0
        extra = 1.0
        if s > 0:
            for name in RANGES:
                w = _weight(h * 360, p[name]["range"])
                dh += w * p[name]["hue"]
                extra += w * (_saturation_factor(p[name]["saturation"]) - 1)
                dl += w * p[name]["lightness"]
        dl = min(1.0, max(-1.0, dl / 100))
        lo, hi = min(r, g, b), max(r, g, b)  # the ranges' lightness: toward the pixel's smallest or largest
        col = [c + dl * (c - lo) if dl < 0 else c + dl * (hi - c) for c in (r, g, b)]
        col = _hsl_step(col, 0, 0, p["master"]["lightness"])
        factor = _saturation_factor(p["master"]["saturation"]) * max(0.0, extra)
        return _hsl_step(col, p["master"]["hue"] + dh, 0, 0, factor)
    return _each(rgb, px)


def color_balance(rgb, p):
    def mask(light):
        a, b, scale = 0.25, 0.333, 0.7

        def cl(v):
            return min(1.0, max(0.0, v))
        return (cl((light - b) / -a + 0.5) * scale,
                cl((light - b) / a + 0.5) * cl((light + b - 1) / -a + 0.5) * scale,
                cl((light + b - 1) / a + 0.5) * scale)

    def px(r, g, b):
        _, light, _ = colorsys.rgb_to_hls(r, g, b)
        ws = mask(light)
        out = []
        for i, v in enumerate((r, g, b)):
            for w, tone in zip(ws, ("shadows", "midtones", "highlights"), strict=True):
                v += w * p[tone][i] / 100
            out.append(min(1.0, max(0.0, v)))
        if p["preserve_luminosity"]:
            h, _, s = colorsys.rgb_to_hls(*out)
            out = list(colorsys.hls_to_rgb(h, light, s))
        return out
    return _each(rgb, px)


def black_white(rgb, p):
    weights = {"r": p["reds"], "y": p["yellows"], "g": p["greens"], "c": p["cyans"], "b": p["blues"],
               "m": p["magentas"]}
    secondary = {frozenset("rg"): "y", frozenset("gb"): "c", frozenset("rb"): "m"}

    def px(r, g, b):
        chans = sorted(zip((r, g, b), "rgb", strict=True), key=lambda t: (-t[0], "rgb".index(t[1])))
        (hi, hn), (mid, mn), (lo, _) = chans
        grey = lo + (mid - lo) * weights[secondary[frozenset(hn + mn)]] / 100 + (hi - mid) * weights[hn] / 100
        grey = min(1.0, max(0.0, grey))
        if p["tint"]:
            h, _, s = colorsys.rgb_to_hls(*(c / 255 for c in p["tint_color"]))
            return list(colorsys.hls_to_rgb(h, grey, s))
        return [grey] * 3
    return _each(rgb, px)


def vibrance(rgb, p):
    v, sat = p["vibrance"] / 100, p["saturation"] / 100

    def px(r, g, b):
        h, light, s = colorsys.rgb_to_hls(r, g, b)
        s = s * (1 + v * (1 - s))
        s = min(1.0, max(0.0, s * (1 + sat)))
        return list(colorsys.hls_to_rgb(h, light, s))
    return _each(rgb, px)


def channel_mixer(rgb, p):
    rows = [p["gray"]] * 3 if p["monochrome"] else [p[c] for c in ("red", "green", "blue")]
    weights = np.array([[row["red"], row["green"], row["blue"]] for row in rows], np.float64) / 100
    constant = np.array([row["constant"] for row in rows], np.float64) / 100
    return np.clip(rgb @ weights.T + constant, 0, 1)


SELECTIVE_CLASSES = ("reds", "yellows", "greens", "cyans", "blues", "magentas", "whites", "neutrals", "blacks")


def selective_color(rgb, p):
    """Each class's share of the pixel (8-bit units) times its ink move per channel, summed."""
    relative = p["method"] == "relative"

    def share(name, r, g, b):
        lo, hi = min(r, g, b), max(r, g, b)
        mid = r + g + b - lo - hi
        primary = {"reds": r, "greens": g, "blues": b}
        secondary = {"cyans": r, "magentas": g, "yellows": b}
        if name in primary:
            return hi - mid if primary[name] == hi else 0.0
        if name in secondary:
            return mid - lo if secondary[name] == lo else 0.0
        if name == "whites":
            return max(0.0, 2 * (lo - 127.5))
        if name == "blacks":
            return max(0.0, 2 * (127.5 - hi))
        return max(0.0, 255 - abs(hi - 127.5) - abs(lo - 127.5))

    def px(r, g, b):
        r8, g8, b8 = (round(c * 255) for c in (r, g, b))
        out = [float(r8), float(g8), float(b8)]
        for name in SELECTIVE_CLASSES:
            w = share(name, r8, g8, b8)
            k = p[name]["black"] / 100
            for i, (v, ink) in enumerate(zip((r, g, b), ("cyan", "magenta", "yellow"), strict=True)):
                a = p[name][ink] / 100
                d = (-1 - a) * k - a
                if relative:
                    d *= 1 - v
                out[i] += w * min(1 - v, max(-v, d))
        return [min(1.0, max(0.0, c / 255)) for c in out]
    return _each(rgb, px)


def photo_filter(rgb, p):
    """The channels times the filter colour, mixed by the density; the original luminosity back
    (W3C SetLum, Photoshop's weights) with Preserve Luminosity."""
    d = p["density"] / 100
    f = [c / 255 for c in p["color"]]

    def lum(c):
        return 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2]

    def px(r, g, b):
        c = [v * (1 - d + d * k) for v, k in zip((r, g, b), f, strict=True)]
        if p["preserve_luminosity"]:
            shift = lum((r, g, b)) - lum(c)
            c = [v + shift for v in c]
            light, lo, hi = lum(c), min(c), max(c)
            if lo < 0:
                c = [light + (v - light) * light / (light - lo) for v in c]
            if hi > 1:
                c = [light + (v - light) * (1 - light) / (hi - light) for v in c]
        return [min(1.0, max(0.0, v)) for v in c]
    return _each(rgb, px)


def color_lookup(rgb, p):
    """Trilinear interpolation in the table at the pixel's 8-bit levels."""
    n = p["table"]["size"]
    grid = np.array(p["table"]["rgb"], np.float64).reshape(n, n, n, 3) / 255

    def px(r, g, b):
        out = np.zeros(3)
        cells = []
        for v in (r, g, b):
            pos = round(v * 255) * (n - 1) / 255
            i = min(int(pos), n - 2)
            cells.append((i, pos - i))
        for dr in (0, 1):
            for dg in (0, 1):
                for db in (0, 1):
                    w = 1.0
                    for (_, f), d in zip(cells, (dr, dg, db), strict=True):
                        w *= f if d else 1 - f
                    out += w * grid[cells[0][0] + dr, cells[1][0] + dg, cells[2][0] + db]
        return list(out)
    return _each(rgb, px)


REFERENCES = {
    "levels": levels, "curves": curves, "invert": invert, "posterize": posterize, "threshold": threshold,
    "exposure": exposure, "brightness_contrast": brightness_contrast, "gradient_map": gradient_map,
    "hue_saturation": hue_saturation, "color_balance": color_balance, "black_white": black_white,
    "vibrance": vibrance, "channel_mixer": channel_mixer, "selective_color": selective_color,
    "photo_filter": photo_filter, "color_lookup": color_lookup,
}
