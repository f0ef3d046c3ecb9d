"""Backups of the whole data file, and restoring one.

Copies are made with SQLite's online-backup API, never by copying the file: under WAL the
main file alone can be missing the latest commits, and a file copy taken while a write is in
progress can be torn. A backup is written to a temporary name, fsynced, then renamed, so a
power cut never leaves a half-written file that looks like a backup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import store as _store
from .store import StoreError, translate_error

KEEP = 10
_PREFIX = "cchc-"
_NAME_RE = re.compile(r"^cchc-(\d{8})-(\d{6})-([a-z0-9-]+?)(?:_(\d+))?\.sqlite$")
_TMP_GLOB = ".cchc-*.tmp"
_STALE_TMP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime  # local time, from the file name
    reason: str
    size: int


def _slug(reason: str) -> str:
    # file names stay plain ASCII: old Windows tools and USB sticks mangle diacritics
    text = unicodedata.normalize("NFD", reason.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "auto"


def _parse(path: Path) -> tuple[dt.datetime, int, str] | None:
    m = _NAME_RE.match(path.name)
    if not m:
        return None
    try:
        created = dt.datetime.strptime(m[1] + m[2], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return created, int(m[4] or 1), m[3]


def _write_error(backup_dir: Path, exc: BaseException) -> StoreError:
    return StoreError(
        f"Không tạo được bản sao lưu trong thư mục “{backup_dir}”. Hãy kiểm tra ổ đĩa còn "
        "chỗ trống và thư mục đó ghi được, rồi thử lại.",
        detail=f"{type(exc).__name__}: {exc}")


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """Backups in ``backup_dir``, newest first. Files not named by us are ignored."""
    found = []
    try:
        entries = list(Path(backup_dir).iterdir())
    except FileNotFoundError:
        return []
    for path in entries:
        parsed = _parse(path)
        if parsed is None or not path.is_file():
            continue
        created, counter, reason = parsed
        found.append((created, counter, path.name,
                      BackupInfo(path, created, reason, path.stat().st_size)))
    found.sort(reverse=True, key=lambda t: t[:3])
    return [t[3] for t in found]


def _free_name(backup_dir: Path, now: dt.datetime, reason: str) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    # one counter per second across all reasons, so the order of same-second backups is known
    same_second = [p for p in (_parse(i.path) for i in list_backups(backup_dir))
                   if p and p[0] == now.replace(microsecond=0)]
    if not same_second:
        return backup_dir / f"{_PREFIX}{stamp}-{reason}.sqlite"
    counter = max(p[1] for p in same_second) + 1
    while True:
        candidate = backup_dir / f"{_PREFIX}{stamp}-{reason}_{counter}.sqlite"
        if not candidate.exists():
            return candidate
        counter += 1


@contextmanager
def _source(store_or_path: Any) -> Iterator[sqlite3.Connection]:
    db = getattr(store_or_path, "db", None)
    if db is not None:
        yield db.conn  # the store's own connection: sees every commit it made
        return
    path = Path(store_or_path)
    if not path.is_file():
        raise StoreError(f"Không tìm thấy tệp dữ liệu “{path}” để sao lưu. Hãy kiểm tra lại "
                         "thư mục dữ liệu.")
    # read-write so that a WAL left by a crash is recovered into the copy, not skipped
    conn = sqlite3.connect(str(path), timeout=_store.BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    # makes the rename itself durable on POSIX; Windows has no directory handles for this
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


def _copy_to_backup(store_or_path: Any, backup_dir: Path, reason: str,
                    now: dt.datetime | None) -> Path:
    backup_dir = Path(backup_dir)
    now = now or dt.datetime.now()
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".cchc-", suffix=".tmp", dir=backup_dir)
        os.close(fd)
    except OSError as exc:
        raise _write_error(backup_dir, exc) from exc
    tmp = Path(tmp_name)
    try:
        with _source(store_or_path) as src:
            dst = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                src.backup(dst)
                # a single self-contained file: readable later without -wal/-shm companions
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        _fsync(tmp)
        final = _free_name(backup_dir, now, _slug(reason))
        os.replace(tmp, final)
        _fsync_dir(backup_dir)
        return final
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, sqlite3.Error):
            code = getattr(exc, "sqlite_errorcode", 0) or 0
            if code & 0xFF in (13, 10, 14):  # full, I/O error, can't open: the backup side
                raise _write_error(backup_dir, exc) from exc
            raise translate_error(exc, getattr(store_or_path, "path", store_or_path),
                                  "read") from exc
        if isinstance(exc, OSError):
            raise _write_error(backup_dir, exc) from exc
        raise


def prune(backup_dir: Path, keep: int = KEEP, protect: tuple[Path, ...] = ()) -> None:
    """Keep the ``keep`` newest backups of each reason, plus ``protect`` whatever their date (a
    PC whose clock was reset after a dead CMOS battery names new backups as if they were old).
    Per reason, because the backup made before a delete is the only copy of that report: ten
    routine daily backups must not push it out."""
    keep_paths = {Path(p).resolve() for p in protect}
    seen: dict[str, int] = {}
    for info in list_backups(backup_dir):
        seen[info.reason] = seen.get(info.reason, 0) + 1
        if seen[info.reason] <= keep or info.path.resolve() in keep_paths:
            continue
        try:
            info.path.unlink()
        except OSError:
            pass  # a backup we could not delete is harmless; failing the backup is not
    cutoff = time.time() - _STALE_TMP_SECONDS
    for tmp in Path(backup_dir).glob(_TMP_GLOB):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()  # left by a power cut during a backup
        except OSError:
            pass


def make_backup(store_or_path: Any, backup_dir: Path, reason: str = "auto", *,
                now: dt.datetime | None = None) -> Path:
    """Copy the database (an open ``Store`` or a file path) into ``backup_dir`` as
    ``cchc-YYYYMMDD-HHMMSS-<reason>.sqlite``, then keep only the ``KEEP`` newest of that reason."""
    final = _copy_to_backup(store_or_path, backup_dir, reason, now)
    prune(backup_dir, protect=(final,))
    return final


def auto_backup(store: Any, backup_dir: Path, now: dt.datetime | None = None) -> Path | None:
    """At most one automatic backup a day: none if any backup already carries today's date."""
    now = now or dt.datetime.now()
    if any(info.created.date() == now.date() for info in list_backups(backup_dir)):
        return None
    return make_backup(store, backup_dir, "auto", now=now)


def _ro_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def verify_backup(backup: Path) -> int:
    """Check that ``backup`` is a sound CCHC data file; return its schema version."""
    backup = Path(backup)
    bad = (f"Tệp “{backup}” không phải là bản sao lưu dùng được của CCHC Desktop (tệp bị hỏng "
           "hoặc không đúng loại), nên chưa khôi phục gì; dữ liệu hiện tại vẫn giữ nguyên. "
           "Hãy chọn một bản sao lưu khác.")
    if not backup.is_file():
        raise StoreError(f"Không tìm thấy tệp sao lưu “{backup}”. Hãy chọn lại tệp sao lưu.")
    try:
        conn = sqlite3.connect(_ro_uri(backup), uri=True)
    except sqlite3.Error as exc:
        raise StoreError(bad, detail=str(exc)) from exc
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise StoreError(bad, detail="; ".join(map(str, result[:5])))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not set(_store.REQUIRED_TABLES) <= tables:
            raise StoreError(bad, detail=f"missing tables: {set(_store.REQUIRED_TABLES) - tables}")
        version = _store.read_schema_version(conn, backup, len(_store.MIGRATIONS))
    except sqlite3.Error as exc:
        raise StoreError(bad, detail=str(exc)) from exc
    finally:
        conn.close()
    if version < 1:
        raise StoreError(bad, detail=f"schema version {version}")
    return version


def restore_backup(db_path: Path, backup: Path, backup_dir: Path) -> Path | None:
    """Replace the live database's content with ``backup``.

    The caller must close its ``Store`` on ``db_path`` first and open a new one afterwards
    (which also migrates an older backup forward). Returns the safety backup of what was there
    before, or None when there was no live database to protect.
    """
    db_path, backup, backup_dir = Path(db_path), Path(backup), Path(backup_dir)
    if db_path.exists() and backup.exists() and db_path.resolve() == backup.resolve():
        raise StoreError("Tệp được chọn chính là tệp dữ liệu đang dùng, không phải bản sao lưu. "
                         "Hãy chọn một tệp trong thư mục “backups”.")
    verify_backup(backup)
    safety = None
    if db_path.exists():
        safety = _copy_to_backup(db_path, backup_dir, "truoc-khi-khoi-phuc", None)
    try:
        src = sqlite3.connect(_ro_uri(backup), uri=True)
        try:
            dst = sqlite3.connect(str(db_path), timeout=_store.BUSY_TIMEOUT_MS / 1000,
                                  isolation_level=None)
            try:
                dst.execute("PRAGMA synchronous=FULL")
                # one backup step = one write transaction on the live file: a power cut
                # leaves either the old content or the new, never a mix
                src.backup(dst)
                check = dst.execute("PRAGMA quick_check").fetchone()[0]
                if check == "ok":
                    # the restored history should say where the newer one went
                    dst.execute(
                        "INSERT INTO audit_log (at, report_id, what, old, new) "
                        "VALUES (?, NULL, 'restore', ?, ?)",
                        (_store._now(), None if safety is None else str(safety), str(backup)))
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise translate_error(exc, db_path, "write") from exc
    if check != "ok":
        then = (f"Dữ liệu trước khi khôi phục vẫn còn trong bản sao lưu “{safety}”. " if safety else "")
        raise StoreError(f"Khôi phục chưa thành công: dữ liệu sau khi chép vào bị lỗi. {then}Hãy thử khôi phục "
                         "từ một bản sao lưu khác.", detail=str(check))
    # pruned only now, so neither the file restored from nor the safety copy can go first
    prune(backup_dir, protect=tuple(p for p in (safety, backup) if p is not None))
    return safety
