"""Photoshop's gradient as its files keep it: a colour stop list and an opacity stop list, each
stop with a midpoint, and a smoothness ('Intr', 0..4096) that bends the ramps between stops.

Veil's `Gradient` is one list of stops, each with a colour and an opacity, joined by straight
ramps. `merged_stops` turns Photoshop's two lists into that one list (what Veil's stop editor
shows); `classic_table` draws Photoshop's two lists as Photoshop does, smoothness and midpoints
included, into the 4096-entry table the gradient kernels read.

The rules, from SethRobinson/Patchy (a C++ editor calibrated against Photoshop 2026 through
COM probes; docs/gradients.md "Rendering", docs/ps-compat.md on GrFl, docs/vector-tools.md
"GdFl gradient fill geometry", src/core/blend_math.cpp `gradient_color`,
`gradient_stop_opacity`, `midpoint_remap`, `catmull_rom`):

- A stop's midpoint ('Mdpn') belongs to the segment that ends at that stop (the destination,
  right-hand stop); the first stop's is unused. Within a segment, with t its fraction 0..1, the
  midpoint m moves the 50 % value: t' = t / (2 m) up to m, then 1/2 + (t - m) / (2 (1 - m))
  (a piecewise-linear remap; m = 50 % changes nothing).
- Classic interpolation: the straight ramp v1 + (v2 - v1) t' blended towards the uniform
  Catmull-Rom cubic through the segment's stops v1, v2 and their neighbours v0, v3 (the end
  stops repeated where a list has no neighbour) by smoothness / 4096. For two stops at 100 %
  that is v1 + (v2 - v1) (t/2 + 3 t^2 / 2 - t^3). A gradient fill layer eases even a two-stop
  ramp, and its opacity list exactly as its colour list.
- Outside its first and last stop a list holds the end value; where two stops share a
  position (a hard edge), the position itself takes the segment ending there.
"""

from __future__ import annotations

import bisect
from typing import Any

import numpy as np

SPAN = 4096.0  # 'Intr' at 100 % smoothness (and a stop's 'Lctn' span)
LUT_SIZE = 4096  # entries in the table the gradient kernels read (16 per 8-bit level)

# (position 0..1, value, midpoint 0..1): one stop of a colour list (value (r, g, b) 0..255) or
# of an opacity list (value 0..1).
PsStop = tuple[float, Any, float]


def _lerp(a: Any, b: Any, f: float) -> Any:
    if isinstance(a, tuple):
        return tuple(x + (y - x) * f for x, y in zip(a, b, strict=True))
    return a + (b - a) * f


def _with_midpoints(stops: list[PsStop]) -> list[tuple[float, Any]]:
    """The stops with an extra one where a segment's midpoint is not 50 % (the halfway value
    there): each half of the segment is then the straight ramp Photoshop's remap makes of it."""
    out = [(stops[0][0], stops[0][1])]
    for (p0, v0, _), (p1, v1, mid) in zip(stops, stops[1:], strict=False):
        if p1 > p0 and abs(mid - 0.5) > 1e-9:
            out.append((p0 + (p1 - p0) * mid, _lerp(v0, v1, 0.5)))
        out.append((p1, v1))
    return out


def _sides(stops: list[tuple[float, Any]], t: float) -> tuple[Any, Any]:
    """The value coming into position t and the value going out of it (they differ at a hard
    edge: two stops at t); outside the stops, the nearest end's value."""
    first = bisect.bisect_left(stops, t, key=lambda s: s[0])
    if first == len(stops):
        return stops[-1][1], stops[-1][1]
    if stops[first][0] > t:
        v = stops[0][1] if first == 0 else _between(stops, first, t)
        return v, v
    return stops[first][1], _last_at(stops, first)


def _last_at(stops: list[tuple[float, Any]], i: int) -> Any:
    while i + 1 < len(stops) and stops[i + 1][0] == stops[i][0]:
        i += 1
    return stops[i][1]


def _between(stops: list[tuple[float, Any]], i: int, t: float) -> Any:
    """Interpolated between stops i - 1 and i (t strictly inside them)."""
    (p0, v0), (p1, v1) = stops[i - 1], stops[i]
    return _lerp(v0, v1, (t - p0) / (p1 - p0))


def merged_stops(colours: list[PsStop], opacities: list[PsStop]) -> list[dict[str, Any]]:
    """Veil's stops (`Stop.to_dict` form) from Photoshop's colour and opacity stops, in position
    order: one stop at each position of either list, each list interpolated at the other's
    positions, a midpoint other than 50 % an extra stop; two stops at one position (a hard
    edge) are both kept. Drawn with straight ramps this is exactly Photoshop's drawing at 0 %
    smoothness."""
    c, o = _with_midpoints(colours), _with_midpoints(opacities)
    out: list[dict[str, Any]] = []
    for t in sorted({p for p, _ in c} | {p for p, _ in o}):
        (c_in, c_out), (o_in, o_out) = _sides(c, t), _sides(o, t)
        sides = [(c_in, o_in)] if (c_in, o_in) == (c_out, o_out) else [(c_in, o_in), (c_out, o_out)]
        for colour, opacity in sides:
            out.append({"position": t, "color": [int(round(min(255.0, max(0.0, v)))) for v in colour],
                        "opacity": min(1.0, max(0.0, opacity))})
    return out


def lists_of(stops: list[dict[str, Any]]) -> tuple[list[PsStop], list[PsStop]]:
    """Veil's stops as Photoshop's two lists (both at every stop's position and with its midpoint,
    50 % when it has none): what the PSD writer writes and what Photoshop then draws."""
    colours = [(float(s["position"]), tuple(float(v) for v in s["color"]), float(s.get("midpoint", 0.5)))
               for s in stops]
    opacities = [(float(s["position"]), float(s["opacity"]), float(s.get("midpoint", 0.5))) for s in stops]
    return colours, opacities


def _remap(t: np.ndarray, mid: np.ndarray) -> np.ndarray:
    """Photoshop's midpoint remap of segment fractions t (midpoint 50 %: unchanged)."""
    m = np.clip(mid, 0.0001, 0.9999)
    bent = np.where(t <= m, 0.5 * t / m, 0.5 + 0.5 * (t - m) / (1.0 - m))
    return np.where(mid == 0.5, t, bent)


def _catmull_rom(p0, p1, p2, p3, t):
    t2 = t * t
    return 0.5 * (2.0 * p1 + (p2 - p0) * t + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * t2
                  + (3.0 * p1 - p0 - 3.0 * p2 + p3) * t2 * t)


def classic(stops: list[PsStop], t: np.ndarray, smoothness: float) -> np.ndarray:
    """One list's values (n, channels) float64 at positions t (n,), Photoshop's Classic
    interpolation at `smoothness` 0..1 (module docstring)."""
    pos = np.array([s[0] for s in stops], np.float64)
    val = np.array([s[1] for s in stops], np.float64).reshape(len(stops), -1)
    mid = np.array([s[2] for s in stops], np.float64)
    t = np.asarray(t, np.float64)
    out = np.empty((t.shape[0], val.shape[1]), np.float64)
    low, high = t <= pos[0], t >= pos[-1]
    out[low], out[high] = val[0], val[-1]
    inside = ~(low | high)
    if not inside.any():
        return out
    ti = t[inside]
    right = np.searchsorted(pos, ti, side="left")  # the first stop at or past t
    left = right - 1
    frac = (ti - pos[left]) / np.maximum(1e-4, pos[right] - pos[left])
    frac = _remap(np.clip(frac, 0.0, 1.0), mid[right])[:, None]
    v1, v2 = val[left], val[right]
    v0, v3 = val[np.maximum(left - 1, 0)], val[np.minimum(right + 1, len(stops) - 1)]
    straight = v1 + (v2 - v1) * frac
    out[inside] = straight + (_catmull_rom(v0, v1, v2, v3, frac) - straight) * smoothness
    return out


def classic_rgba(colours: list[PsStop], opacities: list[PsStop], t: np.ndarray, smoothness: float) -> np.ndarray:
    """(n, 4) float64 straight RGBA 0..255 at positions t (n,): Photoshop's drawing of its two
    lists at `smoothness` 0..1 (the cubic may overshoot a stop: clamped, as Photoshop's bytes are)."""
    s = min(1.0, max(0.0, float(smoothness)))
    rgb = np.clip(classic(colours, t, s), 0.0, 255.0)
    alpha = np.clip(classic(opacities, t, s), 0.0, 1.0) * 255.0
    return np.concatenate([rgb, alpha], axis=1)


def classic_table(colours: list[PsStop], opacities: list[PsStop], smoothness: float,
                  n: int = LUT_SIZE) -> np.ndarray:
    """(n, 4) float32 `classic_rgba` over t = k / (n - 1): the table the gradient kernels read."""
    return classic_rgba(colours, opacities, np.linspace(0.0, 1.0, n), smoothness).astype(np.float32)
