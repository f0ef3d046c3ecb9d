"""Starting the window: the application's looks, the data folder, the one-copy lock, the
store, then the main window on the report that was open last (or the welcome on first run)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory

from cchc_desktop.gui import assets, instance_lock

APP_NAME = "CCHC Desktop"
# Vietnamese needs a font with the full Latin Extended Additional block: Segoe UI and Arial
# have it on every Windows since 7; Liberation/DejaVu cover Linux CI.
FONT_FAMILIES = ["Segoe UI", "Arial", "Liberation Sans", "DejaVu Sans"]
FONT_POINTS = 10


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        # fractional scaling (125 %, 150 % laptops) drawn crisply instead of rounded to whole steps
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    style(app)
    return app


def style(app: QApplication) -> None:
    if app.property("cchc_styled"):
        return  # re-applying a stylesheet re-polishes every widget alive: do it once
    app.setProperty("cchc_styled", True)
    app.setApplicationName(APP_NAME)
    app.setStyle(QStyleFactory.create("Fusion"))
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(FONT_POINTS)
    app.setFont(font)
    app.setStyleSheet(assets.stylesheet())
    app.setWindowIcon(assets.icon("app"))


def run(data_dir: str | None = None) -> int:
    from cchc_desktop.backups import auto_backup
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.paths import DataDirError, backup_dir, resolve_data_dir
    from cchc_desktop.store import Store, StoreError

    app = make_app()
    try:
        folder = resolve_data_dir(data_dir)
    except DataDirError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 2
    lock = instance_lock.acquire(folder)
    if lock is None:
        QMessageBox.warning(None, APP_NAME, instance_lock.refused_message(folder))
        return 1
    try:
        try:
            store = Store.open(folder)
        except StoreError as exc:
            QMessageBox.critical(None, APP_NAME, str(exc))
            return 2
        try:
            if store.list_reports():
                auto_backup(store, backup_dir(folder))
        except StoreError as exc:  # a missing daily backup must not stop the day's work
            QMessageBox.warning(None, APP_NAME, f"Chưa tạo được bản sao lưu tự động hôm nay.\n{exc}")
        window = MainWindow(store, Path(folder))
        window.resize(1366, 768)
        window.showMaximized()
        window.start()
        rc = app.exec()
        store.close()
        return rc
    finally:
        lock.unlock()
