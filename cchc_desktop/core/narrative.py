"""Placeholders in the clerk's prose: "{bm3.3.1}" stands for the value of that row, so the
figures in the text cannot drift from the figures in the appendix."""

from __future__ import annotations

import re

from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.ids import PLACEHOLDER
from cchc_desktop.core.numbers import BLANK_MARK, PROSE, format_value

__all__ = ["BLANK_MARK", "placeholders", "prose_value", "render", "unresolved"]

_PLACEHOLDER_AND_SIGN = re.compile(f"{PLACEHOLDER.pattern}(%?)")  # group 2: a "%" typed right after it


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def prose_value(state: ReportState, ident: str) -> str:
    return format_value(state.catalog.indicators[ident].kind, state.values.get(ident), PROSE)


def render(text: str, state: ReportState) -> str:
    """The text with every known placeholder replaced; unknown ones are left as typed.

    A percentage prints with its sign ("{bm3.3.5}" reads "99,05%"); the drafts, the sample and
    many clerks type the sign after the placeholder ("{bm3.3.5}%"), which is taken in rather than
    doubled. A blank row keeps the typed sign: "…%"."""

    def sub(m: re.Match) -> str:
        ident, typed_sign = m.group(1), m.group(2)
        if ident not in state.catalog.indicators:
            return m.group(0)
        value = prose_value(state, ident)
        return value if value.endswith(typed_sign) else value + typed_sign

    return _PLACEHOLDER_AND_SIGN.sub(sub, text)


def unresolved(text: str, state: ReportState) -> list[str]:
    """Placeholders naming a row the catalog does not have, or a row still blank."""
    return [i for i in placeholders(text) if i not in state.catalog.indicators or state.values.get(i) is None]
