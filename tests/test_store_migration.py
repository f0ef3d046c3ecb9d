"""Schema v2 → v3 (the parsed ``value`` column dropped) on real files: a v2 file written by the
v2 store opens with everything in it, and a process killed in the middle of the upgrade leaves
a file that opens."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cchc_desktop.storage.store import MIGRATIONS, Store, ValueRow

V2_FILE = Path(__file__).parent / "data" / "cchc-v2.sqlite"  # written by the v2 store, before v3 existed


def _v2_copy(tmp_path: Path) -> Path:
    path = tmp_path / "cchc.sqlite"
    shutil.copyfile(V2_FILE, path)
    return path


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version FROM schema_version").fetchone()[0]
    finally:
        conn.close()


def test_the_frozen_file_is_v2_with_the_parsed_column():
    assert _version(V2_FILE) == 2 and "value" in _columns(V2_FILE, "report_values")


def test_a_v2_file_opens_as_v3_with_everything_kept(tmp_path: Path):
    path = _v2_copy(tmp_path)
    with Store(path) as store:
        assert store.get_values(1) == {"bm1.1": ValueRow("12", ""), "bm3.3.1": ValueRow("12 người", "số liệu tạm"),
                                       "bm4.3": ValueRow("1.868", "ghi chú")}
        assert store.get_narratives(1) == {"I": "Đoạn một."}
        assert store.get_profile()["name"] == "Bình Phước" and store.get_profile()["recipients"] == ["UBND huyện"]
        assert [r["id"] for r in store.list_reports()] == [1]
        assert len(store.audit(limit=1000)) == 10  # the history as the v2 store wrote it
        assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # the rebuilt table still belongs to its report: ids are not reused, deleting cascades
        meta = {k: v for k, v in store.get_report(1).items() if k not in ("id", "created_at", "updated_at")}
        new = store.create_report(meta | {"period": "quy1"})
        assert new == 3  # report 2 was deleted in the v2 file
        store.set_value(new, "bm1.1", "5")
        store.conn.execute("DELETE FROM reports WHERE id = ?", (new,))
        assert store.conn.execute("SELECT count(*) FROM report_values WHERE report_id = ?", (new,)).fetchone() == (0,)
        store.set_value(1, "bm1.1", "13")  # the hot path writes the new table
    assert _version(path) == len(MIGRATIONS) == 4
    assert "value" not in _columns(path, "report_values")
    with Store(path) as store:
        assert store.get_values(1)["bm1.1"] == ValueRow("13", "")


def test_a_v2_file_from_the_v2_schema_sql_opens(tmp_path: Path):
    """Not only the one frozen file: any v2 file, here built by the v1 and v2 steps themselves."""
    path = tmp_path / "cchc.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    from cchc_desktop.storage.store import migrate

    assert migrate(conn, MIGRATIONS[:2]) == 2
    conn.execute("INSERT INTO reports (unit_name, year, period, created_at, updated_at) "
                 "VALUES ('Xã A', 2024, 'nam', 'x', 'x')")
    conn.execute("INSERT INTO report_values (report_id, indicator_id, raw, value, note, updated_at) "
                 "VALUES (1, 'bm1', '1.234', '1234', 'n', 'x')")
    conn.close()
    with Store(path) as store:
        assert store.get_values(1) == {"bm1": ValueRow("1.234", "n")}


_KILLED_MID_UPGRADE = textwrap.dedent("""
    import os, signal, sys
    from cchc_desktop.storage import store as s

    steps = int(sys.argv[2])
    def upgrade_then_die(db):
        # killed by a real SIGKILL after `steps` SQLite VM steps of the rebuild (or at its end)
        db.conn.set_progress_handler(lambda: os.kill(os.getpid(), signal.SIGKILL), steps)
        s.MIGRATIONS[2](db)
        os.kill(os.getpid(), signal.SIGKILL)  # rebuilt, not yet committed
    s.Store(sys.argv[1], migrations=s.MIGRATIONS[:2] + [upgrade_then_die])
""")


@pytest.mark.parametrize("steps", [1, 40, 200, 1000, 10**7])
def test_a_kill_during_the_upgrade_leaves_a_file_that_opens(tmp_path: Path, steps: int):
    path = _v2_copy(tmp_path)
    proc = subprocess.run([sys.executable, "-c", _KILLED_MID_UPGRADE, str(path), str(steps)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert _version(path) == 2 and "value" in _columns(path, "report_values")  # the upgrade never committed
    with Store(path) as store:  # the next start upgrades it whole
        assert store.get_values(1)["bm4.3"] == ValueRow("1.868", "ghi chú")
        assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _version(path) == len(MIGRATIONS) and "value" not in _columns(path, "report_values")
