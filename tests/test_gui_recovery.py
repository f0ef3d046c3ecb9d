"""Recovery from the window: a damaged, garbled or empty data file at start leads to a dialog
that offers the newest verified backup (its date and the reports in it) instead of a first run;
Báo cáo → Sao lưu và khôi phục… lists the backups verified ✓/✗ and restores one, keeping the
current file; Báo cáo → Sao lưu ra… writes a verified copy to a folder the clerk picks."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from cchc_desktop.storage import backups
from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.gui import recovery
from cchc_desktop.gui.app import _open_store, style
from cchc_desktop.gui.report_picker import open_sample
from cchc_desktop.system.data_dirs import backup_dir, db_path
from cchc_desktop.storage.store import Store
from tests.test_gui_helpers import data_dir, on_disk, show_window


def a_folder_with_a_backup():
    folder = data_dir()
    with Store.open(folder) as store:
        rid = open_sample(store, CatalogRegistry())
        store.set_value(rid, "bm4.3", "11")
        made = backups.make_backup(store, backup_dir(folder), "auto", now=dt.datetime(2025, 6, 1, 9, 30))
        store.set_value(rid, "bm4.3", "12")  # after the backup: lost with the damaged file
    return folder, rid, made


DAMAGE = {
    "empty": lambda path: path.write_bytes(b""),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:5000]),
    "garbled": lambda path: path.write_bytes(b"\x8f\x13garbage" * 4000),
}


def answer_boxes(answers: list, seen: list, dialog_hook=None):
    """Answer the next message boxes in turn: each by clicking the button with that text (None:
    its default). What each box said is noted in `seen`. `dialog_hook` gets any other dialog."""

    def tick():
        if not answers:
            return
        QTimer.singleShot(20, tick)  # first: what is clicked below may open a modal of its own
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox):
            seen.append(modal.text() + "\n" + modal.informativeText())
            wanted = answers.pop(0)
            chosen = [b for b in modal.buttons() if b.text().replace("&", "") == wanted]
            chosen[0].click() if chosen else modal.accept()
        elif modal is not None and dialog_hook is not None:
            dialog_hook(modal)

    QTimer.singleShot(20, tick)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_data_file_offers_the_newest_verified_backup(qtbot, damage):
    folder, rid, made = a_folder_with_a_backup()
    for suffix in ("-wal", "-shm"):
        (folder / f"cchc.sqlite{suffix}").unlink(missing_ok=True)
    DAMAGE[damage](db_path(folder))
    damaged_bytes = db_path(folder).read_bytes()
    seen: list[str] = []
    answer_boxes(["Khôi phục bản này", None], seen)  # then "Đã khôi phục…"
    store = _open_store(folder)
    try:
        assert store is not None, seen
        assert "09:30 ngày 01/06/2025" in seen[0] and "Năm 2023 — Xã Bình Phước" in seen[0], seen[0]
        assert "Sao lưu và khôi phục" in seen[0]
        assert on_disk(store.path, rid, "bm4.3") == "11"
        kept = list((backup_dir(folder) / backups.DAMAGED_DIRNAME).glob("*.sqlite"))
        assert [p.read_bytes() for p in kept] == [damaged_bytes]  # the damaged file is kept, whole
    finally:
        if store is not None:
            store.close()


def test_with_no_usable_backup_the_clerk_can_start_afresh_and_the_damaged_file_is_kept(qtbot):
    folder = data_dir()
    db_path(folder).write_bytes(b"")
    (backup_dir(folder)).mkdir()
    (backup_dir(folder) / "cchc-20250601-093000-auto.sqlite").write_bytes(b"not a backup")
    seen: list[str] = []
    answer_boxes(["Bắt đầu với tệp dữ liệu mới", None], seen)
    store = _open_store(folder)
    try:
        assert "Không tìm thấy bản sao lưu nào dùng được" in seen[0]
        assert store is not None and store.list_reports() == []
        assert len(list((backup_dir(folder) / backups.DAMAGED_DIRNAME).glob("*"))) == 1
    finally:
        store.close()


def test_quitting_the_recovery_dialog_changes_nothing(qtbot):
    folder, _, _ = a_folder_with_a_backup()
    db_path(folder).write_bytes(b"")
    seen: list[str] = []
    answer_boxes(["Thoát"], seen)
    assert _open_store(folder) is None
    assert db_path(folder).read_bytes() == b""  # never rewritten as a first run


def test_the_backups_dialog_lists_verified_backups_and_restores_one(qtbot, monkeypatch):
    folder, rid, made = a_folder_with_a_backup()
    (backup_dir(folder) / "cchc-20250602-100000-auto.sqlite").write_bytes(b"damaged copy")
    style(QApplication.instance())
    store = Store.open(folder)
    window = show_window(qtbot, store, CatalogRegistry(), rid)
    assert on_disk(store.path, rid, "bm4.3") == "12"

    marks: list[str] = []

    def in_dialog(dialog):
        if isinstance(dialog, recovery.BackupDialog) and not marks:
            marks.append(" | ".join(dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())))
            marks.append(str(dialog.selected().path))  # the newest sound one, not the damaged newer file
            dialog.restore_button.click()

    seen: list[str] = []
    answer_boxes(["Khôi phục", None], seen, in_dialog)  # "Khôi phục bản này?", then "Đã khôi phục…"
    window.show_backups()
    assert marks == ["✗ bị hỏng | ✓ dùng được", str(made)], marks
    assert "Đã khôi phục" in seen[1] and "truoc-khi-khoi-phuc" in seen[1]
    assert window.session is not None and window.session.state.raw("bm4.3") == "11"
    assert on_disk(window.store.path, rid, "bm4.3") == "11"
    safety = [b for b in backups.list_backups(backup_dir(folder)) if b.reason == "truoc-khi-khoi-phuc"]
    assert len(safety) == 1
    con = sqlite3.connect(safety[0].path)
    assert con.execute("SELECT raw FROM report_values WHERE indicator_id = 'bm4.3'").fetchone()[0] == "12"
    con.close()
    window.close()
    window.store.close()


def test_copy_out_writes_a_verified_copy_named_with_the_unit(qtbot, tmp_path, monkeypatch):
    folder, rid, _ = a_folder_with_a_backup()
    stick = tmp_path / "USB"
    stick.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(stick))  # the clerk's pick
    style(QApplication.instance())
    store = Store.open(folder)
    try:
        window = show_window(qtbot, store, CatalogRegistry(), rid)
        seen: list[str] = []
        answer_boxes([None], seen)
        window.act_copy_out.trigger()
        copies = list(stick.iterdir())
        assert len(copies) == 1 and copies[0].name.startswith("CCHC-") and copies[0].suffix == ".sqlite"
        assert "binh-phuoc" in copies[0].name.lower() and str(copies[0]) in seen[0]
        assert backups.inspect_backup(copies[0]).ok
        assert on_disk(copies[0], rid, "bm4.3") == "12"
        window.close()
    finally:
        store.close()


def test_every_restore_message_names_the_menu_that_exists(qtbot):
    from cchc_desktop.storage.store import RESTORE_HINT

    style(QApplication.instance())
    store = Store.open(data_dir())
    try:
        window = show_window(qtbot, store, CatalogRegistry(), open_sample(store, CatalogRegistry()))
        menus = {a.text().replace("&", "") for m in window.menuBar().actions() for a in m.menu().actions()}
        assert recovery.MENU_TEXT in menus and recovery.MENU_TEXT in RESTORE_HINT
        window.close()
    finally:
        store.close()


