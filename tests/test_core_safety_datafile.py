"""The data file itself: a copy of cchc.sqlite alone holds every edit once checkpointed; a file
that is empty, garbled or damaged is refused untouched, never taken for a first run; a first
run that dies half-way leaves no file behind. Real files, real child processes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cchc_desktop.storage import store as store_module
from cchc_desktop.storage.store import MIGRATIONS, Store, StoreError, translate_error
from tests.test_store import META, assert_vietnamese

ROOT = Path(__file__).resolve().parents[1]
EDITS = {f"bm3.3.{i}": str(100 + i) for i in range(1, 9)}
TEXT = "Ủy ban nhân dân xã đã rà soát, đơn giản hóa thủ tục hành chính. " * 40

# a clerk's window: edits, optionally checkpoints, then keeps running (never closes the store)
_CLERK = textwrap.dedent("""
    import sys
    from cchc_desktop.storage.store import Store
    from tests.test_core_safety_datafile import EDITS, TEXT
    from tests.test_store import META
    store = Store(sys.argv[1])
    rid = store.create_report(META)
    for ident, raw in EDITS.items():
        store.set_value(rid, ident, raw)
    store.set_narrative(rid, "II.1", TEXT)
    if sys.argv[2] == "checkpoint":
        print("checkpoint", store.checkpoint(), flush=True)
    print("ready", flush=True)
    sys.stdin.read()  # still open, as the window is all day
""")


def _child(*args: str, stdin=subprocess.PIPE) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, *args], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=ROOT)


def _copy_while_clerk_works(tmp_path: Path, mode: str) -> Path:
    live, away = tmp_path / "data" / "cchc.sqlite", tmp_path / "usb"
    live.parent.mkdir()
    away.mkdir()
    clerk = _child("-c", _CLERK, str(live), mode)
    try:
        lines = [clerk.stdout.readline() for _ in range(2 if mode == "checkpoint" else 1)]
        assert lines[-1] == "ready\n", clerk.stderr.read() if clerk.poll() is not None else lines
        if mode == "checkpoint":
            assert lines[0] == "checkpoint True\n"
        shutil.copyfile(live, away / "cchc.sqlite")  # what the clerk does: this one file, nothing else
        assert clerk.poll() is None  # the window is still open
    finally:
        clerk.kill()
        clerk.wait()
    return away / "cchc.sqlite"


def _typed_in(copy: Path) -> tuple[dict, list]:
    conn = sqlite3.connect(copy)
    try:
        values = dict(conn.execute("SELECT indicator_id, raw FROM report_values"))
        texts = [r[0] for r in conn.execute("SELECT text FROM narratives")]
    except sqlite3.OperationalError:  # no tables at all: everything was still in the WAL
        return {}, []
    finally:
        conn.close()
    return values, texts


def test_after_a_checkpoint_a_copy_of_the_data_file_alone_holds_every_edit(tmp_path: Path):
    copy = _copy_while_clerk_works(tmp_path, "checkpoint")
    assert _typed_in(copy) == (EDITS, [TEXT])
    with Store(copy) as s:  # and it opens as a data file like any other
        assert [r["unit_name"] for r in s.list_reports()] == [META["unit_name"]]


def test_without_a_checkpoint_the_copy_lacks_the_edits(tmp_path: Path):
    """Proves the test above can fail: the edits sit in cchc.sqlite-wal."""
    copy = _copy_while_clerk_works(tmp_path, "no-checkpoint")
    assert _typed_in(copy) == ({}, [])


def test_checkpoint_gives_up_quickly_and_quietly_while_a_reader_holds_the_wal(tmp_path: Path):
    with Store(tmp_path / "cchc.sqlite") as s:
        rid = s.create_report(META)
        reader = sqlite3.connect(tmp_path / "cchc.sqlite", isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM reports").fetchone()  # a snapshot the checkpoint must not pass
        s.set_value(rid, "bm1", "7")
        assert s.checkpoint() is False
        reader.execute("COMMIT")
        reader.close()
        assert s.checkpoint() is True
        assert s.get_values(rid)["bm1"].raw == "7"


def test_close_checkpoints(tmp_path: Path):
    db = tmp_path / "cchc.sqlite"
    s = Store(db)
    s.set_value(s.create_report(META), "bm1", "7")
    keep_open = sqlite3.connect(db)  # another connection: SQLite alone would leave the WAL as is
    keep_open.execute("SELECT count(*) FROM reports").fetchone()
    s.close()
    assert Path(f"{db}-wal").stat().st_size == 0
    keep_open.close()
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db, copy)
    assert _typed_in(copy)[0] == {"bm1": "7"}


# --- files that cannot be trusted ------------------------------------------------------------

def _data_file(path: Path) -> Path:
    with Store(path) as s:
        rid = s.create_report(META, values={k: (v, "") for k, v in EDITS.items()})
        for section in ("I", "II.1", "II.2", "III", "IV", "V"):
            s.set_narrative(rid, section, TEXT)
    return path


def _damage(path: Path, kind: str) -> None:
    data = path.read_bytes()
    assert len(data) > 8 * 4096, "the file must span several pages for the damage to mean anything"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbled":
        path.write_bytes(random.Random(8).randbytes(len(data)))
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "no-tables":  # what a copy of cchc.sqlite without its WAL looked like
        path.unlink()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
    else:  # a damaged page in the middle
        page = 4096
        path.write_bytes(data[:page] + bytes((i * 37) % 256 for i in range(2 * page)) + data[3 * page:])


REASONS = {"empty": "empty", "no-tables": "empty", "garbled": "garbled", "truncated": "damaged",
           "damaged-page": "damaged"}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_a_data_file_that_cannot_be_trusted_is_refused_untouched(tmp_path: Path, kind: str):
    db = _data_file(tmp_path / "cchc.sqlite")
    _damage(db, kind)
    before = db.read_bytes()
    with pytest.raises(StoreError) as err:
        Store(db)
    assert type(err.value).__name__ == "DataFileDamaged"
    assert err.value.reason == REASONS[kind] and err.value.path == db
    assert db.read_bytes() == before  # never rewritten, never made a first run
    message = str(err.value)
    assert "Báo cáo → Sao lưu và khôi phục…" in message and "cchc-desktop restore" in message
    assert_vietnamese(message)


def test_messages_that_say_restore_name_the_menu_and_the_command(tmp_path: Path):
    errors = []
    for code in (11, 26):
        exc = sqlite3.DatabaseError("x")
        exc.sqlite_errorcode = code
        errors.append(translate_error(exc, tmp_path / "cchc.sqlite", "open"))
    errors += [store_module.DataFileDamaged(tmp_path, reason) for reason in ("empty", "garbled", "damaged")]
    for error in errors:
        assert "khôi phục" in str(error)
        assert "“Báo cáo → Sao lưu và khôi phục…”" in str(error) and "“cchc-desktop restore”" in str(error)


def test_opening_a_sound_file_checks_it_cheaply(tmp_path: Path):
    """The quick check at open costs a few milliseconds on a file with a year of work."""
    import time

    db = _data_file(tmp_path / "cchc.sqlite")
    start = time.perf_counter()
    for _ in range(5):
        Store(db).close()
    assert (time.perf_counter() - start) / 5 < 0.5


# --- the first run ---------------------------------------------------------------------------

def test_a_missing_data_file_is_a_first_run_that_leaves_only_the_file(tmp_path: Path):
    with Store(tmp_path / "cchc.sqlite") as s:
        assert s.list_reports() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cchc.sqlite"]


def test_a_first_run_that_fails_half_way_leaves_no_data_file(tmp_path: Path):
    def broken(db) -> None:
        raise RuntimeError("migration bug")

    db = tmp_path / "cchc.sqlite"
    with pytest.raises(RuntimeError):
        Store(db, migrations=[*MIGRATIONS, broken])
    assert list(tmp_path.iterdir()) == []
    with Store(db) as s:  # the next start is a first run again, not a damaged file
        assert s.list_reports() == []


_KILLED_FIRST_RUN = textwrap.dedent("""
    import os, signal, sys
    from cchc_desktop.storage.store import MIGRATIONS, Store
    def power_cut(db):
        os.kill(os.getpid(), signal.SIGKILL)
    Store(sys.argv[1], migrations=[*MIGRATIONS, power_cut])
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_first_run_killed_half_way_is_a_first_run_again(tmp_path: Path):
    db = tmp_path / "data" / "cchc.sqlite"
    db.parent.mkdir()
    proc = _child("-c", _KILLED_FIRST_RUN, str(db), stdin=subprocess.DEVNULL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not db.exists()  # only our temp file, which the next start's housekeeping removes
    assert all(p.name.startswith(".cchc-") for p in db.parent.iterdir())
    with Store(db) as s:
        assert s.list_reports() == []


def test_an_empty_data_file_keeps_the_wal_beside_it(tmp_path: Path):
    """SQLite deletes the -wal of a 0-byte file as soon as it opens it, even read-only; that
    WAL may hold the last edits, so the file is refused before SQLite sees it."""
    db = tmp_path / "cchc.sqlite"
    db.write_bytes(b"")
    wal = Path(f"{db}-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 4000)
    with pytest.raises(store_module.DataFileDamaged):
        Store(db)
    assert wal.stat().st_size == 4004 and db.read_bytes() == b""
