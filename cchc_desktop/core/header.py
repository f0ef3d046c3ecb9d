"""Thông tin chung as typed → what is stored: the dates read, the data window checked, the
header fields that changed. The tab only reads its boxes into a `HeaderForm`, hands it here
and shows what comes back, so the rules can be tested without a window.

A date typed as something that is not a date is not lost: it is kept as typed under the
date's key + "_text" (vocabulary.DATE_TEXTS) and the last valid date stays behind it until
the clerk corrects the text; the engine counts the kept text as an issue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from cchc_desktop.core.numbers import format_date_short, parse_date_short
from cchc_desktop.core.periods import PERIODS, report_label
from cchc_desktop.core.vocabulary import BULLETS, DATE_TEXTS, SIGNING_AUTHORITIES

NOT_SAVED = " Ngày này chưa được lưu cho đến khi sửa đúng."


def lines(text: str) -> list[str]:
    """One recipient per line; blank lines and stray "- " bullets dropped (the printout adds
    its own "- …;"), and so is a trailing ";" or "." for the same reason."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(BULLETS):
            line = line[2:].strip()
        if line:
            out.append(line.rstrip(";."))
    return out


def defaults_after_switch(old_auth: str, new_auth: str, line: str, title: str) -> tuple[str, str]:
    """New authority line and title when the signing authority changes: the new defaults,
    unless the clerk wrote their own (then it is theirs to change)."""
    old_line, old_title = SIGNING_AUTHORITIES.get(old_auth, ("", ""))
    new_line, new_title = SIGNING_AUTHORITIES.get(new_auth, ("", ""))
    line = new_line if line.strip() in ("", old_line) else line
    title = new_title if title.strip() in ("", old_title) else title
    return line, title


# --- dates -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TypedDate:
    """One date box: `iso` is "" for a blank box; `error` is the Vietnamese reason when the
    text is not a date (then `iso` is "" too and the text is what must be kept)."""

    text: str
    iso: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def read_date(text: str) -> TypedDate:
    """Never raises: whatever was typed has an answer the tab can show."""
    if not text.strip():
        return TypedDate(text)
    try:
        return TypedDate(text, parse_date_short(text).isoformat())
    except ValueError as exc:
        return TypedDate(text, error=str(exc))


def _short(iso: str) -> str:
    return format_date_short(dt.date.fromisoformat(iso))


def shown_date(iso: str | None) -> str:
    """An ISO date as the tab shows it (15/12/2024); a stored value that is not an ISO date
    (an old or hand-edited file) is shown as it is rather than hidden."""
    try:
        return _short(iso) if iso else ""
    except ValueError:
        return iso or ""


@dataclass(frozen=True)
class WindowHint:
    """Something to check in the data window: which box (window_start / window_end) and why."""

    field: str
    message: str


def window_hint(start: str, end: str, year: int | None = None, period: str | None = None) -> WindowHint | None:
    """ISO start and end ("" when blank or not a date). A window that ends before it starts is
    an error (the engine counts it, see engine._window_issue); one reaching outside the period
    (Decree 09/2019: from 15 December of the year before to the period's closing day) is
    allowed — a province may ask for other dates — but is most often a typo in the year."""
    if start and end and start > end:
        return WindowHint("window_end", f"Ngày bắt đầu chốt số liệu ({_short(start)}) đang sau ngày kết thúc "
                                        f"({_short(end)}); sửa lại để ngày bắt đầu không sau ngày kết thúc.")
    p = PERIODS.get(period or "")
    if p is None or not isinstance(year, int):
        return None
    first, last = (d.isoformat() for d in p.window(year))
    span = (f"Thời gian chốt số liệu của báo cáo {report_label({'period': period, 'year': year})} thường là "
            f"từ {_short(first)} đến {_short(last)}")
    if start and not first <= start <= last:
        return WindowHint("window_start", f"{span}, nhưng ngày bắt đầu là {_short(start)}. Kiểm tra lại năm "
                                          "của ngày này; nếu đúng là ngày cấp trên yêu cầu thì giữ nguyên.")
    if end and not first <= end <= last:
        return WindowHint("window_end", f"{span}, nhưng ngày kết thúc là {_short(end)}. Kiểm tra lại năm "
                                        "của ngày này; nếu đúng là ngày cấp trên yêu cầu thì giữ nguyên.")
    return None


# --- the whole tab ---------------------------------------------------------------------------
@dataclass(frozen=True)
class HeaderForm:
    """The boxes of Thông tin chung as typed (the lists one item a line)."""

    number: str = ""
    date: str = ""
    window_start: str = ""
    window_end: str = ""
    recipients: str = ""
    signing_authority: str = "TM."
    authority_line: str = ""
    signer_title: str = ""
    signer_name: str = ""
    cc: str = ""


@dataclass(frozen=True)
class HeaderChanges:
    """What to save (`fields`, for ReportSession.update_report: only what differs from the
    report) and what to tell the clerk about the three dates."""

    fields: dict
    dates: dict[str, TypedDate]  # "date", "window_start", "window_end"
    hint: WindowHint | None = None
    errors: list[str] = field(default_factory=list)  # one per date that is not a date

    @property
    def message(self) -> str:
        """The one line under the boxes: a date that is not a date first (it is not saved),
        else what to check in the window."""
        if self.errors:
            return self.errors[0] + NOT_SAVED
        return self.hint.message if self.hint else ""


def header_changes(form: HeaderForm, report: Mapping) -> HeaderChanges:
    dates = {key: read_date(getattr(form, key)) for key in ("date", "window_start", "window_end")}
    header: dict = {
        "number": form.number.strip(),
        "recipients": lines(form.recipients),
        "signing_authority": form.signing_authority,
        "authority_line": form.authority_line.strip(),
        "signer_title": form.signer_title.strip(),
        "signer_name": form.signer_name.strip(),
        "cc": lines(form.cc),
    }
    if dates["date"].ok:
        header["date"] = dates["date"].iso
    window: dict = {}
    for key, typed in dates.items():
        header[f"{key}_text"] = "" if typed.ok else typed.text
        # an emptied window date is saved empty: keeping the old one would print a date the
        # clerk erased (the document date is the header's, blank meaning "written at signing")
        if key != "date" and typed.ok:
            window[key] = typed.iso or None
    hint = window_hint(dates["window_start"].iso, dates["window_end"].iso, report.get("year"), report.get("period"))
    # a date never typed wrongly has no "…_text" yet: that is the same as an empty one
    current = {**dict.fromkeys(DATE_TEXTS, ""), **(report.get("header", {}) or {})}
    fields = {k: v for k, v in window.items() if report.get(k) != v}
    changed = {k: v for k, v in header.items() if current.get(k) != v}
    if changed:
        fields["header"] = changed
    return HeaderChanges(fields, dates, hint, [t.error for t in dates.values() if not t.ok])


def header_form(report: Mapping) -> HeaderForm:
    """What the tab shows for a saved report: a date kept as typed wins over the valid date
    behind it (nothing typed is lost), and a blank authority line or title is the default of
    the chosen authority."""
    header = report.get("header", {}) or {}
    auth = header.get("signing_authority")
    if auth not in SIGNING_AUTHORITIES:  # blank (a unit without a profile) or a newer program's code
        auth = next(iter(SIGNING_AUTHORITIES))
    line, title = SIGNING_AUTHORITIES[auth]
    return HeaderForm(
        number=header.get("number", ""),
        date=header.get("date_text") or shown_date(header.get("date")),
        window_start=header.get("window_start_text") or shown_date(report.get("window_start")),
        window_end=header.get("window_end_text") or shown_date(report.get("window_end")),
        recipients="\n".join(header.get("recipients", [])),
        signing_authority=auth,
        authority_line=header.get("authority_line", "") or line,
        signer_title=header.get("signer_title", "") or title,
        signer_name=header.get("signer_name", ""),
        cc="\n".join(header.get("cc", [])),
    )
