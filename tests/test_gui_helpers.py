"""Shared set-up for the window tests: a real data folder, a real SQLite file, real widgets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.storage.store import Store


def data_dir() -> Path:
    import os

    folder = Path(os.environ["CCHC_DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def on_disk(path: Path, report_id: int, ident: str, column: str = "raw"):
    """Read a value straight from the file, with a separate connection, as a crash would leave it."""
    con = sqlite3.connect(path)
    try:
        row = con.execute(f"SELECT {column} FROM report_values WHERE report_id = ? AND indicator_id = ?",
                          (report_id, ident)).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def narrative_on_disk(path: Path, report_id: int, section: str):
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT text FROM narratives WHERE report_id = ? AND section_id = ?",
                          (report_id, section)).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def answer_next_message_box(button=QMessageBox.Yes, seen: list | None = None) -> None:
    """Click `button` on the next modal message box, as the clerk would."""

    def click():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            if seen is not None:
                seen.append(box.text())
            box.button(button).click() if box.button(button) else box.accept()
        else:
            QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)


def open_store() -> tuple[Store, CatalogRegistry]:
    return Store.open(data_dir()), CatalogRegistry()


def type_text(widget, text: str) -> None:
    """Type like a keyboard: QTest handles ASCII; Vietnamese letters (as Unikey delivers them)
    arrive as key events carrying the composed text."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest

    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key_Return)
        elif ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, Qt.Key_unknown, Qt.NoModifier, ch))
            QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, Qt.Key_unknown, Qt.NoModifier, ch))


def show_window(qtbot, store, registry, report_id: int):
    """The main window on a report at 1366×768, shown, active, as the clerk has it."""
    from cchc_desktop.gui.main_window import MainWindow

    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.open_report(report_id)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return win
