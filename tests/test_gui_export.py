"""Kiểm tra và xuất, for real: files written, errors blocking only the final export, and a
locked target answered with another name instead of a lost export."""

from __future__ import annotations

import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from cchc_desktop.gui.main_window import MainWindow
from cchc_desktop.gui.report_picker import open_sample
from tests.test_gui_helpers import answer_next_message_box, data_dir, open_store


@pytest.fixture
def box(qtbot, tmp_path):
    store, registry = open_store()
    rid = open_sample(store, registry)
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    win.open_report(rid)
    tab = win.view.check_tab()
    tab.export_box.folder.setText(str(tmp_path / "out"))
    yield win, tab.export_box
    win.close()
    store.close()


def test_errors_block_the_final_export_but_a_draft_goes_out(box, tmp_path):
    win, export = box
    assert not export.final_button.isEnabled() and "1 lỗi" in export.final_button.toolTip()
    written = export.export(draft=True)
    names = sorted(p.name for p in written)
    assert names == ["BaoCao_CCHC_Nam2023_XaBinhPhuoc_DuThao.docx", "PhuLuc_CCHC_Nam2023_XaBinhPhuoc_DuThao.xlsx"]
    assert "Đã xuất bản dự thảo" in export.message.text()
    header_text = " ".join(p.text for s in Document(str(written[0])).sections for p in s.header.paragraphs)
    assert "DỰ THẢO" in header_text


def test_after_fixing_the_error_the_final_export_has_the_fixed_figure(box, tmp_path):
    win, export = box
    win.session.set_value("bm4.3", "11")
    win.view.check_tab().update_all()
    assert export.final_button.isEnabled()
    seen: list[str] = []
    answer_next_message_box(seen=seen)
    export.final_button.click()
    assert "dòng số liệu trống" in seen[0] and "Vẫn xuất bản chính thức?" in seen[0]  # the sample has blanks
    xlsx = tmp_path / "out" / "PhuLuc_CCHC_Nam2023_XaBinhPhuoc.xlsx"
    ws = load_workbook(xlsx)["Biểu mẫu 4"]
    row = next(r for r in ws.iter_rows() if r[0].value == "3")  # bm4.3: STT 3 of Biểu mẫu 4
    assert row[3].value == 11


def test_a_final_export_lists_the_blanks_and_no_keeps_everything_as_it_was(box, tmp_path):
    win, export = box
    win.session.set_value("bm4.3", "11")
    win.view.check_tab().update_all()
    seen: list[str] = []
    answer_next_message_box(QMessageBox.No, seen=seen)
    assert export.export(draft=False) == []
    assert "Biểu mẫu" in seen[0] and "trống dòng" in seen[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_prose_citing_a_blank_row_stops_the_final_export_not_the_draft(box, tmp_path):
    """A draft may print "…" where a figure is missing; the paper the province files may not."""
    from cchc_desktop.services.export_files import ExportError, export_view, printed_report

    win, export = box
    win.session.set_value("bm4.3", "11")
    section = next(s for s in win.session.catalog.sections.values() if s.holds_text)
    blank = next(i for i in win.session.catalog.indicators.values()
                 if i.is_input and not win.session.state.raw(i.id).strip())
    win.session.set_narrative(section.id, f"Tổng số là {{{blank.id}}} hồ sơ.")
    win.view.check_tab().update_all()
    assert not export.final_button.isEnabled()
    assert "chỗ chèn số liệu của dòng đang trống" in export.final_button.toolTip()
    view = printed_report(win.session.store, win.session.report_id, win.registry)
    with pytest.raises(ExportError, match="không được in “…”"):
        export_view(view, docx=tmp_path / "final.docx", draft=False)
    assert not (tmp_path / "final.docx").exists()
    written = export_view(view, docx=tmp_path / "draft.docx", draft=True)
    text = "\n".join(p.text for p in Document(str(written[0])).paragraphs)
    assert "Tổng số là … hồ sơ." in text


def test_a_locked_file_is_written_under_the_name_the_clerk_accepts(box, tmp_path):
    win, export = box
    export.excel.setChecked(False)
    target = tmp_path / "out" / "BaoCao_CCHC_Nam2023_XaBinhPhuoc_DuThao.docx"
    target.parent.mkdir()
    target.write_bytes(b"open in Word")
    if subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available: cannot simulate a file Word holds open")
    try:
        seen: list[str] = []
        answer_next_message_box(seen=seen)
        written = export.export(draft=True)
    finally:
        subprocess.run(["chattr", "-i", str(target)], capture_output=True)
    assert "đang mở trong Word" in seen[0]
    assert [p.name for p in written] == ["BaoCao_CCHC_Nam2023_XaBinhPhuoc_DuThao_2.docx"]
    assert target.read_bytes() == b"open in Word"


def test_after_an_export_the_files_are_one_click_away(box, tmp_path, monkeypatch):
    """Mở tệp / Mở thư mục hand the written file and its folder to the operating system (the
    clerk's Word and file manager; recorded here, since CI has neither); before an export the
    buttons are off."""
    from cchc_desktop.gui import export_box as module

    win, export = box
    assert not any(b.isEnabled() for b in export.after)
    opened = []
    monkeypatch.setattr(module, "open_with_system", lambda path: opened.append(path) or True)
    written = export.export(draft=True)
    assert all(b.isEnabled() for b in export.after)
    docx = next(p for p in written if p.suffix == ".docx")
    export.open_button.click()
    export.folder_button.click()
    assert opened == [docx, docx.parent] and docx.is_file()
    assert docx.name in export.open_button.toolTip()


def test_only_the_appendix_written_opens_the_appendix(box, tmp_path, monkeypatch):
    from cchc_desktop.gui import export_box as module

    win, export = box
    export.word.setChecked(False)
    opened = []
    monkeypatch.setattr(module, "open_with_system", lambda path: opened.append(path) or True)
    export.export(draft=True)
    export.open_button.click()
    assert [p.name for p in opened] == ["PhuLuc_CCHC_Nam2023_XaBinhPhuoc_DuThao.xlsx"]


def test_a_file_moved_away_or_not_openable_is_said_in_vietnamese(box, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from cchc_desktop.gui import export_box as module

    win, export = box
    written = export.export(draft=True)
    monkeypatch.setattr(module, "open_with_system", lambda path: False)
    seen: list[str] = []
    answer_next_message_box(QMessageBox.Ok, seen)
    export.open_button.click()
    assert "Máy chưa mở được" in seen[-1] and "Mở thư mục" in seen[-1]
    for path in written:
        path.unlink()
    answer_next_message_box(QMessageBox.Ok, seen)
    export.open_button.click()
    assert "Không thấy" in seen[-1] and "xuất lại" in seen[-1]


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="Windows prints through Word itself")
def test_printing_where_the_system_cannot_says_how_to_print_from_word(box):
    from PySide6.QtWidgets import QMessageBox

    win, export = box
    export.export(draft=True)
    seen: list[str] = []
    answer_next_message_box(QMessageBox.Ok, seen)
    export.print_button.click()
    assert seen and "Ctrl+P" in seen[-1]
