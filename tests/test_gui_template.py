"""Báo cáo → Mẫu Word của tỉnh…, driven as the clerk drives it: the file chosen in Qt's file
dialog, checked, page 1 previewed in the template's styles, installed; refusals said; the
window's export then written with the province's template."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from cchc_desktop.formats.docx_parts import S
from cchc_desktop.formats.word import DEFAULT_TEMPLATE
from cchc_desktop.gui.main_window import MainWindow
from cchc_desktop.gui.report_picker import open_sample
from cchc_desktop.gui.template_dialog import TemplateDialog
from cchc_desktop.services import word_template as wt
from tests.test_gui_helpers import answer_next_message_box, data_dir, open_store
from tests.test_gui_start import when_modal
from tests.test_word_template import restyled


def pick(path: Path) -> None:
    """Choose `path` in the next file dialog, as the clerk would (typed into its name box, Open)."""
    def choose(dialog: QFileDialog) -> None:
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
        dialog.accept()

    when_modal(QFileDialog, choose)


def block_format(dialog: TemplateDialog, starts: str):
    """The character format of the preview's paragraph that begins with `starts`."""
    block = dialog.preview.document().begin()
    while block.isValid():
        if block.text().startswith(starts):
            return block.begin().fragment().charFormat(), block
        block = block.next()
    raise AssertionError(f"no paragraph starts with {starts!r} in the preview")


OPENING = "Căn cứ Công văn số 3986/UBND"  # the sample report's first sentence
HEADING = "I. CÔNG TÁC CHỈ ĐẠO"


@pytest.fixture
def dialog(qtbot):
    registry = open_store()[1]
    dlg = TemplateDialog(data_dir(), registry)
    qtbot.addWidget(dlg)
    return dlg


def test_the_dialog_says_the_built_in_template_is_in_use_and_previews_it(dialog):
    assert "Đang dùng: mẫu có sẵn của chương trình." == dialog.in_use.text()
    assert not dialog.builtin_button.isEnabled() and not dialog.install_button.isEnabled()
    body, _ = block_format(dialog, OPENING)
    assert body.fontPointSize() == 14 and body.fontFamilies() == ["Times New Roman"]
    heading, _ = block_format(dialog, HEADING)
    assert heading.fontWeight() >= 700 and heading.foreground().color().name() == "#000000"
    assert dialog.width() <= QApplication.primaryScreen().availableGeometry().width()


def test_choose_preview_install_a_restyled_template(dialog, tmp_path):
    mau = restyled(tmp_path)
    pick(mau)
    dialog.choose_button.click()
    assert dialog.chosen == mau and "mau_tinh.docx" in dialog.caption.text() and "chưa cài" in dialog.caption.text()
    body, block = block_format(dialog, OPENING)
    assert body.fontPointSize() == 13  # the restyle, seen before installing
    assert block.blockFormat().alignment() & 0x8 and block.blockFormat().textIndent() > 0  # justified, first line in
    heading, _ = block_format(dialog, HEADING)
    assert heading.foreground().color().name() == "#c00000"
    assert not wt.installed_path(data_dir()).exists()  # nothing installed by a preview

    seen: list[str] = []
    answer_next_message_box(QMessageBox.Ok, seen=seen)
    dialog.install_button.click()
    assert "Đã cài mẫu của tỉnh “mau_tinh.docx”" in seen[0]
    assert wt.active_template(data_dir()).installed
    assert "mau_tinh.docx" in dialog.in_use.text() and dialog.builtin_button.isEnabled()
    assert block_format(dialog, OPENING)[0].fontPointSize() == 13  # page 1 of the template now in use

    answer_next_message_box(QMessageBox.Yes)
    dialog.builtin_button.click()
    assert not wt.active_template(data_dir()).installed and "mẫu có sẵn" in dialog.in_use.text()
    assert block_format(dialog, OPENING)[0].fontPointSize() == 14


def test_cancel_leaves_the_template_in_use(dialog, tmp_path):
    pick(restyled(tmp_path))
    dialog.choose_button.click()
    assert dialog.install_button.isEnabled()
    dialog.cancel_button.click()
    assert dialog.chosen is None and not dialog.install_button.isEnabled()
    assert block_format(dialog, OPENING)[0].fontPointSize() == 14
    assert not wt.installed_path(data_dir()).exists()


def test_a_text_file_is_refused_with_its_message(dialog, tmp_path):
    text = tmp_path / "mau.docx"
    text.write_text("văn bản", "utf-8")
    seen: list[str] = []
    answer_next_message_box(QMessageBox.Ok, seen=seen)
    assert dialog.check_file(text) is False
    assert "không phải tệp Word (.docx)" in seen[0] and "Mẫu đang dùng vẫn giữ nguyên" in seen[0]
    assert dialog.chosen is None and not dialog.install_button.isEnabled()
    assert not wt.installed_path(data_dir()).exists()


def test_missing_styles_are_listed_and_the_built_in_template_offered(dialog, tmp_path):
    blank = tmp_path / "trang.docx"
    Document().save(str(blank))
    out = tmp_path / "de_sua.docx"
    seen: list[str] = []
    answer_next_message_box(QMessageBox.Yes, seen=seen)  # "Lưu mẫu có sẵn ra…"
    pick(out)
    answer_next_message_box(QMessageBox.Ok, seen=seen)  # "Đã lưu mẫu có sẵn ra …"
    assert dialog.check_file(blank) is False
    assert "CCHC Body" in seen[0] and "CCHC Signer Name" in seen[0]
    assert out.read_bytes() == DEFAULT_TEMPLATE.read_bytes()
    assert "Đã lưu mẫu có sẵn ra" in seen[1] and "Chọn tệp mẫu…" in seen[1]
    assert not wt.installed_path(data_dir()).exists()


def test_the_menu_opens_it_and_the_windows_export_uses_the_installed_template(qtbot, tmp_path):
    store, registry = open_store()
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    win.open_report(open_sample(store, registry))
    mau = restyled(tmp_path)
    said: list[str] = []

    def drive(dlg: TemplateDialog) -> None:
        said.append(dlg.in_use.text())
        dlg.check_file(mau)
        answer_next_message_box(QMessageBox.Ok)
        dlg.install_button.click()
        said.append(dlg.in_use.text())
        dlg.reject()

    when_modal(TemplateDialog, drive)
    assert "Mẫu Word của tỉnh…" == win.act_template.text()
    win.act_template.trigger()
    assert "mẫu có sẵn" in said[0] and "mau_tinh.docx" in said[1]

    export = win.view.check_tab().export_box
    export.folder.setText(str(tmp_path / "out"))
    docx = next(p for p in export.export(draft=True) if p.suffix == ".docx")
    assert Document(str(docx)).styles[S.BODY].font.size == Pt(13)
    assert "Đã dùng mẫu có sẵn" not in export.message.text()

    wt.installed_path(data_dir()).write_bytes(b"hong")  # damaged since: the export still goes out
    docx = next(p for p in export.export(draft=True) if p.suffix == ".docx")
    assert Document(str(docx)).styles[S.BODY].font.size == Pt(14)
    assert "Đã dùng mẫu có sẵn vì mẫu Word của tỉnh đã cài không phải tệp Word" in export.message.text()
    win.close()
    store.close()
