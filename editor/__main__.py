"""`veil`: the editor window, or a headless command when the first argument names one."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # numpy advises the kernel to back large arrays by transparent huge pages; opening or
    # exporting a document allocates hundreds of them, and the faults and compaction cost
    # more than they save (opening the 10-layer 4096² .ora: 5.0 -> 3.4 s CPU, 1.6 s less in
    # the kernel; a full-frame composite of it the same either way). Read at numpy's import.
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    from . import cli

    if args and (args[0] in cli.COMMANDS or args[0] in ("-h", "--help", "--version")):
        return cli.main(args)
    from . import app

    return app.main(args)


if __name__ == "__main__":
    sys.exit(main())
