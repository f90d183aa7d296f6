"""Reading zip archives from strangers: names, sizes and duplicates checked before anything is read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from .errors import FileFormatError, Limits


class SafeArchive:
    """A zip whose member list has been checked: no escaping paths, no duplicates, bounded total size."""

    def __init__(self, data: bytes, path: str | Path, limits: Limits) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
            raise FileFormatError(path, f"it is not a readable zip archive ({e})") from e
        self.members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
                raise FileFormatError(path, f"the archive member {name!r} points outside the archive")
            if name in self.members:
                raise FileFormatError(path, f"the archive holds {name!r} twice")
            self.members[name] = info
            total += info.file_size
            if total > limits.max_archive_bytes:
                raise FileFormatError(path, f"its members would expand past {limits.max_archive_bytes >> 20} MiB "
                                      "(possible zip bomb)")

    def read(self, name: str, *, max_bytes: int | None = None) -> bytes:
        info = self.members.get(name)
        if info is None:
            raise FileFormatError(self.path, f"the archive has no {name!r}")
        if max_bytes is not None and info.file_size > max_bytes:
            raise FileFormatError(self.path, f"{name!r} is too large ({info.file_size} bytes)")
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
            raise FileFormatError(self.path, f"{name!r} in the archive is damaged ({e})") from e
        except Exception as e:  # zlib.error and friends
            raise FileFormatError(self.path, f"{name!r} in the archive is damaged ({type(e).__name__}: {e})") from e

    def __contains__(self, name: str) -> bool:
        return name in self.members
