"""Backups and restore, on real SQLite files."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest

from cchc_desktop.storage import backups
from cchc_desktop.storage.backups import (KEEP, auto_backup, list_backups, make_backup,
                                  restore_backup)
from cchc_desktop.storage.store import MIGRATIONS, Store, StoreError

META = {
    "unit_name": "UBND xã Tân Lập", "year": 2025, "period": "quy1",
    "window_start": "2024-12-15", "window_end": "2025-03-14", "next_period_label": "quý II",
    "catalog_id": "bm-xa", "catalog_version": "2025.1", "header": {"number": "12/BC-UBND"},
}
TABLES = ("schema_version", "unit_profile", "reports", "report_values", "narratives",
          "audit_log")
DAY = dt.datetime(2025, 3, 20, 9, 30, 0)


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        conn.close()


def assert_vietnamese(message: str) -> None:
    prose = re.sub(r"“[^”]*”", "", message)
    assert sum(c in "ăâđêôơưạảấầẩậắằẳặẹẻếềểệỉịọỏốồổộớờởợụủứừửựỳỵỷỹáàãéèíìóòõúùý"
               for c in prose.lower()) >= 8, message
    assert not re.search(r"\b(database|error|file|disk|malformed)\b", prose, re.I), message


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "cchc.sqlite"


@pytest.fixture
def bdir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def store(db_file: Path):
    with Store(db_file) as s:
        rid = s.create_report(META, values={"bm1": ("12", "ghi chú")},
                              narratives={"I": "Đã rà soát."})
        s.set_value(rid, "bm2", "mười")
        s.save_profile({"name": "UBND xã Tân Lập", "recipients": ["UBND huyện"]})
        yield s


def test_backup_is_a_valid_copy_with_the_same_rows(store: Store, db_file: Path, bdir: Path):
    path = make_backup(store, bdir, reason="thu")
    assert re.fullmatch(r"cchc-\d{8}-\d{6}-thu\.sqlite", path.name)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a self-contained file: not in WAL mode, needs no -wal/-shm next to it
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert dump(path) == dump(db_file)
    assert sorted(p.name for p in bdir.iterdir()) == [path.name]  # no temp file left


def test_backup_from_a_path_includes_commits_still_in_the_wal(store: Store, db_file: Path,
                                                             bdir: Path):
    store.db.execute("PRAGMA wal_autocheckpoint = 0")
    rid = store.list_reports()[0]["id"]
    store.set_narrative(rid, "II", "chỉ có trong WAL")
    assert Path(f"{db_file}-wal").stat().st_size > 0
    path = make_backup(db_file, bdir)  # another connection, while the store is open
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT text FROM narratives WHERE section_id = 'II'").fetchone() == (
        "chỉ có trong WAL",)
    conn.close()


def test_names_counter_and_order(store: Store, bdir: Path):
    a = make_backup(store, bdir, reason="auto", now=DAY)
    b = make_backup(store, bdir, reason="Trước khi xoá", now=DAY)
    c = make_backup(store, bdir, reason="auto", now=DAY)
    assert a.name == "cchc-20250320-093000-auto.sqlite"
    assert b.name == "cchc-20250320-093000-truoc-khi-xoa_2.sqlite"
    assert c.name == "cchc-20250320-093000-auto_3.sqlite"
    infos = list_backups(bdir)
    assert [i.path for i in infos] == [c, b, a]
    assert infos[1].reason == "truoc-khi-xoa" and infos[1].created == DAY
    assert infos[0].size == c.stat().st_size > 0


def test_list_backups_of_missing_folder_is_empty(tmp_path: Path):
    assert list_backups(tmp_path / "khong-co") == []


def test_prune_keeps_ten_newest_and_ignores_other_files(store: Store, bdir: Path):
    bdir.mkdir()
    (bdir / "ghi-chu.txt").write_text("của người dùng")
    made = [make_backup(store, bdir, now=DAY + dt.timedelta(days=i)) for i in range(KEEP + 2)]
    remaining = [i.path for i in list_backups(bdir)]
    assert remaining == list(reversed(made))[:KEEP]
    assert not made[0].exists() and not made[1].exists()
    assert (bdir / "ghi-chu.txt").exists()


def test_prune_keeps_the_backup_made_before_a_delete_through_many_daily_backups(store: Store, bdir: Path):
    before_delete = make_backup(store, bdir, reason="truoc-khi-xoa", now=DAY)
    for i in range(1, 3 * KEEP):
        make_backup(store, bdir, now=DAY + dt.timedelta(days=i))
    assert before_delete.exists()
    assert len([b for b in list_backups(bdir) if b.reason == "auto"]) == KEEP


def test_prune_never_deletes_the_backup_just_made(store: Store, bdir: Path):
    for i in range(KEEP):
        make_backup(store, bdir, now=DAY + dt.timedelta(days=i))
    # a PC whose clock fell back to 2000 after a dead CMOS battery
    odd = make_backup(store, bdir, now=dt.datetime(2000, 1, 1))
    assert odd.exists() and len(list_backups(bdir)) == KEEP + 1


def test_backup_failure_is_a_vietnamese_error(store: Store, tmp_path: Path):
    blocker = tmp_path / "la-mot-tep"
    blocker.write_text("x")
    with pytest.raises(StoreError) as err:
        make_backup(store, blocker / "backups")
    assert_vietnamese(str(err.value))
    with pytest.raises(StoreError):
        make_backup(tmp_path / "khong-co.sqlite", tmp_path / "b2")
    assert not (tmp_path / "khong-co.sqlite").exists()  # not created by trying
    assert list((tmp_path / "b2").iterdir()) == []


def test_auto_backup_once_a_day(store: Store, bdir: Path):
    first = auto_backup(store, bdir, now=DAY)
    assert first is not None and first.exists() and first.name.endswith("-auto.sqlite")
    assert auto_backup(store, bdir, now=DAY.replace(hour=17)) is None
    assert auto_backup(store, bdir, now=DAY.replace(hour=23, minute=59)) is None
    second = auto_backup(store, bdir, now=DAY + dt.timedelta(days=1))
    assert second is not None and second != first
    assert len(list_backups(bdir)) == 2


def test_any_backup_today_counts_for_auto(store: Store, bdir: Path):
    make_backup(store, bdir, reason="truoc-khi-xoa", now=DAY)
    assert auto_backup(store, bdir, now=DAY.replace(hour=20)) is None


def test_restore_brings_back_old_data_and_leaves_safety_backup(store: Store, db_file: Path,
                                                               bdir: Path):
    rid = store.list_reports()[0]["id"]
    old = make_backup(store, bdir, now=DAY)
    old_rows = dump(old)
    store.set_value(rid, "bm1", "99")
    new_rid = store.create_report(META | {"period": "nam"})
    store.close()

    safety = restore_backup(db_file, old, bdir)
    assert safety is not None and "truoc-khi-khoi-phuc" in safety.name
    with Store(db_file) as s:
        assert [r["id"] for r in s.list_reports()] == [rid]
        assert s.get_values(rid)["bm1"].raw == "12"
        assert s.audit(limit=1)[0]["what"] == "restore"
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restored = dump(db_file)
    assert {t: restored[t] for t in TABLES if t != "audit_log"} == {
        t: old_rows[t] for t in TABLES if t != "audit_log"}
    assert restored["audit_log"][:-1] == old_rows["audit_log"]
    kept = sqlite3.connect(safety)
    assert kept.execute("SELECT count(*) FROM reports WHERE id = ?", [new_rid]).fetchone()[0] == 1
    kept.close()
    assert old.exists()


def test_restore_from_the_oldest_of_a_full_folder(store: Store, db_file: Path, bdir: Path):
    oldest = make_backup(store, bdir, now=DAY)
    for i in range(1, KEEP):
        make_backup(store, bdir, now=DAY + dt.timedelta(days=i))
    rid = store.list_reports()[0]["id"]
    store.set_value(rid, "bm1", "99")
    store.close()
    restore_backup(db_file, oldest, bdir)  # the safety backup must not prune its source
    assert oldest.exists()
    with Store(db_file) as s:
        assert s.get_values(rid)["bm1"].raw == "12"


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    data[page:3 * page] = bytes((i * 37) % 256 for i in range(2 * page))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["corrupted", "truncated", "garbage", "other-db", "newer"])
def test_bad_backup_refused_and_nothing_changed(store: Store, db_file: Path, bdir: Path,
                                                damage: str):
    bad = make_backup(store, bdir)
    if damage == "corrupted":
        _corrupt(bad)
    elif damage == "truncated":
        bad.write_bytes(bad.read_bytes()[: 4096 * 2 + 100])
    elif damage == "garbage":
        bad.write_bytes(b"PK\x03\x04 day la tep zip" * 300)
    elif damage == "other-db":
        bad.unlink()
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE reports (x)")
        conn.commit()
        conn.close()
    else:
        conn = sqlite3.connect(bad)
        conn.execute("UPDATE schema_version SET version = 99")
        conn.commit()
        conn.close()
    store.close()
    live_before = db_file.read_bytes()
    listing_before = sorted(p.name for p in bdir.iterdir())
    with pytest.raises(StoreError) as err:
        restore_backup(db_file, bad, bdir)
    assert_vietnamese(str(err.value))
    assert db_file.read_bytes() == live_before
    assert sorted(p.name for p in bdir.iterdir()) == listing_before  # no safety backup either


def test_verify_backup_accepts_a_good_one(store: Store, bdir: Path):
    assert backups.verify_backup(make_backup(store, bdir)) == len(MIGRATIONS)
