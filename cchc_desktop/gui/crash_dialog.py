"""What the clerk sees when something unexpected goes wrong in the window.

Every exception nobody caught — at the top level, and in Qt slots and event handlers, which
PySide6 hands to ``sys.excepthook`` — is written to the log with its traceback and answered
with a Vietnamese dialog: what happened in one sentence, that the saved data is safe (each edit
is in the SQLite file when the keystroke returns), where the log file is, and two ways on:
carry on working, or close the program (which still saves whatever is pending).

The dialog does not block the event loop that raised (it is shown, not exec'd), except when no
event loop is running (a failure while starting), where it waits for the clerk before the
program ends. There is never more than one. An error that has been shown once (same type,
raised at the same place) is counted and logged, never shown again: while the dialog is up it
says how many times it has happened, afterwards the window's status line does — a slot that
raises on every focus change would otherwise bring the dialog back at every "Tiếp tục". A burst
of different errors (a broken paint event repeats every frame) is logged without more dialogs.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections import deque
from pathlib import Path

from PySide6.QtCore import QThread, QUrl, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLayout, QLabel, QMainWindow,
                               QPushButton, QVBoxLayout)

from cchc_desktop.system import logs
from cchc_desktop.gui import assets

TITLE = "CCHC Desktop – Có lỗi ngoài dự kiến"
HEADLINE = "Chương trình vừa gặp một lỗi ngoài dự kiến, nên việc vừa làm có thể chưa xong."
SAFE = ("Số liệu của bạn vẫn an toàn: mỗi ô được lưu vào tệp dữ liệu ngay khi gõ xong (dòng "
        "“Đã lưu lúc …” ở cuối cửa sổ), nên những gì đã lưu không bị mất vì lỗi này.")
WAY_ON = ("Hãy bấm “Tiếp tục làm việc” và kiểm tra lại việc vừa làm. Nếu lỗi lặp lại, hãy đóng "
          "chương trình, mở lại, và gửi tệp nhật ký dưới đây cho người hỗ trợ:")
BURST = (5, 10.0)  # more than 5 errors within 10 s: log them, show no more dialogs
STATUS_MS = 30000


def summary(exc_type, exc) -> str:
    text = f"{exc_type.__name__}: {exc}".strip()
    return text if len(text) <= 200 else text[:199] + "…"


def signature(exc_type, tb) -> tuple:
    """The same error: the same type raised at the same line. Neither the message (it holds the
    values of the moment) nor the callers (a slot raises from a click, then again from the focus
    coming back after the dialog) make it another one."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    where = (frames[-1].filename, frames[-1].lineno) if frames else None
    return (exc_type.__module__, exc_type.__qualname__, where)


def repeated(times: int) -> str:
    return f"Lỗi này đã xảy ra {times} lần; lần nào cũng đã được ghi vào tệp nhật ký."


TEXT_WIDTH = 500  # px at 100 %: fits a 1366×768 screen with room around the dialog


class CrashDialog(QDialog):
    def __init__(self, log_path: Path, technical: str, parent=None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.log_path = Path(log_path)

        icon = QLabel()
        icon.setPixmap(assets.icon("error").pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        head = QLabel(f"<b>{HEADLINE}</b>")
        head.setWordWrap(True)
        # one label a paragraph: a label holding "\n\n" is measured a line short and overlaps
        safe, way_on = QLabel(SAFE), QLabel(WAY_ON)
        for label in (safe, way_on):
            label.setWordWrap(True)
        self.path_label = QLabel(str(self.log_path))
        self.path_label.setObjectName("logPath")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        code = QLabel(f"Mã lỗi (cho người hỗ trợ): {technical}")
        code.setObjectName("hint")
        code.setWordWrap(True)
        code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.times_label = QLabel()
        self.times_label.setObjectName("times")
        self.times_label.setWordWrap(True)
        self.times_label.hide()

        buttons = QDialogButtonBox()
        self.open_folder = QPushButton("Mở thư mục nhật ký")
        self.copy_path = QPushButton("Chép đường dẫn")
        self.quit_button = QPushButton("Đóng chương trình")
        self.continue_button = QPushButton("Tiếp tục làm việc")
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_path, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.continue_button.setDefault(True)
        self.open_folder.clicked.connect(self._open_folder)
        self.copy_path.clicked.connect(lambda: QGuiApplication.clipboard().setText(str(self.log_path)))
        self.quit_button.clicked.connect(self._quit)
        buttons.accepted.connect(self.accept)

        text = QVBoxLayout()
        text.setSpacing(8)
        for widget in (head, safe, way_on, self.path_label, code, self.times_label):
            if widget is self.path_label:
                text.addSpacing(4)  # keep the box clear of the last line's descenders
            # a fixed width lets each wrapped label claim the height its lines need: with a
            # free width the top-level layout sized the dialog for one line and the heading
            # overlapped the paragraph under it
            widget.setFixedWidth(TEXT_WIDTH)
            text.addWidget(widget)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(buttons)
        lay.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # the size its wrapped text needs

    def show_times(self, times: int, others: int) -> None:
        """The error came again (`times` in all), or `others` different ones came meanwhile."""
        lines = [repeated(times)] if times > 1 else []
        if others:
            lines.append(f"Trong lúc này có thêm {others} lỗi khác, cũng đã ghi vào nhật ký.")
        self.times_label.setText(" ".join(lines))
        self.times_label.setVisible(bool(lines))

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))

    def _quit(self) -> None:
        self.done(2)
        # the main window's closeEvent still saves pending text (and asks if it cannot)
        QApplication.closeAllWindows()


class CrashHandler:
    """``sys.excepthook`` for the window; ``install()`` makes and installs the one instance.

    ``count`` is the number of unexpected errors (the smoke test reads it), shown or not."""

    def __init__(self):
        self.previous = None
        self.dialog: CrashDialog | None = None
        self.recent: deque[float] = deque(maxlen=BURST[0])
        self.count = 0
        self.times: dict[tuple, int] = {}  # signature -> how many times it happened
        self._shown: tuple | None = None  # the signature the dialog is about
        self._others = 0  # different errors while the dialog is up
        self._opening = False

    def install(self) -> "CrashHandler":
        if sys.excepthook is not self:
            self.previous = sys.excepthook
            sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous or sys.__excepthook__

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            (self.previous or sys.__excepthook__)(exc_type, exc, tb)
            return
        self.count += 1
        path = logs.log_unexpected(exc_type, exc, tb, where="window")
        key = signature(exc_type, tb)
        times = self.times[key] = self.times.get(key, 0) + 1
        if QApplication.instance() is None:
            return
        try:
            self._answer(key, times, path, summary(exc_type, exc))
        except Exception:  # noqa: BLE001 - the dialog itself failed: the log has the error already
            logs.log.exception("the error dialog could not be shown")
            self.dialog, self._opening = None, False

    def _answer(self, key: tuple, times: int, path: Path, technical: str) -> None:
        if self._opening:
            return  # raised while the dialog is being made: counted and logged, nothing to add
        if self.dialog is not None and self.dialog.isVisible():
            self._others += key != self._shown
            self.dialog.show_times(self.times[self._shown], self._others)
            return
        now = time.monotonic()
        burst = len(self.recent) == self.recent.maxlen and now - self.recent[0] < BURST[1]
        if times > 1 or burst or self.dialog is not None:
            # shown before (the clerk chose to carry on), or one of a burst, or while the
            # dialog is closing: the window says it in passing instead of blocking the clerk again
            self._status(repeated(times) if times > 1 else "Lại có lỗi ngoài dự kiến; đã ghi vào tệp nhật ký.")
            return
        self.recent.append(now)
        self._shown, self._others = key, 0
        self.show(path, technical)

    @staticmethod
    def _status(text: str) -> None:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, QMainWindow) and window.isVisible():
                window.statusBar().showMessage(f"Có lỗi ngoài dự kiến. {text}", STATUS_MS)

    def show(self, path: Path, technical: str) -> CrashDialog:
        self._opening = True
        try:
            parent = QApplication.activeWindow()
            dialog = CrashDialog(path, technical, parent if parent is not None and parent.isVisible() else None)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            # deleted with its parent window it never finishes; and a late `destroyed` of an
            # earlier dialog must not forget the one now up
            for signal in (dialog.finished, dialog.destroyed):
                signal.connect(lambda *_, closed=dialog: self._closed(closed))
            self.dialog = dialog
        finally:
            self._opening = False
        if QThread.currentThread().loopLevel() > 0:
            dialog.show()  # inside the running window: do not nest an event loop in the hook
            dialog.raise_()
            dialog.activateWindow()
        else:
            dialog.exec()  # starting or ending: let the clerk read it before the program goes
        return dialog

    def _closed(self, dialog: CrashDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None


HANDLER = CrashHandler()


def install() -> CrashHandler:
    return HANDLER.install()
