"""Thông tin chung's rules without a window (core/header.py): dates read as the clerk types
them, the data window checked, only what changed saved, what was typed wrongly kept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_desktop.core.header import (HeaderForm, defaults_after_switch, header_changes, header_form, lines,
                                      read_date, window_hint)
from cchc_desktop.core.numbers import format_date_short

REPORT = {"year": 2025, "period": "quy1", "window_start": "2024-12-15", "window_end": "2025-03-14",
          "header": {"number": "", "date": "", "recipients": [], "cc": [], "signing_authority": "TM.",
                     "authority_line": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH", "signer_name": ""}}


def form_of(report: dict = REPORT, **typed) -> HeaderForm:
    return HeaderForm(**{**header_form(report).__dict__, **typed})


@pytest.mark.parametrize("text, iso, error", [
    ("", "", ""),
    ("   ", "", ""),
    ("15/12/2024", "2024-12-15", ""),
    ("5/1/2026", "2026-01-05", ""),
    (" 05/01/2026 ", "2026-01-05", ""),
    ("29/02/2024", "2024-02-29", ""),
    ("29/02/2025", "", "không có trên lịch"),
    ("31/02/2023", "", "không có trên lịch"),
    ("2025-03-14", "", "ngày/tháng/năm"),
    ("14/3", "", "ngày/tháng/năm"),
    ("mười lăm", "", "ngày/tháng/năm"),
])
def test_a_date_is_read_as_typed_or_explained(text, iso, error):
    typed = read_date(text)
    assert (typed.text, typed.iso) == (text, iso)
    assert typed.ok == (not error) and error in typed.error


@given(st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)), st.booleans())
def test_every_calendar_date_reads_back_padded_or_not(day, padded):
    text = format_date_short(day) if padded else f"{day.day}/{day.month}/{day.year}"
    assert read_date(text).iso == day.isoformat()


@given(st.text(max_size=30))
def test_any_text_gets_an_answer_never_an_exception(text):
    typed = read_date(text)
    assert typed.text == text
    if typed.ok:
        assert typed.iso == "" or dt.date.fromisoformat(typed.iso)
    else:
        assert typed.iso == "" and "Hãy" in typed.error  # says what to do


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)), st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_a_window_ending_before_it_starts_is_always_said_and_only_then(start, end):
    hint = window_hint(start.isoformat(), end.isoformat())  # no period: only the order is checked
    assert (hint is not None) == (start > end)
    if hint:
        assert hint.field == "window_end" and format_date_short(start) in hint.message


@pytest.mark.parametrize("start, end, field, said", [
    ("2024-12-15", "2025-03-14", None, ""),  # the Decree's window for Quý I 2025
    ("2025-01-01", "2025-02-28", None, ""),  # a shorter one a province asked for
    ("2025-12-15", "2025-03-14", "window_end", "sau ngày kết thúc"),
    ("2023-12-15", "2025-03-14", "window_start", "15/12/2023"),  # the year typed wrong
    ("2024-12-15", "2026-03-14", "window_end", "14/03/2026"),
    ("2024-12-15", "2025-06-14", "window_end", "Quý I 2025"),  # reaches into the next period
    ("", "", None, ""),
    ("2024-12-15", "", None, ""),
])
def test_the_window_is_checked_against_the_period(start, end, field, said):
    hint = window_hint(start, end, 2025, "quy1")
    assert (hint.field if hint else None) == field
    assert said in (hint.message if hint else "")


def test_a_report_of_an_unknown_period_has_only_its_order_checked():
    assert window_hint("2024-12-15", "2030-01-01", 2025, "quy9") is None


def test_nothing_changed_saves_nothing():
    result = header_changes(form_of(), REPORT)
    assert result.fields == {} and result.message == "" and result.hint is None


def test_only_changed_header_fields_are_saved_and_lists_are_one_a_line():
    result = header_changes(form_of(number=" 12 ", recipients="- UBND tỉnh Quảng Ngãi;\n\nSở Nội vụ."), REPORT)
    assert result.fields == {"header": {"number": "12", "recipients": ["UBND tỉnh Quảng Ngãi", "Sở Nội vụ"]}}


def test_a_date_that_is_not_a_date_is_kept_as_typed_and_the_valid_one_stays():
    report = {**REPORT, "header": {**REPORT["header"], "date": "2025-03-20"}}
    result = header_changes(form_of(report, date="31/02/2025"), report)
    assert result.fields == {"header": {"date_text": "31/02/2025"}}  # no "date": the last valid one stays
    assert "không có trên lịch" in result.message and "chưa được lưu" in result.message
    fixed = {**report, "header": {**report["header"], "date_text": "31/02/2025"}}
    assert header_form(fixed).date == "31/02/2025"  # shown again as typed after a restart
    assert header_changes(form_of(fixed, date="28/02/2025"), fixed).fields == \
        {"header": {"date": "2025-02-28", "date_text": ""}}


def test_an_emptied_window_date_is_saved_empty_and_a_wrong_one_not_at_all():
    result = header_changes(form_of(window_start="", window_end="14/13/2025"), REPORT)
    assert result.fields == {"window_start": None, "header": {"window_end_text": "14/13/2025"}}
    assert result.errors and result.dates["window_end"].error


def test_a_reversed_window_is_saved_and_said():
    # saved anyway: the engine counts it as an error that blocks completion until fixed
    result = header_changes(form_of(window_start="15/03/2025"), REPORT)
    assert result.fields == {"window_start": "2025-03-15"}
    assert result.hint.field == "window_end" and "sau ngày kết thúc" in result.message


def test_a_report_without_a_header_shows_the_default_signer():
    shown = header_form({"window_start": "2022-12-15", "window_end": "bad"})
    assert (shown.signing_authority, shown.authority_line, shown.signer_title) == ("TM.", "TM. ỦY BAN NHÂN DÂN",
                                                                                  "CHỦ TỊCH")
    assert (shown.window_start, shown.window_end) == ("15/12/2022", "bad")  # a bad stored value is shown, not lost


@pytest.mark.parametrize("line, title, expected", [
    ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),  # defaults follow
    ("", " ", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
    ("TM. UBND XÃ", "CHỦ TỊCH", ("TM. UBND XÃ", "PHÓ CHỦ TỊCH")),  # the clerk's own line stays
])
def test_switching_the_authority_changes_only_the_defaults(line, title, expected):
    assert defaults_after_switch("TM.", "KT.", line, title) == expected


def test_lines_drop_bullets_blanks_and_trailing_punctuation():
    assert lines("- Như trên;\n\n+ Lưu: VT.\n  Sở Nội vụ  ") == ["Như trên", "Lưu: VT", "Sở Nội vụ"]
