"""`veil`: the editor window, or a headless command when the first argument names one."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from . import cli  # imports no numpy: the choice below is still open

    if args and (args[0] in cli.COMMANDS or args[0] in ("-h", "--help", "--version")):
        # A command allocates its arrays once and exits: numpy's transparent-huge-page advice
        # then costs more in faults and compaction than it saves (`veil render` of the 10-layer
        # 4096² .ora, 4.64 -> 3.79 s). Read at numpy's import, so only set here, for commands.
        # The window keeps the advice: its edits reuse 24 MP buffers, and without it a paint
        # bucket click's undo copy and commit cost 65-75 + 21 ms instead of 16-25 + 5.
        os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
        return cli.main(args)
    from . import app

    return app.main(args)


if __name__ == "__main__":
    sys.exit(main())
