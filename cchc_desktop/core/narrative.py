"""Placeholders in the clerk's prose: "{bm3.3.1}" stands for the value of that row, so the
figures in the text cannot drift from the figures in the appendix."""

from __future__ import annotations

import re

from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.ids import PLACEHOLDER
from cchc_desktop.core.numbers import format_count_prose, format_money, format_percent

BLANK_MARK = "…"  # printed where a placeholder's row is still blank, so it shows on paper


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def prose_value(state: ReportState, ident: str) -> str:
    ind = state.catalog.indicators[ident]
    value = state.values.get(ident)
    if value is None:
        return BLANK_MARK
    if ind.kind == "percent":
        # prose writes "đạt 100%", not "100,00%"; a fraction keeps its two decimals ("99,05%")
        return format_percent(value).removesuffix(",00")
    if ind.kind == "money":
        return format_money(value)
    if ind.kind == "count":
        return format_count_prose(value)
    return str(value)


def render(text: str, state: ReportState) -> str:
    """The text with every known placeholder replaced; unknown ones are left as typed."""

    def sub(m: re.Match) -> str:
        ident = m.group(1)
        return prose_value(state, ident) if ident in state.catalog.indicators else m.group(0)

    return PLACEHOLDER.sub(sub, text)


def unresolved(text: str, state: ReportState) -> list[str]:
    """Placeholders naming a row the catalog does not have, or a row still blank."""
    return [i for i in placeholders(text) if i not in state.catalog.indicators or state.values.get(i) is None]
