"""Reporting periods (kỳ báo cáo), their default data windows and deadlines.

As the Ministry of Home Affairs sets them (Công văn 581/BNV-CCHC; ../shared/domain/report.md):
Quý I, 6 tháng and Năm run from 15 December of the previous year (cumulative); Quý III runs
15/06–14/09 and is NOT cumulative. Some provinces still ask for the cumulative "9 tháng"
(Decree 09/2019's pattern), so both are offered. A report goes out by the 20th of the period's
last month unless the province sets an earlier day. The clerk may change the window (reports in
the wild stop at e.g. 31/10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """A reporting period as the Ministry sets it, and how the report names it."""

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
    # where the data window starts: 15/12 of the previous year for a cumulative period
    start: tuple[int, int] = (12, 15)
    cumulative: bool = True

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        month, day = self.start
        return dt.date(year - 1 if self.cumulative else year, month, day), dt.date(year, self.end_month, self.end_day)

    def deadline(self, year: int, day: int | None = None) -> dt.date:
        """The day the report must reach the province: the 20th of the period's last month, or
        the province's earlier day (a later one is not the Ministry's to give)."""
        return dt.date(year, self.end_month, min(day or DEADLINE_DAY, DEADLINE_DAY))

    def next_period_label(self, year: int) -> str:
        # with the year: the trích yếu and heading IV are read long after the period ends
        return self.next_phrase.format(year=year, next_year=year + 1)

    def phrase(self, year: int) -> str:
        return self.title_phrase.format(year=year)


DEADLINE_DAY = 20

PERIODS: dict[str, Period] = {
    p.code: p
    for p in (
        Period("quy1", "Quý I", "quý I năm {year}", 3, 14, "quý II năm {year}", "QuyI", 4),
        Period("6thang", "6 tháng", "6 tháng đầu năm {year}", 6, 14, "6 tháng cuối năm {year}", "6Thang", 7),
        Period("quy3", "Quý III", "quý III năm {year}", 9, 14, "quý IV năm {year}", "QuyIII", 10,
               start=(6, 15), cumulative=False),
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


def period_words(code: str, year: int) -> str:
    """"năm 2023", "Quý I năm 2025" — the period in a sentence or a title (upper-cased there)."""
    return f"năm {year}" if code == "nam" else f"{get_period(code).label} năm {year}"


def deadline_text(period: Period, year: int, today: dt.date, day: int | None = None) -> str:
    """"Hạn gửi: 20/12/2025 — còn 5 ngày" for the status line of an open report."""
    due = period.deadline(year, day)
    left = (due - today).days
    when = f"Hạn gửi: {due.day:02d}/{due.month:02d}/{due.year}"
    if left > 0:
        return f"{when} — còn {left} ngày"
    if left == 0:
        return f"{when} — hôm nay là hạn cuối"
    return f"{when} — đã quá hạn {-left} ngày"
