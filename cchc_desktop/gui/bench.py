"""Benchmark of the window (a script, not a test): `python -m cchc_desktop.gui.bench [--runs N]`.

Prints
* cold start: wall time from launching a fresh Python process to a usable, painted window
  with the sample report open, beside a floor — a bare PySide6 window in a fresh process —
  measured in the same run, and their ratio;
* keystroke → marks painted in the TTHC form (Biểu mẫu 3): p50 / p95, each keystroke saved
  to SQLite, re-validated and repainted;
* peak memory (maxrss) of the window process.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READY = "READY"


def _child_window(data_dir: str) -> None:
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.catalog import CatalogRegistry
    from cchc_desktop.gui.app import make_app
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.store import Store

    app = make_app()
    store = Store.open(data_dir)
    window = MainWindow(store, Path(data_dir), CatalogRegistry())
    window.resize(1366, 768)
    window.start()
    window.show()
    QApplication.processEvents()
    window.repaint()
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{READY} {kb}", flush=True)
    app.quit()


def _child_floor() -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Xin chào"))
    window.resize(1366, 768)
    window.show()
    QApplication.processEvents()
    window.repaint()
    print(f"{READY} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
    app.quit()


def _launch(args: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cchc_desktop.gui.bench", *args],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")})
    kb = 0
    for line in proc.stdout:
        if line.startswith(READY):
            elapsed = time.perf_counter() - t0
            kb = int(line.split()[1])
            break
    else:
        raise RuntimeError("the child never reported a usable window")
    proc.wait(timeout=60)
    return elapsed, kb


def _keystrokes(runs: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.catalog import CatalogRegistry
    from cchc_desktop.gui.app import make_app
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.report_picker import open_sample
    from cchc_desktop.store import Store

    make_app()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(tmp)
        registry = CatalogRegistry()
        window = MainWindow(store, Path(tmp), registry)
        window.resize(1366, 768)
        window.open_report(open_sample(store, registry))
        window.show()
        QApplication.processEvents()
        editor = window.view.table(3).editor_for("bm3.3.2.1")
        window.view.reveal("bm3.3.2.1")
        QApplication.processEvents()
        editor.end(False)
        times = []
        # "1.868" ⇄ "1.86": each keystroke flips the cell between valid and invalid, the
        # percentage between 99,05 and blank and the rule marks of rows 3.3.2, 3.3.2.1, 3.3.2.2
        for n in range(runs):
            key = Qt.Key_Backspace if n % 2 == 0 else Qt.Key_8
            t0 = time.perf_counter()
            QTest.keyClick(editor, key)
            QApplication.processEvents()  # the posted repaints: the marks reach the screen
            times.append(time.perf_counter() - t0)
        assert editor.text() in ("1.868", "1.86")
        window.close()
        store.close()
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="cold starts of each kind (median printed)")
    ap.add_argument("--keys", type=int, default=200, help="keystrokes timed")
    ap.add_argument("--child-window", metavar="DATA_DIR", help=argparse.SUPPRESS)
    ap.add_argument("--child-floor", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.child_window:
        _child_window(args.child_window)
        return 0
    if args.child_floor:
        _child_floor()
        return 0

    from cchc_desktop.catalog import CatalogRegistry
    from cchc_desktop.report_files import import_doc
    from cchc_desktop.sample import sample_doc
    from cchc_desktop.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(tmp) as store:
            registry = CatalogRegistry()
            import_doc(store, registry, sample_doc(registry))
        _launch(["--child-floor"])  # warm the OS file cache once for both kinds
        _launch(["--child-window", tmp])
        window = [_launch(["--child-window", tmp]) for _ in range(args.runs)]
        floor = [_launch(["--child-floor"]) for _ in range(args.runs)]
    w = statistics.median(t for t, _ in window)
    f = statistics.median(t for t, _ in floor)
    print(f"cold start, sample open and painted : {w * 1000:7.0f} ms (median of {args.runs})")
    print(f"floor: bare PySide6 window          : {f * 1000:7.0f} ms")
    print(f"ratio                               : {w / f:7.2f}×")
    print(f"peak memory, window process         : {max(kb for _, kb in window) / 1024:7.1f} MiB "
          f"(bare window {max(kb for _, kb in floor) / 1024:.1f} MiB)")

    times = sorted(_keystrokes(args.keys))
    p50 = times[len(times) // 2] * 1000
    p95 = times[int(len(times) * 0.95) - 1] * 1000
    print(f"keystroke → saved, validated, marks painted (Biểu mẫu 3): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"({len(times)} keystrokes)")
    print(f"peak memory, this process (window + {args.keys} edits)  : "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
