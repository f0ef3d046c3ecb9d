import datetime as dt

import pytest

from cchc_desktop.core.periods import PERIODS, deadline_text, get_period, likely_period


@pytest.mark.parametrize(
    "code, end, next_label",
    [
        ("quy1", dt.date(2025, 3, 14), "quý II năm 2025"),
        ("6thang", dt.date(2025, 6, 14), "6 tháng cuối năm 2025"),
        ("9thang", dt.date(2025, 9, 14), "quý IV năm 2025"),
        ("nam", dt.date(2025, 12, 14), "năm 2026"),
    ],
)
def test_windows_are_cumulative_from_15_december(code, end, next_label):
    p = get_period(code)
    assert p.window(2025) == (dt.date(2024, 12, 15), end) and p.cumulative
    assert p.next_period_label(2025) == next_label


def test_quy_iii_is_its_own_quarter_not_cumulative():
    """Công văn 581/BNV-CCHC: Quý III is 15/06–14/09; '9 tháng' stays for provinces that ask."""
    q3 = get_period("quy3")
    assert q3.window(2025) == (dt.date(2025, 6, 15), dt.date(2025, 9, 14)) and not q3.cumulative
    assert (q3.label, q3.phrase(2025), q3.next_period_label(2025)) == ("Quý III", "quý III năm 2025", "quý IV năm 2025")
    assert list(PERIODS) == ["quy1", "6thang", "quy3", "9thang", "nam"]


@pytest.mark.parametrize("code, today, said", [
    ("nam", dt.date(2025, 12, 15), "Hạn gửi: 20/12/2025 — còn 5 ngày"),
    ("quy1", dt.date(2025, 3, 20), "Hạn gửi: 20/03/2025 — hôm nay là hạn cuối"),
    ("quy3", dt.date(2025, 9, 23), "Hạn gửi: 20/09/2025 — đã quá hạn 3 ngày"),
])
def test_the_deadline_is_the_20th_of_the_last_month(code, today, said):
    assert deadline_text(get_period(code), 2025, today) == said


def test_a_province_may_set_an_earlier_deadline_not_a_later_one():
    nam = get_period("nam")
    assert nam.deadline(2025, 10) == dt.date(2025, 12, 10)
    assert nam.deadline(2025, 28) == dt.date(2025, 12, 20)


def test_an_unknown_period_names_the_choices():
    with pytest.raises(ValueError) as err:
        get_period("quy5")
    assert "quy5" in str(err.value) and all(code in str(err.value) for code in PERIODS)


@pytest.mark.parametrize("month, code", [(1, "quy1"), (4, "quy1"), (5, "6thang"), (7, "6thang"), (8, "quy3"),
                                         (10, "quy3"), (11, "nam"), (12, "nam")])
def test_a_new_report_is_first_offered_for_the_period_that_just_closed(month, code):
    assert likely_period(dt.date(2025, month, 20)) == code


def test_every_period_has_an_ascii_file_word_and_the_command_line_offers_every_code():
    from cchc_desktop.cli import _parser

    assert [p.file_word for p in PERIODS.values()] == ["QuyI", "6Thang", "QuyIII", "9Thang", "Nam"]
    assert all(p.file_word.isascii() for p in PERIODS.values())
    for code in PERIODS:
        assert _parser().parse_args(["create", "--year", "2025", "--period", code]).period == code
