"""The one place that knows where the files shipped with the program are.

`SHIPPED` declares every shipped folder once; the PyInstaller spec builds its data list from it,
and a test holds pyproject's package-data and data-files to it (pyproject is static TOML and cannot
import it). Two kinds of folder:

* `package` folders sit inside the package (`cchc_desktop/catalogs`, with each catalog's side files),
  found beside the package's own modules (pip and PyInstaller both install the package as files,
  never zipped; `importlib.resources` would cost ~3 ms of every start for nothing);
* `top` folders sit at the top of the project (the product owner's layout: `ui/`, `resources/`,
  `templates_docx/`) and are looked up in (1) the project folder — a checkout or an editable
  install; (2) `sys._MEIPASS`, where a PyInstaller build unpacks its data; (3)
  `<prefix>/share/cchc-desktop`, where a plain `pip install .` puts them (pyproject's data-files).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "cchc_desktop"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # cchc_desktop/, from source, installed or frozen
PROJECT_ROOT = Path(__file__).resolve().parents[2]
INSTALLED_SHARE = ("share", "cchc-desktop")


@dataclass(frozen=True)
class Folder:
    """A folder shipped with the program, and the files a build must carry from it."""

    name: str
    where: str  # "package" | "top"
    patterns: tuple[str, ...]  # relative to the folder; what a build must carry


SHIPPED: dict[str, Folder] = {f.name: f for f in (
    Folder("catalogs", "package", ("*.toml",)),
    Folder("ui", "top", ("*.ui",)),
    Folder("resources", "top", ("*.qss", "icons/*.svg", "guide/*.html")),
    Folder("templates_docx", "top", ("*.docx",)),
)}


def package_folder(kind: str) -> Path:
    """`cchc_desktop/<kind>` as a real folder."""
    folder = SHIPPED[kind]
    assert folder.where == "package", kind
    return PACKAGE_DIR / kind


def roots() -> list[Path]:
    """Where a `top` folder may be, in order."""
    found = [PROJECT_ROOT]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle))
    found.append(Path(sys.prefix).joinpath(*INSTALLED_SHARE))
    return found


def find(kind: str, name: str) -> Path:
    """`find("ui", "unit_profile.ui")`; a missing file is a packaging bug, so the message names
    every place searched and tells the clerk the one thing they can do."""
    folder = SHIPPED[kind]
    bases = [package_folder(kind)] if folder.where == "package" else [root / kind for root in roots()]
    tried = []
    for base in bases:
        path = base / name
        if path.is_file():
            return path
        tried.append(str(path))
    raise FileNotFoundError(
        f"Thiếu tệp của chương trình: {name} (đã tìm ở {', '.join(tried)}). Hãy cài đặt lại CCHC Desktop."
    )


def bundle_datas(project: Path) -> list[tuple[str, str]]:
    """PyInstaller's `datas` for every shipped file: (source glob, destination folder)."""
    out = []
    for folder in SHIPPED.values():
        dest_root = f"{PACKAGE}/{folder.name}" if folder.where == "package" else folder.name
        src_root = project / PACKAGE / folder.name if folder.where == "package" else project / folder.name
        for pattern in folder.patterns:
            sub = str(Path(pattern).parent).replace("\\", "/")
            out.append((str(src_root / pattern), dest_root if sub == "." else f"{dest_root}/{sub}"))
    return out
