"""An unexpected error in the window: logged with its traceback, answered by a Vietnamese dialog
that says the saved data is safe and where the log file is — without blocking the event loop
that raised, without stacking dialogs, and also when the window fails while starting."""

from __future__ import annotations

import faulthandler
import logging
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton

from cchc_desktop import logs
from cchc_desktop.gui import crash_dialog

pytestmark = pytest.mark.qt_no_exception_capture  # the program's own hook is under test here


@pytest.fixture
def handler(tmp_path, monkeypatch):
    monkeypatch.setattr(logs.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    logs.setup(tmp_path / "data", level=logging.INFO)
    fresh = crash_dialog.CrashHandler()
    monkeypatch.setattr(crash_dialog, "HANDLER", fresh)
    before = sys.excepthook
    fresh.install()
    yield fresh
    fresh.uninstall()
    assert sys.excepthook is before
    if fresh.dialog is not None:
        fresh.dialog.close()
    logs.shutdown()


def raising_button(qtbot, exc: Exception) -> QPushButton:
    button = QPushButton("Xuất báo cáo")
    qtbot.addWidget(button)

    def slot():
        raise exc

    button.clicked.connect(slot)
    return button


def test_an_error_in_a_slot_shows_the_dialog_with_the_log_path(qtbot, handler, tmp_path):
    button = raising_button(qtbot, ZeroDivisionError("chia cho 0 trong ô bm4.3"))
    QTimer.singleShot(0, button.click)  # as a click from the event loop
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=5000)
    dialog = handler.dialog
    log_path = tmp_path / "data" / "logs" / "cchc-desktop.log"
    assert dialog.windowTitle() == crash_dialog.TITLE
    assert dialog.findChild(QLabel, "logPath").text() == str(log_path)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "an toàn" in texts and "Đã lưu lúc" in texts and "nhật ký" in texts
    assert "ZeroDivisionError: chia cho 0 trong ô bm4.3" in texts
    log = log_path.read_text(encoding="utf-8")
    assert "CRITICAL" in log and "Traceback" in log and "ZeroDivisionError" in log and "in slot" in log
    # the event loop that raised keeps running: the dialog is closed from it, as the clerk would
    QTimer.singleShot(0, dialog.continue_button.click)
    qtbot.waitUntil(lambda: handler.dialog is None, timeout=5000)
    assert handler.count == 1


def test_more_errors_while_the_dialog_is_up_are_logged_not_stacked(qtbot, handler, tmp_path):
    button = raising_button(qtbot, RuntimeError("lỗi lặp lại"))
    QTimer.singleShot(0, button.click)
    qtbot.waitUntil(lambda: handler.dialog is not None, timeout=5000)
    first = handler.dialog
    for _ in range(3):
        QTimer.singleShot(0, button.click)
    qtbot.waitUntil(lambda: handler.count == 4, timeout=5000)
    assert handler.dialog is first
    assert [w for w in QApplication.topLevelWidgets()
            if isinstance(w, crash_dialog.CrashDialog) and w.isVisible()] == [first]
    log = (tmp_path / "data" / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")
    assert log.count("RuntimeError: lỗi lặp lại") == 4
    first.accept()


def test_a_burst_of_errors_stops_showing_dialogs(qtbot, handler):
    shown = []

    def burst():  # a broken paint event: the same error frame after frame
        for _ in range(crash_dialog.BURST[0] + 1):
            handler(ValueError, ValueError("vẽ lại lỗi"), None)
            if handler.dialog is not None:
                shown.append(handler.dialog)
                handler.dialog.accept()

    QTimer.singleShot(0, burst)  # from inside the running event loop, as PySide6 calls the hook
    qtbot.waitUntil(lambda: handler.count == crash_dialog.BURST[0] + 1, timeout=5000)
    assert len(shown) == crash_dialog.BURST[0] and handler.dialog is None


def test_close_the_program_closes_the_windows(qtbot, handler):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    QTimer.singleShot(0, lambda: handler(OSError, OSError("ổ đĩa"), None))
    qtbot.waitUntil(lambda: handler.dialog is not None, timeout=5000)
    QTimer.singleShot(0, handler.dialog.quit_button.click)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_a_window_that_fails_while_starting_explains_and_exits_3(qtbot, tmp_path, monkeypatch):
    """No event loop runs yet: the dialog waits for the clerk (closed here by a timer)."""
    from cchc_desktop.gui import app as app_module
    from cchc_desktop.gui import main_window

    monkeypatch.setattr(logs.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    monkeypatch.setattr(crash_dialog, "HANDLER", crash_dialog.CrashHandler())
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CCHC_SMOKE_QUIT_MS", raising=False)

    class Broken:
        def __init__(self, *args, **kwargs):
            raise TypeError("cửa sổ hỏng")

    monkeypatch.setattr(main_window, "MainWindow", Broken)
    seen = []

    def close_dialog():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, crash_dialog.CrashDialog):
            seen.append(dialog.findChild(QLabel, "logPath").text())
            dialog.continue_button.click()
        else:
            QTimer.singleShot(20, close_dialog)

    QTimer.singleShot(20, close_dialog)
    before, was_faulthandler = sys.excepthook, faulthandler.is_enabled()
    try:
        assert app_module.run() == app_module.EXIT_UNEXPECTED
    finally:
        crash_dialog.HANDLER.uninstall()
        logs.shutdown()
        faulthandler.disable()
        if logs._fatal_stream is not None:
            logs._fatal_stream.close()
            logs._fatal_stream = None
        if was_faulthandler:
            faulthandler.enable(file=sys.__stderr__)
    assert sys.excepthook is before
    log_path = tmp_path / "data" / "logs" / "cchc-desktop.log"
    assert seen == [str(log_path)]
    log = log_path.read_text(encoding="utf-8")
    assert "started" in log and "TypeError: cửa sổ hỏng" in log and "Traceback" in log and "stopped" in log
