"""Where the window's runtime files live: Designer forms in `ui/`, the stylesheet and icons
in `resources/`, both at the top of the project (the product owner's layout).

Looked up in (1) the project folder — a checkout or an editable install — and (2)
`sys._MEIPASS`, where a PyInstaller build unpacks its data files. A missing file is a
packaging bug, so the error names every place that was searched.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon

_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _roots() -> list[Path]:
    roots = [_PROJECT_ROOT]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle))
    return roots


def find(kind: str, name: str) -> Path:
    """`find("ui", "unit_profile.ui")`, `find("resources", "style.qss")`."""
    tried = []
    for root in _roots():
        path = root / kind / name
        if path.is_file():
            return path
        tried.append(str(path))
    raise FileNotFoundError(f"Thiếu tệp của chương trình: {name} (đã tìm ở {', '.join(tried)}). "
                            "Hãy cài đặt lại CCHC Desktop.")


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
