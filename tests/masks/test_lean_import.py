import sys

import pytest

from editor.masks.lean_import import import_without_init


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A package whose __init__ files record that they ran and import a module that must not load."""
    root = tmp_path / "toypkg"
    (root / "sub").mkdir(parents=True)
    (root / "other").mkdir()
    (root / "__init__.py").write_text("import builtins\nbuiltins.TOY_INITS.append('toypkg')\n"
                                      "from toypkg.other import *\nfrom toypkg.sub.heavy import HEAVY\n")
    (root / "sub" / "__init__.py").write_text("import builtins\nbuiltins.TOY_INITS.append('sub')\n"
                                              "from toypkg.sub.heavy import HEAVY\n")
    (root / "sub" / "light.py").write_text("from toypkg.other.util import helper\nLIGHT = helper() + 1\n")
    (root / "sub" / "heavy.py").write_text("import builtins\nbuiltins.TOY_INITS.append('heavy')\nHEAVY = 2\n")
    (root / "other" / "__init__.py").write_text("import builtins\nbuiltins.TOY_INITS.append('other')\n"
                                                "from toypkg.other.util import helper\n")
    (root / "other" / "util.py").write_text("def helper():\n    return 41\n")
    import builtins

    monkeypatch.setattr(builtins, "TOY_INITS", [], raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield builtins.TOY_INITS
    for name in [n for n in sys.modules if n == "toypkg" or n.startswith("toypkg.")]:
        del sys.modules[name]


def test_submodules_import_without_any_package_init(toy):
    (light,) = import_without_init("toypkg", ["sub.light"])
    assert light.LIGHT == 42
    assert toy == []  # neither toypkg's, sub's nor other's __init__ ran, and heavy never loaded
    assert "toypkg.sub.heavy" not in sys.modules


def test_a_name_only_the_init_defines_runs_that_init_once(toy):
    import_without_init("toypkg", ["sub.light"])
    import toypkg

    assert toypkg.HEAVY == 2  # the package's __init__ ran now, and the subpackages' it needs
    assert toy.count("toypkg") == 1 and "other" in toy and "heavy" in toy
    from toypkg.other import helper

    assert helper() == 41 and toy.count("other") == 1
    with pytest.raises(AttributeError):
        toypkg.missing  # noqa: B018


def test_a_package_imported_already_is_used_as_it_is(toy):
    import importlib

    real = importlib.import_module("toypkg")
    assert toy.count("toypkg") == 1
    (light,) = import_without_init("toypkg", ["sub.light"])
    assert light.LIGHT == 42 and toy.count("toypkg") == 1 and sys.modules["toypkg"] is real
