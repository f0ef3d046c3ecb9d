"""Backups that can be trusted, a copy taken away on a USB stick, the listing a recovery
dialog shows, and restoring over a data file that is damaged, garbled or empty."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cchc_desktop.storage import backups
from cchc_desktop.storage.backups import KEEP, auto_backup, list_backups, make_backup, restore_backup
from cchc_desktop.storage.store import Store, StoreError
from tests.conftest import run_cli
from tests.test_backups import DAY, _corrupt, dump
from tests.test_core_safety_datafile import _damage, _data_file
from tests.test_store import assert_vietnamese, made_read_only

ROOT = Path(__file__).resolve().parents[1]
LABEL = "Quý I 2025 — UBND xã Tân Lập"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return _data_file(tmp_path / "cchc.sqlite")


@pytest.fixture
def bdir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def _days(n: int) -> dt.datetime:
    return DAY + dt.timedelta(days=n)


# --- verified backups ------------------------------------------------------------------------

def test_a_damaged_data_file_never_pushes_the_sound_backups_out(db: Path, bdir: Path):
    sound = [make_backup(db, bdir, now=_days(i)) for i in range(KEEP)]
    _corrupt(db)
    for i in range(KEEP, 3 * KEEP):  # twenty more days of daily backups of the damaged file
        with pytest.raises(StoreError) as err:
            auto_backup(db, bdir, now=_days(i))
        assert type(err.value).__name__ == "DataFileDamaged"
        assert "Báo cáo → Sao lưu và khôi phục…" in str(err.value)
        assert_vietnamese(str(err.value))
    assert [b.path for b in list_backups(bdir)] == sound[::-1]
    damaged = sorted((bdir / "hong").iterdir())
    assert 1 <= len(damaged) <= backups.KEEP_DAMAGED
    assert all(p.name.endswith("-hong.sqlite") for p in damaged)  # named as such, apart
    assert backups.newest_sound_backup(bdir).path == sound[-1]
    assert not list(bdir.glob(".cchc-*"))  # no temp file left by the failed copies


def test_a_sound_backup_is_verified_and_counts(db: Path, bdir: Path):
    made = make_backup(db, bdir, now=DAY)
    check = backups.inspect_backup(made)
    assert (check.ok, check.problem, check.reports) == (True, None, [LABEL])
    assert (check.created, check.reason, check.size) == (DAY, "auto", made.stat().st_size)


# --- the listing for a recovery dialog -------------------------------------------------------

def test_inspect_says_what_is_wrong_with_a_damaged_or_foreign_backup(db: Path, bdir: Path, tmp_path: Path):
    bad = make_backup(db, bdir, now=DAY)
    _corrupt(bad)
    check = backups.inspect_backup(bad)
    assert not check.ok and check.reports == []
    assert_vietnamese(check.problem)
    zip_file = tmp_path / "khong-phai.sqlite"
    zip_file.write_bytes(b"PK\x03\x04 day la tep zip" * 300)
    assert not backups.inspect_backup(zip_file).ok
    assert not backups.inspect_backup(tmp_path / "khong-co.sqlite").ok


def test_the_newest_sound_backup_skips_newer_damaged_ones(db: Path, bdir: Path):
    good = make_backup(db, bdir, now=DAY)
    for i in (1, 2):
        _corrupt(make_backup(db, bdir, now=_days(i)))  # damaged later, on the disk
    assert backups.newest_sound_backup(bdir).path == good
    assert backups.newest_sound_backup(bdir / "khong-co") is None


def test_thirty_backups_are_inspected_quickly(db: Path, bdir: Path):
    for i in range(30):
        make_backup(db, bdir, reason="truoc-khi-xoa", now=_days(i))
    start = time.perf_counter()
    checks = [backups.inspect_backup(b.path) for b in list_backups(bdir)]
    assert len(checks) == 30 and all(c.ok for c in checks)
    assert time.perf_counter() - start < 3.0


# --- restoring over a file that cannot be used -----------------------------------------------

@pytest.mark.parametrize("kind", ["truncated", "garbled", "empty"])
def test_restore_over_a_broken_data_file_keeps_it_aside_and_restores(db: Path, bdir: Path, kind: str):
    good = make_backup(db, bdir, now=DAY)
    expected = dump(good)
    _damage(db, kind)
    broken = db.read_bytes()
    Path(f"{db}-wal").write_bytes(b"\x00" * 100)  # what a crash may leave beside it
    kept = restore_backup(db, good, bdir)
    assert kept is not None and kept.parent == bdir / "hong" and kept.name.startswith("cchc-hong-")
    assert kept.read_bytes() == broken and Path(f"{kept}-wal").exists()  # kept whole, with its WAL
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    with Store(db) as s:
        assert s.audit(limit=1)[0]["what"] == "restore"
    restored = dump(db)
    assert {t: v for t, v in restored.items() if t != "audit_log"} == {
        t: v for t, v in expected.items() if t != "audit_log"}
    assert kept not in [b.path for b in list_backups(bdir)]  # never offered as a backup


def _cli_data_with_a_backup(tmp_path: Path, kind: str) -> tuple[tuple[str, str], Path, str]:
    data = tmp_path / "data"
    d = ("--data-dir", str(data))
    sample = tmp_path / "sample.json"
    assert run_cli("sample", "--out", str(sample)).returncode == 0
    assert run_cli(*d, "import", str(sample)).returncode == 0
    assert run_cli(*d, "backup").returncode == 0
    _damage_small(data / "cchc.sqlite", kind)
    return d, data, list_backups(data / "backups")[0].path.name


@pytest.mark.parametrize("kind", ["truncated", "garbled", "empty"])
def test_the_restore_command_works_over_a_broken_data_file(tmp_path: Path, kind: str):
    d, data, name = _cli_data_with_a_backup(tmp_path, kind)
    out = run_cli(*d, "restore", name)
    assert out.returncode == 0, out.stderr
    assert "Xã Bình Phước" in run_cli(*d, "list").stdout
    assert len(list((data / "backups" / "hong").glob("cchc-hong-*.sqlite"))) == 1


@pytest.mark.parametrize("kind", ["truncated", "garbled", "empty"])
def test_a_broken_data_file_is_refused_naming_the_newest_sound_backup(tmp_path: Path, kind: str):
    d, data, name = _cli_data_with_a_backup(tmp_path, kind)
    before = (data / "cchc.sqlite").read_bytes()
    refused = run_cli(*d, "list")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "cchc-desktop restore" in refused.stderr and name in refused.stderr
    assert (data / "cchc.sqlite").read_bytes() == before


def _damage_small(path: Path, kind: str) -> None:
    data = path.read_bytes()
    if kind == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif kind == "garbled":
        path.write_bytes(os.urandom(len(data)))
    else:
        path.write_bytes(b"")


# --- a copy taken away -----------------------------------------------------------------------

NOW = dt.datetime(2026, 12, 1, 15, 30)


def test_copy_out_is_a_verified_copy_named_for_the_unit(tmp_path: Path, db: Path):
    usb = tmp_path / "usb"
    usb.mkdir()
    with Store(db) as s:
        rid = s.list_reports()[0]["id"]
        s.set_value(rid, "bm1", "chỉ có trong WAL")
        first = backups.copy_out(s, usb, "Xã Bình Phước", now=NOW)
        second = backups.copy_out(s, usb, "Xã Bình Phước", now=NOW)
    assert first.name == "CCHC-xa-binh-phuoc-20261201-1530.sqlite"
    assert second.name == "CCHC-xa-binh-phuoc-20261201-1530_2.sqlite"
    assert sorted(p.name for p in usb.iterdir()) == [first.name, second.name]
    conn = sqlite3.connect(first)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT raw FROM report_values WHERE indicator_id = 'bm1'").fetchone() == ("chỉ có trong WAL",)
    conn.close()
    assert backups.inspect_backup(first).ok


def test_copy_out_to_a_vanished_or_read_only_folder_leaves_nothing(tmp_path: Path, db: Path):
    gone = tmp_path / "usb-da-rut"
    read_only = tmp_path / "usb-khoa"
    read_only.mkdir()
    with Store(db) as s:
        with pytest.raises(StoreError) as err:
            backups.copy_out(s, gone, "Xã Bình Phước", now=NOW)
        assert_vietnamese(str(err.value))
        assert not gone.exists()
        with made_read_only(read_only), pytest.raises(StoreError) as err:
            backups.copy_out(s, read_only, "Xã Bình Phước", now=NOW)
        assert_vietnamese(str(err.value))
    assert list(read_only.iterdir()) == []


_FULL_USB = textwrap.dedent("""
    import json, resource, signal, sys
    from pathlib import Path
    from cchc_desktop.storage import backups
    from cchc_desktop.storage.store import Store, StoreError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, as a full stick refuses a write
    store = Store(sys.argv[1])
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, hard))
    try:
        backups.copy_out(store, Path(sys.argv[2]), "Xã Bình Phước")
        print(json.dumps(None))
    except StoreError as exc:
        print(json.dumps(str(exc)))
""")


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX-only")
def test_copy_out_to_a_full_stick_leaves_nothing(tmp_path: Path, db: Path):
    usb = tmp_path / "usb"
    usb.mkdir()
    env = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-c", _FULL_USB, str(db), str(usb)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    message = json.loads(proc.stdout)
    assert message is not None and "đầy" in message
    assert_vietnamese(message)
    assert list(usb.iterdir()) == []
