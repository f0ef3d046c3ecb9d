"""After a restart, a power cut or a crash the window opens where the clerk was: the report,
its tab, the box with the cursor and the cursor's place in it (issue 10 §6). Real window,
real settings file beside a real data file; the crash is a real SIGKILL of a child process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from hypothesis import given, strategies as st
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.main_window import PLACE_DELAY_MS, SETTINGS_FILE, MainWindow
from cchc_desktop.gui.place import SETTING, Place, box_kind
from cchc_desktop.services.reports import create_report
from tests.conftest import ROOT
from tests.test_gui_helpers import data_dir, open_store, show_window, type_text


def _restart(qtbot, store, registry) -> MainWindow:
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.start()
    return win


def _focused():
    return QApplication.focusWidget()


def test_a_closed_window_reopens_in_the_note_the_clerk_was_typing(qtbot):
    store, registry = open_store()
    create_report(store, registry, 2025, "quy1")
    rid = create_report(store, registry, 2025, "nam")
    win = show_window(qtbot, store, registry, rid)
    win.view.reveal("bm3.3.1", "note")
    type_text(_focused(), "theo hệ thống một cửa")
    _focused().setCursorPosition(4)
    win.close()

    again = _restart(qtbot, store, registry)
    assert again.session.report_id == rid
    assert again.view.catalog.tabs[again.view.currentIndex()].id == "tthc"
    box = _focused()
    assert box.objectName() == "bm3.3.1:note" and box.cursorPosition() == 4 and not box.hasSelectedText()
    again.close()
    store.close()


def test_a_killed_program_reopens_in_the_section_being_written(qtbot):
    """The clerk types in II.2, the cursor rests, the power goes: SIGKILL, no close event."""
    folder = data_dir()
    script = textwrap.dedent(f"""
        import os, signal
        from PySide6.QtWidgets import QApplication
        from PySide6.QtTest import QTest
        from cchc_desktop.core.catalog import CatalogRegistry
        from cchc_desktop.gui.main_window import MainWindow
        from cchc_desktop.services.reports import create_report
        from cchc_desktop.storage.store import Store
        app = QApplication([])
        store = Store.open({str(folder)!r}); registry = CatalogRegistry()
        win = MainWindow(store, {str(folder)!r}, registry); win.resize(1366, 768); win.show()
        win.activateWindow(); QTest.qWaitForWindowActive(win)
        win.open_report(create_report(store, registry, 2025, "nam"))
        win.view.reveal_section("II.2")
        editor = QApplication.focusWidget()
        editor.insertPlainText("Năm 2025, xã tiếp nhận hồ sơ.")
        cursor = editor.textCursor(); cursor.setPosition(9); editor.setTextCursor(cursor)
        QTest.qWait({PLACE_DELAY_MS} + 800)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = {k: v for k, v in os.environ.items()} | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == -9, done.stderr
    store, registry = open_store()
    again = _restart(qtbot, store, registry)
    assert again.view.catalog.tabs[again.view.currentIndex()].id == "tthc"
    box = _focused()
    assert box.objectName() == "narrative:II.2" and box.textCursor().position() == 9
    again.close()
    store.close()


def test_the_place_follows_each_report_and_a_stale_one_opens_the_tab_start(qtbot):
    store, registry = open_store()
    first = create_report(store, registry, 2025, "nam")
    second = create_report(store, registry, 2025, "quy1")
    win = show_window(qtbot, store, registry, first)
    win.view.reveal("bm5.1")
    win.open_report(second)  # another report: the first one's place was kept on the way
    win.view.reveal_section("I.3")
    win.open_report(first)
    assert _focused().objectName() == "bm5.1"
    win.open_report(second)
    assert _focused().objectName() == "narrative:I.3"
    win.close()
    settings = QSettings(str(data_dir() / SETTINGS_FILE), QSettings.IniFormat)
    settings.setValue(SETTING.format(report_id=first), Place("cong_vu", "bm9.9.9", 3).dumps())  # no such row
    settings.setValue(SETTING.format(report_id=second), "{không phải json")
    settings.sync()
    again = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(again)
    again.show()
    again.open_report(first)
    assert again.view.catalog.tabs[again.view.currentIndex()].id == "cong_vu"  # the tab still exists
    again.open_report(second)
    assert again.view.currentIndex() == 0  # nothing usable: the first tab, as for a new report
    again.close()
    store.close()


def test_the_samples_place_is_never_kept(qtbot):
    store, registry = open_store()
    win = MainWindow(store, data_dir(), registry)
    qtbot.addWidget(win)
    win.open_sample_report()
    win.view.reveal("bm2.1")
    qtbot.wait(PLACE_DELAY_MS + 200)
    win.close()
    keys = QSettings(str(data_dir() / SETTINGS_FILE), QSettings.IniFormat).allKeys()
    assert not [k for k in keys if k.startswith("place")]
    store.close()


@given(st.one_of(st.text(), st.integers(), st.none(), st.builds(lambda d: __import__("json").dumps(d),
                                                                   st.dictionaries(st.text(), st.integers() | st.text()))))
def test_any_stored_text_is_a_place_or_none(text):
    place = Place.loads(text)
    assert place is None or (isinstance(place.tab, str) and isinstance(place.box, str) and place.cursor >= 0)
    if place is not None:
        assert Place.loads(place.dumps()) == place


def test_box_names():
    known = {"bm3.3.1"}.__contains__
    assert box_kind("bm3.3.1", known) == ("value", "bm3.3.1")
    assert box_kind("bm3.3.1:note", known) == ("note", "bm3.3.1")
    assert box_kind("narrative:II.2", known) == ("narrative", "II.2")
    assert box_kind("header:so", known) == ("header", "so")
    assert box_kind("bm9.9:note", known) is None and box_kind("checkColumn", known) is None
    assert box_kind("narrative:", known) is None and box_kind("bm3.3.1:value", known) is None
