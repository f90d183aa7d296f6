"""PyInstaller's entry script: `editor/__main__.py` uses relative imports, so it cannot be the script itself."""

import multiprocessing
import sys

from editor.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `veil mask --out-dir` runs a process pool; children re-enter here
    sys.exit(main())
