"""A saved Thông tin đơn vị and the reports already made: what reaches them by itself and what
the clerk is asked about. No Qt here.

The unit's name, codes and letterhead (tên cơ quan, cơ quan chủ quản, địa danh, ký hiệu) are
read from the profile whenever a report is shown, printed or exported, so a saved profile
reaches every report of the unit at once. Each report's header holds its own copy of the
signer, the signing authority and the recipients (services/reports.HEADER_FROM_PROFILE),
because one report may be signed by someone else: those change only where a report still
holds the profile's previous value, only in drafts, and only when the clerk says so. A report
marked complete is what was vouched for: it is left as it is (`ProfileChanges.complete`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc_desktop.core.periods import report_label
from cchc_desktop.formats.exchange import LIST_KEYS
from cchc_desktop.services.reports import HEADER_FROM_PROFILE
from cchc_desktop.storage.store import Store, StoreError

# how the question and the messages name each copied field
FIELD_WORDS = {
    "recipients": "Kính gửi", "cc": "Nơi nhận", "signer_name": "người ký", "signer_title": "chức vụ người ký",
    "signing_authority": "thẩm quyền ký", "authority_line": "dòng thẩm quyền",
}
# printed from the profile on every report, never copied into one (the codes are not printed)
LETTERHEAD = ("kind", "name", "province", "parent_agency", "agency_name", "place_name", "doc_code")


def _value(mapping: dict | None, key: str):
    value = (mapping or {}).get(key)
    if value is None:
        return [] if key in LIST_KEYS else ""
    return list(value) if key in LIST_KEYS else value


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    """The header fields copied from the profile whose value the save changed, in order."""
    return [k for k in HEADER_FROM_PROFILE if _value(before, k) != _value(after, k)]


def letterhead_changed(before: dict | None, after: dict | None) -> bool:
    return any(_value(before, k) != _value(after, k) for k in LETTERHEAD)


def header_updates(report: dict, before: dict | None, after: dict | None) -> dict:
    """{field: new value} for one report: the changed fields whose value in the report's header
    is still the profile's previous one (a field the clerk set for this report is kept)."""
    header = report.get("header") or {}
    return {k: _value(after, k) for k in changed_fields(before, after) if _value(header, k) == _value(before, k)}


@dataclass
class ProfileChanges:
    """The reports of the unit whose header still holds what the profile said before."""

    fields: list[str]  # the copied fields the save changed
    drafts: dict[int, dict] = field(default_factory=dict)  # report id -> {field: new value}
    complete: list[dict] = field(default_factory=list)  # complete reports that hold old values: left alone
    labels: dict[int, str] = field(default_factory=dict)  # report id -> "Năm 2025"

    @property
    def empty(self) -> bool:
        return not self.drafts and not self.complete


def pending_changes(store: Store, before: dict | None, after: dict | None) -> ProfileChanges:
    """What a profile save `before` → `after` would change in the unit's reports. Reports of
    another unit (imported, the sample) have that unit's header and are never touched."""
    out = ProfileChanges(changed_fields(before, after))
    if not out.fields:
        return out
    for report in store.list_reports():
        if report.get("other_unit") is not None:
            continue
        updates = header_updates(report, before, after)
        if not updates:
            continue
        out.labels[report["id"]] = report_label(report)
        if report["status"] == "complete":
            out.complete.append(report)
        else:
            out.drafts[report["id"]] = updates
    return out


def apply_profile(store: Store, report_ids, profile: dict, before: dict | None) -> dict[int, dict]:
    """Bring the headers of these draft reports in line with the saved `profile`, field by
    field where they still hold `before`'s value: {report id: {field: (old, new)}} of what
    changed. A complete report, or one of another unit, is skipped: reopening a report is the
    clerk's act, through the report itself. Each report is one audited update; a StoreError
    carries the reports updated before it in ``applied``."""
    done: dict[int, dict] = {}
    for rid in report_ids:
        report = store.get_report(rid)
        if report["status"] == "complete" or report.get("other_unit") is not None:
            continue
        updates = header_updates(report, before, profile)
        if not updates:
            continue
        header = report.get("header") or {}
        try:
            store.update_report(rid, header={**header, **updates})
        except StoreError as exc:
            exc.applied = done  # what was done before the failure stays done: say so
            raise
        done[rid] = {k: (_value(header, k), v) for k, v in updates.items()}
    return done


def fields_text(fields) -> str:
    """"người ký, chức vụ người ký và Kính gửi"."""
    words = [FIELD_WORDS[k] for k in fields]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1]
