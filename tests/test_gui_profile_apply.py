"""A saved Thông tin đơn vị reaches the reports already made (issue 10 §3), and the unit's
official code is shown and kept (§8): on the real window, the real profile form and a real
SQLite data file. The open report changes through its session and undo stack; another draft
through the store; a report marked complete is left alone; "Giữ nguyên" changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from cchc_desktop.core.unit import ProfileForm, profile_from_form
from cchc_desktop.gui.app import style
from cchc_desktop.gui.main_window import MainWindow
from cchc_desktop.gui.profile_dialog import APPLY_TITLE, ProfileDialog
from cchc_desktop.services.reports import create_report
from tests.test_gui_helpers import data_dir, open_store
from tests.test_gui_start import when_modal

OLD = profile_from_form(ProfileForm(kind="xã", name="Bình Phước", province="Quảng Ngãi", signer_name="Nguyễn Văn Cũ",
                                    signer_title="CHỦ TỊCH", signing_authority="TM.",
                                    recipients="UBND tỉnh Quảng Ngãi",
                                    cc="Như trên\nLưu: VT", province_code="51"))  # as the form saves it


@pytest.fixture
def window(qtbot):
    store, registry = open_store()
    store.save_profile(OLD)
    style(QApplication.instance())
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    open_id = create_report(store, registry, 2025, "nam")
    other = create_report(store, registry, 2025, "6thang")
    done = create_report(store, registry, 2024, "nam")
    store.update_report(done, status="complete")
    own = create_report(store, registry, 2025, "quy1")
    header = store.get_report(own)["header"]
    store.update_report(own, header=header | {"signer_name": "Trần Thị Riêng"})  # set for this report only
    win.open_report(open_id)
    yield win, {"open": open_id, "other": other, "done": done, "own": own}
    win.close()
    store.close()


def _save_profile_answering(qtbot, win, signer: str, answer: str) -> list[str]:
    """Bấm Thông tin đơn vị, type a new signer, save, then answer the question with `answer`."""
    asked: list[str] = []

    def fill(dialog: ProfileDialog):
        dialog.w["signer_name"].setText(signer)
        when_modal(QMessageBox, click)
        dialog.save()

    def click(box: QMessageBox):
        asked.append(box.windowTitle() + "\n" + box.text())
        next(b for b in box.buttons() if b.text() == answer).click()

    when_modal(ProfileDialog, fill)
    assert win.edit_profile()
    return asked


def _signer(win, rid) -> str:
    return win.store.get_report(rid)["header"].get("signer_name")


def test_applying_the_new_signer_reaches_the_drafts_that_held_the_old_one(qtbot, window):
    win, ids = window
    asked = _save_profile_answering(qtbot, win, "Lê Thị Mới", "Cập nhật các báo cáo")
    (text,) = asked
    assert text.startswith(APPLY_TITLE) and "người ký" in text
    assert "Năm 2025 (đang mở)" in text and "6 tháng 2025" in text
    assert text.count("người ký") >= 1 and "Nơi nhận và" not in text and "đã tự cập nhật" not in text
    assert "Quý I" not in text  # its signer was set for it: not offered
    assert "1 báo cáo đã đánh dấu hoàn thành (Năm 2024)" in text
    assert _signer(win, ids["open"]) == _signer(win, ids["other"]) == "Lê Thị Mới"
    assert _signer(win, ids["done"]) == "Nguyễn Văn Cũ" and _signer(win, ids["own"]) == "Trần Thị Riêng"
    assert win.session.report["header"]["signer_name"] == "Lê Thị Mới"
    assert win.view.header_tab.signer_name.text() == "Lê Thị Mới"
    # the open report's change is one step of its undo stack, saved when undone
    win.undo()
    assert _signer(win, ids["open"]) == "Nguyễn Văn Cũ"
    assert win.view.header_tab.signer_name.text() == "Nguyễn Văn Cũ"
    assert _signer(win, ids["other"]) == "Lê Thị Mới"


def test_keeping_the_reports_as_they_are_changes_none_of_them(qtbot, window):
    win, ids = window
    before = {rid: win.store.get_report(rid)["header"] for rid in ids.values()}
    asked = _save_profile_answering(qtbot, win, "Lê Thị Mới", "Giữ nguyên")
    assert len(asked) == 1
    assert {rid: win.store.get_report(rid)["header"] for rid in ids.values()} == before
    assert win.store.get_profile()["signer_name"] == "Lê Thị Mới"  # the profile itself was saved
    assert win.controller.stack.count() == 0  # nothing to undo


def test_the_unit_name_shown_follows_the_profile_at_once(qtbot, window):
    win, _ = window
    asked: list = []

    def fill(dialog: ProfileDialog):
        dialog.w["name"].setText("Bình Phước Mới")
        dialog.save()

    when_modal(ProfileDialog, fill)
    assert win.edit_profile() and asked == []  # nothing copied changed: no question
    assert win.windowTitle().startswith("Xã Bình Phước Mới — Báo cáo CCHC Năm 2025")
    assert [r["unit_name"] for r in win.store.list_reports()] == ["Xã Bình Phước Mới"] * 4


def test_the_official_code_is_shown_when_the_unit_is_picked_and_kept_on_save(qtbot, tmp_path):
    from cchc_desktop.storage.store import Store

    with Store(tmp_path / "cchc.sqlite") as store:
        dialog = ProfileDialog(store, first_run=True)
        qtbot.addWidget(dialog)
        assert dialog.code_label.text().startswith("không có")
        dialog.w["province"].setText("Hà Nội")
        dialog.w["name"].setText("hoan kiem")
        dialog.w["name"].textEdited.emit("hoan kiem")
        dialog.picker.name_completer.activated.emit(dialog.picker.name_model.stringList()[0])
        code, province_code = dialog.codes()
        assert code.isdigit() and len(code) == 5 and province_code == "01"
        assert dialog.code_label.text().startswith(f"{code} (tỉnh, thành phố: 01)")
        dialog.save()
        saved = store.get_profile()
        assert (saved["code"], saved["province_code"], saved["name"]) == (code, "01", "Hoàn Kiếm")
        again = ProfileDialog(store)
        qtbot.addWidget(again)
        again.w["name"].setText("Hoàn Kiếm Cũ")  # no longer the listed unit: no code
        assert again.codes() == ("", "01") and "chưa khớp" in again.code_label.text()
