"""One copy of the program per data folder: two windows writing the same file would each
show figures the other has overwritten. A lock left by a crash or power cut is taken over
automatically (QLockFile checks that the process that held it is gone)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_NAME = "cchc-desktop.lock"
REFUSED = ("CCHC Desktop đang mở ở một cửa sổ khác trên máy này, cùng thư mục dữ liệu “{folder}”.\n\n"
           "Hãy dùng cửa sổ đang mở (xem trên thanh tác vụ). Mở hai cửa sổ cùng lúc có thể làm "
           "số liệu gõ ở cửa sổ này ghi đè lên cửa sổ kia, nên chương trình không mở thêm.")


def acquire(data_dir: Path) -> QLockFile | None:
    """The held lock, or None when another copy holds it. Keep the object alive while running."""
    lock = QLockFile(str(Path(data_dir) / LOCK_NAME))
    lock.setStaleLockTime(0)  # never time out: a report can stay open all day
    return lock if lock.tryLock(0) else None


def refused_message(data_dir: Path) -> str:
    return REFUSED.format(folder=data_dir)
