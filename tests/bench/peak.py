"""`python -m tests.bench.peak REPORT MODULE ARGS...` runs MODULE as `python -m` would and
then writes its peak resident memory (VmHWM, MiB) to REPORT.

The parent's wait4() cannot be used for this: a forked child starts with its parent's peak
(Linux copies the high-water mark with the address space), so a benchmark process that
built a 4096² document would be weighed with every process it starts."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> None:
    report, module = sys.argv[1], sys.argv[2]
    sys.argv = [module, *sys.argv[3:]]
    code: object = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as e:
        code = e.code
    finally:
        with open("/proc/self/status") as status:
            peak = next(line for line in status if line.startswith("VmHWM"))
        Path(report).write_text(str(int(peak.split()[1]) // 1024))
    sys.exit(code)


if __name__ == "__main__":
    main()
