"""The document's vector paths in an .ora: `veil/paths.json`, SVG path data per path.

Other programs ignore the extra member; a damaged or unreadable one costs
the paths only, with a warning, never the document.
"""

from __future__ import annotations

import json
import zipfile

from editor.core import Document
from editor.core.paths import VectorPath

from .archive import SafeArchive
from .errors import FileFormatError

PATHS_MEMBER = "veil/paths.json"
MAX_PATHS_BYTES = 64 << 20


def write_paths(doc: Document, zf: zipfile.ZipFile) -> None:
    if doc.paths:
        body = {"paths": [{"name": p.name, "d": p.to_svg()} for p in doc.paths]}
        zf.writestr(PATHS_MEMBER, json.dumps(body), compress_type=zipfile.ZIP_DEFLATED)


def read_paths(archive: SafeArchive, doc: Document) -> None:
    if PATHS_MEMBER not in archive:
        return
    try:
        body = json.loads(archive.read(PATHS_MEMBER, max_bytes=MAX_PATHS_BYTES))
        doc.paths = [VectorPath.from_svg(str(p["name"]), str(p["d"])) for p in body["paths"]]
    except (FileFormatError, ValueError, KeyError, TypeError) as e:
        doc.warnings.append(f"The vector paths could not be read ({e}); they were left out.")
