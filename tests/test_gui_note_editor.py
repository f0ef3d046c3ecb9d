"""Ghi chú is a narrow line: F2 / Ctrl+Enter opens the whole note in a box large enough to read
(issue 10 §5); Lưu saves it through the edit path as one undo step, Esc changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.app import style
from cchc_desktop.gui.note_editor import NoteEditor
from cchc_desktop.gui.report_picker import open_sample
from tests.test_gui_helpers import on_disk, open_store, show_window, type_text

LONG = ("Số liệu lấy từ Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh, "
        "tính đến hết ngày 14/12/2023, gồm cả hồ sơ tiếp nhận trực tuyến")


def on_disk_note(path, rid, ident):
    return on_disk(path, rid, ident, "note") or ""


@pytest.fixture
def window(qtbot):
    store, registry = open_store()
    style(QApplication.instance())
    win = show_window(qtbot, store, registry, open_sample(store, registry))
    yield win
    store.close()


def _in_editor(do):
    def run():
        editor = QApplication.activeModalWidget()
        if not isinstance(editor, NoteEditor):
            QTimer.singleShot(20, run)
            return
        do(editor)
    QTimer.singleShot(20, run)


def _note_cell(win, ident):
    win.view.table(win.session.catalog.indicators[ident].form)
    cell = win.view.table(win.session.catalog.indicators[ident].form).editor_for(ident, "note")
    cell.setFocus(Qt.TabFocusReason)
    return cell


def test_f2_edits_the_whole_note_and_one_undo_takes_it_back(qtbot, window):
    rid, path = window.session.report_id, window.store.path
    cell = _note_cell(window, "bm3.3.1")
    before = window.session.state.notes.get("bm3.3.1", "")

    def type_and_save(editor):
        editor.box.selectAll()
        type_text(editor.box, LONG)
        QTest.keyClick(editor.box, Qt.Key_Return)  # Enter saves, as in the cell
    _in_editor(type_and_save)
    QTest.keyClick(cell, Qt.Key_F2)
    assert on_disk_note(path, rid, "bm3.3.1") == LONG and cell.text() == LONG
    assert LONG in cell.toolTip()  # the whole note on hover too
    # back in the cell the clerk left (offscreen gives the window no activation back after a dialog)
    assert window.focusWidget() is cell
    window.undo()
    assert on_disk_note(path, rid, "bm3.3.1") == before


def test_ctrl_enter_opens_it_too_and_esc_changes_nothing(qtbot, window):
    rid, path = window.session.report_id, window.store.path
    cell = _note_cell(window, "bm4.3")
    before, depth = on_disk_note(path, rid, "bm4.3"), window.controller.stack.index()

    def type_and_cancel(editor):
        type_text(editor.box, "không lưu")
        QTest.keyClick(editor.box, Qt.Key_Escape)
    _in_editor(type_and_cancel)
    QTest.keyClick(cell, Qt.Key_Return, Qt.ControlModifier)
    assert on_disk_note(path, rid, "bm4.3") == before and window.controller.stack.index() == depth


def test_line_breaks_pasted_into_the_editor_become_spaces(qtbot, window):
    ind = window.session.catalog.indicators["bm4.3"]
    editor = NoteEditor(ind, "")
    qtbot.addWidget(editor)
    editor.box.setPlainText("Theo báo cáo\nthống kê\r\nquý IV\x0b")
    assert editor.text() == "Theo báo cáo thống kê quý IV"
