"""`veil`: the editor window, or a headless command when the first argument names one."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from . import cli

    if args and (args[0] in cli.COMMANDS or args[0] in ("-h", "--help", "--version")):
        return cli.main(args)
    from . import app

    return app.main(args)


if __name__ == "__main__":
    sys.exit(main())
