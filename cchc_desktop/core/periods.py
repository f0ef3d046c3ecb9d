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
    next_phrase: str  # what heading IV plans for, e.g. "quý II năm {year}"
    file_word: str  # in the exported file names, ASCII: "BaoCao_CCHC_QuyI2025_…"
    # a new report made up to the end of this month is most likely for this period: a
    # period's report is written in the weeks after its data window closes
    likely_until_month: int

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        return dt.date(year - 1, 12, 15), dt.date(year, self.end_month, self.end_day)

    def next_period_label(self, year: int) -> str:
        # with the year: the trích yếu and heading IV are read long after the period ends
        return self.next_phrase.format(year=year, next_year=year + 1)

    def phrase(self, year: int) -> str:
        return self.title_phrase.format(year=year)


PERIODS: dict[str, Period] = {
    p.code: p
    for p in (
        Period("quy1", "Quý I", "quý I năm {year}", 3, 14, "quý II năm {year}", "QuyI", 4),
        Period("6thang", "6 tháng", "6 tháng đầu năm {year}", 6, 14, "6 tháng cuối năm {year}", "6Thang", 7),
        Period("9thang", "9 tháng", "9 tháng năm {year}", 9, 14, "quý IV năm {year}", "9Thang", 10),
        Period("nam", "Năm", "năm {year}", 12, 14, "năm {next_year}", "Nam", 12),
    )
}


def get_period(code: str) -> Period:
    try:
        return PERIODS[code]
    except KeyError:
        allowed = ", ".join(f"{p.code} ({p.label})" for p in PERIODS.values())
        raise ValueError(f"Kỳ báo cáo “{code}” không có. Chọn một trong: {allowed}.") from None


def likely_period(today: dt.date) -> str:
    """The period a clerk creating a report on ``today`` most likely means (the first choice
    offered; the clerk can pick another)."""
    return next(p.code for p in PERIODS.values() if today.month <= p.likely_until_month)


def report_label(report: dict) -> str:
    """"Năm 2023", "Quý I 2025" — for lists, window titles and the backups' contents."""
    return f"{get_period(report['period']).label} {report['year']}"
