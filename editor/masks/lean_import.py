"""Import a few modules of a package without running the package's `__init__` files.

pymatting's `__init__` files import every matting method it has, and its numba kernels carry
explicit signatures, so importing compiles all of them: about 30 kernels, 210 s with an empty
cache on a loaded 2-core machine, where the closed-form alpha and the foreground estimation that
Refine Edge uses need a fifth of that. So the package and its subpackages are first registered
as bare modules whose `__path__` lets their submodules import as usual; the first time code asks
one of them for a name it does not have yet (`from pymatting import cutout`, `import *`), its own
`__init__` runs after all, so other users of the package see it whole.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

_lock = threading.RLock()  # a package's `__init__` may ask another deferred package for a name


class _DeferredPackage(ModuleType):
    """A package registered without running its `__init__`; runs it on the first name it lacks."""

    def __getattr__(self, name: str):
        if name.startswith("__") and name != "__all__":  # the import system's own probes
            raise AttributeError(name)
        with _lock:
            if type(self) is _DeferredPackage:
                self.__class__ = ModuleType  # once: names the `__init__` does not define stay missing
                init = Path(self.__path__[0]) / "__init__.py"
                exec(compile(init.read_text(encoding="utf-8"), str(init), "exec"), self.__dict__)
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


def import_without_init(package: str, modules: Sequence[str]) -> list[ModuleType]:
    """`package.module` for each of `modules` (dotted below the package); the package's and its
    subpackages' `__init__` files run only if someone later needs a name they define. A package
    imported already is used as it is."""
    import sys

    with _lock:
        if package not in sys.modules:
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                raise ImportError(f"{package} is not an installed package")
            root = Path(next(iter(spec.submodule_search_locations)))
            for folder in [root, *sorted(p.parent for p in root.rglob("__init__.py") if p.parent != root)]:
                name = ".".join([package, *folder.relative_to(root).parts])
                stub = _DeferredPackage(name)
                stub.__path__ = [str(folder)]
                stub.__package__ = name
                stub.__spec__ = importlib.util.spec_from_file_location(
                    name, folder / "__init__.py", submodule_search_locations=[str(folder)])
                sys.modules[name] = stub
                if folder != root:  # `pymatting.alpha` is also an attribute of `pymatting`
                    parent, _, leaf = name.rpartition(".")
                    setattr(sys.modules[parent], leaf, stub)
    return [importlib.import_module(f"{package}.{m}") for m in modules]
