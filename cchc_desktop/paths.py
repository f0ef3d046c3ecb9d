"""Where the clerk's data lives.

Order of precedence: the ``--data-dir`` option, then the ``CCHC_DATA_DIR`` environment
variable, then the per-user folder (%APPDATA%\\CCHC Desktop on Windows). Roaming is on so the
data follows the clerk on a domain account instead of staying on one PC.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import platformdirs

ENV_VAR = "CCHC_DATA_DIR"
DB_FILENAME = "cchc.sqlite"
BACKUP_DIRNAME = "backups"
APP_NAME = "CCHC Desktop"


class DataDirError(Exception):
    """The data folder cannot be used. ``str(err)`` is the message for the clerk."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail  # technical cause, for a log; never shown as the message


def default_data_dir() -> Path:
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def resolve_data_dir(override: str | Path | None = None) -> Path:
    """Return the data folder, created and proven writable.

    Writability is checked by really writing a file: on Windows, folder permissions and
    "read-only" attributes do not reliably predict whether a write will succeed, and finding
    out only when the clerk presses Save would be too late.
    """
    if override is not None and str(override).strip():
        folder = Path(override).expanduser()
    else:
        folder = default_data_dir()
    if folder.exists() and not folder.is_dir():
        raise DataDirError(
            f"“{folder}” là một tệp chứ không phải thư mục, nên không dùng làm thư mục dữ liệu được. "
            "Hãy chọn một thư mục khác bằng tuỳ chọn --data-dir.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"Không tạo được thư mục dữ liệu “{folder}”. Hãy chọn một thư mục khác bằng tuỳ chọn --data-dir "
            "(ví dụ một thư mục trong Documents), hoặc nhờ người quản trị máy cấp quyền tạo thư mục ở vị trí này.",
            detail=repr(exc),
        ) from exc
    probe = folder / f".cchc-kiem-tra-ghi-{uuid.uuid4().hex}.tmp"
    try:
        with open(probe, "xb") as fh:
            fh.write(b"cchc")
        probe.unlink()
    except OSError as exc:
        try:
            probe.unlink()
        except OSError:
            pass
        raise DataDirError(
            f"Không ghi được vào thư mục dữ liệu “{folder}” (thư mục chỉ đọc hoặc "
            "bạn không có quyền ghi). Hãy chọn một thư mục khác bằng tuỳ chọn --data-dir, "
            "hoặc nhờ người quản trị máy cấp quyền ghi cho thư mục này.",
            detail=repr(exc),
        ) from exc
    return folder


def db_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def backup_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / BACKUP_DIRNAME
