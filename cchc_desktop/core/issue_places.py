"""Where on the forms the clerk fixes an issue: which row, and whether in its Số liệu or its
Ghi chú. Asked by the cell marks and by the issues list, so a line of the list always jumps
to the box that is marked.

A rule of type "note" ("when the check holds, the first row needs a Ghi chú") is fixed in the
Ghi chú of that row; every other issue that names rows is fixed in the value of the first.
"""

from __future__ import annotations

from functools import lru_cache

from cchc_desktop.core.catalog import Catalog
from cchc_desktop.core.engine import Issue, prose_section

VALUE, NOTE, PROSE = "value", "note", "prose"


@lru_cache(maxsize=16)
def _note_targets(catalog: Catalog) -> dict[str, str]:
    """rule id -> the row whose Ghi chú the rule asks for."""
    return {r.id: r.check.left.ids[0] for r in catalog.rules if r.type == "note"}


def note_row(catalog: Catalog, issue: Issue) -> str | None:
    """The row whose Ghi chú would settle `issue`; None for an issue about a value or the prose."""
    return _note_targets(catalog).get(issue.rule) if issue.rule else None


def place(catalog: Catalog, issue: Issue) -> tuple[str, str] | None:
    """(row id, "value" | "note"), or (the issue's key, "prose") for a figure typed in the
    prose, which is fixed where it was typed; None for an issue that names no place (the header)."""
    if prose_section(issue) is not None:
        return issue.key, PROSE
    row = note_row(catalog, issue)
    if row is not None:
        return row, NOTE
    return (issue.indicators[0], VALUE) if issue.indicators else None


def note_issues(catalog: Catalog, issues: list[Issue], ident: str) -> list[Issue]:
    """Of a row's issues, those its Ghi chú is marked with."""
    return [i for i in issues if note_row(catalog, i) == ident]
