"""How much of the report is written: per Biểu mẫu the rows typed out of its input rows, per
section of the outline whether it holds text — and the Vietnamese question asked before the
report is marked complete or exported as final.

Blanks are legitimate (a row that does not apply to the commune stays empty), so this asks and
never blocks; what it must never do is call a form with nothing typed "complete".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cchc_desktop.core.engine import ReportState, section_name

COMPLETE, PARTLY, EMPTY = "complete", "partly", "empty"
FORM_MARKS = {COMPLETE: "✓", PARTLY: "◐", EMPTY: "○"}
FORM_STATE_WORDS = {COMPLETE: "đủ số liệu", PARTLY: "còn thiếu", EMPTY: "chưa nhập"}
LISTED = 12  # rows named one by one in the question; the rest are counted


@dataclass(frozen=True)
class FormFill:
    number: int
    filled: int
    total: int
    blank_rows: tuple[str, ...]  # ids of the input rows left empty, in form order

    @property
    def state(self) -> str:
        if self.total and self.filled == self.total:
            return COMPLETE
        return EMPTY if self.filled == 0 else PARTLY

    @property
    def mark(self) -> str:
        return FORM_MARKS[self.state]

    def text(self) -> str:
        """"Biểu mẫu 3: 12/17 dòng — còn thiếu"."""
        return f"Biểu mẫu {self.number}: {self.filled}/{self.total} dòng — {FORM_STATE_WORDS[self.state]}"


@dataclass(frozen=True)
class Completeness:
    forms: tuple[FormFill, ...]
    empty_sections: tuple[str, ...]  # ids of the outline's text sections with no text
    sections: int  # text sections in the outline

    @property
    def blank_rows(self) -> int:
        return sum(len(f.blank_rows) for f in self.forms)

    @property
    def whole(self) -> bool:
        return not self.blank_rows and not self.empty_sections

    def question(self, state: ReportState, action: str) -> str:
        """What is empty, for "Đánh dấu hoàn thành" or a final export (`action` names it)."""
        catalog = state.catalog
        lines = [f"Báo cáo còn {self.blank_rows} dòng số liệu trống và "
                 f"{len(self.empty_sections)}/{self.sections} mục chưa viết:"]
        for f in self.forms:
            if f.blank_rows:
                named = ", ".join(catalog.indicators[i].stt for i in f.blank_rows[:LISTED])
                more = f" và {len(f.blank_rows) - LISTED} dòng khác" if len(f.blank_rows) > LISTED else ""
                lines.append(f"• Biểu mẫu {f.number} ({f.filled}/{f.total}): trống dòng {named}{more}")
        for sid in self.empty_sections[:LISTED]:
            # "Mục II.1 (…)" as the issues list names it: several parts each have a "1."
            lines.append(f"• {section_name(catalog, sid)}: chưa viết")
        if len(self.empty_sections) > LISTED:
            lines.append(f"• và {len(self.empty_sections) - LISTED} mục khác chưa viết")
        lines.append("")
        lines.append("Dòng không phát sinh có thể để trống. "
                     f"Vẫn {action}? Chọn “Không” để quay lại nhập tiếp.")
        return "\n".join(lines)


def completeness(state: ReportState, narratives: Mapping[str, str]) -> Completeness:
    catalog = state.catalog
    forms = []
    for number in sorted(catalog.forms):
        inputs = [i for i in catalog.forms[number].indicators if catalog.indicators[i].is_input]
        blank = tuple(i for i in inputs if not state.raw(i).strip())
        forms.append(FormFill(number, len(inputs) - len(blank), len(inputs), blank))
    text_sections = [s for s in catalog.sections.values() if s.holds_text]
    empty = tuple(s.id for s in text_sections if not (narratives.get(s.id) or "").strip())
    return Completeness(tuple(forms), empty, len(text_sections))
