"""What the clerk sees when something unexpected goes wrong in the window (shown by
gui/crash_handler, the window's ``sys.excepthook``): what happened in one sentence, that the
saved data is safe (each edit is in the SQLite file when the keystroke returns), where the log
file is, and two ways on: carry on working, or close the program (which still saves whatever is
pending)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLayout, QLabel, QPushButton, QVBoxLayout)

from cchc_desktop.gui import assets
from cchc_desktop.gui.crash_handler import repeated

TITLE = "CCHC Desktop – Có lỗi ngoài dự kiến"
HEADLINE = "Chương trình vừa gặp một lỗi ngoài dự kiến, nên việc vừa làm có thể chưa xong."
SAFE = ("Số liệu của bạn vẫn an toàn: mỗi ô được lưu vào tệp dữ liệu ngay khi gõ xong (dòng "
        "“Đã lưu lúc …” ở cuối cửa sổ), nên những gì đã lưu không bị mất vì lỗi này.")
WAY_ON = ("Hãy bấm “Tiếp tục làm việc” và kiểm tra lại việc vừa làm. Nếu lỗi lặp lại, hãy đóng "
          "chương trình, mở lại, và gửi tệp nhật ký dưới đây cho người hỗ trợ:")
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
        assets.role(self.path_label, "logPath")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        code = QLabel(f"Mã lỗi (cho người hỗ trợ): {technical}")
        assets.role(code, "hint")
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
