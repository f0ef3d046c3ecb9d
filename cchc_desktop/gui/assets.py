"""Where the window's runtime files live: Designer forms in `ui/`, the stylesheet and icons
in `resources/`, both at the top of the project (the product owner's layout) — and how the
stylesheet's sections and colours reach the widgets.

The search itself is `cchc_desktop.system.shipped` (shared with the Word template).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from cchc_desktop.system.shipped import find  # noqa: F401  (re-exported for the window's modules)

SECTION = re.compile(r"/\*\s*@section\s+(\w+)")
_COLOUR = re.compile(r"^\s*(\w+)\s*:\s*(#[0-9a-fA-F]{6})\s*;", re.MULTILINE)
# every colour the code reads from the "colours" section; the palette's roles among them
COLOUR_NAMES = ("window", "base", "text", "highlight", "damaged", "placeholder", "unknownPlaceholder",
                "proseFinding")
_PALETTE_ROLES = {"window": (QPalette.Window,), "base": (QPalette.Base,),
                  "text": (QPalette.WindowText, QPalette.Text), "highlight": (QPalette.Highlight,)}


def ui_file(name: str) -> Path:
    return find("ui", name)


def stylesheet() -> str:
    try:
        return find("resources", "style.qss").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""  # the window still works in plain Fusion; only the looks suffer


@lru_cache(maxsize=None)
def sections() -> dict[str, str]:
    """style.qss cut at its "/* @section NAME" comments: NAME → the rules up to the next one."""
    text = stylesheet()
    starts = list(SECTION.finditer(text))
    ends = [m.start() for m in starts[1:]] + [len(text)]
    return {m.group(1): text[m.start():end] for m, end in zip(starts, ends)}


def sheet(*names: str) -> str:
    return "\n".join(sections().get(name, "") for name in names)


def styled(widget: QWidget, *names: str) -> QWidget:
    """Gives `widget` (and what it holds) the stylesheet's sections `names` — only where a
    section is set does Qt's stylesheet engine do its (slow) work."""
    widget.setStyleSheet(sheet(*names))
    return widget


def role(widget: QWidget, name: str) -> QWidget:
    """A label that says something about the window ("hint", "noticeBar", "saveState"…): its
    objectName is the selector of its rule in the "labels" section."""
    widget.setObjectName(name)
    return styled(widget, "labels")


@lru_cache(maxsize=None)
def _colours() -> dict[str, str]:
    return dict(_COLOUR.findall(sections().get("colours", "")))


def colour(name: str) -> QColor:
    """The stylesheet's colour `name` (COLOUR_NAMES); the palette's text colour when the
    stylesheet does not give one."""
    written = _colours().get(name)
    return QColor(written) if written else QApplication.palette().text().color()


def palette(base: QPalette) -> QPalette:
    """Fusion's palette with the stylesheet's window, field, text and selection colours."""
    pal = QPalette(base)
    for name, roles in _PALETTE_ROLES.items():
        if name in _colours():
            for r in roles:
                pal.setColor(r, colour(name))
    return pal


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """An icon from resources/icons/<name>.svg (SVG: sharp at any screen scaling)."""
    try:
        return QIcon(str(find("resources", f"icons/{name}.svg")))
    except FileNotFoundError:
        return QIcon()
