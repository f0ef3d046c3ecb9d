"""An unexpected error in the window: logged with its traceback, answered by a Vietnamese dialog
that says the saved data is safe and where the log file is — without blocking the event loop
that raised, one dialog at a time, an error already shown counted instead of shown again (also
when it comes back with the focus after "Tiếp tục"), and also when the window fails while
starting."""

from __future__ import annotations

import faulthandler
import logging
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout, QWidget

from cchc_desktop.system import logs
from cchc_desktop.gui import crash_dialog, crash_handler

pytestmark = pytest.mark.qt_no_exception_capture  # the program's own hook is under test here


@pytest.fixture
def handler(tmp_path, monkeypatch):
    monkeypatch.setattr(logs.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    logs.setup(tmp_path / "data", level=logging.INFO)
    fresh = crash_handler.CrashHandler()
    monkeypatch.setattr(crash_handler, "HANDLER", fresh)
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


def test_a_burst_of_different_errors_stops_showing_dialogs(qtbot, handler):
    shown = []
    kinds = [type(f"Loi{n}", (ValueError,), {}) for n in range(crash_handler.BURST[0] + 1)]

    def burst():  # broken paint events: a different error frame after frame
        for kind in kinds:
            handler(kind, kind("vẽ lại lỗi"), None)
            if handler.dialog is not None:
                shown.append(handler.dialog)
                handler.dialog.accept()

    QTimer.singleShot(0, burst)  # from inside the running event loop, as PySide6 calls the hook
    qtbot.waitUntil(lambda: handler.count == crash_handler.BURST[0] + 1, timeout=5000)
    assert len(shown) == crash_handler.BURST[0] and handler.dialog is None


def crash_dialogs() -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, crash_dialog.CrashDialog) and w.isVisible()]


def window_with(qtbot, *widgets) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    body = QWidget()
    lay = QVBoxLayout(body)
    for widget in widgets:
        lay.addWidget(widget)
    window.setCentralWidget(body)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def carry_on(qtbot, handler) -> None:
    """The clerk clicks "Tiếp tục làm việc", from the running event loop."""
    QTimer.singleShot(0, handler.dialog.continue_button.click)
    qtbot.waitUntil(lambda: handler.dialog is None, timeout=5000)


def test_a_slot_that_keeps_raising_is_one_dialog_that_counts(qtbot, handler, tmp_path):
    ok = QPushButton("Lưu")
    clicked = []
    ok.clicked.connect(lambda: clicked.append(True))
    window = window_with(qtbot, ok)
    dialogs_at_each_error = []

    def slot():
        dialogs_at_each_error.append(len(crash_dialogs()))
        if len(dialogs_at_each_error) in (5, 8):
            timer.stop()
        raise RuntimeError(f"lỗi lần {len(dialogs_at_each_error)}")  # another message, the same error

    timer = QTimer(window, interval=20)
    timer.timeout.connect(slot)
    timer.start()
    qtbot.waitUntil(lambda: handler.count == 5, timeout=5000)
    assert dialogs_at_each_error == [0, 1, 1, 1, 1]
    assert crash_dialogs() == [handler.dialog]
    times = handler.dialog.findChild(QLabel, "times")
    assert times.isVisibleTo(handler.dialog) and "đã xảy ra 5 lần" in times.text()
    carry_on(qtbot, handler)

    timer.start()  # the same slot raises three more times after "Tiếp tục": counted, not shown
    qtbot.waitUntil(lambda: handler.count == 8, timeout=5000)
    assert dialogs_at_each_error[5:] == [0, 0, 0] and crash_dialogs() == [] and handler.dialog is None
    assert "đã xảy ra 8 lần" in window.statusBar().currentMessage()
    log = (tmp_path / "data" / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")
    assert log.count("Traceback") == 8
    # the window works: nothing modal is left, a click reaches its button
    assert QApplication.activeModalWidget() is None
    QTest.mouseClick(ok, Qt.LeftButton)
    assert clicked == [True]


def test_an_error_that_comes_back_with_the_focus_does_not_bring_the_dialog_back(qtbot, handler):
    """Issue 8: a cell whose focus-in raises. Closing the dialog gives the focus back to it, which
    raised again, and every "Tiếp tục" opened the dialog again."""

    class BrokenCell(QLineEdit):
        def focusInEvent(self, event):
            super().focusInEvent(event)
            raise AttributeError("'QLabel' object has no attribute 'ind'")

    broken, other = BrokenCell(), QLineEdit()
    window = window_with(qtbot, other, broken)
    QTimer.singleShot(0, broken.setFocus)
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=5000)
    dialogs = 0
    for _ in range(5):  # the clerk's five clicks of the issue
        if handler.dialog is not None:
            dialogs += 1
            carry_on(qtbot, handler)
        window.activateWindow()  # as the desktop does when the dialog goes: the focus goes back
        qtbot.wait(50)
    assert handler.count >= 2  # the focus did come back to the cell, and it raised again
    assert dialogs == 1
    assert crash_dialogs() == [] and handler.dialog is None
    assert "đã xảy ra" in window.statusBar().currentMessage()
    QTest.mouseClick(other, Qt.LeftButton)
    QTest.keyClicks(other, "12")
    assert other.text() == "12"


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
    monkeypatch.setattr(crash_handler, "HANDLER", crash_handler.CrashHandler())
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
        crash_handler.HANDLER.uninstall()
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
