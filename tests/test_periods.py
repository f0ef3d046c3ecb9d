import datetime as dt

import pytest

from cchc_desktop.core.periods import PERIODS, get_period, likely_period


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
    assert p.window(2025) == (dt.date(2024, 12, 15), end)
    assert p.next_period_label(2025) == next_label


def test_an_unknown_period_names_the_choices():
    with pytest.raises(ValueError) as err:
        get_period("quy5")
    assert "quy5" in str(err.value) and all(code in str(err.value) for code in PERIODS)


@pytest.mark.parametrize("month, code", [(1, "quy1"), (4, "quy1"), (5, "6thang"), (7, "6thang"), (8, "9thang"),
                                         (10, "9thang"), (11, "nam"), (12, "nam")])
def test_a_new_report_is_first_offered_for_the_period_that_just_closed(month, code):
    assert likely_period(dt.date(2025, month, 20)) == code


def test_every_period_has_an_ascii_file_word_and_the_command_line_offers_every_code():
    from cchc_desktop.cli import _parser

    assert [p.file_word for p in PERIODS.values()] == ["QuyI", "6Thang", "9Thang", "Nam"]
    assert all(p.file_word.isascii() for p in PERIODS.values())
    create = _parser().parse_args(["create", "--year", "2025", "--period", "9thang"])
    assert create.period == "9thang"
