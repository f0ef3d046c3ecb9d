"""The USB-stick folder as one zip: the PyInstaller bundle under "CCHC Desktop/" with
``portable.txt`` beside the program, so every file the program writes (database, backups, logs,
settings) goes to a ``data`` folder beside it and nothing stays on the PC.

    python installer/make_portable.py DIST_DIR      ->  DIST_DIR/CCHC-Desktop-portable-<version>.zip

DIST_DIR holds the ``cchc-desktop/`` bundle folder. The clerk unzips it onto the stick and
starts ``CCHC Desktop/cchc-desktop.exe``. Used by .ci/run (Linux bundle) and by the Windows
workflow (the real .exe). Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "CCHC Desktop"  # what the clerk sees on the stick
# the marker's name is the program's (cchc_desktop/system/data_dirs.PORTABLE_MARKER); its words
# are for whoever opens it
MARKER = "portable.txt"
MARKER_TEXT = ("Dữ liệu nằm trong thư mục data bên cạnh chương trình (chế độ chạy từ USB).\r\n"
               "Xóa tệp này thì chương trình dùng thư mục dữ liệu của người dùng trên máy.\r\n")


def version() -> str:
    text = (ROOT / "cchc_desktop" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def make_portable(dist: Path) -> Path:
    bundle = dist / "cchc-desktop"
    if not bundle.is_dir():
        raise SystemExit(f"no bundle folder {bundle}: build it first (python -m PyInstaller build_installer.spec)")
    out = dist / f"CCHC-Desktop-portable-{version()}.zip"
    tmp = out.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(bundle.rglob("*")):
            if path.is_file() and path.name != MARKER:
                info = zipfile.ZipInfo.from_file(path, f"{FOLDER}/{path.relative_to(bundle).as_posix()}")
                info.compress_type = zipfile.ZIP_DEFLATED  # from_file keeps the mode bits (the Linux launcher's x)
                with path.open("rb") as src:
                    zf.writestr(info, src.read())
        zf.writestr(f"{FOLDER}/{MARKER}", MARKER_TEXT.encode("utf-8"))
    tmp.replace(out)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python installer/make_portable.py DIST_DIR")
    made = make_portable(Path(sys.argv[1]))
    print(f"portable zip: {made} ({made.stat().st_size / 1e6:.1f} MB)")
