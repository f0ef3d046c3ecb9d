"""Where the clerk was in a report: the tab, the box with the cursor and the cursor's position
in it (issue 10 §6). Kept per report in the settings file beside the data, so that after a
restart, a power cut or a crash the window opens where the clerk stopped, not on the first tab.

A box is named by its object name, which the widgets already carry and the tests use:
"bm3.3.1" (a figure), "bm3.3.1:note" (its Ghi chú), "narrative:<section id>", "header:<field>".
A place that no longer fits the report (a tab or row another catalog lacks, a shorter text)
falls back to what still exists: the tab, then the first box; never an error."""

from __future__ import annotations

import json
from dataclasses import dataclass

SETTING = "place/{report_id}"


@dataclass(frozen=True)
class Place:
    tab: str  # catalog tab id, e.g. "thu_tuc"
    box: str = ""  # object name of the box with the cursor ("" when the cursor was on no box)
    cursor: int = 0  # position of the cursor in that box's text

    def dumps(self) -> str:
        return json.dumps({"tab": self.tab, "box": self.box, "cursor": self.cursor}, ensure_ascii=False)

    @classmethod
    def loads(cls, text) -> Place | None:
        """A stored place, or None for anything else (a settings file edited by hand, an older
        program): a place is a convenience, never a reason to refuse to open a report."""
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("tab"), str):
            return None
        box, cursor = data.get("box", ""), data.get("cursor", 0)
        return cls(data["tab"], box if isinstance(box, str) else "",
                   cursor if isinstance(cursor, int) and not isinstance(cursor, bool) and cursor >= 0 else 0)


def box_kind(name: str, is_indicator) -> tuple[str, str] | None:
    """("value" | "note" | "narrative" | "header", key) of a box's object name, None for a
    widget that is not a box of the report (a button, a list, the chooser)."""
    head, _, tail = name.partition(":")
    if head in ("narrative", "header") and tail:
        return head, tail
    if is_indicator(head):
        if not tail:
            return "value", head
        if tail == "note":
            return "note", head
    return None
