"""Kiểm tra và xuất tells the truth about how much is written (issue 10 §2), on the real window."""

from __future__ import annotations

import pytest



@pytest.fixture
def window(sample_window):
    return sample_window


def check_tab(win):
    check = win.view.check_tab()
    check.update_all()
    return check


def test_a_partly_filled_form_shows_how_far_and_never_the_green_tick(qtbot, window):
    check = check_tab(window)
    s = window.session
    for row, form in enumerate(s.catalog.forms.values()):
        filled, inputs, mine = s.state.form_progress(form.number)
        assert check.table.item(row, 1).text() == f"{filled}/{inputs} còn thiếu"
        assert "dòng còn trống" in check.table.item(row, 1).toolTip()
        if not mine:  # no issue, but rows missing: no ✓
            assert check.table.item(row, 0).icon().isNull()
    assert "Phần lời: " in check.summary.text()


def test_an_empty_form_says_empty_and_a_full_one_gets_its_tick(qtbot, window):
    s = window.session
    inputs = [i for i in s.catalog.forms[2].indicators if s.catalog.indicators[i].is_input]
    for ident in inputs:
        s.set_value(ident, "")
    check = check_tab(window)
    row = list(s.catalog.forms).index(2)
    assert check.table.item(row, 1).text() == f"0/{len(inputs)} chưa nhập" and check.table.item(row, 0).icon().isNull()
    for ident in inputs:
        ind = s.catalog.indicators[ident]
        s.set_value(ident, "0" if ind.kind != "choice" else next(iter(ind.codes)).__str__())
    check = check_tab(window)
    _, _, mine = s.state.form_progress(2)
    assert check.table.item(row, 1).text() == f"{len(inputs)}/{len(inputs)} đủ số liệu"
    assert mine or not check.table.item(row, 0).icon().isNull()


def test_marking_complete_lists_what_is_empty_and_asks_first(qtbot, window, monkeypatch):
    asked = []

    def answer(parent, title, text, **kw):
        asked.append((title, text, kw.get("yes")))
        return False

    monkeypatch.setattr("cchc_desktop.gui.check_tab.ask", answer)
    check = check_tab(window)
    check.mark_complete()
    (title, text, yes), = asked
    assert title == "Báo cáo còn chỗ trống" and yes == "Vẫn đánh dấu hoàn thành"
    assert "Biểu mẫu 1 (" in text and "trống dòng" in text and "có thể để trống" in text
    assert window.session.report["status"] == "draft"  # "Không": nothing changed


def test_the_header_tab_says_the_deadline(qtbot, window):
    """Công văn 581: the report is due by the 20th of the period's last month."""
    import datetime as dt

    from cchc_desktop.core.periods import deadline_text, get_period

    label = window.view.header_tab.deadline
    assert label.text() == deadline_text(get_period("nam"), 2023, dt.date.today())
    assert label.text().startswith("Hạn gửi: 20/12/2023 — ")


def _complete(s):
    s.set_value("bm4.3", "11")  # the sample's one error fixed
    s.mark_complete()
    assert s.report["status"] == "complete"


@pytest.mark.parametrize("edit", ["value", "header", "window"])
def test_any_edit_of_a_complete_report_reopens_it_and_the_window_says_why(qtbot, window, edit):
    s = window.session
    _complete(s)
    assert window.notice.isHidden()
    if edit == "value":
        window.controller.edit("value", "bm3.1.2", "9")
        said = "Biểu mẫu 3, dòng 1.2"
    elif edit == "header":
        window.controller.update_report(header={"number": "279"})
        said = "phần đầu báo cáo"
    else:
        window.controller.update_report(window_end="2023-11-30")
        said = "thời gian chốt số liệu"
    assert s.report["status"] == "draft" and s.store.get_report(s.report_id)["status"] == "draft"
    assert window.notice.isVisible() and said in window.notice.text() and "mở lại" in window.notice.text()


def test_the_mark_can_be_taken_off_on_purpose(qtbot, window):
    s = window.session
    _complete(s)
    check = check_tab(window)
    assert check.complete_button.text() == "Bỏ đánh dấu hoàn thành" and check.complete_button.isEnabled()
    check.complete_button.click()
    assert s.store.get_report(s.report_id)["status"] == "draft" and window.notice.isHidden()
    assert check.complete_button.text() == "Đánh dấu hoàn thành"
