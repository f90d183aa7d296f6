"""Opening, saving and exporting documents: the one entry point the UI and the CLI share.

Readers raise only FileFormatError; every write goes through atomic_write, so a
failed save never damages the file already on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np

from editor.core import FILL_LAYERS, Document, Group, Layer, Node

from .atomic import atomic_write
from .errors import DEFAULT_LIMITS, FileFormatError, Limits, OpenCancelled
from .images import (
    FORMAT_LABELS,
    IMAGE_EXTENSIONS,
    check_content_matches,
    decode_image,
    encode_image,
    encode_png,
    sniff,
)
from .ora_read import read_ora
from .ora_write import composite_rgba, write_ora

SUPPORTED_OPEN = (".ora", ".kra", ".psd", ".psb", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp")
EXPORT_IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".tif": "TIFF", ".tiff": "TIFF"}
SUPPORTED_EXPORT = (".ora", ".psd", ".psb", *EXPORT_IMAGE_FORMATS)
FLAT_ORA_SUFFIX = ".flat.ora"


def _extension(path: str | Path) -> str:
    return Path(path).suffix.lower()


def _read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise FileFormatError(path, "no such file") from None
    except IsADirectoryError:
        raise FileFormatError(path, "it is a folder, not a file") from None
    except OSError as e:
        raise FileFormatError(path, e.strerror or str(e)) from e


def _check_zip(path: str | Path, data: bytes, label: str) -> None:
    """A zip-based format whose name is not ORA: the content must at least be a zip."""
    if not data:
        raise FileFormatError(path, "the file is empty (0 bytes)")
    actual = sniff(data)
    if actual != "ORA":
        found = f"a {FORMAT_LABELS[actual]} file" if actual else "not a file format Veil knows"
        raise FileFormatError(path, f"its name says {label} (zip) but the content is {found}")


def _guarded(path: str | Path, read: Callable[[], Document]) -> Document:
    """Run a reader so that anything it raises reaches the caller as a FileFormatError."""
    try:
        return read()
    except (FileFormatError, OpenCancelled):
        raise
    except MemoryError:
        raise FileFormatError(path, "there is not enough memory to open it") from None
    except RecursionError:
        raise FileFormatError(path, "its structure is nested too deeply") from None
    except Exception as e:  # a damaged file can trip any library in countless ways
        raise FileFormatError(path, f"the file is damaged ({type(e).__name__}: {str(e)[:200]})") from e


def _no_progress(fraction: float) -> None:
    pass


def open_document(path: str | Path, *, limits: Limits = DEFAULT_LIMITS,
                  progress: Callable[[float], None] = _no_progress) -> Document:
    """Open an .ora, .kra, .psd or image file as a new document (doc.warnings says what was not kept).

    `progress(fraction)` is called as layers are read; it may raise OpenCancelled to stop the
    open, which then reaches the caller as it is."""
    ext = _extension(path)
    if ext not in SUPPORTED_OPEN:
        raise FileFormatError(path, f"Veil cannot open {ext or 'extension-less'} files "
                              f"(it opens {', '.join(SUPPORTED_OPEN)})")
    progress(0.0)
    data = _read_bytes(path)
    progress(0.05)

    def read() -> Document:
        if ext == ".ora":
            check_content_matches(path, data, "ORA")
            doc = read_ora(data, path, limits, progress=lambda f: progress(0.05 + 0.95 * f))
        elif ext == ".kra":
            from .kra_read import read_kra

            _check_zip(path, data, "Krita document")
            doc = read_kra(data, path, limits, progress=lambda f: progress(0.05 + 0.95 * f))
        elif ext in (".psd", ".psb"):
            from .psd import (
                read_psd,  # psd-tools takes a second to import; only PSD work pays for it
            )

            check_content_matches(path, data, "PSD")
            doc = read_psd(data, path, limits, progress=lambda f: progress(0.05 + 0.95 * f))
        else:
            rgba, notes = decode_image(data, path, fmt=IMAGE_EXTENSIONS[ext], limits=limits)
            doc = Document.from_pixels(rgba, name=Path(path).stem)
            doc.warnings = notes
        return doc

    doc = _guarded(path, read)
    progress(1.0)
    doc.path = str(path)
    doc.history.mark_clean()
    return doc


def load_image_layers(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> list[Node]:
    """"Open as layers": an image as one new Layer, or an .ora/.kra/.psd's top-level layers and groups.

    The nodes have no parent; the caller inserts them (one undo step) where it wants.
    """
    doc = open_document(path, limits=limits)
    nodes = list(doc.root.children)
    for node in nodes:
        doc.root.remove(node)
    return nodes


def _write(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    try:
        with atomic_write(path) as f:
            write(f)
    except OSError as e:
        raise FileFormatError(path, e.strerror or str(e), what="cannot save") from e


def _require(path: str | Path, allowed: tuple[str, ...], what: str) -> str:
    ext = _extension(path)
    if ext not in allowed:
        raise FileFormatError(path, f"{what} needs a file named {' or '.join(allowed)}", what="cannot save")
    return ext


def write_project(doc: Document, path: str | Path, *, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Write the project as .ora (atomically) without touching `doc`, so it may run on a worker thread.

    When `cancelled` turns True midway, SaveCancelled is raised and the file is left as it was."""
    _require(path, (".ora",), "a Veil project")
    _write(path, lambda f: write_ora(doc, f, cancelled=cancelled))


def save_document(doc: Document, path: str | Path, *, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Save the project as .ora (atomically); the document becomes clean and remembers the path."""
    write_project(doc, path, cancelled=cancelled)
    doc.history.mark_clean()
    doc.path = str(path)


def export_image(doc: Document, path: str | Path, *, quality: int = 90,
                 background: tuple[int, int, int] = (255, 255, 255)) -> None:
    """The composite as PNG (alpha), JPEG (flattened on `background`), WebP or TIFF, from the extension."""
    fmt = EXPORT_IMAGE_FORMATS[_require(path, tuple(EXPORT_IMAGE_FORMATS), "an image export")]
    data = encode_image(composite_rgba(doc), fmt, quality=quality, background=background)
    _write(path, lambda f: f.write(data))


def export_psd(doc: Document, path: str | Path) -> None:
    from .psd_write import PSD_MAX_SIDE, write_psd

    ext = _require(path, (".psd", ".psb"), "a Photoshop export")
    if ext == ".psd" and max(doc.width, doc.height) > PSD_MAX_SIDE:
        raise FileFormatError(path, f"a .psd holds at most {PSD_MAX_SIDE} pixels a side; save it as .psb",
                              what="cannot save")
    _write(path, lambda f: write_psd(doc, f, big=ext == ".psb"))


def export_warnings(doc: Document, path: str | Path, *, flatten_masks: bool = False) -> list[str]:
    """What an export to `path` keeps only as pixels (adjustment and filter layers in a PSD or a
    flattened-masks ORA), for the export dialog and `veil convert` to say."""
    from .maskbake import baked_nodes

    ext = _extension(path)
    if not (ext in (".psd", ".psb") or flatten_masks or str(path).lower().endswith(FLAT_ORA_SUFFIX)):
        return []
    from .psd_adjust import writable

    keep = writable if ext in (".psd", ".psb") and not flatten_masks else None  # a PSD keeps adjustments live
    return [f"'{node.name}': {getattr(node, 'adjustment', node.kind).replace('_', ' ')} layer rendered into a "
            "pixel layer" for node in baked_nodes(doc, keep)]


def export_flat_ora(doc: Document, path: str | Path) -> None:
    """An .ora with every mask applied to its layer, for editors that ignore dst-in mask layers."""
    _require(path, (".ora",), "a flattened-masks OpenRaster export")
    _write(path, lambda f: write_ora(doc, f, flatten_masks=True))


def export_layer_png(layer: Node, path: str | Path) -> None:
    """One pixel layer's own pixels (not masked, no opacity) as an RGBA PNG."""
    _require(path, (".png",), "a layer export")
    if not isinstance(layer, Layer):
        kind = "group" if isinstance(layer, Group) else "fill layer" if isinstance(layer, FILL_LAYERS) else "node"
        raise ValueError(f"only pixel layers can be exported as PNG, not a {kind}")
    data = encode_png(layer.pixels)
    _write(path, lambda f: f.write(data))


def export_mask_png(node: Node, path: str | Path) -> None:
    """A node's mask data as an 8-bit grayscale PNG (white shows, black hides)."""
    _require(path, (".png",), "a mask export")
    if node.mask is None:
        raise ValueError(f"{node.name} has no mask")
    data = encode_png(np.ascontiguousarray(node.mask.data))
    _write(path, lambda f: f.write(data))


def convert(src: str | Path, dst: str | Path, *, flatten_masks: bool = False,
            edit: Callable[[Document], object] | None = None) -> Document:
    """Open `src` and write it as .psd (.psb), .ora, or flattened-masks .ora (flatten_masks or *.flat.ora);
    `edit(doc)` runs between (`veil convert --crop ...` passes its geometry steps)."""
    ext = _require(dst, (".ora", ".psd", ".psb"), "convert")
    doc = open_document(src)
    if edit is not None:
        edit(doc)
    if ext in (".psd", ".psb"):
        export_psd(doc, dst)
    elif flatten_masks or str(dst).lower().endswith(FLAT_ORA_SUFFIX):
        export_flat_ora(doc, dst)
    else:
        save_document(doc, dst)
    return doc
