"""`veil batch RECIPE IN... --out-dir DIR`: a recipe over files and folders, resumable.

Exit status: 0 every image done (or done before), 2 bad arguments or a bad recipe (nothing
is touched then), 1 when any image failed (each reason on stderr, the others are done).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "batch", help="run a recipe (mask, refine, background, framing, export) over many images",
        description="Run RECIPE (.toml or .json) over every IN (files or folders) into --out-dir. A rerun skips "
                    "images already done with the same recipe (a manifest in DIR/.veil-batch); --force redoes "
                    "them. Outputs are written atomically; a bad image is reported and the batch goes on.")
    p.add_argument("recipe", metavar="RECIPE")
    p.add_argument("inputs", nargs="+", metavar="IN")
    p.add_argument("--out-dir", required=True, metavar="DIR", help="output folder (made when missing)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask distributed scheduler")
    where.add_argument("--cluster", metavar="local:N", help="start a Dask LocalCluster of N worker processes")
    p.add_argument("--labels", metavar="coco,png,yolo", help="also write recognition labels (adds to the recipe's)")
    p.add_argument("--force", action="store_true", help="redo images the manifest says are done")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=_run, parser=p)


def _run(args: argparse.Namespace) -> int:
    from .recipe import RecipeError, load_recipe, validate_recipe
    from .runner import parse_cluster, print_failures, run_batch
    from .steps import LABEL_FORMATS

    parser: argparse.ArgumentParser = args.parser
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.cluster:
        try:
            parse_cluster(args.cluster)
        except ValueError as e:
            parser.error(str(e))
    try:
        recipe = load_recipe(args.recipe)
        if args.labels:
            formats = [f.strip() for f in args.labels.split(",") if f.strip()]
            bad = [f for f in formats if f not in LABEL_FORMATS]
            if bad or not formats:
                parser.error(f"--labels takes some of {', '.join(LABEL_FORMATS)}, not {args.labels!r}")
            data = recipe.to_dict()
            old = data.get("labels", {})
            data["labels"] = {**old, "formats": list(dict.fromkeys([*old.get("formats", []), *formats]))}
            path = recipe.path
            recipe = validate_recipe(data)
            recipe.path = path
    except RecipeError as e:
        print(f"veil batch: {e}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"veil batch: {args.recipe}: {e}", file=sys.stderr)
        return 2
    missing = [i for i in args.inputs if not Path(i).exists()]
    for name in missing:
        print(f"veil batch: {name}: no such file or folder", file=sys.stderr)
    inputs = [i for i in args.inputs if Path(i).exists()]
    with _progress(not args.no_progress) as progress:
        report = run_batch(inputs, args.out_dir, recipe, jobs=args.jobs, scheduler=args.scheduler,
                           cluster=args.cluster, force=args.force, progress=progress)
    print_failures(report)
    print(f"veil batch: {report.summary()}", file=sys.stderr)
    return 1 if report.failed or missing else 0


class _progress:
    """A rich progress bar with ETA on stderr (a plain line per update when it is no terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None
        self.task = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(stderr=True)
        self.bar = Progress(TextColumn("veil batch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False)
        self.bar.start()
        self.task = self.bar.add_task("images", total=None)
        return self.update

    def update(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
