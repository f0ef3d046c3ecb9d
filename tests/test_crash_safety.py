"""Crash and failure safety: a writer killed mid-edit, and a write the disk refuses.

The kill test SIGKILLs a writer mid-edit, again and again on the same file.

After every kill the file is reopened with a fresh Store (recovering the WAL the dead writer
left) and must hold every edit the writer acknowledged, i.e. printed after the save call
returned. SIGKILL does not lose the OS page cache, so this checks commit-before-return and
recovery, not fsync; synchronous=FULL (tested in test_store.py) covers the power-cut half.

Reproduce a failing run with CCHC_KILL_SEED=<seed shown in the failure>.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from cchc_desktop.storage.store import Store

needs_sigkill = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(signal, "SIGKILL"),
    reason="needs SIGKILL (POSIX); Windows has no way to kill a process this abruptly from a test")

ROOT = Path(__file__).resolve().parents[1]
WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 50
BASE_SEED = int(os.environ.get("CCHC_KILL_SEED") or random.randrange(1_000_000))
WATCHDOG_SECONDS = 30
_LEADING_INT = re.compile(r"^(\d+)")
_history: dict[str, int] = {"max_acked": 0}  # shared by the rounds, in order


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kill") / "cchc.sqlite"


def run_and_kill(db: Path, seed: int) -> list[tuple[int, str, str, str]]:
    rng = random.Random(seed)
    env = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    err_path = db.with_name(f"writer-{seed}.err")
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, str(WRITER), str(db), str(seed)],
                                stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
    watchdog = threading.Timer(WATCHDOG_SECONDS, proc.kill)  # a hung writer must not hang us
    watchdog.start()
    lines: list[bytes] = []
    try:
        if rng.random() < 0.25:
            # a random moment, which may fall in start-up, WAL recovery or report creation
            time.sleep(rng.uniform(0.0, 0.6))
        else:
            want = rng.randint(1, 200)
            while len(lines) < want:
                line = proc.stdout.readline()
                if not line:
                    break
                lines.append(line)
        proc.send_signal(signal.SIGKILL)
        lines += proc.stdout.read().splitlines(keepends=True)
        proc.wait()
    finally:
        watchdog.cancel()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, (
        f"writer ended by itself (seed {seed}, rc {proc.returncode}):\n"
        + err_path.read_text(encoding="utf-8", errors="replace"))
    acks = []
    for raw in lines:
        if not raw.endswith(b"\n"):
            continue  # cut off by the kill: never fully shown, so nothing was promised
        _, seq, kind, key, text = raw[:-1].decode("utf-8").split(" ", 4)
        acks.append((int(seq), kind, key, text))
    return acks


def seq_of(text: str) -> int:
    m = _LEADING_INT.match(text)
    return int(m[1]) if m else 0


@needs_sigkill
@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_kill_loses_nothing_acknowledged(shared_db: Path, round_no: int):
    seed = BASE_SEED + round_no
    acks = run_and_kill(shared_db, seed)
    ctx = f"(CCHC_KILL_SEED={BASE_SEED}, round {round_no}, {len(acks)} acks)"
    if acks:
        assert acks[0][0] > _history["max_acked"], f"sequence went backwards {ctx}"
        assert [a[0] for a in acks] == list(range(acks[0][0], acks[0][0] + len(acks))), ctx
        _history["max_acked"] = acks[-1][0]
    if not shared_db.exists():
        assert not acks, ctx
        return

    with Store(shared_db) as store:  # fresh Store: recovers the dead writer's WAL
        db = store.db
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], ctx
        assert db.execute("PRAGMA foreign_key_check").fetchall() == [], ctx
        reports = store.list_reports()
        assert len(reports) <= 1, f"the writer must reuse its report {ctx}"
        if not reports:
            assert not acks, ctx
            return
        report_id = reports[0]["id"]
        audited = set(db.execute("SELECT what, new FROM audit_log WHERE report_id = ?",
                                 [report_id]).fetchall())
        values = store.get_values(report_id)
        narratives = store.get_narratives(report_id)

    current = {}
    for ind, row in values.items():
        current[("value", ind)] = row.raw
        current[("note", ind)] = row.note
    for sec, text in narratives.items():
        current[("narrative", sec)] = text

    last: dict[tuple[str, str], tuple[int, str]] = {}
    for seq, kind, key, text in acks:
        assert (f"{kind}:{key}", text) in audited, f"acknowledged edit {seq} not in audit {ctx}"
        last[(kind, key)] = (seq, text)
    for (kind, key), (seq, text) in last.items():
        stored = current.get((kind, key))
        assert stored is not None, f"{kind} {key} lost entirely {ctx}"
        if stored != text:
            # only a later edit, made after the last ACK and before the kill, may replace it
            assert seq_of(stored) > seq, f"{kind} {key}: stored {stored[:30]!r} older than " \
                                         f"acknowledged {text[:30]!r} {ctx}"
            assert (f"{kind}:{key}", stored) in audited, ctx


# The file-size limit makes the OS refuse the write the way a full disk does (SQLite then
# reports an I/O error rather than SQLITE_FULL, but the path through the store is the same).
_FULL_DISK_SCRIPT = textwrap.dedent("""
    import json, resource, signal, sys
    from pathlib import Path
    from cchc_desktop.storage.store import Store, StoreError
    from crash_writer import META
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    path = Path(sys.argv[1])
    store = Store(path)
    rid = store.create_report(META)
    store.set_narrative(rid, "I", "trước")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    biggest = max(p.stat().st_size for p in path.parent.iterdir())
    resource.setrlimit(resource.RLIMIT_FSIZE, (biggest + 16384, hard))
    out = {}
    try:
        store.set_narrative(rid, "I", "rất dài " * 400000)
        out["error"] = None
    except StoreError as exc:
        out["error"] = str(exc)
    out["in_transaction"] = store.db.conn.in_transaction
    out["after_failure"] = store.get_narratives(rid)["I"]
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    store.set_narrative(rid, "I", "sau")  # the caller kept the text and saves again
    store.close()
    out["after_retry"] = Store(path).get_narratives(rid)["I"]
    print(json.dumps(out))
""")


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX-only")
def test_refused_write_loses_nothing_and_can_be_retried(tmp_path: Path):
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), str(WRITER.parent)]),
                        "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-c", _FULL_DISK_SCRIPT, str(tmp_path / "cchc.sqlite")],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["error"] is not None, "the oversized write should have failed"
    assert out["error"].startswith("Chưa lưu được") and "ổ đĩa" in out["error"], out["error"]
    assert "error" not in out["error"].lower() and "disk" not in out["error"].lower()
    assert out["in_transaction"] is False
    assert out["after_failure"] == "trước"
    assert out["after_retry"] == "sau"
