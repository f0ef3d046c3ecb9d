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
    """The text with every known placeholder replaced; unknown ones are left as typed.

    A percentage prints its sign: "{bm3.3.5}" reads "99,05%". The drafts, the sample and many
    clerks write "{bm3.3.5}%" (the sign was theirs to type before), which stays "99,05%", not
    "99,05%%"."""

    def sub(m: re.Match) -> str:
        ident = m.group(1)
        if ident not in state.catalog.indicators:
            return m.group(0)
        text_ = prose_value(state, ident)
        if (state.catalog.indicators[ident].kind == "percent" and state.values.get(ident) is not None
                and not m.string.startswith("%", m.end())):
            text_ += "%"
        return text_

    return PLACEHOLDER.sub(sub, text)


def unresolved(text: str, state: ReportState) -> list[str]:
    """Placeholders naming a row the catalog does not have, or a row still blank."""
    return [i for i in placeholders(text) if i not in state.catalog.indicators or state.values.get(i) is None]
