"""The change history of a report, read from the store's audit log.

The store writes one audit row in the same transaction as every change (store.py): a figure or
note ("value:bm3.1.1", "note:bm3.1.1", old raw text → new raw text), a paragraph
("narrative:II.1"), and a header or status change ("report:update", old and new JSON of the
columns that changed, the header as a whole dict). A burst of typing in one field is one row
already (the store coalesces it), so each row here is one change the clerk made.

This module only reads: it never writes to the audit log, and a restore goes back through the
edit path (services/session.py) so it is saved, re-validated, audited and undoable like typing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from cchc_desktop.core import header as header_rules
from cchc_desktop.core.ids import split_indicator_id
from cchc_desktop.core.vocabulary import UNIT_LIST_FIELDS
from cchc_desktop.storage.store import REPORT_FIELDS, Store, translate_error

# the kinds a HistoryEntry has; "value", "note" and "narrative" are also EditController's kinds
KINDS = ("value", "note", "narrative", "header", "status")
_CELL_KINDS = ("value", "note", "narrative")
# report columns that are not header fields of Thông tin chung: the status has its own kind;
# catalog_id/catalog_version change only through a migration of the report, not by the clerk
_NOT_HEADER = ("header", "status", "catalog_id", "catalog_version")
_WINDOW = ("window_start", "window_end")


@dataclass(frozen=True)
class HistoryEntry:
    """One change, as the clerk made it.

    ``kind``: "value" | "note" (``key`` an indicator id), "narrative" (a section id), "header"
    (a header field such as "number", or a report field such as "window_start"), "status".
    ``old``/``new``: the text exactly as stored (what was typed, even when it is not a valid
    figure); a list field (Kính gửi, Nơi nhận) one item a line; ``None``: nothing was there
    (the first value of a cell, a field that did not exist yet)."""

    id: int  # the audit row; a later change has a higher id
    when: dt.datetime  # local time, timezone-aware
    kind: str
    key: str
    old: str | None
    new: str | None

    @property
    def restorable(self) -> bool:
        """Whether "Lấy lại giá trị này" can put ``old`` back through the edit path; the status
        is changed by "Đánh dấu hoàn thành", never by restoring."""
        return self.kind in _CELL_KINDS or self.kind == "header"

    @property
    def form(self) -> int | None:
        """The Biểu mẫu of a value or note change."""
        if self.kind not in ("value", "note"):
            return None
        parts = split_indicator_id(self.key)
        return parts[0] if parts else None


def history(store: Store, report_id: int, target: int | str | None = None,
            kind: str | None = None) -> list[HistoryEntry]:
    """The changes of one report, newest first.

    ``target``: a form number (every figure and note of that Biểu mẫu), or a key (an indicator
    id: its figure and note; a section id; a header field). ``kind``: only changes of that
    kind (KINDS). Both given: both must hold, e.g. ``("bm3.1.1", "value")`` is one cell."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"Loại thay đổi “{kind}” không có; chỉ dùng: {', '.join(KINDS)}.")
    prefixes = _prefixes(target, kind)
    sql = "SELECT id, at, what, old, new FROM audit_log WHERE report_id = ?"
    params: list = [report_id]
    if prefixes is not None:
        # narrowed in SQL: one cell's history is a few rows out of thousands
        sql += " AND (" + " OR ".join("what = ?" for _ in prefixes) + ")"
        params += prefixes
    try:
        rows = store.conn.execute(sql + " ORDER BY id DESC", params).fetchall()
    except sqlite3.Error as exc:
        raise translate_error(exc, store.path, "read") from exc
    out: list[HistoryEntry] = []
    for row_id, at, what, old, new in rows:
        for change in _changes(row_id, at, what, old, new):
            # a burst typed and erased again (the store coalesces it into one row) changed nothing
            if (change.old or "") != (change.new or "") and _wanted(change, target, kind):
                out.append(change)
    return out


def restore_args(change: HistoryEntry) -> dict:
    """Keyword arguments for ``ReportSession.update_report`` (or EditController's) that put a
    header change's old value back; value, note and narrative changes go through
    ``set_value``/``set_note``/``set_narrative`` (EditController.edit) with ``change.old or ""``."""
    if change.kind != "header":
        raise ValueError(f"Thay đổi loại “{change.kind}” không lấy lại bằng update_report.")
    old = change.old or ""
    if change.key in _WINDOW:
        return {change.key: old or None}
    if change.key in REPORT_FIELDS:
        return {change.key: old}
    value = header_rules.lines(old) if change.key in UNIT_LIST_FIELDS else old
    return {"header": {change.key: value}}


# --- reading the audit rows ------------------------------------------------------------------

def _prefixes(target: int | str | None, kind: str | None) -> list[str] | None:
    """The exact ``what`` values to select in SQL, or None to select all and filter here."""
    if not isinstance(target, str):
        return None
    kinds = [kind] if kind else list(KINDS)
    whats = [f"{k}:{target}" for k in kinds if k in _CELL_KINDS]
    if kind in (None, "header", "status"):
        whats.append("report:update")  # header and status changes are inside these rows
    return whats


def _changes(row_id: int, at: str, what: str, old: str | None, new: str | None) -> list[HistoryEntry]:
    when = _local(at)
    prefix, _, key = what.partition(":")
    if prefix in _CELL_KINDS:
        return [HistoryEntry(row_id, when, prefix, key, old, new)]
    if what != "report:update":
        return []  # report:create / report:delete / profile: not a change of a field
    before, after = _json(old), _json(new)
    out = []
    for column in sorted(set(before) | set(after)):
        if column == "header":
            old_header, new_header = before.get("header") or {}, after.get("header") or {}
            for field in _header_order(set(old_header) | set(new_header)):
                a, b = _text(old_header.get(field)), _text(new_header.get(field))
                if a != b and not ({a, b} <= {None, ""}):
                    out.append(HistoryEntry(row_id, when, "header", field, a, b))
        elif column == "status":
            out.append(HistoryEntry(row_id, when, "status", "status", _text(before.get(column)), _text(after.get(column))))
        elif column not in _NOT_HEADER:
            out.append(HistoryEntry(row_id, when, "header", column, _text(before.get(column)), _text(after.get(column))))
    return out


def _header_order(fields: set[str]) -> list[str]:
    # the order of the boxes on Thông tin chung, so one save reads top to bottom
    order = {f: n for n, f in enumerate(("number", "date", "date_text", "window_start_text", "window_end_text",
                                         "recipients", "signing_authority", "authority_line", "signer_title",
                                         "signer_name", "cc"))}
    return sorted(fields, key=lambda f: (order.get(f, len(order)), f))


def _wanted(change: HistoryEntry, target: int | str | None, kind: str | None) -> bool:
    if kind is not None and change.kind != kind:
        return False
    if target is None:
        return True
    if isinstance(target, int):
        return change.form == target
    return change.key == target


def _local(at: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(at)
    if when.tzinfo is None:  # the store writes UTC with its offset; a bare time is taken as UTC too
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone()


def _json(text: str | None) -> dict:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)
