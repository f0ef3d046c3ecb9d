"""The whole sample report typed from an empty one by keyboard alone — Enter and Tab through
the seven forms — ends with exactly the sample's validation result; then the clerk fixes the
one real inconsistency and marks the report complete, still without the mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cchc_desktop.core.engine import validator_for
from cchc_desktop.gui.app import style
from cchc_desktop.gui.main_window import MainWindow
from cchc_desktop.services.reports import create_report
from tests.test_gui_helpers import data_dir, on_disk, open_store, show_window


def test_the_whole_sample_typed_by_keyboard(qtbot, catalog, sample_values):
    style(QApplication.instance())
    store, registry = open_store()
    try:
        rid = create_report(store, registry, 2023, "nam")
        win = show_window(qtbot, store, registry, rid)
        win.view.focus_first_input()

        inputs = [i for i in catalog.indicators.values() if i.is_input]
        for n, ind in enumerate(inputs):
            here = QApplication.focusWidget()
            assert here.objectName() == ind.id, f"expected the cursor in {ind.id}, it is in {here.objectName()}"
            if ind.sample is not None:
                QTest.keyClicks(here, ind.sample)  # digits: a code picks its label in a drop-down
            # alternate the keys a clerk uses to move on; only Tab leaves a form's last cell:
            # Enter there stays in the form and says so
            last = n + 1 == len(inputs) or inputs[n + 1].form != ind.form
            if last and n + 1 < len(inputs):
                QTest.keyClick(here, Qt.Key_Return)
                assert QApplication.focusWidget() is here and "Bấm Tab để sang" in win.statusBar().currentMessage()
            QTest.keyClick(here, Qt.Key_Tab if last else (Qt.Key_Return, Qt.Key_Tab, Qt.Key_Down)[n % 3])

        expected = validator_for(catalog).state(sample_values)
        state = win.session.state
        assert sorted(state.issues) == sorted(expected.issues) == ["bm5.5#1"]
        assert state.derived_texts() == expected.derived_texts()
        for ident, text in sample_values.items():
            assert on_disk(store.path, rid, ident) == text, ident

        # Ctrl+F to Biểu mẫu 4, dòng 3 — "bm4.3", the form and the STT — type 11, Esc: the one
        # error is gone; then mark complete
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_F, Qt.ControlModifier)
        QTest.keyClicks(QApplication.focusWidget(), "bm4.3")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Return)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Escape)
        assert QApplication.focusWidget().objectName() == "bm4.3"
        QTest.keyClicks(QApplication.focusWidget(), "11")
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Return)
        assert state.issues == {}
        asked = []

        def answer_the_question():  # no prose written: the window lists what is empty and asks
            box = QApplication.activeModalWidget()
            asked.append(box.windowTitle())
            next(b for b in box.buttons() if b.text() == "Vẫn đánh dấu hoàn thành").click()

        QTimer.singleShot(0, answer_the_question)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_H, Qt.ControlModifier | Qt.ShiftModifier)
        assert asked == ["Báo cáo còn chỗ trống"]
        assert win.session.report["status"] == "complete"
        assert store.get_report(rid)["status"] == "complete"
        assert "đã hoàn thành" in win.windowTitle()
        win.close()
    finally:
        store.close()


def test_shift_tab_and_up_go_back_across_forms(qtbot):
    style(QApplication.instance())
    store, registry = open_store()
    try:
        rid = create_report(store, registry, 2024, "quy1")
        win = MainWindow(store, data_dir(), registry)
        qtbot.addWidget(win)
        win.open_report(rid)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
        first_of_2 = win.view.focus_first_input(2)
        QTest.keyClick(first_of_2, Qt.Key_Backtab, Qt.ShiftModifier)
        assert QApplication.focusWidget().objectName() == "bm1.7"  # last input of Biểu mẫu 1
        assert win.view.currentWidget().objectName() == "tab:chi_dao"
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Up)
        assert QApplication.focusWidget().objectName() == "bm1.6.3"  # 1.6.4 is computed: skipped
        first_of_3 = win.view.focus_first_input(3)
        QTest.keyClick(first_of_3, Qt.Key_Up)  # an arrow at a form's first cell stays there
        assert QApplication.focusWidget() is first_of_3
        win.close()
    finally:
        store.close()


def test_f6_moves_between_the_form_and_its_prose(qtbot):
    from cchc_desktop.gui.report_picker import open_sample

    style(QApplication.instance())
    store, registry = open_store()
    try:
        win = MainWindow(store, data_dir(), registry)
        qtbot.addWidget(win)
        win.open_report(open_sample(store, registry))
        win.show()
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
        cell = win.view.focus_first_input(3)
        QTest.keyClick(cell, Qt.Key_F6)
        assert QApplication.focusWidget().objectName() == "narrative:II.2"
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_F6)
        assert QApplication.focusWidget() is cell
        win.close()
    finally:
        store.close()


def test_tab_on_thong_tin_chung_follows_the_order_the_guide_gives(qtbot):
    """The guide (F1, "Phím tắt") writes this order down; keyboard-only reaches every box."""
    from PySide6.QtWidgets import QLineEdit

    from cchc_desktop.gui.guide_dialog import guide_html
    from cchc_desktop.gui.report_picker import open_sample

    store, registry = open_store()
    try:
        win = show_window(qtbot, store, registry, open_sample(store, registry))
        win.view.setCurrentIndex(0)
        win.view.widget(0).findChild(QLineEdit, "header:number").setFocus(Qt.TabFocusReason)
        seen = []
        for _ in range(10):
            seen.append(QApplication.focusWidget().objectName())
            QTest.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        assert seen == ["header:number", "header:date", "header:recipients", "report:window_start",
                        "report:window_end", "header:signing_authority", "header:authority_line",
                        "header:signer_title", "header:signer_name", "header:cc"]
        assert "Số văn bản → Ngày → Kính gửi → thời gian chốt số liệu" in " ".join(guide_html().split())
        win.close()
    finally:
        store.close()
