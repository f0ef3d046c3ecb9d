"""Backups of the whole data file, copies the clerk takes away, and restoring one.

Copies are made with SQLite's online-backup API, never by copying the file: under WAL the
main file alone can be missing the latest commits, and a file copy taken while a write is in
progress can be torn. A copy is written to a temporary name, checked with
``PRAGMA integrity_check``, fsynced, then renamed, so a power cut never leaves a half-written
file that looks like a backup, and a damaged data file never produces one: its copy is kept
apart in ``backups/hong`` and the sound backups of the days before are never pruned for it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc_desktop.storage import store as _store
from cchc_desktop.core.letters import without_marks
from cchc_desktop.core.periods import report_label
from cchc_desktop.storage.store import DataFileDamaged, StoreError, translate_error
from cchc_desktop.system.atomic import fsync_dir, new_temp, remove_temp, replace_atomically

KEEP = 10
KEEP_DAMAGED = 3  # damaged copies are for a technician; the first few say all they can
DAMAGED_DIRNAME = "hong"
# the only copy of what a delete or a restore took away: kept while the disk has room
PRECIOUS_REASONS = ("truoc-khi-xoa", "truoc-khi-khoi-phuc")
# what the backup list says for each reason code of a file name; nothing writes "ngay" now,
# a file named so still reads as made by hand
REASON_LABELS = {"auto": "Tự động hằng ngày", "thu-cong": "Sao lưu bằng tay", "truoc-khi-xoa": "Trước khi xoá báo cáo",
                 "truoc-khi-khoi-phuc": "Trước khi khôi phục", "ngay": "Sao lưu bằng tay"}
LOW_SPACE_BYTES = 200 * 1024 * 1024
_PREFIX = "cchc-"
_NAME_RE = re.compile(r"^cchc-(\d{8})-(\d{6})-([a-z0-9-]+?)(?:_(\d+))?\.sqlite$")
_DAMAGED_COPY_GLOB = "cchc-*-hong*.sqlite"
_COMPANIONS = ("-wal", "-shm", "-journal")

WriteError = Callable[[BaseException], StoreError]


@dataclass(frozen=True)
class BackupInfo:
    """A backup file of the data file, as the backups list shows it."""

    path: Path
    created: dt.datetime  # local time, from the file name
    reason: str
    size: int


@dataclass(frozen=True)
class BackupCheck:
    """What a recovery dialog shows for one backup, after reading it through."""

    path: Path
    created: dt.datetime  # from the file name; the file's time for a file not named by us
    reason: str  # "auto", "truoc-khi-xoa", …; "" for a file not named by us
    size: int
    ok: bool  # sound, ours, and readable by this version: can be restored
    problem: str | None  # Vietnamese, for the clerk, when not ok
    reports: list[str]  # "Quý I 2025 — Xã Bình Phước", newest year first


def reason_label(reason: str) -> str:
    """A reason we do not know (a newer program's) is shown as its code; a file not named by us as "—"."""
    return REASON_LABELS.get(reason, reason or "—")


def _slug(text: str, fallback: str = "auto") -> str:
    # file names stay plain ASCII: old Windows tools and USB sticks mangle diacritics
    text = without_marks(text).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or fallback


def _parse(path: Path) -> tuple[dt.datetime, int, str] | None:
    m = _NAME_RE.match(path.name)
    if not m:
        return None
    stamp = m[1] + m[2]
    try:
        # by hand, not strptime: that imports _strptime, locale and calendar at every start
        created = dt.datetime(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]),
                              int(stamp[8:10]), int(stamp[10:12]), int(stamp[12:14]))
    except ValueError:
        return None
    return created, int(m[4] or 1), m[3]


def _failing(message: str) -> WriteError:
    """The error for a copy that could not be written, whatever the OS or SQLite said."""
    return lambda exc: StoreError(message, detail=f"{type(exc).__name__}: {exc}")


def _write_error(backup_dir: Path) -> WriteError:
    return _failing(f"Không tạo được bản sao lưu trong thư mục “{backup_dir}”. Hãy kiểm tra ổ đĩa còn "
                    "chỗ trống và thư mục đó ghi được, rồi thử lại.")


def _untaken(path: Path) -> Path:
    """path, or path_2, path_3 … — the first that does not exist yet."""
    n, candidate = 2, path
    while candidate.exists():
        candidate, n = path.with_name(f"{path.stem}_{n}{path.suffix}"), n + 1
    return candidate


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """Backups in ``backup_dir``, newest first. Files not named by us are ignored, and so is
    the ``hong`` folder of damaged copies."""
    found = []
    try:
        entries = list(Path(backup_dir).iterdir())
    except OSError:
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


# --- making a verified copy ------------------------------------------------------------------

@contextmanager
def _source(store_or_path: Any) -> Iterator[sqlite3.Connection]:
    conn = getattr(store_or_path, "conn", None)
    if conn is not None:
        yield conn  # the store's own connection: sees every commit it made (and needs no sqlite-utils)
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


def _problems(conn: sqlite3.Connection) -> list[str]:
    """Empty when the file is sound SQLite holding our tables; else what is wrong (technical)."""
    try:
        result = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:  # damage bad enough to stop the check itself
        return [f"{type(exc).__name__}: {exc}"]
    if result != ["ok"]:
        return result
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = sorted(set(_store.REQUIRED_TABLES) - tables)
    return [f"missing tables: {', '.join(missing)}"] if missing else []


def _source_path(store_or_path: Any) -> Path:
    return Path(getattr(store_or_path, "path", store_or_path))


def _copy_failure(exc: BaseException, store_or_path: Any, write_error: WriteError) -> BaseException:
    """Which side failed, as the clerk should hear it."""
    if isinstance(exc, sqlite3.Error):
        code = _store._primary_code(exc)
        if code in (13, 10, 14):  # full, I/O error, can't open: the copy's side
            return write_error(exc)
        if code in (26, 11):  # not a database, corrupt: the data file itself
            reason = "garbled" if code == 26 else "damaged"
            return DataFileDamaged(_source_path(store_or_path), reason, detail=f"{type(exc).__name__}: {exc}")
        return translate_error(exc, _source_path(store_or_path), "read")
    if isinstance(exc, OSError):
        return write_error(exc)
    return exc


@contextmanager
def _checked_copy(store_or_path: Any, folder: Path, write_error: WriteError) -> Iterator[tuple[Path, list[str]]]:
    """A complete copy of the data under a temporary name in ``folder``, with what the integrity
    check found wrong in it. The temporary file is gone afterwards unless the caller moved it."""
    try:
        tmp = new_temp(folder)
    except OSError as exc:
        raise write_error(exc) from exc
    try:
        try:
            with _source(store_or_path) as src:
                dst = sqlite3.connect(str(tmp), isolation_level=None)
                try:
                    src.backup(dst)
                    # a single self-contained file: readable later without -wal/-shm companions
                    dst.execute("PRAGMA journal_mode=DELETE")
                    problems = _problems(dst)
                finally:
                    dst.close()
        except (sqlite3.Error, OSError) as exc:
            raise _copy_failure(exc, store_or_path, write_error) from exc
        yield tmp, problems
    finally:
        remove_temp(tmp)


def _put_in_place(tmp: Path, final: Path, write_error: WriteError) -> Path:
    try:
        replace_atomically(tmp, final)
    except OSError as exc:
        raise write_error(exc) from exc
    return final


def _damage_reason(problems: list[str]) -> str:
    return "empty" if problems[0].startswith("missing tables") else "damaged"


def _keep_damaged_copy(tmp: Path, backup_dir: Path, now: dt.datetime, reason: str) -> Path | None:
    """Keep a damaged copy apart, named as such: never listed, counted or offered as a backup."""
    folder = backup_dir / DAMAGED_DIRNAME
    try:
        folder.mkdir(exist_ok=True)
        target = _untaken(folder / f"{_PREFIX}{now:%Y%m%d-%H%M%S}-{reason}-hong.sqlite")
        os.replace(tmp, target)
    except OSError:
        return None
    copies = sorted(folder.glob(_DAMAGED_COPY_GLOB), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in copies[KEEP_DAMAGED:]:
        _store._remove_quietly(old)
    return target


def _copy_to_backup(store_or_path: Any, backup_dir: Path, reason: str, now: dt.datetime | None,
                    *, keep_damaged: bool = True) -> Path:
    backup_dir = Path(backup_dir)
    now = now or dt.datetime.now()
    write_error = _write_error(backup_dir)
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc) from exc
    with _checked_copy(store_or_path, backup_dir, write_error) as (tmp, problems):
        if problems:
            kept = _keep_damaged_copy(tmp, backup_dir, now, _slug(reason)) if keep_damaged else None
            where = f" Bản sao vừa chép bị hỏng theo nên được để riêng ở “{kept}”, không tính là bản sao lưu." if kept else ""
            raise DataFileDamaged(_source_path(store_or_path), _damage_reason(problems), detail="; ".join(problems),
                                  extra=f"{where} Các bản sao lưu tốt trước đó vẫn được giữ nguyên.")
        return _put_in_place(tmp, _free_name(backup_dir, now, _slug(reason)), write_error)


def _low_on_space(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def prune(backup_dir: Path, keep: int = KEEP, protect: tuple[Path, ...] = ()) -> None:
    """Keep the ``keep`` newest backups of each reason, plus ``protect`` whatever their date (a
    PC whose clock was reset after a dead CMOS battery names new backups as if they were old).
    Per reason, because the backup made before a delete is the only copy of that report: ten
    routine daily backups must not push it out; and those of ``PRECIOUS_REASONS`` are all kept
    until the disk runs short of space, since the eleventh delete must not lose the first
    report. Called only after a verified backup was added, so the newest one is sound."""
    keep_paths = {Path(p).resolve() for p in protect}
    short_of_space = _low_on_space(backup_dir)
    seen: dict[str, int] = {}
    for info in list_backups(backup_dir):
        seen[info.reason] = seen.get(info.reason, 0) + 1
        if seen[info.reason] <= keep or info.path.resolve() in keep_paths:
            continue
        if info.reason in PRECIOUS_REASONS and not short_of_space:
            continue
        _store._remove_quietly(info.path)  # one we could not delete is harmless; failing the backup is not


def make_backup(store_or_path: Any, backup_dir: Path, reason: str = "auto", *,
                now: dt.datetime | None = None) -> Path:
    """Copy the database (an open ``Store`` or a file path) into ``backup_dir`` as
    ``cchc-YYYYMMDD-HHMMSS-<reason>.sqlite``, verified, then prune (see :func:`prune`).
    A damaged source raises :class:`DataFileDamaged` and prunes nothing."""
    final = _copy_to_backup(store_or_path, backup_dir, reason, now)
    prune(backup_dir, protect=(final,))
    return final


def auto_backup(store: Any, backup_dir: Path, now: dt.datetime | None = None) -> Path | None:
    """At most one automatic backup a day: none if any backup already carries today's date."""
    now = now or dt.datetime.now()
    if any(info.created.date() == now.date() for info in list_backups(backup_dir)):
        return None
    return make_backup(store, backup_dir, "auto", now=now)


def copy_out(store: Any, folder: Path, unit_name: str, now: dt.datetime | None = None) -> Path:
    """"Sao lưu ra…": a verified copy in a folder the clerk picked (a USB stick), named
    ``CCHC-<unit>-YYYYMMDD-HHMM.sqlite`` in ASCII (``_2``, ``_3`` … when taken). A folder that
    is gone, read-only or full is a :class:`StoreError` and leaves no file behind."""
    folder = Path(folder)
    now = now or dt.datetime.now()
    write_error = _copy_out_error(folder)
    if not folder.is_dir():
        # never created: a path whose stick was pulled would become a folder on the PC's own disk
        raise write_error(FileNotFoundError(str(folder)))
    with _checked_copy(store, folder, write_error) as (tmp, problems):
        if problems:
            raise DataFileDamaged(_source_path(store), _damage_reason(problems), detail="; ".join(problems),
                                  extra=" Chưa chép gì ra thư mục đã chọn.")
        target = _untaken(folder / f"CCHC-{_slug(unit_name, 'du-lieu')}-{now:%Y%m%d-%H%M}.sqlite")
        return _put_in_place(tmp, target, write_error)


def _copy_out_error(folder: Path) -> WriteError:
    return _failing(f"Chưa sao lưu ra được thư mục “{folder}”: thư mục không còn (USB đã bị rút?), chỉ cho đọc "
                    "(USB gạt khoá chống ghi) hoặc ổ đã đầy. Không có tệp dở dang nào bị để lại. Hãy kiểm tra "
                    "USB, hoặc chọn thư mục khác, rồi sao lưu lại.")


# --- reading backups back --------------------------------------------------------------------

def _ro_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


_NOT_USABLE = "Tệp bị hỏng hoặc không phải bản sao lưu của CCHC Desktop, không dùng để khôi phục được."


def _report_labels(conn: sqlite3.Connection) -> list[str]:
    labels = []
    for unit, year, period in conn.execute("SELECT unit_name, year, period FROM reports ORDER BY year DESC, id"):
        try:
            label = report_label({"year": year, "period": period})
        except ValueError:  # a period code this version does not know
            label = f"{period} {year}"
        labels.append(f"{label} — {unit}" if unit else label)
    return labels


def _examine(path: Path) -> tuple[str | None, str | None, int, list[str]]:
    """(problem for the clerk, technical detail, schema version, report labels) of a file."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
    except sqlite3.Error as exc:
        return _NOT_USABLE, str(exc), 0, []
    try:
        problems = _problems(conn)
        if problems:
            return _NOT_USABLE, "; ".join(problems[:5]), 0, []
        version = _store.read_schema_version(conn, path, len(_store.MIGRATIONS))
        if version < 1:
            return _NOT_USABLE, f"schema version {version}", version, []
        return None, None, version, _report_labels(conn)
    except StoreError as exc:  # a newer version's file says so, with what to do
        return str(exc), exc.detail, 0, []
    except sqlite3.Error as exc:
        return _NOT_USABLE, str(exc), 0, []
    finally:
        conn.close()


def inspect_backup(path: Path) -> BackupCheck:
    """Read a backup (or any file offered for restore) through: integrity check, our tables,
    a version this program reads, the reports inside. About 20 ms for a 3 MB file."""
    path = Path(path)
    parsed = _parse(path)
    try:
        stat = path.stat()
    except OSError:
        return BackupCheck(path, parsed[0] if parsed else dt.datetime.now(), parsed[2] if parsed else "", 0,
                           False, "Không tìm thấy tệp sao lưu.", [])
    created = parsed[0] if parsed else dt.datetime.fromtimestamp(stat.st_mtime)
    problem, _, _, reports = _examine(path) if path.is_file() else (_NOT_USABLE, None, 0, [])
    return BackupCheck(path, created, parsed[2] if parsed else "", stat.st_size, problem is None, problem, reports)


def newest_sound_backup(backup_dir: Path) -> BackupCheck | None:
    """The newest backup in ``backup_dir`` that passes :func:`inspect_backup`, or None."""
    for info in list_backups(backup_dir):
        check = inspect_backup(info.path)
        if check.ok:
            return check
    return None


def verify_backup(backup: Path) -> int:
    """Check that ``backup`` is a sound CCHC data file; return its schema version."""
    backup = Path(backup)
    if not backup.is_file():
        raise StoreError(f"Không tìm thấy tệp sao lưu “{backup}”. Hãy chọn lại tệp sao lưu.")
    problem, detail, version, _ = _examine(backup)
    if problem is not None:
        raise StoreError(f"Tệp “{backup}” không phải là bản sao lưu dùng được của CCHC Desktop (tệp bị hỏng "
                         "hoặc không đúng loại), nên chưa khôi phục gì; dữ liệu hiện tại vẫn giữ nguyên. "
                         "Hãy chọn một bản sao lưu khác.", detail=detail or problem)
    return version


# --- restoring -------------------------------------------------------------------------------

def set_aside(db_path: Path, backup_dir: Path, now: dt.datetime | None = None) -> Path:
    """Move a data file that cannot be used (with its -wal/-shm) out of the way, kept whole, as
    ``backups/hong/cchc-hong-YYYYMMDD-HHMMSS.sqlite``; returns its new path. The companions go
    first: a -wal left beside a restored file would be replayed into it."""
    db_path = Path(db_path)
    folder = Path(backup_dir) / DAMAGED_DIRNAME
    now = now or dt.datetime.now()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _untaken(folder / f"{_PREFIX}hong-{now:%Y%m%d-%H%M%S}.sqlite")
        for suffix in (*_COMPANIONS, ""):
            part = Path(f"{db_path}{suffix}")
            if part.exists():
                os.replace(part, Path(f"{target}{suffix}"))
    except OSError as exc:
        raise StoreError(f"Không chuyển được tệp dữ liệu hỏng “{db_path}” sang thư mục “{folder}”, nên chưa "
                         "khôi phục gì. Hãy đóng mọi cửa sổ CCHC Desktop, kiểm tra ổ đĩa còn chỗ trống và ghi "
                         f"được, rồi khôi phục lại (menu “{_store.RESTORE_MENU}”, hoặc lệnh “{_store.RESTORE_COMMAND}”).",
                         detail=f"{type(exc).__name__}: {exc}") from exc
    fsync_dir(db_path.parent)
    return target


def _note_restore(conn: sqlite3.Connection, safety: Path | None, backup: Path) -> None:
    # the restored history should say where the newer one went
    conn.execute("INSERT INTO audit_log (at, report_id, what, old, new) VALUES (?, NULL, 'restore', ?, ?)",
                 (_store._now(), None if safety is None else str(safety), str(backup)))


def _restore_in_place(db_path: Path, backup: Path, safety: Path) -> None:
    """Over a sound live file, through SQLite, so that its own WAL is handled correctly."""
    try:
        src = sqlite3.connect(_ro_uri(backup), uri=True)
        try:
            dst = sqlite3.connect(str(db_path), timeout=_store.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                dst.execute("PRAGMA synchronous=FULL")
                # one backup step = one write transaction on the live file: a power cut
                # leaves either the old content or the new, never a mix
                src.backup(dst)
                check = dst.execute("PRAGMA quick_check").fetchone()[0]
                if check == "ok":
                    _note_restore(dst, safety, backup)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise translate_error(exc, db_path, "write") from exc
    if check != "ok":
        raise StoreError(f"Khôi phục chưa thành công: dữ liệu sau khi chép vào bị lỗi. Dữ liệu trước khi khôi "
                         f"phục vẫn còn trong bản sao lưu “{safety}”. Hãy thử khôi phục từ một bản sao lưu khác.",
                         detail=str(check))


def _restore_fresh(db_path: Path, backup: Path, safety: Path | None) -> None:
    """Where no live file is left (it was set aside, or never was): a verified copy renamed in."""
    write_error = _failing(f"Chưa khôi phục được: không ghi được vào thư mục dữ liệu “{db_path.parent}”. Hãy kiểm "
                           "tra ổ đĩa còn chỗ trống và thư mục đó ghi được, rồi khôi phục lại.")
    with _checked_copy(backup, db_path.parent, write_error) as (tmp, problems):
        if problems:
            raise StoreError("Khôi phục chưa thành công: bản sao lưu đọc ra bị lỗi. Hãy thử khôi phục từ một "
                             "bản sao lưu khác.", detail="; ".join(problems))
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            _note_restore(conn, safety, backup)
        finally:
            conn.close()
        _put_in_place(tmp, db_path, write_error)


def restore_backup(db_path: Path, backup: Path, backup_dir: Path) -> Path | None:
    """Replace the live database's content with ``backup``.

    The caller must close its ``Store`` on ``db_path`` first and open a new one afterwards
    (which also migrates an older backup forward). What was there before is kept: a sound
    file as a "truoc-khi-khoi-phuc" backup, a damaged, garbled or empty one moved whole into
    ``backups/hong`` (see :func:`set_aside`) — damage never blocks the restore that cures it.
    Returns where it was kept, or None when there was no live database.
    """
    db_path, backup, backup_dir = Path(db_path), Path(backup), Path(backup_dir)
    if db_path.exists() and backup.exists() and db_path.resolve() == backup.resolve():
        raise StoreError("Tệp được chọn chính là tệp dữ liệu đang dùng, không phải bản sao lưu. "
                         "Hãy chọn một tệp trong thư mục “backups”.")
    verify_backup(backup)
    safety = None
    if db_path.exists() and _usable(db_path):
        try:
            safety = _copy_to_backup(db_path, backup_dir, "truoc-khi-khoi-phuc", None, keep_damaged=False)
        except DataFileDamaged:
            safety = None  # damage the quick check missed: set aside below like any other
    if safety is not None:
        _restore_in_place(db_path, backup, safety)
    else:
        safety = set_aside(db_path, backup_dir) if _any_part(db_path) else None
        _restore_fresh(db_path, backup, safety)
    # pruned only now, so neither the file restored from nor the safety copy can go first
    prune(backup_dir, protect=tuple(p for p in (safety, backup) if p is not None))
    return safety


def _usable(db_path: Path) -> bool:
    """Whether the live file can be copied as a safety backup. Looked at read-only: opening a
    broken file for writing could make SQLite delete the -wal beside it, which may hold the
    clerk's last edits and must go aside with it."""
    if _store.is_zero_bytes(db_path):
        return False  # SQLite deletes the -wal of a 0-byte file as soon as it opens it
    try:
        conn = sqlite3.connect(_ro_uri(db_path), uri=True)
    except sqlite3.Error:
        return False
    try:
        _store.check_data_file(conn, db_path, len(_store.MIGRATIONS))
    except DataFileDamaged:
        return False
    except (StoreError, sqlite3.Error):
        return True  # another program's or a newer version's file is sound SQLite: copied as usual
    finally:
        conn.close()
    return True


def _any_part(db_path: Path) -> bool:
    return any(Path(f"{db_path}{suffix}").exists() for suffix in ("", *_COMPANIONS))
