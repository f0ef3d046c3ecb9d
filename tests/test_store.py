"""The SQLite store, on real files: schema, pragmas, every method, refusals and failures."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import platformdirs
import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_desktop.system import data_dirs as paths
from cchc_desktop.services.reports import delete_report
from cchc_desktop.storage.store import MIGRATIONS, ReportNotFound, Store, StoreError, ValueRow, migrate

META = {
    "unit_name": "UBND xã Tân Lập", "year": 2025, "period": "quy1",
    "window_start": "2024-12-15", "window_end": "2025-03-14", "next_period_label": "quý II",
    "catalog_id": "bm-xa", "catalog_version": "2025.1",
    "header": {"number": "12/BC-UBND", "recipients": ["UBND huyện"], "signer_name": "Lê Văn A"},
}
_VI_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
_ENGLISH = re.compile(r"\b(database|error|file|locked|disk|permission|denied|readonly)\b", re.I)


def assert_vietnamese(message: str) -> None:
    """Natural Vietnamese with diacritics and no English error text (quoted paths aside)."""
    prose = re.sub(r"“[^”]*”", "", message)
    assert sum(c in _VI_LETTERS for c in prose.lower()) >= 8, message
    assert not _ENGLISH.search(prose), message
    assert prose.rstrip().endswith("."), message


def audit_count(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "cchc.sqlite"


@pytest.fixture
def store(db_file: Path):
    with Store(db_file) as s:
        yield s


@pytest.fixture
def rid(store: Store) -> int:
    return store.create_report(META)


# --- schema and open -------------------------------------------------------------------------

def test_schema_has_the_interface_columns(store: Store):
    # sqlite_sequence is SQLite's own: the counter behind AUTOINCREMENT report ids
    cols = {t: set(store.db[t].columns_dict) for t in store.db.table_names() if t != "sqlite_sequence"}
    assert cols == {
        "schema_version": {"version"},
        "unit_profile": {"id", "kind", "name", "province", "parent_agency", "agency_name", "place_name",
                         "doc_code", "signer_name", "signer_title", "signing_authority", "authority_line",
                         "recipients", "cc", "updated_at", "code", "province_code"},
        "reports": {"id", "unit_name", "year", "period", "window_start", "window_end", "next_period_label",
                    "catalog_id", "catalog_version", "status", "header", "created_at", "updated_at", "other_unit"},
        "report_values": {"report_id", "indicator_id", "raw", "note", "updated_at"},
        "narratives": {"report_id", "section_id", "text", "updated_at"},
        "audit_log": {"id", "at", "report_id", "what", "old", "new"},
    }
    assert store.db["report_values"].pks == ["report_id", "indicator_id"]
    assert store.db["narratives"].pks == ["report_id", "section_id"]
    assert store.db.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]


def test_pragmas_in_force(store: Store, db_file: Path):
    q = lambda p: store.db.execute(f"PRAGMA {p}").fetchone()[0]  # noqa: E731
    assert q("journal_mode") == "wal"
    assert q("foreign_keys") == 1
    assert q("synchronous") == 2  # FULL
    assert q("busy_timeout") == 5000
    assert not store.db.conn.in_transaction
    other = sqlite3.connect(db_file)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persisted in the file
    other.close()


def test_open_from_data_dir_and_reopen_keeps_data(tmp_path: Path):
    with Store.open(tmp_path) as s:
        report_id = s.create_report(META)
        s.set_value(report_id, "bm1.1", "12")
    assert (tmp_path / paths.DB_FILENAME).is_file()
    with Store.open(tmp_path) as s:
        assert s.get_values(report_id) == {"bm1.1": ValueRow("12", "")}
        assert s.db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1


def test_open_in_missing_folder_is_a_vietnamese_error(tmp_path: Path):
    with pytest.raises(StoreError) as err:
        Store(tmp_path / "khong-co" / "cchc.sqlite")
    assert_vietnamese(str(err.value))


# --- unit profile ----------------------------------------------------------------------------

def test_profile_roundtrip_upsert_and_audit(store: Store):
    assert store.get_profile() is None
    store.save_profile({"name": "UBND xã Tân Lập", "province": "Phú Thọ",
                        "recipients": ["UBND huyện", "Phòng Nội vụ"]})
    prof = store.get_profile()
    assert prof["name"] == "UBND xã Tân Lập"
    assert prof["recipients"] == ["UBND huyện", "Phòng Nội vụ"] and prof["cc"] == []
    assert prof["signer_name"] == ""
    store.save_profile({"signer_name": "Lê Văn A"})
    prof2 = store.get_profile()
    assert prof2["signer_name"] == "Lê Văn A" and prof2["province"] == "Phú Thọ"
    rows = store.audit()
    assert [r["what"] for r in rows] == ["profile", "profile"]
    assert rows[1]["old"] is None
    assert json.loads(rows[0]["old"])["signer_name"] == ""
    assert json.loads(rows[0]["new"])["signer_name"] == "Lê Văn A"
    store.save_profile(prof2)  # what get_profile returned, unchanged: no-op
    assert audit_count(store) == 2
    with pytest.raises(ValueError):
        store.save_profile({"khong_co": "x"})


# --- reports ---------------------------------------------------------------------------------

def test_create_get_and_list_order(store: Store):
    a = store.create_report(META | {"year": 2024, "period": "nam"})
    b = store.create_report(META | {"period": "9thang"})
    c = store.create_report(META | {"period": "quy1"})
    d = store.create_report(META | {"period": "6thang", "status": "complete"})
    e = store.create_report(META | {"period": "quy1"})
    assert [r["id"] for r in store.list_reports()] == [c, e, d, b, a]
    rep = store.get_report(c)
    assert rep["header"] == META["header"]
    assert rep["status"] == "draft" and store.get_report(d)["status"] == "complete"
    assert rep["year"] == 2025 and rep["window_end"] == "2025-03-14"
    assert rep["created_at"] == rep["updated_at"]
    assert store.audit(c)[0]["what"] == "report:create"


def test_create_report_validates_meta(store: Store):
    with pytest.raises(ValueError):
        store.create_report({k: v for k, v in META.items() if k != "year"})
    with pytest.raises(ValueError):
        store.create_report(META | {"period": "quy5"})
    with pytest.raises(ValueError):
        store.create_report(META | {"status": "xong"})
    with pytest.raises(ValueError):
        store.create_report(META | {"khong_co": 1})
    assert store.list_reports() == [] and audit_count(store) == 0


def test_missing_report_is_a_vietnamese_error(store: Store):
    with pytest.raises(ReportNotFound) as err:
        store.get_report(42)
    assert isinstance(err.value, StoreError)
    assert_vietnamese(str(err.value))
    for call in (lambda: store.set_value(42, "bm1", "1"), lambda: store.set_note(42, "bm1", "x"),
                 lambda: store.set_narrative(42, "I", "x"), lambda: store.update_report(42, status="complete"),
                 lambda: store.get_values(42), lambda: store.get_narratives(42)):
        with pytest.raises(ReportNotFound):
            call()
    assert audit_count(store) == 0
    assert store.db.execute("SELECT count(*) FROM report_values").fetchone()[0] == 0


def test_update_report_audited_header_replaced_whole(store: Store, rid: int):
    before = audit_count(store)
    store.update_report(rid, status="complete", header={"number": "15/BC-UBND"})
    rep = store.get_report(rid)
    assert rep["status"] == "complete" and rep["header"] == {"number": "15/BC-UBND"}
    row = store.audit(rid, limit=1)[0]
    assert row["what"] == "report:update"
    assert json.loads(row["old"]) == {"status": "draft", "header": META["header"]}
    assert json.loads(row["new"]) == {"status": "complete", "header": {"number": "15/BC-UBND"}}
    store.update_report(rid, status="complete", header={"number": "15/BC-UBND"})
    assert audit_count(store) == before + 1
    with pytest.raises(ValueError):
        store.update_report(rid, khong_co=1)


# --- values, notes, narratives ---------------------------------------------------------------

def test_set_value_keeps_invalid_raw_and_note(store: Store, rid: int, db_file: Path):
    store.set_value(rid, "bm3.3.1", "12 người")  # invalid: kept exactly
    store.set_note(rid, "bm3.3.1", "số liệu tạm")
    store.set_value(rid, "bm3.3.1", "12")
    store.set_value(rid, "bm3.3.2", "abc")
    assert store.get_values(rid) == {
        "bm3.3.1": ValueRow("12", "số liệu tạm"), "bm3.3.2": ValueRow("abc", ""),
    }
    raw_sql = sqlite3.connect(db_file)  # on disk, seen by another connection, right away
    assert raw_sql.execute("SELECT raw, note FROM report_values WHERE indicator_id='bm3.3.2'"
                           ).fetchone() == ("abc", "")
    raw_sql.close()
    rows = [(r["what"], r["old"], r["new"]) for r in reversed(store.audit(rid))][1:]
    assert rows == [("value:bm3.3.1", None, "12 người"), ("note:bm3.3.1", "", "số liệu tạm"),
                    ("value:bm3.3.1", "12 người", "12"), ("value:bm3.3.2", None, "abc")]


def test_unchanged_edits_write_no_audit(store: Store, rid: int):
    store.set_value(rid, "bm1", "5")
    store.set_note(rid, "bm1", "n")
    store.set_narrative(rid, "I", "t")
    n = audit_count(store)
    store.set_value(rid, "bm1", "5")
    store.set_note(rid, "bm1", "n")
    store.set_narrative(rid, "I", "t")
    store.set_note(rid, "bm9", "")  # blank note on a blank cell: nothing to record
    store.set_narrative(rid, "II", "")
    assert audit_count(store) == n
    assert "bm9" not in store.get_values(rid)
    store.set_value(rid, "bm1", "5")  # a parse given is ignored: the same text is no change
    assert audit_count(store) == n
    store.set_value(rid, "bm1", "5,0")
    assert audit_count(store) == n + 1


def test_set_note_on_new_cell_and_narratives(store: Store, rid: int):
    store.set_note(rid, "bm2.1", "chưa có số liệu")
    assert store.get_values(rid)["bm2.1"] == ValueRow("", "chưa có số liệu")
    store.set_narrative(rid, "II.2", "Đã rà soát 15 thủ tục.")
    store.set_narrative(rid, "II.2", "Đã rà soát 16 thủ tục.")
    assert store.get_narratives(rid) == {"II.2": "Đã rà soát 16 thủ tục."}
    top = store.audit(rid, limit=2)
    assert [(r["what"], r["old"], r["new"]) for r in top] == [
        ("narrative:II.2", "Đã rà soát 15 thủ tục.", "Đã rà soát 16 thủ tục."),
        ("narrative:II.2", None, "Đã rà soát 15 thủ tục.")]
    assert store.get_report(rid)["updated_at"] == top[0]["at"]


def test_audit_newest_first_limit_and_filter(store: Store):
    a, b = store.create_report(META), store.create_report(META | {"period": "nam"})
    for i in range(5):
        store.set_value(a, "bm1", str(i))
    store.set_value(b, "bm1", "x")
    rows = store.audit(a, limit=3)
    assert [r["new"] for r in rows] == ["4", "3", "2"]
    assert all(r["report_id"] == a for r in store.audit(a))
    assert store.audit(limit=1)[0]["report_id"] == b
    ats = [r["at"] for r in store.audit()]
    assert ats == sorted(ats, reverse=True)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", ats[0])


def test_text_is_stored_nfc(store: Store):
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    word = "Nguyễn Thị Hường"
    assert nfd(word) != word
    header = {"signer_name": nfd(word), "recipients": [nfd(word)]}
    report_id = store.create_report(META | {"unit_name": nfd("xã Đồng Tâm"), "header": header},
                                    values={"bm1": (nfd("mười hai"), nfd(word))}, narratives={"I": nfd(word)})
    store.set_value(report_id, "bm2", nfd(word))
    store.set_note(report_id, "bm2", nfd(word))
    store.set_narrative(report_id, "II", nfd(word))
    store.update_report(report_id, next_period_label=nfd("quý II"))
    store.save_profile({"name": nfd(word), "cc": [nfd(word)]})
    dump = "\n".join(str(row) for t in ("reports", "report_values", "narratives",
                                         "unit_profile", "audit_log")
                     for row in store.db.execute(f"SELECT * FROM {t}"))
    assert word in dump and "xã Đồng Tâm" in dump and "quý II" in dump
    assert unicodedata.normalize("NFC", dump) == dump
    assert store.get_report(report_id)["header"]["recipients"] == [word]


def test_create_report_is_all_or_nothing(store: Store):
    good = {f"bm{i}": (str(i), "") for i in range(20)}
    with pytest.raises(ValueError):  # wrong tuple shape, after the report's row went in
        store.create_report(META, values=good | {"bm99": ("1",)})
    with pytest.raises(StoreError):  # SQLite itself refuses half-way (raw NOT NULL)
        store.create_report(META, values=good | {"bm99": (None, "")}, narratives={"I": "x"})
    for table in ("reports", "report_values", "narratives", "audit_log"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert not store.db.conn.in_transaction
    report_id = store.create_report(META, values=good, narratives={"I": "x"})
    assert len(store.get_values(report_id)) == 20


# --- delete ----------------------------------------------------------------------------------

def test_delete_backs_up_then_cascades_and_keeps_audit(store: Store, tmp_path: Path):
    report_id = store.create_report(META, values={"bm1": ("7", "n")}, narratives={"I": "x"})
    other = store.create_report(META | {"period": "nam"}, values={"bm1": ("8", "")})
    backup = delete_report(store, report_id, tmp_path / "backups")
    assert backup.is_file() and "truoc-khi-xoa" in backup.name
    assert [r["id"] for r in store.list_reports()] == [other]
    count = lambda t: store.db.execute(  # noqa: E731
        f"SELECT count(*) FROM {t} WHERE report_id = ?", [report_id]).fetchone()[0]
    assert count("report_values") == 0 and count("narratives") == 0
    rows = store.audit(report_id)
    assert rows[0]["what"] == "report:delete" and rows[0]["new"] == str(backup)
    assert {"report:create", "value:bm1", "narrative:I"} <= {r["what"] for r in rows}
    saved = sqlite3.connect(backup)
    assert saved.execute("SELECT raw FROM report_values WHERE report_id = ?",
                         [report_id]).fetchall() == [("7",)]
    saved.close()
    assert store.get_values(other)["bm1"].raw == "8"


def test_delete_without_backup_deletes_nothing(store: Store, rid: int, tmp_path: Path):
    store.set_value(rid, "bm1", "3")
    blocker = tmp_path / "la-mot-tep"
    blocker.write_text("x")
    n = audit_count(store)
    with pytest.raises(StoreError) as err:
        delete_report(store, rid, blocker / "backups")  # cannot exist, even for root
    assert_vietnamese(str(err.value))
    assert store.get_values(rid)["bm1"].raw == "3"
    assert audit_count(store) == n


# --- migrations and refusals -----------------------------------------------------------------

def _add_remark(db: sqlite_utils.Database) -> None:
    db["reports"].add_column("remark", str, not_null_default="")


def test_migration_to_v2_keeps_data(db_file: Path):
    with Store(db_file) as s:
        report_id = s.create_report(META, values={"bm1": ("9", "")})
    with Store(db_file, migrations=MIGRATIONS + [_add_remark]) as s:
        assert s.db.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS) + 1,)]
        assert "remark" in s.db["reports"].columns_dict
        assert s.get_values(report_id)["bm1"].raw == "9"
        assert s.get_report(report_id)["remark"] == ""
    db = sqlite_utils.Database(db_file)
    assert migrate(db, MIGRATIONS + [_add_remark]) == len(MIGRATIONS) + 1  # already there: nothing to do
    db.close()


def test_failed_migration_leaves_previous_version(db_file: Path):
    def broken(db: sqlite_utils.Database) -> None:
        _add_remark(db)
        raise RuntimeError("migration bug")

    with Store(db_file) as s:
        s.create_report(META)
    with pytest.raises(RuntimeError):
        Store(db_file, migrations=MIGRATIONS + [broken])
    with Store(db_file) as s:
        assert s.db.execute("SELECT version FROM schema_version").fetchone()[0] == len(MIGRATIONS)
        assert "remark" not in s.db["reports"].columns_dict
        assert len(s.list_reports()) == 1


def _refused_untouched(path: Path) -> StoreError:
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Store(path)
    assert path.read_bytes() == before
    assert_vietnamese(str(err.value))
    return err.value


def test_newer_version_file_refused_untouched(db_file: Path):
    with Store(db_file) as s:
        s.create_report(META)
    raw = sqlite3.connect(db_file)
    raw.execute("UPDATE schema_version SET version = 99")
    raw.commit()
    raw.close()
    err = _refused_untouched(db_file)
    assert "cập nhật" in str(err) and "mới hơn" in str(err)


def test_garbage_file_refused_untouched(db_file: Path):
    db_file.write_bytes(b"\x00\xffkhong phai sqlite" * 500)
    _refused_untouched(db_file)


def test_other_programs_database_refused_untouched(db_file: Path):
    other = sqlite3.connect(db_file)
    other.execute("CREATE TABLE khach_hang (ten TEXT)")
    other.commit()
    other.close()
    _refused_untouched(db_file)


@contextmanager
def made_read_only(path: Path):
    if os.name == "nt":
        pytest.skip("the read-only simulation (chmod / chattr) is POSIX-only")
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    # root ignores file modes; the immutable attribute still stops it
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr +i, so nothing can be made read-only here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_file_is_refused_in_vietnamese(db_file: Path):
    with Store(db_file) as s:
        s.create_report(META)
    with made_read_only(db_file):
        err = _refused_untouched(db_file)
    assert "chỉ đọc" in str(err)


def test_locked_file_is_a_vietnamese_error_and_retry_works(store: Store, rid: int, db_file: Path):
    store.db.execute("PRAGMA busy_timeout = 100")  # keep the test fast
    other = sqlite3.connect(db_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError) as err:
        store.set_value(rid, "bm1", "5")
    assert_vietnamese(str(err.value))
    assert not store.db.conn.in_transaction
    other.execute("ROLLBACK")
    other.close()
    store.set_value(rid, "bm1", "5")  # the caller kept the text and saves again
    assert store.get_values(rid)["bm1"].raw == "5"


# --- paths -----------------------------------------------------------------------------------

def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "tu-bien-moi-truong"))
    assert paths.default_data_dir() == tmp_path / "tu-bien-moi-truong"
    assert paths.resolve_data_dir(None) == tmp_path / "tu-bien-moi-truong"
    assert paths.resolve_data_dir(tmp_path / "tu-tuy-chon") == tmp_path / "tu-tuy-chon"
    assert (tmp_path / "tu-tuy-chon").is_dir() and list((tmp_path / "tu-tuy-chon").iterdir()) == []
    monkeypatch.setenv(paths.ENV_VAR, "")
    expected = platformdirs.user_data_dir("CCHC Desktop", appauthor=False, roaming=True)
    assert paths.default_data_dir() == Path(expected)
    assert paths.db_path(tmp_path) == tmp_path / "cchc.sqlite"
    assert paths.backup_dir(tmp_path) == tmp_path / "backups"


def test_unusable_data_dir_is_a_vietnamese_error(tmp_path: Path):
    blocker = tmp_path / "la-mot-tep"
    blocker.write_text("x")
    for bad in (blocker / "du-lieu", blocker):
        with pytest.raises(paths.DataDirError) as err:
            paths.resolve_data_dir(bad)
        assert_vietnamese(str(err.value))
        assert str(bad) in str(err.value)
        assert "--data-dir" in str(err.value)


def test_read_only_data_dir_is_a_vietnamese_error(tmp_path: Path):
    folder = tmp_path / "du-lieu"
    folder.mkdir()
    with made_read_only(folder), pytest.raises(paths.DataDirError) as err:
        paths.resolve_data_dir(folder)
    assert_vietnamese(str(err.value))
    assert "--data-dir" in str(err.value) and "quyền ghi" in str(err.value)
    assert list(folder.iterdir()) == []  # the probe file did not stay behind


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(), note=st.text(), text=st.text())
def test_any_text_comes_back_as_typed(store: Store, rid: int, raw: str, note: str, text: str):
    store.set_value(rid, "bm1", raw)
    store.set_note(rid, "bm1", note)
    store.set_narrative(rid, "I", text)
    nfc = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
    blank = ValueRow("", "")  # a blank cell that never held anything has no row
    assert store.get_values(rid).get("bm1", blank) == ValueRow(nfc(raw), nfc(note))
    assert store.get_narratives(rid).get("I", "") == nfc(text)
