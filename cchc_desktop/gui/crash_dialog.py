"""What the clerk sees when something unexpected goes wrong in the window.

Every exception nobody caught — at the top level, and in Qt slots and event handlers, which
PySide6 hands to ``sys.excepthook`` — is written to the log with its traceback and answered
with a Vietnamese dialog: what happened in one sentence, that the saved data is safe (each edit
is in the SQLite file when the keystroke returns), where the log file is, and two ways on:
carry on working, or close the program (which still saves whatever is pending).

The dialog does not block the event loop that raised (it is shown, not exec'd), except when no
event loop is running (a failure while starting), where it waits for the clerk before the
program ends. A second error while it is up, or a burst of them (a broken paint event repeats
every frame), is logged without stacking more dialogs.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from pathlib import Path

from PySide6.QtCore import QThread, QUrl, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLayout, QLabel, QPushButton,
                               QVBoxLayout)

from cchc_desktop import logs
from cchc_desktop.gui import assets

TITLE = "CCHC Desktop – Có lỗi ngoài dự kiến"
HEADLINE = "Chương trình vừa gặp một lỗi ngoài dự kiến, nên việc vừa làm có thể chưa xong."
SAFE = ("Số liệu của bạn vẫn an toàn: mỗi ô được lưu vào tệp dữ liệu ngay khi gõ xong (dòng "
        "“Đã lưu lúc …” ở cuối cửa sổ), nên những gì đã lưu không bị mất vì lỗi này.")
WAY_ON = ("Hãy bấm “Tiếp tục làm việc” và kiểm tra lại việc vừa làm. Nếu lỗi lặp lại, hãy đóng "
          "chương trình, mở lại, và gửi tệp nhật ký dưới đây cho người hỗ trợ:")
BURST = (5, 10.0)  # more than 5 errors within 10 s: log them, show no more dialogs


def summary(exc_type, exc) -> str:
    text = f"{exc_type.__name__}: {exc}".strip()
    return text if len(text) <= 200 else text[:199] + "…"


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
        self.path_label.setStyleSheet("font-family: Consolas, 'DejaVu Sans Mono', monospace; padding: 4px; "
                                      "background: #ffffff; border: 1px solid #c9d0d8;")
        code = QLabel(f"Mã lỗi (cho người hỗ trợ): {technical}")
        code.setObjectName("hint")
        code.setWordWrap(True)
        code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

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
        for widget in (head, safe, way_on, self.path_label, code):
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

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))

    def _quit(self) -> None:
        self.done(2)
        # the main window's closeEvent still saves pending text (and asks if it cannot)
        QApplication.closeAllWindows()


class CrashHandler:
    """``sys.excepthook`` for the window; ``install()`` makes and installs the one instance."""

    def __init__(self):
        self.previous = None
        self.dialog: CrashDialog | None = None
        self.recent: deque[float] = deque(maxlen=BURST[0])
        self.count = 0

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
        now = time.monotonic()
        burst = len(self.recent) == self.recent.maxlen and now - self.recent[0] < BURST[1]
        self.recent.append(now)
        if self.dialog is not None or burst or QApplication.instance() is None:
            return
        try:
            self.show(path, summary(exc_type, exc))
        except Exception:  # noqa: BLE001 - the dialog itself failed: the log has the error already
            logs.log.exception("the error dialog could not be shown")
            self.dialog = None

    def show(self, path: Path, technical: str) -> CrashDialog:
        parent = QApplication.activeWindow()
        self.dialog = dialog = CrashDialog(path, technical, parent if parent is not None and parent.isVisible() else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._closed)
        if QThread.currentThread().loopLevel() > 0:
            dialog.show()  # inside the running window: do not nest an event loop in the hook
            dialog.raise_()
            dialog.activateWindow()
        else:
            dialog.exec()  # starting or ending: let the clerk read it before the program goes
        return dialog

    def _closed(self, _result: int) -> None:
        self.dialog = None


HANDLER = CrashHandler()


def install() -> CrashHandler:
    return HANDLER.install()
