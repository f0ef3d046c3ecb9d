"""Removing what an interrupted backup, first run or export left behind.

A power cut or a pulled USB stick in the middle of writing leaves our temporary files beside
the real ones: in the data folder, in ``backups`` (a backup is up to the size of the data
file), and in the clerk's export folder. Only files that match our own temp names are
touched, never a file the clerk or another program made, and none younger than a minute,
which another window may still be writing.
"""

from __future__ import annotations

import re
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from cchc_desktop.system.atomic import is_our_temp

STALE_AFTER_SECONDS = 60
EXPORT_TMP_MAX_BYTES = 30 * 1024 * 1024
# What system.atomic writes (backups, copies taken out, exports, exchange files) and what store
# names the same way (the first run's file, the write probe) is recognised by atomic.is_our_temp.
# Exports of versions before it were "~<name>.<8 of [a-z0-9_]>.tmp" (mkstemp's): still ours when
# they look like a Word/Excel file being written. Word's own "~WRL0001.tmp" and "~$name.docx"
# do not match.
_OLD_EXPORT_TMP = re.compile(r"^~.+\.[a-z0-9_]{8}\.tmp$")
_ZIP_MAGIC = b"PK\x03\x04"  # .docx and .xlsx are zip files


def remove_stale_temps(folders: Iterable[Path | str | None]) -> list[Path]:
    """Delete our stale temp files directly in each folder (not below); returns what went.
    Never raises: a folder that is gone or a file that will not go is simply skipped."""
    removed = []
    cutoff = time.time() - STALE_AFTER_SECONDS
    for folder in folders:
        for path in _entries(folder):
            if _is_stale_temp(path, cutoff) and _removed(path):
                removed.append(path)
    return removed


def _entries(folder: Path | str | None) -> list[Path]:
    if not folder:
        return []
    try:
        return list(Path(folder).iterdir())
    except OSError:
        return []


def _is_stale_temp(path: Path, cutoff: float) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_mtime > cutoff:
        return False
    if is_our_temp(path.name):
        return True
    return (_OLD_EXPORT_TMP.match(path.name) is not None and info.st_size <= EXPORT_TMP_MAX_BYTES
            and _looks_like_export(path))


def _looks_like_export(path: Path) -> bool:
    """Empty (killed before the first byte) or a zip, as a Word or Excel file being written is."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_ZIP_MAGIC))
    except OSError:
        return False
    return head in (b"", _ZIP_MAGIC)


def _removed(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
