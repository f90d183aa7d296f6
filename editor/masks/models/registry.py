"""Where Veil finds segmentation models, and what each file is.

Searched, in order: rembg's model folder (`U2NET_HOME`, else
`$XDG_DATA_HOME/.u2net`, else `~/.u2net`, as rembg resolves it), Veil's own
per-user models folder (platformdirs' user data dir), and the files added
in Preferences (kept in `models.json` in the per-user config dir). A file's
family is read from its name (rembg's names) and checked against its
inputs, so a file that does not fit its family is refused with what was
expected rather than giving a wrong mask.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import platformdirs

from .families import (
    SALIENT_FAMILIES,
    SAM,
    PromptFamily,
    SalientFamily,
    expected_inputs,
    salient_family_for,
)

APP = "veil"


class ModelError(ValueError):
    """A model that cannot be found, recognised or run; the message says what was expected."""


@dataclass(frozen=True)
class ModelInfo:
    """One usable model: a salient-object file, or a segment-anything encoder/decoder pair."""

    name: str  # the file stem (a pair: the stem they share)
    family: SalientFamily | PromptFamily
    path: Path  # the model file; for a pair, the encoder
    decoder: Path | None = None
    source: str = ""  # which folder it was found in

    @property
    def kind(self) -> str:
        return self.family.kind

    def sha256(self) -> str:
        """The model file's content hash (the encoder's and decoder's together for a pair)."""
        return self._digest

    @cached_property
    def _digest(self) -> str:  # read once per ModelInfo: a model file is hundreds of MB
        digest = hashlib.sha256()
        for p in (self.path, self.decoder):
            if p is not None:
                with open(p, "rb") as f:
                    for block in iter(lambda f=f: f.read(1 << 20), b""):
                        digest.update(block)
        return digest.hexdigest()

    def describe(self) -> dict:
        return {"name": self.name, "family": self.family.name, "kind": self.kind, "path": str(self.path),
                "decoder": str(self.decoder) if self.decoder else None, "source": self.source}


def rembg_folder() -> Path:
    home = os.environ.get("U2NET_HOME")
    if home:
        return Path(home).expanduser()
    return Path(os.environ.get("XDG_DATA_HOME", "~"), ".u2net").expanduser()


def veil_folder() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "models"


def _config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "models.json"


def extra_files() -> list[Path]:
    """The model files the user added in Preferences."""
    try:
        data = json.loads(_config_file().read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [Path(p) for p in data.get("extra", []) if isinstance(p, str)]


def set_extra_files(paths: list[Path]) -> None:
    from editor.io.atomic import atomic_write

    target = _config_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(target) as f:
        f.write(json.dumps({"extra": [str(p) for p in paths]}, indent=2).encode("utf-8"))


def _pair_stem(path: Path) -> tuple[str, str] | None:
    """('stem', 'encoder'|'decoder') for a segment-anything half, by rembg's and the exporters'
    names: name.encoder.onnx, name_encoder.onnx, name-encoder.quant.onnx ..."""
    lowered = path.name.lower()
    for role in ("encoder", "decoder"):
        i = lowered.rfind(role)
        if i > 0 and lowered[i - 1] in "._-":
            rest = lowered[i + len(role):]
            return path.name[: i - 1] + rest.replace(".onnx", ""), role
    return None


def identify(path: Path, source: str = "") -> ModelInfo | None:
    """The model a single .onnx file is, or None if it is half of a pair (see `scan`)."""
    if _pair_stem(path) is not None:
        return None
    family = salient_family_for(path.stem)
    if family is None:
        raise ModelError(f"{path.name}: cannot tell which model family this file is. Veil expects {expected_inputs()}")
    return ModelInfo(path.stem, family, path, source=source)


def scan(folders: list[tuple[Path, str]] | None = None, extra: list[Path] | None = None) -> tuple[list[ModelInfo], list[str]]:
    """Every model found, and one line for each file that was skipped and why."""
    if folders is None:
        folders = [(rembg_folder(), "rembg"), (veil_folder(), "veil")]
    files: list[tuple[Path, str]] = []
    for folder, source in folders:
        if folder.is_dir():
            files += [(p, source) for p in sorted(folder.glob("*.onnx"))]
    files += [(p, "preferences") for p in (extra_files() if extra is None else extra)]
    found: dict[str, ModelInfo] = {}
    halves: dict[tuple[str, str], dict[str, Path]] = {}
    problems: list[str] = []
    for path, source in files:
        if not path.is_file():
            problems.append(f"{path}: not found")
            continue
        pair = _pair_stem(path)
        if pair is not None:
            halves.setdefault((pair[0], source), {})[pair[1]] = path
            continue
        try:
            info = identify(path, source)
        except ModelError as e:
            problems.append(str(e))
            continue
        if info is not None:
            found.setdefault(info.name, info)
    for (stem, source), parts in halves.items():
        if set(parts) == {"encoder", "decoder"}:
            found.setdefault(stem, ModelInfo(stem, SAM, parts["encoder"], parts["decoder"], source))
        else:
            missing = ({"encoder", "decoder"} - set(parts)).pop()
            problems.append(f"{next(iter(parts.values())).name}: its {missing} (the other half of the pair) is missing")
    return sorted(found.values(), key=lambda m: (m.kind, m.name)), problems


def resolve(name_or_path: str, kind: str | None = None) -> ModelInfo:
    """A model by the name `scan` gives it, or by a file path (an encoder's path finds its decoder)."""
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() == ".onnx" or path.exists():
        if not path.is_file():
            raise ModelError(f"{path}: no such model file")
        info = identify(path, "path")
        if info is None:  # half of a pair: find the other half beside it
            stem, role = _pair_stem(path)  # type: ignore[misc]
            other = "decoder" if role == "encoder" else "encoder"
            candidates = [p for p in path.parent.glob("*.onnx") if _pair_stem(p) == (stem, other)]
            if not candidates:
                raise ModelError(f"{path.name}: the {other} that belongs with it is not in {path.parent}")
            enc, dec = (path, candidates[0]) if role == "encoder" else (candidates[0], path)
            info = ModelInfo(stem, SAM, enc, dec, "path")
    else:
        models, _ = scan()
        matches = [m for m in models if m.name == name_or_path or m.family.name == name_or_path]
        if not matches:
            where = f"{rembg_folder()} or {veil_folder()}"
            names = ", ".join(m.name for m in models) or "none"
            raise ModelError(f"no model named {name_or_path!r} (found: {names}); put .onnx files in {where}")
        info = matches[0]
    if kind is not None and info.kind != kind:
        want = "a salient-object model (u2net, isnet, BiRefNet, bria-rmbg...)" if kind == "salient" else \
            "a segment-anything encoder/decoder pair"
        raise ModelError(f"{info.name} is a {info.family.name} model; this needs {want}")
    return info


def known_family_names() -> list[str]:
    return [*SALIENT_FAMILIES, SAM.name]
