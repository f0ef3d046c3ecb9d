"""The clerk's window on a real SQLite file: typing, marks, autosave, undo, restart, keyboard."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.app import style
from cchc_desktop.gui.main_window import MainWindow
from cchc_desktop.gui.report_picker import open_sample
from tests.test_gui_helpers import data_dir, narrative_on_disk, on_disk, open_store, show_window, type_text


@pytest.fixture
def store_registry():
    store, registry = open_store()
    yield store, registry
    store.close()


@pytest.fixture
def window(qtbot, store_registry):
    """The main window on the sample report, 1366×768."""
    store, registry = store_registry
    style(QApplication.instance())
    return show_window(qtbot, store, registry, open_sample(store, registry))


@contextmanager
def restarted(qtbot, window):
    """Close the window and start the program again on the same data folder."""
    window.close()
    store, registry = open_store()
    again = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(again)
    try:
        again.start()
        yield again
    finally:
        again.close()
        store.close()


def _find(win, ident):
    from PySide6.QtWidgets import QWidget

    ind = win.session.catalog.indicators.get(ident.split(":")[0])
    if ind is not None:
        win.view.table(ind.form)  # tabs are built when first needed
    found = win.findChild(QWidget, ident)
    assert found is not None, ident
    return found


def type_into(qtbot, widget, text):
    widget.setFocus(Qt.TabFocusReason)
    widget.selectAll()  # as when the clerk tabs into the cell: typing replaces the old text
    type_text(widget, text)


def test_typing_recomputes_the_percentage_and_marks_every_cell_of_the_rule(qtbot, window):
    done, total, rate = _find(window, "bm3.3.2.1"), _find(window, "bm3.3.2"), _find(window, "bm3.3.5")
    assert rate.text() == "99,05%"
    type_into(qtbot, done, "1.800")
    assert rate.text() == "95,44%"  # 1.800 / 1.886, half-up, Vietnamese decimal comma
    # rule bm3.3.2#1 (1.886 ≠ 1.800 + 18) marks all three rows it names, in red, with an icon
    for ident in ("bm3.3.2", "bm3.3.2.1", "bm3.3.2.2"):
        w = _find(window, ident)
        assert w.property("mark") == "error", ident
        assert "(dòng 3.2: 1.886)" in w.toolTip()
    assert not window.view.table(3).cells["bm3.3.2"].icon.isHidden()
    assert window.counts.labels["error"][0].text() == "2 lỗi"
    assert any("(dòng 3.2.1 + 3.2.2: 1.818)" in window.issues.item(i).text() for i in range(window.issues.count()))
    type_into(qtbot, done, "1.868")
    assert total.property("mark") == "" and rate.text() == "99,05%"
    assert window.counts.labels["error"][0].text() == "1 lỗi"


def test_a_warning_is_amber_and_not_an_error(qtbot, window):
    type_into(qtbot, _find(window, "bm6.1.2"), "2.000")  # disbursed more than planned: a warning
    assert _find(window, "bm6.1.2").property("mark") == "warning"
    assert window.counts.labels["warning"][0].text() == "1 cảnh báo"


def test_invalid_text_is_kept_as_typed_marked_and_explained(qtbot, window):
    store = window.store
    rid = window.session.report_id
    editor = _find(window, "bm3.3.2.1")
    type_into(qtbot, editor, "1.868 hồ sơ")
    assert editor.text() == "1.868 hồ sơ"
    assert editor.property("mark") == "invalid"
    assert "không phải số" in editor.toolTip()
    assert "không phải số" in window.statusBar().currentMessage()
    assert on_disk(store.path, rid, "bm3.3.2.1") == "1.868 hồ sơ"
    QTest.keyClick(editor, Qt.Key_Tab)  # leaving the cell does not "fix" or drop the text
    assert editor.text() == "1.868 hồ sơ" and _find(window, "bm3.3.5").text() == ""
    assert window.counts.labels["invalid"][0].text() == "1 ô nhập sai"


def test_numbers_show_grouped_but_the_raw_text_is_stored(qtbot, window):
    editor = _find(window, "bm3.3.1.2")
    type_into(qtbot, editor, "1097")
    QTest.keyClick(editor, Qt.Key_Tab)
    assert editor.text() == "1.097"
    assert on_disk(window.store.path, window.session.report_id, "bm3.3.1.2") == "1097"
    editor.setFocus(Qt.TabFocusReason)
    assert editor.text() == "1097"  # editing shows exactly what was typed


def test_flags_show_labels_and_store_codes(qtbot, window):
    combo = _find(window, "bm1.4")
    assert combo.accessibleName().startswith("Có sáng kiến CCHC")
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key_1)
    assert combo.currentText() == "Có"
    assert on_disk(window.store.path, window.session.report_id, "bm1.4") == "1"
    # "Có" needs the initiative's name in Ghi chú: the note cell is marked, typing it clears it
    note = _find(window, "bm1.4:note")
    assert note.property("mark") == "warning"
    QTest.keyClick(combo, Qt.Key_Right)
    assert QApplication.focusWidget() is note
    type_text(note, "Sáng kiến một cửa số")
    assert note.property("mark") == "" and combo.property("mark") == ""
    assert on_disk(window.store.path, window.session.report_id, "bm1.4", "note") == "Sáng kiến một cửa số"


def test_every_edit_is_in_the_file_at_once_and_the_status_says_when(qtbot, window):
    rid = window.session.report_id
    type_into(qtbot, _find(window, "bm4.3"), "11")
    assert on_disk(window.store.path, rid, "bm4.3") == "11"  # no Save button, no delay
    assert window.save_state.text().startswith("Đã lưu lúc ")
    assert "Đã lưu" in window.windowTitle() and "Xã Bình Phước" in window.windowTitle()


def test_narrative_is_saved_within_half_a_second_and_on_close(qtbot, window):
    rid, path = window.session.report_id, window.store.path
    pane = window.view.pane("II.2")
    window.view.reveal_section("II.2")
    editor = pane.editors["II.2"]
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    type_text(editor, " Thêm một câu.")
    qtbot.waitUntil(lambda: narrative_on_disk(path, rid, "II.2").endswith("Thêm một câu."), timeout=1000)
    type_text(editor, " Câu cuối")
    window.close()  # closing flushes what the pause had not saved yet
    assert narrative_on_disk(path, rid, "II.2").endswith("Thêm một câu. Câu cuối")


def test_undo_and_redo_go_through_the_session(qtbot, window):
    rid, path = window.session.report_id, window.store.path
    first, second = _find(window, "bm4.3"), _find(window, "bm5.6")
    type_into(qtbot, first, "11")
    QTest.keyClick(first, Qt.Key_Tab)
    type_into(qtbot, second, "45")
    assert window.session.state.issues == {}  # 4.3 = 11 fixed the sample's one error
    QTest.keyClick(second, Qt.Key_Z, Qt.ControlModifier)
    assert on_disk(path, rid, "bm5.6") == "44" and second.text() == "44"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Z, Qt.ControlModifier)
    assert on_disk(path, rid, "bm4.3") == "10" and first.text() == "10"
    assert "bm5.5#1" in window.session.state.issues  # re-validated: the error is back
    assert QApplication.focusWidget() is first  # undo shows where it changed something
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Y, Qt.ControlModifier)
    assert on_disk(path, rid, "bm4.3") == "11" and window.session.state.issues == {}


def test_undo_of_narrative_text(qtbot, window):
    rid, path = window.session.report_id, window.store.path
    window.view.reveal_section("V")
    editor = window.view.pane("V").editors["V"]
    before = editor.toPlainText()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    type_text(editor, "\nĐề nghị tập huấn thêm.")
    QTest.keyClick(editor, Qt.Key_Z, Qt.ControlModifier)  # before the pause: flushed, then undone
    assert editor.toPlainText() == before
    assert narrative_on_disk(path, rid, "V") == before
    QTest.keyClick(editor, Qt.Key_Y, Qt.ControlModifier)
    assert narrative_on_disk(path, rid, "V").endswith("Đề nghị tập huấn thêm.")


def test_restart_opens_the_last_report_with_the_same_data(qtbot, window):
    type_into(qtbot, _find(window, "bm4.3"), "11")
    rid = window.session.report_id
    with restarted(qtbot, window) as again:
        assert again.session.report_id == rid
        assert _find(again, "bm4.3").text() == "11"
        assert again.session.state.issues == {}
        assert again.view.pane("II.2").editors["II.2"].toPlainText().startswith("- Về kiểm soát")


def test_a_failed_save_keeps_the_text_says_so_and_retries(qtbot, window):
    import sqlite3

    path, rid = window.store.path, window.session.report_id
    window.store.db.conn.execute("PRAGMA busy_timeout=50")  # fail fast instead of waiting 5 s
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        editor = _find(window, "bm4.3")
        type_into(qtbot, editor, "11")
        assert editor.text() == "11"
        assert window.save_state.text() == "Chưa lưu" and "Chưa lưu" in window.windowTitle()
        assert window.banner.isVisibleTo(window) and "Chưa lưu được" in window.banner.text()
        assert on_disk(path, rid, "bm4.3") == "10"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    window.controller.retry_unsaved()
    assert on_disk(path, rid, "bm4.3") == "11"
    assert window.save_state.text().startswith("Đã lưu lúc") and not window.banner.isVisibleTo(window)


def test_a_click_on_an_issue_goes_to_its_cell(qtbot, window):
    window.view.setCurrentIndex(0)
    item = window.issues.item(0)
    assert "dòng 5.1 đến 5.4" in item.text() and "Biểu mẫu 4, dòng 3 ghi 10" in item.text()
    rect = window.issues.visualItemRect(item)
    QTest.mouseClick(window.issues.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.view.currentWidget().objectName() == "tab:cong_vu"
    assert QApplication.focusWidget().objectName() == "bm5.5.1"


def test_find_a_row_by_words_without_accents_or_by_stt(qtbot, window):
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key_F, Qt.ControlModifier)
    bar = window.find_bar.edit
    assert QApplication.focusWidget() is bar
    QTest.keyClicks(bar, "ho so tiep nhan truc tuyen")
    QTest.keyClick(bar, Qt.Key_Return)
    assert window.view.currentWidget().objectName() == "tab:tthc"
    bar.clear()
    QTest.keyClicks(bar, "4.3")  # the STT within its form: row 4.3 of Biểu mẫu 3 comes first
    QTest.keyClick(bar, Qt.Key_Return)
    assert "Biểu mẫu 3, dòng 4.3" in window.find_bar.result.text()
    QTest.keyClick(bar, Qt.Key_Escape)
    assert QApplication.focusWidget().objectName() == "bm3.4.3"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_F, Qt.ControlModifier)
    # row 3 of every form, form by form from the one on screen (Biểu mẫu 3): Biểu mẫu 4's is
    # the second, Biểu mẫu 1's and 2's come last
    QTest.keyClicks(bar, "3")
    for _ in range(2):
        QTest.keyClick(bar, Qt.Key_Return)
    assert window.find_bar.matches[:7] == ["bm3.3", "bm4.3", "bm5.3", "bm6.3", "bm7.3", "bm1.3", "bm2.3"]
    QTest.keyClick(bar, Qt.Key_Escape)
    assert QApplication.focusWidget().objectName() == "bm4.3"


def test_every_input_is_named_for_screen_readers(window):
    catalog = window.session.catalog
    for ind in catalog.indicators.values():
        if ind.kind != "heading":
            assert _find(window, ind.id).accessibleName() == ind.label


def test_forms_fit_1366_wide_without_sideways_scrolling(qtbot, window):
    for number in window.view.form_order:
        window.view.setCurrentIndex(window.view.tab_of_form[number])
        scroll = window.view.scrolls[number]
        QApplication.processEvents()
        assert scroll.horizontalScrollBar().maximum() == 0, number
        table = window.view.tables[number]
        assert table.width() <= scroll.viewport().width(), number


def test_a_wrongly_typed_date_survives_a_restart_marked(qtbot, window):
    date = _find(window, "header:date")
    type_into(qtbot, date, "31/02/2023")
    date.editingFinished.emit()
    assert window.session.report["header"]["date_text"] == "31/02/2023"
    assert window.session.report["header"]["date"] == "2023-11-03"  # the last valid date is kept too
    assert "header:date_text" in window.session.state.issues  # counted like any text that is not a value
    with restarted(qtbot, window) as again:
        again_date = _find(again, "header:date")
        assert again_date.text() == "31/02/2023"
        assert again_date.property("mark") == "invalid"
        type_into(qtbot, again_date, "05/01/2024")
        again_date.editingFinished.emit()
        assert again.session.report["header"]["date"] == "2024-01-05"
        assert again.session.report["header"]["date_text"] == ""
        assert "header:date_text" not in again.session.state.issues


def test_an_emptied_data_window_date_is_saved_empty(qtbot, window):
    from PySide6.QtWidgets import QLineEdit

    rid = window.session.report_id
    assert window.store.get_report(rid)["window_start"]
    window.view.setCurrentIndex(0)
    start = window.view.widget(0).findChild(QLineEdit, "report:window_start")
    start.setFocus()
    start.selectAll()
    QTest.keyClick(start, Qt.Key_Delete)
    QTest.keyClick(start, Qt.Key_Tab)  # leaving the field saves it
    assert window.store.get_report(rid)["window_start"] is None
    with restarted(qtbot, window) as again:
        again.view.setCurrentIndex(0)
        assert again.view.widget(0).findChild(QLineEdit, "report:window_start").text() == ""


def test_the_data_window_is_checked_as_typed_and_the_box_to_fix_is_marked(qtbot, window):
    from cchc_desktop.gui.header_tab import HeaderTab

    start, end = _find(window, "report:window_start"), _find(window, "report:window_end")
    message = window.findChild(HeaderTab).message
    type_into(qtbot, end, "31/10/2024")  # the sample is the 2023 report: a year typed one too far
    end.editingFinished.emit()
    assert window.session.report["window_end"] == "2024-10-31"  # saved: a province may ask for such dates
    assert end.property("mark") == "warning" and "Năm 2023" in end.toolTip()
    assert "ngày kết thúc là 31/10/2024" in message.text() and start.property("mark") in ("", None)
    type_into(qtbot, start, "01/11/2024")
    start.editingFinished.emit()
    assert "sau ngày kết thúc" in message.text() and end.property("mark") == "warning"
    assert "header:window" in window.session.state.issues  # and the engine counts it as an error
    type_into(qtbot, start, "15/12/2022")
    start.editingFinished.emit()
    type_into(qtbot, end, "31/10/2023")
    end.editingFinished.emit()
    assert message.text() == "" and end.property("mark") == "" and end.toolTip() == ""
    assert "header:window" not in window.session.state.issues
