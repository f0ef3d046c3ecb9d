"""How big the packaged program is, against the floor: a bare PySide6 "hello world" built by
the same spec with the same excludes and Qt filter (build_installer.spec, bare mode).

    python -m tools.size_budget [--app-dir dist/cchc-desktop] [--keep DIR]

Prints the folder size and the compressed size (a .zip, as the folder would be carried on a
stick or sent by mail; the setup.exe's LZMA is smaller still) of both bundles and the ratios.
Without --app-dir it measures dist/cchc-desktop when it is there and builds the app bundle in a
temporary folder otherwise. Needs PyInstaller (`pip install -e ".[build]"`); a build takes well
under a minute on two cores. Core module: no Qt imported here (the builds run in child processes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cchc_desktop.system.shipped import PROJECT_ROOT

SPEC = PROJECT_ROOT / "build_installer.spec"
APP_NAME = "cchc-desktop"
BARE_NAME = "hello-pyside6"
# The floor of both budgets: a bare PySide6 window with a few tabs, shown maximised like the
# program's, which quits as soon as it is painted and prints the same "CCHC_SMOKE window:" line
# as the program's CCHC_SMOKE_QUIT_MS check (gui/app.py) — the size budget builds it with the
# same spec, the start benchmark (gui/bench.py) runs it from source and frozen.
HELLO = '''\
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Xin chào")
tabs = QTabWidget()
for title in ("Thông tin chung", "Biểu mẫu", "Kiểm tra và xuất"):
    tabs.addTab(QLabel("Xin chào"), title)
window.setCentralWidget(tabs)
window.showMaximized()


def painted():
    window.repaint()
    try:
        import resource
        peak = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB"
    except ImportError:  # Windows
        peak = "?"
    print(f"CCHC_SMOKE window: {window.windowTitle()} | cpu: {time.process_time() * 1000:.0f} ms | peak: {peak}",
          flush=True)
    app.quit()


QTimer.singleShot(0, painted)
sys.exit(app.exec())
'''


def folder_size(folder: Path) -> int:
    """Bytes in the regular files under `folder` (symbolic links count as nothing)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                total += os.path.getsize(path)
    return total


def zip_size(folder: Path, workdir: Path) -> int:
    archive = shutil.make_archive(str(workdir / f"{folder.name}-size"), "zip", root_dir=folder.parent,
                                  base_dir=folder.name)
    try:
        return os.path.getsize(archive)
    finally:
        os.unlink(archive)


def build(workdir: Path, bare_script: Path | None = None) -> Path:
    """Run the spec into `workdir`; returns the bundle folder."""
    env = dict(os.environ)
    env.pop("CCHC_SPEC_BARE_SCRIPT", None)
    if bare_script is not None:
        env["CCHC_SPEC_BARE_SCRIPT"] = str(bare_script)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(workdir / "dist"), "--workpath", str(workdir / "build"), str(SPEC)]
    out = subprocess.run(cmd, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"PyInstaller failed ({' '.join(cmd)}):\n{out.stdout}\n{out.stderr}")
    return workdir / "dist" / (BARE_NAME if bare_script is not None else APP_NAME)


def build_bare(workdir: Path) -> Path:
    """The bare PySide6 window (HELLO) built by the same spec into `workdir`; returns its folder."""
    workdir.mkdir(parents=True, exist_ok=True)
    hello = workdir / "hello.py"
    hello.write_text(HELLO, encoding="utf-8")
    return build(workdir / "bare", hello)


def mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.size_budget", description=__doc__.split("\n\n")[0])
    p.add_argument("--app-dir", type=Path, help="the built app folder (default: dist/cchc-desktop, built if missing)")
    p.add_argument("--keep", type=Path, help="keep the builds in this folder instead of a temporary one")
    args = p.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cchc-size-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        app_dir = args.app_dir or PROJECT_ROOT / "dist" / APP_NAME
        if not app_dir.is_dir():
            print(f"{app_dir} is not built: building the app bundle in {work} …", flush=True)
            app_dir = build(work / "app")
        print("building the bare PySide6 window with the same spec …", flush=True)
        bare_dir = build_bare(work)
        rows = []
        for label, folder in (("CCHC Desktop", app_dir), ("bare PySide6 hello world", bare_dir)):
            rows.append((label, folder, folder_size(folder), zip_size(folder, work)))
        (_, _, app_size, app_zip), (_, _, bare_size, bare_zip) = rows
        print(f"\n{'':26}{'folder':>10}{'zip':>11}")
        for label, folder, size, zipped in rows:
            print(f"{label:26}{mb(size):>10}{mb(zipped):>11}   {folder}")
        print(f"{'ratio app / bare':26}{app_size / bare_size:>9.2f}x{app_zip / bare_zip:>10.2f}x")
        print(f"{'the app adds':26}{mb(app_size - bare_size):>10}{mb(app_zip - bare_zip):>11}")
        print(f"(measured on {sys.platform}; a Windows bundle differs: no ICU/X11 libraries, Qt DLLs instead)")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
