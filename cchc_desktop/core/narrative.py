"""Placeholders in the clerk's prose: "{bm3.3.1}" stands for the value of that row, so the
figures in the text cannot drift from the figures in the appendix."""

from __future__ import annotations

import re

from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.ids import PLACEHOLDER
from cchc_desktop.core.numbers import BLANK_MARK, PROSE, format_value

__all__ = ["BLANK_MARK", "placeholders", "prose_value", "render", "unresolved"]


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def prose_value(state: ReportState, ident: str) -> str:
    return format_value(state.catalog.indicators[ident].kind, state.values.get(ident), PROSE)


def render(text: str, state: ReportState) -> str:
    """The text with every known placeholder replaced; unknown ones are left as typed."""

    def sub(m: re.Match) -> str:
        ident = m.group(1)
        return prose_value(state, ident) if ident in state.catalog.indicators else m.group(0)

    return PLACEHOLDER.sub(sub, text)


def unresolved(text: str, state: ReportState) -> list[str]:
    """Placeholders naming a row the catalog does not have, or a row still blank."""
    return [i for i in placeholders(text) if i not in state.catalog.indicators or state.values.get(i) is None]
