"""Where the window's runtime files live: Designer forms in `ui/`, the stylesheet and icons
in `resources/`, both at the top of the project (the product owner's layout).

The search itself is `cchc_desktop.system.shipped` (shared with the Word template).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon

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
