"""Geometry options for the command line: `--crop`, `--resize`, `--rotate`, `--canvas`, `--flip`, `--trim`.

`add_arguments(parser)` registers them on a subcommand (`veil convert`, `veil render`);
`apply(doc, args)` runs them on the opened document IN THE ORDER GIVEN on the command line
(`--crop 0,0,800,800 --resize 400x400` crops then resizes; swapped, it resizes then crops),
each through the registered geometry operation (editor.geometry.operations) a recipe
names, which calls the editor.geometry function the Image menu calls. `--resample` (for
--resize and --rotate) and `--anchor` / `--canvas-color` (for --canvas) are settings, not
steps: they apply wherever they stand.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from editor.core import Document
from editor.core.operations import REGISTRY

from . import ops
from .operations import DIRECTIONS
from .resample import RESAMPLE

STEPS = ("crop", "resize", "rotate", "canvas", "flip", "trim")


class _Step(argparse.Action):
    """Appends (option, text) to `namespace.geometry`, keeping the command line's order."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        steps = list(getattr(namespace, "geometry", None) or [])
        steps.append((self.dest, values))
        namespace.geometry = steps


def add_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group(
        "geometry", "applied to the document in the order given, before writing OUT (one may repeat an option)")
    g.add_argument("--crop", action=_Step, metavar="X,Y,W,H",
                   help="crop to the rectangle at X,Y of W x H px (it may reach past the canvas)")
    g.add_argument("--keep-cropped-pixels", action="store_true",
                   help="with --crop: layers keep their pixels outside the canvas (Photoshop's "
                        "'Delete Cropped Pixels' off; layered OUT only)")
    g.add_argument("--resize", action=_Step, metavar="WxH",
                   help="resample the image to W x H px; 'Wx' or 'xH' keeps the proportions, 'N%%' scales both")
    g.add_argument("--resample", choices=RESAMPLE, default="bicubic",
                   help="resampling for --resize and --rotate (default bicubic; area is for shrinking)")
    g.add_argument("--rotate", action=_Step, metavar="DEG",
                   help="rotate the canvas DEG degrees clockwise (negative: counter-clockwise); multiples of 90 "
                        "are exact, other angles grow the canvas to hold the whole picture")
    g.add_argument("--flip", action=_Step, choices=DIRECTIONS,
                   help="mirror the canvas: horizontal (left-right) or vertical (top-bottom)")
    g.add_argument("--trim", action=_Step, nargs="?", const="transparent", choices=ops.TRIM_BASES,
                   help="crop away transparent borders (or, with top_left_color, borders of the top-left "
                        "pixel's colour); --keep-cropped-pixels keeps them in layered OUT")
    g.add_argument("--canvas", action=_Step, metavar="WxH",
                   help="change the canvas to W x H px without resampling, placed by --anchor")
    g.add_argument("--anchor", choices=ops.ANCHORS, default="center",
                   help="where the picture stays for --canvas (default center)")
    g.add_argument("--canvas-color", metavar="#RRGGBB", default=None,
                   help="paint what --canvas adds in this colour into the bottom layer (default transparent)")
    parser.set_defaults(geometry=[])


def _ints(text: str, count: int, sep: str, what: str) -> list[int]:
    parts = text.lower().split(sep)
    if len(parts) != count or not all(re.fullmatch(r"-?\d+", p.strip()) for p in parts):
        raise ValueError(f"{what} must look like {sep.join('N' * count)} in whole pixels, not {text!r}")
    return [int(p) for p in parts]


def parse_size(text: str, current: tuple[int, int], what: str = "--resize") -> tuple[int, int]:
    """'800x600', '800x' / 'x600' (keep proportions) or '50%' against the `current` size."""
    t = text.strip().lower().replace("×", "x")
    w0, h0 = current
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)%", t):
        f = float(m.group(1)) / 100.0
        return max(1, round(w0 * f)), max(1, round(h0 * f))
    m = re.fullmatch(r"(\d*)x(\d*)", t)
    if m is None or not (m.group(1) or m.group(2)):
        raise ValueError(f"{what} must look like WxH, Wx, xH or N%, not {text!r}")
    w = int(m.group(1)) if m.group(1) else None
    h = int(m.group(2)) if m.group(2) else None
    if w is None:
        assert h is not None
        w = max(1, round(w0 * h / h0))
    if h is None:
        h = max(1, round(h0 * w / w0))
    return w, h


def parse_colour(text: str) -> tuple[int, int, int]:
    digits = text.lstrip("#")
    if len(digits) != 6 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise ValueError(f"--canvas-color must look like #rrggbb, not {text!r}")
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def steps(args: argparse.Namespace) -> list[Callable[[Document], object]]:
    """The geometry steps of `args` as functions of the document, checked before any file is read
    (a malformed option raises ValueError here, not halfway through). Each runs the registered
    geometry operation (editor.geometry.operations) the recipes run."""
    out: list[Callable[[Document], object]] = []
    resample, anchor = args.resample, args.anchor
    colour = "#{:02x}{:02x}{:02x}".format(*parse_colour(args.canvas_color)) if args.canvas_color else None
    delete = not args.keep_cropped_pixels

    def step(op_id: str, params=None, sized=None):
        """A registered operation; `sized(doc)` adds the params that depend on the document's size."""
        op = REGISTRY.get(op_id)
        if sized is None:
            checked = op.validate(params or {})
            return lambda d: op.run(d, checked)
        return lambda d: op(d, {**(params or {}), **sized(d)})

    for kind, text in args.geometry:
        if kind == "crop":
            rect = _ints(text, 4, ",", "--crop")
            if rect[2] <= 0 or rect[3] <= 0:
                raise ValueError(f"--crop must have a positive width and height, not {text!r}")
            out.append(step("crop", {"rect": rect, "delete_pixels": delete}))
        elif kind == "resize":
            parse_size(text, (100, 100))  # the syntax now, the size once the document is known
            out.append(step("image-size", {"resample": resample}, lambda d, t=text: dict(
                zip(("width", "height"), parse_size(t, (d.width, d.height)), strict=True))))
        elif kind == "rotate":
            try:
                angle = float(text)
            except ValueError:
                raise ValueError(f"--rotate takes degrees, not {text!r}") from None
            out.append(step("rotate-canvas", {"angle": angle, "resample": resample}))
        elif kind == "canvas":
            parse_size(text, (100, 100), "--canvas")
            out.append(step("canvas-size", {"anchor": anchor, "colour": colour}, lambda d, t=text: dict(
                zip(("width", "height"), parse_size(t, (d.width, d.height), "--canvas"), strict=True))))
        elif kind == "flip":
            out.append(step("flip-canvas", {"direction": text}))
        elif kind == "trim":
            out.append(step("trim", {"based_on": text, "delete_pixels": delete}))
        else:  # pragma: no cover - only the actions above append
            raise ValueError(f"unknown geometry step {kind!r}")
    return out


def apply(doc: Document, args: argparse.Namespace) -> Document:
    """Run the geometry steps of `args` on `doc` in order; ValueError says which one failed and why."""
    for step in steps(args):
        step(doc)
    return doc
