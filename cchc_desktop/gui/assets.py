"""Where the window's runtime files live: Designer forms in `ui/`, the stylesheet and icons
in `resources/`, both at the top of the project (the product owner's layout).

The search itself is `cchc_desktop.system.shipped` (shared with the Word template).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import Property
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from cchc_desktop.system.shipped import find  # noqa: F401  (re-exported for the window's modules)


def ui_file(name: str) -> Path:
    return find("ui", name)


def stylesheet() -> str:
    try:
        return find("resources", "style.qss").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""  # the window still works in plain Fusion; only the looks suffer


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """An icon from resources/icons/<name>.svg (SVG: sharp at any screen scaling)."""
    try:
        return QIcon(str(find("resources", f"icons/{name}.svg")))
    except FileNotFoundError:
        return QIcon()


# --- colours Qt wants as a QColor ------------------------------------------------------------
# Every colour is in resources/style.qss. Most reach widgets through selectors; the few that
# Qt takes only as a QColor (a table item's text, a highlighter's format) are declared there
# too, as properties of this never-shown widget — "SheetColours { qproperty-damaged: … }" —
# and Qt's own stylesheet engine sets them when the widget is polished. So the stylesheet
# stays the one place a colour is written, and a missing stylesheet leaves plain text colour.
COLOUR_NAMES = ("damaged", "placeholder", "unknownPlaceholder")


def _colour_property(name: str) -> Property:
    return Property(QColor, lambda self: self._colours.get(name, QColor()),
                    lambda self, value: self._colours.__setitem__(name, QColor(value)))


class SheetColours(QWidget):
    # declared in the class body: Qt's meta-object (which qproperty-… needs) is built from it
    damaged = _colour_property("damaged")
    placeholder = _colour_property("placeholder")
    unknownPlaceholder = _colour_property("unknownPlaceholder")

    def __init__(self):
        super().__init__()
        self._colours: dict[str, QColor] = {}


def colour(name: str) -> QColor:
    """The stylesheet's colour `name` (COLOUR_NAMES); the palette's text colour when the
    stylesheet does not give one. Read when needed, not kept: the sheet is applied once at
    start, after which this is a widget's polish (microseconds)."""
    holder = SheetColours()
    holder.ensurePolished()
    value = holder.property(name)
    holder.deleteLater()
    return value if isinstance(value, QColor) and value.isValid() else QApplication.palette().text().color()
