"""Help > About Veil: version, bundled libraries' licences from their metadata, sample credits."""

from __future__ import annotations

from email.message import Message
from importlib import metadata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from editor import __version__
from editor.ui.about import SAMPLE_CREDITS, AboutDialog, bundled_libraries, licence_of


def _key(name: str) -> str:
    return name.lower().replace("_", "-")


def _meta(**fields) -> Message:
    meta = Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            meta[key.replace("_", "-")] = item
    return meta


def test_licence_prefers_the_spdx_expression():
    assert licence_of(_meta(License_Expression="BSD-3-Clause", License="BSD")) == "BSD-3-Clause"


def test_licence_falls_back_to_classifiers_when_the_field_holds_the_whole_text():
    meta = _meta(License="Copyright (c) 2001\nAll rights reserved.\n...",
                 Classifier=["Programming Language :: Python", "License :: OSI Approved :: BSD License"])
    assert licence_of(meta) == "BSD License"
    assert licence_of(_meta(License="Apache 2.0")) == "Apache 2.0"
    assert licence_of(_meta()).startswith("unknown")


def test_bundled_libraries_follow_requirements_transitively_but_not_extras():
    libraries = {_key(lib.name): lib for lib in bundled_libraries()}
    for direct in ("numpy", "pyside6-essentials", "numba", "psd-tools", "qtawesome"):
        assert direct in libraries
    assert "llvmlite" in libraries  # through numba
    assert "shiboken6" in libraries  # through PySide6
    assert "pytest" not in libraries and "ruff" not in libraries  # the dev extra is not shipped
    assert "veil" not in libraries
    assert libraries["numpy"].version == metadata.version("numpy")
    assert all(lib.licence and not lib.licence.startswith("unknown") for lib in libraries.values())


def test_help_about_opens_the_dialog_with_version_libraries_and_credits(make_window, qtbot):
    window = make_window()
    about = window.actions["about"]
    assert about in window.menus["help"].actions()
    about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # open(), not a blocking exec()
    assert f"Veil {__version__}" in dialog.summary.text()

    table = dialog.libraries
    rows = {_key(table.item(r, 0).text()): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    assert rows["numpy"] == (metadata.version("numpy"), licence_of(metadata.metadata("numpy")))
    assert "pyside6-essentials" in rows

    credits = dialog.credits.toPlainText()
    assert SAMPLE_CREDITS.read_text(encoding="utf-8").strip() in credits
    assert "Chelsea" in credits and "Material Design Icons" in credits

    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is None, timeout=2000)  # deleted on close
