"""A dialog's size on a commune PC: the size it was designed for, but never larger than the
screen it opens on (1024×768 with the taskbar, or 1366×768 at 125 % scaling: 1093×576)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

MARGIN_W, MARGIN_H = 40, 60  # room for the title bar and frame Windows adds


def fit(dialog: QDialog, width: int, height: int) -> None:
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    room = screen.availableGeometry()
    dialog.resize(min(width, room.width() - MARGIN_W), min(height, room.height() - MARGIN_H))
    dialog.setSizeGripEnabled(True)
