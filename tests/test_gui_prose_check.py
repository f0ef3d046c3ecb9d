"""Figures typed in the prose are checked like the figures in the forms (issue 11 §2), in the
real window: a warning in the issues list that jumps to the figure, the figure underlined in
the section's editor with the message as its tooltip, re-checked as the clerk types and as the
rows change, and "Thay bằng số liệu" turning it into the row's placeholder (saved, undoable)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cchc_desktop.core.engine import prose_section
from cchc_desktop.core.prose_check import REPLACE_LABEL
from tests.test_gui_helpers import narrative_on_disk, type_text

SENTENCE = "Tổng số hồ sơ nộp trực tuyến là 843/1.555 hồ sơ được tiếp nhận, đạt 54,21%."


def _prose_issues(win, sid):
    return [i for i in win.session.state.issues.values() if prose_section(i) == sid]


def _write(qtbot, win, sid, text):
    win.view.reveal_section(sid)
    editor = win.view.pane(sid).editors[sid]
    editor.selectAll()
    type_text(editor, text)
    win.controller.flush()
    return editor


def test_a_figure_that_contradicts_its_row_is_listed_underlined_and_jumped_to(qtbot, sample_window):
    win = sample_window
    editor = _write(qtbot, win, "II.6", SENTENCE)
    issues = {editor.toPlainText()[i.span[0]:i.span[1]]: i for i in _prose_issues(win, "II.6")}
    assert set(issues) == {"843", "1.555", "54,21%"}  # 812/1.524 and 53,28% in the forms
    assert "53,28%" in issues["54,21%"].message and issues["54,21%"].severity == "warning"
    assert len(editor.extraSelections()) == 3
    assert sorted(editor.toPlainText()[c.selectionStart():c.selectionEnd()] for c, _ in editor.findings) == \
        ["1.555", "54,21%", "843"]
    # the issues list: its line jumps to the figure, selected in its section
    win.view.setCurrentIndex(0)
    lines = [win.issues.item(n) for n in range(win.issues.count())]
    line = next(item for item in lines if "54,21%" in item.text() and "53,28%" in item.text())
    win.issues.itemClicked.emit(line)
    focused = QApplication.focusWidget()
    assert focused is editor and editor.textCursor().selectedText() == "54,21%"


def test_the_check_follows_typing_and_the_rows(qtbot, sample_window):
    win = sample_window
    editor = _write(qtbot, win, "II.6", "Số hồ sơ nộp trực tuyến là 812/1.524 hồ sơ được tiếp nhận, đạt 53,28%.")
    kinds = sorted(i.where.split(":")[2] for i in _prose_issues(win, "II.6"))
    assert kinds == ["equals_row"] * 3  # right figures, each offered as its row's placeholder
    win.session.set_value("bm7.3.4", "813")  # the row changes: the typed figure no longer agrees
    kinds = sorted(i.where.split(":")[2] for i in _prose_issues(win, "II.6"))
    assert "contradicts_row" in kinds
    assert any("812" in editor.toPlainText()[c.selectionStart():c.selectionEnd()] for c, _ in editor.findings)
    _write(qtbot, win, "II.6", "Kế hoạch số 15/KH-UBND ngày 16/02/2023 giai đoạn 2021 - 2030.")
    assert _prose_issues(win, "II.6") == [] and editor.extraSelections() == []


def test_replace_with_the_rows_figure_is_one_saved_undoable_step(qtbot, sample_window):
    win = sample_window
    s = win.session
    editor = _write(qtbot, win, "II.6", "Số hồ sơ nộp trực tuyến là 812/1.524 hồ sơ được tiếp nhận, đạt 53,28%.")
    pane = win.view.pane("II.6")
    cursor, issue = next((c, i) for c, i in editor.findings if i.replacement == "{bm7.3.4}")
    # the right-click menu on the figure offers it first
    seen = []

    def look(menu):
        seen.extend(a.text() for a in menu.actions())
        menu.close()

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMenu

    def close_menu():
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            look(menu)
        else:
            QTimer.singleShot(20, close_menu)

    QTimer.singleShot(20, close_menu)
    pos = editor.cursorRect(cursor).center()
    pane._context_menu(editor, "II.6", pos)
    assert seen and seen[0] == f"{REPLACE_LABEL} {{bm7.3.4}}"
    pane.replace_figure("II.6", cursor, issue.replacement)
    assert editor.toPlainText() == "Số hồ sơ nộp trực tuyến là {bm7.3.4}/1.524 hồ sơ được tiếp nhận, đạt 53,28%."
    assert narrative_on_disk(s.store.path, s.report_id, "II.6") == editor.toPlainText()
    win.undo()
    assert narrative_on_disk(s.store.path, s.report_id, "II.6") == "Số hồ sơ nộp trực tuyến là 812/1.524 hồ sơ được tiếp nhận, đạt 53,28%."
    assert editor.toPlainText().startswith("Số hồ sơ nộp trực tuyến là 812/")


def test_the_built_in_sample_has_no_figure_in_its_prose_to_question(sample_window):
    issues = [i for i in sample_window.session.state.issues.values() if prose_section(i)]
    assert issues == [], [i.message for i in issues]
