"""A clerk's long session: ≥ 10,000 keystrokes into form cells, notes and narratives of the real
window, started as the clerk starts it (``python -m cchc_desktop``), in a child process so that a
binding that aborts the interpreter (PySide6 6.12.0 on Python 3.11: "Fatal Python error:
none_dealloc" after ~730 keystrokes) fails this test instead of killing the test run.

The driver (cchc_desktop/gui/soak.py) compares every cell and section on screen with what a
separate connection reads from the file; the frozen bundle runs the same driver in .ci/run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.conftest import ROOT, run_cli

SOAK_KEYS = int(os.environ.get("CCHC_TEST_SOAK_KEYS", "10000"))


def soak_env(data) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    return env | {"CCHC_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8",
                  "CCHC_SOAK_KEYS": str(SOAK_KEYS), "CCHC_SOAK_SEED": "7"}


def check_soak_output(out: subprocess.CompletedProcess, data) -> str:
    assert "Fatal Python error" not in out.stderr, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if line.startswith("CCHC_SOAK")]
    assert out.returncode == 0, (out.returncode, lines, out.stderr[-2000:])
    assert len(lines) == 1 and " ok " in lines[0] and lines[0].endswith("unexpected errors: 0"), lines
    keys = int(lines[0].split("keys=")[1].split()[0])
    assert keys >= SOAK_KEYS
    # closed cleanly: the WAL is folded into the data file, which alone holds the session
    con = sqlite3.connect(data / "cchc.sqlite")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        typed = con.execute("SELECT count(*) FROM narratives WHERE length(text) > 0").fetchone()[0]
    finally:
        con.close()
    assert typed > 0
    wal = data / "cchc.sqlite-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    return lines[0]


def test_ten_thousand_keystrokes_in_the_real_window(tmp_path):
    data = tmp_path / "data"
    env = {"CCHC_DATA_DIR": str(data)}
    assert run_cli("sample", "--out", str(tmp_path / "s.json"), env=env).returncode == 0
    assert run_cli("import", str(tmp_path / "s.json"), env=env).returncode == 0
    out = subprocess.run([sys.executable, "-m", "cchc_desktop"], capture_output=True, text=True, encoding="utf-8",
                         env=soak_env(data), cwd=ROOT, timeout=900)
    print(check_soak_output(out, data))
