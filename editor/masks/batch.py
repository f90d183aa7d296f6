"""`veil mask`: the mask generators headless, for one file or a folder on all cores.

    veil mask chroma-key IN --out OUT [--key auto|green|blue|#RRGGBB] [--tolerance T] [--softness S] [--despill]
    veil mask color-range IN --out OUT --color #RRGGBB [--color ...] [--fuzziness F]
    veil mask object IN --out OUT (--rect X,Y,W,H | --subject) [--refine]
    veil mask object IN --out OUT --model NAME|PATH (--point X,Y | --exclude X,Y | --box X,Y,W,H)...
    veil mask subject IN --out OUT [--model NAME|PATH] [--refine]
    veil mask luminance IN --out OUT [--threshold T] [--softness S] [--invert]

The subcommands and their flags are built from the mask generators registered
on the operation registry (editor.masks.generators): each flag is a parameter of
the generator's schema, checked by it.

OUT is the grayscale mask, or with --apply the RGBA cut-out (despilled when
asked). Several INs (or a folder) need --out-dir (made when missing): each
result is written there under its input's name as .png, by a process pool
on all cores.
Exit status: 0 all written, 2 bad arguments, 1 when any file could not be
read or written (each reason on stderr; the other files are still done).
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import numpy as np

ALPHA_FORMATS = (".png", ".webp", ".tif", ".tiff")
MASK_FORMATS = (*ALPHA_FORMATS, ".jpg", ".jpeg", ".bmp")


def _commands() -> dict[str, list[Any]]:
    """The registered mask generators by `veil mask` subcommand, in registration order."""
    from .generators import mask_generators

    commands: dict[str, list[Any]] = {}
    for op in mask_generators():
        if op.cli is not None:
            commands.setdefault(op.cli.command, []).append(op)
    return commands


def _flag_kwargs(param) -> dict[str, Any]:
    """argparse options for a schema parameter; values stay text, the schema checks them."""
    kw: dict[str, Any] = {"default": None, "dest": param.name, "help": param.help or None}
    if param.kind == "bool":
        kw["action"] = argparse.BooleanOptionalAction if param.default is True else "store_true"
    else:
        kw["action"] = "append" if param.kind in ("colour-list", "point-list") else "store"
        kw["metavar"] = param.metavar or param.name.upper()
        if param.kind not in ("colour-list", "point-list", "str"):
            kw["help"] = f"{param.help} ({param.describe()}" + (
                f", default {param.default})" if not param.required and param.default not in (None, []) else ")")
    return kw


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "mask", help="make a mask (chroma key, colour range, object) headless",
        description="Generate a mask with the editor's own generators and write it as a grayscale image, "
                    "or with --apply as an RGBA cut-out. Several INs (files or folders) go to --out-dir, "
                    "processed on all cores. The generators and their flags are the registered ones.")
    kinds = p.add_subparsers(dest="generator", metavar="GENERATOR", required=True)
    for command, ops in _commands().items():
        sp = kinds.add_parser(command, help=next((op.cli.help for op in ops if op.cli.help), None))
        sp.add_argument("inputs", nargs="+", metavar="IN", help="image, .ora or .psd files, or folders of them")
        where = sp.add_mutually_exclusive_group(required=True)
        where.add_argument("--out", metavar="OUT", help="output file for a single IN")
        where.add_argument("--out-dir", metavar="DIR", help="output folder for several INs (<name>.png each)")
        sp.add_argument("--apply", action="store_true", help="write the RGBA cut-out instead of the mask")
        sp.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
        seen: dict[str, str] = {}
        for op in ops:
            for param in op.schema:
                flag = param.cli_flag
                if flag is None or flag in seen:
                    continue
                seen[flag] = param.name
                sp.add_argument(flag, **_flag_kwargs(param))
            for flag, kwargs in op.cli.flags:
                if flag not in seen:
                    seen[flag] = flag
                    sp.add_argument(flag, dest=flag.lstrip("-").replace("-", "_"), **kwargs)
        sp.set_defaults(run=_run, parser=sp, flags=seen)


def params_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The generator dict (as stored in Mask.generator) for a `veil mask` command line, checked by
    the generator's schema; ValueError (ParamError naming the flag) on bad values."""
    from editor.core.operations import ParamError

    from .generators import generator_op

    ops = _commands()[args.generator]
    flags: dict[str, str] = getattr(args, "flags", {})
    values = {dest: getattr(args, dest) for dest in set(flags.values()) | {f.lstrip("-").replace("-", "_")
                                                                            for f in flags if f.startswith("--")}
              if getattr(args, dest, None) is not None}
    op = next((o for o in ops if o.cli.claims is not None and o.cli.claims(values)),
              next(o for o in ops if o.cli.claims is None))
    params = op.cli.from_cli(dict(values)) if op.cli.from_cli else values
    final = generator_op(params.get("kind", op.id))
    try:
        return {"kind": final.id, **final.validate(params)}
    except ParamError as e:
        flag = next((f for f, name in flags.items() if name == e.path), None)
        if flag is None:
            raise
        raise ValueError(f"{flag}: {e.reason}") from None


def _numbers(text: str, flag: str, count: int) -> tuple[float, ...]:
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != count:
        raise ValueError(f"{flag} must be {'X,Y' if count == 2 else 'X,Y,W,H'} in pixels, not {text!r}")
    return values


def model_params(command: str, values: dict[str, Any]) -> dict[str, Any]:
    """`veil mask subject` / `object --model`: the model resolved (its file's hash remembered);
    `subject` with no model installed falls back to the saliency method, said on stderr."""
    from .models import ADD, REMOVE, ModelError, resolve, scan
    from .models.registry import rembg_folder, veil_folder

    refine = bool(values.get("refine_edge"))
    if command == "subject":
        if values.get("model"):
            info = resolve(values["model"], kind="salient")
        else:
            found = [m for m in scan()[0] if m.kind == "salient"]
            if not found:
                print(f"veil mask: no subject model installed (put rembg's .onnx files in {rembg_folder()} or "
                      f"{veil_folder()}); using the saliency method instead", file=sys.stderr)
                return {"kind": "object", "subject": True, "refine_edge": refine}
            info = found[0]
        try:
            digest = info.sha256()
        except OSError as e:
            raise ModelError(f"{info.path}: cannot read it ({e.strerror or e})") from e
        return {"kind": "model-subject", "model": values.get("model") or info.name, "sha256": digest,
                "refine_edge": refine}
    info = resolve(values["model"], kind="prompt")
    points = [[*_numbers(p, "--point", 2), ADD] for p in values.get("point") or []]
    points += [[*_numbers(p, "--exclude", 2), REMOVE] for p in values.get("exclude") or []]
    if not points and values.get("box") is None:
        raise ValueError("--model needs at least one --point or a --box")
    if refine:
        raise ValueError("--refine is for GrabCut and subject masks; a model's object mask is refined by its decoder")
    return {"kind": "model-object", "model": values["model"], "points": points, "box": values.get("box"),
            "sha256": info.sha256()}


def expand_inputs(inputs: list[str]) -> list[Path]:
    from editor.io import SUPPORTED_OPEN

    files: list[Path] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_OPEN)
        else:
            files.append(path)
    return files


def read_pixels(path: Path) -> np.ndarray:
    """The image's straight RGBA pixels (a layered file is flattened first)."""
    from editor.core import Layer
    from editor.io import open_document

    doc = open_document(path)
    layers = list(doc.root.children)
    if len(layers) == 1 and isinstance(layers[0], Layer) and layers[0].mask is None and layers[0].offset == (0, 0) \
            and layers[0].size == (doc.width, doc.height) and layers[0].opacity == 1.0 and layers[0].visible:
        return layers[0].pixels
    from editor.render import flatten_rgba

    return flatten_rgba(doc)


def make_result(pixels: np.ndarray, params: dict[str, Any], apply: bool) -> np.ndarray:
    """The mask (h, w) or, with `apply`, the RGBA cut-out."""
    from .chroma import cutout
    from .generators import despill_for, generate, resolve_key

    params = resolve_key(pixels, params)
    mask = generate(pixels, params)
    if not apply:
        return mask
    despilled = despill_for(pixels, params)
    return cutout(pixels if despilled is None else despilled, mask)


def write_image(path: Path, image: np.ndarray) -> None:
    import cv2

    from editor.io import FileFormatError
    from editor.io.atomic import atomic_write

    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_RGBA2BGRA)
    ext = path.suffix.lower()
    flags = [cv2.IMWRITE_PNG_COMPRESSION, 1] if ext == ".png" else []
    ok, data = cv2.imencode(ext, image, flags)
    if not ok:
        raise FileFormatError(path, "could not encode the result")
    try:
        with atomic_write(path) as f:
            f.write(data.tobytes())
    except OSError as e:
        raise FileFormatError(path, f"cannot write it ({e.strerror or e})") from e


def process_one(src: str, dst: str, params: dict[str, Any], apply: bool) -> str | None:
    """Make and write one result; the reason as text when it fails (worker processes return it)."""
    from editor.io import FileFormatError

    try:
        write_image(Path(dst), make_result(read_pixels(Path(src)), params, apply))
    except (FileFormatError, OSError, ValueError) as e:
        return f"{src}: {e}"
    return None


def _one_thread_per_worker() -> None:
    import numba

    numba.set_num_threads(1)  # the pool already uses every core


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="" if done < total else "\n",
          file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    try:
        params = params_from_args(args)
    except ValueError as e:
        parser.error(str(e))
    allowed = ALPHA_FORMATS if args.apply else MASK_FORMATS
    if args.out is not None:
        if len(args.inputs) != 1 or Path(args.inputs[0]).is_dir():
            parser.error("several INs or a folder need --out-dir, not --out")
        if Path(args.out).suffix.lower() not in allowed:
            parser.error(f"OUT must end in one of {', '.join(allowed)}")
        failure = process_one(args.inputs[0], args.out, params, args.apply)
        if failure:
            print(f"veil mask: {failure}", file=sys.stderr)
            return 1
        return 0
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    out_dir = Path(args.out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"veil mask: {out_dir}: cannot create the folder ({e.strerror or e})", file=sys.stderr)
        return 1
    jobs = [(str(src), str(out_dir / f"{src.stem}.png")) for src in expand_inputs(args.inputs)]
    failures = _run_pool(jobs, params, args.apply, args.jobs)
    for failure in failures:
        print(f"veil mask: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _run_pool(jobs: list[tuple[str, str]], params: dict[str, Any], apply: bool, workers: int) -> list[str]:
    failures: list[str] = []
    _progress(0, len(jobs))
    if workers == 1 or len(jobs) == 1:
        for n, (src, dst) in enumerate(jobs, 1):
            if failure := process_one(src, dst, params, apply):
                failures.append(failure)
            _progress(n, len(jobs))
        return failures
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_one_thread_per_worker) as pool:
        futures = [pool.submit(process_one, src, dst, params, apply) for src, dst in jobs]
        for n, future in enumerate(as_completed(futures), 1):
            if failure := future.result():
                failures.append(failure)
            _progress(n, len(jobs))
    return sorted(failures)
