"""Placeholder window until the clerk's window lands (issue: GUI). It opens, says plainly
what is there today and how to use it, and closes."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

PLACEHOLDER_TEXT = (
    "Giao diện nhập liệu đang được xây dựng.\n\n"
    "Hiện có thể dùng dòng lệnh: cchc-desktop --help\n"
    "(kiểm tra, nhập, xuất tệp báo cáo JSON; sao lưu và khôi phục dữ liệu)."
)


def build_window() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("CCHC Desktop")
    label = QLabel(PLACEHOLDER_TEXT)
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(640, 240)
    return window


def run(data_dir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = build_window()
    window.show()
    return app.exec()
