"""Starting up: one copy per data folder, the first-run welcome (a Designer form), the report
picker (create, copy, delete with a backup, open the sample), and the export button when the
export module is not in this build."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QPlainTextEdit

from cchc_desktop.storage import folder_lock
from cchc_desktop.gui.app import SECOND_WINDOW, style
from cchc_desktop.gui.main_window import MainWindow
from cchc_desktop.gui.profile_dialog import ProfileDialog
from cchc_desktop.gui.report_picker import ReportPicker
from tests.conftest import ROOT, run_cli
from tests.test_gui_helpers import answer_next_message_box, data_dir, open_store, type_text


def start_window(folder, **env):
    """The program as the clerk starts it, dismissing whatever comes up (SmokeQuit)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    full |= {"CCHC_DATA_DIR": str(folder), "QT_QPA_PLATFORM": "offscreen", "CCHC_SMOKE_QUIT_MS": "800",
             "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run([sys.executable, "-m", "cchc_desktop"], capture_output=True, text=True,
                          encoding="utf-8", env=full, cwd=ROOT, timeout=120)


def test_a_second_copy_on_the_same_data_folder_is_refused():
    folder = data_dir()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from cchc_desktop.storage import folder_lock
            lock = folder_lock.acquire({str(folder)!r})
            print("held" if lock else "refused", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        out = start_window(folder)
        assert out.returncode == 1, out.stdout + out.stderr
        assert "dismissed QMessageBox: CCHC Desktop" in out.stdout
        assert "đang mở ở một cửa sổ khác" in SECOND_WINDOW
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert start_window(folder).returncode == 0  # the first copy has quit: the folder is free again


@pytest.mark.parametrize("content", [b"", b"\0" * 4096, os.urandom(300), b"12345\nCCHC Desktop\nother-pc\n"],
                         ids=["empty", "zero-filled", "garbage", "dead-pid"])
def test_a_lock_file_left_by_a_power_cut_does_not_block_the_next_start(content):
    folder = data_dir()
    (folder / folder_lock.LOCK_NAME).write_bytes(content)
    out = start_window(folder)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "window: CCHC Desktop" in out.stdout and "unexpected errors: 0" in out.stdout


def test_a_broken_province_catalog_is_named_and_the_reports_still_open(tmp_path):
    folder = data_dir()
    env = {"CCHC_DATA_DIR": str(folder)}
    assert run_cli("sample", "--out", str(tmp_path / "s.json"), env=env).returncode == 0
    assert run_cli("import", str(tmp_path / "s.json"), env=env).returncode == 0
    (folder / "catalogs").mkdir(exist_ok=True)
    (folder / "catalogs" / "tinh-hong.toml").write_text("a = " + "[" * 5000, encoding="utf-8")
    out = start_window(folder)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "dismissed QMessageBox" in out.stdout
    assert "window: Xã Bình Phước — Báo cáo CCHC Năm 2023" in out.stdout and "unexpected errors: 0" in out.stdout
    log = (folder / "logs" / "cchc-desktop.log").read_text(encoding="utf-8")
    assert "tinh-hong.toml" in log


@pytest.fixture
def store_registry():
    store, registry = open_store()
    yield store, registry
    store.close()


def test_first_run_welcome_saves_the_unit_profile(qtbot, store_registry):
    store, _ = store_registry
    dialog = ProfileDialog(store, first_run=True)
    qtbot.addWidget(dialog)
    assert "Chào mừng" in dialog.form.findChild(QLabel, "intro").text()
    fields = {"name": "Bình Phước", "province": "Quảng Ngãi", "signer_name": "Nguyễn Văn Minh"}
    for name, text in fields.items():
        edit = dialog.form.findChild(QLineEdit, name)
        edit.setFocus()
        type_text(edit, text)
    dialog.form.findChild(QPlainTextEdit, "cc").setPlainText("Như trên\nLưu: VT")
    combo = dialog.w["signing_authority"]
    combo.setCurrentIndex(combo.findData("KT."))  # a Vice-Chairman signs
    dialog.save()
    profile = store.get_profile()
    assert profile["name"] == "Bình Phước" and profile["kind"] == "xã"
    assert profile["agency_name"] == "Ủy ban nhân dân xã Bình Phước"
    assert profile["recipients"] == ["Ủy ban nhân dân tỉnh Quảng Ngãi", "Sở Nội vụ tỉnh Quảng Ngãi"]
    assert profile["signing_authority"] == "KT." and profile["signer_title"] == "PHÓ CHỦ TỊCH"
    assert profile["authority_line"] == "KT. CHỦ TỊCH"
    assert profile["cc"] == ["Như trên", "Lưu: VT"]


def test_the_profile_lists_are_read_and_written_by_code_not_by_position(qtbot, store_registry, monkeypatch):
    from cchc_desktop.core import vocabulary
    from cchc_desktop.core.unit import ProfileForm, profile_from_form

    store, _ = store_registry
    store.save_profile(profile_from_form(ProfileForm(kind="phường", name="An Hội", signing_authority="KT.",
                                                     signer_title="PHÓ CHỦ TỊCH", cc="Lưu: VT")))
    before = store.get_profile()
    before.pop("updated_at", None)
    # the lists in another order (a new kind added in front, a label reworded): items follow the
    # vocabulary, and the saved profile does not move with the positions
    monkeypatch.setattr(vocabulary, "UNIT_KINDS", ("đặc khu", "xã", "phường"))
    monkeypatch.setattr(vocabulary, "SIGNING_AUTHORITIES", dict(reversed(vocabulary.SIGNING_AUTHORITIES.items())))
    dialog = ProfileDialog(store)
    qtbot.addWidget(dialog)
    kind, auth = dialog.w["kind"], dialog.w["signing_authority"]
    assert [kind.itemData(n) for n in range(kind.count())] == list(vocabulary.UNIT_KINDS)
    assert [auth.itemData(n) for n in range(auth.count())] == ["KT.", "TM."]
    assert (kind.currentText(), auth.currentData()) == ("phường", "KT.")
    dialog.save()
    assert {k: v for k, v in store.get_profile().items() if k != "updated_at"} == before
    kind.setCurrentIndex(kind.findText("đặc khu"))
    auth.setCurrentIndex(auth.findText(vocabulary.AUTHORITY_LABELS["TM."]))
    dialog.save()
    after = store.get_profile()
    assert (after["kind"], after["agency_name"]) == ("đặc khu", "Ủy ban nhân dân đặc khu An Hội")
    assert (after["signing_authority"], after["authority_line"], after["signer_title"]) == \
        ("TM.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


def test_picker_creates_copies_and_deletes_with_a_backup(qtbot, store_registry):
    from cchc_desktop.gui.report_picker import COPY_VALUES_TEXT, COPY_VALUES_TIP

    store, registry = store_registry
    store.save_profile({"kind": "xã", "name": "Bình Phước"})
    picker = ReportPicker(store, registry, data_dir(), None)
    qtbot.addWidget(picker)
    picker.year.setValue(2024)
    picker.period.setCurrentIndex(picker.period.findData("nam"))
    picker.create()
    first = picker.chosen
    assert store.get_report(first)["period"] == "nam"
    for ident, raw in {"bm4.3": "10", "bm3.3.1": "1.962", "bm3.3.2": "1.886", "bm3.3.3": "17", "bm3.3.4": "59"}.items():
        store.set_value(first, ident, raw)
    store.set_narrative(first, "V", "Kiến nghị cũ.")
    store.set_narrative(first, "II.2", "Trong năm, tiếp nhận, giải quyết TTHC: đã giải quyết 1.886 hồ sơ; "
                                       "công dân rút, trả lại 59 hồ sơ.")
    store.set_narrative(first, "II.4", "Có 10 người hoạt động không chuyên trách, 17 hồ sơ.")

    picker = ReportPicker(store, registry, data_dir(), first)
    qtbot.addWidget(picker)
    # the box says what a copy with figures takes over, in the clerk's words
    assert picker.copy_values.text() == COPY_VALUES_TEXT and "tồn cuối kỳ" in COPY_VALUES_TEXT
    assert "để trống" in COPY_VALUES_TEXT and "kỳ trước chuyển sang" in picker.copy_values.toolTip()
    assert "phát sinh trong kỳ" in COPY_VALUES_TIP and "stock" not in COPY_VALUES_TIP + COPY_VALUES_TEXT
    picker.year.setValue(2025)
    picker.period.setCurrentIndex(0)  # Quý I 2025, copied from Năm 2024 with its figures
    picker.copy.setChecked(True)
    picker.copy_values.setChecked(True)
    told = []
    answer_next_message_box(QMessageBox.Ok, told)  # "Đã tạo báo cáo Quý I 2025 … đã chép …"
    picker.create()
    second = picker.chosen
    values = store.get_values(second)
    assert values["bm4.3"].raw == "10"  # stock: as it was
    assert values["bm3.3.1.1"].raw == "17"  # the files pending at the end of 2024 are carried into 2025
    assert "bm3.3.1" not in values and "bm3.3.2" not in values  # counted in the period: blank
    narratives = store.get_narratives(second)
    assert narratives["V"] == "Kiến nghị cũ."
    assert narratives["II.2"].startswith("Trong năm, tiếp nhận, giải quyết TTHC: đã giải quyết {bm3.3.2} hồ sơ")
    assert len(told) == 1 and told[0].startswith("Đã tạo báo cáo Quý I 2025")
    assert "đã chép 1 số liệu tồn cuối kỳ" in told[0] and "Số hồ sơ kỳ trước chuyển sang" in told[0]
    assert "con số đã được nối với biểu mẫu" in told[0] and "Mục II.4 (Cải cách chế độ công vụ)" in told[0]

    picker = ReportPicker(store, registry, data_dir(), first)
    qtbot.addWidget(picker)
    seen = []
    answer_next_message_box(QMessageBox.Yes, seen)  # "Xóa báo cáo Quý I 2025…?"
    answer_next_message_box(QMessageBox.Ok)  # "Đã xóa … bản sao lưu …"
    picker.delete_selected()
    assert "sao lưu" in seen[0]
    assert [r["id"] for r in store.list_reports()] == [second]
    assert list((data_dir() / "backups").glob("cchc-*-truoc-khi-xoa.sqlite"))


def test_the_sample_opens_from_a_file_of_its_own_and_never_joins_the_clerks_reports(qtbot, store_registry):
    """Issue 10 §6: "Mở báo cáo mẫu" used to import xã Bình Phước 2023 into the clerk's own
    list. It opens from a temporary data file now, says so, is not reopened at the next start,
    and its folder is gone once another report opens or the window closes."""
    from pathlib import Path

    from cchc_desktop.gui.main_window import SAMPLE_NOTICE
    from cchc_desktop.services.reports import create_report

    store, registry = store_registry
    style(QApplication.instance())
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)

    when_modal(ProfileDialog, lambda d: (d.reject(),  # "Để sau"
                                         when_modal(ReportPicker, lambda p: p.sample_button.click())))
    win.start()
    assert win.session is not None and win.session.report["unit_name"] == "Xã Bình Phước"
    assert win.windowTitle().startswith("BÁO CÁO MẪU — Xã Bình Phước") and "Năm 2023" in win.windowTitle()
    assert win.notice.isVisibleTo(win) and win.notice.text() == SAMPLE_NOTICE
    assert store.list_reports() == []  # the clerk's own file holds no sample
    sample_folder = Path(win.session.store.path).parent
    assert sample_folder != data_dir() and sample_folder.is_dir()
    win.session.set_value("bm4.3", "11")  # edits go to the sample's own file
    assert store.list_reports() == []

    rid = create_report(store, registry, 2025, "nam")
    win.open_report(rid)  # the clerk's own report: the sample's file goes
    assert not sample_folder.exists() and not win.notice.isVisibleTo(win)
    assert not win.windowTitle().startswith("BÁO CÁO MẪU")
    win.open_sample_report()
    second = Path(win.session.store.path).parent
    win.close()
    assert not second.exists()
    again = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(again)
    again.start()  # straight to the clerk's report, not the sample
    assert again.session.report_id == rid and again.session.store is store
    again.close()


def when_modal(cls, action, tries: int = 200):
    """Run `action(dialog)` once a modal dialog of class `cls` is up, as the clerk would."""
    from PySide6.QtCore import QTimer

    def poll(left=tries):
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, cls):
            action(dialog)
        elif left:
            QTimer.singleShot(25, lambda: poll(left - 1))

    QTimer.singleShot(25, poll)


def test_runtime_files_are_found():
    from cchc_desktop.gui import assets

    assert assets.ui_file("unit_profile.ui").is_file()
    assert "QLineEdit" in assets.sheet("marks") and "QTabBar" in assets.sheet("tabs")
    for name in ("error", "warning", "invalid", "ok", "app"):
        assert not assets.icon(name).isNull(), name
    assert Qt.AlignLeft  # Qt is importable here: this is the GUI side


def test_picker_imports_a_report_from_another_machines_file(qtbot, store_registry, tmp_path):
    # a colleague's exchange file and an appendix: checked, added, opened; a damaged file and
    # a second copy of the same period are said in Vietnamese and change nothing
    import copy as copying

    from cchc_desktop.formats.excel import write_xlsx
    from cchc_desktop.formats.exchange import write_exchange_file
    from cchc_desktop.formats.printed import PrintedReport
    from cchc_desktop.services.sample import sample_doc

    store, registry = store_registry
    store.save_profile({"kind": "xã", "name": "Bình Phước"})
    doc = sample_doc(registry)
    doc["report"]["status"] = "complete"
    write_exchange_file(doc, tmp_path / "bao-cao.json")
    picker = ReportPicker(store, registry, data_dir(), None)
    qtbot.addWidget(picker)
    told = []
    answer_next_message_box(QMessageBox.Ok, told)
    picker.import_file(tmp_path / "bao-cao.json")
    rid = picker.chosen
    assert rid is not None and store.get_report(rid)["status"] == "draft"
    assert store.get_values(rid)["bm3.3.1"].raw == doc["values"]["bm3.3.1"]
    assert told[0].startswith("Đã nhập báo cáo Năm 2023 của Xã Bình Phước từ tệp “bao-cao.json”.")
    assert "đánh dấu hoàn thành" in told[0]

    before = store.list_reports()
    (tmp_path / "hong.json").write_text('{"format": "cchc', "utf-8")
    other = copying.deepcopy(doc)
    other["report"]["period"] = "quy1"
    write_xlsx(PrintedReport.from_doc(other, registry), tmp_path / "phu-luc.xlsx")
    for name, says in [("hong.json", "Tệp bị hỏng"), ("bao-cao.json", "Đã có báo cáo Năm 2023")]:
        picker = ReportPicker(store, registry, data_dir(), None)
        qtbot.addWidget(picker)
        told = []
        answer_next_message_box(QMessageBox.Ok, told)
        picker.import_file(tmp_path / name)
        assert picker.chosen is None and told[0].startswith(f"Không nhập được tệp “{name}”.") and says in told[0]
        assert store.list_reports() == before
    picker = ReportPicker(store, registry, data_dir(), None)
    qtbot.addWidget(picker)
    answer_next_message_box(QMessageBox.Ok)
    picker.import_file(tmp_path / "phu-luc.xlsx")  # the appendix carries the same data
    assert store.get_report(picker.chosen)["period"] == "quy1"
