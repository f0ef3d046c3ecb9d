import datetime as dt

import pytest

from cchc_desktop.periods import PERIODS, get_period


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
