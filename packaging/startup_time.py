"""Time from launch to the first window shown, offscreen: the frozen build against the source tree.

    .venv/bin/python packaging/startup_time.py [runs]

Each run starts `veil resources/samples/sample.ora` (what `make run` starts) with
VEIL_QUIT_AFTER_SHOW=1, so the process exits as soon as the window has been shown with the sample
open; the wall time of the whole process is the figure. A first run with an empty user cache is
reported apart, since the frozen app then compiles its numba kernels; the warm figure is the median
of the later runs, interleaved between the two. Each program gets a fresh HOME, so no settings or recovery dialog interfere.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "sample.ora"
PROGRAMS = {"frozen dist/veil/veil": ROOT / "dist" / "veil" / "veil", "source tree .venv/bin/veil": ROOT / ".venv" / "bin" / "veil"}


def launch(program: Path, home: str) -> float:
    env = {**os.environ, "HOME": home, "XDG_CACHE_HOME": f"{home}/.cache", "XDG_CONFIG_HOME": f"{home}/.config",
           "XDG_DATA_HOME": f"{home}/.local/share", "QT_QPA_PLATFORM": "offscreen", "VEIL_QUIT_AFTER_SHOW": "1"}
    start = time.perf_counter()
    subprocess.run([str(program), str(SAMPLE)], env=env, cwd=home, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    programs = {name: path for name, path in PROGRAMS.items() if path.exists()}
    with tempfile.TemporaryDirectory() as frozen_home, tempfile.TemporaryDirectory() as source_home:
        homes = dict(zip(programs, (frozen_home, source_home), strict=False))
        times: dict[str, list[float]] = {name: [] for name in programs}
        for _ in range(runs):  # interleaved, so load from other jobs on the machine hits both alike
            for name, program in programs.items():
                times[name].append(launch(program, homes[name]))
    for name, (first, *warm) in times.items():
        print(f"{name}: first run {first:.2f} s, then median {statistics.median(warm):.2f} s "
              f"(min {min(warm):.2f}, max {max(warm):.2f}, {len(warm)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
