"""Reporting periods (kỳ báo cáo) and their default data windows.

Decree 09/2019 makes every period cumulative from 15 December of the previous year; the
clerk may still change the window (reports in the wild stop at e.g. 31/10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    code: str
    label: str  # as shown to the clerk and in "Báo cáo … <label> <year>"
    title_phrase: str  # as written in the trích yếu, e.g. "quý I năm 2025"
    end_month: int
    end_day: int

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        return dt.date(year - 1, 12, 15), dt.date(year, self.end_month, self.end_day)

    def next_period_label(self, year: int) -> str:
        return _NEXT[self.code].format(year=year, next_year=year + 1)

    def phrase(self, year: int) -> str:
        return self.title_phrase.format(year=year)


# with the year: the trích yếu and heading IV are read long after the period ends
_NEXT = {
    "quy1": "quý II năm {year}",
    "6thang": "6 tháng cuối năm {year}",
    "9thang": "quý IV năm {year}",
    "nam": "năm {next_year}",
}

PERIODS: dict[str, Period] = {
    p.code: p
    for p in (
        Period("quy1", "Quý I", "quý I năm {year}", 3, 14),
        Period("6thang", "6 tháng", "6 tháng đầu năm {year}", 6, 14),
        Period("9thang", "9 tháng", "9 tháng năm {year}", 9, 14),
        Period("nam", "Năm", "năm {year}", 12, 14),
    )
}


def get_period(code: str) -> Period:
    try:
        return PERIODS[code]
    except KeyError:
        allowed = ", ".join(f"{p.code} ({p.label})" for p in PERIODS.values())
        raise ValueError(f"Kỳ báo cáo “{code}” không có. Chọn một trong: {allowed}.") from None
