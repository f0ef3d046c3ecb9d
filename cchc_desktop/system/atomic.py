"""Putting a file in place whole: written under a temporary name beside it, fsynced, renamed.

Whoever opens the target sees the old file or the complete new one, never half of one, even
after a power cut or a USB stick pulled mid-write: os.replace is atomic within a folder, and
the fsyncs make sure the bytes are on the disk before the name points at them (of the file
before the rename, of the folder after it, or the rename itself may be lost). The exchange
file, the Word/Excel export and the backups all go through here.

Temporary files are named ``.cchc-<random>.tmp``: storage/housekeeping removes stale ones by
that name (``is_our_temp``), so a crash leaves nothing behind for long, and nothing the clerk
or another program made is ever taken for ours.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from cchc_desktop.errors import CchcError

__all__ = ["TEMP_PREFIX", "TEMP_SUFFIX", "AtomicWriteError", "fsync_dir", "fsync_file", "is_our_temp",
           "new_temp", "remove_temp", "replace_atomically", "why_not_written", "write_atomically"]

TEMP_PREFIX = ".cchc-"
TEMP_SUFFIX = ".tmp"
# also what other parts name by hand under the same prefix (store's ".cchc-moi-<hex>.tmp"), with
# the journal files SQLite keeps beside a file it writes
_OUR_TEMP = re.compile(rf"^{re.escape(TEMP_PREFIX)}[A-Za-z0-9_-]+{re.escape(TEMP_SUFFIX)}(-journal|-wal|-shm)?$")
_COMPANIONS = ("-journal", "-wal", "-shm")


class AtomicWriteError(CchcError):
    """A write that did not happen; the target is as it was and no temporary file is left.
    ``stage`` says where it stopped, for callers whose advice depends on it: "temp" (the folder
    takes no new file), "write" (writing or syncing the bytes) or "replace" (the target refused
    to be replaced: on Windows, open in Word or Excel)."""

    def __init__(self, stage: str, cause: OSError | ValueError):
        super().__init__(why_not_written(cause))
        self.stage, self.cause = stage, cause


def is_our_temp(name: str) -> bool:
    return _OUR_TEMP.match(name) is not None


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_dir(folder: Path) -> None:
    """Makes a rename in ``folder`` durable on POSIX; Windows has no directory handles for this."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def new_temp(folder: Path) -> Path:
    """An empty temporary file of ours in ``folder`` (mode 0600: nobody reads it half-written)."""
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    os.close(fd)
    return Path(name)


def remove_temp(tmp: Path) -> None:
    """The temporary file and any journal SQLite left beside it; never raises."""
    for path in (tmp, *(Path(f"{tmp}{s}") for s in _COMPANIONS)):
        try:
            path.unlink()
        except OSError:
            pass  # gone already, or housekeeping takes it on a later start


def replace_atomically(tmp: Path, path: Path) -> None:
    """``tmp`` (complete) becomes ``path``. Raises the OSError of the fsync or of the rename."""
    fsync_file(tmp)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _usual_mode(path: Path) -> int:
    """A replaced file keeps its mode; a new one gets what open() would give it (0666 less umask):
    mkstemp's 0600 would make a report to hand on unreadable to the next user."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path | str, write: Callable[[Path], None]) -> Path:
    """``write(tmp)`` fills a temporary file beside ``path``, which then replaces ``path`` whole.
    An OSError (or a NUL in the name) is an AtomicWriteError; whatever else ``write`` raises goes
    through unchanged. Either way the old file is untouched and the temporary file gone."""
    path = Path(path)
    try:
        tmp = new_temp(path.parent)
    except (OSError, ValueError) as exc:
        raise AtomicWriteError("temp", exc) from exc
    try:
        try:
            write(tmp)
            fsync_file(tmp)  # before the chmod: a read-only mode would refuse the handle fsync needs
            if os.name == "posix":
                os.chmod(tmp, _usual_mode(path))
        except OSError as exc:  # a ValueError of write() is a bug of the writer, not of the disk
            raise AtomicWriteError("write", exc) from exc
        try:
            os.replace(tmp, path)
        except (OSError, ValueError) as exc:
            raise AtomicWriteError("replace", exc) from exc
        fsync_dir(path.parent)
    finally:
        if tmp.exists():
            remove_temp(tmp)
    return path


def why_not_written(exc: BaseException) -> str:
    """Why a file could not be written, as the clerk should hear it (a clause, no full stop)."""
    if isinstance(exc, ValueError):
        return "tên tệp có ký tự không được phép"
    if not isinstance(exc, OSError):
        return "lỗi khi ghi ra ổ đĩa"
    if isinstance(exc, PermissionError):
        return ("không có quyền ghi vào thư mục này, hoặc tệp cùng tên đang được mở trong chương trình khác "
                "(hãy đóng chương trình đó)")
    if isinstance(exc, FileNotFoundError):
        return "thư mục không tồn tại (có thể USB đã bị rút ra)"
    if exc.errno == errno.EROFS:
        return "ổ đĩa chỉ cho phép đọc (USB hoặc thẻ nhớ có thể đang bị khóa ghi)"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "ổ đĩa đã đầy"
    if exc.errno in (errno.ENAMETOOLONG, errno.EINVAL):
        return "tên tệp quá dài hoặc có ký tự không được phép (như : * ? \" < > |)"
    return "lỗi khi ghi ra ổ đĩa"
