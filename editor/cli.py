"""Headless commands: the same code the GUI uses, without a screen.

Exit status: 0 on success, 2 on bad arguments, 1 when a file cannot be read
or written (the reason goes to stderr).
"""

from __future__ import annotations

import argparse
import sys

from . import __version__

COMMANDS = ("render", "info", "convert", "mask")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veil",
        description="Veil, a layer-mask photo editor. With no command, or with a file, it opens the editor window.",
    )
    parser.add_argument("--version", action="version", version=f"veil {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
