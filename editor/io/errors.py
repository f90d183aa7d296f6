"""The one error every reader and writer raises, and the limits that guard untrusted files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from editor.core.document import MAX_CANVAS_SIDE


class FileFormatError(Exception):
    """A file Veil cannot read or write: says what, which file and why."""

    def __init__(self, path: str | Path, why: str, *, what: str = "cannot open") -> None:
        self.path = str(path)
        self.why = why
        super().__init__(f"{what} {Path(path).name!r} ({self.path}): {why}")


class SaveCancelled(Exception):
    """A save stopped on request before it finished; the file on disk is as it was."""


class OpenCancelled(Exception):
    """An open stopped on request before it finished (raised by the caller's progress callback)."""


@dataclass(frozen=True)
class Limits:
    """Ceilings for untrusted input, checked from headers before anything is decoded."""

    max_pixels: int = 300_000_000  # one image, or a document's canvas (a decompression bomb beyond)
    max_total_pixels: int = 1_500_000_000  # all layers of one document together
    max_archive_bytes: int = 4 << 30  # an .ora's members, uncompressed, all together
    max_xml_bytes: int = 16 << 20  # stack.xml
    max_layers: int = 10_000
    max_offset: int = 1_000_000  # |x|, |y| of a layer in stack.xml
    # groups inside groups: the compositor recurses once a level and runs out of Python's stack
    # near 170 (Photoshop itself stops at 10)
    max_depth: int = 100

    def canvas_size(self, path: str | Path, source: str, width: str | None, height: str | None) -> tuple[int, int]:
        """The canvas size a document's XML (`source`, e.g. stack.xml) declares, checked before
        anything is allocated for it."""
        try:
            w, h = int(width or ""), int(height or "")
        except ValueError:
            raise FileFormatError(path, f"{source} has a bad canvas size {width!r}x{height!r}") from None
        if not (0 < w <= MAX_CANVAS_SIDE and 0 < h <= MAX_CANVAS_SIDE) or w * h > self.max_pixels:
            raise FileFormatError(path, f"{source} declares an impossible canvas size {w}x{h}")
        return w, h


DEFAULT_LIMITS = Limits()
