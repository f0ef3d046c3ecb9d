"""One writer per data folder: the window for its whole run, a data-changing command for its
duration. A command that restored or deleted under an open window had the window write its
stale report back over the restored one, or fail every later save.

The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on
``<data>/cchc-desktop.lock``, so it dies with its process: a crash, a kill or a power cut never
leaves a lock behind that blocks the next start. What the file says (pid, host, time) is only
for a person looking at it; a file left empty, zero-filled or garbled by a power cut or a
pulled stick is taken over as soon as no live process holds the lock.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cchc_desktop.storage.store import StoreError

LOCK_NAME = "cchc-desktop.lock"  # the name the window's earlier QLockFile used
REFUSED_CLI = ("CCHC Desktop đang mở cửa sổ chương trình với thư mục dữ liệu “{folder}”, nên lệnh này chưa "
               "làm gì để không ghi đè lên báo cáo đang mở. Hãy đóng cửa sổ chương trình rồi chạy lại lệnh.")

if os.name == "nt":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class FolderLock:
    """A held lock, until :meth:`release` or the end of the process. Dropping the object does
    not release it: a lock gone with a lost reference would let a command in under the window."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let the folder go. The file stays: deleting it would let two processes lock two
        different files under the same name."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # says "nobody" to a person who looks
            _unlock(fd)
        except OSError:
            pass  # closing releases it anyway
        finally:
            os.close(fd)

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()



def _machine_name() -> str:
    """For the lock note a clerk may read ("which PC has it open?"); not socket.gethostname(),
    whose module costs ~3 ms of every start."""
    if os.name == "nt":
        return os.environ.get("COMPUTERNAME", "")
    return os.uname().nodename

def acquire(data_dir: Path | str) -> FolderLock | None:
    """The lock of ``data_dir``, or None while a live process holds it. A folder where the
    lock file cannot even be created is a :class:`StoreError` (nothing could be saved there)."""
    path = Path(data_dir) / LOCK_NAME
    try:
        # no O_TRUNC: the holder's note must stay until we know the holder is gone
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    except OSError as exc:
        raise StoreError(f"Không tạo được tệp khoá “{path}” trong thư mục dữ liệu. Hãy kiểm tra thư mục dữ liệu "
                         "còn tồn tại (USB còn cắm) và ghi được, rồi mở lại.", detail=repr(exc)) from exc
    if not _try_lock(fd):
        os.close(fd)
        return None
    _write_note(fd)
    return FolderLock(path, fd)


def _write_note(fd: int) -> None:
    note = f"{os.getpid()}\nCCHC Desktop\n{_machine_name()}\n{dt.datetime.now().isoformat(timespec='seconds')}\n"
    try:
        os.ftruncate(fd, 0)
        # the byte Windows locks is at offset 0; the holder itself may write over it
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, note.encode("utf-8"))
    except OSError:
        pass  # informational only: a lock without its note is still a lock


def refused_message(data_dir: Path | str) -> str:
    return REFUSED_CLI.format(folder=data_dir)
