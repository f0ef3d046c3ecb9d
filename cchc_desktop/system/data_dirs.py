"""Where the clerk's data lives.

Order of precedence:

1. the ``--data-dir`` option;
2. the ``CCHC_DATA_DIR`` environment variable;
3. portable mode: a file ``portable.txt`` beside the program (``cchc-desktop.exe``) puts all
   data — database, backups, logs, window settings — in a ``data`` folder beside it, so the
   program runs straight from a USB stick and leaves nothing on the PC;
4. the per-user folder (%APPDATA%\\CCHC Desktop on Windows; roaming, so the data follows the
   clerk on a domain account instead of staying on one PC).

"Beside the program" is the folder of the executable in a PyInstaller build. Run from source
there is no such folder, unless ``CCHC_APP_DIR`` names one (tests; a source checkout on a stick).

A data folder that cannot be written never ends in a crash: the portable folder (a stick with
its write-protect switch on, a read-only share) falls back to the per-user folder with a notice
that says so; any other unusable folder is a :class:`DataDirError` whose message tells the clerk
what to do (choose another folder with ``--data-dir``, or in the window with a folder dialog).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path


from cchc_desktop.errors import CchcError

ENV_VAR = "CCHC_DATA_DIR"
APP_DIR_ENV = "CCHC_APP_DIR"
PORTABLE_MARKER = "portable.txt"
PORTABLE_DATA_DIRNAME = "data"
DB_FILENAME = "cchc.sqlite"
BACKUP_DIRNAME = "backups"
TEMPLATE_DIRNAME = "templates"
CATALOG_DIRNAME = "catalogs"  # a province's forms, installed (core/catalog.user_catalog_dir)
APP_NAME = "CCHC Desktop"

log = logging.getLogger(__name__)


class DataDirError(CchcError):
    """The data folder cannot be used. ``str(err)`` is the message for the clerk."""


@dataclass(frozen=True)
class DataLocation:
    """The data folder in use, why it was chosen, and what the clerk must be told about it."""

    folder: Path
    source: str  # "option" (--data-dir), "env" (CCHC_DATA_DIR), "portable", "user"
    notice: str | None = None  # set when the first choice could not be used and another was


# ------------------------------------------------------------------------------ the candidates
def app_dir() -> Path | None:
    """The folder the program sits in: beside the executable when frozen (PyInstaller);
    from source only when ``CCHC_APP_DIR`` names one."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    env = os.environ.get(APP_DIR_ENV, "").strip()
    return Path(env).expanduser() if env else None


def portable_data_dir() -> Path | None:
    """``<program folder>/data`` when ``portable.txt`` sits beside the program, else None."""
    base = app_dir()
    if base is not None and (base / PORTABLE_MARKER).is_file():
        return base / PORTABLE_DATA_DIRNAME
    return None


def user_data_dir() -> Path:
    import platformdirs  # here, not at the top: a portable or --data-dir start never needs it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def choose_data_dir(override: str | Path | None = None) -> tuple[Path, str]:
    """The folder the precedence picks and why, without touching the disk."""
    if override is not None and str(override).strip():
        return Path(override).expanduser(), "option"
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser(), "env"
    portable = portable_data_dir()
    if portable is not None:
        return portable, "portable"
    return user_data_dir(), "user"


def default_data_dir() -> Path:
    """The data folder when no ``--data-dir`` is given."""
    return choose_data_dir(None)[0]


# ------------------------------------------------------------------------------ choosing one
def locate_data_dir(override: str | Path | None = None) -> DataLocation:
    """The data folder, created and proven writable, following the precedence above.

    A portable folder that cannot be written falls back to the per-user folder, with a notice
    for the clerk; every other failure is a :class:`DataDirError`.
    """
    folder, source = choose_data_dir(override)
    if source != "portable":
        return DataLocation(_usable(folder), source)
    try:
        return DataLocation(_usable(folder, portable=True), source)
    except DataDirError as first:
        fallback = user_data_dir()
        try:
            _usable(fallback)
        except DataDirError as second:
            raise DataDirError(
                f"Không ghi được vào thư mục dữ liệu bên cạnh chương trình “{folder}” (USB đang gạt khoá "
                f"chống ghi, đã đầy, hoặc chỉ cho đọc), và cũng không ghi được vào thư mục của người dùng "
                f"“{fallback}”. Hãy chép cả thư mục chương trình sang một ổ ghi được rồi mở lại, hoặc chọn "
                "một thư mục khác bằng tuỳ chọn --data-dir.",
                detail=f"{first.detail}; {second.detail}",
            ) from second
        notice = (
            f"Chương trình đang chạy ở chế độ di động (có tệp {PORTABLE_MARKER} bên cạnh), nhưng không ghi "
            f"được vào thư mục dữ liệu “{folder}”: có thể USB đang gạt khoá chống ghi, đã đầy, hoặc máy "
            "này chỉ cho đọc USB.\n\n"
            f"Lần này dữ liệu được lưu trên máy này, trong “{fallback}”. Các báo cáo đã lưu trên USB vẫn "
            "còn nguyên ở đó nhưng sẽ không hiện ra lần này, và số liệu nhập bây giờ không nằm trên USB.\n\n"
            "Muốn làm việc tiếp trên USB: đóng chương trình, tắt khoá chống ghi của USB (hoặc chép cả "
            "thư mục chương trình sang một ổ ghi được) rồi mở lại."
        )
        log.warning("portable data folder %s unusable (%s); using %s", folder, first.detail, fallback)
        return DataLocation(fallback, "user", notice)


def resolve_data_dir(override: str | Path | None = None) -> Path:
    """The data folder (see :func:`locate_data_dir`). A notice about a fallback is logged as a
    warning marked for the clerk (the command line prints those on stderr)."""
    location = locate_data_dir(override)
    if location.notice:
        log.warning(location.notice, extra={"for_clerk": True})
    return location.folder


def _usable(folder: Path, portable: bool = False) -> Path:
    """Create the folder and prove it writable by really writing a file: on Windows, folder
    permissions and "read-only" attributes do not reliably predict whether a write will
    succeed, and finding out only when the clerk presses Save would be too late."""
    where = "bên cạnh chương trình " if portable else ""
    if folder.exists() and not folder.is_dir():
        raise DataDirError(
            f"“{folder}” là một tệp chứ không phải thư mục, nên không dùng làm thư mục dữ liệu được. "
            "Hãy chọn một thư mục khác bằng tuỳ chọn --data-dir.",
            detail=f"{folder} is a file",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"Không tạo được thư mục dữ liệu {where}“{folder}”. Hãy chọn một thư mục khác bằng tuỳ chọn --data-dir "
            "(ví dụ một thư mục trong Documents), hoặc nhờ người quản trị máy cấp quyền tạo thư mục ở vị trí này.",
            detail=repr(exc),
        ) from exc
    probe = folder / f".cchc-kiem-tra-ghi-{os.urandom(16).hex()}.tmp"  # not uuid: ~5 ms to import at start
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
            f"Không ghi được vào thư mục dữ liệu {where}“{folder}” (thư mục chỉ đọc hoặc "
            "bạn không có quyền ghi). Hãy chọn một thư mục khác bằng tuỳ chọn --data-dir, "
            "hoặc nhờ người quản trị máy cấp quyền ghi cho thư mục này.",
            detail=repr(exc),
        ) from exc
    return folder


def db_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def backup_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / BACKUP_DIRNAME


def template_dir(data_dir: str | Path) -> Path:
    """The province's Word template (`templates/bao_cao_cchc_xa.docx`): in the clerk's data folder,
    so a new version of the program, which replaces the program folder, leaves it in place."""
    return Path(data_dir) / TEMPLATE_DIRNAME


def written_folders(data_dir: str | Path) -> tuple[Path, ...]:
    """Every folder of the data folder the program writes files into, each atomically: where a
    write cut short by a power cut leaves its temporary file, which the next start removes
    (storage/housekeeping) — the data file's, the backups', the Word template's, the forms'."""
    return Path(data_dir), backup_dir(data_dir), template_dir(data_dir), Path(data_dir) / CATALOG_DIRNAME
