"""Header edits (Số, ngày, người ký, thời gian chốt số liệu) go through the session and the
undo stack like every other edit (issue 10 §3): typed in the real boxes, undone with Ctrl+Z
from anywhere, saved to the real file each way, re-validated, and shown on the Thông tin
chung tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from cchc_desktop.gui.app import style
from cchc_desktop.gui.report_picker import open_sample
from cchc_desktop.storage.store import Store
from tests.test_gui_helpers import data_dir, open_store, show_window, type_text


@pytest.fixture
def window(qtbot):
    store, registry = open_store()
    style(QApplication.instance())
    win = show_window(qtbot, store, registry, open_sample(store, registry))
    yield win
    store.close()


def _box(win, name: str) -> QLineEdit:
    win.view.setCurrentIndex(0)
    box = win.view.widget(0).findChild(QLineEdit, name)
    assert box is not None, name
    return box


def _type(box: QLineEdit, text: str) -> None:
    box.setFocus(Qt.TabFocusReason)
    box.selectAll()
    type_text(box, text)
    box.editingFinished.emit()  # leaving the box saves it


def _on_disk(win) -> dict:
    other = Store.open(data_dir())  # a second connection: what a restart would read
    try:
        return other.get_report(win.session.report_id)
    finally:
        other.close()


def test_a_typed_signer_is_undone_and_redone_through_the_file(qtbot, window):
    signer = _box(window, "header:signer_name")
    before = signer.text()
    _type(signer, "Trần Thị Lan")
    assert _on_disk(window)["header"]["signer_name"] == "Trần Thị Lan"
    window.view.setCurrentIndex(3)  # the clerk went on to a form: Ctrl+Z still reaches the header
    window.undo()
    assert _on_disk(window)["header"]["signer_name"] == before
    assert window.view.currentIndex() == 0 and signer.text() == before  # shown where it changed
    window.redo()
    assert _on_disk(window)["header"]["signer_name"] == "Trần Thị Lan" and signer.text() == "Trần Thị Lan"


def test_each_box_is_its_own_step_and_typing_in_one_box_is_one_step(qtbot, window):
    number, signer = _box(window, "header:number"), _box(window, "header:signer_name")
    old_number, old_signer = number.text(), signer.text()
    number.setFocus(Qt.TabFocusReason)
    number.selectAll()
    for step in ("0", "07"):  # saved after each pause in typing: still one undo step
        number.setText(step)
        number.textEdited.emit(step)
        window.controller.flush()
    number.editingFinished.emit()
    _type(signer, "Lê Văn Hòa")
    depth = window.controller.stack.index()
    window.undo()
    assert _on_disk(window)["header"]["signer_name"] == old_signer
    assert _on_disk(window)["header"]["number"] == "07"
    window.undo()
    assert _on_disk(window)["header"]["number"] == old_number and number.text() == old_number
    assert window.controller.stack.index() == depth - 2


def test_an_undone_data_window_is_validated_again(qtbot, window):
    start = _box(window, "report:window_start")
    old = window.session.report["window_start"]
    _type(start, "01/11/2024")  # after the window's end: an error
    assert "header:window" in window.session.state.issues
    QTest.keyClick(QApplication.focusWidget() or start, Qt.Key_Z, Qt.ControlModifier)
    assert window.session.report["window_start"] == old and _on_disk(window)["window_start"] == old
    assert "header:window" not in window.session.state.issues


def test_undoing_a_header_edit_of_a_complete_report_keeps_it_reopened(qtbot, window):
    """Undo is an edit too: it does not silently mark the report complete again."""
    window.session.set_value("bm4.3", "11")  # the sample's one error
    window.session.mark_complete()
    _type(_box(window, "header:number"), "09")
    assert window.session.report["status"] == "draft"
    window.undo()
    assert _on_disk(window)["status"] == "draft"
