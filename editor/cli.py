"""Headless commands: the same code the GUI uses, without a screen.

Exit status: 0 on success, 2 on bad arguments, 1 when a file cannot be read
or written (the reason goes to stderr). Each command is one `_add_<command>`
function that registers its subparser and sets `run`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__

COMMANDS = ("render", "info", "convert", "mask", "batch", "models")


def _add_render(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "render", help="composite a file into a flat image",
        description="Composite every visible layer of IN (.ora, .psd, .psb or an image) and write OUT. "
                    "OUT's extension picks the format: .png, .webp and .tif keep transparency (straight alpha); "
                    ".jpg is flattened onto --background.")
    p.add_argument("input", metavar="IN")
    p.add_argument("output", metavar="OUT")
    p.add_argument("--quality", type=int, default=90, help="JPEG/WebP quality 1-100 (default 90)")
    p.add_argument("--background", default="#ffffff", help="colour under transparent areas in a JPEG (default #ffffff)")
    _add_geometry(p)

    def run(args: argparse.Namespace) -> int:
        from .io import export_image, open_document
        from .io.files import EXPORT_IMAGE_FORMATS

        if Path(args.output).suffix.lower() not in EXPORT_IMAGE_FORMATS:
            p.error(f"OUT must end in one of {', '.join(EXPORT_IMAGE_FORMATS)}")
        background = _colour(p, args.background)
        steps = _geometry_steps(p, args)
        doc = _run_geometry(p, open_document(args.input), steps)
        export_image(doc, args.output, quality=args.quality, background=background)
        return 0

    p.set_defaults(run=run)


def _add_info(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "info", help="print the size and layer tree of a file",
        description="Print IN's canvas size and its layer tree, topmost first: name, kind, blend mode, opacity, "
                    "visibility, clipping, offset, and each mask with its settings.")
    p.add_argument("input", metavar="IN")
    p.add_argument("--json", action="store_true", help="print JSON instead of an indented tree")

    def run(args: argparse.Namespace) -> int:
        from .io import open_document
        from .io.info import describe, tree_lines

        info = describe(open_document(args.input))
        if args.json:
            print(json.dumps(info, indent=2, ensure_ascii=False))
        else:
            print(f"{info['path']}: {info['width']}x{info['height']} px, {info['resolution']:g} ppi")
            print("\n".join(tree_lines(info["layers"])))
            for warning in info["warnings"]:
                print(f"warning: {warning}")
        return 0

    p.set_defaults(run=run)


def _add_convert(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "convert", help="convert between .ora, .psd and flattened-masks .ora",
        description="Convert IN (.ora, .psd, .psb or an image) to OUT, a layered file. OUT ending in .psd writes "
                    "Photoshop; .ora writes a Veil project (masks as dst-in layers that Krita reads). For editors "
                    "that ignore mask layers, name OUT *.flat.ora or pass --flatten-masks: every mask is then "
                    "applied to its layer's transparency.")
    p.add_argument("input", metavar="IN")
    p.add_argument("output", metavar="OUT")
    p.add_argument("--flatten-masks", action="store_true", help="apply every mask into its layer (.ora output)")
    _add_geometry(p)

    def run(args: argparse.Namespace) -> int:
        from .io import convert

        if Path(args.output).suffix.lower() not in (".ora", ".psd", ".psb"):
            p.error("OUT must end in .ora, .flat.ora, .psd or .psb (use `veil render` for flat images)")
        if args.flatten_masks and not args.output.lower().endswith(".ora"):
            p.error("--flatten-masks needs an .ora OUT")
        steps = _geometry_steps(p, args)
        doc = convert(args.input, args.output, flatten_masks=args.flatten_masks,
                      edit=lambda d: _run_geometry(p, d, steps))
        from .io.files import export_warnings

        for warning in doc.warnings + export_warnings(doc, args.output, flatten_masks=args.flatten_masks):
            print(f"warning: {warning}", file=sys.stderr)
        return 0

    p.set_defaults(run=run)


def _add_mask(subparsers: argparse._SubParsersAction) -> None:
    from .masks.batch import add_parser  # the generators' own options live beside them

    add_parser(subparsers)


def _add_batch(subparsers: argparse._SubParsersAction) -> None:
    from .batch.cli import add_parser  # recipes, the manifest, pools and Dask live in editor.batch

    add_parser(subparsers)


def _add_models(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "models", help="list the segmentation models Veil found, and where",
        description="List the ONNX segmentation models found in rembg's folder (U2NET_HOME or ~/.u2net), "
                    "Veil's models folder and the files added in Preferences, with each one's family; files "
                    "that cannot be used are listed with the reason.")
    p.add_argument("--json", action="store_true", help="print JSON")

    def run(args: argparse.Namespace) -> int:
        from .masks.models import scan
        from .masks.models.registry import rembg_folder, veil_folder

        models, problems = scan()
        if args.json:
            print(json.dumps({"models": [m.describe() for m in models], "problems": problems,
                              "folders": [str(rembg_folder()), str(veil_folder())]}, indent=2))
            return 0
        print(f"searched: {rembg_folder()}, {veil_folder()} and Preferences")
        for m in models:
            where = f"{m.path}" + (f" + {m.decoder.name}" if m.decoder else "")
            print(f"{m.name:<24} {m.family.name:<22} {m.source:<11} {where}")
        if not models:
            print("no models found: put rembg's .onnx files (u2net, isnet-general-use, birefnet-*, bria-rmbg) or a "
                  "segment-anything *.encoder.onnx / *.decoder.onnx pair in one of those folders")
        for problem in problems:
            print(f"skipped: {problem}")
        return 0

    p.set_defaults(run=run)


def _add_geometry(p: argparse.ArgumentParser) -> None:
    from .geometry.cli_args import (
        add_arguments,  # --crop --resize --resample --rotate --canvas --anchor
    )

    add_arguments(p)


def _geometry_steps(p: argparse.ArgumentParser, args: argparse.Namespace) -> list:
    from .geometry.cli_args import steps

    try:
        return steps(args)
    except ValueError as e:
        p.error(str(e))


def _run_geometry(p: argparse.ArgumentParser, doc, steps: list):
    for step in steps:
        try:
            step(doc)
        except ValueError as e:  # a size out of range for this document: still a bad argument
            p.error(str(e))
    return doc


def _colour(parser: argparse.ArgumentParser, text: str) -> tuple[int, int, int]:
    digits = text.lstrip("#")
    if len(digits) != 6 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        parser.error(f"--background must look like #rrggbb, not {text!r}")
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veil",
        description="Veil, a layer-mask photo editor. With no command, or with a file, it opens the editor window.",
    )
    parser.add_argument("--version", action="version", version=f"veil {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_render(subparsers)
    _add_info(subparsers)
    _add_convert(subparsers)
    _add_mask(subparsers)
    _add_batch(subparsers)
    _add_models(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .io import FileFormatError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except FileFormatError as e:
        print(f"veil {args.command}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
