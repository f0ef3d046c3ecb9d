"""Qt's own words (message-box buttons, its file dialog, the text boxes' right-click menu)
speak Vietnamese (issue 10 §6): Qt ships no Vietnamese translation, so gui/qt_words answers
them. A recording translator sees every text Qt asks for, so a Qt upgrade that adds or
rewords one fails here instead of showing English to a clerk."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import (QApplication, QFileDialog, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
                               QPushButton)

from cchc_desktop.gui import qt_words
from cchc_desktop.gui.app import make_app

CHECKED = ("QPlatformTheme", "QFileDialog", "QFileSystemModel", "QLineEdit", "QWidgetTextControl",
           "QAbstractFileIconProvider", "QMessageBox")
NOT_WORDS = re.compile(r"^(Alt|Ctrl|Shift)\+|^QT_LAYOUT_DIRECTION$|^\W*$")


class Recorder(QTranslator):
    def __init__(self, parent):
        super().__init__(parent)
        self.asked: set[tuple[str, str]] = set()

    def translate(self, context, source, disambiguation=None, n=-1):
        self.asked.add((context, source))
        return None  # a null string: the next translator (ours) answers

    def isEmpty(self):
        return False


@pytest.fixture
def recorder(qapp):
    app = make_app()
    rec = Recorder(app)
    app.installTranslator(rec)  # the last installed is asked first
    yield rec
    app.removeTranslator(rec)


def test_message_box_buttons_say_what_they_do_in_vietnamese(recorder, qtbot):
    buttons = QMessageBox.Ok | QMessageBox.Cancel | QMessageBox.Yes | QMessageBox.No | QMessageBox.Close | \
        QMessageBox.Save | QMessageBox.Discard | QMessageBox.Retry | QMessageBox.Ignore
    box = QMessageBox(QMessageBox.Icon.Warning, "Chưa lưu được", "Ổ đĩa đầy.", buttons)
    qtbot.addWidget(box)
    texts = sorted(b.text().replace("&", "") for b in box.buttons())
    assert texts == sorted(["Đồng ý", "Hủy", "Có", "Không", "Đóng", "Lưu", "Bỏ đi", "Thử lại", "Bỏ qua"])


def test_qt_file_dialog_and_text_menus_have_no_english_left(recorder, qtbot, tmp_path):
    (tmp_path / "BaoCao.docx").write_bytes(b"x")
    dialog = QFileDialog(None, "Chọn thư mục lưu tệp Word/Excel", str(tmp_path))
    dialog.setOption(QFileDialog.DontUseNativeDialog)  # Qt's own dialog, as on Linux
    dialog.setFileMode(QFileDialog.Directory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.findChild(QPushButton) is not None)
    QApplication.processEvents()
    shown = {w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton) if w.text()}
    assert {"&Chọn", "Hủy"} <= shown and "Cancel" not in shown, shown
    assert "&Look in:" not in shown and "Directory:" not in shown
    dialog.close()
    for box in (QLineEdit("12"), QPlainTextEdit("Kế hoạch")):
        menu = box.createStandardContextMenu()
        items = [a.text().split("\t")[0] for a in menu.actions() if a.text()]  # "&Dán\tCtrl+V"
        assert "Chọn tất cả" in items and "&Dán" in items, items
    missing = sorted((c, s) for c, s in recorder.asked
                     if c in CHECKED and not NOT_WORDS.search(s) and not qt_words.WORDS.get(c, {}).get(s))
    assert not missing, f"Qt asks for texts qt_words does not translate: {missing}"


def test_the_translator_is_installed_once(qapp):
    app = make_app()
    assert qt_words.install(app) is qt_words.install(app)
