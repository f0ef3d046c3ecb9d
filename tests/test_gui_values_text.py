"""The "Chèn số liệu" menu of the prose shows each row's figure as the report prints it: it used to
show the raw text ("[1097]" beside a cell reading "1.097", "[1]" for Đạt); now "1.097", "99,05%",
"Đạt", and "(trống)" for a blank row."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMenu

from cchc_desktop.core.numbers import PRINTED, format_value
from cchc_desktop.gui.app import style
from cchc_desktop.gui.report_picker import open_sample
from tests.test_gui_helpers import open_store, show_window


@pytest.fixture
def window(qtbot):
    store, registry = open_store()
    style(QApplication.instance())
    yield show_window(qtbot, store, registry, open_sample(store, registry))
    store.close()


def _menu_labels(window, form_number: int) -> dict[str, str]:
    view = window.view
    index = next(i for i, tab in enumerate(window.session.catalog.tabs) if tab.sections)
    view.ensure_tab(index)
    pane = next(iter(view.panes.values()))
    form = window.session.catalog.forms[form_number]
    sub = QMenu()
    pane._fill_form_menu(sub, form)
    shown = {}
    texts = [a.text() for a in sub.actions()]
    rows = [i for i in form.indicators if window.session.catalog.indicators[i].kind != "heading"]
    assert len(texts) == len(rows)
    for ident, text in zip(rows, texts):
        shown[ident] = text[text.rindex(" — ") + 3:]
    return shown


def test_the_insert_menu_shows_each_figure_as_its_cell_does(qtbot, window):
    window.session.set_value("bm3.3.1.2", "1097")
    window.session.set_value("bm3.3.1.3", "")
    state = window.session.state
    shown = _menu_labels(window, 3)
    assert shown["bm3.3.1.2"] == "1.097"  # not the raw "1097"
    assert shown["bm3.3.1.3"] == "(trống)"
    catalog = window.session.catalog
    percents = [i for i in shown if catalog.indicators[i].kind == "percent" and state.values.get(i) is not None]
    assert percents, "the sample has computed percentages in Biểu mẫu 3"
    for ident, text in shown.items():
        value = state.values.get(ident)
        ind = catalog.indicators[ident]
        want = ("(trống)" if value is None else ind.codes[value] if ind.codes
                else format_value(ind.kind, value, PRINTED))
        assert text == want, ident
    assert all(shown[i].endswith("%") for i in percents)


def test_the_insert_menu_names_a_flag_by_its_label(qtbot, window):
    catalog = window.session.catalog
    form_number, ident = next((n, i) for n, form in catalog.forms.items() for i in form.indicators
                              if catalog.indicators[i].codes and not catalog.indicators[i].formula)
    codes = catalog.indicators[ident].codes
    code = next(iter(codes))
    window.session.set_value(ident, str(code))
    assert _menu_labels(window, form_number)[ident] == codes[code]  # "Có" / "Đạt", not "1"
