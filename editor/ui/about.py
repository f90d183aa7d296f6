"""Help > About Veil: the version, the licence of every bundled library, the sample photo credits.

The library list is read from the installed package metadata (importlib.metadata), walking
Veil's own requirements, so it matches what a source checkout or the frozen build really ships.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor import __version__

from .theme import APP_ICON, RESOURCES

APP_DISTRIBUTION = "veil"
SAMPLE_CREDITS = RESOURCES / "samples" / "CREDITS"
ICON_CREDIT = "Icons: Material Design Icons (Apache-2.0) through QtAwesome."
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def licence_of(meta) -> str:
    """The SPDX expression if the package states one, else its short License field, else its classifiers."""
    if expression := meta.get("License-Expression"):
        return expression
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 80:  # some packages paste the whole licence text here
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return ", ".join(classifiers) or "unknown (see the package's metadata)"


def bundled_libraries(root: str = APP_DISTRIBUTION) -> list[Library]:
    """Every installed distribution `root` needs, directly or not, sorted by name; `root` itself excluded.

    Optional extras (`; extra == "dev"`) are not followed; a requirement whose platform marker
    leaves it uninstalled simply is not found and is skipped.
    """
    seen: dict[str, Library] = {}
    pending = _requirement_names(root)
    while pending:
        name = pending.pop()
        key = _normalise(name)
        if key in seen or key == _normalise(root):
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = Library(dist.metadata["Name"], dist.version, licence_of(dist.metadata))
        pending.extend(_requirement_names(name))
    return sorted(seen.values(), key=lambda lib: lib.name.lower())


def _requirement_names(name: str) -> list[str]:
    try:
        requirements = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requirements:
        if "extra" in requirement.partition(";")[2]:
            continue
        if match := _REQUIREMENT_NAME.match(requirement):
            names.append(match.group(1))
    return names


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def sample_credits() -> str:
    text = SAMPLE_CREDITS.read_text(encoding="utf-8") if SAMPLE_CREDITS.exists() else "Sample credits not found."
    return f"{text.rstrip()}\n\n{ICON_CREDIT}\n"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Veil")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(), "Veil")
        self.libraries = self._libraries_table(bundled_libraries())
        self.tabs.addTab(self.libraries, "Libraries")
        self.credits = QPlainTextEdit(sample_credits())
        self.credits.setReadOnly(True)
        self.tabs.addTab(self.credits, "Credits")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def _about_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        logo = QLabel()
        logo.setPixmap(QIcon(str(APP_ICON)).pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel(
            f"<h2>Veil {__version__}</h2>"
            "<p>A layer-mask photo editor.</p>"
            f"<p>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}</p>"
            "<p>Released under the MIT licence.</p>")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addStretch()
        layout.addWidget(logo)
        layout.addWidget(self.summary)
        layout.addStretch()
        return tab

    @staticmethod
    def _libraries_table(libraries: list[Library]) -> QTableWidget:
        table = QTableWidget(len(libraries), 3)
        table.setHorizontalHeaderLabels(["Library", "Version", "Licence"])
        for row, lib in enumerate(libraries):
            for column, text in enumerate((lib.name, lib.version, lib.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return table
