"""`veil mask`: the mask generators headless, for one file or a folder on all cores.

    veil mask chroma-key IN --out OUT [--key auto|green|blue|#RRGGBB] [--tolerance T] [--softness S] [--despill]
    veil mask color-range IN --out OUT --color #RRGGBB [--color ...] [--fuzziness F]
    veil mask object IN --out OUT (--rect X,Y,W,H | --subject) [--refine]
    veil mask object IN --out OUT --model NAME|PATH (--point X,Y | --exclude X,Y | --box X,Y,W,H)...
    veil mask subject IN --out OUT [--model NAME|PATH] [--refine]

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

AUTO_KEY = "auto"
ALPHA_FORMATS = (".png", ".webp", ".tif", ".tiff")
MASK_FORMATS = (*ALPHA_FORMATS, ".jpg", ".jpeg", ".bmp")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "mask", help="make a mask (chroma key, colour range, object) headless",
        description="Generate a mask with the editor's own generators and write it as a grayscale image, "
                    "or with --apply as an RGBA cut-out. Several INs (files or folders) go to --out-dir, "
                    "processed on all cores.")
    kinds = p.add_subparsers(dest="generator", metavar="GENERATOR", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("inputs", nargs="+", metavar="IN", help="image, .ora or .psd files, or folders of them")
        where = sp.add_mutually_exclusive_group(required=True)
        where.add_argument("--out", metavar="OUT", help="output file for a single IN")
        where.add_argument("--out-dir", metavar="DIR", help="output folder for several INs (<name>.png each)")
        sp.add_argument("--apply", action="store_true", help="write the RGBA cut-out instead of the mask")
        sp.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
        sp.set_defaults(run=_run, parser=sp)

    ck = kinds.add_parser("chroma-key", help="key out a green, blue or picked backdrop")
    common(ck)
    ck.add_argument("--key", default=AUTO_KEY,
                    help="green, blue, #RRGGBB, or auto: the screen each picture's border shows (default)")
    # Unset tuning flags take ChromaKeyParams' defaults, the dialog's too: one keyer, the same result headless.
    ck.add_argument("--tolerance", type=float, help="0..1, how much of the backdrop counts as pure screen")
    ck.add_argument("--softness", type=float, help="0..1, width of the soft edge")
    ck.add_argument("--clean", type=float, help="0..1, snap near-screen and near-opaque neighbourhoods to 0 and 1")
    ck.add_argument("--despill", action="store_true", help="remove the key colour's cast (with --apply)")

    cr = kinds.add_parser("color-range", help="select colours near one or more samples")
    common(cr)
    cr.add_argument("--color", action="append", required=True, metavar="#RRGGBB", help="a sampled colour (repeatable)")
    cr.add_argument("--fuzziness", type=float, default=40.0, help="Lab delta E where the selection ends (default 40)")

    ob = kinds.add_parser("object", help="object select: GrabCut from a rectangle, or a segment-anything model's prompts")
    common(ob)
    how = ob.add_mutually_exclusive_group()
    how.add_argument("--rect", metavar="X,Y,W,H", help="GrabCut: a box around the object, in pixels")
    how.add_argument("--subject", action="store_true", help="GrabCut: find the main subject without a box")
    how.add_argument("--model", metavar="NAME|PATH", help="a segment-anything encoder/decoder pair (see `veil models`)")
    ob.add_argument("--point", action="append", default=[], metavar="X,Y", help="with --model: a pixel on the object (repeatable)")
    ob.add_argument("--exclude", action="append", default=[], metavar="X,Y", help="with --model: a pixel not on it (repeatable)")
    ob.add_argument("--box", metavar="X,Y,W,H", help="with --model: a box around the object")
    ob.add_argument("--refine", action="store_true", help="then refine the edge with alpha matting")

    sj = kinds.add_parser("subject", help="select the main subject with a salient-object model (rembg's models)")
    common(sj)
    sj.add_argument("--model", metavar="NAME|PATH",
                    help="a model name from `veil models` or an .onnx path (default: the first one found; with "
                         "none installed, the saliency method, said on stderr)")
    sj.add_argument("--refine", action="store_true", help="then refine the edge with alpha matting")


def params_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The generator dict (as stored in Mask.generator); ValueError on bad values."""
    from .chroma import ChromaKeyParams
    from .color_range import ColorRangeParams, parse_hex
    from .object_select import ObjectSelectParams

    if args.generator == "chroma-key":
        tuning = {k: getattr(args, k) for k in ("tolerance", "softness", "clean") if getattr(args, k) is not None}
        # "auto" is resolved per picture in make_result; validate the rest with a stand-in key.
        params = ChromaKeyParams(key="green" if args.key == AUTO_KEY else args.key, despill=args.despill, **tuning)
        params.validate()
        return {**params.to_dict(), "key": args.key}
    if args.generator == "color-range":
        if args.fuzziness <= 0:
            raise ValueError("--fuzziness must be positive")
        return ColorRangeParams([parse_hex(c) for c in args.color], args.fuzziness).to_dict()
    if args.generator == "subject":
        return _subject_params(args)
    if args.model:
        return _object_model_params(args)
    if args.point or args.exclude or args.box:
        raise ValueError("--point, --exclude and --box need --model (a segment-anything pair)")
    if not args.rect and not args.subject:
        raise ValueError("object select needs --rect, --subject or --model")
    rect = _numbers(args.rect, "--rect", 4) if args.rect else None
    if rect is not None and (rect[2] <= 0 or rect[3] <= 0):
        raise ValueError("--rect needs a positive width and height")
    out = ObjectSelectParams(rect=tuple(int(v) for v in rect) if rect else None, subject=args.subject).to_dict()  # type: ignore[arg-type]
    out["refine_edge"] = bool(args.refine)
    return out


def _numbers(text: str, flag: str, count: int) -> tuple[float, ...]:
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != count:
        raise ValueError(f"{flag} must be {'X,Y' if count == 2 else 'X,Y,W,H'} in pixels, not {text!r}")
    return values


def _subject_params(args: argparse.Namespace) -> dict[str, Any]:
    from .models import ModelError, SubjectParams, resolve, scan
    from .models.registry import rembg_folder, veil_folder
    from .object_select import ObjectSelectParams

    if args.model:
        info = resolve(args.model, kind="salient")
    else:
        found = [m for m in scan()[0] if m.kind == "salient"]
        if not found:
            print(f"veil mask: no subject model installed (put rembg's .onnx files in {rembg_folder()} or "
                  f"{veil_folder()}); using the saliency method instead", file=sys.stderr)
            return {**ObjectSelectParams(subject=True).to_dict(), "refine_edge": bool(args.refine)}
        info = found[0]
    try:
        digest = info.sha256()
    except OSError as e:
        raise ModelError(f"{info.path}: cannot read it ({e.strerror or e})") from e
    return {**SubjectParams(args.model or info.name, sha256=digest).to_dict(), "refine_edge": bool(args.refine)}


def _object_model_params(args: argparse.Namespace) -> dict[str, Any]:
    from .models import ADD, REMOVE, ObjectParams, resolve

    info = resolve(args.model, kind="prompt")
    points = [(*_numbers(p, "--point", 2), ADD) for p in args.point]
    points += [(*_numbers(p, "--exclude", 2), REMOVE) for p in args.exclude]
    box = _numbers(args.box, "--box", 4) if args.box else None
    if box is not None and (box[2] <= 0 or box[3] <= 0):
        raise ValueError("--box needs a positive width and height")
    if not points and box is None:
        raise ValueError("--model needs at least one --point or a --box")
    if args.refine:
        raise ValueError("--refine is for GrabCut and subject masks; a model's object mask is refined by its decoder")
    return ObjectParams(args.model, points, box, info.sha256()).to_dict()  # type: ignore[arg-type]


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
    from .chroma import cutout, despill, detect_screen
    from .generators import generate

    if params["kind"] == "chroma-key" and params["key"] == AUTO_KEY:
        params = {**params, "key": detect_screen(pixels)}
    mask = generate(pixels, params)
    if not apply:
        return mask
    if params["kind"] == "chroma-key" and params.get("despill"):
        pixels = despill(pixels, params["key"], params.get("despill_mode", "max"))
    return cutout(pixels, mask)


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
