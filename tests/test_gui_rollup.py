"""Báo cáo → Tổng hợp báo cáo các xã… (issue 12 §4) on real widgets: a folder of real commune
files rolled up with a progress bar, the unit table, a unit's issues, the summed forms, and the
Excel and Word appendices written and read back."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from docx import Document

from cchc_desktop.core.catalog import CatalogRegistry
from cchc_desktop.formats.exchange import write_exchange_file
from cchc_desktop.gui.rollup_window import RollupWindow
from cchc_desktop.services.rollup import rollup
from tests.test_rollup import SAMPLE, commune


def _folder(tmp_path):
    folder = tmp_path / "cac-xa"
    folder.mkdir()
    write_exchange_file(commune("Thử 01", {"bm1.2.1": "2", "bm1.2.2": "1", "bm1.4": "1"}), folder / "a.json")
    # the sample's one real inconsistency (Biểu mẫu 5 against 4) rides along in the second
    known = {k: v for k, v in SAMPLE["values"].items() if k.startswith("bm5.5.") or k == "bm4.3"}
    write_exchange_file(commune("Thử 02", {"bm1.2.1": "100", "bm1.2.2": "99", "bm1.4": "0", **known}), folder / "b.json")
    (folder / "hong.json").write_text("{không phải json", "utf-8")
    return folder


def test_a_folder_is_rolled_up_shown_and_exported(qtbot, tmp_path):
    win = RollupWindow(CatalogRegistry())
    qtbot.addWidget(win)
    assert not win.xlsx_button.isEnabled()
    assert win.open_folder(_folder(tmp_path))
    assert "nhận 2 báo cáo; không nhận 1 tệp" in win.summary.text()
    names = [win.units.item(r, 0).text() for r in range(win.units.rowCount())]
    states = [win.units.item(r, 2).text() for r in range(win.units.rowCount())]
    assert names[:2] == ["Xã Thử 01", "Xã Thử 02"] and states[2] == "không nhận"
    win.units.selectRow(2)
    assert "Không nhận hong.json" in win.unit_issues.item(0).text()
    win.units.selectRow(1)
    lines = [win.unit_issues.item(n).text() for n in range(win.unit_issues.count())]
    assert any(line.startswith("Lỗi: ") for line in lines)  # its own figures break a rule
    # Biểu mẫu 1 summed: 102 planned, 100 done, 98,04 % recomputed
    win.form_choice.setCurrentIndex(0)
    rows = {win.form.item(r, 1).text(): [win.form.item(r, c).text() for c in range(5)]
            for r in range(win.form.rowCount())}
    cat = win.result.catalog
    assert rows[cat.indicators["bm1.2.1"].label][3:] == ["102", "2"]
    assert rows[cat.indicators["bm1.2"].label][3] == "98,04%"
    assert rows[cat.indicators["bm1.4"].label][3] == "Có: 1; Không: 1"
    xlsx = win.export("xlsx", tmp_path / "tong-hop.xlsx")
    docx = win.export("docx", tmp_path / "tong-hop.docx")
    assert "Biểu mẫu 1" in openpyxl.load_workbook(xlsx).sheetnames
    assert len(Document(str(docx)).tables) == len(cat.forms) + 1
    assert f"Đã ghi {docx}" in win.summary.text()


def test_stopping_the_progress_stops_the_roll_up(qtbot, tmp_path):
    folder = _folder(tmp_path)
    seen = []

    class Stop(Exception):
        pass

    def step(done, total):
        seen.append((done, total))
        if done == 1:
            raise Stop

    try:
        rollup([folder], CatalogRegistry(), progress=step)
    except Stop:
        pass
    assert seen == [(0, 3), (1, 3)]


def test_the_window_menu_opens_it(qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.gui.app import style
    from cchc_desktop.gui.main_window import MainWindow
    from tests.test_gui_helpers import data_dir, open_store
    from tests.test_gui_start import when_modal

    style(QApplication.instance())
    store, registry = open_store()
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    opened = []
    when_modal(RollupWindow, lambda d: (opened.append(d.windowTitle()), d.reject()))
    win.act_rollup.trigger()
    assert opened == ["Tổng hợp báo cáo các xã"]
    win.close()
    store.close()


def test_the_window_rolls_up_a_national_count_read_by_worker_processes(qtbot, tmp_path):
    # from PARALLEL_FROM files the window's roll-up is read by spawned workers (Qt is loaded):
    # the progress bar still moves file by file, and the table holds every commune
    from cchc_desktop.services.rollup_read import PARALLEL_FROM
    from tools.bench_rollup import make_communes

    folder = tmp_path / "ca-nuoc"
    folder.mkdir()
    make_communes(folder, PARALLEL_FROM)
    win = RollupWindow(CatalogRegistry())
    qtbot.addWidget(win)
    assert win.open_folder(folder)
    assert "nhận 1.000 báo cáo; không nhận 0 tệp" in win.summary.text() and PARALLEL_FROM == 1000
    assert win.units.rowCount() == PARALLEL_FROM
    assert win.units.item(0, 0).text() == "Xã Thử 0000"
    assert win.units.item(0, 5).text() == "Đúng hạn"  # signed 03/11/2023, due 20/12/2023
    assert win.units.item(0, 5).toolTip() == "Gửi 03/11/2023 (ngày ký); hạn gửi 20/12/2023."
    # and a count of communes is written the Vietnamese way, as every figure is
    win.form_choice.setCurrentIndex(0)
    given = {win.form.item(r, 0).text(): win.form.item(r, 4).text() for r in range(win.form.rowCount())}
    assert given["2.1"] == "1.000"


def test_the_summed_forms_row_names_are_whole_at_1024x768(qtbot, tmp_path):
    # "Đơn vị tính" sized to its longest text ("Trực tuyến = 0; Phát phiếu = 1; Kết hợp = 2")
    # left the row names a word wide, cut with "…"; rows measured mid-resize came out a line short
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.gui.rollup_window import UNIT_COLUMN_WIDTH

    win = RollupWindow(CatalogRegistry())
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    assert win.open_folder(_folder(tmp_path))
    for number in range(win.form_choice.count()):
        win.form_choice.setCurrentIndex(number)
        qtbot.wait(20)
        QApplication.processEvents()
        form = win.form
        assert form.columnWidth(2) <= UNIT_COLUMN_WIDTH < form.columnWidth(1)
        for row in range(form.rowCount()):
            item = form.item(row, 1)
            need = QFontMetrics(item.font()).boundingRect(QRect(0, 0, form.columnWidth(1) - 8, 10_000),
                                                   int(Qt.TextWordWrap), item.text()).height()
            assert form.rowHeight(row) >= need, (number, item.text())
