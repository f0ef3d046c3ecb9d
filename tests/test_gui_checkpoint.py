"""Clerks back up by copying cchc.sqlite alone, while the window is open. The window folds the
WAL back into that file ≤ 2 s after an edit — during steady typing too — so such a copy holds
every edit older than 2 s."""

from __future__ import annotations

import shutil
import sqlite3
import time

from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.app import style
from cchc_desktop.gui.editing import CHECKPOINT_MS, SAVE_MAX_WAIT_MS
from cchc_desktop.gui.report_picker import open_sample
from tests.test_gui_helpers import open_store, show_window, type_text


def copy_of_the_file_alone(path, tmp_path):
    copy = tmp_path / f"copy-{time.monotonic_ns()}.sqlite"
    shutil.copyfile(path, copy)  # no -wal, no -shm: what a clerk's Explorer copy of one file takes
    con = sqlite3.connect(copy)
    try:
        values = dict(con.execute("SELECT indicator_id, raw FROM report_values"))
        texts = dict(con.execute("SELECT section_id, text FROM narratives"))
    finally:
        con.close()
    return values, texts


def test_a_copy_of_the_data_file_alone_holds_every_edit_older_than_two_seconds(qtbot, tmp_path):
    assert CHECKPOINT_MS + SAVE_MAX_WAIT_MS <= 2500  # the worst case a prose keystroke waits
    style(QApplication.instance())
    store, registry = open_store()
    try:
        window = show_window(qtbot, store, registry, open_sample(store, registry))
        window.view.reveal("bm4.3")
        cell = QApplication.focusWidget()
        cell.selectAll()
        type_text(cell, "11")
        window.view.reveal_section("II.2")
        editor = window.view.pane("II.2").editors["II.2"]
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        type_text(editor, " Câu mới.")
        qtbot.wait(2500)
        values, texts = copy_of_the_file_alone(store.path, tmp_path)
        assert values["bm4.3"] == "11" and texts["II.2"].endswith(" Câu mới.")

        # steady typing, never a pause: what was typed more than 2 s ago is in the file alone
        typed_at = []
        while len(typed_at) < 30:
            type_text(editor, "x")
            typed_at.append(time.monotonic())
            qtbot.wait(150)
        copied_at = time.monotonic()
        values, texts = copy_of_the_file_alone(store.path, tmp_path)
        older = sum(1 for at in typed_at if copied_at - at > 2.0)
        assert older >= 10 and texts["II.2"].count("x") >= older, (texts["II.2"][-40:], older)
        window.close()
        values, texts = copy_of_the_file_alone(store.path, tmp_path)
        assert texts["II.2"].endswith("x" * len(typed_at))  # at close: everything
    finally:
        store.close()
