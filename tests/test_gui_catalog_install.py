"""Báo cáo → Cài bộ biểu mẫu của tỉnh… (issue 12 §2) on real message boxes: what the kit
changes is shown before anything is installed, "Hủy" installs nothing, a refused file is said."""

from __future__ import annotations

import tomllib

from cchc_desktop.core.catalog import BUILTIN_DIR, CatalogRegistry
from cchc_desktop.formats.catalog_kit import write_kit
from cchc_desktop.gui.catalog_install_dialog import install_catalog
from tests.test_catalog_install import edit_kit
from tests.test_gui_recovery import answer_boxes


def _kit(tmp_path, **changes):
    path = tmp_path / "kit.xlsx"
    write_kit(tomllib.loads((BUILTIN_DIR / "xa-2025.1.toml").read_text("utf-8")), path)
    return edit_kit(path, **changes)


def test_the_clerk_sees_the_changes_then_installs(qtbot, tmp_path):
    registry = CatalogRegistry()
    kit = _kit(tmp_path, relabel=("bm4.3", "Số người hoạt động không chuyên trách cấp xã"))
    seen: list[str] = []
    answer_boxes(["Hủy"], seen)
    assert install_catalog(None, registry, kit) is None
    assert "Đổi tên dòng (1)" in seen[0] and "các báo cáo đã có vẫn giữ bộ biểu mẫu của mình" in seen[0]
    assert registry.latest().version == "2025.1"
    answer_boxes(["Cài bộ biểu mẫu", None], seen)
    installed = install_catalog(None, registry, kit)
    assert installed is not None and installed.is_file()
    assert "Đã cài bộ biểu mẫu xa phiên bản 2026.1" in seen[-1]
    assert CatalogRegistry().latest().indicators["bm4.3"].label == "Số người hoạt động không chuyên trách cấp xã"


def test_a_refused_file_is_said_and_changes_nothing(qtbot, tmp_path):
    registry = CatalogRegistry()
    fake = tmp_path / "bo-bieu-mau.xlsx"
    fake.write_text("không phải bảng tính")
    seen: list[str] = []
    answer_boxes([None], seen)
    assert install_catalog(None, registry, fake) is None
    assert "Chưa cài bộ biểu mẫu trong tệp bo-bieu-mau.xlsx" in seen[0] and "không phải bảng tính Excel" in seen[0]
    assert registry.versions() == ["2025.1"]


def test_the_window_offers_it_in_the_report_menu(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.gui.app import style
    from cchc_desktop.gui.main_window import MainWindow
    from tests.test_gui_helpers import data_dir, open_store

    style(QApplication.instance())
    store, registry = open_store()
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    kit = _kit(tmp_path)
    monkeypatch.setattr("cchc_desktop.gui.catalog_install_dialog.choose_file", lambda parent: kit)
    seen: list[str] = []
    answer_boxes(["Cài bộ biểu mẫu", None], seen)
    assert win.act_catalog.text() == "Cài bộ biểu mẫu của tỉnh…"
    win.act_catalog.trigger()
    assert registry.latest().version == "2026.1"
    assert "2026.1" in win.statusBar().currentMessage()
    win.close()
    store.close()
