"""Run every benchmark, print a table, write bench-results.json at the repo root.

`python -m tests.bench [substring]` runs only benchmarks whose function name contains it.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import traceback
from pathlib import Path

import tests.bench as pkg

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    only = argv[0] if argv else ""
    rows, failed = [], []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"tests.bench.{info.name}")
        for name in sorted(n for n in dir(module) if n.startswith("bench_")):
            if only and only not in name:
                continue
            print(f"running {info.name}.{name} ...", flush=True)
            try:
                out = getattr(module, name)()
            except Exception:
                traceback.print_exc()
                failed.append(name)
                continue
            rows.extend(out if isinstance(out, list) else [out])
    print()
    print(f"{'benchmark':40} {'median ms':>10} {'budget':>8}  {'baseline':40} {'ms':>10}  ratio  extra")
    for r in rows:
        base = r.get("baseline_median_ms")
        ratio = f"{base / r['median_ms']:.1f}x" if base and r["median_ms"] else "-"
        extra = {k: v for k, v in r.items() if k not in ("name", "median_ms", "baseline", "baseline_median_ms", "budget_ms")}
        print(f"{r['name']:40} {r['median_ms']:>10.3f} {str(r.get('budget_ms', '-')):>8}  {str(r['baseline'])[:40]:40} "
              f"{'-' if base is None else f'{base:.3f}':>10}  {ratio:>5}  {extra if extra else ''}")
    (ROOT / "bench-results.json").write_text(json.dumps(rows, indent=2) + "\n")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
