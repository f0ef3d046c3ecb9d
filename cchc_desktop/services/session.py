"""An open report and the one path every edit takes: set → save → re-validate what depends
on it → tell the views what changed.

Saving comes before validating, and a failed save raises before anything in memory has
changed: what the views show as saved is always what is on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from cchc_desktop.errors import CchcError
from cchc_desktop.core import limits
from cchc_desktop.core.catalog import Catalog, CatalogRegistry
from cchc_desktop.core.engine import Change, ReportState, section_name, validator_for
from cchc_desktop.storage.store import Store
from cchc_desktop.core.vocabulary import DATE_TEXTS

# The names the header tab shows, for messages about a header or report field.
FIELD_LABELS = {
    "number": "Số", "date": "Ngày", "recipients": "Kính gửi", "cc": "Nơi nhận",
    "signing_authority": "Thẩm quyền", "authority_line": "Dòng thẩm quyền", "signer_title": "Chức vụ",
    "signer_name": "Họ và tên", "window_start": "Từ ngày", "window_end": "Đến ngày", "next_period_label": "Kỳ tiếp theo",
}
# a date kept as typed is the same box on screen as the date it stands for
FIELD_LABELS |= {key: FIELD_LABELS[key.removesuffix("_text")] for key in DATE_TEXTS}


class EditError(CchcError):
    """An edit that cannot be made (the message says why, in Vietnamese). Nothing was saved."""


def _checked(text: str, kind: limits.TextKind, where: str) -> str:
    """The text as it will be stored, or EditError before anything is saved (limits.check_text)."""
    try:
        return limits.check_text(text, kind, where)
    except limits.TextError as exc:
        raise EditError(exc.message) from None


def _checked_fields(fields: dict) -> dict:
    """Header and report fields typed on Thông tin chung: each line a limits.LINE, each list at
    most limits.MAX_LIST_LINES lines; anything else (a year, a date object) is the store's to check."""
    out = {}
    for key, value in fields.items():
        label = FIELD_LABELS.get(key, key)
        if isinstance(value, str):
            value = _checked(value, limits.LINE, f"Ô “{label}” (Thông tin chung)")
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            try:
                value = limits.check_lines(value, f"{label} (Thông tin chung)",
                                           lambda n: f"{label}, dòng {n} (Thông tin chung)")
            except limits.TextError as exc:
                raise EditError(exc.message) from None
        out[key] = value
    return out


@dataclass(frozen=True)
class Edit:
    """What one edit changed, as the session tells its listeners."""

    kind: str  # "value" | "note" | "narrative" | "header" | "status" | "prose" (the deferred check of the prose)
    key: str | None  # indicator id, section id or header field
    change: Change


Listener = Callable[[Edit], None]


class ReportSession:
    def __init__(self, store: Store, report_id: int, registry: CatalogRegistry, *, defer_prose: bool = False):
        """`defer_prose`: the prose is checked when check_prose() is called, not now (the
        window, so that its first paint does not wait for it)."""
        self.store = store
        self.report_id = report_id
        self.report = store.get_report(report_id)
        self.catalog: Catalog = registry.get(self.report["catalog_id"], self.report["catalog_version"])
        rows = store.get_values(report_id)
        self.narratives: dict[str, str] = store.get_narratives(report_id)
        inputs = {i.id for i in self.catalog.inputs()}
        self.state: ReportState = validator_for(self.catalog).state(
            # a note on a computed or heading row is stored as a row with no typed text
            {k: r.raw for k, r in rows.items() if k in inputs},
            {k: r.note for k, r in rows.items() if r.note},
            self.narratives,
            self.report.get("header", {}),
            self._window(),
            prose=not defer_prose,
        )
        self._listeners: list[Listener] = []
        self.reopened: str | None = None  # why a complete report was made a draft again by an edit

    def check_prose(self) -> Edit:
        """The deferred check of the prose (defer_prose), told to the views like an edit."""
        return self._emit(Edit("prose", None, self.state.check_prose()))

    # -- observers
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _emit(self, edit: Edit) -> Edit:
        for listener in list(self._listeners):
            listener(edit)
        return edit

    # -- edits
    def set_value(self, ident: str, text: str) -> Edit:
        ind = self.catalog.indicator(ident)
        if not ind.is_input:
            what = "là tỷ lệ do chương trình tự tính" if ind.is_derived else "là dòng tiêu đề"
            raise EditError(f"{self.catalog.row_name(ident)} {what}, không nhập số liệu vào dòng này.")
        text = _checked(text, limits.VALUE, f"Số liệu ở {self.catalog.row_name(ident)}")
        parsed = self.state.parse(ident, text)
        if parsed.text == self.state.raw(ident):
            return Edit("value", ident, Change())
        self.store.set_value(self.report_id, ident, parsed.text, coalesce=True)
        change = self.state.set_raw(ident, parsed)
        self._reopen(f"số liệu ở {self.catalog.row_name(ident)} vừa được sửa")
        return self._emit(Edit("value", ident, change))

    def set_note(self, ident: str, text: str) -> Edit:
        self.catalog.indicator(ident)
        text = _checked(text, limits.NOTE, f"Ghi chú ở {self.catalog.row_name(ident)}")
        if text == self.state.notes.get(ident, ""):
            return Edit("note", ident, Change())
        self.store.set_note(self.report_id, ident, text, coalesce=True)
        change = self.state.set_note(ident, text)
        self._reopen(f"ghi chú ở {self.catalog.row_name(ident)} vừa được sửa")
        return self._emit(Edit("note", ident, change))

    def set_narrative(self, section_id: str, text: str) -> Edit:
        section = self.catalog.sections.get(section_id)
        if section is None or not section.holds_text:
            raise EditError(f"Mục “{section_id}” không có trong đề cương hoặc chỉ là tiêu đề.")
        text = _checked(text, limits.NARRATIVE, f"Nội dung {section_name(self.catalog, section_id)}")
        if text == self.narratives.get(section_id, ""):
            return Edit("narrative", section_id, Change())
        self.store.set_narrative(self.report_id, section_id, text, coalesce=True)
        self.narratives[section_id] = text
        change = self.state.set_narrative(section_id, text)
        self._reopen(f"{section_name(self.catalog, section_id)} vừa được sửa")
        return self._emit(Edit("narrative", section_id, change))

    def update_report(self, **fields) -> Edit:
        """Header fields (number, date, recipients …) go in `header`; window and labels as they are."""
        header = fields.pop("header", None)
        fields = _checked_fields(fields)
        if header is not None:
            fields["header"] = {**self.report.get("header", {}), **_checked_fields(header)}
        before = self.report
        self.store.update_report(self.report_id, **fields)
        self.report = self.store.get_report(self.report_id)
        change = self.state.set_header(self.report.get("header", {}), self._window())
        if any(before.get(k) != self.report.get(k) for k in fields if k != "status"):
            # the header and the data window are on the paper too: a complete report changed here
            # no longer is what was marked complete
            self._reopen("phần đầu báo cáo hoặc thời gian chốt số liệu vừa được sửa")
        return self._emit(Edit("header", None, change))

    def _window(self) -> tuple[str | None, str | None]:
        return self.report.get("window_start"), self.report.get("window_end")

    def mark_complete(self) -> Edit:
        blocking = self.state.blocking_count
        if blocking:
            raise EditError(
                f"Báo cáo còn {blocking} lỗi cần sửa (xem danh sách ở thẻ Kiểm tra và xuất). "
                "Sửa hết lỗi rồi mới đánh dấu hoàn thành; cảnh báo thì không bắt buộc sửa."
            )
        self.store.update_report(self.report_id, status="complete")
        self.report = self.store.get_report(self.report_id)
        return self._emit(Edit("status", "complete", Change()))

    def unmark_complete(self) -> Edit:
        """"Bỏ đánh dấu hoàn thành": back to a draft on purpose."""
        if self.report.get("status") != "complete":
            return Edit("status", "draft", Change())
        self.reopened = None
        self.store.update_report(self.report_id, status="draft")
        self.report = self.store.get_report(self.report_id)
        return self._emit(Edit("status", "draft", Change()))

    def _reopen(self, why: str) -> None:
        # a report marked complete and then changed is a draft again: the mark vouched for
        # figures that no longer stand; `reopened` says why, for the window to tell the clerk
        if self.report.get("status") == "complete":
            self.store.update_report(self.report_id, status="draft")
            self.report = self.store.get_report(self.report_id)
            self.reopened = (f"Báo cáo đã đánh dấu hoàn thành được mở lại thành bản đang soạn vì {why}. "
                             "Kiểm tra xong thì đánh dấu hoàn thành lại ở thẻ Kiểm tra và xuất.")
            self._emit(Edit("status", "draft", Change()))
