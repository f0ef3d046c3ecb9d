"""Kiểm tra và xuất, for real: files written, errors blocking only the final export, and a
locked target answered with another name instead of a lost export."""

from __future__ import annotations

import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

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
    export.final_button.click()
    xlsx = tmp_path / "out" / "PhuLuc_CCHC_Nam2023_XaBinhPhuoc.xlsx"
    ws = load_workbook(xlsx).active
    row = next(r for r in ws.iter_rows() if r[0].value == "4.3")
    assert row[3].value == 11


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
