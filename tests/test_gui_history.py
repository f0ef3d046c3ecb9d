"""Lịch sử thay đổi on real widgets: a real data file, edits through the window's edit path
(EditController over ReportSession), the dialog clicked as the clerk would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.gui.editing import EditController
from cchc_desktop.gui.history_dialog import RESTORE_TEXT, HistoryDialog
from cchc_desktop.services.report_io import import_doc
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.services.session import ReportSession
from cchc_desktop.storage.history import restore_args
from cchc_desktop.storage.store import Store


@pytest.fixture
def controller(tmp_path, qtbot):
    store = Store(tmp_path / "cchc.sqlite")
    registry = CatalogRegistry()
    session = ReportSession(store, import_doc(store, registry, sample_doc(registry)), registry)
    ctrl = EditController(session)
    yield ctrl
    ctrl.close()
    store.close()


def _type(ctrl, kind, key, text):
    """One visit of a cell: typed, then left (the next visit is its own undo step)."""
    ctrl.edit(kind, key, text)
    ctrl.end_cell()


def _restorer(ctrl, got):
    """How the window wires "Lấy lại giá trị này": through the edit path, so it is undoable."""
    def restore(change):
        got.append(change)
        if change.kind == "header":
            ctrl.update_report(**restore_args(change))
        else:
            _type(ctrl, change.kind, change.key, change.old or "")
    return restore


def _open(qtbot, ctrl, restore=None, **where):
    s = ctrl.session
    dialog = HistoryDialog(s.store, s.report_id, s.catalog, restore, next_period=s.report["next_period_label"],
                           **where)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _click_row(qtbot, dialog, row):
    item = dialog.list.topLevelItem(row)
    dialog.list.scrollToItem(item)
    qtbot.mouseClick(dialog.list.viewport(), Qt.LeftButton, pos=dialog.list.visualItemRect(item).center())
    assert dialog.list.currentItem() is item


def _rows(dialog):
    return [[dialog.list.topLevelItem(n).text(c) for c in range(4)] for n in range(dialog.list.topLevelItemCount())]


def test_a_cells_history_restores_the_chosen_old_value_undoably(qtbot, controller):
    _type(controller, "value", "bm4.3", "11")
    _type(controller, "value", "bm4.2.1", "21")  # another cell in between: bm4.3's edits stay apart
    _type(controller, "value", "bm4.3", "12 0 1.097")  # text that is not a figure is history too
    got = []
    dialog = _open(qtbot, controller, _restorer(controller, got), target="bm4.3", kind="value")
    assert dialog.filter.isHidden()
    assert "Biểu mẫu 4, dòng 3" in dialog.windowTitle()
    assert [r[2:] for r in _rows(dialog)] == [["11", "12 0 1.097"], ["10", "11"], ["(trống)", "10"]]
    assert all(r[1] == "Biểu mẫu 4, dòng 3 — Số liệu" for r in _rows(dialog))
    button = dialog.restore_button
    assert button.text() == RESTORE_TEXT

    _click_row(qtbot, dialog, 1)  # 10 → 11: take back the 10
    assert "Trước khi sửa: 10" in dialog.detail.toPlainText()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.LeftButton)
    assert [(c.kind, c.key, c.old) for c in got] == [("value", "bm4.3", "10")]
    assert controller.session.state.raw("bm4.3") == "10"
    assert controller.session.store.get_values(controller.session.report_id)["bm4.3"].raw == "10"
    assert "Đã lấy lại" in dialog.said.text()
    assert _rows(dialog)[0][3] == "10"  # the list was read again: the restore is the newest change
    controller.undo()  # undoable like typing
    assert controller.session.state.raw("bm4.3") == "12 0 1.097"


def test_restoring_the_value_that_stands_now_is_not_offered(qtbot, controller):
    _type(controller, "value", "bm4.3", "11")
    _type(controller, "value", "bm4.2.1", "21")
    _type(controller, "value", "bm4.3", "10")  # back to the first value by hand
    dialog = _open(qtbot, controller, _restorer(controller, []), target="bm4.3", kind="value")
    _click_row(qtbot, dialog, 1)  # 10 → 11: 10 is what the cell holds
    assert not dialog.restore_button.isEnabled()
    _click_row(qtbot, dialog, 0)  # 11 → 10: 11 can come back
    assert dialog.restore_button.isEnabled()


def test_a_sections_history_and_a_read_only_view(qtbot, controller):
    old = controller.session.narratives["II.1"]
    _type(controller, "narrative", "II.1", "Đã rà soát 5 văn bản quy phạm pháp luật.")
    got = []
    dialog = _open(qtbot, controller, _restorer(controller, got), target="II.1", kind="narrative")
    assert dialog.windowTitle().startswith("Lịch sử thay đổi — Mục II.1")
    assert dialog.list.topLevelItem(0).text(2).endswith("…")  # long prose is shortened in the list
    assert old in dialog.detail.toPlainText()  # and whole below it
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    assert controller.session.narratives["II.1"] == old and got[0].old == old
    read_only = _open(qtbot, controller, target="II.1", kind="narrative")
    assert read_only.restore_button.isHidden()


def test_the_report_history_filters_by_form_prose_and_header(qtbot, controller):
    _type(controller, "value", "bm3.1.1", "7")
    _type(controller, "note", "bm4.3", "Theo sổ theo dõi")
    _type(controller, "narrative", "II.1", "Mới.")
    old_number = controller.session.report["header"]["number"]
    controller.update_report(header={"number": "15/BC-UBND"})
    got = []
    dialog = _open(qtbot, controller, _restorer(controller, got))
    assert dialog.windowTitle() == "Lịch sử thay đổi của báo cáo"
    combo = dialog.filter
    assert combo.isVisible() and combo.itemText(0) == "Tất cả"
    assert [combo.itemText(n) for n in range(1, 8)] == [f"Biểu mẫu {n}" for n in range(1, 8)]
    everything = len(_rows(dialog))
    combo.setCurrentIndex(combo.findText("Biểu mẫu 3"))
    form3 = _rows(dialog)
    assert form3 and all(r[1].startswith("Biểu mẫu 3, dòng") for r in form3) and len(form3) < everything
    assert form3[0][1:] == ["Biểu mẫu 3, dòng 1.1 — Số liệu", form3[0][2], "7"]
    combo.setCurrentIndex(combo.findText("Phần lời (các mục viết)"))
    assert _rows(dialog) and all(r[1].startswith("Mục") for r in _rows(dialog))
    combo.setCurrentIndex(combo.findText("Thông tin chung"))
    header = _rows(dialog)
    assert header[0][1] == "Thông tin chung — Số văn bản" and header[0][3] == "15/BC-UBND"
    _click_row(qtbot, dialog, 0)
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    assert got[-1].key == "number"
    assert controller.session.report["header"]["number"] == old_number != "15/BC-UBND"


def test_a_status_change_is_shown_but_cannot_be_restored(qtbot, controller):
    s = controller.session
    s.store.update_report(s.report_id, status="complete")
    dialog = _open(qtbot, controller, _restorer(controller, []))
    assert _rows(dialog)[0][1:] == ["Trạng thái báo cáo", "đang soạn", "đã hoàn thành"]
    assert not dialog.restore_button.isEnabled()
    assert "Đánh dấu hoàn thành" in dialog.restore_button.toolTip()


def test_a_cell_never_changed_says_so(qtbot, controller):
    dialog = _open(qtbot, controller, _restorer(controller, []), target="bm4.3", kind="note")
    assert dialog.list.topLevelItemCount() == 0
    assert dialog.empty.isVisible() and "Chưa có thay đổi" in dialog.empty.text()
    assert not dialog.restore_button.isEnabled()


def test_the_dialog_fits_a_1024x768_screen(qtbot, controller):
    dialog = _open(qtbot, controller, _restorer(controller, []))
    room = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().width() <= min(1024, room.width())
    assert dialog.frameGeometry().height() <= min(768, room.height())
    assert dialog.minimumSizeHint().width() <= 1024 and dialog.minimumSizeHint().height() <= 700
