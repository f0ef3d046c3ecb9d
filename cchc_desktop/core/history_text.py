"""How the change history speaks: the name of what changed, the time, the old and new text.

A change is any object with ``kind``, ``key``, ``old``, ``new`` and ``when`` (storage/history.py's
HistoryEntry); this module only words it, so the wording is tested without a data file or a window.
Core module: no Qt, no SQLite.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from cchc_desktop.core.catalog import Catalog
from cchc_desktop.core.engine import section_name
from cchc_desktop.core.header import shown_date
from cchc_desktop.core.ids import split_indicator_id
from cchc_desktop.core.periods import PERIODS
from cchc_desktop.core.vocabulary import AUTHORITY_LABELS, NOTE_COLUMN, VALUE_COLUMN, status_label

EMPTY = "(trống)"
ELLIPSIS = "…"
SHORT = 80  # characters of prose a list line shows; the whole text is in the detail box

# A history line stands alone, away from the box it names, so the names say more than the
# tab's labels ("Số văn bản", not "Số"). Unknown keys (a newer program's field) show as the key.
HEADER_LABELS = {
    "number": "Số văn bản", "date": "Ngày của văn bản", "recipients": "Kính gửi", "cc": "Nơi nhận",
    "signing_authority": "Thẩm quyền ký", "authority_line": "Dòng thẩm quyền", "signer_title": "Chức vụ người ký",
    "signer_name": "Người ký", "window_start": "Thời gian chốt số liệu, từ ngày",
    "window_end": "Thời gian chốt số liệu, đến ngày", "next_period_label": "Kỳ tiếp theo",
    "unit_name": "Tên đơn vị", "year": "Năm báo cáo", "period": "Kỳ báo cáo",
    # a date typed as something that is not a date, kept as typed (vocabulary.DATE_TEXTS)
    "date_text": "Ngày của văn bản (gõ chưa đúng ngày)",
    "window_start_text": "Thời gian chốt số liệu, từ ngày (gõ chưa đúng ngày)",
    "window_end_text": "Thời gian chốt số liệu, đến ngày (gõ chưa đúng ngày)",
}
_DATES = ("date", "window_start", "window_end")
HEADER_PLACE = "Thông tin chung"
STATUS_NAME = "Trạng thái báo cáo"
PROSE_FILTER = "Phần lời (các mục viết)"
ALL_FILTER = "Tất cả"


class ChangeLike(Protocol):
    kind: str
    key: str
    old: str | None
    new: str | None
    when: dt.datetime


def when_text(when: dt.datetime) -> str:
    """"14:05 ngày 02/12/2026", in the PC's local time."""
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when:%H:%M} ngày {when:%d/%m/%Y}"


def target_name(catalog: Catalog, change: ChangeLike, next_period: str = "") -> str:
    """"Biểu mẫu 3, dòng 3.1.1 — Số liệu", "Mục II.1 (Cải cách thể chế)", "Thông tin chung — Số văn bản".
    ``next_period``: the report's next_period_label, which some section titles carry (as the
    narrative pane and the printout fill it in)."""
    if change.kind in ("value", "note"):
        column = VALUE_COLUMN if change.kind == "value" else NOTE_COLUMN
        return f"{row_name(catalog, change.key)} — {column}"
    if change.kind == "narrative":
        name = section_name(catalog, change.key)
        return name.replace("{next_period_upper}", (next_period or "kỳ tiếp theo").upper())
    if change.kind == "status":
        return STATUS_NAME
    return f"{HEADER_PLACE} — {HEADER_LABELS.get(change.key, change.key)}"


def row_name(catalog: Catalog, ident: str) -> str:
    """catalog.row_name, and for a row this catalog does not have (a report written with rows
    since removed) the form and STT read from the id itself, rather than no name at all."""
    if ident in catalog.indicators:
        return catalog.row_name(ident)
    parts = split_indicator_id(ident)
    return f"Biểu mẫu {parts[0]}, dòng {parts[1]}" if parts else ident


def shown(change: ChangeLike, text: str | None) -> str:
    """One side of a change as the clerk knows it: the raw text typed for a cell or paragraph
    (even when it is not a valid figure), a date as 02/12/2026, a list one item a line."""
    if text is None or text == "":
        return EMPTY
    if change.kind == "status":
        return status_label(text)
    if change.kind == "header":
        if change.key in _DATES:
            return shown_date(text)
        if change.key == "signing_authority":
            return AUTHORITY_LABELS.get(text, text)
        if change.key == "period" and text in PERIODS:
            return PERIODS[text].label
    return text


def shortened(text: str, limit: int = SHORT) -> str:
    """On one line, at most ``limit`` characters, cut at a word and ending in "…" when cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;.") + ELLIPSIS


def old_to_new(change: ChangeLike, limit: int = SHORT) -> str:
    """"12 → 15"; long prose shortened on both sides."""
    return f"{shortened(shown(change, change.old), limit)} → {shortened(shown(change, change.new), limit)}"


def filters(catalog: Catalog) -> list[tuple[str, int | None, str | None]]:
    """The choices of the report-level history: (label, target, kind) for storage.history.history."""
    out: list[tuple[str, int | None, str | None]] = [(ALL_FILTER, None, None)]
    out += [(f"Biểu mẫu {n}", n, None) for n in sorted(catalog.forms)]
    out += [(PROSE_FILTER, None, "narrative"), (HEADER_PLACE, None, "header")]
    return out
