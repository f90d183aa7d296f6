"""One registry of operations, shared by the menus, the command line and batch recipes.

An `Operation` is an id, a callable on a `Document` and a parameter `Schema`.
The schema says what each parameter is (type, range, choices, default, help),
validates a dict of values with a message that names the parameter and says
why (`ParamError`), and serialises values to and from JSON and TOML. The Mask
menu, the mask dialogs' lookup, `veil mask`'s flags and a recipe's mask step
are all built from what is registered here: a new generator registers itself
once and appears everywhere (napari's app-model command registry is the model).

Core knows no generator: `editor.masks.generators` registers them on
`REGISTRY` when it is imported. Only stdlib here (the import contracts keep
core free of the rest of the editor).
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
KINDS = ("float", "int", "bool", "str", "choice", "colour", "colour-list", "rect", "point-list", "list", "table",
         "length")
_HEX = re.compile(r"^#?[0-9a-fA-F]{6}$")


class ParamError(ValueError):
    """A bad parameter value or an unknown parameter; `path` names it (e.g. "mask.tolerance")."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


def parse_colour(value: Any) -> tuple[int, int, int]:
    """'#rrggbb', 'rrggbb' or an [r, g, b] list of 0..255 integers; ValueError otherwise."""
    if isinstance(value, str):
        if not _HEX.match(value):
            raise ValueError(f"a colour is #rrggbb, not {value!r}")
        digits = value.lstrip("#")
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    if isinstance(value, Sequence) and len(value) == 3 and all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in value):
        return int(value[0]), int(value[1]), int(value[2])
    raise ValueError(f"a colour is #rrggbb or [r, g, b] in 0..255, not {value!r}")


def _numbers(value: Any, count: int, what: str) -> tuple[float, ...]:
    parts: Sequence[Any]
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, Sequence):
        parts = value
    else:
        parts = ()
    try:
        numbers = tuple(float(p) for p in parts if not isinstance(p, bool))
    except (TypeError, ValueError):
        numbers = ()
    if len(numbers) != count or len(parts) != count or not all(math.isfinite(n) for n in numbers):
        raise ValueError(f"must be {what}, not {value!r}")
    return numbers


def _length(value: Any) -> int | str:
    """Pixels (int >= 0, canonical int) or a percentage ("5%", canonical "5%")."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
        if m:
            return f"{float(m.group(1)):g}%"
        m = re.fullmatch(r"(\d+)\s*(px)?", text)
        if m:
            return int(m.group(1))
    raise ValueError(f"must be pixels (an integer >= 0) or a percentage such as \"5%\", not {value!r}")


@dataclass(frozen=True)
class Param:
    """One parameter of an operation.

    kind: one of KINDS. `choices` for "choice"; `minimum`/`maximum` (inclusive unless
    `below` is set, which makes the maximum exclusive) for numbers; `nullable` lets None
    (and, in TOML, leaving the key out) mean "not set"; `check` is an extra test that
    raises ValueError with the reason. `flag` is its command-line flag ("" derives
    --name-with-dashes, None keeps it off the command line); `metavar` shows there.
    """

    name: str
    kind: str
    default: Any = REQUIRED
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    below: bool = False
    choices: tuple[str, ...] = ()
    nullable: bool = False
    check: Callable[[Any], None] | None = None
    flag: str | None = ""
    metavar: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"parameter {self.name}: unknown kind {self.kind!r}")

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def cli_flag(self) -> str | None:
        if self.flag is None:
            return None
        return self.flag or "--" + self.name.replace("_", "-")

    def describe(self) -> str:
        """What values it takes, for help texts and error messages."""
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind in ("float", "int"):
            lo = "" if self.minimum is None else f"{self.minimum:g}"
            hi = "" if self.maximum is None else f"{self.maximum:g}"
            if lo and hi:
                return f"{self.kind} in [{lo}, {hi}{')' if self.below else ']'}"
            if lo:
                return f"{self.kind} >= {lo}"
            return f"{self.kind} <= {hi}" if hi else self.kind
        return {"colour": "#rrggbb", "colour-list": "a list of #rrggbb", "rect": "x, y, w, h",
                "length": "pixels (an integer >= 0) or a percentage such as \"5%\"",
                "point-list": "a list of [x, y, label]"}.get(self.kind, self.kind)

    def coerce(self, value: Any, path: str) -> Any:
        """The value in canonical form (JSON-able); ParamError naming `path` when it is bad."""
        try:
            return self._coerce(value)
        except ParamError:
            raise
        except (TypeError, ValueError) as e:
            raise ParamError(path, str(e)) from None

    def _coerce(self, value: Any) -> Any:
        if value is None:
            if self.nullable:
                return None
            raise ValueError(f"needs a value ({self.describe()})")
        kind = self.kind
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise ValueError(f"must be true or false, not {value!r}")
        if kind in ("float", "int"):
            out = self._number(value)
        elif kind == "str":
            if not isinstance(value, str):
                raise ValueError(f"must be text, not {value!r}")
            out = value
        elif kind == "choice":
            if value not in self.choices:
                raise ValueError(f"must be one of {', '.join(self.choices)}, not {value!r}")
            out = value
        elif kind == "colour":
            out = "#{:02x}{:02x}{:02x}".format(*parse_colour(value))
        elif kind == "colour-list":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, Sequence) or not items:
                raise ValueError(f"needs at least one colour, not {value!r}")
            out = [list(parse_colour(v)) for v in items]
        elif kind == "rect":
            x, y, w, h = _numbers(value, 4, "x, y, w, h in pixels")
            if w <= 0 or h <= 0:
                raise ValueError(f"needs a positive width and height, not {value!r}")
            out = [int(round(x)), int(round(y)), int(round(w)), int(round(h))]
        elif kind == "point-list":
            if not isinstance(value, Sequence) or isinstance(value, str):
                raise ValueError(f"must be a list of [x, y, label], not {value!r}")
            out = []
            for p in value:
                x, y, label = _numbers(p, 3, "[x, y, label]")
                if label not in (0, 1):
                    raise ValueError(f"a point's label is 1 (add) or 0 (remove), not {label:g}")
                out.append([x, y, int(label)])
        elif kind == "length":
            out = _length(value)
        elif kind == "list":
            if not isinstance(value, Sequence) or isinstance(value, str):
                raise ValueError(f"must be a list, not {value!r}")
            out = list(value)
        else:  # table
            if not isinstance(value, Mapping):
                raise ValueError(f"must be a table, not {value!r}")
            out = dict(value)
        if self.check is not None:
            self.check(out)
        return out

    def _number(self, value: Any) -> float | int:
        if isinstance(value, bool):
            raise ValueError(f"must be a number ({self.describe()}), not {value!r}")
        try:
            number = float(value) if self.kind == "float" else value
            if self.kind == "int":
                number = int(value) if isinstance(value, str) else value
                if isinstance(number, float) and number.is_integer():
                    number = int(number)
                if not isinstance(number, int):
                    raise ValueError
        except (TypeError, ValueError):
            raise ValueError(f"must be {'an integer' if self.kind == 'int' else 'a number'} "
                             f"({self.describe()}), not {value!r}") from None
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError(f"must be a finite number, not {value!r}")
        too_low = self.minimum is not None and number < self.minimum
        too_high = self.maximum is not None and (number >= self.maximum if self.below else number > self.maximum)
        if too_low or too_high:
            raise ValueError(f"must be {self.describe()}, not {value!r}")
        return number


@dataclass(frozen=True)
class Schema:
    """An ordered set of parameters. `check(values)` is a cross-parameter test (ValueError)."""

    params: tuple[Param, ...] = ()
    check: Callable[[dict[str, Any]], None] | None = None

    def __iter__(self) -> Iterator[Param]:
        return iter(self.params)

    def __getitem__(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params if not p.required}

    def validate(self, data: Mapping[str, Any], where: str = "", *, ignore: Sequence[str] = ()) -> dict[str, Any]:
        """The values with defaults filled in, in canonical form. Unknown names, missing
        required ones and bad values raise ParamError naming `where.name`."""
        prefix = f"{where}." if where else ""
        if not isinstance(data, Mapping):
            raise ParamError(where, f"must be a table of parameters, not {data!r}")
        known = set(self.names())
        for name in data:
            if name not in known and name not in ignore:
                hint = f"; expected one of {', '.join(self.names())}" if self.params else "; it takes none"
                raise ParamError(f"{prefix}{name}", f"unknown parameter{hint}")
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in data:
                out[p.name] = p.coerce(data[p.name], prefix + p.name)
            elif p.required:
                raise ParamError(prefix + p.name, f"is required ({p.describe()})")
            else:
                out[p.name] = p.default
        if self.check is not None:
            try:
                self.check(out)
            except ParamError:
                raise
            except ValueError as e:
                raise ParamError(where, str(e)) from None
        return out

    # --- serialisation --------------------------------------------------------------------
    def to_json(self, values: Mapping[str, Any]) -> str:
        return json.dumps(self.validate(values), indent=2)

    def from_json(self, text: str, where: str = "") -> dict[str, Any]:
        return self.validate(json.loads(text), where)

    def to_toml(self, values: Mapping[str, Any]) -> str:
        return dumps_toml(self.validate(values))

    def from_toml(self, text: str, where: str = "") -> dict[str, Any]:
        return self.validate(tomllib.loads(text), where)


# --- TOML writing (tomllib reads; the standard library has no writer) ------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML cannot hold {value!r} here")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ValueError(f"TOML cannot hold {value!r}")


def dumps_toml(table: Mapping[str, Any], _prefix: str = "") -> str:
    """A TOML document for nested dicts of scalars and lists; None values are left out
    (TOML has no null: a nullable parameter left out reads back as None)."""
    lines: list[str] = []
    subtables: list[tuple[str, Mapping[str, Any]]] = []
    arrays: list[tuple[str, list[Mapping[str, Any]]]] = []
    for key, value in table.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            subtables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            arrays.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    out = "\n".join(lines)
    for key, sub in subtables:
        name = f"{_prefix}{_toml_key(key)}"
        out += f"\n\n[{name}]\n" + dumps_toml(sub, name + ".")
    for key, items in arrays:
        name = f"{_prefix}{_toml_key(key)}"
        for item in items:
            out += f"\n\n[[{name}]]\n" + dumps_toml(item, name + ".")
    return out.strip("\n") + ("\n" if not _prefix else "")


# --- operations and the registry -------------------------------------------------------------

@dataclass(frozen=True)
class MenuEntry:
    """Where an operation shows in a menu: the action's key, its text, order and shortcut.

    menu: the menu path, "image" or "image/Image Rotation" (a submenu, placed where its first
    entry is); "" is the category's own menu (the Mask menu for generators). section: a
    separator goes between consecutive entries of one menu whose sections differ. params: the
    values this entry runs with (90° Clockwise is rotate-canvas with angle 90); dialog: the
    name of the dialog that asks for the rest first (the window keeps one per name).
    enabled: enabled-when, a test on the document (None: always). slow: run in a worker
    (None: the operation's own `slow`; a quarter turn of rotate-canvas is exact and quick).
    """

    key: str
    text: str
    order: int = 100
    shortcut: str | None = None
    needs_mask: bool = False  # enabled only when the active layer has a mask
    menu: str = ""
    section: int = 0
    icon: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    dialog: str | None = None
    enabled: Callable[[Any], bool] | None = None
    slow: bool | None = None


@dataclass(frozen=True)
class CliEntry:
    """Where an operation shows on the command line: the subcommand (several operations can
    share one; `claims(values)` picks the one a command line means) and its help."""

    command: str
    help: str = ""
    claims: Callable[[dict[str, Any]], bool] | None = None
    from_cli: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # flag values -> params
    flags: tuple[tuple[str, Mapping[str, Any]], ...] = ()  # extra argparse flags that are no parameter


@dataclass(frozen=True)
class Operation:
    """An id, what it does to a document (`run(doc, params)`) and its parameters.

    label: the undo step's and the user's name for it. slow: seconds of work, so the
    window runs it in a worker. category groups operations ("mask" for mask generators).
    menu: one MenuEntry, or several when one operation is several menu items with fixed
    params (Image Rotation's 180°, 90° either way, Arbitrary…); `menu_entries()` lists them.
    """

    id: str
    label: str
    schema: Schema
    run: Callable[[Any, dict[str, Any]], Any]
    category: str = "general"
    slow: bool = False
    menu: MenuEntry | tuple[MenuEntry, ...] | None = None
    cli: CliEntry | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def menu_entries(self) -> tuple[MenuEntry, ...]:
        if self.menu is None:
            return ()
        return self.menu if isinstance(self.menu, tuple) else (self.menu,)

    def entry_slow(self, entry: MenuEntry) -> bool:
        return self.slow if entry.slow is None else entry.slow

    def validate(self, params: Mapping[str, Any], where: str = "") -> dict[str, Any]:
        """Validated params with defaults; a stored `kind` equal to this id is allowed."""
        kind = params.get("kind") if isinstance(params, Mapping) else None
        if kind is not None and kind != self.id:
            raise ParamError(f"{where}.kind" if where else "kind", f"is {kind!r}, not {self.id!r}")
        return self.schema.validate(params, where, ignore=("kind",))

    def __call__(self, doc: Any, params: Mapping[str, Any] | None = None) -> Any:
        return self.run(doc, self.validate(params or {}))


class Registry:
    """Operations by id, in the order they registered."""

    def __init__(self) -> None:
        self._ops: dict[str, Operation] = {}

    def register(self, op: Operation, *, replace: bool = False) -> Operation:
        if op.id in self._ops and not replace:
            raise ValueError(f"operation {op.id!r} is registered already")
        self._ops[op.id] = op
        return op

    def get(self, op_id: str) -> Operation:
        try:
            return self._ops[op_id]
        except KeyError:
            raise ValueError(f"unknown operation {op_id!r}; expected one of {', '.join(self._ops)}") from None

    def __contains__(self, op_id: object) -> bool:
        return op_id in self._ops

    def all(self, category: str | None = None) -> list[Operation]:
        return [op for op in self._ops.values() if category is None or op.category == category]

    def ids(self, category: str | None = None) -> list[str]:
        return [op.id for op in self.all(category)]

    def menu_entries(self, menu: str) -> list[tuple[Operation, MenuEntry]]:
        """Every (operation, entry) shown in `menu` or its submenus ("image" gives
        "image/Image Rotation" too), in their order."""
        found = [(op, e) for op in self._ops.values() for e in op.menu_entries()
                 if e.menu == menu or e.menu.startswith(menu + "/")]
        return sorted(found, key=lambda pair: pair[1].order)


REGISTRY = Registry()
