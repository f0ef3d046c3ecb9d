"""The form as a working surface: a block pasted from a spreadsheet, copied rows, the history
of a cell and the F1 guide — on the real window, with the real clipboard and the real file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.formats.excel import write_xlsx
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.services.sample import sample_doc
from tests.test_gui_helpers import on_disk
from tests.test_paste import excel_copy


@pytest.fixture
def window(sample_window):
    return sample_window


def put_on_clipboard(text: str, html: str | None = None) -> None:
    mime = QMimeData()
    mime.setText(text)
    if html:
        mime.setHtml(html)
    QApplication.clipboard().setMimeData(mime)


def paste_into(qtbot, win, ident: str, column: str = "value"):
    ind = win.session.catalog.indicators[ident]
    table = win.view.table(ind.form)
    win.view.reveal(ident)
    editor = table.editor_for(ident, column)
    editor.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(editor.hasFocus)
    QTest.keySequence(editor, QKeySequence.Paste)
    return table


def test_a_column_of_figures_fills_the_rows_below_as_one_undo_step(qtbot, window):
    s = window.session
    put_on_clipboard("12\n0\n1.097\n")
    paste_into(qtbot, window, "bm3.1.4")
    db = s.store.path
    assert [on_disk(db, s.report_id, i) for i in ("bm3.1.4", "bm3.1.5", "bm3.2.1")] == ["12", "0", "1.097"]
    assert "Đã dán 3 ô." in window.statusBar().currentMessage() and "tự tính: 2." in window.statusBar().currentMessage()
    window.act_undo.trigger()  # the whole paste is one step
    assert on_disk(db, s.report_id, "bm3.2.1") in (None, "")
    assert on_disk(db, s.report_id, "bm3.1.4") != "12"


def test_invalid_text_in_a_block_is_kept_and_marked_as_if_typed(qtbot, window):
    s = window.session
    put_on_clipboard("5\tTheo kế hoạch\r\n1,097\t\r\n")
    paste_into(qtbot, window, "bm3.1.1")
    assert on_disk(s.store.path, s.report_id, "bm3.1.1") == "5"
    assert on_disk(s.store.path, s.report_id, "bm3.1.1", "note") == "Theo kế hoạch"
    assert on_disk(s.store.path, s.report_id, "bm3.1.2") == "1,097"  # kept, marked invalid
    assert s.state.parsed["bm3.1.2"].error


def test_a_whole_form_copied_from_our_own_excel_appendix_fills_by_stt(qtbot, window, tmp_path):
    """The issue's test: the form pasted back from the appendix the program wrote — its whole
    table on the sheet "Biểu mẫu 3", two header lines and every row, copied as Excel copies it."""
    registry = CatalogRegistry()
    doc = sample_doc(registry)
    path = tmp_path / "PhuLuc.xlsx"
    write_xlsx(PrintedReport.from_doc(doc, registry), path)
    catalog = window.session.catalog
    tsv = excel_copy(path, "Biểu mẫu 3", catalog, 3)
    assert tsv.startswith("STT\tChỉ tiêu\tKết quả thống kê\t\tGhi chú\r\n\t\tĐơn vị tính\tSố liệu\t\r\n1\t")
    s = window.session
    for ident in list(doc["values"]):  # start from an empty form 3
        if catalog.indicators[ident].form == 3:
            s.set_value(ident, "")
    put_on_clipboard(tsv)
    paste_into(qtbot, window, catalog.forms[3].indicators[1])
    for ident in catalog.forms[3].indicators:
        ind = catalog.indicators[ident]
        if ind.is_input:
            expected = doc["values"].get(ind.id, "")
            got = on_disk(s.store.path, s.report_id, ind.id) or ""
            assert s.state.parse(ind.id, got).value == s.state.parse(ind.id, expected).value, ind.id
    message = window.statusBar().currentMessage()
    assert "khớp theo cột STT" in message and "không khớp" not in message, message


def test_a_paste_running_past_the_form_asks_first(qtbot, window, monkeypatch):
    asked = []

    def answer(*args, **kw):
        asked.append(args[1])
        return False

    monkeypatch.setattr("cchc_desktop.gui.form_table.ask", answer)
    s = window.session
    last = [i for i in s.catalog.forms[7].indicators if s.catalog.indicators[i].is_input][-1]
    before = on_disk(s.store.path, s.report_id, last)
    put_on_clipboard("1\n2\n3\n")
    paste_into(qtbot, window, last)
    assert asked == ["Dán quá cuối biểu mẫu"] and on_disk(s.store.path, s.report_id, last) == before
    assert window.statusBar().currentMessage() == "Chưa dán gì."


def test_copied_rows_paste_cleanly_into_a_spreadsheet(qtbot, window):
    table = window.view.table(3)
    tsv = table.copy_rows(list(table.cells))
    lines = tsv.split("\r\n")
    assert lines[0] == "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú"
    assert len(lines) - 2 == len(table.cells) and all(line.count("\t") == 4 for line in lines[1:-1])


def test_the_history_of_a_cell_restores_an_old_value_through_the_edit_path(qtbot, window, monkeypatch):
    from cchc_desktop.gui.history_dialog import HistoryDialog

    s = window.session
    for text in ("10", "11"):
        window.controller.edit("value", "bm4.3", text)
        window.controller.end_cell()
        window.controller.edit("value", "bm4.2.1", text)  # another cell between: bm4.3's edits stay apart
        window.controller.end_cell()
    seen = []

    def clerk_picks_the_older_value(dialog):  # instead of the modal loop: what the clerk clicks
        seen.append(dialog.windowTitle())
        dialog.list.setCurrentItem(dialog.list.topLevelItem(0))  # newest first: 10 → 11
        dialog.restore_button.click()
        return 0

    monkeypatch.setattr(HistoryDialog, "exec", clerk_picks_the_older_value)
    window.show_history("bm4.3", "value")  # what the cell's "Lịch sử thay đổi…" opens
    assert seen and "Biểu mẫu 4, dòng 3" in seen[0]
    assert on_disk(s.store.path, s.report_id, "bm4.3") == "10"
    window.act_undo.trigger()  # the restore is undoable like typing
    assert on_disk(s.store.path, s.report_id, "bm4.3") == "11"


def test_f1_opens_the_guide(qtbot, window):
    QTest.keyClick(window, Qt.Key_F1)
    qtbot.waitUntil(lambda: any(w.isVisible() and w.windowTitle().startswith("Hướng dẫn")
                                for w in QApplication.topLevelWidgets()))
    assert window.act_guide.shortcut() == QKeySequence("F1")


def test_a_long_note_shows_whole_on_hover_and_a_section_has_its_history(qtbot, window, monkeypatch):
    long_note = "Theo Kế hoạch số 15/KH-UBND ngày 16/02/2023 của UBND xã về kiểm soát thủ tục hành chính"
    window.controller.edit("note", "bm3.1.1", long_note)
    note = window.view.table(3).notes["bm3.1.1"]
    assert long_note in note.toolTip()
    asked = []
    monkeypatch.setattr(window, "show_history", lambda key, kind: asked.append((key, kind)))
    pane = window.view.panes["II.2"]
    pane.history_asked.emit("II.2", "narrative")  # what the section editor's menu item sends
    assert asked == [("II.2", "narrative")]
