"""Odd input in the real window: pasted control characters and broken surrogates are left out
(on screen and on disk alike, the clerk told), text over the limits is refused with a Vietnamese
message and the field goes back to what is saved — never an error dialog, never a report that
export-json then refuses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from cchc_desktop.core import limits
from cchc_desktop.services.report_io import export_file
from tests.test_gui_helpers import narrative_on_disk, on_disk


@pytest.fixture
def window(sample_window):
    return sample_window


def paste(widget, text: str) -> None:
    QApplication.clipboard().setText(text)
    QTest.keyClick(widget, Qt.Key_V, Qt.ControlModifier)


def test_control_characters_pasted_into_a_cell_are_left_out(window):
    rid, path = window.session.report_id, window.store.path
    window.view.reveal("bm4.3")
    cell = QApplication.focusWidget()
    cell.selectAll()
    paste(cell, "1\x001\x0b")
    assert cell.text() == on_disk(path, rid, "bm4.3") and cell.text().strip() == "11"


@pytest.mark.parametrize("bad", ["\ud800", "\x01", "\x7f", "\ufffe"], ids=["surrogate", "soh", "del", "fffe"])
def test_a_broken_character_in_a_note_saves_the_rest(window, bad):
    rid, path = window.session.report_id, window.store.path
    window.view.reveal("bm3.3.1", "note")
    note = QApplication.focusWidget()
    note.selectAll()
    paste(note, f"Theo báo cáo{bad} của bộ phận một cửa")
    assert note.text() == on_disk(path, rid, "bm3.3.1", "note") == "Theo báo cáo của bộ phận một cửa"


def test_word_line_breaks_in_prose_become_line_breaks(window, qtbot):
    rid, path = window.session.report_id, window.store.path
    window.view.reveal_section("V")
    editor = window.view.pane("V").editors["V"]
    editor.selectAll()
    paste(editor, "Dòng một\x0bDòng hai\x0cDòng ba\x02")
    window.controller.flush()
    assert editor.toPlainText() == narrative_on_disk(path, rid, "V") == "Dòng một\nDòng hai\nDòng ba"


def test_prose_over_the_limit_is_refused_and_the_section_keeps_its_saved_text(window):
    rid, path = window.session.report_id, window.store.path
    window.view.reveal_section("V")
    editor = window.view.pane("V").editors["V"]
    before = narrative_on_disk(path, rid, "V")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    paste(editor, "x" * (limits.NARRATIVE.max_chars + 1))
    window.controller.flush()
    assert narrative_on_disk(path, rid, "V") == before == editor.toPlainText()
    assert window.banner.isVisible() and "vượt giới hạn" in window.banner.text()
    assert window.save_state.text().startswith("Đã lưu")  # what is on screen is on disk
    export_file(window.store, rid, window.store.path.with_name("out.json"))  # what the window holds can always be exchanged


def test_a_header_list_over_the_limit_is_refused_with_a_message(window):
    rid = window.session.report_id
    window.view.setCurrentIndex(0)
    recipients = window.view.widget(0).findChild(QPlainTextEdit, "header:recipients")
    recipients.setFocus()
    paste(recipients, "\n".join(f"Nơi {n}" for n in range(limits.MAX_LIST_LINES + 1)))
    window.controller.flush()
    assert len(window.store.get_report(rid)["header"].get("recipients", [])) <= limits.MAX_LIST_LINES
    assert window.banner.isVisible() and str(limits.MAX_LIST_LINES) in window.banner.text()
    export_file(window.store, rid, window.store.path.with_name("out.json"))


def test_the_unit_profile_leaves_out_controls_and_refuses_what_is_over_the_limits(qtbot, window):
    from PySide6.QtWidgets import QLineEdit

    from cchc_desktop.gui.profile_dialog import ProfileDialog
    from tests.test_gui_helpers import answer_next_message_box

    dialog = ProfileDialog(window.store, parent=window)
    qtbot.addWidget(dialog)
    dialog.form.findChild(QLineEdit, "signer_name").setText("Nguyễn\x1b Văn\ud800 Minh")
    dialog.save()
    assert window.store.get_profile()["signer_name"] == "Nguyễn Văn Minh"
    dialog = ProfileDialog(window.store, parent=window)
    qtbot.addWidget(dialog)
    dialog.form.findChild(QPlainTextEdit, "cc").setPlainText("\n".join(f"Nơi {n}" for n in range(60)))
    seen: list[str] = []
    answer_next_message_box(seen=seen)
    dialog.save()
    assert "50 dòng" in seen[0] and len(window.store.get_profile()["cc"]) < 60
    export_file(window.store, window.session.report_id, window.store.path.with_name("out.json"))
