"""Ctrl+F lands somewhere sensible on every row of the built-in catalog, by STT and by words:
an input gets the cursor, a computed percentage is selected and said to be computed (it used
to raise in the form's event filter, and the error dialog came back after every "Tiếp tục"),
a heading sends the cursor to the first row under it. The form's keys carry on from a
computed cell as from any other."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cchc_desktop.gui.cells import CodeCombo, DerivedValue, ValueEdit
from cchc_desktop.gui.row_search import fold, landing_row
from tests.test_gui_helpers import type_text

EDITOR_OF_KIND = {"count": ValueEdit, "money": ValueEdit, "flag": CodeCombo, "choice": CodeCombo,
                  "percent": DerivedValue}


@pytest.fixture
def window(sample_window):
    return sample_window


def find(win, query: str, ident: str) -> str:
    """Ctrl+F, type `query`, Enter until `ident` is the current match; the bar's answer."""
    QTest.keyClick(QApplication.focusWidget() or win, Qt.Key_F, Qt.ControlModifier)
    bar = win.find_bar
    assert QApplication.focusWidget() is bar.edit
    type_text(bar.edit, query)  # replaces the selected previous query
    assert ident in bar.matches, (query, ident, bar.matches)
    for _ in range(bar.matches.index(ident) + 1):
        QTest.keyClick(bar.edit, Qt.Key_Return)
    assert bar.matches[bar.pos] == ident and QApplication.focusWidget() is bar.edit
    return bar.result.text()


def assert_landed(win, ident: str, answer: str) -> None:
    catalog = win.session.catalog
    ind = catalog.indicators[ident]
    target = catalog.indicators[landing_row(catalog, ident)]
    QTest.keyClick(win.find_bar.edit, Qt.Key_Escape)
    here = QApplication.focusWidget()
    assert here is not None and here.objectName() == target.id, (ident, here and here.objectName())
    assert isinstance(here, EDITOR_OF_KIND[target.kind]), ident
    assert win.view.currentIndex() == win.view.tab_of_form[ind.form], ident
    assert not here.visibleRegion().isEmpty(), f"{ident}: the cell is scrolled out of sight"
    if ind.kind == "heading":
        assert "tiêu đề nhóm" in answer and target.stt in answer, answer
    elif ind.is_derived:
        assert "tự tính" in answer and "không nhập" in answer, answer
        assert here.selectedText() == here.text()  # the figure is selected: the landing shows
        assert "tự tính" in here.toolTip()
    else:
        assert catalog.row_name(ident) in answer, answer


def words_of(label: str) -> str:
    """The label as a clerk without Unikey types it: no accents, no punctuation."""
    return " ".join(w for w in fold(label).split() if w.isascii() and w.isalnum())


def test_the_rows_of_the_issue(qtbot, window):
    assert_landed(window, "bm3.3.5", find(window, "3.5", "bm3.3.5"))  # STT within Biểu mẫu 3
    assert_landed(window, "bm3.3.5", find(window, "bm3.3.5", "bm3.3.5"))  # the id: that row alone
    assert window.find_bar.matches == ["bm3.3.5"]
    assert_landed(window, "bm1.6.4", find(window, "ty le hai long", "bm1.6.4"))
    assert_landed(window, "bm1.6.4", find(window, "tỷ lệ hài lòng", "bm1.6.4"))  # with Unikey


def test_every_row_by_stt(qtbot, window):
    catalog = window.session.catalog
    assert {i.kind for i in catalog.indicators.values()} == {*EDITOR_OF_KIND, "heading"}
    for ident, ind in catalog.indicators.items():
        assert_landed(window, ident, find(window, ind.stt, ident))


def test_every_row_by_words(qtbot, window):
    for ident, ind in window.session.catalog.indicators.items():
        assert_landed(window, ident, find(window, words_of(ind.label), ident))


def test_keys_carry_on_from_a_computed_cell(qtbot, window):
    catalog = window.session.catalog
    find(window, "3.5", "bm3.3.5")
    QTest.keyClick(window.find_bar.edit, Qt.Key_Escape)
    rate = QApplication.focusWidget()
    assert rate.objectName() == "bm3.3.5"
    form = catalog.forms[3].indicators
    inputs = [i for i in form if catalog.indicators[i].is_input]
    before = [i for i in inputs if form.index(i) < form.index("bm3.3.5")][-1]
    after = [i for i in inputs if form.index(i) > form.index("bm3.3.5")][0]
    for key, mods, expected in ((Qt.Key_Down, Qt.NoModifier, after), (Qt.Key_Return, Qt.NoModifier, after),
                                (Qt.Key_Tab, Qt.NoModifier, after), (Qt.Key_Up, Qt.NoModifier, before),
                                (Qt.Key_Backtab, Qt.ShiftModifier, before)):
        rate.setFocus(Qt.OtherFocusReason)
        QTest.keyClick(rate, key, mods)
        assert QApplication.focusWidget().objectName() == expected, (key, QApplication.focusWidget().objectName())
    rate.setFocus(Qt.OtherFocusReason)
    QTest.keyClick(rate, Qt.Key_Right)
    assert QApplication.focusWidget().objectName() == "bm3.3.5:note"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Left)
    assert QApplication.focusWidget() is rate


def test_a_click_on_a_computed_cell_selects_it_and_typing_changes_nothing(qtbot, window):
    table = window.view.table(1)
    window.view.setCurrentIndex(window.view.tab_of_form[1])
    rate = table.cells["bm1.6.4"].editor
    window.view.scrolls[1].ensureWidgetVisible(rate)
    shown = rate.text()
    QTest.mouseClick(rate, Qt.LeftButton, pos=rate.rect().center())
    assert QApplication.focusWidget() is rate
    assert "Biểu mẫu 1, dòng 6.4 do chương trình tự tính" in window.statusBar().currentMessage()
    QTest.keyClicks(rate, "12")
    assert rate.text() == shown and window.session.state.derived_text("bm1.6.4") + "%" == shown


def test_an_stt_finds_that_row_of_every_form_and_an_id_one_row():
    """The STT is numbered within each form: "3.1" is bm1.3.1, bm2.3.1, bm3.3.1 … (never bm3.1,
    which is "1" of Biểu mẫu 3); the id names one row."""
    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.gui.row_search import find_rows

    catalog = CatalogRegistry().latest()
    found = find_rows(catalog, "3.1")
    exact = [i for i in found if catalog.indicators[i].stt == "3.1"]
    assert exact == found[:len(exact)] and {"bm1.3.1", "bm2.3.1", "bm3.3.1"} <= set(exact)
    assert "bm3.1" not in found and all(catalog.indicators[i].stt.startswith("3.1") for i in found)
    assert find_rows(catalog, "bm3.3.1") == ["bm3.3.1"] and find_rows(catalog, "BM3.3.1") == ["bm3.3.1"]


def test_matches_start_at_the_form_on_screen():
    # "3.1" typed on Biểu mẫu 3 is its own row 3.1 first, then the later forms', then the earlier
    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.gui.row_search import find_rows

    catalog = CatalogRegistry().latest()
    everywhere = find_rows(catalog, "3.1")
    on_3 = find_rows(catalog, "3.1", from_form=3)
    assert sorted(on_3) == sorted(everywhere) and on_3[0] == "bm3.3.1"
    exact = [i for i in on_3 if catalog.indicators[i].stt == "3.1"]
    assert [catalog.indicators[i].form for i in exact] == sorted(
        (catalog.indicators[i].form for i in exact), key=lambda f: (f < 3, f))
    words = find_rows(catalog, "hồ sơ", from_form=5)
    assert sorted(words) == sorted(find_rows(catalog, "hồ sơ"))
    forms = [catalog.indicators[i].form for i in words]
    assert forms == sorted(forms, key=lambda f: (f < 5, f))
    assert find_rows(catalog, "bm3.3.1", from_form=5) == ["bm3.3.1"]


def test_ctrl_f_on_a_form_goes_to_that_forms_row_first(qtbot, window):
    tab = next(n for n, t in enumerate(window.session.catalog.tabs) if t.forms == (3,))
    window.view.setCurrentIndex(tab)
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key_F, Qt.ControlModifier)
    bar = window.find_bar
    type_text(bar.edit, "3.1")
    QTest.keyClick(bar.edit, Qt.Key_Return)
    assert bar.matches[bar.pos] == "bm3.3.1" and "Biểu mẫu 3, dòng 3.1" in bar.result.text()
    QTest.keyClick(bar.edit, Qt.Key_Escape)
    window.view.setCurrentIndex(0)  # Thông tin chung: no form, so every form's row in order
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key_F, Qt.ControlModifier)
    type_text(bar.edit, "3.1")
    QTest.keyClick(bar.edit, Qt.Key_Return)
    assert bar.matches[bar.pos] == "bm1.3.1"
