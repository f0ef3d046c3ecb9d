""""Soạn đoạn mẫu" in the window: the sentences come from the report's catalog; on a province
catalog without a drafts file the button explains in Vietnamese that there are none."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from cchc_desktop.core.catalog import BUILTIN_DIR
from cchc_desktop.services.reports import create_report
from tests.test_gui_helpers import answer_next_message_box, data_dir, open_store, show_window


def test_the_draft_button_inserts_the_catalogs_sentence(sample_window):
    sample_window.view.reveal_section("II.2")
    pane = sample_window.view.pane("II.2")
    pane.select("II.2")
    editor = pane.editors["II.2"]
    editor.setPlainText("")
    assert pane.draft_button.isEnabled()
    QTest.mouseClick(pane.draft_button, Qt.LeftButton)
    assert editor.toPlainText().startswith("- Trong kỳ báo cáo, tổng số hồ sơ TTHC tiếp nhận là {bm3.3.1} hồ sơ")


def test_on_a_catalog_without_drafts_the_button_says_there_are_none(qtbot):
    folder = data_dir() / "catalogs"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "xa-2026.1.toml").write_text((BUILTIN_DIR / "xa-2025.1.toml").read_text(encoding="utf-8")
                                           .replace('version = "2025.1"', 'version = "2026.1"', 1), encoding="utf-8")
    store, registry = open_store()
    try:
        rid = create_report(store, registry, 2026, "nam")
        assert store.get_report(rid)["catalog_version"] == "2026.1"
        win = show_window(qtbot, store, registry, rid)
        win.view.reveal_section("II.2")
        pane = win.view.pane("II.2")
        pane.select("II.2")
        assert pane.draft_button.isEnabled()
        seen: list[str] = []
        answer_next_message_box(QMessageBox.Ok, seen)
        QTest.mouseClick(pane.draft_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: bool(seen))
        assert "không kèm đoạn mẫu" in seen[0] and "xa-2026.1.drafts.toml" in seen[0]
        assert pane.editors["II.2"].toPlainText() == ""
        win.close()
    finally:
        store.close()


def test_a_tab_of_several_sections_says_which_are_still_empty(qtbot):
    """Issue 10 §5: the chooser of a multi-section tab marks the sections not written yet,
    and the mark follows typing and undo."""
    from PySide6.QtWidgets import QApplication

    from cchc_desktop.gui.app import style
    from cchc_desktop.gui.narrative_pane import EMPTY_SUFFIX, NarrativePane
    from cchc_desktop.services.reports import create_report
    from tests.test_gui_helpers import open_store, show_window, type_text

    style(QApplication.instance())
    store, registry = open_store()
    try:
        win = show_window(qtbot, store, registry, create_report(store, registry, 2024, "nam"))
        pane = next(p for p in set(win.view.panes.values()) if len(p.sections) > 1)
        texts = [pane.chooser.itemText(i) for i in range(pane.chooser.count())]
        assert all(t.endswith(EMPTY_SUFFIX) for t in texts)  # a new report: nothing written
        editor = pane.current_editor
        editor.setFocus()
        type_text(editor, "- Đã ban hành kế hoạch")
        assert not pane.chooser.itemText(0).endswith(EMPTY_SUFFIX)
        assert all(pane.chooser.itemText(i).endswith(EMPTY_SUFFIX) for i in range(1, pane.chooser.count()))
        win.controller.flush()
        win.undo()
        assert pane.chooser.itemText(0).endswith(EMPTY_SUFFIX)
        assert isinstance(pane, NarrativePane)
        win.close()
    finally:
        store.close()
