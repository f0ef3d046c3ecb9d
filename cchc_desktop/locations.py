"""Where the files shipped beside the package live: `ui/`, `resources/`, `templates_docx/`
sit at the top of the project (the product owner's layout), not inside the package.

Looked up in (1) the project folder — a checkout or an editable install; (2) `sys._MEIPASS`,
where a PyInstaller build unpacks its data; (3) `<prefix>/share/cchc-desktop`, where a plain
`pip install .` puts them (pyproject's data-files).
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def roots() -> list[Path]:
    found = [PROJECT_ROOT]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle))
    found.append(Path(sys.prefix) / "share" / "cchc-desktop")
    return found


def find(kind: str, name: str) -> Path:
    """`find("ui", "unit_profile.ui")`; a missing file is a packaging bug, so the message names
    every place searched and tells the clerk the one thing they can do."""
    tried = []
    for root in roots():
        path = root / kind / name
        if path.is_file():
            return path
        tried.append(str(path))
    raise FileNotFoundError(
        f"Thiếu tệp của chương trình: {name} (đã tìm ở {', '.join(tried)}). Hãy cài đặt lại CCHC Desktop."
    )
