"""The SQLite store: every figure, note and paragraph the clerk types, and their history.

Durability rules (the clerk's PCs are old and the power goes out):
* one edit = one ``BEGIN IMMEDIATE … COMMIT`` holding the change and its audit row, so the
  history can never disagree with the data;
* WAL with ``synchronous=FULL``: a commit is fsynced before the call returns, so whatever the
  screen shows as saved survives a power cut (NORMAL could lose the last commits);
* the connection runs with ``isolation_level=None`` so Python never opens a transaction behind
  our back that would stay open and swallow later edits;
* a file we do not understand (garbage, another program's database, a newer version) is
  refused before anything is written to it.

sqlite-utils (the storage library) builds and upgrades the schema and makes the rare writes
(the unit profile, a new report); it is imported only when one of those happens. Opening a file
that is up to date, reading it and saving each keystroke use the ``sqlite3`` connection
directly: importing sqlite-utils costs ~65 ms of CPU and ~10 MiB (measured with
``python -X importtime`` and VmHWM), a sixth of the window's whole start, for nothing the first
paint or the typing needs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc_desktop.core import letters

from cchc_desktop.system import logs, data_dirs as paths
from cchc_desktop.system.atomic import fsync_dir, fsync_file
from cchc_desktop.errors import CchcError
from cchc_desktop.core.limits import LINE, TextError, check_lines, check_text
from cchc_desktop.core.periods import PERIODS, get_period
from cchc_desktop.core.unit import display_name, name_key
# the schema below is frozen history (v1 files exist); a test keeps its CHECK and the
# unit_profile columns equal to these
from cchc_desktop.core.vocabulary import STATUSES
from cchc_desktop.core.vocabulary import UNIT_LABELS as PROFILE_LABELS, UNIT_LIST_FIELDS as PROFILE_LIST_FIELDS
from cchc_desktop.core.vocabulary import UNIT_TEXT_FIELDS as PROFILE_TEXT_FIELDS

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000
REQUIRED_TABLES = ("schema_version", "unit_profile", "reports", "report_values", "narratives", "audit_log")
REPORT_FIELDS = ("unit_name", "year", "period", "window_start", "window_end",
                 "next_period_label", "catalog_id", "catalog_version", "status", "header", "other_unit")
# optional in a new report's meta: a draft, an empty header, the data file's own unit
_REPORT_DEFAULTS = ("status", "header", "other_unit")
# what a cell or section holds before anything is typed: "no row" compares equal to these
_BLANK = {"raw": "", "note": "", "text": ""}
AUDIT_BURST_SECONDS = 10
# the window checkpoints from its own thread after a pause in typing: a reader that holds the
# WAL back must make it give up quickly, not freeze the window for the full busy timeout
CHECKPOINT_WAIT_MS = 200
RESTORE_MENU_ITEM = "Sao lưu và khôi phục…"
RESTORE_MENU = f"Báo cáo → {RESTORE_MENU_ITEM}"
RESTORE_COMMAND = "cchc-desktop restore"
RESTORE_HINT = (f"Hãy khôi phục từ bản sao lưu gần nhất: trong cửa sổ chương trình chọn menu “{RESTORE_MENU}”; "
                f"ở dòng lệnh dùng lệnh “{RESTORE_COMMAND}”.")
_DAMAGE_LEADS = {
    "empty": "Tệp dữ liệu “{path}” trống, không còn báo cáo hay bảng dữ liệu nào (có thể do mất điện, rút USB "
             "khi đang ghi, hoặc chỉ chép được một phần).",
    "garbled": "Tệp dữ liệu “{path}” bị hỏng: nội dung không còn đọc được như tệp dữ liệu của CCHC Desktop.",
    "damaged": "Tệp dữ liệu “{path}” bị hỏng: kiểm tra thấy có phần dữ liệu bị lỗi.",
}


class StoreError(CchcError):
    """A storage problem. ``str(err)`` is a Vietnamese message for the clerk."""


class ReportNotFound(StoreError):
    """The report id is not (or no longer) in the file."""


class DataFileDamaged(StoreError):
    """The data file exists but cannot be trusted: ``reason`` is "empty" (no tables, e.g. a 0-byte
    file), "garbled" (not readable as SQLite) or "damaged" (a failed integrity check). Never
    treated as a first run and never written to: the clerk restores a backup instead."""

    def __init__(self, path: Path | str, reason: str, detail: str | None = None, extra: str = ""):
        lead = _DAMAGE_LEADS[reason].format(path=path)
        super().__init__(f"{lead} Chương trình không ghi gì vào tệp này.{extra} {RESTORE_HINT}", detail)
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class ValueRow:
    """What the clerk typed in a cell (kept exactly, even when it is not a valid figure) and
    its note. The figure is parsed from ``raw`` when the report is opened, against the
    report's catalog: a stored parse could only disagree with it."""
    raw: str
    note: str


# --- schema and migrations -------------------------------------------------------------------

_REPORT_COLUMNS = """unit_name TEXT NOT NULL, year INTEGER NOT NULL,
    period TEXT NOT NULL, window_start TEXT, window_end TEXT,
    next_period_label TEXT NOT NULL DEFAULT '', catalog_id TEXT NOT NULL DEFAULT '',
    catalog_version TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete')),
    header TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, updated_at TEXT NOT NULL"""

_SCHEMA_V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE unit_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    kind TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '', parent_agency TEXT NOT NULL DEFAULT '',
    agency_name TEXT NOT NULL DEFAULT '', place_name TEXT NOT NULL DEFAULT '',
    doc_code TEXT NOT NULL DEFAULT '', signer_name TEXT NOT NULL DEFAULT '',
    signer_title TEXT NOT NULL DEFAULT '', signing_authority TEXT NOT NULL DEFAULT '',
    authority_line TEXT NOT NULL DEFAULT '', recipients TEXT NOT NULL DEFAULT '[]',
    cc TEXT NOT NULL DEFAULT '[]', updated_at TEXT NOT NULL);
CREATE TABLE reports (id INTEGER PRIMARY KEY, {report_columns});
CREATE TABLE report_values (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    indicator_id TEXT NOT NULL, raw TEXT NOT NULL DEFAULT '', value TEXT,
    note TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, indicator_id));
CREATE TABLE narratives (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    section_id TEXT NOT NULL, text TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, section_id));
-- no foreign key on report_id: the history must outlive a deleted report
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, report_id INTEGER, what TEXT NOT NULL,
    old TEXT, new TEXT);
CREATE INDEX audit_log_by_report ON audit_log (report_id, id);
""".replace("{report_columns}", _REPORT_COLUMNS)

# v2: report ids are never given out again. Plain INTEGER PRIMARY KEY reuses the highest id
# after a delete, and the audit log (which outlives reports) then merged the histories of
# different reports under one id. The counter starts above every id the audit log has seen.
_SCHEMA_V2 = f"""
CREATE TABLE reports_v2 (id INTEGER PRIMARY KEY AUTOINCREMENT, {_REPORT_COLUMNS});
INSERT INTO reports_v2 SELECT * FROM reports;
DROP TABLE reports;
ALTER TABLE reports_v2 RENAME TO reports;
DELETE FROM sqlite_sequence WHERE name = 'reports';
INSERT INTO sqlite_sequence (name, seq) VALUES ('reports', max(
    coalesce((SELECT max(id) FROM reports), 0), coalesce((SELECT max(report_id) FROM audit_log), 0)));
"""


def _run_statements(db: sqlite_utils.Database, script: str) -> None:
    # statement by statement: executescript() would COMMIT the migration's transaction
    for statement in script.split(";\n"):
        if statement.strip():
            db.conn.execute(statement)


def _create_v1(db: sqlite_utils.Database) -> None:
    # SQL, not db[table].create(): the v1 files in the field have these CHECK constraints
    # (one profile row, the known statuses), which sqlite-utils' create() cannot express
    _run_statements(db, _SCHEMA_V1)


def _never_reuse_report_ids(db: sqlite_utils.Database) -> None:
    _run_statements(db, _SCHEMA_V2)


def _drop_stored_parse(db: sqlite_utils.Database) -> None:
    """v3: report_values.value, the parsed figure saved beside the typed text, was written at
    every keystroke and never read (the figures are parsed from ``raw`` on opening). The table
    is rebuilt without it; called inside migrate()'s transaction, where transform() works in a
    savepoint, so a kill half-way leaves the v2 table and version as they were."""
    db["report_values"].transform(drop={"value"})


# v4: the data file holds one unit, and its profile is the one source of that unit's identity.
# The profile gains the official codes (danh mục đơn vị hành chính); a report gains
# `other_unit`, the unit (exchange "unit" fields, JSON) of a report imported from ANOTHER unit
# ("" for the file's own reports, which are named by the profile whatever name they were made
# under). `reports.unit_name` stays, a copy kept in step with the profile for whoever reads a
# file without the store (the backups list).
_SCHEMA_V4 = """
ALTER TABLE unit_profile ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_profile ADD COLUMN province_code TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN other_unit TEXT NOT NULL DEFAULT ''
"""


def _one_unit_with_its_codes(db: sqlite_utils.Database) -> None:
    """v4, see _SCHEMA_V4. Which reports of an older file are the unit's own: those made under
    no name or under any name the profile has had (the audit log keeps every version of it,
    so a unit renamed by the 2025 merger keeps its older reports); those are named by the
    profile from now on. Any other name is a report imported from another unit (the built-in
    sample, a neighbour's file), which keeps that unit's name and is never matched, counted
    or updated as the unit's own."""
    _run_statements(db, _SCHEMA_V4)
    conn = db.conn
    profile = conn.execute("SELECT kind, name FROM unit_profile WHERE id = 1").fetchone()
    names = {name_key(display_name({"kind": profile[0], "name": profile[1]}))} if profile else set()
    for old, new in conn.execute("SELECT old, new FROM audit_log WHERE what = 'profile'"):
        for text in (old, new):
            try:
                version = json.loads(text) if text else None
            except ValueError:
                continue
            if isinstance(version, dict):
                names.add(name_key(display_name({"kind": str(version.get("kind") or ""),
                                                 "name": str(version.get("name") or "")})))
    names.discard("")
    current = display_name({"kind": profile[0], "name": profile[1]}) if profile else ""
    for report_id, unit_name in conn.execute("SELECT id, unit_name FROM reports").fetchall():
        if not unit_name.strip() or name_key(unit_name) in names:
            if current:
                conn.execute("UPDATE reports SET unit_name = ? WHERE id = ?", (current, report_id))
        else:
            conn.execute("UPDATE reports SET other_unit = ? WHERE id = ?",
                         (_dumps(_unit_from_name(unit_name)), report_id))


def _unit_from_name(full_name: str) -> dict:
    """"Xã Bình Phước" → kind and name, for a report of another unit that an older file kept by
    its full name only."""
    for kind in ("đặc khu", "phường", "xã"):
        if full_name.strip().casefold().startswith(kind + " "):
            return {"kind": kind, "name": full_name.strip()[len(kind) + 1:].strip()}
    return {"kind": "", "name": full_name.strip()}


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_create_v1, _never_reuse_report_ids,
                                                             _drop_stored_parse, _one_unit_with_its_codes]


def read_schema_version(conn: sqlite3.Connection, path: Path | str, known: int) -> int:
    """Version of an opened file (0 if empty), read without writing anything; refuses files
    that are not ours or that a newer CCHC Desktop wrote."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return 0
    if "schema_version" not in tables:
        raise StoreError(f"Tệp “{path}” không phải là tệp dữ liệu của CCHC Desktop, nên chương trình không mở "
                         "và không sửa gì trong tệp. Hãy chọn đúng thư mục dữ liệu bằng tuỳ chọn --data-dir.")
    rows = conn.execute("SELECT version FROM schema_version").fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        raise DataFileDamaged(path, "damaged", detail=f"schema_version rows: {rows[:3]!r}")
    if rows[0][0] > known:
        raise StoreError(f"Tệp dữ liệu “{path}” được tạo bởi một phiên bản CCHC Desktop mới hơn (phiên bản dữ "
                         f"liệu {rows[0][0]}, chương trình này chỉ đọc được đến {known}). Hãy cập nhật CCHC "
                         "Desktop lên bản mới nhất rồi mở lại. Tệp chưa bị thay đổi gì.")
    return rows[0][0]


def migrate(db: sqlite_utils.Database | sqlite3.Connection,
            migrations: list[Callable[[sqlite_utils.Database], None]] = MIGRATIONS) -> int:
    """Bring the file up to ``len(migrations)``; each step commits with its version bump, so
    a power cut mid-upgrade leaves the file at a consistent earlier version. Given a bare
    connection, sqlite-utils is imported only if there is a step to run."""
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    known = len(migrations)
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    # a step that rebuilds a table drops the old one, and with foreign keys on that DROP would
    # cascade into every value and paragraph; SQLite ignores this pragma inside a transaction
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        while True:
            with _transaction(conn):
                current = read_schema_version(conn, path, known)
                if current == known:
                    return current
                if isinstance(db, sqlite3.Connection):
                    db = _utils_db(conn)
                migrations[current](db)
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (current + 1,))
    finally:
        conn.execute(f"PRAGMA foreign_keys={int(foreign_keys)}")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    if conn.in_transaction:
        # part of a larger write (an import's profile and report): a savepoint undoes this
        # part alone on failure and leaves the outer transaction to decide for the whole
        with _savepoint(conn):
            yield
        return
    # IMMEDIATE takes the write lock up front: a busy file fails here, before any work,
    # instead of half-way through an edit
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        _quiet(conn, "ROLLBACK")
        raise


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT cchc_part")
    try:
        yield
    except BaseException:
        _quiet(conn, "ROLLBACK TO cchc_part")
        raise
    finally:
        _quiet(conn, "RELEASE cchc_part")


def _quiet(conn: sqlite3.Connection, statement: str) -> None:
    if not conn.in_transaction:
        return
    try:
        conn.execute(statement)
    except sqlite3.Error:
        pass  # the original error matters more; SQLite rolls back on close anyway


# --- error messages --------------------------------------------------------------------------

def _read_only_message(path: Path | str) -> str:
    return (f"Tệp dữ liệu “{path}” đang ở chế độ chỉ đọc hoặc bạn không có quyền ghi. Hãy bỏ thuộc tính "
            "chỉ đọc (Read-only) của tệp, hoặc nhờ người quản trị máy cấp quyền ghi, rồi mở lại chương trình.")


# keyed by SQLite's primary result code (extended code & 0xFF); 8 (read-only) names the file
_WHY = {
    13: "Ổ đĩa đã đầy. Hãy xoá bớt tệp không cần thiết cho trống chỗ rồi thử lại.",
    5: "Tệp dữ liệu đang bị một chương trình khác giữ (có thể CCHC Desktop đang mở ở một cửa sổ khác). "
       "Hãy đóng cửa sổ đó rồi thử lại.",
    26: "Tệp này không phải là tệp dữ liệu của CCHC Desktop hoặc đã bị hỏng; chương trình không sửa gì "
        "trong tệp. Nếu chọn nhầm thư mục dữ liệu, hãy chọn lại bằng tuỳ chọn --data-dir. " + RESTORE_HINT,
    11: "Tệp dữ liệu bị hỏng. " + RESTORE_HINT,
    14: "Hãy kiểm tra thư mục dữ liệu còn tồn tại (ổ USB còn cắm) và bạn có quyền ghi vào đó, rồi thử lại.",
    10: "Có lỗi khi đọc hoặc ghi ổ đĩa (ổ đĩa có thể đã đầy, bị rút ra hoặc bị hỏng). Hãy kiểm tra ổ đĩa "
        "còn chỗ trống và, nếu là ổ USB, còn cắm chắc, rồi thử lại.",
    19: "Dữ liệu không hợp lệ nên chưa được ghi. Hãy kiểm tra lại nội dung rồi thử lại.",
}
_WHY[6] = _WHY[5]  # SQLITE_LOCKED reads the same as SQLITE_BUSY to the clerk
_WHY_OTHER = "Đã xảy ra lỗi không mong muốn. Hãy thử lại; nếu vẫn lỗi, hãy đóng rồi mở lại chương trình."


def translate_error(exc: sqlite3.Error, path: Path | str, action: str) -> StoreError:
    """Turn an sqlite3 error into a message that says what happened and what to do."""
    lead = {"open": f"Không mở được tệp dữ liệu “{path}”.",
            "read": f"Không đọc được dữ liệu từ tệp “{path}”.",
            "write": "Chưa lưu được thay đổi vừa rồi."}[action]
    primary = _primary_code(exc)
    why = _read_only_message(path) if primary == 8 else _WHY.get(primary, _WHY_OTHER)
    return StoreError(f"{lead} {why}", detail=f"{type(exc).__name__}: {exc}")


# --- helpers ---------------------------------------------------------------------------------

def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def nfc(obj: Any) -> Any:
    """NFC-normalise text, recursing into dicts and lists: Vietnamese typed with some IMEs
    arrives decomposed, and would otherwise compare unequal to the same word typed elsewhere."""
    if isinstance(obj, str):
        return letters.nfc(obj)
    if isinstance(obj, dict):
        return {nfc(k): nfc(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [nfc(v) for v in obj]
    return obj


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def _check_keys(given: dict, allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise ValueError(f"Trường không hợp lệ cho {what}: {', '.join(unknown)}.")


def _profile_within_limits(profile: dict) -> dict:
    out = {}
    try:
        for key, val in profile.items():
            where = f"{PROFILE_LABELS.get(key, key)} (Thông tin đơn vị)"
            if isinstance(val, str):
                val = check_text(val, LINE, f"Ô “{where}”") if key not in PROFILE_LIST_FIELDS else val
            elif isinstance(val, (list, tuple)):
                val = check_lines([str(v) for v in val], where)
            out[key] = val
    except TextError as exc:
        raise StoreError(f"Chưa lưu thông tin đơn vị: {exc.message}") from None
    return out


def _report_fields(fields: dict) -> dict:
    """Validate and normalise report meta fields into column values."""
    _check_keys(fields, REPORT_FIELDS, "báo cáo")
    row = {}
    for key, val in nfc(fields).items():
        if key == "year":
            val = int(val)
        elif key == "period":
            get_period(val)  # raises ValueError with the list of valid codes
        elif key == "status" and val not in STATUSES:
            raise ValueError(f"Trạng thái báo cáo “{val}” không hợp lệ; chỉ dùng: {', '.join(STATUSES)}.")
        elif key == "header":
            val = _dumps(val or {})
        elif key == "other_unit":
            val = _dumps(val) if val else ""
        elif key in ("window_start", "window_end") and isinstance(val, dt.date):
            val = val.isoformat()
        elif key not in ("window_start", "window_end"):
            val = "" if val is None else str(val)
        row[key] = val
    return row


def _utils_db(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over the store's own connection (same transactions), imported on first use."""
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def _cell(ident: str, item: tuple | list) -> tuple[str, str, str]:
    if len(item) != 2:
        raise ValueError(f"Số liệu của {ident} phải là (nội dung gõ, ghi chú), không phải {item!r}.")
    return ident, item[0], item[1]


def _decode_report(row: dict, own_name: str = "") -> dict:
    """A report row as the program uses it. ``other_unit`` is the unit of a report imported
    from another unit, else None; a report of the file's own unit is named by its profile
    (``own_name``), the name it was made under only while the profile has none."""
    other = row.get("other_unit")
    report = row | {"header": json.loads(row["header"] or "{}"), "other_unit": json.loads(other) if other else None}
    if report["other_unit"] is None and own_name:
        report["unit_name"] = own_name
    return report


# --- opening a file --------------------------------------------------------------------------

def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


_DAMAGE_BY_CODE = {26: "garbled", 11: "damaged"}  # SQLITE_NOTADB, SQLITE_CORRUPT


def check_data_file(conn: sqlite3.Connection, path: Path | str, known: int) -> None:
    """Refuse, without writing anything, a data file that cannot be used as it is: empty,
    garbled or damaged (:class:`DataFileDamaged`), another program's or a newer version's
    (:class:`StoreError`). The quick check reads every page once: about 10 ms for eight
    reports with 24,000 audit rows (2.8 MB), so damage is found when the window opens instead
    of being copied into the daily backups."""
    try:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        if not tables:
            # an existing file is never a first run (that one is created whole, see _create_fresh)
            raise DataFileDamaged(path, "empty")
        read_schema_version(conn, path, known)
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        reason = _DAMAGE_BY_CODE.get(_primary_code(exc))
        if reason is None:
            raise
        raise DataFileDamaged(path, reason, detail=f"{type(exc).__name__}: {exc}") from exc
    if problems != ["ok"]:
        raise DataFileDamaged(path, "damaged", detail="; ".join(map(str, problems)))


def is_zero_bytes(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _create_fresh(path: Path, migrations: list[Callable[[sqlite_utils.Database], None]]) -> None:
    """A first run's file, built under a temporary name and renamed into place complete.
    sqlite3.connect creates a 0-byte file at once, so building in place would leave one behind
    after a crash, and an empty file must mean damage (see check_data_file), never a first run."""
    tmp = path.with_name(f".cchc-moi-{os.urandom(16).hex()}.tmp")  # not uuid: its import is ~5 ms at start
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            migrate(_utils_db(conn), migrations)
        finally:
            conn.close()
        fsync_file(tmp)
        if not path.exists():  # another first run got there first: its file is as good
            os.replace(tmp, path)
            fsync_dir(path.parent)
    except sqlite3.Error as exc:
        raise translate_error(exc, path, "open") from exc
    except OSError as exc:
        raise StoreError(f"Không tạo được tệp dữ liệu “{path}”. {_WHY[14]}", detail=repr(exc)) from exc
    finally:
        _remove_quietly(tmp)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # already gone, or left for the next start's clean-up (housekeeping)


# --- the store -------------------------------------------------------------------------------

class Store:
    """One open data file. Not thread-safe (one sqlite3 connection): use it from one thread."""

    def __init__(self, path: str | Path, *, migrations: list[Callable[[sqlite_utils.Database], None]] | None = None):
        self.path = Path(path)
        self._closed = False
        migrations = MIGRATIONS if migrations is None else migrations
        if not self.path.exists():
            _create_fresh(self.path, migrations)
        elif is_zero_bytes(self.path):
            # refused before SQLite sees it: opening a 0-byte file, even read-only, deletes the
            # -wal beside it, which may hold the last edits
            raise DataFileDamaged(self.path, "empty")
        elif not os.access(self.path, os.W_OK):
            # SQLite would quietly open it read-only and fail only at the first Save
            raise StoreError(f"Không mở được tệp dữ liệu để ghi. {_read_only_message(self.path)}")
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, "open") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # checked before any PRAGMA that writes: a file we refuse stays byte-identical
            check_data_file(conn, self.path, len(migrations))
            # On a share that cannot do WAL this stays "delete"; with synchronous=FULL the
            # rollback journal is just as safe, only slower, so we carry on.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            migrate(conn, migrations)
            conn.execute("PRAGMA foreign_keys=ON")
            self.conn = conn
            self._db: sqlite_utils.Database | None = None
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                raise translate_error(exc, self.path, "open") from exc
            raise

    @classmethod
    def open(cls, data_dir: str | Path) -> Store:
        return cls(paths.db_path(data_dir))

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over this store's connection, for the rare writes and the schema;
        created (and sqlite-utils imported) on first use, never at an everyday start."""
        if self._db is None:
            self._db = _utils_db(self.conn)
        return self._db

    def checkpoint(self) -> bool:
        """Copy every commit from ``cchc.sqlite-wal`` into ``cchc.sqlite`` itself, so that a copy
        of that one file (how clerks back up) holds every edit. False, never an exception, when
        another connection keeps it from completing; the next call catches up."""
        conn = self.conn
        try:
            conn.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
            try:
                busy, wal_frames, copied = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.Error as exc:
            if _primary_code(exc) not in (5, 6):  # busy or locked is expected now and then
                logs.log.warning("checkpoint of %s failed: %s: %s", self.path, type(exc).__name__, exc)
            return False
        return busy == 0 and wal_frames == copied  # (0, -1, -1) when not in WAL mode: nothing to do

    def close(self) -> None:
        if self._closed:
            return
        self.checkpoint()
        self.conn.close()
        self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes that stand or fall together (an import's profile and its report):
        the Store's own methods inside join this transaction instead of committing alone."""
        with self._write():
            yield

    # -- plumbing --

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            with _transaction(self.conn):
                yield self.conn
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, "write") from exc

    @contextmanager
    def _read(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, "read") from exc

    def _audit(self, at: str, report_id: int | None, what: str, old: Any, new: Any) -> None:
        self.conn.execute("INSERT INTO audit_log (at, report_id, what, old, new) VALUES (?, ?, ?, ?, ?)",
                             (at, report_id, what, old, new))

    def _rows(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def _report_row(self, report_id: int) -> dict:
        rows = self._rows("SELECT * FROM reports WHERE id = ?", (report_id,))
        if not rows:
            raise ReportNotFound(f"Không tìm thấy báo cáo số {report_id}; có thể báo cáo đã bị xoá. "
                                 "Hãy mở lại danh sách báo cáo và chọn lại.")
        return rows[0]

    # -- unit profile --

    def _own_name(self) -> str:
        """"Xã Bình Phước": the name of the file's own unit, from its profile ("" without one)."""
        row = self.conn.execute("SELECT kind, name FROM unit_profile WHERE id = 1").fetchone()
        return display_name({"kind": row[0], "name": row[1]}) if row else ""

    def get_profile(self) -> dict | None:
        with self._read():
            rows = self._rows("SELECT * FROM unit_profile WHERE id = 1")
        if not rows:
            return None
        profile = {k: v for k, v in rows[0].items() if k != "id"}
        return profile | {k: json.loads(profile[k] or "[]") for k in PROFILE_LIST_FIELDS}

    def save_profile(self, profile: dict) -> None:
        """Upsert: keys not given keep their stored value. Text over the limits (limits.py) is a
        StoreError with the limit's message and nothing is saved: the profile is printed on every
        report, and what is saved here must be exportable."""
        profile = {k: v for k, v in nfc(profile).items() if k not in ("id", "updated_at")}
        _check_keys(profile, PROFILE_TEXT_FIELDS + PROFILE_LIST_FIELDS, "hồ sơ đơn vị")
        profile = _profile_within_limits(profile)
        at = _now()
        with self._write():
            old = self.get_profile()
            base = {k: "" for k in PROFILE_TEXT_FIELDS} | {k: [] for k in PROFILE_LIST_FIELDS}
            base |= {k: old[k] for k in base} if old else {}
            new = dict(base)
            for key, val in profile.items():
                if key not in PROFILE_LIST_FIELDS:
                    new[key] = "" if val is None else str(val)
                elif isinstance(val, str):  # one line, not a list of its characters
                    new[key] = [val] if val else []
                else:
                    new[key] = [str(v) for v in (val or [])]
            if old is not None and new == base:
                return
            row = new | {k: _dumps(new[k]) for k in PROFILE_LIST_FIELDS}
            self.db["unit_profile"].upsert(row | {"id": 1, "updated_at": at}, pk="id")
            self._audit(at, None, "profile", _dumps(base) if old else None, _dumps(new))
            name = display_name(new)
            if name:  # the stored copy, for readers of the file without the store (backups list)
                self.conn.execute("UPDATE reports SET unit_name = ? WHERE other_unit = '' AND unit_name != ?",
                                  (name, name))

    # -- reports --

    def create_report(self, meta: dict, values: dict[str, tuple[str, str]] | None = None,
                      narratives: dict[str, str] | None = None) -> int:
        """A report with its values (``{indicator: (raw, note)}``) and narratives, all or
        nothing: an import that fails half-way leaves no partial report behind."""
        missing = [k for k in REPORT_FIELDS if k not in meta and k not in _REPORT_DEFAULTS]
        if missing:
            raise ValueError(f"Thiếu thông tin để tạo báo cáo: {', '.join(missing)}.")
        at = _now()
        row = {"status": "draft", "header": "{}"} | _report_fields(meta)  # other_unit: "" by default
        row |= {"created_at": at, "updated_at": at}
        with self._write():
            report_id = self.db["reports"].insert(row).last_pk
            cells = [_cell(ident, item) for ident, item in nfc(values or {}).items()]
            self._audit(at, report_id, "report:create", None, _dumps(_decode_report(row) | {"id": report_id}))
            self.db["report_values"].insert_all(
                {"report_id": report_id, "indicator_id": ident, "raw": raw, "note": note, "updated_at": at}
                for ident, raw, note in cells)
            for ident, raw, note in cells:
                self._audit(at, report_id, f"value:{ident}", None, raw)
                if note:
                    self._audit(at, report_id, f"note:{ident}", None, note)
            texts = nfc(narratives or {})
            self.db["narratives"].insert_all(
                {"report_id": report_id, "section_id": sid, "text": text, "updated_at": at} for sid, text in texts.items())
            for sid, text in texts.items():
                self._audit(at, report_id, f"narrative:{sid}", None, text)
        return report_id

    def list_reports(self) -> list[dict]:
        order = {code: i for i, code in enumerate(PERIODS)}
        with self._read():
            own = self._own_name()
            rows = [_decode_report(r, own) for r in self._rows("SELECT * FROM reports")]
        return sorted(rows, key=lambda r: (-r["year"], order.get(r["period"], 99), r["id"]))

    def get_report(self, report_id: int) -> dict:
        with self._read():
            return _decode_report(self._report_row(report_id), self._own_name())

    def update_report(self, report_id: int, **fields: Any) -> None:
        new = _report_fields(fields)
        at = _now()
        with self._write() as conn:
            old = self._report_row(report_id)
            changed = [k for k, v in new.items() if old[k] != v]
            if not changed:
                return
            conn.execute(f"UPDATE reports SET {''.join(f'{k} = ?, ' for k in changed)}"
                         "updated_at = ? WHERE id = ?", [*(new[k] for k in changed), at, report_id])
            before, after = _decode_report(old), _decode_report(old | new)
            self._audit(at, report_id, "report:update", _dumps({k: before[k] for k in changed}),
                        _dumps({k: after[k] for k in changed}))

    def delete_report(self, report_id: int, backup: Path) -> None:
        """Delete a report whose backup the caller has made (reports.delete_report: no backup,
        no delete); the audit row says where that backup is. Values and narratives go with it."""
        at = _now()
        with self._write() as conn:
            old = _decode_report(self._report_row(report_id))
            conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))
            self._audit(at, report_id, "report:delete", _dumps(old), str(backup))

    # -- values, notes, narratives --

    def get_values(self, report_id: int) -> dict[str, ValueRow]:
        with self._read():
            self._report_row(report_id)
            rows = self.conn.execute("SELECT indicator_id, raw, note FROM report_values WHERE report_id = ?",
                                     (report_id,))
            return {ident: ValueRow(raw, note) for ident, raw, note in rows}

    def get_narratives(self, report_id: int) -> dict[str, str]:
        with self._read():
            self._report_row(report_id)
            rows = self.conn.execute("SELECT section_id, text FROM narratives WHERE report_id = ?", (report_id,))
            return dict(rows.fetchall())

    def _edit(self, report_id: int, table: str, key_col: str, key: str, what: str, changes: dict[str, Any],
              coalesce: bool = False) -> None:
        """Upsert ``changes`` into one row (other columns kept), touch the report and audit
        the first column old -> new, in one transaction; nothing at all if nothing changes."""
        at, cols = _now(), list(changes)
        with self._write() as conn:
            self._report_row(report_id)
            old = conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE report_id = ? AND "
                               f"{key_col} = ?", (report_id, key)).fetchone()
            if (dict(zip(cols, old)) if old else {c: _BLANK[c] for c in cols}) == changes:
                return
            # plain SQL, not db[table].upsert(): this runs at every keystroke, and sqlite-utils
            # would be imported for it at the first one (see the module's docstring)
            conn.execute(f"INSERT INTO {table} (report_id, {key_col}, {', '.join(cols)}, updated_at) "
                         f"VALUES (?, ?, {'?, ' * len(cols)}?) ON CONFLICT (report_id, {key_col}) DO UPDATE SET "
                         f"{', '.join(f'{c} = excluded.{c}' for c in cols)}, updated_at = excluded.updated_at",
                         (report_id, key, *changes.values(), at))
            conn.execute("UPDATE reports SET updated_at = ? WHERE id = ?", (at, report_id))
            what_key = f"{what}:{key}"
            if coalesce and self._extend_last_audit(at, report_id, what_key, changes[cols[0]]):
                return
            self._audit(at, report_id, what_key, old[0] if old else None, changes[cols[0]])

    def _extend_last_audit(self, at: str, report_id: int, what: str, new: Any) -> bool:
        """Saving on every keystroke would log "1", "19", "196", "1962" as four edits; a burst of
        typing in one field becomes one row instead (first old value, last new one)."""
        last = self.conn.execute("SELECT id, at, report_id, what FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        if not last or (last[2], last[3]) != (report_id, what):
            return False
        gap = dt.datetime.fromisoformat(at) - dt.datetime.fromisoformat(last[1])
        if not dt.timedelta(0) <= gap <= dt.timedelta(seconds=AUDIT_BURST_SECONDS):
            return False
        self.conn.execute("UPDATE audit_log SET at = ?, new = ? WHERE id = ?", (at, new, last[0]))
        return True

    def set_value(self, report_id: int, indicator_id: str, raw: str, *, coalesce: bool = False) -> None:
        """Store exactly what was typed (``raw``, even if invalid); the value is parsed from it
        wherever it is read, so a parse can never disagree with the text.
        ``coalesce``: part of a burst of typing in the same field (one audit row for the burst)."""
        if not isinstance(raw, str):
            raise TypeError(f"Nội dung nhập cho {indicator_id} phải là văn bản, không phải {type(raw).__name__}.")
        self._edit(report_id, "report_values", "indicator_id", nfc(indicator_id), "value", {"raw": nfc(raw)},
                   coalesce)

    def set_note(self, report_id: int, indicator_id: str, note: str, *, coalesce: bool = False) -> None:
        self._edit(report_id, "report_values", "indicator_id", nfc(indicator_id), "note", {"note": nfc(note)},
                   coalesce)

    def set_narrative(self, report_id: int, section_id: str, text: str, *, coalesce: bool = False) -> None:
        self._edit(report_id, "narratives", "section_id", nfc(section_id), "narrative", {"text": nfc(text)},
                   coalesce)

    # -- history --

    def audit(self, report_id: int | None = None, limit: int = 100) -> list[dict]:
        """Newest first; ``report_id=None`` means the whole log."""
        with self._read():
            return self._rows("SELECT * FROM audit_log WHERE (:rid IS NULL OR report_id = :rid) "
                              "ORDER BY id DESC LIMIT :limit", {"rid": report_id, "limit": limit})
