"""`python -m tools.geometry --screen 1366x728 [--scale 1.25] [--shots DIR]`: the main window,
every tab (before and after an export) and every dialog on a screen of that size, offscreen,
with the built-in sample report; prints each thing that does not fit and exits 1 if any.

The screen is what Windows leaves to windows: a 1366×768 screen minus the 40-pixel taskbar is
1366×728 (at 125 % scaling the taskbar is 48 pixels: 1366×720). `--scale` is Windows' display
scaling as Qt applies it (QT_SCALE_FACTOR), so the window sees 1093×576 logical pixels then.

What "fits" means, for each top-level window:
- it lies inside the screen's available area, and its minimum size does too (a layout that
  needs more than the screen makes Qt grow the window past the edge: the status bar and the
  dock then sit off-screen);
- every visible widget lies inside its parent and is not squeezed below its own minimum
  size, except inside a scroll area's viewport, whose content scrolls by design.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def _screen_config(width: int, height: int) -> str:
    config = {"screens": [{"name": "commune-pc", "x": 0, "y": 0, "width": width, "height": height,
                           "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}
    fd, path = tempfile.mkstemp(suffix=".json", prefix="cchc-screen-")
    with os.fdopen(fd, "w") as f:
        json.dump(config, f)
    return path


def problems_in(window, room) -> list[str]:
    """What does not fit in one top-level window (see the module's docstring)."""
    from PySide6.QtWidgets import QAbstractScrollArea, QWidget

    name = window.objectName() or type(window).__name__
    found = []
    frame = window.frameGeometry()
    # at 125 % the maximized window is the screen rounded up to whole logical pixels
    if not room.adjusted(-1, -1, 1, 1).contains(frame):
        found.append(f"{name}: {frame.width()}×{frame.height()} at ({frame.x()},{frame.y()}) "
                     f"is outside the screen's {room.width()}×{room.height()}")
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if least.width() > room.width() or least.height() > room.height():
        found.append(f"{name}: needs at least {least.width()}×{least.height()}, the screen has "
                     f"{room.width()}×{room.height()}")
    viewports = {area.viewport() for area in window.findChildren(QAbstractScrollArea)}
    for widget in window.findChildren(QWidget):
        parent = widget.parentWidget()
        if not widget.isVisible() or widget.isWindow() or parent is None or parent in viewports:
            continue
        if any(a in viewports for a in _ancestors(parent, window)):
            continue  # inside scrolled content: reachable by scrolling
        label = _describe(widget)
        if not parent.rect().contains(widget.geometry()):
            found.append(f"{name}: {label} at {_rect(widget.geometry())} is cut off by its parent "
                         f"{_describe(parent)} ({_rect(parent.rect())})")
        hint = widget.minimumSizeHint()
        if parent.layout() is not None and hint.isValid() and (
                widget.height() < hint.height() - 1 or widget.width() < hint.width() - 1):
            found.append(f"{name}: {label} is squeezed to {widget.width()}×{widget.height()} "
                         f"(needs {hint.width()}×{hint.height()})")
    return found


def _ancestors(widget, top):
    while widget is not None and widget is not top:
        yield widget
        widget = widget.parentWidget()


def _describe(widget) -> str:
    text = getattr(widget, "text", None)
    words = text() if callable(text) else ""
    words = f" “{words[:30]}”" if isinstance(words, str) and words else ""
    return f"{type(widget).__name__}{'#' + widget.objectName() if widget.objectName() else ''}{words}"


def _rect(r) -> str:
    return f"{r.width()}×{r.height()}+{r.x()}+{r.y()}"


def check(shots: Path | None = None) -> list[str]:
    """Every screen of the window and its dialogs, on the screen Qt was started with."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.core.completeness import completeness
    from cchc_desktop.gui.app import make_app
    from cchc_desktop.gui.crash_dialog import CrashDialog
    from cchc_desktop.gui.guide_dialog import GuideDialog
    from cchc_desktop.gui.history_dialog import HistoryDialog
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.profile_dialog import ProfileDialog
    from cchc_desktop.gui.recovery import BackupDialog
    from cchc_desktop.gui.report_picker import ReportPicker, open_sample
    from cchc_desktop.storage.backups import make_backup
    from cchc_desktop.storage.store import Store
    from cchc_desktop.system.data_dirs import backup_dir

    app = make_app()
    room = app.primaryScreen().availableGeometry()
    found: list[str] = []

    def settle():
        for _ in range(4):  # wrapped labels take their height over a few passes
            app.processEvents()

    def look(window, what: str):
        settle()
        found.extend(f"[{what}] {p}" for p in problems_in(window, room))
        if shots is not None:
            window.grab().save(str(shots / f"{len(list(shots.iterdir())):02d}-{what}.png"))

    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        store = Store.open(data)
        registry = CatalogRegistry()
        rid = open_sample(store, registry)
        window = MainWindow(store, data, registry)
        window.open_report(rid)
        window.showMaximized()
        tabs = window.view
        for index, tab in enumerate(tabs.session.catalog.tabs):
            tabs.setCurrentIndex(index)
            look(window, f"tab-{tab.id}")
        check_tab = tabs.check_tab()
        check_tab.export_box.folder.setText(str(data / "xuat"))
        check_tab.export_box.export(draft=True)
        look(window, "after-export")
        for index, tab in enumerate(tabs.session.catalog.tabs):  # nothing the export said grew the window
            tabs.setCurrentIndex(index)
            look(window, f"after-export-tab-{tab.id}")
        window.find()
        look(window, "find-bar")

        make_backup(store, backup_dir(data), "auto")
        session = tabs.session
        dialogs = {
            "profile-first-run": ProfileDialog(store, first_run=True, parent=window),
            "profile": ProfileDialog(store, parent=window),
            "reports": ReportPicker(store, registry, data, rid, window),
            "backups": BackupDialog(data, store, "Bình Phước", window),
            "history": HistoryDialog(store, rid, session.catalog, None, next_period=session.report["next_period_label"],
                                     parent=window),
            "guide": GuideDialog(window),
            "crash": CrashDialog(data / "cchc.log", "KeyError: 'bm3.3.5' (form_table.py:212 ← editing.py:131 ← main_window.py:402)", window),
        }
        for what, dialog in dialogs.items():
            dialog.show()
            look(dialog, what)
            dialog.close()
        # the longest question the clerk is asked: every blank row and empty section
        written = completeness(session.state, {})
        box = QMessageBox(QMessageBox.Icon.Question, "Báo cáo còn chỗ trống",
                          written.question(session.state, "xuất bản chính thức"),
                          QMessageBox.Yes | QMessageBox.No, window)
        QTimer.singleShot(0, lambda: (look(box, "question-blanks"), box.reject()))
        box.exec()
        window.close()
        QApplication.processEvents()
        store.close()
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--screen", default="1366x728", help="vùng màn hình dành cho cửa sổ, ví dụ 1366x728")
    ap.add_argument("--scale", default="1", help="tỉ lệ hiển thị của Windows, ví dụ 1.25")
    ap.add_argument("--shots", type=Path, help="thư mục lưu ảnh chụp từng màn hình")
    args = ap.parse_args(argv)
    width, height = (int(x) for x in args.screen.lower().split("x"))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_config(width, height)}"
    os.environ["QT_SCALE_FACTOR"] = args.scale
    found = check(args.shots)
    for line in found:
        print(line)
    print(f"{args.screen} at {float(args.scale):.0%}: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
