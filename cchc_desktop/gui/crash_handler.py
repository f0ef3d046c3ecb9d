"""The window's ``sys.excepthook``: every exception nobody caught — at the top level, and in
Qt slots and event handlers, which PySide6 hands to ``sys.excepthook`` — is logged with its
traceback and answered with the error dialog (gui/crash_dialog).

The dialog does not block the event loop that raised (it is shown, not exec'd), except when no
event loop is running (a failure while starting), where it waits for the clerk before the
program ends. There is never more than one. An error that has been shown once (same type,
raised at the same place) is counted and logged, never shown again: while the dialog is up it
says how many times it has happened, afterwards the window's status line does — a slot that
raises on every focus change would otherwise bring the dialog back at every "Tiếp tục". A burst
of different errors (a broken paint event repeats every frame) is logged without more dialogs.

Apart from the dialog because the hook is installed at every start and the dialog is needed
only when something goes wrong: its module is imported then.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThread, Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from cchc_desktop.system import logs

if TYPE_CHECKING:
    from cchc_desktop.gui.crash_dialog import CrashDialog

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


class CrashHandler:
    """``sys.excepthook`` for the window; ``install()`` makes and installs the one instance.

    ``count`` is the number of unexpected errors (the smoke test reads it), shown or not."""

    def __init__(self):
        self.previous = None
        self.dialog: "CrashDialog | None" = None
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

    def show(self, path: Path, technical: str) -> "CrashDialog":
        self._opening = True
        from cchc_desktop.gui.crash_dialog import CrashDialog

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

    def _closed(self, dialog: "CrashDialog") -> None:
        if self.dialog is dialog:
            self.dialog = None


HANDLER = CrashHandler()


def install() -> CrashHandler:
    return HANDLER.install()
